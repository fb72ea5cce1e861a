"""The vote (大会决): rounds, the secret electronic ballot, paper counts, the
decision at close and the projects it starts.

The vote's rules (seats, the electorate, the quorum) are copied into the round
when it opens and never read from the rule set again for that round.
"""

from __future__ import annotations

import secrets
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Mandate
from portal.models import User
from portal.rules import rules_for
from portal.services import (
    DomainError,
    Forbidden,
    TransitionError,
    audit_record,
)
from portal.workdays import add_months

from ..models import (
    Ballot,
    Candidate,
    Participation,
    Programme,
    Project,
    RoundAttendance,
    RoundResult,
    VoteRound,
)
from ..secrecy import shuffle_round
from ..selectors.common import majority_base_of
from .common import (
    _base_count,
    _check_in,
    _deputy_mandate,
    _new_check_in_code,
    _quorum,
    _record_attendance,
    _set_phase,
    _township_government,
)

P = Programme.Phase


def round_create(*, programme: Programme, mode: str, actor: User | None) -> VoteRound:
    """A vote round. The first one needs the published candidates and the
    deliberation step (代表议) behind it and moves the programme to voting; a
    further one (seats left unfilled) runs on the candidates not yet selected."""
    if mode not in VoteRound.Mode.values:
        raise DomainError(_("表决方式不正确。"), field="mode")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.phase in Programme.AFTER_VOTE_PHASES:
            raise TransitionError(_("票决已结束。"))
        if programme.phase not in (P.DELIBERATION, P.VOTING):
            raise TransitionError(
                _("当前阶段为“%(phase)s”：候选项目须先公布并经代表审议，才能进行票决。")
                % {"phase": programme.get_phase_display()}
            )
        rounds = list(programme.rounds.order_by("number"))
        if any(r.status != VoteRound.Status.CLOSED for r in rounds):
            raise TransitionError(_("上一轮票决尚未结束。"))
        if not rounds:
            candidates = list(programme.candidates.all())
            seats = programme.seats
            count = len(candidates)
            if count <= seats:
                raise TransitionError(
                    _(
                        "候选项目数（%(n)s）应多于票决项目数（%(k)s），"
                        "才能进行差额票决。"
                    )
                    % {"n": count, "k": seats}
                )
        else:
            limit = rules_for(programme.congress).livelihood_max_rounds
            if len(rounds) >= limit:
                raise TransitionError(
                    _("已进行%(n)s轮票决，达到议事规则允许的最多轮次。")
                    % {"n": len(rounds)}
                )
            selected = programme.candidates.filter(status=Candidate.Status.SELECTED)
            seats = programme.seats - selected.count()
            if seats <= 0:
                raise TransitionError(_("票决项目已全部产生，无需再次表决。"))
            candidates = list(
                programme.candidates.exclude(status=Candidate.Status.SELECTED)
            )
            if not candidates:
                raise TransitionError(_("没有可再次表决的候选项目。"))
        if any(c.lead_unit_id is None for c in candidates) and not (
            _township_government(programme)
        ):
            raise DomainError(_("请先为每个候选项目确定责任单位。"))
        vote_round = VoteRound.objects.create(
            programme=programme,
            number=len(rounds) + 1,
            mode=mode,
            seats=seats,
            check_in_code=_new_check_in_code(),
        )
        vote_round.candidates.set(candidates)
        if rounds:
            _carry_attendance(rounds[-1], vote_round)
        _set_phase(programme, P.VOTING, actor)
    return vote_round


def _carry_attendance(previous: VoteRound, new: VoteRound) -> None:
    """A further round is held in the same sitting: whoever signed in stays signed in."""
    RoundAttendance.objects.bulk_create(
        [
            RoundAttendance(round=new, mandate_id=a.mandate_id, method=a.method)
            for a in previous.attendances.all()
        ],
        ignore_conflicts=True,
    )


def _lock_round(vote_round: VoteRound) -> VoteRound:
    # FOR UPDATE OF the round only: a plain FOR UPDATE over the join locked the
    # programme's and the congress's rows too, for every ballot.
    return (
        VoteRound.objects.select_for_update(of=("self",))
        .select_related("programme__congress")
        .get(pk=vote_round.pk)
    )


