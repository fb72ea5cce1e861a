"""Reads of commendation campaigns and 零履职 steps, with their scoping."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.scoping import governed_q, scope_for


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user) -> CampaignQuerySet:
        """Congress staff and leaders: campaigns of their region and below."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(governed_q(user, "region_path"))

    def published(self) -> CampaignQuerySet:
        """Campaigns whose result is on the public site (公示/公布)."""
        return self.filter(status="published")


class NominationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NominationQuerySet:
        """Nominations of the campaigns the user reads."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(governed_q(user, "campaign__region_path"))

    def awarded(self) -> NominationQuerySet:
        return self.filter(status="awarded", campaign__status="published")

    def own_awards(self, user) -> NominationQuerySet:
        """Published awards of the user's own mandates, units and stations (a
        unit sees only its own record, a station only its own)."""
        scope = scope_for(user)
        if not scope.is_authenticated:
            return self.none()
        q = Q(mandate__person__user=user) | Q(suggestion__lead__person__user=user)
        if scope.unit_ids:
            q |= Q(unit_id__in=scope.unit_ids)
        if scope.station_ids:
            q |= Q(station_id__in=scope.station_ids)
        return self.awarded().filter(q)


class ZeroStepQuerySet(models.QuerySet):
    def visible_to(self, user) -> ZeroStepQuerySet:
        """Staff only: congress staff and leaders of the region and below. The
        deputy concerned does not see it here (it is no public record)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(governed_q(user, "region_path"))
