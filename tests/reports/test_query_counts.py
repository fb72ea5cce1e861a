"""The whole report runs a number of queries that does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies import services as deputy_services
from portal.models import HandlingUnit
from portal.reports import service
from stations import services as st_services
from tests.factories import make_mandate
from tests.reports.conftest import _opinion, add_replied_suggestion, today

pytestmark = pytest.mark.django_db


def _count(world, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        service.build_report(congress=world.county_congress, period=period, user=None)
    return len(ctx.captured_queries)


def _grow(world, personas, suggestions, stations, n: int) -> None:
    for i in range(n):
        add_replied_suggestion(suggestions, world, personas, i)
        opinion = st_services.opinion_assign(
            opinion=_opinion(stations.station),
            unit=HandlingUnit.objects.get(name="桃花乡社会事务办"),
            actor=None,
        )
        st_services.opinion_reply(opinion=opinion, text="已处理", actor=None)
    extra = [make_mandate(world.county_congress, f"新代表{i}") for i in range(n)]
    activity = deputy_services.activity_create(
        congress=world.county_congress,
        kind="inspection",
        title="视察",
        date=today() - timedelta(days=2),
        participants=extra,
        actor=None,
    )
    deputy_services.activity_review(activity=activity, approve=True, actor=None)


def test_report_queries_are_independent_of_the_number_of_rows(
    world, personas, suggestions, stations, livelihood, period
):
    small = _count(world, period)
    _grow(world, personas, suggestions, stations, 6)
    larger = _count(world, period)

    assert small == larger
    # Issues 16 and 17 added rates and sections (国家机关联系代表, 大会出席与培训,
    # 表彰激励, 联络站考评, 代表活动经费, 基层立法联系点) of a few constant
    # queries each: 94 in all when merged.
    assert small < 110


def test_each_section_runs_a_fixed_number_of_queries(
    world, personas, suggestions, stations, livelihood, period
):
    from portal.registry import report_sections
    from portal.reports.model import ReportScope

    scope = ReportScope(congress=world.county_congress, period=period, today=today())

    def per_section() -> dict[str, int]:
        counts = {}
        for section in report_sections():
            with CaptureQueriesContext(connection) as ctx:
                section.build(scope)
            counts[section.key] = len(ctx.captured_queries)
        return counts

    before = per_section()
    _grow(world, personas, suggestions, stations, 3)

    assert per_section() == before
