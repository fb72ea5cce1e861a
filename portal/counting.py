"""Counts that stay cheap at province scale (issue 14, docs/performance.md).

``COUNT(*)`` over a province's 300,000 opinions costs tens of milliseconds on
every page view, and nobody reads "共 147,593 条" as more than "a lot". Lists
count at most ``COUNT_CAP`` rows (the pages' bound, ``portal.web.pagination``)
and say "5,000+" beyond.
"""

from __future__ import annotations

COUNT_CAP = 5000


class CappedCount(int):
    """A row count that stopped at its cap: an ``int`` for arithmetic and plural
    forms, shown as "5,000+" wherever a template prints it."""

    def __str__(self) -> str:
        return f"{int(self):,}+"


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """``queryset``'s row count, stopping at ``cap`` (a ``CappedCount`` then):
    ``SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)`` without its ORDER BY."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedCount(cap) if counted > cap else counted
