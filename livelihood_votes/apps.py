from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodVotesConfig(AppConfig):
    name = "livelihood_votes"
    verbose_name = _("民生实事票决")
    default_auto_field = "django.db.models.BigAutoField"
