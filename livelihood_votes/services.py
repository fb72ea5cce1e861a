"""Every write and transition of the livelihood-project vote (DESIGN.md §6).

The vote's rules (seats, the electorate, the quorum) are copied into the round
when it opens and never read from the rule set again for that round.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Mandate
from deputies.services import ensure_mandate_can
from portal.chinese import validate_mobile
from portal.models import Congress, HandlingUnit, User
from portal.rules import rules_for
from portal.services import (
    DomainError,
    Forbidden,
    TransitionError,
    audit_record,
    sequence_next,
)
from portal.workdays import add_months
from stations.models import Opinion

from .models import (
    Ballot,
    Candidate,
    ChangeRequest,
    DeliberationComment,
    EvaluationParticipation,
    EvaluationRound,
    Idea,
    Participation,
    PhaseEvent,
    Programme,
    ProgressReport,
    Project,
    RoundResult,
    SatisfactionBallot,
    SatisfactionCount,
    SupervisionGroup,
    SupervisionVisit,
    VoteRound,
)

P = Programme.Phase


# --- programme and phases ----------------------------------------------------------


def programme_create(
    *, congress: Congress, year: int, seats: int, actor: User | None = None
) -> Programme:
    """One programme per township congress and year."""
    errors: dict[str, list[str]] = {}
    if congress.level != Congress.Level.TOWNSHIP:
        errors["congress"] = [_("民生实事项目票决制由乡镇人民代表大会实行。")]
    if seats < 1:
        errors["seats"] = [_("票决项目数至少为1。")]
    if Programme.objects.filter(congress=congress, year=year).exists():
        errors["year"] = [
            _("该人大%(year)s年的民生实事项目计划已存在。") % {"year": year}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        programme = Programme.objects.create(
            congress=congress, year=year, seats=seats, region_path=congress.region.path
        )
        PhaseEvent.objects.create(
            programme=programme, to_phase=P.COLLECTING, actor=actor
        )
        audit_record(
            actor=actor,
            action="programme.create",
            target=programme,
            to_state=P.COLLECTING,
            region_path=programme.region_path,
        )
    return programme


def _rounds_locked(programme: Programme) -> bool:
    return programme.rounds.exclude(status=VoteRound.Status.DRAFT).exists()


def programme_set_seats(
    *, programme: Programme, seats: int, actor: User | None = None
) -> Programme:
    """Change the number of seats k — never once a vote round has opened."""
    programme.refresh_from_db()
    if _rounds_locked(programme):
        raise TransitionError(_("票决已开始，规则已锁定，不能再修改票决项目数。"))
    if seats < 1:
        raise DomainError(_("票决项目数至少为1。"), field="seats")
    programme.seats = seats
    programme.save(update_fields=["seats"])
    audit_record(
        actor=actor,
        action="programme.seats",
        target=programme,
        data={"seats": seats},
        region_path=programme.region_path,
    )
    return programme


def _set_phase(programme: Programme, to_phase: str, actor, note: str = "") -> Programme:
    if programme.phase == to_phase:
        return programme
    from_phase = programme.phase
    programme.phase = to_phase
    programme.save(update_fields=["phase"])
    PhaseEvent.objects.create(
        programme=programme,
        from_phase=from_phase,
        to_phase=to_phase,
        actor=actor,
        note=note,
    )
    audit_record(
        actor=actor,
        action="programme.phase",
        target=programme,
        from_state=from_phase,
        to_state=to_phase,
        reason=note,
        region_path=programme.region_path,
    )
    return programme


def programme_advance(
    *, programme: Programme, actor: User | None = None, note: str = ""
) -> Programme:
    """Move to the next phase, with the checks each phase needs."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        order = Programme.PHASES
        index = order.index(programme.phase)
        if index + 1 >= len(order):
            raise TransitionError(_("已归档，没有下一阶段。"))
        target = order[index + 1]
        if target == P.CANDIDATES:
            _check_enough_candidates(programme)
        if target == P.VOTING:
            raise TransitionError(_("请创建票决轮次进入大会票决阶段。"))
        if target == P.IMPLEMENTING:
            raise TransitionError(_("票决结束并确定项目后自动进入实施阶段。"))
        if target == P.EVALUATED:
            raise TransitionError(_("代表测评结束后自动进入测评阶段。"))
        return _set_phase(programme, target, actor, note)


