"""Who may do what in livelihood_votes (see portal/policies.py).

Each check joins the object's state (the phase map and statuses beside the
models) with the user's scope: congress staff *act* on programmes, rounds,
evaluations and projects of the regions they manage, and leaders and staff
*read* those of the regions they govern; implementing units and township
government act on the projects they implement; deputies take part through their
mandate (``voter``). Views, the API and templates ask ``require``, ``allows`` and
``flags`` here; visibility (404) is the querysets' ``visible_to``.

Checks that depend on related rows read the facts ``with_policy_facts()``
annotates on the object in the lookup query (``ProgrammeQuerySet``,
``ProjectQuerySet``) and query only when an object was fetched without them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from deputies.services import ensure_mandate_can
from portal.models import Congress, Role
from portal.policies import Policy, scope_for
from portal.rules import rules_for
from portal.scoping import UserScope
from portal.services import DomainError

from .models import (
    Candidate,
    ChangeRequest,
    EvaluationRound,
    Programme,
    Project,
    SatisfactionBallot,
    VoteRound,
)

P = Programme.Phase

ONLY_STAFF = _(
    "只有本级人大工作人员可以执行此操作；上级人大可以查阅和督办，但不代替本级人大办理。"
)


# --- navigation and to-do predicates ------------------------------------------------


def township_gov_only(user) -> bool:
    """Township government staff reach their projects (staff go by programme)."""
    scope = scope_for(user)
    return Role.TOWNSHIP_GOV in scope.roles and not scope.governs_any


def implements_any(user) -> bool:
    """Implementing units' staff and township government (projects to carry out)."""
    scope = scope_for(user)
    return bool(scope.unit_ids) or Role.TOWNSHIP_GOV in scope.roles


# --- facts about related rows (annotated by ``with_policy_facts()``) -----------------


def _rules_locked(programme: Programme) -> bool:
    """A round has opened: the seats and the candidates are fixed."""
    locked = getattr(programme, "rules_locked", None)
    if locked is None:
        locked = programme.rounds.exclude(status=VoteRound.Status.DRAFT).exists()
    return bool(locked)


def _has_rounds(programme: Programme) -> bool:
    has = getattr(programme, "has_rounds", None)
    return programme.rounds.exists() if has is None else bool(has)


def _candidate_count(programme: Programme) -> int:
    count = getattr(programme, "candidate_count", None)
    return programme.candidates.count() if count is None else count


def _round_count(programme: Programme) -> int:
    count = getattr(programme, "round_count", None)
    return programme.rounds.count() if count is None else count


def _has_unclosed_round(programme: Programme) -> bool:
    """A round is still a draft or open (a tie's second round waits as a draft)."""
    has = getattr(programme, "has_unclosed_round", None)
    if has is None:
        has = programme.rounds.exclude(status=VoteRound.Status.CLOSED).exists()
    return bool(has)


def _selected_count(programme: Programme) -> int:
    count = getattr(programme, "selected_count", None)
    if count is None:
        count = programme.candidates.filter(status=Candidate.Status.SELECTED).count()
    return count


def _has_evaluation(programme: Programme) -> bool:
    has = getattr(programme, "has_evaluation", None)
    if has is None:
        has = EvaluationRound.objects.filter(programme=programme).exists()
    return bool(has)


def _has_pending_change(project: Project) -> bool:
    has = getattr(project, "has_pending_change", None)
    if has is None:
        has = project.change_requests.filter(
            status=ChangeRequest.Status.PENDING
        ).exists()
    return bool(has)


# --- programmes ---------------------------------------------------------------------


def _governs(scope: UserScope, programme: Programme) -> bool:
    return scope.governs_path(programme.region_path)


def _manages(scope: UserScope, programme: Programme) -> bool:
    """Staff of the programme's own congress (or of its sub-district) run it; a
    congress above reads and supervises but does not act in it."""
    return scope.acts_for(programme.congress_id, programme.region_path)


def _manages_in(*phases: str):
    def check(scope: UserScope, user: Any, programme: Programme) -> bool:
        return _manages(scope, programme) and programme.phase in phases

    return check


def _may_set_seats(scope: UserScope, user: Any, programme: Programme) -> bool:
    return (
        _manages(scope, programme)
        and programme.phase not in Programme.AFTER_VOTE_PHASES
        and not _rules_locked(programme)
    )


def _may_add_candidate(scope: UserScope, user: Any, programme: Programme) -> bool:
    return (
        _manages(scope, programme)
        and programme.phase in Programme.CANDIDATE_ENTRY_PHASES
        and not _rules_locked(programme)
    )


def _may_create_round(scope: UserScope, user: Any, programme: Programme) -> bool:
    """The first round: after deliberation (代表议), and 差额 (more candidates
    than seats)."""
    return (
        _manages(scope, programme)
        and programme.phase == P.DELIBERATION
        and not _has_rounds(programme)
        and _candidate_count(programme) > programme.seats
    )


