from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("代表")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.web import choices

        from .models import Delegation, DeputyGroup

        choices.register(Delegation, DeputyGroup)