def _check_enough_candidates(programme: Programme) -> None:
    extra = rules_for(programme.congress).livelihood_min_extra_candidates
    count = programme.candidates.count()
    if count < programme.seats + extra:
        raise TransitionError(
            _("候选项目应多于票决项目数（差额），至少需要%(n)s个，目前%(m)s个。")
            % {"n": programme.seats + extra, "m": count}
        )


# --- ideas (群众提) ------------------------------------------------------------------


def idea_submit(
    *,
    programme: Programme,
    title: str,
    description: str,
    location: str = "",
    name: str = "",
    phone: str = "",
    source: str = Idea.Source.PUBLIC,
    mandate: Mandate | None = None,
    ip_address: str | None = None,
) -> Idea:
    """Collect an idea with a tracking code while the programme is collecting."""
    if programme.phase != P.COLLECTING:
        raise TransitionError(_("该年度民生实事项目征集已结束。"))
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写项目名称。")]
    elif len(title.strip()) > 200:
        errors["title"] = [_("项目名称不能超过200个字。")]
    if len((description or "").strip()) < 5:
        errors["description"] = [_("请具体描述项目内容（至少5个字）。")]
    elif len(description) > 2000:
        errors["description"] = [_("项目内容不能超过2000个字。")]
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    number = sequence_next(f"idea:{programme.pk}")
    code = f"MS{programme.year}-{programme.congress.region_id:04d}-{number:04d}"
    return Idea.objects.create(
        programme=programme,
        tracking_code=code,
        source=source,
        title=title.strip(),
        description=description.strip(),
        location=location,
        submitter_name=name,
        submitter_phone=phone,
        mandate=mandate,
        submitted_ip=ip_address,
    )


def idea_from_opinion(
    *, programme: Programme, opinion: Opinion, actor: User | None = None
) -> Idea:
    """Pool an opinion a station triaged as 'pooled' into the programme."""
    if opinion.status != Opinion.Status.POOLED:
        raise DomainError(_("只有已纳入民生实事征集的群众意见可以转为项目建议。"))
    existing = Idea.objects.filter(opinion=opinion).first()
    if existing:
        return existing
    idea = idea_submit(
        programme=programme,
        title=opinion.content[:40],
        description=opinion.content,
        source=Idea.Source.STATION,
    )
    idea.opinion = opinion
    idea.save(update_fields=["opinion"])
    return idea


def idea_screen(
    *, idea: Idea, accept: bool, reason: str = "", actor: User | None = None
) -> Idea:
    """初筛 against the negative list; a rejection records its reason."""
    if idea.programme.phase not in (P.COLLECTING, P.SCREENING):
        raise TransitionError(_("初筛阶段已结束。"))
    if idea.status not in (
        Idea.Status.SUBMITTED,
        Idea.Status.SCREENED_OUT,
        Idea.Status.ACCEPTED,
    ):
        raise TransitionError(_("该项目建议已列为候选项目。"))
    if not accept and not (reason or "").strip():
        raise DomainError(
            _("初筛不通过须写明理由（如属负面清单所列事项）。"), field="reason"
        )
    idea.status = Idea.Status.ACCEPTED if accept else Idea.Status.SCREENED_OUT
    idea.screening_reason = reason.strip()
    idea.save(update_fields=["status", "screening_reason"])
    audit_record(
        actor=actor,
        action="idea.screen",
        target=idea,
        to_state=idea.status,
        reason=reason,
        region_path=idea.programme.region_path,
    )
    return idea


