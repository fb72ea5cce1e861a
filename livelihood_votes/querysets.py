"""Reads of livelihood programmes, with scoping."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.scoping import governed_q, scope_for


def _programme_q(user, path_lookup: str, congress_lookup: str) -> Q:
    """Congress staff/leaders: their region; township government: its township;
    deputies: programmes of the congresses where they hold a mandate."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    q = governed_q(user, path_lookup)
    for path in scope.area_paths:
        if "township_gov" in scope.roles:
            q |= Q(**{f"{path_lookup}__startswith": path})
    from deputies.models import Mandate

    q |= Q(
        **{
            f"{congress_lookup}__in": Mandate.objects.filter(person__user=user).values(
                "congress_id"
            )
        }
    )
    return q


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_programme_q(user, "region_path", "congress_id"))


class IdeaQuerySet(models.QuerySet):
    def visible_to(self, user) -> IdeaQuerySet:
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(
            _programme_q(user, "programme__region_path", "programme__congress_id")
        )


class CandidateQuerySet(models.QuerySet):
    def published(self) -> CandidateQuerySet:
        """Candidates once the programme has published them (public)."""
        return self.exclude(
            programme__phase__in=["collecting", "screening", "assessing"]
        )


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProjectQuerySet:
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_programme_q(user, "region_path", "programme__congress_id"))

    def implemented_by(self, user) -> ProjectQuerySet:
        """Projects the user implements: the implementing unit's staff, or township
        government staff of the unit's region."""
        return self.filter(implementer_q(user))


def implementer_q(user) -> Q:
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    q = Q(implementing_unit_id__in=list(scope.unit_ids))
    if "township_gov" in scope.roles:
        for area in scope.area_paths:
            q |= Q(implementing_unit__region__path__startswith=area)
    return q
