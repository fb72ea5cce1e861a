"""Helpers every service of proposals shares: the timeline row (and audit row)
of each change, locks, the transition step and notifications."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from deputies.services import ledger_record, ledger_record_each
from portal import workflow
from portal.models import HandlingUnit, Role, User
from portal.notification_text import Message
from portal.services import (
    TransitionError,
    audit_record,
    notification_create,
    notifications_mark_done,
)

from ..models import Assignment, CoSigner, Suggestion, SuggestionEvent

S = Suggestion.Status
A = Assignment.Status
TEXT_FIELDS = ("title", "problem", "analysis", "proposals")
EDITABLE_FIELDS = {
    "title",
    "problem",
    "analysis",
    "proposals",
    "category",
    "is_public",
    "session",
    "research_note",
    "research_date",
    "research_place",
    "research_people",
}


def _event(
    suggestion: Suggestion,
    action: str,
    actor: User | None,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    unit: HandlingUnit | None = None,
    internal: bool = False,
) -> None:
    workflow.record(
        SuggestionEvent,
        actor=actor,
        from_state=from_status,
        to_state=to_status,
        note=note,
        event_fields={
            "suggestion": suggestion,
            "action": action,
            "unit": unit,
            "internal": internal,
        },
    )
    _audit(suggestion, action, actor, from_status, to_status, note)


def _audit(
    suggestion: Suggestion,
    action: str,
    actor: User | None,
    from_status: str,
    to_status: str,
    note: str,
) -> None:
    audit_record(
        actor=actor,
        action=f"suggestion.{action}",
        target=suggestion,
        from_state=from_status,
        to_state=to_status,
        reason=note,
        region_path=suggestion.region_path,
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return (
        # Only the suggestion's row: a bill of the presidium has no lead, and
        # PostgreSQL cannot lock the nullable side of that outer join.
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("congress__region", "lead__person")
        .get(pk=suggestion.pk)
    )


def _refusal(suggestion: Suggestion, target: str) -> str:
    return _("该%(kind)s当前状态为“%(status)s”，不能%(action)s。") % {
        "kind": suggestion.get_kind_display(),
        "status": suggestion.get_status_display(),
        "action": _TARGET_VERBS.get(target, Suggestion.Status(target).label),
    }


def _refuse(suggestion: Suggestion, target: str) -> None:
    raise TransitionError(_refusal(suggestion, target))


# Lazy: this map is built at import, the refusal is rendered in the request's language.
_TARGET_VERBS: dict[str, Any] = {
    S.SUBMITTED: pgettext_lazy("action", "提交"),
    S.REGISTERED: pgettext_lazy("action", "立案"),
    S.RETURNED: pgettext_lazy("action", "退回修改"),
    S.NOT_REGISTERED: pgettext_lazy("action", "不予立案"),
    S.MERGED: pgettext_lazy("action", "并案"),
    S.ASSIGNED: pgettext_lazy("action", "交办"),
    S.REPLIED: pgettext_lazy("action", "答复"),
    S.WITHDRAWN: pgettext_lazy("action", "撤回"),
}


def _move(
    suggestion: Suggestion, target: str, actor, *, action: str, note: str = "", **fields
) -> bool:
    """Apply a suggestion transition. Returns False when already there (no-op)."""
    from_status = suggestion.status
    if not workflow.transition(
        suggestion,
        to=target,
        actor=actor,
        event_model=SuggestionEvent,
        event_fields={"suggestion": suggestion, "action": action},
        refuse=_refusal,
        changes=fields,
        note=note,
    ):
        return False
    _audit(suggestion, action, actor, from_status, target, note)
    return True


def _unit_users(unit: HandlingUnit):
    return User.objects.filter(
        grants__role=Role.UNIT_STAFF, grants__unit=unit
    ).distinct()


def _notify(
    users,
    *,
    kind: str,
    key: str,
    title: str | Message,
    target,
    body: str | Message = "",
    url: str = "",
) -> None:
    for user in users:
        if user is not None:
            notification_create(
                recipient=user,
                kind=kind,
                key=f"{key}:{user.pk}",
                title=title,
                body=body,
                url=url,
                target=target,
                actor=None,
            )


# What the notifications of a task asked for (issue 18): once it is done they are
# marked read. A unit's part is answered (reply, or a co-unit's opinion) and
# accepted; a deputy's rating is given.
ANSWER_TASK_KINDS = (
    "assignment.new",
    "assignment.rehandling",
    "assignment.urged",
    "assignment.unaccepted",
    "assignment.due",
    "assignment.overdue",
    "assignment.co_opinion_due",
)
ACCEPT_TASK_KINDS = ("assignment.unaccepted",)
RATING_TASK_KINDS = ("suggestion.replied", "suggestion.evaluate")


def _tasks_done(target, kinds: tuple[str, ...], recipients=None) -> None:
    """After the commit, the unread notifications of ``kinds`` about ``target``
    are read (``portal.services.notifications_mark_done``)."""
    transaction.on_commit(
        lambda: notifications_mark_done(
            target=target, kinds=kinds, recipients=recipients, actor=None
        )
    )


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("suggestion__congress", "unit")
        .get(pk=assignment.pk)
    )


def _assignment_refusal(assignment: Assignment, target: str) -> str:
    return _("该交办当前状态为“%(status)s”，不能转为“%(target)s”。") % {
        "status": assignment.get_status_display(),
        "target": Assignment.Status(target).label,
    }


def _assignment_move(assignment: Assignment, target: str) -> bool:
    """Set an assignment's status (the caller saves it; assignments have no
    timeline of their own, their suggestion's records what the unit did)."""
    if not workflow.check(assignment, to=target, refuse=_assignment_refusal):
        return False
    assignment.status = target
    return True