def _seats_unfilled(programme: Programme) -> bool:
    """Voting, every round closed and fewer projects selected than seats: staff
    hold a further round or conclude the vote (services.votes)."""
    return (
        programme.phase == P.VOTING
        and _has_rounds(programme)
        and not _has_unclosed_round(programme)
        and _selected_count(programme) < programme.seats
    )


def _may_create_further_round(
    scope: UserScope, user: Any, programme: Programme
) -> bool:
    """再次表决 on the candidates not yet selected, within the rules of procedure's
    number of rounds (read last: the rules cost a query)."""
    return (
        _manages(scope, programme)
        and _seats_unfilled(programme)
        and _round_count(programme)
        < rules_for(programme.congress).livelihood_max_rounds
    )


def _may_conclude_vote(scope: UserScope, user: Any, programme: Programme) -> bool:
    """结束票决 with the projects selected so far (at least one)."""
    return (
        _manages(scope, programme)
        and _seats_unfilled(programme)
        and _selected_count(programme) > 0
    )


def _may_create_evaluation(scope: UserScope, user: Any, programme: Programme) -> bool:
    return (
        _manages(scope, programme)
        and programme.phase == P.IMPLEMENTING
        and not _has_evaluation(programme)
    )


class ProgrammePolicy(Policy):
    """A programme's staff actions; ``browse`` (the staff list) takes no object,
    ``create`` the programme about to be created (unsaved)."""

    checks = {
        "browse": lambda scope, user, obj: scope.governs_any,
        "create": lambda scope, user, programme: _manages(scope, programme),
        # the staff workspace (read) and any write on the programme
        "view": lambda scope, user, programme: _governs(scope, programme),
        "manage": lambda scope, user, programme: _manages(scope, programme),
        "advance": _manages_in(*Programme.ADVANCE_BY_HAND),
        "set_seats": _may_set_seats,
        "screen_ideas": _manages_in(*Programme.SCREENING_PHASES),
        "pool_opinions": _manages_in(P.COLLECTING),
        "add_candidate": _may_add_candidate,
        # staff read the deliberation by deputy group and summarise it
        "read_deliberation": lambda scope, user, programme: _governs(scope, programme),
        "summarise": lambda scope, user, programme: _manages(scope, programme),
        "create_round": _may_create_round,
        "create_further_round": _may_create_further_round,
        "conclude_vote": _may_conclude_vote,
        "decide_changes": lambda scope, user, programme: _manages(scope, programme),
        "form_supervision_group": _manages_in(P.IMPLEMENTING),
        "create_evaluation": _may_create_evaluation,
    }
    reasons = {
        "browse": _("只有人大工作人员可以查看民生实事项目计划。"),
        "create": ONLY_STAFF,
        "view": ONLY_STAFF,
        "manage": ONLY_STAFF,
        "read_deliberation": _("只有本级人大代表和人大工作人员可以参加审议。"),
        "summarise": ONLY_STAFF,
    }


# --- vote rounds and evaluations --------------------------------------------------


def _manages_round(scope: UserScope, vote_round: VoteRound) -> bool:
    return _manages(scope, vote_round.programme)


class RoundPolicy(Policy):
    """A vote round's staff actions (deputies vote through ``voter``).
    ``record_attendance`` (签到) lasts until the round closes; who may record it
    also sees the check-in code on the hall screen."""

    checks = {
        "manage": lambda scope, user, vote_round: _manages_round(scope, vote_round),
        "record_attendance": lambda scope, user, vote_round: (
            _manages_round(scope, vote_round)
            and vote_round.status != VoteRound.Status.CLOSED
        ),
        "open": lambda scope, user, vote_round: (
            _manages_round(scope, vote_round)
            and vote_round.status == VoteRound.Status.DRAFT
        ),
        "close": lambda scope, user, vote_round: (
            _manages_round(scope, vote_round)
            and vote_round.status == VoteRound.Status.OPEN
        ),
        "enter_counts": lambda scope, user, vote_round: (
            _manages_round(scope, vote_round)
            and vote_round.status == VoteRound.Status.OPEN
            and vote_round.mode == VoteRound.Mode.PAPER
        ),
    }
    reasons = {"manage": ONLY_STAFF}


def _manages_evaluation(scope: UserScope, evaluation: EvaluationRound) -> bool:
    return _manages(scope, evaluation.programme)


