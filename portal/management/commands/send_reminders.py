"""Run every reminder job for one day, synchronously (operators and tests)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.notifications import run_reminders


class Command(BaseCommand):
    help = "运行当天（或指定日期）的全部提醒任务；同一天重复运行不会重复发送。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="业务日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只统计将要发送的提醒，不写入、不发送",
        )

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        counts = run_reminders(day, dry_run=options["dry_run"])
        prefix = "（试运行）" if options["dry_run"] else ""
        if not counts:
            self.stdout.write(f"{prefix}没有需要发送的提醒。")
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{prefix}{kind}: {count}")
        self.stdout.write(f"{prefix}合计: {sum(counts.values())}")
