"""The staff's 待交办 queue (issue 18): registered suggestions awaiting their
assignment, oldest first, with the date they should be assigned by and a
suggested handling unit.

The suggestion is **data-derived**, not a configured mapping: the unit most
often given the lead (主办 or 分办) of a suggestion of the same category by the
same congress over the last ``SUGGESTION_LOOKBACK_DAYS`` — what the staff
themselves did, so it follows reorganisations without anybody maintaining a
table. One grouped query for the whole page; ties go to the unit's name. A
category the congress never assigned has no suggestion (the staff choose)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, F
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import HandlingUnit
from portal.rules import rules_for_many

from ..deadlines import assign_by_date
from ..models import Assignment, Suggestion
from ..policies import SuggestionPolicy
from ..querysets import SuggestionQuerySet

S = Suggestion.Status
# How far back the assignments that suggest a unit go (a year of practice).
SUGGESTION_LOOKBACK_DAYS = 365


def assign_queue(user: Any) -> SuggestionQuerySet:
    """待交办: registered suggestions (not bills) in the regions the user
    governs — the staff list's scope — oldest registration first."""
    return (
        Suggestion.objects.visible_to(user)
        .governed_by(user)
        .filter(status=S.REGISTERED, kind=Suggestion.Kind.SUGGESTION)
        .with_list_related()
        .select_related("congress__region", "handling_congress__region")
        .order_by("registered_at", "id")
    )


def _acting_congress(suggestion: Suggestion) -> Any:
    return suggestion.handling_congress or suggestion.congress


def suggested_units(suggestions: list[Suggestion]) -> dict[int, HandlingUnit]:
    """``{suggestion id: unit}``: the unit the acting congress most often gave
    the lead of the suggestion's category in the lookback window (one query)."""
    if not suggestions:
        return {}
    since = timezone.localdate() - timedelta(days=SUGGESTION_LOOKBACK_DAYS)
    congress_ids = {_acting_congress(s).pk for s in suggestions}
    categories = {s.category for s in suggestions}
    rows = (
        Assignment.objects.filter(
            role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT],
            assigned_on__gte=since,
            suggestion__category__in=categories,
            unit__is_active=True,
        )
        .annotate(
            acting=Coalesce(
                F("suggestion__handling_congress_id"), F("suggestion__congress_id")
            ),
        )
        .filter(acting__in=congress_ids)
        .values("acting", "suggestion__category", "unit_id", "unit__name")
        .annotate(n=Count("id"))
        .order_by()
    )
    best: dict[tuple[int, str], tuple[int, str]] = {}
    # Most assignments first; at a tie the unit's name in its usual order.
    for row in sorted(rows, key=lambda r: (-r["n"], r["unit__name"], r["unit_id"])):
        key = (row["acting"], row["suggestion__category"])
        best.setdefault(key, (row["unit_id"], row["unit__name"]))
    units: dict[int, HandlingUnit] = {}
    for s in suggestions:
        found = best.get((_acting_congress(s).pk, s.category))
        if found:
            units[s.pk] = HandlingUnit(pk=found[0], name=found[1])
    return units


def assign_queue_rows(user: Any, suggestions: list[Suggestion]) -> list[dict[str, Any]]:
    """One row per suggestion of the page: the suggested unit, the date it
    should be assigned by (``deadlines.assign_by_date``), whether that date
    passed, and whether the user may assign it (a congress above reads)."""
    today = timezone.localdate()
    rules = rules_for_many({_acting_congress(s) for s in suggestions})
    units = suggested_units(suggestions)
    rows = []
    for s in suggestions:
        due = assign_by_date(s, rules[_acting_congress(s).pk])
        rows.append(
            {
                "s": s,
                "suggested_unit": units.get(s.pk),
                "due": due,
                "overdue": due is not None and due < today,
                "can_assign": SuggestionPolicy.allows(user, "assign", s),
            }
        )
    return rows