def candidate_create(
    *,
    programme: Programme,
    title: str,
    description: str,
    estimated_cost: Decimal,
    lead_unit: HandlingUnit | None = None,
    idea: Idea | None = None,
    fund_source: str = "",
    land: str = "",
    schedule: str = "",
    responsible_leader: str = "",
    actor: User | None = None,
) -> Candidate:
    """An assessed candidate (论证), entered by staff or promoted from an idea."""
    if _rounds_locked(programme) or programme.phase in (
        P.VOTING,
        P.IMPLEMENTING,
        P.EVALUATED,
        P.ARCHIVED,
    ):
        raise TransitionError(_("票决已开始，不能再增加候选项目。"))
    if estimated_cost is None or Decimal(estimated_cost) <= 0:
        raise DomainError(_("估算投资应大于0（万元）。"), field="estimated_cost")
    if not (title or "").strip():
        raise DomainError(_("请填写项目名称。"), field="title")
    if (
        lead_unit is not None
        and not programme.region_path.startswith(lead_unit.region.path)
        and not lead_unit.region.path.startswith(programme.region_path)
    ):
        raise DomainError(_("责任单位应为本乡镇或上级的单位。"), field="lead_unit")
    if idea is not None and idea.status != Idea.Status.ACCEPTED:
        raise DomainError(_("只有通过初筛的项目建议可以列为候选项目。"), field="idea")
    with transaction.atomic():
        candidate = Candidate.objects.create(
            programme=programme,
            idea=idea,
            title=title.strip(),
            description=description.strip(),
            estimated_cost=estimated_cost,
            lead_unit=lead_unit,
            fund_source=fund_source,
            land=land,
            schedule=schedule,
            responsible_leader=responsible_leader,
            order=programme.candidates.count() + 1,
        )
        if idea is not None:
            idea.status = Idea.Status.CANDIDATE
            idea.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="candidate.create",
            target=candidate,
            region_path=programme.region_path,
        )
    return candidate


def _deputy_mandate(user: User, congress: Congress, action: str) -> Mandate:
    """The user's current mandate in ``congress``; refuse others (403) and inactive ones."""
    mandate = (
        Mandate.objects.current()
        .filter(person__user=user, congress=congress)
        .select_related("person")
        .first()
    )
    if mandate is None:
        raise Forbidden(_("只有本级人民代表大会的代表可以参加。"))
    try:
        ensure_mandate_can(mandate, action)
    except DomainError as exc:
        raise Forbidden(exc.message) from exc
    return mandate


def deliberation_comment(
    *, candidate: Candidate, user: User, text: str
) -> DeliberationComment:
    """代表议: a deputy comments on a candidate, recorded with their group."""
    programme = Programme.objects.select_related("congress").get(
        pk=candidate.programme_id
    )
    if programme.phase not in (P.CANDIDATES, P.DELIBERATION):
        raise TransitionError(_("当前不在代表审议阶段。"))
    if not (text or "").strip():
        raise DomainError(_("请填写审议意见。"), field="text")
    mandate = _deputy_mandate(user, programme.congress, "vote")
    group = mandate.groups.first()
    return DeliberationComment.objects.create(
        candidate=candidate, mandate=mandate, group=group, text=text.strip()
    )


def deliberation_summarise(
    *, programme: Programme, summary: str, actor: User | None = None
) -> Programme:
    programme.deliberation_summary = summary.strip()
    programme.save(update_fields=["deliberation_summary"])
    audit_record(
        actor=actor,
        action="programme.summary",
        target=programme,
        region_path=programme.region_path,
    )
    return programme


# --- the vote (大会决) ---------------------------------------------------------------------


def round_create(
    *, programme: Programme, mode: str, actor: User | None = None
) -> VoteRound:
    """A first vote round over all candidates; moves the programme to voting."""
    if mode not in VoteRound.Mode.values:
        raise DomainError(_("表决方式不正确。"), field="mode")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.rounds.exists():
            raise TransitionError(_("该计划已有票决轮次。"))
        if programme.phase in (P.IMPLEMENTING, P.EVALUATED, P.ARCHIVED):
            raise TransitionError(_("票决已结束。"))
        count = programme.candidates.count()
        if count <= programme.seats:
            raise TransitionError(
                _("候选项目数（%(n)s）应多于票决项目数（%(k)s），才能进行差额票决。")
                % {"n": count, "k": programme.seats}
            )
        if programme.candidates.filter(
            lead_unit__isnull=True
        ).exists() and not _township_government(programme):
            raise DomainError(_("请先为每个候选项目确定责任单位。"))
        vote_round = VoteRound.objects.create(
            programme=programme, number=1, mode=mode, seats=programme.seats
        )
        vote_round.candidates.set(programme.candidates.all())
        _set_phase(programme, P.VOTING, actor)
    return vote_round


