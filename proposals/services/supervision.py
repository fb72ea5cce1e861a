"""Supervision (督): urging an assignment and key-supervision items led by a
leader, with their events planned ahead and recorded."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.services import ledger_record
from portal.models import Notification, User
from portal.notification_text import Message, choice_label
from portal.services import DomainError, TransitionError, audit_record

from ..models import (
    Assignment,
    KeySupervisionItem,
    PlannedSupervisionEvent,
    Suggestion,
    SupervisionEvent,
    Urge,
)
from .common import A, S, _event, _notify, _unit_users


def urge_create(*, assignment: Assignment, actor: User, note: str = "") -> Urge:
    """催办 by congress staff or the lead deputy; the urge keeps which of the two
    urged (the lead's own account urges as the deputy)."""
    if assignment.status in (A.REPLIED, A.RETURNED):
        raise TransitionError(_("该交办已答复或已退办，无需催办。"))
    lead_user_id = assignment.suggestion.lead_deputy.person.user_id
    by_role = (
        Urge.ByRole.DEPUTY
        if actor is not None and actor.pk == lead_user_id
        else Urge.ByRole.STAFF
    )
    urge = Urge.objects.create(
        assignment=assignment, by=actor, by_role=by_role, note=note
    )
    _event(assignment.suggestion, "urge", actor, note=note, unit=assignment.unit)
    transaction.on_commit(
        lambda: _notify(
            _unit_users(assignment.unit),
            kind="assignment.urged",
            key=f"urge:{urge.pk}",
            title=Message(
                gettext_noop("催办：%(title)s"), {"title": assignment.suggestion.title}
            ),
            target=assignment,
        )
    )
    return urge


# --- key supervision --------------------------------------------------------------------


def key_item_create(
    *,
    congress,
    year: int,
    title: str,
    leader: User,
    suggestions: list[Suggestion],
    plan: str = "",
    actor: User | None,
) -> KeySupervisionItem:
    """Group suggestions into a key-supervision item led by a leader; their lead
    deputies earn the key-supervision points."""
    if not suggestions:
        raise DomainError(_("请选择要重点督办的建议。"), field="suggestions")
    wrong = [
        s
        for s in suggestions
        if s.congress_id != congress.pk
        or s.status
        in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.NOT_REGISTERED, S.MERGED, S.WITHDRAWN)
    ]
    if wrong:
        raise DomainError(_("只能选择本级人大已立案的议案建议。"), field="suggestions")
    with transaction.atomic():
        item = KeySupervisionItem.objects.create(
            congress=congress,
            year=year,
            title=title.strip(),
            leader=leader,
            plan=plan,
            region_path=congress.region.path,
        )
        item.suggestions.set(suggestions)
        for suggestion in suggestions:
            _event(suggestion, "key_item", actor, note=title)
            if suggestion.lead is None:  # a bill of the presidium
                continue
            ledger_record(
                mandate=suggestion.lead,
                kind="key_supervision_selected",
                occurred_on=timezone.localdate(),
                source=item,
                key=f"key_supervision_selected:{item.pk}:{suggestion.pk}",
                actor=actor,
            )
        audit_record(
            actor=actor,
            action="key_item.create",
            target=item,
            region_path=item.region_path,
        )
    return item


def key_item_add_event(
    *,
    item: KeySupervisionItem,
    kind: str,
    date: date,
    notes: str,
    actor: User | None,
) -> SupervisionEvent:
    """Record a supervision event (visit, hearing, meeting); a planned item is
    then under way."""
    if kind not in SupervisionEvent.Kind.values:
        raise DomainError(_("督办方式不正确。"), field="kind")
    event = SupervisionEvent.objects.create(
        item=item, kind=kind, date=date, notes=notes
    )
    if item.status == KeySupervisionItem.Status.PLANNED:
        item.status = KeySupervisionItem.Status.IN_PROGRESS
        item.save(update_fields=["status"])
    audit_record(
        actor=actor, action="key_item.event", target=item, region_path=item.region_path
    )
    return event


def key_item_plan_event(
    *,
    item: KeySupervisionItem,
    kind: str,
    date: date,
    purpose: str = "",
    actor: User | None,
    today: date | None = None,
) -> PlannedSupervisionEvent:
    """Plan a supervision event (visit, hearing, meeting) on a later day; the
    leader, the congress staff and the planner are reminded before it (rule
    ``visit_reminder_days``; ``proposals.reminders.planned_supervision_events``).
    What it found is recorded afterwards with ``key_item_add_event``."""
    today = today or timezone.localdate()
    if kind not in SupervisionEvent.Kind.values:
        raise DomainError(_("督办方式不正确。"), field="kind")
    if date <= today:
        raise DomainError(
            _("计划日期应晚于今天（%(today)s）；已经开展的督办活动请直接记录。")
            % {"today": today.isoformat()},
            field="date",
        )
    with transaction.atomic():
        planned = PlannedSupervisionEvent.objects.create(
            item=item,
            kind=kind,
            date=date,
            purpose=(purpose or "").strip()[:300],
            planned_by=actor,
        )
        audit_record(
            actor=actor,
            action="key_item.plan_event",
            target=item,
            reason=f"{kind} {date.isoformat()}",
            region_path=item.region_path,
        )
    return planned


def planned_event_cancel(
    *,
    planned: PlannedSupervisionEvent,
    actor: User | None,
    today: date | None = None,
) -> PlannedSupervisionEvent:
    """Cancel a planned supervision event before its day has passed (a no-op
    when already cancelled); whoever was already reminded is told."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            PlannedSupervisionEvent.objects.select_for_update()
            .select_related("item")
            .get(pk=planned.pk)
        )
        if locked.cancelled_at is not None:
            return locked
        if locked.date < today:
            raise TransitionError(_("该督办活动的计划日期已过，不能取消。"))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        item = locked.item
        audit_record(
            actor=actor,
            action="key_item.cancel_planned_event",
            target=item,
            reason=f"{locked.kind} {locked.date.isoformat()}",
            region_path=item.region_path,
        )
        reminded = list(
            Notification.objects.about(locked)
            .in_app()
            .values_list("recipient", flat=True)
        )
        title = Message(
            gettext_noop("%(date)s的%(kind)s已取消：重点督办事项“%(title)s”"),
            {
                "date": locked.date.isoformat(),
                "kind": choice_label(locked, "kind"),
                "title": item.title,
            },
        )
        transaction.on_commit(
            lambda: _notify(
                User.objects.filter(pk__in=reminded),
                kind="key_item.event_cancelled",
                key=f"key-event-cancelled:{locked.pk}",
                title=title,
                target=locked,
                url=reverse("proposals:key_detail", args=[item.pk]),
            )
        )
    return locked


def key_item_evaluate(
    *, item: KeySupervisionItem, evaluation: str, actor: User | None
) -> KeySupervisionItem:
    """The final evaluation of a key item (it may be revised)."""
    if not (evaluation or "").strip():
        raise DomainError(_("请填写督办评估意见。"), field="evaluation")
    item.evaluation, item.status = (
        evaluation.strip(),
        KeySupervisionItem.Status.EVALUATED,
    )
    item.save(update_fields=["evaluation", "status"])
    audit_record(
        actor=actor,
        action="key_item.evaluate",
        target=item,
        region_path=item.region_path,
    )
    return item
