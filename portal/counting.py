"""Counts that stay cheap at province scale (issue 14, docs/performance.md).

``COUNT(*)`` over a province's 300,000 opinions costs tens of milliseconds on
every page view, and nobody reads "共 147,593 条" as more than "a lot". Lists
count at most ``COUNT_CAP`` rows (the pages' bound, ``portal.web.pagination``)
and say "5,000+" beyond.

That a count reached its cap is remembered for ``OVER_CAP_TIMEOUT`` seconds
(keyed by the count's own SQL and parameters, so by scope and filters): walking
5,001 rows of a province's index on every page view was a third of the roster's
SQL time. Below the cap nothing is remembered, so a county's "共 37 条" is exact
after every change; a list that shrinks from beyond the cap to just under it
may say "5,000+" for those few minutes.
"""

from __future__ import annotations

from hashlib import blake2b

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet

COUNT_CAP = 5000
OVER_CAP_TIMEOUT = 300


class CappedCount(int):
    """A row count that stopped at its cap: an ``int`` for arithmetic and plural
    forms, shown as "5,000+" wherever a template prints it."""

    def __str__(self) -> str:
        return f"{int(self):,}+"


def capped_count(queryset, cap: int = COUNT_CAP) -> int:
    """``queryset``'s row count, stopping at ``cap`` (a ``CappedCount`` then):
    ``SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)`` without its ORDER BY."""
    counting = queryset.order_by().values("pk")[: cap + 1]
    try:
        sql, params = counting.query.sql_with_params()
    except EmptyResultSet:  # matches nothing (``none()``, ``pk__in=[]``)
        return 0
    key = (
        "count:over:"
        + blake2b(repr((queryset.db, sql, params)).encode(), digest_size=16).hexdigest()
    )
    if cache.get(key):
        return CappedCount(cap)
    counted = counting.count()
    if counted > cap:
        cache.set(key, True, OVER_CAP_TIMEOUT)
        return CappedCount(cap)
    return counted
