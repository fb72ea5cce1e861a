"""民生实事项目: funnel, money, progress flags (the database expression agrees with
``services.progress_flag``), grades and coverage."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from livelihood_votes import reports, services
from livelihood_votes.models import Project
from portal.reports.model import ReportScope
from portal.reports.periods import year_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def scope(world):
    from tests.reports.conftest import today

    return ReportScope(
        congress=world.county_congress, period=year_period(today().year), today=today()
    )


def test_funnel_money_and_flags(livelihood, scope):
    section = reports.build(scope)

    assert section.metric("ideas").value == 3
    assert "初筛未通过1件" in str(section.metric("ideas").definition)
    assert section.metric("candidates").value == 4
    assert section.metric("selected").value == 3
    assert section.metric("selection_rate").value == pytest.approx(3 / 4)
    assert section.metric("projects").value == 3
    assert section.metric("budget").value == Decimal("230.00")
    assert section.metric("paid").value == Decimal("50.00")
    assert section.metric("paid_rate").value == pytest.approx(50 / 230)
    assert section.metric("completion_rate").value == 0.0
    assert section.metric("red").value == 1
    flags = {
        item.tone: item.value
        for item in next(c for c in section.charts if c.key == "flags").items
    }
    assert flags == {"red": 1, "amber": 1, "green": 1}
    [red] = section.table("red").rows
    assert red["title"] == "候选项目3" and red["progress"] == 0.1
    funnel = [
        item.value
        for item in next(c for c in section.charts if c.key == "funnel").items
    ]
    assert funnel == [3, 1, 4, 3]


def test_no_grades_yet_means_no_satisfaction_rate(livelihood, scope):
    section = reports.build(scope)

    assert section.metric("satisfaction_rate").value is None
    assert section.metric("satisfaction_rate").display == "—"


def test_coverage_per_year(livelihood, scope):
    section = reports.build(scope)

    rows = section.table("coverage").rows
    assert [r["year"] for r in rows] == list(
        range(scope.today.year - 4, scope.today.year + 1)
    )
    assert (rows[-1]["townships"], rows[-1]["programmes"], rows[-1]["voted"]) == (
        1,
        1,
        1,
    )
    assert rows[-1]["coverage"] == 1.0 and rows[0]["coverage"] == 0.0
    [programme] = section.table("programmes").rows
    assert (programme["ideas"], programme["candidates"], programme["selected"]) == (
        3,
        4,
        3,
    )


@pytest.mark.parametrize("offset", [-200, -1, 0, 30, 99, 101, 200])
def test_flag_expression_agrees_with_the_service(livelihood, offset):
    from tests.reports.conftest import today

    day = today() + timedelta(days=offset)
    flags = dict(
        Project.objects.annotate(
            flag=reports.progress_flag_expression(day)
        ).values_list("pk", "flag")
    )
    for project in Project.objects.all():
        assert flags[project.pk] == services.progress_flag(project, day), (project, day)