def _require_handling(assignment: Assignment) -> None:
    if assignment.suggestion.status not in Suggestion.HANDLING_STATES:
        raise TransitionError(_("该议案建议当前不在办理中。"))


# Points of a registration (立案; a bill: put on the agenda), by who earns them.
REGISTRATION_POINTS = {
    Suggestion.Kind.SUGGESTION: ("suggestion_registered", "suggestion_cosigned"),
    Suggestion.Kind.BILL: ("bill_registered", "bill_cosigned"),
}


def _award_registration(suggestion: Suggestion, actor: User | None) -> None:
    """The points a registration earns, each once: the lead's, each confirmed
    co-signer's (联名、附议) and those of the leads of suggestions merged into it
    before they were registered themselves (并案). Registration is never undone
    (no transition leads back from it), so these points are never taken back."""
    lead_kind, cosigner_kind = REGISTRATION_POINTS[Suggestion.Kind(suggestion.kind)]
    today = timezone.localdate()
    if suggestion.lead is not None:  # a bill of the presidium has no lead deputy
        ledger_record(
            mandate=suggestion.lead,
            kind=lead_kind,
            occurred_on=today,
            source=suggestion,
            actor=actor,
        )
    cosigners = [
        c.mandate
        for c in suggestion.cosigners.filter(
            status=CoSigner.Status.CONFIRMED
        ).select_related("mandate__congress")
    ]
    ledger_record_each(
        mandates=cosigners,
        kind=cosigner_kind,
        occurred_on=today,
        source=suggestion,
        actor=actor,
    )
    for child in suggestion.merged_children.filter(
        registered_at__isnull=True
    ).select_related("lead__congress"):
        _award_merged(child, actor)


def _award_merged(child: Suggestion, actor: User | None) -> None:
    """并案: the lead of a suggestion merged into a registered one, never
    registered itself, earns the merge points (once)."""
    ledger_record(
        mandate=child.lead_deputy,
        kind="suggestion_merged",
        occurred_on=timezone.localdate(),
        source=child,
        actor=actor,
    )
