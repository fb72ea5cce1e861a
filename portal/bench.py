"""Benchmark instrumentation (``make bench``, issue 14), off unless
``PORTAL_BENCH=1``: every response carries the number of SQL queries and the
time spent in them, and ``/bench/floor/`` is the floor the pages are measured
against — a bare Django view answering 20 rows of one indexed query as JSON."""

from __future__ import annotations

import time

from django.db import connection
from django.http import JsonResponse


class QueryStatsMiddleware:
    """Adds ``X-Portal-Queries`` and ``X-Portal-SQL-ms`` to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stats = {"n": 0, "t": 0.0}

        def wrapper(execute, sql, params, many, context):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                stats["n"] += 1
                stats["t"] += time.perf_counter() - start

        with connection.execute_wrapper(wrapper):
            response = self.get_response(request)
        response["X-Portal-Queries"] = str(stats["n"])
        response["X-Portal-SQL-ms"] = f"{stats['t'] * 1000:.2f}"
        return response


def floor(request):
    """20 rows of one indexed query (regions by primary key) as JSON."""
    from .models import Region

    rows = list(Region.objects.order_by("pk").values("id", "name", "path")[:20])
    return JsonResponse({"results": rows})
