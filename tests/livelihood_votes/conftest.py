"""Livelihood fixtures: 桃花乡 with 52 deputies who have accounts, a programme
with 10 candidates for 7 seats."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from livelihood_votes import services
from portal.models import HandlingUnit, Term
from tests.factories import UserFactory, make_mandate


@dataclass
class LW:
    congress: object
    deputies: list
    users: list
    programme: object
    candidates: list


@pytest.fixture
def lw(world, personas):
    congress = world.township_congress
    Term.objects.create(
        congress=congress,
        number=19,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    users = [UserFactory(username=f"th{n:02d}") for n in range(1, 53)]
    deputies = [
        make_mandate(congress, f"代表{n:02d}", user=u)
        for n, u in enumerate(users, start=1)
    ]
    HandlingUnit.objects.create(
        name="桃花乡人民政府", kind="township_gov", region=world.township
    )
    programme = services.programme_create(
        congress=congress, year=2026, seats=7, actor=None
    )
    candidates = [
        services.candidate_create(
            programme=programme,
            title=f"候选项目{n}",
            description="建设内容",
            estimated_cost=Decimal("50.00"),
            lead_unit=None,
            actor=None,
        )
        for n in range(1, 11)
    ]
    return LW(congress, deputies, users, programme, candidates)


def to_deliberation(lw):
    """Walk the programme through the phases a vote needs (published, deliberated)."""
    lw.programme.refresh_from_db()
    for _ in range(4):
        if lw.programme.phase == "deliberation":
            break
        lw.programme = services.programme_advance(programme=lw.programme, actor=None)
    return lw.programme


def sign_in(vote_round, lw, count=None):
    """Staff sign in the first ``count`` deputies (all by default)."""
    mandates = lw.deputies if count is None else lw.deputies[:count]
    return services.round_attendance_record(
        vote_round=vote_round, mandates=list(mandates), actor=None
    )


def open_round(lw, mode="electronic", present=None):
    to_deliberation(lw)
    vote_round = services.round_create(programme=lw.programme, mode=mode, actor=None)
    sign_in(vote_round, lw, present)
    return services.round_open(vote_round=vote_round, actor=None)


def cast_votes(vote_round, lw, plan):
    """``plan``: list of (number of voters, [candidate indexes approved])."""
    voter = iter(lw.users)
    for count, indexes in plan:
        for _ in range(count):
            services.ballot_cast(
                vote_round=vote_round,
                actor=next(voter),
                approve=[lw.candidates[i].pk for i in indexes],
            )


def open_evaluation(lw, mode="electronic", present=None):
    """Set up the evaluation, sign in the first ``present`` deputies (all by
    default) and start it (the quorum comes from the sign-in)."""
    evaluation = services.evaluation_create(
        programme=lw.programme, mode=mode, actor=None
    )
    mandates = lw.deputies if present is None else lw.deputies[:present]
    services.evaluation_attendance_record(
        evaluation=evaluation, mandates=list(mandates), actor=None
    )
    return services.evaluation_open(evaluation=evaluation, actor=None)
