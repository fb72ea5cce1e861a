"""Read models of the handling (交办 → 答复): the units' desk and one unit's part,
the staff's overdue board, the requests to decide and the callbacks of ratings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.chinese import mask_mobile
from portal.rules import rules_for

from ..deadlines import return_request_limit
from ..models import (
    Assignment,
    Commitment,
    CoUnitOpinion,
    Evaluation,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
    Urge,
)
from ..policies import (
    WORKING,
    AssignmentPolicy,
    SuggestionPolicy,
    own_unit_ids,
    sees_internal_notes,
)
from ..querysets import AssignmentQuerySet
from .common import STATUS_BADGES, assignment_row, timeline
from .suggestions import assignable_units

S = Suggestion.Status
A = Assignment.Status
REQUEST_TABS = ("extension", "return", "reassign")
# Suggestions whose returned parts no longer need another unit.
_NO_REASSIGNING = (S.WITHDRAWN, S.CLOSED, S.MERGED)


# --- the units' desk and one unit's part -------------------------------------------


def unit_desk(user: Any, show: str) -> AssignmentQuerySet:
    """我的承办: the user's units' assignments by due date; ``show``: "open",
    "replied" or anything else for all."""
    queryset = Assignment.objects.visible_to(user).on_unit_desk(user)
    if show == "open":
        queryset = queryset.filter(status__in=Assignment.OPEN_STATES)
    elif show == "replied":
        queryset = queryset.filter(status=A.REPLIED)
    return (
        queryset.with_list_related()
        .select_related("suggestion__session")
        .order_by("due_date", "id")
    )


def assignments_for_detail() -> AssignmentQuerySet:
    """What one unit's part and the actions on it read."""
    return Assignment.objects.select_related(
        "unit",
        "suggestion__congress__region",
        "suggestion__lead__person",
        "suggestion__session",
        "suggestion__term",
    ).prefetch_related("co_opinions")


def assignment_detail(
    user: Any, assignment: Assignment, *, revealed: bool = False
) -> dict[str, Any]:
    """One unit's part: the suggestion, deadlines, contacts, requests, co-units'
    opinions, replies, ratings once submitted, the timeline, and what the user
    may do now (``can_*`` from :class:`AssignmentPolicy`). The lead deputy's
    mobile for 面商 is masked unless ``revealed`` (the reveal was logged)."""
    today = timezone.localdate()
    suggestion = assignment.suggestion
    mine = AssignmentPolicy.works_on(user, assignment)
    manager = SuggestionPolicy.manages(user, suggestion)
    staff_view = sees_internal_notes(user, suggestion)
    co_opinions: list[CoUnitOpinion] = []
    if assignment.role == Assignment.Role.LEAD and (mine or staff_view):
        co_opinions = list(
            CoUnitOpinion.objects.filter(
                assignment__suggestion=suggestion
            ).select_related("assignment__unit")
        )
    elif assignment.role == Assignment.Role.CO and (mine or staff_view):
        co_opinions = list(assignment.co_opinions.all())
    contacts = list(assignment.contacts.select_related("recorded_by"))
    return {
        "a": assignment,
        "s": suggestion,
        "row": assignment_row(assignment, today),
        "status_badge": STATUS_BADGES.get(suggestion.status, "muted"),
        "mine": mine,
        "manager": manager,
        "can_complete": {assignment.pk}
        if AssignmentPolicy.allows(user, "complete_commitments", assignment)
        else set(),
        "contacts": contacts,
        "contacted_this_round": any(
            c.created_at >= assignment.round_started_at for c in contacts
        ),
        "extensions": list(assignment.extension_requests.order_by("-requested_at")),
        "returns": list(assignment.return_requests.order_by("-requested_at")),
        "co_opinions": co_opinions,
        "replies": list(assignment.replies.prefetch_related("commitments")),
        # Ratings exist only once the deputy submitted them: shown from then on.
        "evaluations": list(suggestion.evaluations.select_related("mandate__person")),
        "events": timeline(
            suggestion.events.select_related("actor", "unit"),
            sees_all=staff_view,
            unit_ids=own_unit_ids(user),
        ),
        **AssignmentPolicy.flags(user, assignment),
        "return_limit": return_request_limit(assignment),
        # The unit still works on it, but 退办 can no longer be asked: say so.
        "return_window_passed": mine
        and assignment.status in WORKING
        and today > return_request_limit(assignment),
        "return_days": rules_for(suggestion.congress).return_request_working_days,
        "lead_contact": _lead_contact(user, assignment, revealed),
        "today": today,
    }


def _lead_contact(
    user: Any, assignment: Assignment, revealed: bool
) -> dict[str, Any] | None:
    """The lead deputy's name and mobile for the unit's 面商, masked
    (138****1234) until a logged reveal; only for the unit that may reveal."""
    lead = assignment.suggestion.lead
    if lead is None or not AssignmentPolicy.allows(user, "reveal_contact", assignment):
        return None
    mobile = lead.person.mobile
    return {
        "name": lead.person.name,
        "mobile": mobile if revealed else mask_mobile(mobile),
        "revealed": revealed,
        "has_mobile": bool(mobile),
    }


def contacted_this_round(assignment: Assignment) -> bool:
    """Has the unit recorded a contact with the deputy in this round (before replying)?"""
    return assignment.contacts.filter(
        created_at__gte=assignment.round_started_at
    ).exists()