def round_attendance_record(
    *, vote_round: VoteRound, mandates: list[Mandate], actor: User | None
) -> int:
    """签到 by staff: these deputies are present (idempotent); returns how many
    are signed in now. Only deputies of the round's congress with an active
    mandate can be signed in."""
    with transaction.atomic():
        locked = _lock_round(vote_round)
        if locked.status == VoteRound.Status.CLOSED:
            raise TransitionError(_("本轮票决已结束，不能再签到。"))
        count = _record_attendance(
            attendance_model=RoundAttendance,
            session=locked,
            programme=locked.programme,
            mandates=mandates,
        )
        audit_record(
            actor=actor,
            action="vote_round.attendance",
            target=locked,
            data={"mandates": sorted(m.pk for m in mandates)},
            region_path=locked.programme.region_path,
        )
        return count


def round_check_in(*, vote_round: VoteRound, code: str, actor: User) -> bool:
    """A deputy signs in with the code shown on the hall screen. Returns False
    when already signed in (idempotent), True when signed in now."""
    with transaction.atomic():
        locked = _lock_round(vote_round)
        if locked.status == VoteRound.Status.CLOSED:
            raise TransitionError(_("本轮票决已结束，不能再签到。"))
        mandate = _deputy_mandate(actor, locked.programme.congress, "vote")
        return _check_in(
            attendance_model=RoundAttendance, session=locked, mandate=mandate, code=code
        )


