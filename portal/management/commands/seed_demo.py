"""Build the demo province (DESIGN.md §15). Demo mode only; safe to run twice."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.demo import DEMO_PASSWORD, seed_core
from portal.models import User
from portal.registry import demo_seeds

# Apps extend the demo with seeds registered in their hooks.py, in dependency order.


class Command(BaseCommand):
    help = "生成演示数据（仅限演示模式，可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="仅当数据库中还没有用户时生成。",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "演示数据只能在演示模式（DJANGO_DEBUG=1）下生成，生产环境不得创建演示账户。"
            )
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据。")
            return
        with transaction.atomic():
            ctx = seed_core()
            for demo in demo_seeds():
                demo.seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：{User.objects.count()} 个账户，密码均为 {DEMO_PASSWORD}"
            )
        )
