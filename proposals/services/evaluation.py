"""Evaluation (评, against "被满意"): the deputies' ratings and what they decide,
commitments tracked until done, and the staff's callbacks with what they find
(a deputy not really satisfied: the item may be reopened for rehandling)."""

from __future__ import annotations

import random
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.models import Mandate
from deputies.services import ensure_mandate_can, ledger_record, ledger_revoke
from portal.models import User
from portal.notification_text import Message
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record
from portal.workdays import add_months

from .. import categories
from ..models import Commitment, Evaluation, Reply, Suggestion
from ..policies import REOPENABLE, may_rate, rated_round, rating_mandate
from .common import (
    RATING_TASK_KINDS,
    A,
    S,
    _event,
    _lock,
    _move,
    _notify,
    _tasks_done,
    _unit_users,
)


def _ensure_may_still_rate(mandate: Mandate) -> None:
    """A suspended or terminated deputy cannot rate (an expired term still may:
    the answer to last term's suggestion often comes after it)."""
    if mandate.status in (Mandate.Status.SUSPENDED, Mandate.Status.TERMINATED):
        ensure_mandate_can(mandate, "evaluate")


def suggestion_evaluate(
    *,
    suggestion: Suggestion,
    actor: User,
    result: str,
    attitude: str,
    comment: str = "",
    today: date | None = None,
) -> Evaluation:
    """A deputy rates result and attitude; nobody can change it afterwards.

    The lead's rating decides: satisfied → closed (A, D) or tracking (B, C with
    commitments still to be confirmed by the deputy); dissatisfied → rehandling
    within 1 month, at most 2 rounds (rule), then closed with the flag for
    congress supervision; a "dissatisfied" needs its reason in ``comment``. Co-signers (rule ``cosigners_may_rate``) and the leads
    of suggestions merged into this one rate the latest answer independently of
    the lead, before or after them.
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
    mandate = rating_mandate(actor, suggestion)
    if mandate is None or not may_rate(suggestion, mandate):
        raise DomainError(_("只有领衔代表本人可以评价办理结果。"))
    _ensure_may_still_rate(mandate)
    decides = mandate.pk == suggestion.lead_id
    with transaction.atomic():
        locked = _lock(suggestion)
        round_ = rated_round(locked, decides=decides)
        if round_ is None:
            raise TransitionError(
                _("该议案建议当前状态为“%(status)s”，不能评价。")
                % {"status": locked.get_status_display()}
            )
        if Evaluation.Rating.DISSATISFIED in (result, attitude) and not comment.strip():
            # A "不满意" without its reason gives the unit nothing to handle again
            # (issue 18): the reason goes to the unit with the next round.
            raise DomainError(
                _(
                    "评价为“不满意”的，请在“意见”中写明不满意的理由，以便承办单位重新办理。"
                ),
                field="comment",
            )
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    suggestion=locked,
                    round=round_,
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
        # The "please rate" of this rater is done (a co-signer rates apart).
        _tasks_done(locked, RATING_TASK_KINDS, recipients=[actor])
        if decides:
            _apply_lead_rating(locked, result, actor, today)
    return evaluation


def _solved_by_reply(suggestion: Suggestion) -> bool:
    """Every answering unit's reply of this round is of a "solved" category (A)."""
    replies = list(
        Reply.objects.filter(
            assignment__suggestion=suggestion,
            assignment__role__in=["lead", "split"],
            round=suggestion.round,
        )
        .exclude(assignment__status=A.RETURNED)
        .values_list("category", flat=True)
    )
    rules = rules_for(suggestion.congress)
    return bool(replies) and all(
        categories.outcome_of(rules, code) == categories.SOLVED for code in replies
    )


def _award_solved_points(
    suggestion: Suggestion, actor: User | None, today: date
) -> None:
    """The "reply A" points (``reply_rated_a``) go to the lead when the deputy —
    not the unit's label alone — finds the matter solved."""
    if _solved_by_reply(suggestion):
        ledger_record(
            mandate=suggestion.lead_deputy,
            kind="reply_rated_a",
            occurred_on=today,
            key=f"reply_rated_a:{suggestion.pk}",
            actor=actor,
        )


