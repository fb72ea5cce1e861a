"""Read models of key supervision (重点督办): the list, the form's choices and
one item with its suggestions and their units."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from portal.models import Congress, Role, RoleGrant, User

from ..models import KeySupervisionItem, Suggestion
from ..policies import KeyItemPolicy
from ..querysets import KeyItemQuerySet
from .common import assignment_row, status_row, units_first_lead

S = Suggestion.Status
# Suggestion states a key-supervision item may gather.
SUPERVISABLE = (S.REGISTERED, S.ASSIGNED, S.REPLIED, S.TRACKING, S.REHANDLING, S.CLOSED)


def key_items(user: Any, *, mine_only: bool) -> KeyItemQuerySet:
    """重点督办 items the user sees (``mine_only``: those the user leads), with
    their numbers of suggestions and events."""
    queryset = (
        KeySupervisionItem.objects.visible_to(user)
        .select_related("congress", "leader")
        .annotate(
            suggestion_count=Count("suggestions", distinct=True),
            event_count=Count("events", distinct=True),
        )
    )
    if mine_only:
        queryset = queryset.filter(leader=user)
    return queryset.order_by("-year", "status", "title", "id")


def managed_congresses(user: Any) -> QuerySet:
    """The congresses the user acts for as congress staff, in region order."""
    return (
        Congress.objects.manageable_by(user)
        .select_related("region")
        .order_by("region__path")
    )


def key_item_form_choices(user: Any) -> dict[str, Any]:
    """Choices of the key-item form: the user's congresses, their leaders (and
    which congress each leads) and their recent supervisable suggestions."""
    congresses = managed_congresses(user)
    grants = RoleGrant.objects.filter(
        role=Role.LEADER, congress__in=congresses
    ).values_list("user_id", "congress_id")
    leader_congresses: dict[int, set[int]] = {}
    for user_id, congress_id in grants:
        leader_congresses.setdefault(user_id, set()).add(congress_id)
    leaders = User.objects.filter(pk__in=leader_congresses).order_by(
        "display_name", "username"
    )
    suggestions = (
        Suggestion.objects.filter(
            congress__in=congresses,
            status__in=SUPERVISABLE,
            year__gte=timezone.localdate().year - 1,
        )
        .select_related("lead__person", "congress__region")
        .order_by("congress__region__path", "-year", "number", "id")
    )
    return {
        "congresses": congresses,
        "leaders": leaders,
        "leader_congresses": leader_congresses,
        "suggestions": suggestions,
    }


def key_items_for_detail() -> KeyItemQuerySet:
    """What one key item's page and the actions on it read of the item."""
    return KeySupervisionItem.objects.select_related("congress", "leader")


def key_item_detail(user: Any, item: KeySupervisionItem) -> dict[str, Any]:
    """One key item: its suggestions with their units, its events (recorded,
    and planned from today on), and what the user may do (``can_*`` from :class:`KeyItemPolicy`)."""
    today = timezone.localdate()
    suggestions = list(
        item.suggestions.select_related("lead__person")
        .prefetch_related(Prefetch("assignments", queryset=units_first_lead()))
        .order_by("number", "id")
    )
    return {
        "item": item,
        "rows": [
            {
                **status_row(s),
                "units": [
                    assignment_row(a, today, s.status in Suggestion.HANDLING_STATES)
                    for a in s.assignments.all()
                ],
            }
            for s in suggestions
        ],
        "events": list(item.events.all()),
        "planned": list(
            item.planned_events.filter(cancelled_at__isnull=True, date__gte=today)
        ),
        **KeyItemPolicy.flags(user, item),
        "today": today,
    }
