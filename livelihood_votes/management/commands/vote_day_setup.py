"""Prepare a vote day for the benchmark (bench/vote_day.py): a township with N
deputies who have accounts and API tokens, a programme through deliberation and
a round ready to sign in to. Demo mode only; prints JSON for the benchmark."""

import json
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from deputies import services as deputy_services
from deputies.models import Constituency
from livelihood_votes import services
from portal import services as portal_services
from portal.chinese import id_check_digit
from portal.models import Congress, HandlingUnit, Region, Role, User


class Command(BaseCommand):
    help = "生成票决压测数据（仅限演示模式）：一个乡、N名代表、一轮待签到的票决。"

    def add_arguments(self, parser):
        parser.add_argument("--deputies", type=int, default=160)

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError("只能在演示模式下生成压测数据。")
        n = options["deputies"]
        tag = secrets.token_hex(3)
        with transaction.atomic():
            county = Region.objects.filter(level=Region.Level.COUNTY).first()
            region = portal_services.region_create(
                name=f"压测乡{tag}",
                level=Region.Level.TOWNSHIP,
                parent=county,
                actor=None,
            )
            congress = portal_services.congress_create(
                region=region,
                name=f"压测乡{tag}人民代表大会",
                level=Congress.Level.TOWNSHIP,
                term_number=19,
                term_start=date(2026, 9, 25),
                actor=None,
            )
            HandlingUnit.objects.create(
                name=f"压测乡{tag}人民政府",
                kind=HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
                region=region,
            )
            staff = User.objects.create_user(username=f"bench-staff-{tag}")
            portal_services.role_grant_create(
                user=staff, role=Role.CONGRESS_STAFF, congress=congress, actor=None
            )
            term = congress.current_term()
            # Township deputies are elected in a constituency (deputies.services).
            constituency = Constituency.objects.create(
                congress=congress, name="压测选区"
            )
            tokens = []
            for i in range(n):
                user = User.objects.create_user(username=f"bench-{tag}-{i:03d}")
                born = date(1960, 1, 1) + timedelta(days=int(tag, 16) % 9000 + i)
                body = f"430102{born:%Y%m%d}{i % 1000:03d}"
                person = deputy_services.person_create(
                    name=f"压测代表{i:03d}",
                    gender="male",
                    id_number=body + id_check_digit(body),
                    user=user,
                    actor=None,
                )
                deputy_services.mandate_create(
                    person=person,
                    congress=congress,
                    term=term,
                    card_number=f"B{tag}{i:04d}",
                    constituency=constituency,
                    actor=None,
                )
                tokens.append(Token.objects.create(user=user).key)
            programme = services.programme_create(
                congress=congress, year=date.today().year, seats=7, actor=staff
            )
            candidates = [
                services.candidate_create(
                    programme=programme,
                    title=f"压测项目{k}",
                    description="建设内容",
                    estimated_cost=Decimal("50"),
                    actor=staff,
                )
                for k in range(10)
            ]
            for _ in range(4):
                programme = services.programme_advance(programme=programme, actor=staff)
            vote_round = services.round_create(
                programme=programme, mode="electronic", actor=staff
            )
        self.stdout.write(
            json.dumps(
                {
                    "round": vote_round.pk,
                    "code": vote_round.check_in_code,
                    "staff_token": Token.objects.create(user=staff).key,
                    "tokens": tokens,
                    "candidates": [c.pk for c in candidates],
                }
            )
        )
