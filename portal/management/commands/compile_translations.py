"""Compile locale/*.po into .mo files, with or without GNU gettext installed."""

import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "编译翻译文件（有 GNU gettext 时用 compilemessages，否则用 polib）。"

    def handle(self, *args, **options):
        if shutil.which("msgfmt"):
            call_command(
                "compilemessages", verbosity=0, ignore_patterns=[".venv", "var"]
            )
            self.stdout.write("compilemessages: OK")
            return
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                polib.pofile(str(po_path)).save_as_mofile(
                    str(po_path.with_suffix(".mo"))
                )
                count += 1
        self.stdout.write(f"polib: {count} 个翻译文件已编译")
