"""Read-model pieces the public, staff and deputy pages (and the API) share: the
phase stepper, labels of grades and flags, vote results, the user's mandate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from deputies.models import Mandate
from portal.models import Congress
from portal.services import TransitionError

from .. import services
from ..models import Candidate, Programme, Project, SatisfactionBallot, VoteRound

P = Programme.Phase

# The stepper of the programme pages: 人大督 runs alongside 政府办.
STEPS = [
    ("collecting", gettext_lazy("征集")),
    ("screening", gettext_lazy("初筛")),
    ("assessing", gettext_lazy("论证")),
    ("candidates", gettext_lazy("候选项目")),
    ("deliberation", gettext_lazy("代表议")),
    ("voting", gettext_lazy("大会决")),
    ("implementing", gettext_lazy("政府办")),
    ("supervising", gettext_lazy("人大督")),
    ("evaluated", gettext_lazy("代表评")),
    ("archived", gettext_lazy("归档")),
]
STEP_INDEX = {key: i for i, (key, _label) in enumerate(STEPS)}

FLAG_LABELS = {
    "red": gettext_lazy("滞后"),
    "amber": gettext_lazy("需关注"),
    "green": gettext_lazy("正常"),
}
GRADE_LABELS = dict(SatisfactionBallot.Choice.choices)
GRADE_BADGES = {
    "satisfied": "ok",
    "basically_satisfied": "info",
    "dissatisfied": "danger",
}


def stepper(phase: str) -> list[dict[str, Any]]:
    """The steps of 群众提 … 归档 marked done, current or to do for ``phase``."""
    current = STEP_INDEX[phase]
    steps = []
    for i, (key, label) in enumerate(STEPS):
        if i == current or (phase == P.IMPLEMENTING and key == "supervising"):
            state = "current"
        elif i < current:
            state = "done"
        else:
            state = "todo"
        steps.append({"key": key, "label": label, "state": state, "number": i + 1})
    return steps


def count_of(queryset: QuerySet, field: str) -> Coalesce:
    """A correlated COUNT subquery (0 when there are no rows) for annotations."""
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def grade_label(project: Project) -> str | Promise:
    return GRADE_LABELS.get(project.grade, "")


def grade_badge(project: Project) -> str:
    return GRADE_BADGES.get(project.grade, "muted")


def flag_rows(projects, today: date) -> list[dict[str, Any]]:
    """Projects with their red / amber / green flag (``services.progress_flag``)."""
    rows = []
    for project in projects:
        flag = services.progress_flag(project, today)
        rows.append({"project": project, "flag": flag, "flag_label": FLAG_LABELS[flag]})
    return rows


def round_results(vote_round: VoteRound) -> dict[str, Any]:
    """The published result of a closed round (API.md field names)."""
    # Fresh from the database (a caller may hold a stale copy), with its programme.
    vote_round = VoteRound.objects.select_related("programme").get(pk=vote_round.pk)
    if vote_round.status != VoteRound.Status.CLOSED:
        raise TransitionError(gettext("票决结束后才能查看结果。"))
    electronic = vote_round.mode == VoteRound.Mode.ELECTRONIC
    ballots = vote_round.ballots.count() if electronic else vote_round.ballots_returned
    rows = list(
        vote_round.results.select_related("candidate").order_by(
            "-approvals", "candidate__order"
        )
    )
    return {
        "eligible": vote_round.eligible,
        "present": vote_round.present,
        "participated": vote_round.participations.count()
        if electronic
        else vote_round.ballots_returned,
        "ballots": ballots,
        "void": 0 if electronic else vote_round.ballots_void,
        "seats": vote_round.seats,
        # Approvals must exceed half of this (all deputies, or those present,
        # as the rules said when the round opened).
        "majority_base": vote_round.rules.get("majority_base", "all"),
        "majority_of": majority_base_of(vote_round),
        "budget": budget_fit(vote_round.programme),
        "candidates": [
            {
                "candidate": r.candidate_id,
                "title": r.candidate.title,
                "approvals": r.approvals,
                "selected": r.selected,
                "tied": r.tied,
            }
            for r in rows
        ],
    }


def majority_base_of(vote_round: VoteRound) -> int:
    """How many deputies a project's approvals must exceed half of, as locked
    when the round opened (rounds opened before the rule existed: all deputies)."""
    locked = vote_round.rules.get("majority")
    return vote_round.eligible if locked is None else int(locked)


def budget_fit(programme: Programme) -> dict[str, Any] | None:
    """票决事和配置钱: the money available and what the selected projects cost;
    None when the programme has no budget set."""
    if programme.budget is None:
        return None
    selected = sum(
        (
            c.estimated_cost
            for c in programme.candidates.filter(status=Candidate.Status.SELECTED)
        ),
        start=Decimal(0),
    )
    return {
        "available": str(programme.budget),
        "from_upper": str(programme.budget_upper),
        "selected_cost": str(selected),
        "fits": selected <= programme.budget,
    }


def candidates_of(programme: Programme) -> QuerySet[Candidate]:
    """A programme's candidates in order, with their lead unit (the staff page,
    the API and, once published and scrubbed, the public page)."""
    return programme.candidates.select_related("lead_unit")


def current_mandate(user, congress: Congress) -> Mandate | None:
    """The user's current mandate in ``congress`` (a deputy of it), if any."""
    return (
        Mandate.objects.current().filter(person__user=user, congress=congress).first()
    )


def grade(satisfied: int, basically: int, base: int) -> str:
    """满意 if 满意 > half of the base; 基本满意 if 满意+基本满意 > half; else
    不满意. The base is all deputies or those present, as the rule
    ``livelihood_grade_base`` says (locked when the evaluation opens)."""
    if satisfied * 2 > base:
        return "satisfied"
    if (satisfied + basically) * 2 > base:
        return "basically_satisfied"
    return "dissatisfied"


def progress_flag(project: Project, today: date) -> str:
    """red / amber / green: progress against the time elapsed in the plan, by
    the thresholds (points behind) the congress's rules gave the project when
    it started (``livelihood_progress_amber_points`` / ``_red_points``)."""
    if project.status in (Project.Status.COMPLETED, Project.Status.TERMINATED):
        return "green" if project.status == Project.Status.COMPLETED else "red"
    if project.plan_submitted_at is None:
        return "red" if today > project.plan_due else "amber"
    if project.start_date is None or project.planned_end is None:
        # A plan without dates cannot be measured against time yet.
        return "amber"
    if today > project.planned_end:
        return "red"
    total = (project.planned_end - project.start_date).days or 1
    expected = max(0, min(100, 100 * (today - project.start_date).days / total))
    behind = expected - project.progress
    if behind > project.flag_red_points:
        return "red"
    if behind > project.flag_amber_points:
        return "amber"
    return "green"
