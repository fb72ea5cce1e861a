"""Reminder jobs of suggestions: boundary days, exactly once, escalation, the command."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from portal.models import Notification
from portal.notifications import run_reminders
from proposals import services
from proposals.models import Assignment
from tests.proposals.conftest import assigned, replied

pytestmark = pytest.mark.django_db


def kinds(user):
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def set_due(suggestion, due):
    Assignment.objects.filter(suggestion=suggestion).update(
        due_date=due, status="accepted"
    )


@pytest.mark.parametrize(
    ("days_left", "expected"), [(15, 1), (14, 0), (5, 1), (6, 0), (16, 0)]
)
def test_due_reminders_on_exact_days(pw, world, personas, days_left, expected):
    day = date(2027, 1, 10)
    suggestion = assigned(pw, world)
    set_due(suggestion, day + timedelta(days=days_left))
    run_reminders(day, jobs=["assignments_due"])
    assert (
        Notification.objects.filter(
            recipient=personas.unit_staff, kind="assignment.due"
        ).count()
        == expected
    )


def test_overdue_by_one_day_escalates_to_head_and_congress_staff(pw, world, personas):
    world.unit.head = personas.nobody
    world.unit.save()
    day = date(2027, 3, 1)
    suggestion = assigned(pw, world)
    set_due(suggestion, day)  # due today: not yet overdue
    run_reminders(day, jobs=["assignments_overdue"])
    assert not Notification.objects.filter(kind="assignment.overdue").exists()
    run_reminders(day + timedelta(days=1), jobs=["assignments_overdue"])
    recipients = set(
        Notification.objects.filter(kind="assignment.overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert {
        "unit_staff_p",
        "other_unit_staff_p",
        "nobody",
        "county_staff",
    } <= recipients


def test_running_twice_sends_once(pw, world, personas):
    day = date(2027, 1, 10)
    set_due(assigned(pw, world), day + timedelta(days=5))
    first = run_reminders(day)
    second = run_reminders(day)
    assert first["assignment.due"] == 2  # lead and co unit staff
    assert sum(second.values()) == 0
    assert Notification.objects.filter(kind="assignment.due").count() == 2


def test_an_extension_makes_a_new_milestone(pw, world, personas):
    day = date(2027, 1, 10)
    suggestion = assigned(pw, world)
    set_due(suggestion, day + timedelta(days=5))
    run_reminders(day, jobs=["assignments_due"])
    set_due(
        suggestion, day + timedelta(days=20)
    )  # extended: due in 15 days again on day+5
    run_reminders(day + timedelta(days=5), jobs=["assignments_due"])
    assert (
        Notification.objects.filter(
            recipient=personas.unit_staff, kind="assignment.due"
        ).count()
        == 2
    )


def test_unaccepted_after_three_days(pw, world, personas):
    suggestion = assigned(pw, world)
    assigned_on = suggestion.assignments.first().assigned_on
    run_reminders(assigned_on + timedelta(days=2), jobs=["assignments_unaccepted"])
    assert not Notification.objects.exists()
    run_reminders(assigned_on + timedelta(days=3), jobs=["assignments_unaccepted"])
    assert (
        Notification.objects.filter(
            recipient=personas.unit_staff, kind="assignment.unaccepted"
        ).count()
        == 1
    )


def test_co_opinion_due_counts_month_ends(pw, world, personas):
    suggestion = assigned(pw, world)
    Assignment.objects.filter(suggestion=suggestion).update(
        assigned_on=date(2027, 1, 31)
    )
    run_reminders(
        date(2027, 2, 22), jobs=["co_opinions_due"]
    )  # due 2027-02-28, 6 days left
    assert not Notification.objects.exists()
    run_reminders(date(2027, 2, 23), jobs=["co_opinions_due"])  # 5 days left
    assert (
        Notification.objects.filter(
            recipient=personas.other_unit_staff, kind="assignment.co_opinion_due"
        ).count()
        == 1
    )


def test_evaluation_reminder_after_ten_days(pw, world, personas):
    suggestion = replied(pw, world, personas)
    replied_on = suggestion.assignments.get(role="lead").replied_at.date()
    run_reminders(replied_on + timedelta(days=9), jobs=["evaluations_waiting"])
    assert not Notification.objects.exists()
    run_reminders(replied_on + timedelta(days=10), jobs=["evaluations_waiting"])
    assert kinds(personas.deputy) == ["suggestion.evaluate"]


def test_pending_requests_reach_congress_staff(pw, world, personas):
    lead = assigned(pw, world).assignments.get(role="lead")
    services.assignment_request_return(assignment=lead, reason="职责不符", actor=None)
    run_reminders(date.today(), jobs=["requests_pending"])
    assert kinds(personas.county_staff) == ["request.return"]


def test_weekly_digest_only_on_mondays(pw, world, personas):
    assigned(pw, world)
    run_reminders(date(2027, 1, 5), jobs=["weekly_digest"])  # a Tuesday
    assert not Notification.objects.exists()
    run_reminders(date(2027, 1, 4), jobs=["weekly_digest"])  # a Monday
    digest = Notification.objects.get(
        recipient=personas.county_staff, kind="digest.weekly"
    )
    assert "本周议案建议办理情况" in digest.title


def test_command_prints_per_kind_and_dry_run_writes_nothing(pw, world, personas):
    day = date(2027, 1, 10)
    set_due(assigned(pw, world), day + timedelta(days=15))
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), "--dry-run", stdout=out)
    assert "（试运行）assignment.due: 2" in out.getvalue()
    assert not Notification.objects.exists()
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    assert "assignment.due: 2" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--date", day.isoformat(), stdout=out)
    assert "合计: 0" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_same_day_at_once_send_once(pw, world, personas):
    import threading

    from django.db import connection

    day = date(2027, 1, 10)
    for n in range(3):
        set_due(assigned(pw, world, title=f"建议{n}"), day + timedelta(days=5))
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait(timeout=10)
        try:
            results.append(run_reminders(day, jobs=["assignments_due"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert (
        sum(r["assignment.due"] for r in results) == 6
    )  # 3 suggestions × (lead + co unit), once
    assert Notification.objects.filter(kind="assignment.due").count() == 6
