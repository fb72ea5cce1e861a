"""Report periods: a year, a session (until the next one opens) or a date range."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from portal.models import Session, Term
from portal.reports.periods import PeriodError, parse_period, year_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(world):
    term = Term.objects.create(
        congress=world.county_congress,
        number=19,
        start_date=date(2026, 1, 1),
        end_date=date(2031, 1, 1),
        is_current=True,
    )
    first = Session.objects.create(
        term=term, number=1, start_date=date(2026, 1, 10), end_date=date(2026, 1, 12)
    )
    second = Session.objects.create(
        term=term, number=2, start_date=date(2027, 1, 8), end_date=date(2027, 1, 10)
    )
    return first, second


def test_a_year_runs_from_new_year_to_new_years_eve(world):
    period = parse_period({"year": "2026"}, congress=world.county_congress)

    assert (period.start, period.end, period.label) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        "2026年度",
    )
    since, until = period.bounds()
    assert since == timezone.make_aware(datetime(2026, 1, 1))
    assert until == timezone.make_aware(datetime(2027, 1, 1))
    assert str(since.tzinfo) == "Asia/Shanghai"


def test_the_current_year_by_default(world):
    today = date(2026, 11, 29)

    assert parse_period({}, congress=world.county_congress, today=today) == year_period(
        2026
    )


def test_a_session_runs_until_the_next_session_opens(world, sessions):
    first, second = sessions

    period = parse_period(
        {"session": str(first.pk)},
        congress=world.county_congress,
        today=date(2026, 11, 29),
    )
    latest = parse_period(
        {"session": str(second.pk)},
        congress=world.county_congress,
        today=date(2026, 11, 29),
    )

    assert (period.start, period.end) == (date(2026, 1, 10), date(2027, 1, 7))
    assert "第一次会议" in period.label and period.session_id == first.pk
    assert (latest.start, latest.end) == (date(2027, 1, 8), date(2027, 1, 10))
    assert period.as_params() == {"session": str(first.pk)}


def test_a_session_of_another_congress_is_refused(world, sessions):
    with pytest.raises(PeriodError, match="所选会议不属于"):
        parse_period(
            {"session": str(sessions[0].pk)}, congress=world.other_county_congress
        )


def test_a_date_range(world):
    period = parse_period(
        {"start": "2026-03-01", "end": "2026-06-30"}, congress=world.county_congress
    )

    assert (period.start, period.end) == (date(2026, 3, 1), date(2026, 6, 30))
    assert period.label == "2026年3月1日至2026年6月30日"
    assert period.years == (2026, 2026)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-06-30", "end": "2026-03-01"}, "结束日期不能早于开始日期"),
        ({"start": "2026-06-30"}, "请同时填写开始日期和结束日期"),
        ({"start": "2026/06/30", "end": "2026-07-01"}, "开始日期格式不正确"),
        ({"start": "2000-01-01", "end": "2026-07-01"}, "统计期间不能超过十年"),
        ({"year": "二〇二六"}, "年度应为四位数字"),
        ({"year": "1999"}, "年度应在2000至2100之间"),
        ({"session": "x"}, "请选择会议"),
    ],
)
def test_invalid_periods_say_why(world, params, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(params, congress=world.county_congress)