def round_open(
    *, vote_round: VoteRound, present: int | None = None, actor: User | None = None
) -> VoteRound:
    """Open the round: count the electorate, check the quorum, lock the rules."""
    with transaction.atomic():
        locked = (
            VoteRound.objects.select_for_update()
            .select_related("programme__congress")
            .get(pk=vote_round.pk)
        )
        if locked.status == VoteRound.Status.OPEN:
            return locked
        if locked.status != VoteRound.Status.DRAFT:
            raise TransitionError(_("该轮票决已结束。"))
        congress = locked.programme.congress
        eligible = Mandate.objects.current().active().filter(congress=congress).count()
        present = eligible if present is None else present
        rules = rules_for(congress)
        num, den = (
            rules.livelihood_quorum_numerator,
            rules.livelihood_quorum_denominator,
        )
        if present > eligible or present < 0:
            raise DomainError(
                _("出席人数不能超过全体代表人数（%(n)s）。") % {"n": eligible},
                field="present",
            )
        if present * den < eligible * num:
            raise TransitionError(
                _(
                    "出席代表%(present)s人，不足全体代表%(eligible)s人的%(num)s/%(den)s，不能进行表决。"
                )
                % {"present": present, "eligible": eligible, "num": num, "den": den}
            )
        locked.eligible, locked.present = eligible, present
        locked.rules = {
            "seats": locked.seats,
            "eligible": eligible,
            "present": present,
            "quorum": f"{num}/{den}",
            "majority": "approvals > eligible / 2",
            "candidates": sorted(locked.candidates.values_list("pk", flat=True)),
        }
        locked.status, locked.opened_at = VoteRound.Status.OPEN, timezone.now()
        locked.save(
            update_fields=["eligible", "present", "rules", "status", "opened_at"]
        )
        audit_record(
            actor=actor,
            action="vote_round.open",
            target=locked,
            to_state="open",
            data=locked.rules,
            region_path=locked.programme.region_path,
        )
    return locked


def ballot_cast(*, vote_round: VoteRound, user: User, approve: list[int]) -> str:
    """Cast one secret ballot; returns the receipt.

    The participation row (who voted) and the ballot (what was chosen, with a
    random key and no time) are written in one transaction; the unique
    participation makes a second ballot impossible.
    """
    with transaction.atomic():
        locked = (
            VoteRound.objects.select_for_update()
            .select_related("programme__congress")
            .get(pk=vote_round.pk)
        )
        if locked.status != VoteRound.Status.OPEN:
            raise TransitionError(_("本轮票决未在进行中。"))
        if locked.mode != VoteRound.Mode.ELECTRONIC:
            raise TransitionError(_("本轮为纸质票表决，不能在线投票。"))
        mandate = _deputy_mandate(user, locked.programme.congress, "vote")
        if len(set(approve)) != len(approve):
            raise DomainError(_("同一候选项目只能标记一次。"), field="approve")
        if len(approve) > locked.seats:
            raise DomainError(
                _("赞成的项目不能超过%(k)s个。") % {"k": locked.seats}, field="approve"
            )
        allowed = set(locked.rules.get("candidates", []))
        if not set(approve) <= allowed:
            raise DomainError(_("选票中有不属于本轮的候选项目。"), field="approve")
        try:
            with transaction.atomic():
                Participation.objects.create(round=locked, mandate=mandate)
        except IntegrityError as exc:
            raise TransitionError(_("您已经投过票，每位代表只能投一张票。")) from exc
        receipt = secrets.token_hex(5).upper()
        Ballot.objects.create(round=locked, approvals=sorted(approve), receipt=receipt)
    return receipt


