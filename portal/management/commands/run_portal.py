"""Serve the portal for a local trial: the web server plus the Celery worker and
beat, in one command (``make run``).

The web server is gunicorn (threaded workers), the same server production runs,
so the embedded default holds a vote day: many deputies pressing "投票" at the
same moment. ``--dev`` serves with Django's autoreloading development server
instead. Without REDIS_URL the worker uses the filesystem broker configured in
settings, so reminders run on a machine with nothing but Python installed.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网站，并同时启动 Celery 工作进程和定时任务（本地试用）。"

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1")
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-worker", action="store_true", help="不启动 Celery。")
        parser.add_argument(
            "--dev", action="store_true", help="用 Django 开发服务器（仅限开发调试）。"
        )
        parser.add_argument(
            "--workers",
            type=int,
            # SQLite has one writer: one process with threads serialises writes
            # without "database is locked"; with PostgreSQL, raise it.
            default=int(os.environ.get("WEB_CONCURRENCY", "1")),
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS", "16"))
        )

    def handle(self, *args, **options):
        worker = None
        if not options["no_worker"]:
            for folder in ("queue", "processed", "control"):
                (settings.CELERY_DATA_DIR / folder).mkdir(parents=True, exist_ok=True)
            # One worker with an embedded beat: exactly one scheduler for a
            # single-machine trial. Production runs beat as its own service.
            worker = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "portal",
                    "worker",
                    "--beat",
                    "--pool",
                    "solo",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    settings.CELERY_BEAT_SCHEDULE_FILENAME,
                ],
            )
            self.stdout.write(f"Celery 工作进程已启动（pid {worker.pid}）")
        bind = f"{options['addr']}:{options['port']}"
        try:
            if options["dev"]:
                call_command("runserver", bind, use_reloader=False)
            else:
                self.stdout.write(f"网站已启动：http://{bind}/（gunicorn）")
                subprocess.run(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "portal.wsgi:application",
                        "--bind",
                        bind,
                        "--worker-class",
                        "gthread",
                        "--workers",
                        str(options["workers"]),
                        "--threads",
                        str(options["threads"]),
                        "--backlog",
                        "2048",
                        "--timeout",
                        "60",
                        "--graceful-timeout",
                        "10",
                        "--access-logfile",
                        "-",
                    ],
                    check=False,
                )
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
