"""Evaluation (评, against "被满意"): the deputies' ratings and what they decide,
commitments tracked until done, and the staff's callbacks."""

from __future__ import annotations

import random
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Mandate
from portal.models import User
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record
from portal.workdays import add_months

from ..models import Commitment, Evaluation, Suggestion
from ..policies import may_rate
from .common import A, S, _event, _lock, _move, _notify, _unit_users


def suggestion_evaluate(
    *,
    suggestion: Suggestion,
    actor: User,
    result: str,
    attitude: str,
    comment: str = "",
    today: date | None = None,
) -> Evaluation:
    """The deputy rates result and attitude; nobody can change it afterwards.

    The lead's rating decides: satisfied → closed (A, D) or tracking (B, C with open
    commitments); dissatisfied → rehandling within 1 month, at most 2 rounds (rule),
    then closed with the flag for congress supervision.
    """
    today = today or timezone.localdate()
    ratings = Evaluation.Rating.values
    errors = {
        f: v
        for f, v in (("result", result), ("attitude", attitude))
        if v not in ratings
    }
    if errors:
        raise DomainError(_("评价结果不正确。"), field=next(iter(errors)))
    mandate = Mandate.objects.filter(
        person__user=actor,
        pk__in=[
            suggestion.lead_id,
            *suggestion.cosigners.values_list("mandate_id", flat=True),
        ],
    ).first()
    if mandate is None or not may_rate(suggestion, mandate):
        raise DomainError(_("只有领衔代表本人可以评价办理结果。"))
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status != S.REPLIED:
            raise TransitionError(
                _("该议案建议当前状态为“%(status)s”，不能评价。")
                % {"status": locked.get_status_display()}
            )
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    suggestion=locked,
                    round=locked.round,
                    mandate=mandate,
                    result=result,
                    attitude=attitude,
                    comment=comment,
                )
        except IntegrityError as exc:
            raise TransitionError(_("本轮已评价，评价提交后不能修改。")) from exc
        _event(
            locked,
            "evaluate",
            actor,
            note=f"{Evaluation.Rating(result).label}/{Evaluation.Rating(attitude).label}",
        )
        if mandate.pk == locked.lead_id:
            _apply_lead_rating(locked, result, actor, today)
    return evaluation


def _apply_lead_rating(
    suggestion: Suggestion, result: str, actor: User, today: date
) -> None:
    rules = rules_for(suggestion.congress)
    if result == Evaluation.Rating.DISSATISFIED:
        if suggestion.round < rules.evaluation_max_rounds:
            due = add_months(today, rules.rehandling_due_months)
            next_round = suggestion.round + 1
            now = timezone.now()
            suggestion.assignments.live().filter(
                role__in=["lead", "split", "co"]
            ).update(
                status=A.ACCEPTED,
                due_date=due,
                round=next_round,
                round_started_at=now,
                replied_at=None,
            )
            _move(suggestion, S.REHANDLING, actor, action="rehandle", round=next_round)
            assignments = list(suggestion.assignments.live().select_related("unit"))

            def notify_units() -> None:
                for a in assignments:
                    _notify(
                        _unit_users(a.unit),
                        kind="assignment.rehandling",
                        key=f"rehandling:{a.pk}:{next_round}",
                        title=_("代表对答复不满意，请于%(due)s前重新办理：%(title)s")
                        % {"due": due.isoformat(), "title": suggestion.title},
                        target=a,
                    )

            transaction.on_commit(notify_units)
        else:
            _move(
                suggestion,
                S.CLOSED,
                actor,
                action="close",
                closed_at=timezone.now(),
                needs_supervision=True,
                note=_("连续%(n)s轮不满意，转人大督办") % {"n": suggestion.round},
            )
        return
    open_commitments = Commitment.objects.filter(
        reply__assignment__suggestion=suggestion,
        reply__round=suggestion.round,
        status="pending",
    ).exists()
    if open_commitments:
        _move(suggestion, S.TRACKING, actor, action="tracking")
    else:
        _move(suggestion, S.CLOSED, actor, action="close", closed_at=timezone.now())


def commitment_complete(
    *, commitment: Commitment, note: str = "", actor: User | None
) -> Commitment:
    """Mark a commitment done; the suggestion closes when none is left open."""
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update()
            .select_related("reply__assignment__suggestion")
            .get(pk=commitment.pk)
        )
        if commitment.status == Commitment.Status.DONE:
            return commitment
        commitment.status, commitment.done_at, commitment.done_note = (
            Commitment.Status.DONE,
            timezone.now(),
            note,
        )
        commitment.save(update_fields=["status", "done_at", "done_note"])
        suggestion = _lock(commitment.reply.assignment.suggestion)
        _event(suggestion, "commitment_done", actor, note=commitment.text)
        if (
            suggestion.status == S.TRACKING
            and not Commitment.objects.filter(
                reply__assignment__suggestion=suggestion, status="pending"
            ).exists()
        ):
            _move(suggestion, S.CLOSED, actor, action="close", closed_at=timezone.now())
    return commitment


def evaluations_sample_for_callback(
    *,
    congress,
    year: int,
    size: int,
    actor: User | None,
    seed: int | None = None,
) -> list[Evaluation]:
    """Flag a random sample of 'satisfied' ratings for a staff callback (回访)."""
    candidates = list(
        Evaluation.objects.filter(
            suggestion__congress=congress,
            suggestion__year=year,
            result__in=["satisfied", "basically_satisfied"],
            callback_flagged=False,
        ).values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(candidates, min(size, len(candidates)))  # noqa: S311 - sampling, not security
    Evaluation.objects.filter(pk__in=chosen).update(callback_flagged=True)
    audit_record(
        actor=actor,
        action="evaluation.sample",
        data={"ids": chosen, "year": year},
        region_path=congress.region.path,
    )
    return list(Evaluation.objects.filter(pk__in=chosen))


def evaluation_record_callback(
    *, evaluation: Evaluation, note: str, actor: User | None
) -> Evaluation:
    """Record what the deputy said on the callback (the rating itself never changes)."""
    if not evaluation.callback_flagged:
        raise DomainError(_("该评价未被抽查回访。"))
    evaluation.callback_note = note
    evaluation.save(update_fields=["callback_note"])
    _event(evaluation.suggestion, "callback", actor, note=note, internal=True)
    return evaluation