def commitments_visible_to(user: Any) -> QuerySet:
    """Commitments of the assignments the user sees."""
    return Commitment.objects.filter(
        reply__assignment__in=Assignment.objects.visible_to(user)
    ).select_related("reply__assignment__suggestion")


def replies_visible_to(user: Any) -> QuerySet:
    """Replies of the suggestions the user sees (their documents)."""
    return Reply.objects.filter(
        assignment__suggestion__in=Suggestion.objects.visible_to(user)
    )


# --- the staff: the overdue board and the requests ---------------------------------


def overdue_board(user: Any, today: date) -> AssignmentQuerySet:
    """逾期督办: open assignments past their due date in the user's regions,
    grouped by unit, with how often each was urged."""
    return (
        Assignment.objects.visible_to(user)
        .governed_by(user)
        .overdue(today)
        .with_list_related()
        # A correlated count, computed for the page's rows only (after the sort
        # and LIMIT), not a GROUP BY over every overdue assignment (issue 14).
        .annotate(
            urge_count=Coalesce(
                Subquery(
                    Urge.objects.filter(assignment=OuterRef("pk"))
                    .order_by()
                    .values("assignment")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            )
        )
        # Grouped by unit in the unit's id order, not its name's: ordering by
        # the name sorted every overdue assignment of a province (9,000 rows
        # joined to units and suggestions, 59 ms) on each page, where the
        # (unit, status, due_date) index walks straight to the page (5 ms,
        # issue 14, docs/performance.md).
        .order_by("unit_id", "due_date", "id")
    )


def requests_desk(user: Any, tab: str) -> tuple[dict[str, int], QuerySet]:
    """延期与退办: the count of each tab (pending extension and return requests,
    returned parts waiting for another unit) and the rows of ``tab``."""
    related = (
        "assignment__unit",
        "assignment__suggestion__congress",
        "assignment__suggestion__lead__person",
        "requested_by",
    )
    extensions = ExtensionRequest.objects.governed_by(user).pending()
    returns = ReturnRequest.objects.governed_by(user).pending()
    to_reassign = (
        Assignment.objects.governed_by(user)
        .filter(status=A.RETURNED)
        .exclude(suggestion__status__in=_NO_REASSIGNING)
        .filter(
            ~Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("suggestion"),
                    role=OuterRef("role"),
                    pk__gt=OuterRef("pk"),
                ).exclude(status=A.RETURNED)
            )
        )
    )
    counts = {
        "extension": extensions.count(),
        "return": returns.count(),
        "reassign": to_reassign.count(),
    }
    queryset: QuerySet
    if tab == "extension":
        queryset = extensions.select_related(*related).order_by("requested_at", "id")
    elif tab == "return":
        queryset = returns.select_related(*related).order_by("requested_at", "id")
    else:
        queryset = (
            to_reassign.with_list_related()
            .prefetch_related(
                Prefetch(
                    "return_requests",
                    queryset=ReturnRequest.objects.filter(status="approved"),
                    to_attr="approved_returns",
                )
            )
            .order_by("assigned_on", "id")
        )
    return counts, queryset


def requests_to_decide(model: Any, user: Any) -> QuerySet:
    """Extension (or return) requests in the user's regions, with the assignment
    and suggestion their decision reads."""
    return model.objects.governed_by(user).select_related(
        "assignment__suggestion", "assignment__unit"
    )


def units_for_reassigning(user: Any, assignment: Assignment) -> QuerySet:
    """Units that may take over a returned part: assignable, not already on it."""
    suggestion = assignment.suggestion
    return (
        assignable_units(user, suggestion)
        .exclude(pk__in=suggestion.assignments.live().values("unit_id"))
        .exclude(pk=assignment.unit_id)
    )


# --- the staff: callbacks of ratings -----------------------------------------------


def callbacks_desk(user: Any, *, congress_id: str | None, year: str | None) -> QuerySet:
    """满意度回访: ratings flagged for a callback in the user's regions, those
    still to call first; ``congress_id`` and ``year`` filter when they are numbers."""
    queryset = (
        Evaluation.objects.governed_by(user)
        .filter(callback_flagged=True)
        .select_related(
            "suggestion__congress", "suggestion__lead__person", "mandate__person"
        )
        .order_by("callback_finding", "callback_note", "-submitted_at", "-id")
    )
    if congress_id and congress_id.isdigit():
        queryset = queryset.filter(suggestion__congress_id=int(congress_id))
    if year and year.isdigit():
        queryset = queryset.filter(suggestion__year=int(year))
    return queryset


def evaluations_for_callback(user: Any) -> QuerySet:
    """Ratings in the user's regions, with the suggestion the callback is about."""
    return Evaluation.objects.governed_by(user).select_related("suggestion")


def replies_awaiting_disclosure(suggestion: Suggestion) -> QuerySet:
    """The answering units' replies not yet published (the disclosure review's)."""
    return (
        Reply.objects.filter(
            assignment__suggestion=suggestion,
            assignment__role__in=["lead", "split"],
            published_at__isnull=True,
        )
        .exclude(assignment__status=Assignment.Status.RETURNED)
        .select_related("assignment__unit")
        .order_by("round", "id")
    )


def disclosure_desk(user: Any) -> QuerySet:
    """Replies waiting for the staff's disclosure review in the user's region,
    the earliest due first."""
    return (
        Suggestion.objects.managed_by(user)
        .filter(disclosure_due_on__isnull=False)
        .with_list_related()
        .order_by("disclosure_due_on", "pk")
    )
