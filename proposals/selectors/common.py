"""Pieces every read model of proposals shares: status badges, list rows, the
timeline, the years of a list's filter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Case, Max, Min, QuerySet, Value, When
from django.utils.translation import gettext_lazy

from ..models import Assignment, Reply, Suggestion, SuggestionEvent
from ..policies import event_note_readable, event_readable

S = Suggestion.Status
A = Assignment.Status


def deputy_users(suggestion: Suggestion) -> list[Any]:
    """The accounts of the deputies a suggestion belongs to: the lead, the
    co-signers who confirmed, and the leads of suggestions merged into it (the
    people told of its handling and reminded of its commitments). A bill of
    the presidium has no lead deputy."""
    users = [suggestion.lead.person.user] if suggestion.lead is not None else []
    users += [
        c.mandate.person.user
        for c in suggestion.cosigners.filter(status="confirmed").select_related(
            "mandate__person__user"
        )
    ]
    users += [
        child.lead.person.user
        for child in suggestion.merged_children.select_related("lead__person__user")
    ]
    return [u for u in users if u is not None]


STATUS_BADGES: dict[str, str] = {
    S.DRAFT: "muted",
    S.SUBMITTED: "info",
    S.RETURNED: "warn",
    S.NOT_REGISTERED: "muted",
    S.MERGED: "muted",
    S.REGISTERED: "info",
    S.ASSIGNED: "info",
    S.REPLIED: "warn",
    S.TRACKING: "info",
    S.REHANDLING: "danger",
    S.CLOSED: "ok",
    S.WITHDRAWN: "muted",
}
ASSIGNMENT_BADGES: dict[str, str] = {
    A.PENDING: "warn",
    A.ACCEPTED: "info",
    A.RETURN_REQUESTED: "warn",
    A.REPLIED: "ok",
    A.RETURNED: "muted",
}
EVENT_LABELS = {
    "create": gettext_lazy("起草"),
    "submit": gettext_lazy("提交"),
    "return": gettext_lazy("退回修改"),
    "reject": gettext_lazy("不予立案"),
    "register": gettext_lazy("立案"),
    "merge": gettext_lazy("并案"),
    "merge_in": gettext_lazy("有建议并入本件"),
    "assign": gettext_lazy("交办"),
    "reassign": gettext_lazy("改交"),
    "accept": gettext_lazy("签收"),
    "request_return": gettext_lazy("申请退办"),
    "return_approved": gettext_lazy("同意退办"),
    "return_rejected": gettext_lazy("不同意退办"),
    "contact": gettext_lazy("与代表沟通"),
    "request_extension": gettext_lazy("申请延期"),
    "extension_approved": gettext_lazy("同意延期"),
    "extension_rejected": gettext_lazy("不同意延期"),
    "co_opinion": gettext_lazy("提出协办意见"),
    "reply": gettext_lazy("答复"),
    "replied": gettext_lazy("答复完毕，待代表评价"),
    "evaluate": gettext_lazy("代表评价"),
    "rehandle": gettext_lazy("重新办理"),
    "rehandle_callback": gettext_lazy("回访后重新办理"),
    "tracking": gettext_lazy("跟踪落实"),
    "close": gettext_lazy("办结"),
    "commitment_done": gettext_lazy("承诺事项已落实"),
    "withdraw": gettext_lazy("撤回"),
    "cosign_confirm": gettext_lazy("确认联名"),
    "cosign_decline": gettext_lazy("谢绝联名"),
    "urge": gettext_lazy("催办"),
    "key_item": gettext_lazy("列入重点督办"),
    "callback": gettext_lazy("满意度回访"),
}
ROLE_ORDER = {Assignment.Role.LEAD: 0, Assignment.Role.SPLIT: 1, Assignment.Role.CO: 2}


def years_of(queryset: QuerySet) -> list[int]:
    """The year filter's choices, newest first: every year from the first
    suggestion's to the last one's. Two index lookups (the ends of
    ``suggestion_list_order``) instead of a DISTINCT over the list's whole scope
    (issue 14); a year without rows for this user simply lists nothing."""
    bounds = queryset.model._base_manager.aggregate(lo=Min("year"), hi=Max("year"))
    if bounds["lo"] is None:
        return []
    return list(range(bounds["hi"], bounds["lo"] - 1, -1))


def status_row(suggestion: Suggestion) -> dict[str, Any]:
    """A list row of a suggestion with its status badge."""
    return {"s": suggestion, "badge": STATUS_BADGES.get(suggestion.status, "muted")}


def units_first_lead() -> QuerySet:
    """Live assignments with their unit, the lead (or split) units before co-units."""
    rank = Case(
        *[When(role=role, then=Value(n)) for role, n in ROLE_ORDER.items()],
        default=Value(9),
    )
    return (
        Assignment.objects.live()
        .select_related("unit")
        .annotate(role_rank=rank)
        .order_by("role_rank", "id")
    )


def assignment_row(
    assignment: Assignment, today: date, handling: bool | None = None
) -> dict[str, Any]:
    """A row of an assignment with its badge and days left (or over). ``handling``
    says whether the suggestion is still with the units (read from it when loaded)."""
    if handling is None:
        handling = assignment.suggestion.status in Suggestion.HANDLING_STATES
    open_ = handling and assignment.status in Assignment.OPEN_STATES
    days_left = (assignment.due_date - today).days
    return {
        "a": assignment,
        "badge": ASSIGNMENT_BADGES.get(assignment.status, "muted"),
        "open": open_,
        "days_left": days_left,
        "days_over": -days_left,
        "overdue": open_ and days_left < 0,
    }


def timeline_events(
    events: Iterable[SuggestionEvent], *, sees_all: bool, unit_ids: frozenset[int]
) -> list[SuggestionEvent]:
    """The events of a suggestion the reader may see: a unit's internal notes
    only for that unit and those who see all notes (page and API alike); the
    note of a unit's request to the congress blanked for other readers."""
    readable = []
    for event in events:
        if not event_readable(event, sees_all=sees_all, unit_ids=unit_ids):
            continue
        if not event_note_readable(event, sees_all=sees_all, unit_ids=unit_ids):
            event.note = ""  # this request's copy only; never saved
        readable.append(event)
    return readable


def timeline(
    events: Iterable[SuggestionEvent], *, sees_all: bool, unit_ids: frozenset[int]
) -> list[dict[str, Any]]:
    """The timeline of the detail pages: each visible event with its label and
    the note worth showing."""
    rows = []
    for event in timeline_events(events, sees_all=sees_all, unit_ids=unit_ids):
        note: Any = event.note
        if event.action == "reply" and note in Reply.Category.values:
            note = Reply.Category(note).label
        elif (
            event.action in ("cosign_confirm", "cosign_decline")
            and event.actor
            and note == event.actor.get_full_name()
        ):
            note = ""
        rows.append(
            {
                "e": event,
                "label": EVENT_LABELS.get(event.action, event.action),
                "note": note,
            }
        )
    return rows
