"""Reads of activity funds, legislative consultation and station honours
(issue 17), with their scoping: congress staff and leaders read their region
and below, station staff their own stations' rows."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.scoping import governed_q, scope_for


def _scoped(user, path: str, station_field: str) -> Q | None:
    """Q of rows in the user's governed paths or of the user's own stations;
    None for admins (everything)."""
    scope = scope_for(user)
    if scope.is_admin:
        return None
    q = governed_q(user, path)
    if scope.station_ids:
        q |= Q(**{f"{station_field}__in": sorted(scope.station_ids)})
    return q


class BudgetQuerySet(models.QuerySet):
    def visible_to(self, user) -> BudgetQuerySet:
        """Congress staff and leaders: budgets of their region and below;
        station staff: their stations' budgets."""
        if not scope_for(user).is_authenticated:
            return self.none()
        q = _scoped(user, "region_path", "station_id")
        return self.all() if q is None else self.filter(q)

    def with_list_related(self) -> BudgetQuerySet:
        return self.select_related("congress", "group", "station")


class SpendingQuerySet(models.QuerySet):
    def visible_to(self, user) -> SpendingQuerySet:
        if not scope_for(user).is_authenticated:
            return self.none()
        q = _scoped(user, "region_path", "budget__station_id")
        return self.all() if q is None else self.filter(q)


class DraftQuerySet(models.QuerySet):
    def visible_to(self, user) -> DraftQuerySet:
        """Staff of the publishing congress and of the congresses above; staff
        of the regions the chosen stations lie in and the stations' own staff."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        from .models import Station

        stations = Station.objects.filter(
            governed_q(user, "region_path") | Q(pk__in=sorted(scope.station_ids))
        )
        through = self.model.stations.through
        return self.filter(
            governed_q(user, "region_path")
            | Q(
                pk__in=through.objects.filter(station__in=stations).values(
                    "legislativedraft_id"
                )
            )
        )

    def public(self) -> DraftQuerySet:
        """Drafts the public sees: open for comments, or with feedback published."""
        return self.filter(status__in=["open", "closed", "summarised", "feedback"])


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user) -> CommentQuerySet:
        """The publishing congress's staff (and above) read every comment; other
        staff and stations only the comments of stations in their scope."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            governed_q(user, "draft__region_path")
            | governed_q(user, "station__region_path")
            | Q(station_id__in=sorted(scope.station_ids))
        )


class HonourQuerySet(models.QuerySet):
    def public(self) -> HonourQuerySet:
        return self.filter(station__status="active")
