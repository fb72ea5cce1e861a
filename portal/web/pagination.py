"""Bounded pagination for every list page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def paginate(
    request, queryset, size: int = PAGE_SIZE, param: str = "page"
) -> tuple[Page, Any]:
    """One bounded page and the elided page range for its links."""
    paginator = Paginator(queryset, size)
    page = paginator.get_page(request.GET.get(param))
    return page, paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
