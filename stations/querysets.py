"""Reads of stations, rosters, receptions and opinions, with their scoping."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q

from portal.scoping import governed_q, scope_for


def _station_scope_q(user, station_lookup: str, path_lookup: str) -> Q:
    """Congress staff/leaders: their region and below; station staff: their stations."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    return governed_q(user, path_lookup) | Q(
        **{f"{station_lookup}__in": scope.station_ids}
    )


class StationQuerySet(models.QuerySet):
    def active(self) -> StationQuerySet:
        return self.filter(status="active")

    def within(self, region) -> StationQuerySet:
        return self.filter(region_path__startswith=region.path)

    def visible_to(self, user) -> StationQuerySet:
        """Stations a staff user works with (the public sees ``active()``)."""
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_station_scope_q(user, "pk", "region_path"))

    def manageable_by(self, user) -> StationQuerySet:
        """Stations whose roster and records the user may change: congress staff
        of the region and the station's own staff (not leaders, not units)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        q = Q(pk__in=scope.station_ids)
        for path in scope.managed_paths:
            q |= Q(region_path__startswith=path)
        return self.filter(q)


class DutyDayQuerySet(models.QuerySet):
    def public(self, today: date) -> DutyDayQuerySet:
        """Published duty days from today on, of active stations (not cancelled)."""
        return self.filter(
            is_published=True,
            status="published",
            date__gte=today,
            station__status="active",
        )

    def cancelled_notices(self, today: date) -> DutyDayQuerySet:
        """Published days cancelled, still to come: the station page's notices."""
        return self.filter(
            is_published=True,
            status="cancelled",
            date__gte=today,
            station__status="active",
        )

    def visible_to(self, user) -> DutyDayQuerySet:
        if not scope_for(user).is_authenticated:
            return self.none()
        scope = scope_for(user)
        q = _station_scope_q(user, "station_id", "station__region_path")
        if not scope.is_admin:
            q |= Q(assignments__mandate__person__user=user)
        return self.filter(q).distinct() if not scope.is_admin else self


class ReceptionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReceptionQuerySet:
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_station_scope_q(user, "station_id", "station__region_path"))


class OpinionQuerySet(models.QuerySet):
    def open(self) -> OpinionQuerySet:
        return self.filter(status__in=self.model.OPEN_STATES)

    def overdue(self, today: date) -> OpinionQuerySet:
        """Assigned opinions past their due date and not yet replied."""
        return self.filter(status__in=["assigned", "reassigned"], due_date__lt=today)

    def visible_to(self, user) -> OpinionQuerySet:
        """Congress staff and leaders: their region and below, and what was
        escalated to their congress; station staff: their stations' opinions; unit
        staff: opinions ever assigned to their unit; deputies: the opinions they
        received (我收集的群众意见)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = _station_scope_q(user, "station_id", "region_path")
        if scope.acting_congress_ids:
            q |= Q(escalated_to_id__in=scope.acting_congress_ids)
        if scope.unit_ids:
            from .models import OpinionAssignment

            q |= Q(
                pk__in=OpinionAssignment.objects.filter(
                    unit_id__in=scope.unit_ids
                ).values("opinion_id")
            )
        if scope.is_deputy:
            q |= Q(pk__in=self._received_ids(user))
        return self.filter(q)

    def _received_ids(self, user):
        through = self.model.deputies.through
        return through.objects.filter(mandate__person__user=user).values("opinion_id")

    def received_by(self, user) -> OpinionQuerySet:
        """The opinions ``user`` received as a deputy (any of their mandates)."""
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(pk__in=self._received_ids(user))

    def handled_by(self, user) -> OpinionQuerySet:
        """The opinions in the loop of the user's own congress or station (本级办理):
        escalated to their congress, or not escalated and of their congress or
        station. Staff of a congress above read the others but do not handle them."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        acting = scope.acting_congress_ids
        q = Q(escalated_to_id__in=acting) | Q(
            escalated_to__isnull=True, congress_id__in=acting
        )
        q |= Q(escalated_to__isnull=True, station_id__in=scope.station_ids)
        for congress_id, path in scope.acting_subdistricts:
            q |= Q(
                escalated_to__isnull=True,
                congress_id=congress_id,
                region_path__startswith=path,
            )
        return self.filter(q)

    def escalated_to_congress_of(self, user) -> OpinionQuerySet:
        """Opinions escalated (forwarded) to the user's congress from below."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.filter(escalated_to__isnull=False)
        return self.filter(escalated_to_id__in=scope.acting_congress_ids)

    def assigned_to_units(self, unit_ids) -> OpinionQuerySet:
        return self.filter(current_unit_id__in=unit_ids)

    def inbox_order(self) -> OpinionQuerySet:
        """Due first (earliest due date), undated last, newest received first among them."""
        return self.order_by(F("due_date").asc(nulls_last=True), "-created_at", "-id")

    def with_list_related(self) -> OpinionQuerySet:
        return self.select_related("station", "current_unit", "escalated_to")


class OpinionAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> OpinionAssignmentQuerySet:
        """Rounds of handling a user may read: the station's staff and the congresses
        governing its region read every round; a unit reads its own rounds only,
        never another unit's answer (DESIGN.md §11)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = _station_scope_q(user, "opinion__station_id", "opinion__region_path")
        return self.filter(q | Q(unit_id__in=scope.unit_ids))
