from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("平台基础")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Report sections and dashboard cards of every app (``<app>/reports.py``).
        from .reports import autodiscover

        autodiscover()
