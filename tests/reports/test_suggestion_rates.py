"""议案建议办理: every figure on the hand-built suggestions (see conftest), with
the zero denominators of an empty scope."""

from __future__ import annotations

import pytest

from portal.reports.model import ReportScope
from portal.reports.periods import year_period
from proposals import reports

pytestmark = pytest.mark.django_db


def values(section) -> dict:
    return {m.key: (m.value, m.numerator, m.denominator) for m in section.metrics}


def test_counts_and_rates_of_the_county(suggestions, county_scope):
    section = reports.build(county_scope)
    v = values(section)

    assert (
        v["received"][0] == 8
    )  # s1–s7 and the township's s10; not the draft, not the other county
    assert v["registered"][0] == 6
    assert v["handled"][0] == 4
    assert v["replied"][0] == 3
    assert v["reply_rate"] == (pytest.approx(3 / 4), 3, 4)
    # s1 and s3 on time, s2 late; s4 is past due without a reply.
    assert v["on_time_rate"] == (pytest.approx(2 / 4), 2, 4)
    # s1 met in person, s3 on site; s2 only by phone.
    assert v["contact_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert v["share_A"] == (pytest.approx(1 / 3), 1, 3)
    assert v["share_B"] == (pytest.approx(1 / 3), 1, 3)
    assert v["share_C"] == (pytest.approx(1 / 3), 1, 3)
    assert v["share_D"] == (0.0, 0, 3)
    assert v["satisfaction_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert v["attitude_rate"] == (pytest.approx(2 / 3), 2, 3)
    assert v["dissatisfied"][0] == 1
    assert v["rehandled"][0] == 1
    # 办成 follows the deputy's rating: A rated satisfied (s1) is solved; B with an
    # open commitment (s2) is not; C with its commitment confirmed but rated
    # dissatisfied (s3) is not either.
    assert v["solved_rate"] == (pytest.approx(1 / 3), 1, 3)
    assert v["bills"][0] == 0 and v["unrated"][0] == 0
    assert v["closed_rate"] == (pytest.approx(1 / 4), 1, 4)
    assert v["commitment_rate"] == (pytest.approx(1 / 2), 1, 2)
    assert v["commitments_overdue"][0] == 1
    assert v["urges"][0] == 2
    assert v["overdue"][0] == 1
    assert v["supervision"][0] == 0


def test_every_rate_says_how_it_is_computed(suggestions, county_scope):
    section = reports.build(county_scope)

    for key in (
        "reply_rate",
        "on_time_rate",
        "contact_rate",
        "satisfaction_rate",
        "solved_rate",
        "closed_rate",
    ):
        assert "÷" in str(section.metric(key).definition), key


def test_by_category_and_by_area(suggestions, county_scope, world):
    section = reports.build(county_scope)

    by_category = {row["category"]: row for row in section.table("by_category").rows}
    assert by_category["交通运输"] == {
        "category": "交通运输",
        "received": 2,
        "registered": 2,
        "handled": 2,
        "replied": 2,
        "reply_rate": 1.0,
        "closed": 1,
    }
    assert (
        by_category["教育科技"]["received"] == 2
        and by_category["教育科技"]["reply_rate"] is None
    )
    assert by_category["其他"]["registered"] == 0
    areas = {row["area"]: row for row in section.table("by_area").rows}
    own = areas[f"本级（{world.county_congress.name}）"]
    assert (own["received"], own["handled"], own["replied"], own["evaluated"]) == (
        7,
        4,
        3,
        3,
    )
    assert own["satisfaction_rate"] == pytest.approx(2 / 3)
    assert areas["桃花乡"]["received"] == 1 and areas["桃花乡"]["reply_rate"] is None


def test_units_show_their_volume_beside_each_rate(suggestions, county_scope, world):
    rows = {row["unit"]: row for row in reports.build(county_scope).table("units").rows}

    u1, u2 = rows[world.unit.name], rows[world.other_unit.name]
    assert (u1["answering"], u1["co"], u1["replied"], u1["on_time_base"]) == (
        3,
        0,
        3,
        3,
    )
    assert u1["on_time_rate"] == pytest.approx(2 / 3)
    assert u1["contact_rate"] == pytest.approx(2 / 3)
    assert u1["a_share"] == pytest.approx(1 / 3)
    assert u1["satisfaction_rate"] == pytest.approx(2 / 3) and u1["evaluated"] == 3
    assert u1["solved_rate"] == pytest.approx(1 / 3)
    assert (u1["urges"], u1["overdue"]) == (0, 0)
    assert (u2["answering"], u2["co"], u2["replied"], u2["on_time_base"]) == (
        1,
        1,
        0,
        1,
    )
    assert u2["reply_rate"] == 0.0 and u2["on_time_rate"] == 0.0
    assert (
        u2["contact_rate"] is None
        and u2["satisfaction_rate"] is None
        and u2["solved_rate"] is None
    )
    assert (u2["urges"], u2["overdue"]) == (2, 1)
    # Too few items to be ranked.
    assert u1["rank"] is None and u2["rank"] is None
    assert world.other_county_unit.name not in rows


def test_units_with_enough_items_are_ranked_by_satisfaction(
    suggestions, county_scope, world, monkeypatch
):
    from portal.models import RuleSet
    from portal.services import rule_set_update

    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.county_congress, name="县"),
        values={"ranking_min_volume": 1},
        actor=None,
    )

    rows = reports.build(county_scope).table("units").rows

    assert [(row["unit"], row["rank"]) for row in rows] == [
        (world.unit.name, 1),
        (world.other_unit.name, 2),
    ]


def test_overdue_list_and_key_supervision(suggestions, county_scope, world, personas):
    from proposals import services

    services.key_item_create(
        congress=world.county_congress,
        year=county_scope.today.year,
        title="农村公路",
        leader=personas.leader,
        suggestions=[suggestions.items["s1"], suggestions.items["s2"]],
        actor=None,
    )
    section = reports.build(county_scope)

    overdue = section.table("overdue")
    assert overdue.total == 1
    [row] = overdue.rows
    assert (
        row["title"] == "关于整治违章建筑的建议"
        and row["unit"] == world.other_unit.name
    )
    assert row["urges"] == 2 and row["days"] > 0
    [item] = section.table("key_items").rows
    assert (item["suggestions"], item["replied"], item["closed"]) == (2, 2, 1)
    assert item["closed_rate"] == 0.5


def test_an_empty_scope_shows_no_rate(suggestions, world):
    scope = ReportScope(
        congress=world.other_township_congress,
        period=year_period(2001),
        today=year_period(2001).end,
    )

    section = reports.build(scope)

    rates = [m for m in section.metrics if m.kind == "rate"]
    assert rates and all(m.value is None and m.denominator == 0 for m in rates)
    assert all(m.display == "—" for m in rates)
    assert section.table("units").rows == [] and section.table("overdue").total == 0
