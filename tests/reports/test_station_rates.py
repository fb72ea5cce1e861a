"""联络站和群众意见: the closed loop's rates on the hand-built opinions (see conftest)."""

from __future__ import annotations

import pytest

from portal.reports.model import ReportScope
from portal.reports.periods import year_period
from stations import reports

pytestmark = pytest.mark.django_db


def fraction(section, key):
    metric = section.metric(key)
    return metric.numerator, metric.denominator


def test_opinion_counts_and_rates(stations, county_scope):
    section = reports.build(county_scope)

    assert section.metric("opinions").value == 10  # not the other county's station
    assert fraction(section, "on_site_rate") == (
        1,
        9,
    )  # the untriaged one is not in the denominator
    assert section.metric("assigned").value == 5
    assert fraction(section, "closure_rate") == (3, 5)
    # o3 and o5 closed within their (last) due date; o9 closed late; o4 is overdue and open.
    assert fraction(section, "on_time_closure_rate") == (2, 4)
    assert section.metric("on_time_closure_rate").value == 0.5
    # Latest visits: o3 satisfied, o5 basically (after a dissatisfied first round), o9 satisfied, o10 dissatisfied.
    assert fraction(section, "visit_satisfaction_rate") == (3, 4)
    assert section.metric("dissatisfied").value == 1
    assert (section.metric("converted").value, section.metric("pooled").value) == (1, 1)
    assert section.metric("escalated").value == 0


def test_receptions_duty_and_deputies_without_a_duty_day(stations, county_scope):
    section = reports.build(county_scope)

    assert section.metric("stations").value == 1
    assert section.metric("receptions").value == 2
    assert section.metric("visitors").value == 15
    assert section.metric("deputy_visits").value == 3
    assert section.metric("duty_days").value == 1  # the one ahead has not happened yet
    assert fraction(section, "duty_attendance_rate") == (1, 2)
    assert fraction(section, "idle_share") == (1, 3)
    assert [r["name"] for r in section.table("without_duty").rows] == ["李站"]


def test_by_category_and_by_station(stations, county_scope):
    section = reports.build(county_scope)

    rows = {r["category"]: r for r in section.table("by_category").rows}
    assert (
        rows["交通出行"]["received"],
        rows["交通出行"]["assigned"],
        rows["交通出行"]["closed"],
    ) == (3, 2, 2)
    assert rows["城乡建设"]["closure_rate"] == 0.5
    assert rows["医疗卫生"]["on_site"] == 1 and rows["医疗卫生"]["closure_rate"] is None
    [station] = section.table("by_station").rows
    assert (
        station["receptions"],
        station["visitors"],
        station["opinions"],
        station["assigned"],
    ) == (2, 15, 10, 5)
    assert station["closure_rate"] == pytest.approx(3 / 5)


def test_a_province_report_includes_every_county(stations, world, period):
    section = reports.build(
        ReportScope(congress=world.province_congress, period=period, today=period.start)
    )

    assert section.metric("opinions").value == 11
    assert section.metric("stations").value == 2


def test_no_opinions_no_rates(stations, world):
    scope = ReportScope(
        congress=world.county_congress,
        period=year_period(2001),
        today=year_period(2001).end,
    )

    section = reports.build(scope)

    for key in (
        "on_site_rate",
        "closure_rate",
        "on_time_closure_rate",
        "visit_satisfaction_rate",
        "duty_attendance_rate",
    ):
        assert section.metric(key).value is None, key
        assert section.metric(key).display == "—"
    assert fraction(section, "idle_share") == (3, 3)
