"""我的履职, confirming attendance, the navigation items and the to-do provider."""

from datetime import date

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import Attendance
from deputies.selectors import deputy_todos
from tests.deputies.conftest import messages_of

pytestmark = pytest.mark.django_db

ME = reverse("deputies:my_performance")


@pytest.fixture
def approved(deputies, world, personas):
    """An approved inspection the deputy and two others attended."""
    activity = services.activity_create(
        congress=world.county_congress,
        kind="inspection",
        title="视察县人民医院",
        date=date(2026, 11, 12),
        participants=[deputies.own, *deputies.county[:2]],
        actor=None,
    )
    for mandate in (deputies.own, *deputies.county[:2]):
        services.attendance_set(
            activity=activity, mandate=mandate, status="attended", actor=None
        )
    services.activity_review(
        activity=activity, approve=True, actor=personas.county_staff
    )
    return activity


@pytest.fixture
def pending(deputies, world):
    return services.activity_create(
        congress=world.county_congress,
        kind="research",
        title="农村养老服务调研",
        date=date(2026, 11, 26),
        participants=[deputies.own],
        actor=None,
    )


def test_deputy_sees_points_ranking_and_mandates(
    client, personas, deputies, approved, settings
):
    client.force_login(personas.deputy)
    response = client.get(ME, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "湘源县人民代表大会第十九届代表" in html
    assert "视察" in html
    assert "湘源县人民代表大会排名" in html
    assert '<span class="stat__value">3</span>' in html  # 3 points for the inspection
    assert "XY-100" in html


def test_a_year_without_records_is_flagged(client, personas, deputies):
    client.force_login(personas.deputy)
    html = client.get(ME, {"year": 2026}).content.decode()
    assert "本年度暂无履职记录" in html


def test_confirm_attendance(client, personas, deputies, pending):
    attendance = Attendance.objects.get(activity=pending, mandate=deputies.own)
    client.force_login(personas.deputy)
    html = client.get(ME).content.decode()
    assert "农村养老服务调研" in html and "确认参加" in html
    response = client.post(reverse("deputies:attendance_confirm", args=[attendance.pk]))
    assert response.status_code == 302
    assert response.url == ME
    assert "已确认参加“农村养老服务调研”。" in messages_of(response)
    attendance.refresh_from_db()
    assert attendance.confirmed_at is not None
    assert attendance.status == Attendance.Status.ATTENDED


def test_counted_activity_shows_its_state_not_the_button(
    client, personas, deputies, pending, approved
):
    """Issue 18: an approved activity (points counted) is not offered 确认参加;
    the policy decides, the page shows its state."""
    from deputies.policies import AttendancePolicy

    counted = Attendance.objects.get(activity=approved, mandate=deputies.own)
    waiting = Attendance.objects.get(activity=pending, mandate=deputies.own)
    assert counted.confirmed_at is None  # staff recorded it; the deputy never did
    assert not AttendancePolicy.allows(personas.deputy, "confirm", counted)
    assert AttendancePolicy.allows(personas.deputy, "confirm", waiting)
    assert not AttendancePolicy.allows(personas.other_deputy, "confirm", waiting)
    client.force_login(personas.deputy)
    html = client.get(ME).content.decode()
    counted_url = reverse("deputies:attendance_confirm", args=[counted.pk])
    waiting_url = reverse("deputies:attendance_confirm", args=[waiting.pk])
    assert counted_url not in html and waiting_url in html
    assert html.count(">确认参加</button>") == 1
    assert 'badge--ok">已审核，积分已计入</span>' in html
    # Posting anyway is refused with the reason, and nothing changes.
    response = client.post(counted_url)
    assert "活动已审核，出席情况以审核结果为准。" in messages_of(response)
    counted.refresh_from_db()
    assert counted.confirmed_at is None


def test_nobody_confirms_for_someone_else(client, personas, deputies, pending):
    attendance = Attendance.objects.get(activity=pending, mandate=deputies.own)
    url = reverse("deputies:attendance_confirm", args=[attendance.pk])
    for user in (personas.county_staff, personas.other_deputy):
        client.force_login(user)
        assert client.post(url).status_code == 404
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 405
    client.logout()
    assert client.post(url).status_code == 302
    attendance.refresh_from_db()
    assert attendance.confirmed_at is None


def test_my_performance_anonymous_method_and_no_mandate(client, personas, terms):
    assert client.get(ME).status_code == 302
    client.force_login(personas.county_staff)
    response = client.get(ME)
    assert response.status_code == 200
    assert "您目前没有代表资格" in response.content.decode()
    assert client.post(ME).status_code == 405


def test_query_count_does_not_grow_with_the_ledger(
    client, personas, deputies, world, django_assert_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            services.ledger_record(
                mandate=deputies.own,
                kind="research",
                occurred_on=date(2026, 11, 1),
                key=f"me:{i}",
                actor=None,
            )

    add(2, 0)
    client.force_login(personas.deputy)
    client.get(ME)
    with django_assert_num_queries(ME_QUERIES):
        client.get(ME)
    add(10, 2)
    with django_assert_num_queries(ME_QUERIES):
        client.get(ME)


# session, user, grants, mandates, to-confirm list, unread count, session save
# (3), and per mandate: ledger, totals by kind, congress ranking, memberships,
# stations (plus per group and station: the levels in it, then its ranking;
# performance_archive's design).
ME_QUERIES = 11


# --- navigation and dashboard -------------------------------------------------------------


def test_navigation_items(client, personas, deputies):
    client.force_login(personas.county_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert f'href="{reverse("deputies:list")}"' in html
    assert f'href="{ME}"' not in html
    client.force_login(personas.deputy)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert f'href="{ME}"' in html
    assert f'href="{reverse("deputies:list")}"' not in html


def test_todos_for_deputy_and_staff(personas, deputies, pending, approved):
    titles = [item.title for item in deputy_todos(personas.deputy)]
    assert "请确认参加履职活动：农村养老服务调研" in titles
    # an approved activity is settled by the review: nothing left to confirm
    assert "请确认参加履职活动：视察县人民医院" not in titles
    staff_items = deputy_todos(personas.county_staff)
    assert [item.title for item in staff_items] == ["履职活动待审核：农村养老服务调研"]
    # Due within the rule's working days of the activity (issue 18: no 无期限).
    from portal.workdays import add_working_days

    assert staff_items[0].due_date == add_working_days(pending.date, 10)
    assert deputy_todos(personas.other_county_staff) == []
    assert deputy_todos(personas.leader) == []  # leaders read; they do not review


def test_dashboard_shows_the_todos(client, personas, deputies, pending):
    client.force_login(personas.county_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert "履职活动待审核：农村养老服务调研" in html
    assert reverse("deputies:activity_detail", args=[pending.pk]) in html
