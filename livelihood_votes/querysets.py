"""Reads of livelihood programmes, with scoping (visibility: out of scope → 404)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from portal.scoping import governed_q, managed_q, scope_for


def electorate(programme):
    """The deputies who vote on ``programme`` (current, active mandates): all
    deputies of its congress or, for a sub-district (街道) programme, the county
    deputies elected in constituencies of that sub-district. The base of the
    quorum and of the majority, and who may be signed in."""
    from deputies.models import Mandate

    mandates = (
        Mandate.objects.current().active().filter(congress_id=programme.congress_id)
    )
    if programme.subdistrict_id is not None:
        mandates = mandates.filter(
            constituency__region__path__startswith=programme.region_path
        )
    return mandates


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


def _visible_programmes(user) -> ProgrammeQuerySet:
    from .models import Programme

    return Programme.objects.visible_to(user)


class ProgrammeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgrammeQuerySet:
        """Programmes in the user's scope (see ``_programme_q``); none when anonymous."""
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_programme_q(user, "region_path", "congress_id"))

    def governed_by(self, user) -> ProgrammeQuerySet:
        """Programmes of the regions the user governs (congress staff, leaders)."""
        return self.filter(governed_q(user, "region_path"))

    def with_policy_facts(self) -> ProgrammeQuerySet:
        """What ``ProgrammePolicy`` needs to know of related rows, in the same query:
        whether there are rounds (how many, one still unclosed), whether one has
        opened (the rules are locked), how many candidates there are (and are
        selected) and whether an evaluation exists."""
        from .models import Candidate, EvaluationRound, VoteRound

        rounds = VoteRound.objects.filter(programme=OuterRef("pk"))
        candidates = (
            Candidate.objects.filter(programme=OuterRef("pk"))
            .order_by()
            .values("programme")
            .annotate(n=Count("pk"))
            .values("n")
        )
        round_count = (
            rounds.order_by().values("programme").annotate(n=Count("pk")).values("n")
        )
        selected = (
            Candidate.objects.filter(
                programme=OuterRef("pk"), status=Candidate.Status.SELECTED
            )
            .order_by()
            .values("programme")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            has_rounds=Exists(rounds),
            rules_locked=Exists(rounds.exclude(status=VoteRound.Status.DRAFT)),
            has_unclosed_round=Exists(rounds.exclude(status=VoteRound.Status.CLOSED)),
            round_count=Coalesce(Subquery(round_count, output_field=IntegerField()), 0),
            selected_count=Coalesce(Subquery(selected, output_field=IntegerField()), 0),
            candidate_count=Coalesce(
                Subquery(candidates, output_field=IntegerField()), 0
            ),
            has_evaluation=Exists(
                EvaluationRound.objects.filter(programme=OuterRef("pk"))
            ),
        )


class IdeaQuerySet(models.QuerySet):
    def visible_to(self, user) -> IdeaQuerySet:
        """Ideas of the programmes in the user's scope."""
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

    def visible_to(self, user) -> CandidateQuerySet:
        """Candidates of the programmes in the user's scope."""
        return self.filter(programme__in=_visible_programmes(user))


class VoteRoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> VoteRoundQuerySet:
        """Rounds of the programmes in the user's scope."""
        return self.filter(programme__in=_visible_programmes(user))


class EvaluationRoundQuerySet(models.QuerySet):
    def visible_to(self, user) -> EvaluationRoundQuerySet:
        """Evaluations of the programmes in the user's scope."""
        return self.filter(programme__in=_visible_programmes(user))


class ProjectQuerySet(models.QuerySet):
    def public(self) -> ProjectQuerySet:
        """Projects the public may see, for everyone alike: adopted by the vote
        (the candidate selected) of a programme whose vote is over. Anything
        else is a 404 on the public page."""
        from .models import Candidate, Programme

        return self.filter(
            candidate__status=Candidate.Status.SELECTED,
            programme__phase__in=Programme.AFTER_VOTE_PHASES,
        )

    def visible_to(self, user) -> ProjectQuerySet:
        """Projects of the programmes in the user's scope."""
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_programme_q(user, "region_path", "programme__congress_id"))

    def implemented_by(self, user) -> ProjectQuerySet:
        """Projects the user implements: the implementing unit's staff, or township
        government staff of the unit's region."""
        return self.filter(implementer_q(user))

    def with_policy_facts(self) -> ProjectQuerySet:
        """What ``ProjectPolicy`` needs to know of related rows, in the same query:
        whether a change or termination request awaits the presidium."""
        from .models import ChangeRequest

        return self.annotate(
            has_pending_change=Exists(
                ChangeRequest.objects.filter(
                    project=OuterRef("pk"), status=ChangeRequest.Status.PENDING
                )
            )
        )

    def reachable_by(self, user) -> ProjectQuerySet:
        """Projects in scope: the programme's scope, plus the projects the user
        implements (an implementing unit's staff see nothing else of the programme)."""
        from .models import Project

        return self.filter(
            Q(pk__in=Project.objects.visible_to(user).values("pk"))
            | implementer_q(user)
        )

    def worklist_of(self, user) -> ProjectQuerySet:
        """The project list: projects of the regions the user governs and those the
        user implements; an implementer who governs nothing sees only their own."""
        projects = self.reachable_by(user).filter(
            Q(governed_q(user, "region_path")) | implementer_q(user)
        )
        scope = scope_for(user)
        if not scope.is_admin and not scope.governed_paths:
            projects = projects.filter(implementer_q(user))
        return projects


class ChangeRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChangeRequestQuerySet:
        """Change requests of the projects in the user's programme scope."""
        from .models import Project

        return self.filter(project__in=Project.objects.visible_to(user))

    def managed_by(self, user) -> ChangeRequestQuerySet:
        """Change requests of projects in the regions the user manages (acts on)."""
        return self.filter(managed_q(user, "project__region_path"))


class SupervisionVisitQuerySet(models.QuerySet):
    def reachable_by(self, user) -> SupervisionVisitQuerySet:
        """Visits of the projects the user reaches (``ProjectQuerySet.reachable_by``)."""
        from .models import Project

        return self.filter(project__in=Project.objects.reachable_by(user))


class PlannedVisitQuerySet(SupervisionVisitQuerySet):
    """Planned visits, reached like the visits of their project."""

    def upcoming(self, today: date) -> PlannedVisitQuerySet:
        """Not cancelled, on ``today`` or later, soonest first."""
        return self.filter(cancelled_at__isnull=True, date__gte=today).order_by(
            "date", "id"
        )


def implementer_q(user) -> Q:
    """Q for projects the user implements (unit staff; township government of the
    unit's region); everything for admins."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    q = Q(implementing_unit_id__in=list(scope.unit_ids))
    if "township_gov" in scope.roles:
        for area in scope.area_paths:
            q |= Q(implementing_unit__region__path__startswith=area)
    return q
