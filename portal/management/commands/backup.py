"""Back up the database and the uploaded files (docs/backup.md, ``make backup``)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import backups


def default_backup_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or settings.BASE_DIR / "var" / "backups")


def database_settings(alias: str = "default") -> dict:
    """The DATABASES entry to back up or restore (a test points it elsewhere)."""
    return settings.DATABASES[alias]


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL: pg_dump -Fc；SQLite: 在线备份）和上传文件目录，"
        "文件名带时间戳，写入 BACKUP_DIR（默认 var/backups/）。"
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="备份目录（默认 $BACKUP_DIR 或 var/backups）",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=int(os.environ.get("BACKUP_KEEP", "14")),
            help="只保留最新的 N 套备份（默认 $BACKUP_KEEP 或 14；0 = 全部保留）",
        )

    def handle(self, *args, **options):
        backup_dir = options["dir"] or default_backup_dir()
        try:
            made = backups.backup(
                database_settings(),
                media_root=Path(settings.MEDIA_ROOT),
                backup_dir=backup_dir,
            )
            removed = backups.prune(backup_dir, options["keep"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        for path in (made.database, made.media):
            self.stdout.write(f"{path}  {path.stat().st_size:,} B")
        for old in removed:
            self.stdout.write(f"已删除旧备份 / pruned: {old.database.name}")
        self.stdout.write(self.style.SUCCESS(f"备份完成 / backup done: {made.stamp}"))
