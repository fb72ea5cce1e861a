"""Who may act on a station's records (HTML and API ask here, never test roles)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.scoping import scope_for

from .models import Opinion, Station


def can_manage_station(user, station: Station) -> bool:
    """Congress staff of the region (and above) and the station's own staff."""
    scope = scope_for(user)
    return scope.manages_path(station.region_path) or station.pk in scope.station_ids


def can_handle_opinion(user, opinion: Opinion) -> bool:
    """The staff of the unit the opinion is currently assigned to."""
    return (
        opinion.current_unit_id is not None
        and opinion.current_unit_id in scope_for(user).unit_ids
    )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("您无权执行此操作。"))


def require_station_manager(user, station: Station) -> None:
    require(
        can_manage_station(user, station),
        _("只有本站工作人员或本级人大工作人员可以执行此操作。"),
    )


def require_opinion_handler(user, opinion: Opinion) -> None:
    require(
        can_handle_opinion(user, opinion) or can_manage_station(user, opinion.station),
        _("只有承办单位或联络站工作人员可以答复。"),
    )