def round_open(*, vote_round: VoteRound, actor: User | None) -> VoteRound:
    """Open the round: count the electorate and the signed-in deputies, check the
    quorum (from the sign-in, never typed), lock the rules."""
    with transaction.atomic():
        locked = _lock_round(vote_round)
        if locked.status == VoteRound.Status.OPEN:
            return locked
        if locked.status != VoteRound.Status.DRAFT:
            raise TransitionError(_("该轮票决已结束。"))
        counted = _quorum(
            attendance_model=RoundAttendance,
            session=locked,
            programme=locked.programme,
            refusal=_(
                "已签到代表%(present)s人，不足全体代表%(eligible)s人的"
                "%(num)s/%(den)s，不能进行表决。"
            ),
        )
        eligible, present = counted["eligible"], counted["present"]
        majority_base = counted["rules"].livelihood_majority_base
        locked.eligible, locked.present = eligible, present
        # The rules this round is decided by, whatever the rule set says later.
        locked.rules = {
            "seats": locked.seats,
            "eligible": eligible,
            "present": present,
            "quorum": counted["quorum"],
            "majority_base": majority_base,
            "majority": _base_count(majority_base, eligible=eligible, present=present),
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


def ballot_cast(*, vote_round: VoteRound, actor: User, approve: list[int]) -> str:
    """Cast one secret ballot; returns the receipt.

    The participation row (who voted) and the ballot (what was chosen, with a
    random key, no time, no deputy) are written in one transaction; the unique
    participation makes a second ballot impossible. Nothing else is written:
    no audit row, notification or task (docs/ballot-secrecy.md). Only a deputy
    signed in for the round may vote, so ballots never exceed the sign-in.
    """
    with transaction.atomic():
        locked = _lock_round(vote_round)
        if locked.status != VoteRound.Status.OPEN:
            raise TransitionError(_("本轮票决未在进行中。"))
        if locked.mode != VoteRound.Mode.ELECTRONIC:
            raise TransitionError(_("本轮为纸质票表决，不能在线投票。"))
        mandate = _deputy_mandate(actor, locked.programme.congress, "vote")
        if not RoundAttendance.objects.filter(round=locked, mandate=mandate).exists():
            raise Forbidden(
                _("您尚未签到。请在会场签到（输入大屏上的签到码）后再投票。")
            )
        if len(set(approve)) != len(approve):
            raise DomainError(_("同一候选项目只能标记一次。"), field="approve")
        if len(approve) > locked.seats:
            raise DomainError(
                _("赞成的项目不能超过%(k)s个。") % {"k": locked.seats}, field="approve"
            )
        allowed = set(locked.rules.get("candidates", []))
        if not set(approve) <= allowed:
            raise DomainError(_("选票中有不属于本轮的候选项目。"), field="approve")
        _check_budget(locked, approve)
        try:
            with transaction.atomic():
                Participation.objects.create(round=locked, mandate=mandate)
        except IntegrityError as exc:
            raise TransitionError(_("您已经投过票，每位代表只能投一张票。")) from exc
        receipt = secrets.token_hex(5).upper()
        Ballot.objects.create(round=locked, approvals=sorted(approve), receipt=receipt)
    return receipt


def _check_budget(vote_round: VoteRound, approve: list[int]) -> None:
    """票决事和配置钱: refuse a ballot whose approved projects cost more than the
    money left for this round, when the rule says so (else the page warns)."""
    programme = vote_round.programme
    if programme.budget is None or not approve:
        return
    if not rules_for(programme.congress).livelihood_refuse_over_budget:
        return
    committed = sum(
        c.estimated_cost
        for c in programme.candidates.filter(status=Candidate.Status.SELECTED)
    )
    cost = sum(c.estimated_cost for c in programme.candidates.filter(pk__in=approve))
    available = programme.budget - committed
    if cost > available:
        raise DomainError(
            _(
                "所选项目估算投资合计%(cost)s万元，超出可用资金%(available)s万元，"
                "请减少赞成的项目。"
            )
            % {"cost": cost, "available": available},
            field="approve",
        )


def paper_counts_enter(
    *,
    vote_round: VoteRound,
    issued: int,
    returned: int,
    valid: int,
    void: int,
    approvals: dict[int, int],
    actor: User | None,
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


def round_close(*, vote_round: VoteRound, actor: User | None) -> VoteRound:
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
            shuffle_round(
                ballot_model=Ballot,
                participation_model=Participation,
                round_field="round",
                round_obj=locked,
                ballot_fields=("approvals", "receipt"),
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
    seats = vote_round.seats
    qualified = [r for r in results if r.approvals * 2 > majority_base_of(vote_round)]
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
    # The phase may change below: hold the programme's lock too.
    programme = Programme.objects.select_for_update().get(pk=vote_round.programme_id)
    Candidate.objects.filter(pk__in=[r.candidate_id for r in selected]).update(
        status=Candidate.Status.SELECTED
    )
    if tied:
        next_round = VoteRound.objects.create(
            programme=programme,
            number=vote_round.number + 1,
            mode=vote_round.mode,
            seats=seats - len(selected),
            check_in_code=_new_check_in_code(),
        )
        next_round.candidates.set([r.candidate_id for r in tied])
        _carry_attendance(vote_round, next_round)
        return
    if len(selected) < seats:
        # Seats unfilled (too few approvals exceed half of all deputies): the
        # programme stays in voting. Staff hold a further round on the remaining
        # candidates (round_create) or conclude with what was selected
        # (programme_conclude_vote); never implementation with 0 projects.
        return
    _finish_vote(programme, actor)


def _finish_vote(programme: Programme, actor) -> None:
    Candidate.objects.filter(programme=programme).exclude(
        status=Candidate.Status.SELECTED
    ).update(status=Candidate.Status.RESERVE)
    _start_projects(programme, actor)


def programme_conclude_vote(*, programme: Programme, actor: User | None) -> Programme:
    """End the vote with the projects selected so far (seats left unfilled); the
    other candidates go to the reserve pool. Refused with no project selected."""
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        if locked.phase != P.VOTING:
            raise TransitionError(_("只有在大会票决阶段才能结束票决。"))
        if locked.rounds.exclude(status=VoteRound.Status.CLOSED).exists():
            raise TransitionError(_("还有未结束的票决轮次。"))
        if not locked.candidates.filter(status=Candidate.Status.SELECTED).exists():
            raise TransitionError(
                _("尚无项目获得全体代表过半数赞成，不能结束票决；请再次表决。")
            )
        _finish_vote(locked, actor)
        locked.refresh_from_db()
    return locked


def _start_projects(programme: Programme, actor) -> None:
    rules = rules_for(programme.congress)
    plan_due = add_months(timezone.localdate(), rules.livelihood_plan_due_months)
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
                "flag_amber_points": rules.livelihood_progress_amber_points,
                "flag_red_points": rules.livelihood_progress_red_points,
                "region_path": programme.region_path,
            },
        )
    _set_phase(programme, P.IMPLEMENTING, actor, _("票决结束，进入实施"))