def paper_counts_enter(
    *,
    vote_round: VoteRound,
    issued: int,
    returned: int,
    valid: int,
    void: int,
    approvals: dict[int, int],
    actor: User | None = None,
) -> VoteRound:
    """Tellers enter a paper round's counts; the portal checks they add up."""
    with transaction.atomic():
        locked = VoteRound.objects.select_for_update().get(pk=vote_round.pk)
        if locked.mode != VoteRound.Mode.PAPER:
            raise TransitionError(_("本轮为电子表决，不能录入纸质票数。"))
        if locked.status != VoteRound.Status.OPEN:
            raise TransitionError(_("只能在本轮票决进行中录入计票结果。"))
        errors: dict[str, list[str]] = {}
        if issued > locked.present:
            errors["issued"] = [
                _("发出选票数不能超过出席代表人数（%(n)s）。") % {"n": locked.present}
            ]
        if returned > issued:
            errors["returned"] = [_("收回选票数不能多于发出选票数。")]
        if valid + void != returned:
            errors["valid"] = [_("有效票与无效票之和应等于收回选票数。")]
        candidate_ids = set(locked.rules.get("candidates", []))
        if set(approvals) != candidate_ids:
            errors["approvals"] = [_("请录入本轮每个候选项目的赞成票数。")]
        elif any(n < 0 or n > valid for n in approvals.values()):
            errors["approvals"] = [_("每个项目的赞成票不能超过有效票数。")]
        elif sum(approvals.values()) > valid * locked.seats:
            errors["approvals"] = [_("赞成票总数不能超过有效票数乘以应选项目数。")]
        if errors:
            raise ValidationError(errors)
        locked.ballots_issued, locked.ballots_returned = issued, returned
        locked.ballots_valid, locked.ballots_void = valid, void
        locked.save(
            update_fields=[
                "ballots_issued",
                "ballots_returned",
                "ballots_valid",
                "ballots_void",
            ]
        )
        RoundResult.objects.filter(round=locked).delete()
        RoundResult.objects.bulk_create(
            [
                RoundResult(round=locked, candidate_id=c, approvals=n)
                for c, n in approvals.items()
            ]
        )
        audit_record(
            actor=actor,
            action="vote_round.paper_counts",
            target=locked,
            data={
                "issued": issued,
                "returned": returned,
                "valid": valid,
                "void": void,
                "approvals": {str(k): v for k, v in approvals.items()},
            },
            region_path=locked.programme.region_path,
        )
    return locked


def round_close(*, vote_round: VoteRound, actor: User | None = None) -> VoteRound:
    """Close the round and decide: selected when approvals exceed half of ALL
    deputies and rank within k; a tie at the cut-off opens a second round on the
    tied candidates only; the others go to the reserve pool."""
    with transaction.atomic():
        locked = (
            VoteRound.objects.select_for_update()
            .select_related("programme__congress")
            .get(pk=vote_round.pk)
        )
        if locked.status == VoteRound.Status.CLOSED:
            return locked
        if locked.status != VoteRound.Status.OPEN:
            raise TransitionError(_("本轮票决尚未开始。"))
        if locked.mode == VoteRound.Mode.ELECTRONIC:
            ballots = list(locked.ballots.values_list("approvals", flat=True))
            if len(ballots) != locked.participations.count():
                raise DomainError(_("选票数与投票人数不一致，请核查。"))
            counts = Counter(c for approvals in ballots for c in approvals)
            RoundResult.objects.bulk_create(
                [
                    RoundResult(
                        round=locked, candidate_id=c, approvals=counts.get(c, 0)
                    )
                    for c in locked.rules["candidates"]
                ]
            )
        elif locked.ballots_returned is None:
            raise DomainError(_("请先录入纸质票计票结果。"))
        locked.status, locked.closed_at = VoteRound.Status.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _decide(locked, actor)
        audit_record(
            actor=actor,
            action="vote_round.close",
            target=locked,
            from_state="open",
            to_state="closed",
            region_path=locked.programme.region_path,
        )
    return locked


def _decide(vote_round: VoteRound, actor) -> None:
    results = list(
        vote_round.results.select_related("candidate").order_by(
            "-approvals", "candidate__order"
        )
    )
    eligible, seats = vote_round.eligible, vote_round.seats
    qualified = [r for r in results if r.approvals * 2 > eligible]
    selected: list[RoundResult] = []
    tied: list[RoundResult] = []
    if len(qualified) <= seats:
        selected = qualified
    else:
        cutoff = qualified[seats - 1].approvals
        above = [r for r in qualified if r.approvals > cutoff]
        at_cutoff = [r for r in qualified if r.approvals == cutoff]
        if len(above) + len(at_cutoff) == seats:
            selected = qualified[:seats]
        else:
            selected, tied = above, at_cutoff
    for result in selected:
        result.selected = True
    for result in tied:
        result.tied = True
    RoundResult.objects.bulk_update(results, ["selected", "tied"])
    programme = vote_round.programme
    Candidate.objects.filter(pk__in=[r.candidate_id for r in selected]).update(
        status=Candidate.Status.SELECTED
    )
    if tied:
        next_round = VoteRound.objects.create(
            programme=programme,
            number=vote_round.number + 1,
            mode=vote_round.mode,
            seats=seats - len(selected),
        )
        next_round.candidates.set([r.candidate_id for r in tied])
        return
    Candidate.objects.filter(programme=programme).exclude(
        status=Candidate.Status.SELECTED
    ).update(status=Candidate.Status.RESERVE)
    _start_projects(programme, actor)


