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
    RoundResult,
    VoteRound,
)
from .common import _deputy_mandate, _set_phase, _township_government

P = Programme.Phase


def round_create(*, programme: Programme, mode: str, actor: User | None) -> VoteRound:
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
    *, vote_round: VoteRound, present: int | None = None, actor: User | None
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


def ballot_cast(*, vote_round: VoteRound, actor: User, approve: list[int]) -> str:
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
        mandate = _deputy_mandate(actor, locked.programme.congress, "vote")
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
