"""代表履职: composition, attendance, points, 述职, zero performance and
qualification changes on the hand-built deputies (see conftest)."""

from __future__ import annotations

import pytest

from deputies import reports
from deputies.archive import zero_performance
from deputies.models import Mandate
from portal.reports.model import ReportScope
from portal.reports.periods import year_period

pytestmark = pytest.mark.django_db


def test_composition(deputies, county_scope):
    section = reports.build(county_scope)

    assert (
        section.metric("deputies").value == 6
    )  # suspended d counts; the other county's deputy does not
    assert (
        section.metric("female_share").numerator,
        section.metric("female_share").denominator,
    ) == (2, 6)
    assert section.metric("minority_share").value == pytest.approx(1 / 6)
    assert section.metric("frontline_share").value == pytest.approx(3 / 6)
    levels = {r["level"]: r["n"] for r in section.table("by_level").rows}
    assert levels == {"县级": 5, "乡镇级": 1}
    occupations = {r["occupation"]: r["n"] for r in section.table("by_occupation").rows}
    assert occupations == {
        "农民": 2,
        "工人": 1,
        "党政领导干部": 1,
        "专业技术人员": 1,
        "其他": 1,
    }
    assert [(r["ethnicity"], r["n"]) for r in section.table("by_ethnicity").rows] == [
        ("汉族", 5),
        ("苗族", 1),
    ]


def test_attendance_counts_reviewed_and_pending_activities_not_returned_ones(
    deputies, county_scope
):
    section = reports.build(county_scope)

    assert section.metric("activities").value == 2
    rate = section.metric("attendance_rate")
    assert (rate.numerator, rate.denominator) == (2, 4)
    rows = {r["kind"]: r for r in section.table("attendance").rows}
    assert (
        rows["视察"]["attended"],
        rows["视察"]["excused"],
        rows["视察"]["absent"],
    ) == (1, 1, 1)
    assert rows["视察"]["rate"] == pytest.approx(1 / 3)
    assert rows["调研"]["rate"] == 1.0
    assert "学习培训" not in rows


def test_points_ranking_shares_places_on_ties(deputies, county_scope):
    section = reports.build(county_scope)

    ranking = [
        (r["level"], r["name"], r["points"], r["rank"])
        for r in section.table("points").rows
    ]
    # Each level apart: its points table is its own (issue 19).
    county = [row[1:] for row in ranking if row[0] == "县级"]
    assert county[:2] == [("李建国", 5, 1), ("王秀英", 3, 2)]
    assert {(name, rank) for name, points, rank in county if points == 0} == {
        ("钱红", 3),
        ("孙强", 3),
    }
    assert county[-1] == ("赵明", -5, 5)
    assert [row[1:] for row in ranking if row[0] == "乡镇级"] == [("周农", 3, 1)]
    average = section.metric("points_average")
    assert (average.value, average.numerator, average.denominator) == (1.0, 6, 6)


def test_voter_report_coverage_and_satisfaction(deputies, county_scope):
    section = reports.build(county_scope)

    coverage = section.metric("report_coverage")
    assert (coverage.numerator, coverage.denominator) == (1, 5)  # active deputies only
    rows = {
        r["level"]: (r["reported"], r["total"])
        for r in section.table("voter_reports").rows
    }
    assert rows == {"县级": (1, 4), "乡镇级": (0, 1)}
    satisfaction = section.metric("report_satisfaction")
    assert (satisfaction.numerator, satisfaction.denominator) == (48, 50)


def test_zero_performance_matches_the_archive_rule(deputies, county_scope):
    section = reports.build(county_scope)

    zero = section.table("zero")
    assert [r["name"] for r in zero.rows] == ["孙强"] and zero.total == 1
    assert (
        section.metric("zero_share").numerator,
        section.metric("zero_share").denominator,
    ) == (1, 5)

    # Over a calendar year the report applies the archive's rule (deputies.archive).
    year = county_scope.today.year
    yearly = ReportScope(
        congress=county_scope.congress,
        period=year_period(year),
        today=county_scope.today,
    )
    listed = {r["name"] for r in reports.build(yearly).table("zero").rows}
    current = Mandate.objects.filter(
        congress__region__path__startswith=county_scope.path, term__is_current=True
    )
    assert listed == set(
        zero_performance(current, year).values_list("person__name", flat=True)
    )


def test_qualification_changes_in_scope(deputies, county_scope):
    section = reports.build(county_scope)

    [row] = section.table("qualification").rows
    assert (row["name"], row["kind"], row["document"]) == (
        "钱红",
        "暂停执行代表职务",
        "湘源县人大常委会公告〔2026〕第3号",
    )
    assert section.metric("qualification_changes").value == 1


def test_no_deputies_no_rates(deputies, world):
    scope = ReportScope(
        congress=world.province_congress,
        period=year_period(2001),
        today=year_period(2001).end,
    )

    section = reports.build(scope)

    assert (
        section.metric("deputies").value == 7
    )  # composition is as of today, across the province
    assert section.metric("attendance_rate").value is None
    assert section.metric("report_coverage").value == 0.0
    assert section.metric("report_satisfaction").value is None
    assert section.metric("points_average").value == 0.0