def _township_government(programme: Programme) -> HandlingUnit | None:
    return HandlingUnit.objects.filter(
        region_id=programme.congress.region_id,
        kind=HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
    ).first()


def _start_projects(programme: Programme, actor) -> None:
    plan_due = add_months(timezone.localdate(), 1)
    township_gov = _township_government(programme)
    for candidate in programme.candidates.filter(
        status=Candidate.Status.SELECTED
    ).select_related("lead_unit"):
        unit = candidate.lead_unit or township_gov
        if unit is None:
            raise DomainError(
                _("项目“%(title)s”没有责任单位。") % {"title": candidate.title}
            )
        Project.objects.get_or_create(
            candidate=candidate,
            defaults={
                "programme": programme,
                "implementing_unit": unit,
                "plan_due": plan_due,
                "budget": candidate.estimated_cost,
                "region_path": programme.region_path,
            },
        )
    _set_phase(programme, P.IMPLEMENTING, actor, _("票决结束，进入实施"))


def round_results(vote_round: VoteRound) -> dict[str, Any]:
    """The published result of a closed round (API.md field names)."""
    vote_round.refresh_from_db()
    if vote_round.status != VoteRound.Status.CLOSED:
        raise TransitionError(_("票决结束后才能查看结果。"))
    electronic = vote_round.mode == VoteRound.Mode.ELECTRONIC
    ballots = vote_round.ballots.count() if electronic else vote_round.ballots_returned
    return {
        "eligible": vote_round.eligible,
        "present": vote_round.present,
        "participated": vote_round.participations.count()
        if electronic
        else vote_round.ballots_returned,
        "ballots": ballots,
        "void": 0 if electronic else vote_round.ballots_void,
        "seats": vote_round.seats,
        "candidates": [
            {
                "candidate": r.candidate_id,
                "title": r.candidate.title,
                "approvals": r.approvals,
                "selected": r.selected,
                "tied": r.tied,
            }
            for r in vote_round.results.select_related("candidate").order_by(
                "-approvals", "candidate__order"
            )
        ],
    }


# --- implementation (政府办) and supervision (人大督) ------------------------------------


def project_submit_plan(
    *,
    project: Project,
    plan: str,
    start_date: date,
    planned_end: date,
    actor: User | None = None,
) -> Project:
    if project.status in (Project.Status.COMPLETED, Project.Status.TERMINATED):
        raise TransitionError(_("项目已完成或已终止，不能再修改实施计划。"))
    if not (plan or "").strip():
        raise DomainError(_("请填写实施计划。"), field="plan")
    if planned_end <= start_date:
        raise DomainError(_("计划完成日期应晚于开工日期。"), field="planned_end")
    project.plan, project.start_date, project.planned_end = (
        plan.strip(),
        start_date,
        planned_end,
    )
    project.plan_submitted_at = timezone.now()
    project.status = Project.Status.IMPLEMENTING
    project.save(
        update_fields=[
            "plan",
            "start_date",
            "planned_end",
            "plan_submitted_at",
            "status",
        ]
    )
    audit_record(
        actor=actor,
        action="project.plan",
        target=project,
        to_state=project.status,
        region_path=project.region_path,
    )
    return project


def progress_report(
    *,
    project: Project,
    date: date,
    progress: int,
    money_paid: Decimal,
    note: str,
    photo=None,
    actor: User | None = None,
) -> ProgressReport:
    """A monthly progress report: percent done and money paid (万元)."""
    if project.status in (Project.Status.TERMINATED,):
        raise TransitionError(_("项目已终止。"))
    if project.plan_submitted_at is None:
        raise TransitionError(_("请先提交实施计划。"))
    if not 0 <= progress <= 100:
        raise DomainError(_("进度应在0到100之间。"), field="progress")
    if money_paid < 0:
        raise DomainError(_("拨付金额不能为负数。"), field="money_paid")
    with transaction.atomic():
        report = ProgressReport.objects.create(
            project=project,
            date=date,
            progress=progress,
            money_paid=money_paid,
            note=note,
            photo=photo or "",
            reported_by=actor,
        )
        project.progress, project.money_paid = progress, money_paid
        if progress == 100:
            project.status = Project.Status.COMPLETED
        project.save(update_fields=["progress", "money_paid", "status"])
    return report


