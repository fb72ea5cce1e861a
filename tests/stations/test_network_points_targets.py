"""一站多点 and duty targets (issue 17): a station's points with their own
rosters; each deputy's duty days in a year against the rule, a to-do for the
station's staff and a reminder to the deputy when behind."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import RuleSet
from portal.services import DomainError
from stations import services as st_services
from stations.models import Station
from stations.network import reminders, selectors, services

from .test_feedback import deputy_member

pytestmark = pytest.mark.django_db


def _attend(sw, mandates, days_ago):
    day = st_services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() - timedelta(days=days_ago),
        slot="morning",
        deputies=list(mandates),
        actor=None,
    )
    st_services.duty_day_record_attendance(
        duty_day=day, attended=[m.pk for m in mandates], actor=None
    )


# --- points --------------------------------------------------------------------


def test_a_point_belongs_to_its_station_and_has_its_own_roster(sw, world):
    point = services.station_point_create(
        parent=sw.station,
        name="桃花村代表联络点",
        code="TH01-1",
        region=world.village,
        tracking_prefix="thc",
        actor=None,
    )
    assert point.parent == sw.station and point.kind == "point"
    assert point.tracking_prefix == "THC"
    assert list(sw.station.points.all()) == [point]
    st_services.station_add_member(
        station=point, mandate=sw.members[0], start_date=date(2026, 10, 1), actor=None
    )
    day = st_services.duty_day_create(
        station=point,
        date=timezone.localdate() + timedelta(days=5),
        slot="morning",
        deputies=[sw.members[0]],
        actor=None,
    )
    assert day.station == point


def test_a_point_outside_the_station_region_or_under_a_point_is_refused(sw, world):
    with pytest.raises(DomainError, match="联络点应设在联络站所在区划之内"):
        services.station_point_create(
            parent=sw.station,
            name="白沙村联络点",
            code="X1",
            region=world.other_township,
            tracking_prefix="X",
            actor=None,
        )
    point = services.station_point_create(
        parent=sw.station,
        name="桃花村代表联络点",
        code="TH01-1",
        region=world.village,
        tracking_prefix="THC",
        actor=None,
    )
    with pytest.raises(DomainError, match="联络点下不能再设联络点"):
        services.station_point_create(
            parent=point,
            name="再下一级",
            code="TH01-1-1",
            region=world.village,
            tracking_prefix="THD",
            actor=None,
        )


def test_station_staff_add_a_point_on_the_page_others_may_not(
    client, sw, world, personas
):
    url = reverse("stations:point_add", args=[sw.station.pk])
    data = {
        "name": "桃花村代表联络点",
        "code": "TH01-1",
        "tracking_prefix": "THC",
        "region": world.village.pk,
        "address": "桃花村村部",
    }
    client.force_login(personas.leader)
    assert client.post(url, data).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.post(url, data).status_code == 404
    client.force_login(sw.station_staff)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    point = Station.objects.get(code="TH01-1")
    page = client.get(reverse("stations:network", args=[sw.station.pk]))
    assert "桃花村代表联络点" in page.content.decode()
    public = client.get(reverse("stations:station", args=[sw.station.pk]))
    assert "桃花村代表联络点" in public.content.decode()
    public = client.get(reverse("stations:station", args=[point.pk]))
    assert "本联络点隶属于" in public.content.decode()


# --- duty targets ------------------------------------------------------------------


def test_expected_by_is_pro_rata_by_month():
    assert selectors.expected_by(4, 2026, date(2026, 6, 15)) == 2
    assert selectors.expected_by(4, 2026, date(2026, 12, 1)) == 4
    assert selectors.expected_by(4, 2025, date(2026, 1, 5)) == 4
    assert selectors.expected_by(4, 2027, date(2026, 1, 5)) == 0


def test_the_target_comes_from_the_deputys_congress_rules(sw):
    today = timezone.localdate()
    _attend(sw, sw.members[:2], 3)
    RuleSet.objects.create(
        congress=sw.congress, values={"station_duty_days_per_year": 1}
    )
    mandates = list(
        selectors.members_in(Station.objects.filter(pk=sw.station.pk))
        .annotate(attended=selectors.attended_in(today.year))
        .select_related("person", "congress__region")
        .order_by("pk")
    )
    rows = selectors.target_rows(mandates, today.year, today)
    assert [(r["name"], r["attended"], r["target"], r["met"]) for r in rows] == [
        ("丁一", 1, 1, True),
        ("王五", 1, 1, True),
        ("李四", 0, 1, False),
    ]


def test_staff_get_a_todo_when_deputies_are_behind(client, sw):
    client.force_login(sw.station_staff)
    items = selectors.network_todos(sw.station_staff)
    assert any("3名代表进站履职次数落后于年度目标" in i.title for i in items)
    other = selectors.network_todos(sw.other_station_staff)
    assert not any("桃花乡" in i.title for i in other)


def test_the_duty_target_page_lists_deputies_in_scope_only(client, sw, personas):
    _attend(sw, sw.members[:1], 2)
    url = reverse("stations:duty_targets")
    client.force_login(sw.station_staff)
    body = client.get(url).content.decode()
    for name in ("丁一", "王五", "李四"):
        assert name in body
    assert "赵外" not in body
    client.force_login(personas.other_county_staff)
    assert "丁一" not in client.get(url).content.decode()
    client.force_login(personas.unit_staff)
    assert client.get(url).status_code == 403


def test_the_duty_target_page_has_constant_queries(
    client, sw, django_assert_num_queries
):
    client.force_login(sw.station_staff)
    url = reverse("stations:duty_targets")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        deputy_member(sw, f"新代表{n}", f"new_deputy_{n}")
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("新代表") == 4


def test_a_deputy_behind_is_reminded_once_a_month(sw):
    user, mandate = deputy_member(sw)
    first = list(reminders.deputies_behind_duty_target(date(2026, 12, 2)))
    mine = [r for r in first if r.recipient == user]
    assert len(mine) == 1
    assert mine[0].milestone == "behind:2026-12"
    assert "按进度应不少于4次" in mine[0].title
    assert list(reminders.deputies_behind_duty_target(date(2026, 12, 20))) == []


def test_an_assessment_due_reminder_goes_to_the_station_staff(sw):
    due = list(reminders.assessments_due(date(2026, 11, 3)))
    assert [(r.recipient, r.milestone) for r in due if r.target == sw.station] == [
        (sw.station_staff, "assessment:2026")
    ]
    assert list(reminders.assessments_due(date(2026, 10, 3))) == []
    a = services.assessment_create(station=sw.station, year=2026, actor=None)
    services.assessment_score(
        assessment=a,
        scores=dict.fromkeys(a.checklist, 5),
        evidence={},
        actor=None,
    )
    services.assessment_submit(assessment=a, actor=None)
    assert not [
        r
        for r in reminders.assessments_due(date(2026, 11, 3))
        if r.target == sw.station
    ]


def test_the_api_lists_duty_targets_in_scope(api_as, sw, personas):
    _attend(sw, sw.members[:1], 2)
    rows = api_as(sw.station_staff).get("/api/v1/duty-targets/").json()["results"]
    assert [(r["name"], r["attended"]) for r in rows][-1] == ("丁一", 1)
    assert {r["name"] for r in rows} == {"丁一", "王五", "李四"}
    other = api_as(personas.other_county_staff).get("/api/v1/duty-targets/")
    assert other.json()["results"] == []
    assert api_as(personas.unit_staff).get("/api/v1/duty-targets/").status_code == 403
