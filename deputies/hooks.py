"""deputies' plug-ins (portal/registry.py), found by autodiscover_modules("hooks")."""

from django.utils.translation import gettext_lazy as _

from portal.policies import governs_any, is_deputy
from portal.registry import (
    DemoSeed,
    NavItem,
    ReportSection,
    register_demo_seed,
    register_nav,
    register_report_section,
    register_todo_provider,
)

from . import demo, reports, selectors

register_nav(
    NavItem(
        key="deputies",
        label=_("代表"),
        url_name="deputies:list",
        visible=governs_any,
        order=20,
    )
)
register_nav(
    NavItem(
        key="my_performance",
        label=_("我的履职"),
        url_name="deputies:my_performance",
        visible=is_deputy,
        order=15,
    )
)
register_todo_provider(selectors.deputy_todos)
register_report_section(
    ReportSection(key="deputies", title=_("代表履职"), build=reports.build, order=20)
)
register_demo_seed(DemoSeed(name="deputies", seed=demo.seed, order=10))