def change_request_create(
    *,
    project: Project,
    kind: str,
    reason: str,
    proposed_change: str = "",
    actor: User | None = None,
) -> ChangeRequest:
    """Changes and termination need the presidium's consent."""
    if kind not in ChangeRequest.Kind.values:
        raise DomainError(_("申请类型不正确。"), field="kind")
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。"), field="reason")
    if project.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
        raise TransitionError(_("已有待主席团审议的申请。"))
    return ChangeRequest.objects.create(
        project=project,
        kind=kind,
        reason=reason.strip(),
        proposed_change=proposed_change,
        requested_by=actor,
    )


def change_request_decide(
    *, request: ChangeRequest, consent: bool, actor: User | None = None
) -> ChangeRequest:
    if request.status != ChangeRequest.Status.PENDING:
        raise TransitionError(_("该申请已审议。"))
    with transaction.atomic():
        request.status = (
            ChangeRequest.Status.CONSENTED if consent else ChangeRequest.Status.REFUSED
        )
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        project = request.project
        if consent and request.kind == ChangeRequest.Kind.TERMINATE:
            project.status = Project.Status.TERMINATED
            project.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="project.change_decide",
            target=project,
            to_state=request.status,
            reason=request.reason,
            region_path=project.region_path,
        )
    return request


def progress_flag(project: Project, today: date) -> str:
    """red / amber / green: progress against the time elapsed in the plan."""
    if project.status in (Project.Status.COMPLETED, Project.Status.TERMINATED):
        return "green" if project.status == Project.Status.COMPLETED else "red"
    if project.plan_submitted_at is None:
        return "red" if today > project.plan_due else "amber"
    if today > project.planned_end:
        return "red"
    total = (project.planned_end - project.start_date).days or 1
    expected = max(0, min(100, 100 * (today - project.start_date).days / total))
    behind = expected - project.progress
    if behind > 30:
        return "red"
    if behind > 10:
        return "amber"
    return "green"


def supervision_group_create(
    *,
    programme: Programme,
    name: str,
    members: list[Mandate],
    projects: list[Project],
    actor: User | None = None,
) -> SupervisionGroup:
    group = SupervisionGroup.objects.create(programme=programme, name=name.strip())
    group.members.set(members)
    group.projects.set(projects)
    return group


def supervision_visit_record(
    *,
    project: Project,
    date: date,
    findings: str,
    suggestion: str = "",
    group: SupervisionGroup | None = None,
    actor: User | None = None,
) -> SupervisionVisit:
    if not (findings or "").strip():
        raise DomainError(_("请填写视察发现的情况。"), field="findings")
    visit = SupervisionVisit.objects.create(
        project=project,
        group=group,
        date=date,
        findings=findings.strip(),
        suggestion=suggestion.strip(),
    )
    audit_record(
        actor=actor,
        action="project.visit",
        target=project,
        region_path=project.region_path,
    )
    return visit


def supervision_visit_answer(
    *, visit: SupervisionVisit, answer: str, actor: User | None = None
) -> SupervisionVisit:
    if not (answer or "").strip():
        raise DomainError(_("请填写回复。"), field="answer")
    visit.answer, visit.answered_at = answer.strip(), timezone.now()
    visit.save(update_fields=["answer", "answered_at"])
    return visit


# --- evaluation (代表评) --------------------------------------------------------------------


def evaluation_open(
    *, programme: Programme, mode: str, actor: User | None = None
) -> EvaluationRound:
    """Open the deputies' satisfaction vote on this programme's projects."""
    programme.refresh_from_db()
    if mode not in VoteRound.Mode.values:
        raise DomainError(_("测评方式不正确。"), field="mode")
    if programme.phase != P.IMPLEMENTING:
        raise TransitionError(_("项目实施阶段才能组织代表测评。"))
    if hasattr(programme, "evaluation_round"):
        raise TransitionError(_("该计划已组织过代表测评。"))
    eligible = (
        Mandate.objects.current().active().filter(congress=programme.congress).count()
    )
    return EvaluationRound.objects.create(
        programme=programme, mode=mode, eligible=eligible
    )


