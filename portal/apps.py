from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every app's hooks.py: nav, to-dos, cards, report sections, reminder
        # jobs, demo seeds, scope resolvers (portal/registry.py).
        from . import (
            display,
            search,  # noqa: F401 - registers the ``has_text`` lookup
            tokens,
        )

        tokens.connect()
        display.install()  # get_FOO_display without rebuilding its choices
        from .models import Congress, Region, Term
        from .web import choices

        choices.register(Congress, Region, Term)
        from .registry import autodiscover

        autodiscover()