class EvaluationPolicy(Policy):
    """The evaluation's staff actions (deputies rate through ``voter``), as for
    a round: sign-in (签到, with the hall code) until it closes, ``open`` from
    the sign-in (draft), ``close`` and paper counts while open."""

    checks = {
        "manage": lambda scope, user, evaluation: _manages_evaluation(
            scope, evaluation
        ),
        "record_attendance": lambda scope, user, evaluation: (
            _manages_evaluation(scope, evaluation)
            and evaluation.status != EvaluationRound.Status.CLOSED
        ),
        "open": lambda scope, user, evaluation: (
            _manages_evaluation(scope, evaluation)
            and evaluation.status == EvaluationRound.Status.DRAFT
        ),
        "close": lambda scope, user, evaluation: (
            _manages_evaluation(scope, evaluation)
            and evaluation.status == EvaluationRound.Status.OPEN
        ),
        "enter_counts": lambda scope, user, evaluation: (
            _manages_evaluation(scope, evaluation)
            and evaluation.status == EvaluationRound.Status.OPEN
            and evaluation.mode == VoteRound.Mode.PAPER
        ),
    }
    reasons = {"manage": ONLY_STAFF}


# --- deputies ------------------------------------------------------------------------


def voter(user, congress: Congress) -> tuple[Mandate | None, str]:
    """The user's current mandate in ``congress`` and, when they may not vote
    (no mandate here, or one suspended or ended), why."""
    mandate = (
        Mandate.objects.current()
        .filter(person__user=user, congress=congress)
        .select_related("person")
        .first()
    )
    if mandate is None:
        return None, gettext("只有%(congress)s的代表可以参加表决。") % {
            "congress": congress.name
        }
    try:
        ensure_mandate_can(mandate, "vote")
    except DomainError as exc:
        return None, exc.message
    return mandate, ""


# --- projects (政府办, 人大督) ------------------------------------------------------


def _implements(scope: UserScope, project: Project) -> bool:
    """The implementing unit's staff, or township government of the unit's region."""
    if scope.is_admin or project.implementing_unit_id in scope.unit_ids:
        return True
    unit_path = project.implementing_unit.region.path
    return Role.TOWNSHIP_GOV in scope.roles and any(
        unit_path.startswith(area) for area in scope.area_paths
    )


def _works_on_projects(scope: UserScope) -> bool:
    return (
        scope.is_admin
        or bool(scope.governed_paths or scope.unit_ids)
        or Role.TOWNSHIP_GOV in scope.roles
    )


def _active(project: Project) -> bool:
    return project.status not in Project.FINISHED_STATUSES


def _implements_active(scope: UserScope, project: Project) -> bool:
    return _implements(scope, project) and _active(project)


def _manages_project(scope: UserScope, project: Project) -> bool:
    return scope.acts_for(project.programme.congress_id, project.region_path)


class ProjectPolicy(Policy):
    """A project's actions: the implementer's work and the congress's supervision.
    ``browse`` (the project list) takes no object."""

    checks = {
        "browse": lambda scope, user, obj: _works_on_projects(scope),
        "view": lambda scope, user, project: (
            scope.governs_path(project.region_path) or _implements(scope, project)
        ),
        "implement": lambda scope, user, project: _implements(scope, project),
        "manage": lambda scope, user, project: _manages_project(scope, project),
        "submit_plan": lambda scope, user, project: (
            _implements_active(scope, project) and project.plan_submitted_at is None
        ),
        "amend_plan": lambda scope, user, project: (
            _implements_active(scope, project) and project.plan_submitted_at is not None
        ),
        "report_progress": lambda scope, user, project: (
            _implements_active(scope, project) and project.plan_submitted_at is not None
        ),
        "request_change": lambda scope, user, project: (
            _implements_active(scope, project) and not _has_pending_change(project)
        ),
        "answer_visits": lambda scope, user, project: _implements(scope, project),
        "record_visit": lambda scope, user, project: _manages_project(scope, project),
        "decide_changes": lambda scope, user, project: _manages_project(scope, project),
        "rectify": lambda scope, user, project: (
            _manages_project(scope, project)
            and project.grade == SatisfactionBallot.Choice.DISSATISFIED
        ),
        # 整改 follow-up: the implementer reports once the requirement is set; the
        # congress records the deputies' second evaluation after the report.
        "report_rectification": lambda scope, user, project: (
            _implements(scope, project)
            and project.grade == SatisfactionBallot.Choice.DISSATISFIED
            and project.rectification_due is not None
            and not project.regrade
        ),
        "reevaluate": lambda scope, user, project: (
            _manages_project(scope, project)
            and project.rectified_at is not None
            and not project.regrade
        ),
    }
    reasons = {
        "browse": _("只有项目实施单位和人大工作人员可以查看。"),
        "view": _("只有项目实施单位和乡镇人大工作人员可以查看。"),
        "implement": _("只有项目实施单位可以执行此操作。"),
        "manage": ONLY_STAFF,
    }


# Sign-in attempts with the hall code per deputy, round and hour (page and API):
# a 6-digit code must not be guessable from outside the hall.
CHECK_IN_ATTEMPTS = 10
