"""Measure the export of the deputy list as a user sees it (issue 14)::

    python manage.py bench_export --user sheng_staff [--query "gender=female"]

Prints one line of JSON: ``rows``, ``seconds``, ``peak_rss_mb`` (the peak
resident memory of the process that wrote the file, Django included, as a
gunicorn worker or Celery process would hold it), ``baseline_rss_mb`` (that
process before the export), ``growth_mb`` (the difference: what the export
itself needs), ``queries``, ``bytes`` and ``mode`` (``immediate`` when the
page would answer with the file, ``background`` when it would start a job).

The export runs in a fresh subprocess (so nothing the caller did counts in its
peak), with query logging off as in production, and inside a transaction that
is rolled back: the database is left as it was, reveal audit rows included,
unless ``--keep-audit``. ``bench/measure.py`` can call ``measure_export``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import QueryDict

from deputies import roster, selectors
from portal.models import User


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def export_in_process(
    username: str, query: str = "", *, keep_audit: bool = False
) -> dict[str, Any]:
    """Write the export of ``username`` filtered by ``query`` to a temporary
    file in this process and measure it (see the module docstring)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"没有用户 {username}")
    baseline = _rss_mb()
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with (
        connection.execute_wrapper(count),
        transaction.atomic(),
        tempfile.TemporaryFile() as output,
    ):
        filterset = selectors.mandate_search(user, QueryDict(query))
        if not filterset.is_valid():
            raise CommandError(f"筛选条件不正确：{filterset.errors.as_json()}")
        total = filterset.qs.count()
        # The costly case: the full export (a reason given), with its audit rows.
        rows = roster.write_mandates(
            filterset.qs, user=user, output=output, reason="基准测试（bench_export）"
        )
        size = output.seek(0, os.SEEK_END)
        if not keep_audit:
            transaction.set_rollback(True)
    seconds = time.perf_counter() - started
    # ru_maxrss and /proc count pages slightly differently: never below now.
    peak = max(_peak_rss_mb(), _rss_mb())
    return {
        "user": username,
        "query": query,
        "rows": rows,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak, 1),
        "baseline_rss_mb": round(baseline, 1),
        "growth_mb": round(peak - baseline, 1),
        "queries": queries,
        "bytes": size,
        "mode": "background"
        if roster.export_runs_in_background(total)
        else "immediate",
    }


def measure_export(
    username: str, query: str = "", *, keep_audit: bool = False
) -> dict[str, Any]:
    """``export_in_process`` in a fresh ``manage.py`` subprocess (same
    environment, so the same ``DATABASE_URL``); returns its JSON."""
    command = [
        sys.executable,
        str(Path(settings.BASE_DIR) / "manage.py"),
        "bench_export",
        "--user",
        username,
        "--query",
        query,
        "--in-process",
    ]
    if keep_audit:
        command.append("--keep-audit")
    done = subprocess.run(  # noqa: S603 - our own manage.py, no shell
        command, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise CommandError(done.stderr.strip() or f"exit {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class Command(BaseCommand):
    help = "测量代表名册导出的用时和内存峰值（JSON：rows、seconds、peak_rss_mb）。"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="以该用户的范围导出")
        parser.add_argument(
            "--query", default="", help="代表名单的筛选条件，例如 gender=female"
        )
        parser.add_argument(
            "--keep-audit",
            action="store_true",
            help="保留导出写入的查看记录（默认回滚，不改动数据库）",
        )
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="在本进程内测量（默认另起子进程）",
        )

    def handle(self, *args, **options):
        if options["in_process"]:
            # No query log growing with the rows, as in production.
            settings.DEBUG = False
        measure = export_in_process if options["in_process"] else measure_export
        result = measure(
            options["user"], options["query"], keep_audit=options["keep_audit"]
        )
        self.stdout.write(json.dumps(result, ensure_ascii=False))
