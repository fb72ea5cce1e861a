"""Read models of the staff workspace: the programme list, the programme as a
phase stepper, deliberation, rounds and the hall screen, supervision groups and
the evaluation."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import Mandate
from portal.models import Congress, HandlingUnit, Region
from portal.rules import rules_for
from portal.scoping import scope_for
from stations.models import Opinion

from ..models import (
    CONSENTING_BODY_LABELS,
    DELIBERATION_BY_LABELS,
    Candidate,
    ChangeRequest,
    DeliberationComment,
    EvaluationRound,
    Idea,
    Participation,
    Programme,
    Project,
    RoundAttendance,
    RoundResult,
    SatisfactionCount,
    VoteRound,
)
from ..policies import EvaluationPolicy, ProgrammePolicy, ProjectPolicy, RoundPolicy
from ..querysets import electorate as _electorate
from .common import (
    candidates_of,
    count_of,
    flag_rows,
    grade_badge,
    grade_label,
    round_results,
    stepper,
)

P = Programme.Phase
POOLED_SHOWN = 20
HALL_REFRESH_SECONDS = 5

# The label of the button that moves a programme on by hand (Programme.ADVANCE_BY_HAND).
ADVANCE_LABELS: dict[str, Any] = {
    P.COLLECTING: gettext_lazy("结束征集，进入初筛"),
    P.SCREENING: gettext_lazy("结束初筛，进入论证"),
    P.ASSESSING: gettext_lazy("公布候选项目"),
    P.CANDIDATES: gettext_lazy("进入代表审议"),
    P.EVALUATED: gettext_lazy("归档"),
}


# --- the list and the congresses a programme can be created for ------------------


def programme_congresses(user) -> QuerySet[Congress]:
    """Congresses of the levels that vote (province to township) whose own staff
    the user is (a congress above does not run a lower one's vote)."""
    from ..services.programmes import LEVELS_THAT_VOTE

    scope = scope_for(user)
    congresses = Congress.objects.filter(level__in=LEVELS_THAT_VOTE)
    if not scope.is_admin:
        congresses = congresses.filter(pk__in=scope.acting_congress_ids)
    return congresses.select_related("region").order_by("region__path")


def programme_organisers(user) -> list[tuple[str, str, Congress, Region | None]]:
    """What a new programme may be for: ``(value, label, congress, sub-district)``
    — the congresses the user acts for, then the sub-districts (街道) of those
    county congresses and those of the user's 街道工委 grants (the county
    congress organises a sub-district's vote: 街道 has no congress)."""
    congresses = list(programme_congresses(user))
    rows: list[tuple[str, str, Congress, Region | None]] = [
        (str(c.pk), c.name, c, None) for c in congresses
    ]
    streets: dict[int, tuple[Region, Congress]] = {}
    counties = {c.region_id: c for c in congresses if c.level == Congress.Level.COUNTY}
    for region in Region.objects.filter(
        level=Region.Level.SUBDISTRICT, parent_id__in=list(counties)
    ):
        streets[region.pk] = (region, counties[region.parent_id])
    grants = scope_for(user).acting_subdistricts
    if grants:
        county_by_id = Congress.objects.in_bulk([cid for cid, _path in grants])
        by_path = {
            r.path: r for r in Region.objects.filter(path__in=[p for _c, p in grants])
        }
        for congress_id, path in grants:
            if path in by_path:
                region = by_path[path]
                streets.setdefault(region.pk, (region, county_by_id[congress_id]))
    for region, congress in sorted(streets.values(), key=lambda rc: rc[0].path):
        label = _("%(street)s（%(congress)s组织）") % {
            "street": region.name,
            "congress": congress.name,
        }
        rows.append((f"s{region.pk}", label, congress, region))
    return rows


def staff_programmes(user, *, phase: str = "") -> QuerySet[Programme]:
    """Programmes of the regions the user governs, with their counts, newest first;
    ``phase`` filters when it names a phase."""
    programmes = (
        Programme.objects.visible_to(user)
        .governed_by(user)
        .select_related("congress", "subdistrict")
        .annotate(
            idea_count=count_of(
                Idea.objects.filter(programme=OuterRef("pk")), "programme"
            ),
            candidate_count=count_of(
                Candidate.objects.filter(programme=OuterRef("pk")), "programme"
            ),
            project_count=count_of(
                Project.objects.filter(programme=OuterRef("pk")), "programme"
            ),
        )
    )
    if phase in P.values:
        programmes = programmes.filter(phase=phase)
    return programmes.order_by("-year", "region_path", "id")


# --- the programme page -----------------------------------------------------------


def electorate(programme: Programme) -> QuerySet[Mandate]:
    """Who votes on the programme: all deputies of its congress, or a
    sub-district's county deputies (``querysets.electorate``)."""
    return _electorate(programme)


def quorum_needed(congress: Congress, eligible: int) -> int:
    """How many deputies must be signed in to open a round (rule: the quorum
    fraction of all deputies, as ``services.round_open`` checks it)."""
    rules = rules_for(congress)
    num, den = rules.livelihood_quorum_numerator, rules.livelihood_quorum_denominator
    return -(-eligible * num // den)


def _signed_in_count(programme: Programme):
    return count_of(
        RoundAttendance.objects.filter(
            round=OuterRef("pk"), mandate__in=electorate(programme).values("pk")
        ),
        "round",
    )


def _rounds(programme: Programme, user) -> list[VoteRound]:
    """The rounds with their counts (ballots, sign-in), results and the user's
    actions (``flags``)."""
    rounds = list(
        programme.rounds.annotate(
            participated=count_of(
                Participation.objects.filter(round=OuterRef("pk")), "round"
            ),
            candidate_count=count_of(
                VoteRound.candidates.through.objects.filter(voteround=OuterRef("pk")),
                "voteround",
            ),
            signed_in=_signed_in_count(programme),
        ).order_by("number")
    )
    results: dict[int, list[RoundResult]] = {}
    for result in RoundResult.objects.filter(round__programme=programme).select_related(
        "candidate"
    ):
        results.setdefault(result.round_id, []).append(result)
    for vote_round in rounds:
        vote_round.result_rows = results.get(vote_round.pk, [])
        vote_round.flags = RoundPolicy.flags(user, vote_round)
        # Ballots in hand: the electronic ones received, or the paper ones the
        # tellers counted (None until entered); short of the sign-in → a warning.
        received = (
            vote_round.participated
            if vote_round.mode == VoteRound.Mode.ELECTRONIC
            else vote_round.ballots_returned
        )
        vote_round.received = received
        vote_round.ballots_short = (
            received is not None and received < vote_round.signed_in
        )
    unclosed = [r for r in rounds if r.status != VoteRound.Status.CLOSED]
    if unclosed:
        eligible = electorate(programme).count()
        needed = quorum_needed(programme.congress, eligible)
        for vote_round in unclosed:
            vote_round.electorate_size = eligible
            vote_round.quorum_needed = needed
            vote_round.quorum_met = vote_round.signed_in >= needed
    return rounds


def _seats_unfilled(programme: Programme, candidates: list[Candidate], rounds):
    """Voting is over for now but seats stay unfilled (no tie): what the page
    says next to 再次表决 and 结束票决."""
    if programme.phase != P.VOTING or not rounds:
        return None
    if any(r.status != VoteRound.Status.CLOSED for r in rounds):
        return None
    selected = sum(1 for c in candidates if c.status == Candidate.Status.SELECTED)
    if selected >= programme.seats:
        return None
    max_rounds = rules_for(programme.congress).livelihood_max_rounds
    return {
        "seats": programme.seats,
        "selected": selected,
        "vacant": programme.seats - selected,
        "remaining": len(candidates) - selected,
        "rounds": len(rounds),
        "max_rounds": max_rounds,
        "rounds_exhausted": len(rounds) >= max_rounds,
    }


def _implementation(programme: Programme, user) -> dict[str, Any]:
    """The 政府办 / 人大督 / 代表评 part of the page, once the vote is decided."""
    projects = list(
        programme.projects.select_related("candidate", "implementing_unit").order_by(
            "candidate__order", "id"
        )
    )
    for project in projects:
        project.grade_label = grade_label(project)
        project.grade_badge = grade_badge(project)
        project.can_rectify = ProjectPolicy.allows(user, "rectify", project)
    context: dict[str, Any] = {
        "project_rows": flag_rows(projects, timezone.localdate()),
        "pending_changes": list(
            ChangeRequest.objects.filter(
                project__programme=programme, status=ChangeRequest.Status.PENDING
            )
            .select_related("project__candidate", "requested_by")
            .order_by("created_at", "id")
        ),
        "groups": list(
            programme.supervision_groups.annotate(
                member_count=Count("members", distinct=True),
                project_count=Count("projects", distinct=True),
            ).order_by("id")
        ),
    }
    evaluation = (
        EvaluationRound.objects.filter(programme=programme)
        .select_related("programme")
        .first()
    )
    context["evaluation"] = evaluation
    if evaluation is not None:
        context["evaluation_participated"] = evaluation.participations.count()
        context["evaluation_flags"] = EvaluationPolicy.flags(user, evaluation)
        if evaluation.status != EvaluationRound.Status.CLOSED:
            signed_in = evaluation.attendances.filter(
                mandate__in=electorate(programme).values("pk")
            ).count()
            eligible = electorate(programme).count()
            needed = quorum_needed(programme.congress, eligible)
            context["evaluation_sign_in"] = {
                "signed_in": signed_in,
                "eligible": eligible,
                "quorum_needed": needed,
                "quorum_met": signed_in >= needed,
            }
    return context


def programme_detail(programme: Programme, *, user) -> dict[str, Any]:
    """Everything the stepper page shows, with the user's actions (``can_*``;
    fetch the programme ``with_policy_facts()`` so asking them costs no query);
    a constant number of queries. While ideas are being screened, ``ideas`` is
    the queryset of ideas to paginate (pending first)."""
    phase = programme.phase
    next_phase = next(
        (str(to) for now, to in Programme.ADVANCE_BY_HAND.items() if now == phase),
        None,
    )
    context: dict[str, Any] = {
        "programme": programme,
        "steps": stepper(phase),
        "advance_label": ADVANCE_LABELS.get(phase, ""),
        "next_phase": next_phase or "",
        "next_phase_label": Programme.Phase(next_phase).label if next_phase else "",
        "published": phase not in Programme.UNPUBLISHED_PHASES,
    }
    idea_counts = dict(
        programme.ideas.order_by().values_list("status").annotate(n=Count("pk"))
    )
    context["idea_counts"] = [
        (label, idea_counts.get(value, 0)) for value, label in Idea.Status.choices
    ]
    context["idea_total"] = sum(idea_counts.values())
    if phase in Programme.SCREENING_PHASES:
        context["ideas"] = programme.ideas.annotate(
            pending=Case(
                When(status=Idea.Status.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("pending", "created_at", "id")
    if ProgrammePolicy.allows(user, "pool_opinions", programme):
        context["pooled"] = list(pooled_opinions(programme)[:POOLED_SHOWN])
    candidates = list(candidates_of(programme))
    context["candidates"] = candidates
    if phase in Programme.CANDIDATE_ENTRY_PHASES:
        context["accepted_ideas"] = list(accepted_ideas(programme))
    rounds = _rounds(programme, user)
    context["rounds"] = rounds
    context["locked"] = any(r.status != VoteRound.Status.DRAFT for r in rounds)
    context["candidates_short"] = (
        phase in Programme.DELIBERATION_PHASES and len(candidates) <= programme.seats
    )
    context["seats_unfilled"] = _seats_unfilled(programme, candidates, rounds)
    if phase in Programme.DELIBERATION_PHASES:
        context["comment_count"] = DeliberationComment.objects.filter(
            candidate__programme=programme
        ).count()
    if phase in Programme.AFTER_VOTE_PHASES:
        context.update(_implementation(programme, user))
    # Levels differ by rule values, not code: who consents to the candidate
    # list and how the deputies deliberate on it.
    rules = rules_for(programme.congress)
    context["consenting_body"] = CONSENTING_BODY_LABELS.get(
        rules.livelihood_consenting_body, rules.livelihood_consenting_body
    )
    context["deliberation_by"] = DELIBERATION_BY_LABELS.get(
        rules.livelihood_deliberation_by, rules.livelihood_deliberation_by
    )
    context["events"] = list(programme.phase_events.select_related("actor"))
    context.update(ProgrammePolicy.flags(user, programme))
    return context


def pooled_opinions(programme: Programme) -> QuerySet[Opinion]:
    """Station opinions pooled for the livelihood collection in the programme's
    region and not yet turned into ideas, oldest first."""
    return (
        Opinion.objects.filter(
            status=Opinion.Status.POOLED,
            region_path__startswith=programme.region_path,
            livelihood_idea__isnull=True,
        )
        .select_related("station")
        .only("id", "tracking_code", "content", "created_at", "station__name")
        .order_by("created_at", "id")
    )


def region_opinions(programme: Programme) -> QuerySet[Opinion]:
    """Opinions of the programme's region (the ones staff may pool)."""
    return Opinion.objects.filter(region_path__startswith=programme.region_path)


def accepted_ideas(programme: Programme) -> QuerySet[Idea]:
    """Ideas that passed screening, waiting to be assessed as candidates."""
    return programme.ideas.filter(status=Idea.Status.ACCEPTED).order_by(
        "created_at", "id"
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def lead_units(programme: Programme) -> QuerySet[HandlingUnit]:
    """Units that may lead a candidate: the township's own and those above it."""
    return (
        HandlingUnit.objects.filter(
            Q(region__path__in=_ancestor_paths(programme.region_path))
            | Q(region__path__startswith=programme.region_path)
        )
        .select_related("region")
        .order_by("region__path", "name")
    )


# --- deliberation (代表议) ---------------------------------------------------------


def deliberation(
    programme: Programme, *, user, mandate: Mandate | None
) -> dict[str, Any]:
    """Staff read the comments by deputy group (and summarise); a deputy sees
    their own comments per candidate."""
    staff = ProgrammePolicy.allows(user, "read_deliberation", programme)
    candidates = list(programme.candidates.all())
    context: dict[str, Any] = {
        "programme": programme,
        "staff": staff,
        "can_summarise": ProgrammePolicy.allows(user, "summarise", programme),
        "open": programme.phase in Programme.DELIBERATION_PHASES,
        "candidates": candidates,
        "mandate": mandate,
    }
    if staff:
        context["comments"] = list(
            DeliberationComment.objects.filter(candidate__programme=programme)
            .select_related("candidate", "mandate__person", "group")
            .order_by(
                F("group__name").asc(nulls_last=True),
                "candidate__order",
                "created_at",
                "id",
            )
        )
    if mandate is not None:
        mine: dict[int, list[DeliberationComment]] = {}
        for comment in DeliberationComment.objects.filter(
            candidate__programme=programme, mandate=mandate
        ).order_by("created_at", "id"):
            mine.setdefault(comment.candidate_id, []).append(comment)
        for candidate in candidates:
            candidate.my_comments = mine.get(candidate.pk, [])
    return context


# --- rounds -----------------------------------------------------------------------


def round_candidates(vote_round: VoteRound) -> list[Candidate]:
    """The round's candidates in ballot order."""
    return list(vote_round.candidates.order_by("order", "id"))


def paper_counts_initial(vote_round: VoteRound) -> dict[str, Any]:
    """The tellers' form as last entered."""
    initial: dict[str, Any] = {
        "issued": vote_round.ballots_issued,
        "returned": vote_round.ballots_returned,
        "valid": vote_round.ballots_valid,
        "void": vote_round.ballots_void,
    }
    for result in vote_round.results.all():
        initial[f"c{result.candidate_id}"] = result.approvals
    return initial


def hall_screen(vote_round: VoteRound, *, user) -> dict[str, Any]:
    """The hall screen: before and while voting the sign-in (签到) count, and the
    check-in code for staff who run the sign-in (a deputy looking at the screen
    from elsewhere must not learn it); while open only how many ballots came in;
    after close the counts, selected and tied candidates."""
    context: dict[str, Any] = {
        "round": vote_round,
        "programme": vote_round.programme,
        "refresh": HALL_REFRESH_SECONDS,
    }
    if vote_round.status == VoteRound.Status.CLOSED:
        result = round_results(vote_round)
        context["result"] = result
        context["selected_count"] = sum(
            1 for c in result["candidates"] if c["selected"]
        )
        context["tied_count"] = sum(1 for c in result["candidates"] if c["tied"])
        context["majority"] = result["majority_of"] // 2 + 1
        return context
    congress = vote_round.programme.congress
    voters = electorate(vote_round.programme)
    context["signed_in"] = vote_round.attendances.filter(
        mandate__in=voters.values("pk")
    ).count()
    if RoundPolicy.allows(user, "record_attendance", vote_round):
        context["check_in_code"] = vote_round.check_in_code
    if vote_round.status == VoteRound.Status.OPEN:
        if vote_round.mode == VoteRound.Mode.ELECTRONIC:
            context["received"] = vote_round.participations.count()
        context["candidate_count"] = vote_round.candidates.count()
    else:
        eligible = voters.count()
        context["eligible"] = eligible
        context["quorum_needed"] = quorum_needed(congress, eligible)
    return context


def _sign_in_board(session, programme: Programme) -> dict[str, Any]:
    """The sign-in page of a round or an evaluation (both have ``attendances``):
    all deputies of the congress in 姓氏笔画 order, each with their sign-in
    (``deputies``: rows of mandate and attendance or None), the count against
    all deputies and the quorum; a constant number of queries."""
    deputies = list(
        electorate(programme).select_related("person").order_by("name_stroke_key", "id")
    )
    signed = {
        a.mandate_id: a
        for a in session.attendances.only(
            "round_id", "mandate_id", "method", "created_at"
        )
    }
    rows = [{"mandate": m, "attendance": signed.get(m.pk)} for m in deputies]
    signed_in = sum(1 for row in rows if row["attendance"] is not None)
    eligible = len(rows)
    needed = quorum_needed(programme.congress, eligible)
    return {
        "session": session,
        "deputies": rows,
        "signed_in": signed_in,
        "eligible": eligible,
        "absent": eligible - signed_in,
        "quorum_needed": needed,
        "quorum_met": signed_in >= needed,
        "still_needed": max(needed - signed_in, 0),
    }


def round_attendance(vote_round: VoteRound, *, user) -> dict[str, Any]:
    """The sign-in page of a vote round (``_sign_in_board``)."""
    context = _sign_in_board(vote_round, vote_round.programme)
    context.update(round=vote_round, programme=vote_round.programme)
    context.update(RoundPolicy.flags(user, vote_round))
    return context


def evaluation_attendance(evaluation: EvaluationRound, *, user) -> dict[str, Any]:
    """The sign-in page of an evaluation (``_sign_in_board``)."""
    context = _sign_in_board(evaluation, evaluation.programme)
    context.update(evaluation=evaluation, programme=evaluation.programme)
    context.update(EvaluationPolicy.flags(user, evaluation))
    return context


def signed_in_count(session: VoteRound | EvaluationRound) -> int:
    """How many deputies of the congress are signed in for the round or the
    evaluation (the ceiling of the paper ballots taken back)."""
    return session.attendances.filter(
        mandate__in=electorate(session.programme).values("pk")
    ).count()


def is_signed_in(session: VoteRound | EvaluationRound, mandate: Mandate) -> bool:
    """The deputy signed in (签到) for the round or the evaluation."""
    return session.attendances.filter(mandate=mandate).exists()


# --- supervision and evaluation ---------------------------------------------------


def supervision_choices(
    programme: Programme,
) -> tuple[QuerySet[Mandate], QuerySet[Project]]:
    """The deputies who may join a supervision group and the projects it may watch."""
    mandates = (
        Mandate.objects.current()
        .active()
        .filter(congress=programme.congress)
        .select_related("person")
        .order_by("name_stroke_key", "id")
    )
    projects = programme.projects.select_related("candidate").order_by(
        "candidate__order", "id"
    )
    return mandates, projects


def evaluation_projects(programme: Programme) -> list[Project]:
    """The projects rated in the evaluation, in candidate order."""
    return list(
        programme.projects.select_related("candidate").order_by(
            "candidate__order", "id"
        )
    )


def evaluation_paper_initial(evaluation: EvaluationRound) -> dict[str, int]:
    """The paper evaluation's counts as last entered."""
    initial = {}
    for count in SatisfactionCount.objects.filter(round=evaluation):
        initial[f"p{count.project_id}_satisfied"] = count.satisfied
        initial[f"p{count.project_id}_basically_satisfied"] = count.basically_satisfied
        initial[f"p{count.project_id}_dissatisfied"] = count.dissatisfied
    return initial
