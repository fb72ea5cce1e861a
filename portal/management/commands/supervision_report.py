"""Write a supervision report to a file, for scheduled use (cron, Celery beat)::

    python manage.py supervision_report --congress 5 --year 2026 --format xlsx --output 湘源县2026.xlsx

The report covers the congress and everything below it. The period is a year
(``--year``), a session (``--session``) or a date range (``--start``/``--end``);
the current year by default. It runs as the system, with no user scope.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.models import Congress
from portal.reports import service
from portal.reports.periods import PeriodError, parse_period


class Command(BaseCommand):
    help = "生成监督报告文件（Excel、PDF 或网页），包括所选人大及以下各级。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--congress", type=int, required=True, help="人民代表大会编号"
        )
        parser.add_argument("--year", type=int, help="年度，例如 2026")
        parser.add_argument("--session", type=int, help="会议编号：统计该次会议以来")
        parser.add_argument("--start", help="开始日期，例如 2026-01-01")
        parser.add_argument("--end", help="结束日期，例如 2026-06-30")
        parser.add_argument(
            "--format", choices=service.FORMATS, default="xlsx", help="文件格式"
        )
        parser.add_argument("--output", required=True, help="输出文件路径")
        parser.add_argument("--sections", nargs="*", help="只包括这些部分（默认全部）")

    def handle(self, *args, **options):
        congress = (
            Congress.objects.select_related("region")
            .filter(pk=options["congress"])
            .first()
        )
        if congress is None:
            raise CommandError(f"没有编号为 {options['congress']} 的人民代表大会。")
        params = {
            key: str(options[key])
            for key in ("year", "session", "start", "end")
            if options.get(key) is not None
        }
        try:
            period = parse_period(params, congress=congress)
        except PeriodError as exc:
            raise CommandError(exc.message) from exc
        started = time.monotonic()
        report = service.build_report(
            congress=congress, period=period, user=None, sections=options["sections"]
        )
        content = service.render(report, options["format"])
        output = Path(options["output"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(content)
        self.stdout.write(
            f"已生成 {output}（{report.title}，{len(content):,} 字节，用时 {time.monotonic() - started:.1f} 秒）"
        )
