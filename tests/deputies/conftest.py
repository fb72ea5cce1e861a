"""Fixtures of the deputies' page tests: current terms for the world's congresses
and a few deputies built through the services."""

from dataclasses import dataclass
from datetime import date

import pytest

from deputies.models import Mandate
from portal.models import Term
from portal.workdays import add_months
from tests.factories import make_mandate, valid_id_number

TERM_START = date(2026, 10, 20)


@pytest.fixture
def terms(world):
    """Current (19th) terms of the county, the other county and the township."""
    made = {}
    for key in ("county_congress", "other_county_congress", "township_congress"):
        congress = getattr(world, key)
        made[key] = Term.objects.create(
            congress=congress,
            number=19,
            start_date=TERM_START,
            end_date=add_months(TERM_START, 60),
            is_current=True,
        )
    return made


@dataclass
class Deputies:
    county: list[Mandate]
    township: Mandate
    other_county: Mandate
    own: Mandate  # held by personas.deputy


@pytest.fixture
def deputies(world, personas, terms) -> Deputies:
    county = [
        make_mandate(
            world.county_congress,
            name,
            card_number=f"XY-{i:03d}",
            mobile=f"1390000{i:04d}",
        )
        for i, name in enumerate(
            ["王建国", "丁一", "李秀英", "欧阳明", "谭红"], start=1
        )
    ]
    own = make_mandate(
        world.county_congress,
        "张桂英",
        user=personas.deputy,
        card_number="XY-100",
        mobile="13912345678",
        id_number=valid_id_number("19750304"),
    )
    return Deputies(
        county=county,
        township=make_mandate(world.township_congress, "刘春", card_number="TH-001"),
        other_county=make_mandate(
            world.other_county_congress, "陈飞", card_number="YX-001"
        ),
        own=own,
    )


def messages_of(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]