def evaluation_cast(
    *, evaluation: EvaluationRound, user: User, choices: dict[int, str]
) -> None:
    """One secret rating per project; the participation proves who took part."""
    with transaction.atomic():
        locked = (
            EvaluationRound.objects.select_for_update()
            .select_related("programme__congress")
            .get(pk=evaluation.pk)
        )
        if (
            locked.status != EvaluationRound.Status.OPEN
            or locked.mode != VoteRound.Mode.ELECTRONIC
        ):
            raise TransitionError(_("测评未在进行中。"))
        mandate = _deputy_mandate(user, locked.programme.congress, "vote")
        project_ids = set(locked.programme.projects.values_list("pk", flat=True))
        if set(choices) != project_ids:
            raise DomainError(_("请对每个项目作出评价。"), field="choices")
        if any(c not in SatisfactionBallot.Choice.values for c in choices.values()):
            raise DomainError(_("评价结果不正确。"), field="choices")
        try:
            with transaction.atomic():
                EvaluationParticipation.objects.create(round=locked, mandate=mandate)
        except IntegrityError as exc:
            raise TransitionError(_("您已经参加过本次测评。")) from exc
        SatisfactionBallot.objects.bulk_create(
            [
                SatisfactionBallot(round=locked, project_id=p, choice=c)
                for p, c in choices.items()
            ]
        )


def evaluation_enter_paper(
    *,
    evaluation: EvaluationRound,
    counts: dict[int, tuple[int, int, int]],
    actor: User | None = None,
) -> None:
    if evaluation.mode != VoteRound.Mode.PAPER:
        raise TransitionError(_("本次为电子测评。"))
    if evaluation.status != EvaluationRound.Status.OPEN:
        raise TransitionError(_("测评已结束，不能再录入票数。"))
    for project_id, (s, b, d) in counts.items():
        if s + b + d > evaluation.eligible:
            raise DomainError(_("测评票总数不能超过全体代表人数。"), field="counts")
        SatisfactionCount.objects.update_or_create(
            round=evaluation,
            project_id=project_id,
            defaults={"satisfied": s, "basically_satisfied": b, "dissatisfied": d},
        )


def grade(satisfied: int, basically: int, eligible: int) -> str:
    """满意 if 满意 > half of all deputies; 基本满意 if 满意+基本满意 > half; else 不满意."""
    if satisfied * 2 > eligible:
        return "satisfied"
    if (satisfied + basically) * 2 > eligible:
        return "basically_satisfied"
    return "dissatisfied"


def evaluation_close(
    *, evaluation: EvaluationRound, actor: User | None = None
) -> EvaluationRound:
    with transaction.atomic():
        locked = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status == EvaluationRound.Status.CLOSED:
            return locked
        if locked.mode == VoteRound.Mode.ELECTRONIC:
            tallies: dict[int, Counter] = {}
            for project_id, choice in locked.ballots.values_list(
                "project_id", "choice"
            ):
                tallies.setdefault(project_id, Counter())[choice] += 1
            for project_id in locked.programme.projects.values_list("pk", flat=True):
                t = tallies.get(project_id, Counter())
                SatisfactionCount.objects.update_or_create(
                    round=locked,
                    project_id=project_id,
                    defaults={
                        "satisfied": t["satisfied"],
                        "basically_satisfied": t["basically_satisfied"],
                        "dissatisfied": t["dissatisfied"],
                    },
                )
        for count in locked.counts.select_related("project"):
            project = count.project
            project.grade = grade(
                count.satisfied, count.basically_satisfied, locked.eligible
            )
            project.save(update_fields=["grade"])
        locked.status, locked.closed_at = EvaluationRound.Status.CLOSED, timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        _set_phase(locked.programme, P.EVALUATED, actor, _("代表测评结束"))
    return locked


def project_rectify(
    *, project: Project, explanation: str, due: date, actor: User | None = None
) -> Project:
    """不满意: a written explanation and a rectification deadline; the project carries over."""
    if project.grade != "dissatisfied":
        raise DomainError(_("只有测评不满意的项目需要整改。"))
    if not (explanation or "").strip():
        raise DomainError(_("请填写书面说明。"), field="explanation")
    if due <= timezone.localdate():
        raise DomainError(_("整改期限应晚于今天。"), field="due")
    project.grade_explanation, project.rectification_due, project.carried_over = (
        explanation.strip(),
        due,
        True,
    )
    project.save(
        update_fields=["grade_explanation", "rectification_due", "carried_over"]
    )
    audit_record(
        actor=actor,
        action="project.rectify",
        target=project,
        region_path=project.region_path,
    )
    return project
