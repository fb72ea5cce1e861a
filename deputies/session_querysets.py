"""Reads and scoping of the session models (issue 16): staff and leaders see
what their region's congresses hold (``governed_q``), a deputy their own rows;
out of scope is a 404."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.scoping import governed_q, scope_for

from .querysets import own_mandate_ids


def _scoped(qs: models.QuerySet, user, path: str, mandate_field: str | None):
    scope = scope_for(user)
    if scope.is_admin:
        return qs.all()
    if not scope.is_authenticated:
        return qs.none()
    q = governed_q(user, path) if scope.governed_paths else Q(pk__in=[])
    if mandate_field is not None:
        own = own_mandate_ids(user)
        if own:
            q |= Q(**{f"{mandate_field}__in": own})
    return qs.filter(q)


class SessionAttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> SessionAttendanceQuerySet:
        """Staff: attendance at their region's sessions; a deputy: their own."""
        return _scoped(
            self, user, "session__term__congress__region__path", "mandate_id"
        )


class LeaveRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> LeaveRequestQuerySet:
        """Staff: leave requests of their region's sessions; a deputy: their own."""
        return _scoped(
            self, user, "session__term__congress__region__path", "mandate_id"
        )

    def pending(self) -> LeaveRequestQuerySet:
        return self.filter(status="pending")


class AbsenceFlagQuerySet(models.QuerySet):
    def visible_to(self, user) -> AbsenceFlagQuerySet:
        """Staff of the region only (a deputy is told by staff, not by a flag)."""
        return _scoped(self, user, "mandate__congress__region__path", None)

    def open(self) -> AbsenceFlagQuerySet:
        """Open flags of mandates still holding their seat."""
        return self.filter(status="open", mandate__status__in=["active", "suspended"])


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Staff: meetings of their region's sessions; a deputy: meetings they spoke at."""
        return _scoped(
            self, user, "session__term__congress__region__path", "speeches__mandate_id"
        ).distinct()


class SpeechQuerySet(models.QuerySet):
    def visible_to(self, user) -> SpeechQuerySet:
        """Staff: speeches at their region's sessions; a deputy: their own."""
        return _scoped(
            self, user, "meeting__session__term__congress__region__path", "mandate_id"
        )

    def adopted(self) -> SpeechQuerySet:
        return self.filter(outcome__in=["adopted", "follow_up"])


class TrainingCourseQuerySet(models.QuerySet):
    def visible_to(self, user) -> TrainingCourseQuerySet:
        """Staff: courses organised in their region; a deputy: courses they enrolled in."""
        return _scoped(
            self, user, "congress__region__path", "enrolments__mandate_id"
        ).distinct()


class EnrolmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> EnrolmentQuerySet:
        """Staff: enrolments in their region's courses; a deputy: their own."""
        return _scoped(self, user, "course__congress__region__path", "mandate_id")

    def attended(self) -> EnrolmentQuerySet:
        return self.filter(status="attended")
