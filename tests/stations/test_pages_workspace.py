"""The station workspace: station list, members, roster planning, attendance and
receptions, for the station's staff, congress staff, and those who may not."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import LedgerEntry
from deputies.services import mandate_suspend
from stations import services
from stations.models import DutyDay, Reception, StationMembership
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db


def manage_url(sw):
    return reverse("stations:manage", args=[sw.station.pk])


# --- who may see what -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "manage_list",
        "inbox",
    ],
)
def test_staff_lists_redirect_anonymous_to_login(client, name):
    response = client.get(reverse(f"stations:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_pages_of_a_station_redirect_anonymous_to_login(client, sw):
    for url in (manage_url(sw), reverse("stations:member_add", args=[sw.station.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_station_list_shows_own_stations_with_counts(client, sw):
    client.force_login(sw.station_staff)
    response = client.get(reverse("stations:manage_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "桃花乡代表联络站" in html and "白沙镇代表联络站" not in html


def test_county_staff_see_stations_of_their_county_only(client, sw, personas):
    client.force_login(personas.county_staff)
    html = client.get(reverse("stations:manage_list")).content.decode()
    assert "桃花乡代表联络站" in html and "白沙镇代表联络站" not in html


def test_station_list_refuses_post(client, sw):
    client.force_login(sw.station_staff)
    assert client.post(reverse("stations:manage_list")).status_code == 405


def test_station_staff_workspace_shows_members_and_forms(client, sw):
    client.force_login(sw.station_staff)
    response = client.get(manage_url(sw))
    html = response.content.decode()
    assert response.status_code == 200
    assert "丁一" in html and "王五" in html and "李四" in html
    assert "新增接待日" in html and "登记接待记录" in html and "添加进站代表" in html


@pytest.mark.parametrize(
    "persona", ["other_station_staff", "other_county_staff", "unit_staff", "deputy"]
)
def test_workspace_out_of_scope_is_404(client, sw, personas, persona):
    user = getattr(sw, persona, None) or getattr(personas, persona)
    client.force_login(user)
    assert client.get(manage_url(sw)).status_code == 404
    response = client.post(
        reverse("stations:duty_day_create", args=[sw.station.pk]),
        {"date": "2026-12-20"},
    )
    assert response.status_code == 404


def test_county_staff_may_manage_a_township_station(client, sw, personas):
    client.force_login(personas.county_staff)
    html = client.get(manage_url(sw)).content.decode()
    assert "新增接待日" in html


def test_leader_reads_the_workspace_but_may_not_change_it(client, sw, personas):
    client.force_login(personas.leader)
    response = client.get(manage_url(sw))
    html = response.content.decode()
    assert response.status_code == 200
    assert "丁一" in html and "新增接待日" not in html
    response = client.post(
        reverse("stations:duty_day_create", args=[sw.station.pk]),
        {"date": "2026-12-20", "slot": "morning", "deputies": [sw.members[0].pk]},
    )
    assert response.status_code == 403
    assert not DutyDay.objects.exists()


def test_workspace_refuses_post(client, sw):
    client.force_login(sw.station_staff)
    assert client.post(manage_url(sw)).status_code == 405


# --- members ------------------------------------------------------------------------------


def test_member_search_finds_current_deputies_of_any_level(client, sw, world):
    county_deputy = make_mandate(_county_congress_with_term(world), "钱县代")
    client.force_login(sw.station_staff)
    url = reverse("stations:member_add", args=[sw.station.pk])
    html = client.get(url, {"q": "钱县代"}).content.decode()
    assert "钱县代" in html and "编入本站" in html
    html = client.get(url, {"q": county_deputy.card_number}).content.decode()
    assert "钱县代" in html
    html = client.get(url, {"q": "丁一"}).content.decode()
    assert "已在本站" in html


def _county_congress_with_term(world):
    from portal.models import Term

    Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    return world.county_congress


def test_member_add_groups_a_deputy_into_the_station(client, sw):
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:member_add", args=[sw.station.pk]),
        {"mandate": sw.outsider.pk, "role": "rotating", "start_date": "2026-11-01"},
    )
    assert response.status_code == 302
    membership = StationMembership.objects.get(station=sw.station, mandate=sw.outsider)
    assert membership.role == "rotating"


def test_member_add_refuses_a_suspended_deputy(client, sw):
    mandate_suspend(
        mandate=sw.outsider, ground="detained", on=date(2026, 11, 1), actor=None
    )
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:member_add", args=[sw.station.pk]),
        {"mandate": sw.outsider.pk, "role": "resident", "start_date": "2026-11-01"},
    )
    assert response.status_code == 400
    assert "该代表不在本届正常履职的代表中" in response.content.decode()
    assert not StationMembership.objects.filter(mandate=sw.outsider).exists()


def test_member_add_by_other_station_staff_is_404(client, sw):
    client.force_login(sw.other_station_staff)
    response = client.post(
        reverse("stations:member_add", args=[sw.station.pk]),
        {"mandate": sw.outsider.pk, "role": "resident", "start_date": "2026-11-01"},
    )
    assert response.status_code == 404


def test_member_add_is_403_for_a_leader(client, sw, personas):
    client.force_login(personas.leader)
    url = reverse("stations:member_add", args=[sw.station.pk])
    assert client.get(url, {"q": "丁一"}).status_code == 403


def test_member_add_refuses_put(client, sw):
    client.force_login(sw.station_staff)
    url = reverse("stations:member_add", args=[sw.station.pk])
    assert client.put(url).status_code == 405


def test_member_end(client, sw):
    membership = StationMembership.objects.get(
        station=sw.station, mandate=sw.members[0]
    )
    client.force_login(sw.station_staff)
    url = reverse("stations:member_end", args=[sw.station.pk, membership.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate()
    assert client.post(url).status_code == 404  # already ended


# --- roster --------------------------------------------------------------------------------


def test_duty_day_create_with_current_members(client, sw):
    client.force_login(sw.station_staff)
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("stations:duty_day_create", args=[sw.station.pk]),
        {
            "date": day.isoformat(),
            "slot": "morning",
            "topic": "道路",
            "deputies": [m.pk for m in sw.members[:2]],
        },
    )
    assert response.status_code == 302
    duty_day = DutyDay.objects.get()
    assert set(duty_day.deputies.all()) == set(sw.members[:2])
    assert not duty_day.is_published


def test_duty_day_create_refuses_a_non_member_and_a_taken_slot(client, sw):
    client.force_login(sw.station_staff)
    url = reverse("stations:duty_day_create", args=[sw.station.pk])
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(
        url, {"date": day, "slot": "morning", "deputies": [sw.outsider.pk]}
    )
    assert response.status_code == 400
    assert not DutyDay.objects.exists()
    client.post(url, {"date": day, "slot": "morning", "deputies": [sw.members[0].pk]})
    response = client.post(
        url, {"date": day, "slot": "morning", "deputies": [sw.members[1].pk]}
    )
    assert response.status_code == 400
    assert "该时段已有接待安排。" in response.content.decode()
    assert DutyDay.objects.count() == 1


def test_duty_day_create_needs_deputies(client, sw):
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:duty_day_create", args=[sw.station.pk]),
        {"date": "2026-12-20", "slot": "morning"},
    )
    assert response.status_code == 400
    assert "请至少选择一名值班代表。" in response.content.decode()


def test_duty_day_create_refuses_get(client, sw):
    client.force_login(sw.station_staff)
    assert (
        client.get(
            reverse("stations:duty_day_create", args=[sw.station.pk])
        ).status_code
        == 405
    )


def test_publish_respects_the_notice_rule(client, sw):
    today = timezone.localdate()
    soon = services.duty_day_create(
        station=sw.station,
        date=today + timedelta(days=1),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
        today=today - timedelta(days=5),  # planned in time, not published then
    )
    later = services.duty_day_create(
        station=sw.station,
        date=today + timedelta(days=5),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:duty_day_publish", args=[sw.station.pk, soon.pk]), follow=True
    )
    assert "接待日须至少提前3天向社会公布" in response.content.decode()
    soon.refresh_from_db()
    assert not soon.is_published
    response = client.post(
        reverse("stations:duty_day_publish", args=[sw.station.pk, later.pk]),
        follow=True,
    )
    assert "已向社会公布" in response.content.decode()
    later.refresh_from_db()
    assert later.is_published


def test_publish_a_duty_day_of_another_station_is_404(client, sw):
    other_member = sw.outsider
    services.station_add_member(
        station=sw.other_station,
        mandate=other_member,
        start_date=date(2026, 10, 1),
        actor=None,
    )
    day = services.duty_day_create(
        station=sw.other_station,
        date=timezone.localdate() + timedelta(days=9),
        slot="morning",
        deputies=[other_member],
        actor=None,
    )
    client.force_login(sw.station_staff)
    # Through our own station's URL, another station's duty day does not exist.
    url = reverse("stations:duty_day_publish", args=[sw.station.pk, day.pk])
    assert client.post(url).status_code == 404
    url = reverse("stations:duty_day_publish", args=[sw.other_station.pk, day.pk])
    assert client.post(url).status_code == 404


def test_attendance_after_the_day_earns_points(client, sw):
    day = services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() - timedelta(days=1),
        slot="morning",
        deputies=sw.members[:2],
        actor=None,
    )
    client.force_login(sw.station_staff)
    url = reverse("stations:duty_day_attendance", args=[sw.station.pk, day.pk])
    html = client.get(url).content.decode()
    assert "丁一" in html and "王五" in html
    response = client.post(url, {"attended": [sw.members[0].pk]})
    assert response.status_code == 302
    assert (
        LedgerEntry.objects.filter(
            mandate=sw.members[0], kind="station_duty_half_day"
        ).count()
        == 1
    )
    assert not LedgerEntry.objects.filter(mandate=sw.members[1]).exists()


def test_attendance_before_the_day_is_refused(client, sw):
    day = services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() + timedelta(days=3),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    client.force_login(sw.station_staff)
    url = reverse("stations:duty_day_attendance", args=[sw.station.pk, day.pk])
    response = client.post(url, {"attended": [sw.members[0].pk]}, follow=True)
    assert "接待日还没到" in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_attendance_by_leader_is_403(client, sw, personas):
    day = services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() - timedelta(days=1),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    client.force_login(personas.leader)
    url = reverse("stations:duty_day_attendance", args=[sw.station.pk, day.pk])
    assert client.get(url).status_code == 403


# --- receptions -----------------------------------------------------------------------------


def test_reception_create(client, sw):
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:reception_create", args=[sw.station.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "mode": "home_visit",
            "deputies": [sw.members[0].pk],
            "visitor_count": 12,
            "notes": "走访桃花村。",
        },
    )
    assert response.status_code == 302
    reception = Reception.objects.get()
    assert reception.visitor_count == 12
    assert list(reception.deputies.all()) == [sw.members[0]]
    html = client.get(manage_url(sw)).content.decode()
    assert "走访桃花村" in html and "下访" in html


def test_reception_in_the_future_is_refused(client, sw):
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:reception_create", args=[sw.station.pk]),
        {
            "date": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "mode": "hotline",
            "visitor_count": 1,
        },
    )
    assert response.status_code == 400
    assert "接待日期不能晚于今天。" in response.content.decode()
    assert not Reception.objects.exists()


def test_reception_by_other_station_staff_is_404(client, sw):
    client.force_login(sw.other_station_staff)
    response = client.post(
        reverse("stations:reception_create", args=[sw.station.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "mode": "hotline",
            "visitor_count": 1,
        },
    )
    assert response.status_code == 404


def test_workspace_query_count_is_constant(client, sw, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(sw.station_staff)
    today = timezone.localdate()

    def add(offset):
        day = services.duty_day_create(
            station=sw.station,
            date=today + timedelta(days=offset),
            slot="morning",
            deputies=sw.members,
            actor=None,
        )
        services.reception_create(
            station=sw.station,
            date=today,
            mode="hotline",
            deputies=sw.members,
            duty_day=None,
            actor=None,
        )
        return day

    add(5)
    client.get(manage_url(sw))  # warm the session (renewed at most once a minute)
    with CaptureQueriesContext(connection) as few:
        assert client.get(manage_url(sw)).status_code == 200
    for offset in (6, 7, 8):
        add(offset)
    with django_assert_num_queries(len(few)):
        client.get(manage_url(sw))
