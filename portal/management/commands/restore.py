"""Restore a backup set into the configured database (docs/backup.md, ``make restore``)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal import backups

from .backup import database_settings, default_backup_dir


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和上传文件（默认 BACKUP_DIR 中最新的一套）。"
        "目标数据库已有数据时拒绝覆盖，除非 --force。先停止 web、worker 和 beat。"
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
            "--from",
            dest="source",
            type=Path,
            default=None,
            help="要恢复的数据库备份文件（portal-<时间>.pgdump / .sqlite3）；默认最新的",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="覆盖已有数据的数据库和上传文件目录",
        )

    def handle(self, *args, **options):
        db = database_settings()
        try:
            if options["source"]:
                chosen = backups.set_for(options["source"])
            else:
                backup_dir = options["dir"] or default_backup_dir()
                sets = backups.backup_sets(backup_dir, backups.dump_suffix(db))
                if not sets:
                    raise backups.BackupError(
                        f"{backup_dir} 中没有可恢复的备份 / no backup to restore"
                    )
                chosen = sets[-1]
            seconds = backups.restore(
                db,
                chosen,
                media_root=Path(settings.MEDIA_ROOT),
                force=options["force"],
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"已恢复 / restored {chosen.database.name} in {seconds:.1f} s"
            )
        )
