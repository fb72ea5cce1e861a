"""Key supervision (重点督办) events planned ahead: who may plan and cancel them,
the date they need, and the reminder the day before (a catch-up, sent once)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Notification, RuleSet
from portal.notifications import run_reminders
from portal.services import DomainError, TransitionError, role_grant_create
from proposals import services
from proposals.models import PlannedSupervisionEvent
from tests.factories import UserFactory
from tests.proposals.conftest import assigned

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def item(pw, world, personas):
    return services.key_item_create(
        congress=pw.congress,
        year=TODAY().year,
        title="农村公路养护",
        leader=personas.leader,
        suggestions=[assigned(pw, world)],
        actor=None,
    )


def plan(item, actor, days=7, **extra):
    return services.key_item_plan_event(
        item=item,
        kind=extra.pop("kind", "visit"),
        date=TODAY() + timedelta(days=days),
        actor=actor,
        **extra,
    )


def reminded(kind="key_item.event_planned"):
    return sorted(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


# --- the service ------------------------------------------------------------------------


def test_an_event_is_planned_on_a_later_day_with_an_audit_row(item, personas):
    planned = plan(item, personas.county_staff, purpose=" 查看养护进度 ")
    assert (planned.kind, planned.purpose, planned.planned_by) == (
        "visit",
        "查看养护进度",
        personas.county_staff,
    )
    assert planned.cancelled_at is None
    assert AuditEvent.objects.filter(
        action="key_item.plan_event", object_id=str(item.pk)
    ).exists()
    assert item.events.count() == 0  # planned, not yet recorded


@pytest.mark.parametrize("days", [0, -1, -30])
def test_today_or_a_past_date_is_refused(item, personas, days):
    with pytest.raises(DomainError) as refused:
        plan(item, personas.county_staff, days=days)
    assert refused.value.field == "date"
    assert refused.value.message == (
        f"计划日期应晚于今天（{TODAY().isoformat()}）；已经开展的督办活动请直接记录。"
    )
    assert not PlannedSupervisionEvent.objects.exists()


def test_an_unknown_kind_is_refused(item, personas):
    with pytest.raises(DomainError, match="督办方式不正确"):
        plan(item, personas.county_staff, kind="party")


def test_cancel_once_then_no_op_and_never_after_the_day(item, personas):
    planned = plan(item, personas.county_staff)
    cancelled = services.planned_event_cancel(planned=planned, actor=personas.leader)
    assert cancelled.cancelled_at is not None
    again = services.planned_event_cancel(planned=planned, actor=personas.leader)
    assert again.cancelled_at == cancelled.cancelled_at
    assert (
        AuditEvent.objects.filter(action="key_item.cancel_planned_event").count() == 1
    )
    past = plan(item, personas.county_staff, days=1)
    with pytest.raises(TransitionError) as refused:
        services.planned_event_cancel(
            planned=past, actor=None, today=past.date + timedelta(days=1)
        )
    assert refused.value.message == "该督办活动的计划日期已过，不能取消。"


def test_those_already_reminded_are_told_of_a_cancellation(
    item, personas, django_capture_on_commit_callbacks
):
    planned = plan(item, personas.county_staff, days=1)
    run_reminders(TODAY(), jobs=["planned_supervision_events"])
    with django_capture_on_commit_callbacks(execute=True):
        services.planned_event_cancel(planned=planned, actor=personas.county_staff)
    assert reminded("key_item.event_cancelled") == ["county_staff", "leader_p"]
    note = Notification.objects.filter(kind="key_item.event_cancelled").first()
    assert note.title == (
        f"{planned.date.isoformat()}的实地督办已取消：重点督办事项“农村公路养护”"
    )


def test_a_cancellation_before_any_reminder_tells_nobody(
    item, personas, django_capture_on_commit_callbacks
):
    planned = plan(item, personas.county_staff, days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.planned_event_cancel(planned=planned, actor=personas.county_staff)
    assert not Notification.objects.exists()


# --- the reminder ----------------------------------------------------------------------


def test_reminded_the_day_before_once_and_not_after_the_day(item, personas):
    planned = plan(item, personas.leader, days=5, purpose="查看养护进度")
    run_reminders(planned.date - timedelta(days=2), jobs=["planned_supervision_events"])
    assert reminded() == []
    run_reminders(planned.date - timedelta(days=1), jobs=["planned_supervision_events"])
    assert reminded() == ["county_staff", "leader_p"]
    note = Notification.objects.get(recipient=personas.leader)
    assert note.title == (
        f"明天（{planned.date.isoformat()}）实地督办：重点督办事项“农村公路养护”"
    )
    assert note.body == "查看养护进度"
    assert note.url == f"/proposals/key/{item.pk}/"
    run_reminders(planned.date, jobs=["planned_supervision_events"])
    run_reminders(planned.date + timedelta(days=1), jobs=["planned_supervision_events"])
    assert Notification.objects.count() == 2


def test_a_missed_day_before_is_caught_up_on_the_day_itself(item, personas):
    planned = plan(item, personas.county_staff, days=3, kind="hearing")
    run_reminders(planned.date, jobs=["planned_supervision_events"])
    run_reminders(planned.date, jobs=["planned_supervision_events"])
    note = Notification.objects.get(recipient=personas.leader)
    assert note.title.startswith(f"今天（{planned.date.isoformat()}）座谈听证")
    assert Notification.objects.count() == 2


def test_a_visit_whose_day_passed_unseen_is_not_reminded(item, personas):
    planned = plan(item, personas.county_staff, days=2)
    run_reminders(planned.date + timedelta(days=1), jobs=["planned_supervision_events"])
    assert not Notification.objects.exists()


def test_a_cancelled_event_is_not_reminded(item, personas):
    planned = plan(item, personas.county_staff, days=1)
    services.planned_event_cancel(planned=planned, actor=None)
    run_reminders(TODAY(), jobs=["planned_supervision_events"])
    assert not Notification.objects.exists()


def test_the_days_ahead_are_a_rule(pw, item, personas):
    RuleSet.objects.create(congress=pw.congress, values={"visit_reminder_days": 3})
    planned = plan(item, personas.county_staff, days=10)
    run_reminders(planned.date - timedelta(days=4), jobs=["planned_supervision_events"])
    assert not Notification.objects.exists()
    run_reminders(planned.date - timedelta(days=3), jobs=["planned_supervision_events"])
    note = Notification.objects.get(recipient=personas.leader)
    assert note.title.startswith(f"3天后（{planned.date.isoformat()}）")


def test_the_planner_is_reminded_and_an_inactive_leader_is_not(item, personas):
    other_staff = UserFactory(username="county_staff_2")
    role_grant_create(
        user=other_staff, role="congress_staff", congress=item.congress, actor=None
    )
    personas.leader.is_active = False
    personas.leader.save()
    planned = plan(item, personas.admin, days=1)
    run_reminders(planned.date - timedelta(days=1), jobs=["planned_supervision_events"])
    assert reminded() == ["admin_p", "county_staff", "county_staff_2"]


# --- the pages ---------------------------------------------------------------------------


def test_staff_plan_on_the_item_page_and_see_it_listed(client, item, personas):
    client.force_login(personas.county_staff)
    day = TODAY() + timedelta(days=9)
    response = client.post(
        reverse("proposals:key_plan", args=[item.pk]),
        {"kind": "visit", "date": day.isoformat(), "purpose": "实地查看村道"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:key_detail", args=[item.pk])
    html = client.get(reverse("proposals:key_detail", args=[item.pk])).content.decode()
    assert "计划督办活动" in html and "实地查看村道" in html and "取消计划" in html


def test_a_past_date_is_refused_in_chinese(client, item, personas):
    client.force_login(personas.leader)
    response = client.post(
        reverse("proposals:key_plan", args=[item.pk]),
        {"kind": "visit", "date": (TODAY() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "计划日期应晚于今天" in response.content.decode()
    missing = client.post(reverse("proposals:key_plan", args=[item.pk]), {})
    assert missing.status_code == 400 and "请填写计划日期" in missing.content.decode()
    assert not PlannedSupervisionEvent.objects.exists()


def test_who_may_plan_a_key_items_event(client, pw, item, personas):
    url = reverse("proposals:key_plan", args=[item.pk])
    data = {"kind": "visit", "date": (TODAY() + timedelta(days=3)).isoformat()}
    other_leader = UserFactory()
    role_grant_create(
        user=other_leader, role="leader", congress=pw.congress, actor=None
    )
    client.force_login(other_leader)  # sees the item, does not lead it
    assert client.post(url, data).status_code == 403
    for persona in ("other_county_staff", "deputy", "unit_staff"):
        client.force_login(getattr(personas, persona))
        assert client.post(url, data).status_code == 404, persona
    client.force_login(personas.county_staff)
    assert client.get(url).status_code == 405
    assert not PlannedSupervisionEvent.objects.exists()
    client.force_login(personas.leader)
    assert client.post(url, data).status_code == 302


def test_who_may_cancel_a_planned_event(client, pw, item, personas):
    planned = plan(item, personas.county_staff)
    url = reverse("proposals:key_planned_cancel", args=[planned.pk])
    other_leader = UserFactory()
    role_grant_create(
        user=other_leader, role="leader", congress=pw.congress, actor=None
    )
    client.force_login(other_leader)
    assert client.post(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.post(url).status_code == 404
    client.force_login(personas.leader)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.cancelled_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "计划的督办活动已取消" in html and "没有计划中的督办活动" in html


def test_a_cancelled_or_past_plan_is_not_listed(client, item, personas):
    shown = plan(item, personas.county_staff, days=4, purpose="将要开展")
    gone = plan(item, personas.county_staff, days=5, purpose="已取消的")
    services.planned_event_cancel(planned=gone, actor=None)
    PlannedSupervisionEvent.objects.create(
        item=item, kind="visit", date=date(2020, 1, 1), purpose="很早以前的"
    )
    client.force_login(personas.county_staff)
    html = client.get(reverse("proposals:key_detail", args=[item.pk])).content.decode()
    assert shown.purpose in html
    assert "已取消的" not in html and "很早以前的" not in html
