"""Bounded pagination for every list: ``{"count"?, "next", "previous", "results"}``."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PortalPagination(PageNumberPagination):
    """Page numbers with a count, for tables that stay small (regions, units)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(CursorPagination):
    """Keyset (cursor) pagination for large tables: constant cost at any depth."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
