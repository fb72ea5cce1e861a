"""Bounded pagination for every HTML list (issue 14).

A province's lists hold 100,000+ rows. Two things made them slow whatever the
page: ``COUNT(*)`` over the whole scope and ``OFFSET`` deep into it. Here:

- the count is **capped**: ``SELECT COUNT(*) FROM (… LIMIT cap + 1)`` without the
  ORDER BY, so it stops after ``cap + 1`` rows (a few milliseconds on an index);
  beyond the cap the page says "5,000+" (``CappedCount`` renders so) and asks
  the user to narrow the list with the filters or the search;
- the pages are **bounded**: at most ``MAX_PAGES`` (``cap / size``), so the
  deepest ``OFFSET`` is 4,950 rows along the list's index, whatever the scope.
  Nobody pages to row 100,000 of a roster: they filter (as every search engine
  caps its pages). The API lists page by keyset instead
  (``portal.api.pagination.KeysetPagination``) for integrators who walk all.

The list's ORDER BY must be served by an index that the scope predicate can use
(docs/performance.md lists them); the count ignores the ordering.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable

from portal.counting import COUNT_CAP, CappedCount, capped_count

PAGE_SIZE = 20
MAX_PAGES = COUNT_CAP // PAGE_SIZE  # 250 pages of 20

__all__ = ["CappedCount", "BoundedPaginator", "paginate", "capped_count"]


class BoundedPaginator(Paginator):
    """A paginator whose count stops at ``max_pages × per_page`` rows."""

    def __init__(
        self,
        object_list,
        per_page: int,
        max_pages: int = MAX_PAGES,
        count: int | None = None,
    ):
        super().__init__(object_list, per_page)
        self.cap = per_page * max_pages
        if count is not None:  # known already (e.g. from a list's status tabs)
            self.__dict__["count"] = (
                CappedCount(self.cap) if count > self.cap else count
            )

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if hasattr(rows, "order_by"):
            return capped_count(rows, self.cap)
        return CappedCount(self.cap) if len(rows) > self.cap else len(rows)

    def page(self, number) -> Page:
        """The page's rows in two reads (a "deferred join"): the page's ids
        along the list's index, narrow rows only (the sort of a search's 30,000
        matches or an OFFSET of 4,950 moves ids and sort keys, not every joined
        column), then those 50 rows with everything the list selects."""
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows._iterable_class is not ModelIterable:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(rows.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        by_id = {obj.pk: obj for obj in _rows_by_pk(rows, ids)}
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)

    @property
    def capped(self) -> bool:
        return isinstance(self.count, CappedCount)


def _rows_by_pk(rows: QuerySet, ids: list) -> QuerySet:
    """The page's rows by primary key, with the list's joins and prefetches.

    The ids were read through the list's scope and filters a moment ago, so the
    second read needs neither: repeating them cost the planner and the executor
    the scope's sub-plans again (a third of the roster's SQL time). A list with
    annotations, extra selects or DISTINCT keeps its own query (an annotation
    may depend on the filters' joins).
    """
    query = rows.query
    if query.annotations or query.extra or query.distinct or query.combinator:
        return rows.order_by().filter(pk__in=ids)
    detail = rows.model._base_manager.filter(pk__in=ids).order_by()
    detail.query.select_related = query.select_related
    detail.query.deferred_loading = query.deferred_loading
    detail._prefetch_related_lookups = rows._prefetch_related_lookups
    detail._db = rows._db
    return detail


def paginate(
    request,
    queryset,
    size: int = PAGE_SIZE,
    param: str = "page",
    count: int | None = None,
) -> tuple[Page, Any]:
    """One bounded page and the elided page range for its links; ``count``
    when the caller knows the number of rows already (no second count)."""
    paginator = BoundedPaginator(queryset, size, count=count)
    page = paginator.get_page(request.GET.get(param))
    return page, paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