def _unconfirmed_commitments(suggestion: Suggestion):
    """Commitments of this round the deputy has not confirmed (回执) yet."""
    return Commitment.objects.filter(
        reply__assignment__suggestion=suggestion,
        reply__round=suggestion.round,
        confirmed_at__isnull=True,
    )


def _apply_lead_rating(
    suggestion: Suggestion, result: str, actor: User | None, today: date
) -> None:
    rules = rules_for(suggestion.congress)
    if result == Evaluation.Rating.DISSATISFIED:
        if suggestion.round < rules.evaluation_max_rounds:
            _start_rehandling(suggestion, actor, today, action="rehandle")
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
    _award_solved_points(suggestion, actor, today)
    _track_or_close(suggestion, actor)


def _start_rehandling(
    suggestion: Suggestion,
    actor: User | None,
    today: date,
    *,
    action: str,
    note: str = "",
    **fields,
) -> None:
    """重新办理: the next round, due in ``rehandling_due_months`` (rule); every
    live part goes back to its unit, which is told once the change commits."""
    rules = rules_for(suggestion.congress)
    due = add_months(today, rules.rehandling_due_months)
    next_round = suggestion.round + 1
    suggestion.assignments.live().filter(role__in=["lead", "split", "co"]).update(
        status=A.ACCEPTED,
        due_date=due,
        round=next_round,
        round_started_at=timezone.now(),
        replied_at=None,
    )
    _move(
        suggestion,
        S.REHANDLING,
        actor,
        action=action,
        note=note,
        round=next_round,
        **fields,
    )
    assignments = list(suggestion.assignments.live().select_related("unit"))

    def notify_units() -> None:
        for a in assignments:
            _notify(
                _unit_users(a.unit),
                kind="assignment.rehandling",
                key=f"rehandling:{a.pk}:{next_round}",
                title=Message(
                    gettext_noop("代表对答复不满意，请于%(due)s前重新办理：%(title)s"),
                    {"due": due.isoformat(), "title": suggestion.title},
                ),
                target=a,
            )

    transaction.on_commit(notify_units)


def _track_or_close(suggestion: Suggestion, actor: User | None) -> None:
    """After a content (or lapsed) rating: commitments still to confirm → tracking,
    else closed."""
    if _unconfirmed_commitments(suggestion).exists():
        _move(suggestion, S.TRACKING, actor, action="tracking")
    else:
        _move(suggestion, S.CLOSED, actor, action="close", closed_at=timezone.now())


def _close_if_all_confirmed(suggestion: Suggestion, actor: User | None) -> None:
    if (
        suggestion.status == S.TRACKING
        and not _unconfirmed_commitments(suggestion).exists()
    ):
        _move(suggestion, S.CLOSED, actor, action="close", closed_at=timezone.now())


def commitment_complete(
    *, commitment: Commitment, note: str = "", actor: User | None
) -> Commitment:
    """The unit (or staff) reports a commitment done; the deputy is asked for the
    receipt (回执). The item closes only once the deputy confirms every one."""
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
        lead_user = suggestion.lead_deputy.person.user
        transaction.on_commit(
            lambda: _notify(
                [lead_user],
                kind="commitment.receipt",
                key=f"commitment-receipt:{commitment.pk}:{commitment.done_at:%Y%m%d%H%M%S}",
                title=Message(
                    gettext_noop(
                        "承办单位报告承诺事项“%(text)s”已落实，请确认（回执）"
                    ),
                    {"text": commitment.text},
                ),
                target=suggestion,
            )
        )
    return commitment


