from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("代表联络站")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from portal.scoping import register_scope

        register_scope("station", _resolve_stations)


def _resolve_stations(ids):
    """Station scope ids → (name, region path), for portal.scoping."""
    from .models import Station

    return {pk: (name, path) for pk, name, path in Station.objects.filter(pk__in=ids).values_list("pk", "name", "region_path")}
