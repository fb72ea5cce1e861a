"""Time the background build of a supervision report (issue 14)::

    python manage.py bench_report --user sheng_staff

Builds the report of the user's own congress (``default_congress``) for the
current year, as the background job does (``build_report``, every section), and
prints one line of JSON: ``congress``, ``seconds``, ``queries``, ``sections``.
Nothing is written, unless ``--store``: then the report page's stored result
(``report_snapshot_request``) is computed too, at once, so that the page
answers from it (what the beat-free bench server can't do in the background).
``bench/measure.py`` calls it for the county and the province.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.models import User
from portal.reports import service
from portal.reports.periods import year_period


class Command(BaseCommand):
    help = "计时：后台生成监督报告。"

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True)
        parser.add_argument("--store", action="store_true")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"没有用户 {options['user']}")
        congress = service.default_congress(user)
        if congress is None:
            raise CommandError(f"{user} 没有可读的报告范围")
        period = year_period(timezone.localdate().year)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = service.build_report(congress=congress, period=period, user=user)
        built = time.perf_counter() - started
        if options["store"]:
            from portal.celery import app

            app.conf.task_always_eager = True
            service.report_snapshot_request(
                congress=congress, period=period, actor=user
            )
        self.stdout.write(
            json.dumps(
                {
                    "congress": congress.name,
                    # The build alone; with --store the stored computation
                    # (a second build, in the eager task) is timed apart.
                    "seconds": round(built, 2),
                    "store_seconds": round(time.perf_counter() - started - built, 2),
                    "queries": len(queries),
                    "sections": len(report.sections),
                },
                ensure_ascii=False,
            )
        )