def commitment_confirm(
    *,
    commitment: Commitment,
    accept: bool = True,
    note: str = "",
    actor: User,
) -> Commitment:
    """The lead deputy's receipt (回执) of a commitment the unit reports done:
    confirmed (the suggestion closes when none is left), or not (back to the unit
    as still to be done, with the deputy's reason)."""
    suggestion = commitment.reply.assignment.suggestion
    if suggestion.lead_deputy.person.user_id != getattr(actor, "pk", None):
        raise DomainError(_("只有领衔代表本人可以确认承诺事项的落实情况。"))
    _ensure_may_still_rate(suggestion.lead_deputy)
    if not accept and not (note or "").strip():
        raise DomainError(_("请说明承诺事项尚未落实的情况。"), field="note")
    with transaction.atomic():
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if commitment.confirmed_at is not None:
            return commitment
        if commitment.status != Commitment.Status.DONE:
            raise TransitionError(_("承办单位尚未报告该承诺事项已落实，不能确认。"))
        locked = _lock(suggestion)
        if accept:
            commitment.confirmed_at, commitment.receipt_note = timezone.now(), note
            commitment.save(update_fields=["confirmed_at", "receipt_note"])
            _event(locked, "commitment_confirmed", actor, note=commitment.text)
            _close_if_all_confirmed(locked, actor)
        else:
            commitment.status, commitment.done_at = Commitment.Status.PENDING, None
            commitment.receipt_note = note.strip()
            commitment.save(update_fields=["status", "done_at", "receipt_note"])
            _event(locked, "commitment_disputed", actor, note=note.strip())
            assignment = commitment.reply.assignment
            transaction.on_commit(
                lambda: _notify(
                    _unit_users(assignment.unit),
                    kind="commitment.disputed",
                    key=f"commitment-disputed:{commitment.pk}:{timezone.now():%Y%m%d%H%M%S}",
                    title=Message(
                        gettext_noop("代表认为承诺事项“%(text)s”尚未落实：%(note)s"),
                        {"text": commitment.text, "note": note.strip()},
                    ),
                    target=assignment,
                )
            )
    return commitment


def evaluations_lapse(*, actor: User | None, today: date | None = None) -> int:
    """The system's daily step for answers the deputy never rates (rules
    ``unrated_after_days``, ``unrated_outcome``): the item proceeds as 未评价
    (closed, or tracked while commitments are open) or as deemed 基本满意; a
    commitment reported done without a receipt for as long counts as confirmed
    (marked lapsed). Both are counted apart in reports. Returns the items moved."""
    today = today or timezone.localdate()
    moved = 0
    waiting = (
        Suggestion.objects.filter(status=S.REPLIED)
        .select_related("congress")
        .annotate(last_reply=Max("assignments__replied_at"))
    )
    for row in waiting:
        rules = rules_for(row.congress)
        if (
            row.last_reply is None
            or (today - timezone.localdate(row.last_reply)).days
            < rules.unrated_after_days
        ):
            continue
        with transaction.atomic():
            locked = _lock(row)
            if locked.status != S.REPLIED:
                continue
            if locked.evaluations.filter(
                round=locked.round, mandate=locked.lead_id
            ).exists():
                continue
            now = timezone.now()
            locked.evaluation_lapsed_at = now
            locked.save(update_fields=["evaluation_lapsed_at"])
            if rules.unrated_outcome == Evaluation.Rating.BASICALLY_SATISFIED:
                Evaluation.objects.create(
                    suggestion=locked,
                    round=locked.round,
                    mandate=locked.lead_deputy,
                    result=Evaluation.Rating.BASICALLY_SATISFIED,
                    attitude=Evaluation.Rating.BASICALLY_SATISFIED,
                    deemed=True,
                )
                note = _("代表逾期%(n)s天未评价，视为基本满意")
            else:
                note = _("代表逾期%(n)s天未评价，按未评价办结")
            _event(
                locked,
                "evaluation_lapsed",
                actor,
                note=note % {"n": rules.unrated_after_days},
            )
            _track_or_close(locked, actor)
            moved += 1
    unconfirmed = Commitment.objects.filter(
        status=Commitment.Status.DONE,
        confirmed_at__isnull=True,
        reply__assignment__suggestion__status=S.TRACKING,
    ).select_related("reply__assignment__suggestion__congress")
    for commitment in unconfirmed:
        suggestion = commitment.reply.assignment.suggestion
        days = rules_for(suggestion.congress).unrated_after_days
        if (today - timezone.localdate(commitment.done_at)).days < days:
            continue
        with transaction.atomic():
            Commitment.objects.filter(
                pk=commitment.pk, confirmed_at__isnull=True
            ).update(confirmed_at=timezone.now(), receipt_lapsed=True)
            locked = _lock(suggestion)
            _event(
                locked,
                "commitment_receipt_lapsed",
                actor,
                note=_("代表逾期%(n)s天未回执：%(text)s")
                % {"n": days, "text": commitment.text},
            )
            before = locked.status
            _close_if_all_confirmed(locked, actor)
            moved += int(locked.status != before)
    return moved


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
    *,
    evaluation: Evaluation,
    note: str,
    finding: str = Evaluation.CallbackFinding.CONFIRMED,
    actor: User | None,
) -> Evaluation:
    """Record what the deputy said on the callback and what it found: the rating
    is confirmed, or the deputy was not really satisfied (the rating, which never
    changes, is then flagged, and the item's staff may reopen it for rehandling:
    ``suggestion_rehandle_after_callback``). A finding, once recorded, stands."""
    if finding not in Evaluation.CallbackFinding.values:
        raise DomainError(_("回访结论不正确。"), field="finding")
    note = (note or "").strip()
    if not note:
        raise DomainError(_("请填写回访情况。"), field="note")
    with transaction.atomic():
        locked = (
            Evaluation.objects.select_for_update()
            .select_related("suggestion")
            .get(pk=evaluation.pk)
        )
        if not locked.callback_flagged:
            raise DomainError(_("该评价未被抽查回访。"))
        if locked.callback_finding:
            if (locked.callback_finding, locked.callback_note) == (finding, note):
                return locked
            raise TransitionError(_("该评价的回访结论已记录，不能修改。"))
        locked.callback_note, locked.callback_finding = note, finding
        locked.callback_at = timezone.now()
        locked.save(update_fields=["callback_note", "callback_finding", "callback_at"])
        label = Evaluation.CallbackFinding(finding).label
        _event(
            locked.suggestion,
            "callback",
            actor,
            note=f"{label}：{note}",
            internal=True,
        )
    return locked


