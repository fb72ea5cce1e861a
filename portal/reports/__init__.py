"""Supervision reports (DESIGN.md §8): the engine.

- ``periods``: year / session / date range;
- ``model``: the report as data (metrics with numerator and denominator, tables, charts);
- ``service``: who may report on what, building a report from the registered
  sections, and the background generation of files (``GeneratedReport``);
- ``charts``, ``html``, ``excel``, ``pdf``: the renderers.

The sections themselves live in the apps (``deputies/reports.py``,
``stations/reports.py``, ``proposals/reports.py``, ``livelihood_votes/reports.py``)
and plug into ``portal.registry``; ``autodiscover`` imports them at start-up.
"""

from __future__ import annotations

from importlib import import_module

MODULE = "reports"


def autodiscover() -> None:
    """Import every installed app's ``reports`` module and call its ``register()``
    (report sections, dashboard cards, navigation). Idempotent."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE):
            continue
        module = import_module(f"{config.name}.{MODULE}")
        register_hook = getattr(module, "register", None)
        if callable(register_hook):
            register_hook()


def register() -> None:
    """The engine's own plug-in: the "统计报表" link in the staff navigation."""
    from django.utils.translation import gettext_lazy as _

    from portal.registry import NavItem, register_nav

    from .service import can_read_reports

    register_nav(
        NavItem(
            key="reports",
            label=_("统计报表"),
            url_name="reports:index",
            visible=can_read_reports,
            order=90,
        )
    )
