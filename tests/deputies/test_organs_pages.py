"""Issue 16 (organs): pages per role, scoping (an organ's staff see their
organ's plans only, another county gets 404, a deputy only their own),
constant queries on the lists, reminders and the report's rates."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies import organ_services as services
from deputies.organ_models import MeetingInvitation
from portal.notifications import run_reminders
from tests.deputies.conftest import messages_of


@pytest.fixture
def plan(world, deputies):
    return services.organ_plan_create(
        unit=world.unit,
        year=timezone.localdate().year,
        deputies=[deputies.own, *deputies.county[:3]],
        contacts_per_deputy=2,
        actor=None,
    )


@pytest.fixture
def contact(plan, deputies):
    return services.organ_contact_record(
        plan=plan,
        kind="symposium",
        date=timezone.localdate(),
        subject="代表座谈会",
        participants=[deputies.own, deputies.county[0]],
        actor=None,
    )


@pytest.fixture
def meeting(world, deputies):
    meeting = services.standing_meeting_create(
        congress=world.county_congress,
        number=5,
        date=timezone.localdate() + timedelta(days=1),
        actor=None,
    )
    services.meeting_invite(
        meeting=meeting,
        mandates=[deputies.own, deputies.county[1]],
        topic="预算调整方案",
        actor=None,
    )
    return meeting


def test_unit_staff_see_their_organs_plans_only(client, personas, plan):
    client.force_login(personas.unit_staff)
    assert (
        client.get(reverse("deputies:organ_plan_detail", args=[plan.pk])).status_code
        == 200
    )
    client.force_login(personas.other_unit_staff)
    assert (
        client.get(reverse("deputies:organ_plan_detail", args=[plan.pk])).status_code
        == 404
    )
    response = client.get(reverse("deputies:organ_plan_list"))
    assert response.status_code == 200
    assert plan.unit.name not in response.content.decode()


def test_other_county_gets_404_and_deputy_403(client, personas, plan, meeting):
    client.force_login(personas.other_county_staff)
    for name, obj in (("organ_plan_detail", plan), ("organ_meeting_detail", meeting)):
        assert client.get(reverse(f"deputies:{name}", args=[obj.pk])).status_code == 404
    client.force_login(personas.deputy)
    assert client.get(reverse("deputies:organ_plan_list")).status_code == 403
    assert client.get(reverse("deputies:organ_coverage")).status_code == 403


def test_unit_staff_record_a_contact(client, personas, plan, deputies):
    client.force_login(personas.unit_staff)
    url = reverse("deputies:organ_contact_create", args=[plan.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "visit",
            "date": timezone.localdate().isoformat(),
            "subject": "走访张桂英代表",
            "participants": [deputies.own.pk],
            "summary": "",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    assert plan.contacts.count() == 1
    # A deputy of another congress is not offered (and refused in Chinese).
    response = client.post(
        url,
        {
            "kind": "visit",
            "date": timezone.localdate().isoformat(),
            "subject": "x",
            "participants": [deputies.other_county.pk],
        },
    )
    assert response.status_code == 400
    assert (
        "有效选项" in response.content.decode()
        or "不是可用的选项" in response.content.decode()
        or "选择" in response.content.decode()
    )


def test_other_unit_may_not_record(client, personas, plan):
    client.force_login(personas.other_unit_staff)
    url = reverse("deputies:organ_contact_create", args=[plan.pk])
    assert client.get(url).status_code == 404
    client.force_login(personas.province_staff)
    assert client.get(url).status_code == 403  # reads, may not act


def test_plan_list_constant_queries(
    client, personas, world, deputies, django_assert_max_num_queries
):
    year = timezone.localdate().year
    for unit in (world.unit, world.other_unit):
        services.organ_plan_create(
            unit=unit, year=year, deputies=deputies.county[:3], actor=None
        )
    client.force_login(personas.county_staff)
    with django_assert_max_num_queries(20) as first:
        assert client.get(reverse("deputies:organ_plan_list")).status_code == 200
    from portal.models import HandlingUnit

    for n in range(3):
        unit = HandlingUnit.objects.create(
            name=f"湘源县第{n}局", region=world.county, kind="gov_dept"
        )
        services.organ_plan_create(
            unit=unit, year=year, deputies=deputies.county[:2], actor=None
        )
    client.force_login(personas.county_staff)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("deputies:organ_plan_list")).status_code == 200


def test_coverage_page_counts_deputies_and_plans_behind(
    client, personas, plan, contact
):
    client.force_login(personas.county_staff)
    response = client.get(reverse("deputies:organ_coverage"))
    assert response.status_code == 200
    context = response.context
    county = next(r for r in context["levels"] if r["congress__level"] == "county")
    assert county["contacted"] == 2
    assert county["total"] == 6
    row = context["plans"][0]
    assert row["due"] == 8 and row["done"] == 2


def test_deputy_sees_who_contacted_them_and_answers(
    client, personas, contact, meeting, deputies
):
    client.force_login(personas.deputy)
    response = client.get(reverse("deputies:organ_my"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "湘源县交通运输局" in page and "代表座谈会" in page
    invitation = meeting.invitations.get(mandate=deputies.own)
    url = reverse("deputies:organ_invitation_respond", args=[invitation.pk])
    response = client.post(url, {"accept": "0", "reason": ""})
    assert "婉辞邀请须说明理由。" in messages_of(response)
    client.post(url, {"accept": "0", "reason": "外出培训"})
    invitation.refresh_from_db()
    assert invitation.status == MeetingInvitation.Status.DECLINED
    # Someone else's invitation is a 404 for a deputy.
    other = meeting.invitations.get(mandate=deputies.county[1])
    url = reverse("deputies:organ_invitation_respond", args=[other.pk])
    assert client.post(url, {"accept": "1"}).status_code == 404
    assert client.get(url).status_code == 405


def test_staff_invite_and_record_on_the_meeting_page(
    client, personas, meeting, deputies
):
    client.force_login(personas.county_staff)
    response = client.get(reverse("deputies:organ_meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    response = client.post(
        reverse("deputies:organ_meeting_invite", args=[meeting.pk]),
        {"topic": "审议报告", "mandates": [deputies.county[2].pk]},
    )
    assert response.status_code == 302
    assert meeting.invitations.count() == 3
    client.force_login(personas.province_staff)
    response = client.post(
        reverse("deputies:organ_meeting_invite", args=[meeting.pk]),
        {"topic": "审议报告", "mandates": [deputies.county[3].pk]},
    )
    assert response.status_code == 403


def test_reminders_meeting_tomorrow_and_plan_behind(personas, world, plan, meeting):
    from portal.models import Notification

    today = timezone.localdate()
    counts = run_reminders(today)
    assert counts["standing_meeting.tomorrow"] == 1  # the deputy with an account
    assert Notification.objects.filter(
        kind="standing_meeting.tomorrow", recipient=personas.deputy
    ).exists()
    # The plan has no contact yet: behind schedule unless it is 1 January.
    if plan.year == today.year and (today.month, today.day) != (1, 1):
        assert counts["organ_plan.behind"] == 1
    again = run_reminders(today)
    assert again["standing_meeting.tomorrow"] == 0
    assert again["organ_plan.behind"] == 0


def test_report_has_the_new_rates(world, plan, contact, meeting):
    from deputies.reports import build
    from portal.reports.model import ReportScope
    from portal.reports.periods import Period

    today = timezone.localdate()
    from datetime import date

    period = Period(
        start=date(today.year, 1, 1),
        end=date(today.year, 12, 31),
        kind="year",
        label="",
    )
    scope = ReportScope(congress=world.county_congress, period=period, today=today)
    section = build(scope)
    metrics = {m.key: m for m in section.metrics}
    assert metrics["organ_contact_coverage"].numerator == 2
    assert metrics["organ_contact_coverage"].denominator == 7
    assert metrics["standing_meeting_coverage"].numerator == 2
    assert metrics["standing_meeting_coverage"].denominator == 6


def test_todos_of_each_role(personas, plan, meeting, deputies):
    from portal.registry import todo_items

    services.organ_contact_record(
        plan=plan,
        kind="visit",
        date=timezone.localdate(),
        subject="走访",
        participants=[deputies.own],
        follow_up="修补路面",
        actor=None,
    )
    unit_items = [i.kind for i in todo_items(personas.unit_staff)]
    assert "deputies.organ_follow_up" in unit_items
    deputy_items = [i.kind for i in todo_items(personas.deputy)]
    assert "deputies.invitation_respond" in deputy_items
    assert "deputies.organ_follow_up" not in [
        i.kind for i in todo_items(personas.other_unit_staff)
    ]


def test_meeting_list_and_my_page_constant_queries(
    client, personas, world, deputies, meeting, django_assert_max_num_queries
):
    client.force_login(personas.county_staff)
    with django_assert_max_num_queries(30) as first:
        assert client.get(reverse("deputies:organ_meeting_list")).status_code == 200
    client.force_login(personas.deputy)
    with django_assert_max_num_queries(30) as mine:
        assert client.get(reverse("deputies:organ_my")).status_code == 200
    for number in (6, 7):
        other = services.standing_meeting_create(
            congress=world.county_congress,
            number=number,
            date=timezone.localdate() + timedelta(days=2),
            actor=None,
        )
        services.meeting_invite(
            meeting=other,
            mandates=[deputies.own, *deputies.county[:3]],
            topic="t",
            actor=None,
        )
    client.force_login(personas.county_staff)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("deputies:organ_meeting_list")).status_code == 200
    client.force_login(personas.deputy)
    with django_assert_max_num_queries(len(mine.captured_queries)):
        assert client.get(reverse("deputies:organ_my")).status_code == 200
