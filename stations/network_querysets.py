"""Reads of assessments, governance activities, mediation cases and 社情民意
reports, with their scoping (issue 17). Out of scope is never listed (a 404)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.scoping import scope_for

from .querysets import _station_scope_q


class _StationScoped(models.QuerySet):
    """Rows of a station: its staff, and congress staff and leaders of its region
    and above (another county's staff never see them)."""

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(_station_scope_q(user, "station_id", "region_path"))


class StationAssessmentQuerySet(_StationScoped):
    def approved(self) -> StationAssessmentQuerySet:
        return self.filter(status="approved")

    def with_list_related(self) -> StationAssessmentQuerySet:
        return self.select_related("station__region", "assessor")


class StationActivityQuerySet(_StationScoped):
    def with_list_related(self) -> StationActivityQuerySet:
        return self.select_related("station")


class MediationCaseQuerySet(_StationScoped):
    def with_list_related(self) -> MediationCaseQuerySet:
        return self.select_related("station", "opinion")


class SocialReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> SocialReportQuerySet:
        """The sending station's staff, the sending deputy, and congress staff and
        leaders of the region and above (the office it went to included)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = _station_scope_q(user, "station_id", "region_path")
        if scope.is_deputy:
            q |= Q(author__person__user=user)
        return self.filter(q)

    def sent(self) -> SocialReportQuerySet:
        return self.exclude(status="draft")

    def with_list_related(self) -> SocialReportQuerySet:
        return self.select_related("station", "author__person", "congress")