def _reopening_rating(suggestion: Suggestion) -> Evaluation | None:
    """The lead's own rating of the current round, when a callback found the
    lead was not really satisfied with it."""
    if suggestion.lead_id is None:  # a bill of the presidium is never rated
        return None
    return (
        suggestion.evaluations.filter(
            round=suggestion.round,
            mandate_id=suggestion.lead_id,
            callback_finding=Evaluation.CallbackFinding.NOT_SATISFIED,
        )
        .order_by("pk")
        .first()
    )


def suggestion_rehandle_after_callback(
    *,
    suggestion: Suggestion,
    reason: str = "",
    actor: User | None,
    today: date | None = None,
) -> Suggestion:
    """Reopen a closed (or tracked) item for rehandling (重新办理) because the
    callback found the lead deputy was not really satisfied with the rating that
    closed it: the same next round, due date and notices as a dissatisfied
    rating, within the rule ``evaluation_max_rounds``. The points that rating
    earned the lead (``reply_rated_a``) are taken back; they count again if the
    next answer solves the matter. Refused, with the reason, when nothing found
    by a callback allows it."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status == S.REHANDLING:
            last = (
                locked.events.filter(to_state=S.REHANDLING)
                .order_by("-created_at", "-id")
                .first()
            )
            if last is not None and last.action == "rehandle_callback":
                return locked  # already reopened
        if locked.status not in REOPENABLE:
            raise TransitionError(
                _(
                    "该%(kind)s当前状态为“%(status)s”，只有已办结或跟踪落实中的"
                    "可以根据回访结果重新办理。"
                )
                % {
                    "kind": locked.get_kind_display(),
                    "status": locked.get_status_display(),
                }
            )
        rating = _reopening_rating(locked)
        if rating is None:
            raise TransitionError(
                _(
                    "只有回访发现领衔代表对本轮办理实际不满意的，才能重新办理；"
                    "该%(kind)s没有这样的回访结论。"
                )
                % {"kind": locked.get_kind_display()}
            )
        rules = rules_for(locked.congress)
        if locked.round >= rules.evaluation_max_rounds:
            raise TransitionError(
                _(
                    "该%(kind)s已办理%(n)s轮，达到最多办理轮次（%(max)s轮），"
                    "不能再重新办理，请转人大督办。"
                )
                % {
                    "kind": locked.get_kind_display(),
                    "n": locked.round,
                    "max": rules.evaluation_max_rounds,
                }
            )
        note = _("回访发现代表实际不满意（%(finding)s），重新办理") % {
            "finding": rating.callback_note
        }
        if (reason or "").strip():
            note = f"{note}：{reason.strip()}"
        _start_rehandling(
            locked,
            actor,
            today,
            action="rehandle_callback",
            note=note,
            closed_at=None,
        )
        ledger_revoke(
            key=f"reply_rated_a:{locked.pk}",
            reason=str(note),
            actor=actor,
        )
    return locked
