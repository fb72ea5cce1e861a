"""What anyone may read: published replies to suggestions.

Public projections are built here and only here, and every string in them
passes :func:`portal.privacy.scrub_public`, so the public page and the anonymous
API cannot disagree about what a citizen may read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from portal import search
from portal.models import Congress
from portal.privacy import scrub_public

from ..models import Assignment, Reply, Suggestion
from ..querysets import SuggestionQuerySet
from .common import years_of

# Identifiers that look like numbers but are not personal data.
_PUBLIC_KEEP = ("id", "number_display", "document_number", "kind", "status")


def published_suggestions(
    *, q: str = "", congress: Any = None, year: int | None = None
) -> SuggestionQuerySet:
    """Published suggestions with what their public projection reads, newest first."""
    queryset = Suggestion.objects.published()
    for word in search.words(q):  # 卫生室 服务: every word, in the title or problem
        queryset = queryset.filter(Q(title__has_text=word) | Q(problem__has_text=word))
    if congress:
        queryset = queryset.filter(congress=congress)
    if year:
        queryset = queryset.filter(year=year)
    return (
        queryset.select_related("congress", "lead__person")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role__in=["lead", "split"])
                .live()
                .select_related("unit")
                .prefetch_related(
                    Prefetch(
                        "replies",
                        # Only what the staff reviewed and published (答复公开).
                        queryset=Reply.objects.filter(published_at__isnull=False)
                        .prefetch_related("commitments")
                        .order_by("round", "id"),
                    )
                )
                .order_by("id"),
            )
        )
        .order_by("-published_at", "-id")
    )


def public_suggestion(suggestion: Suggestion) -> dict[str, Any]:
    """What anyone may read of a published suggestion (page and API alike): the
    replies the staff published, in their reviewed text."""
    assignments = list(suggestion.assignments.all())
    projection = {
        "id": suggestion.pk,
        "kind": suggestion.kind,
        "kind_label": str(suggestion.get_kind_display()),
        "congress_name": suggestion.congress.name,
        "year": suggestion.year,
        "number_display": suggestion.number_display,
        "title": suggestion.title,
        "category": suggestion.category,
        "category_label": str(suggestion.get_category_display()),
        "lead_name": suggestion.proposer_name,
        "problem": suggestion.problem,
        "proposals": suggestion.proposals,
        "status": suggestion.status,
        "published_at": suggestion.published_at,
        "units": [a.unit.name for a in assignments],
        "replies": [
            {
                "unit": a.unit.name,
                "round": r.round,
                "category": r.category,
                "category_label": str(r.get_category_display()),
                "text": r.public_text,
                "document_number": r.document_number,
                "replied_at": r.replied_at,
                "commitments": [
                    {
                        "text": c.text,
                        "due_date": c.due_date,
                        "status": c.status,
                        "status_label": str(c.get_status_display()),
                    }
                    for c in r.commitments.all()
                ],
            }
            for a in assignments
            for r in a.replies.all()
        ],
    }
    return scrub_public(projection, keep=_PUBLIC_KEEP)


def public_filter_choices() -> tuple[QuerySet, list[int]]:
    """The public filter's congresses (every congress: the form shows the upper
    levels, ``show_nearby_congresses``; which ones have published replies would
    cost a scan of every published suggestion per visit) and years."""
    published = Suggestion.objects.published()
    return Congress.objects.order_by("region__path"), years_of(published)
