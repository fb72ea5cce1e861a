"""Reminder jobs of livelihood projects: progress reports due and supervision
visits planned ahead — catch-ups, each sent once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from livelihood_votes import services
from livelihood_votes.models import Project
from portal.models import Notification
from portal.notifications import run_reminders
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.order_by("candidate__order").first()
    return services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )


@pytest.fixture
def group(lw, project):
    return services.supervision_group_create(
        programme=lw.programme,
        name="第一监督小组",
        members=lw.deputies[:3],
        projects=[project],
        actor=None,
    )


def usernames(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


# --- progress reports -------------------------------------------------------------------


def test_a_progress_report_missed_for_days_is_asked_once(project, personas):
    run_reminders(date(2026, 12, 31), jobs=["livelihood_progress_due"])
    assert not Notification.objects.exists()
    run_reminders(date(2027, 1, 6), jobs=["livelihood_progress_due"])  # due 1 Jan
    run_reminders(date(2027, 1, 7), jobs=["livelihood_progress_due"])
    notes = Notification.objects.filter(kind="livelihood.progress_due")
    assert list(notes.values_list("recipient__username", flat=True)) == [
        "township_gov_p"
    ]
    assert "2027-01的进度" in notes.get().title


def test_a_report_moves_the_next_one_on(project, personas):
    services.progress_report(
        project=project,
        date=date(2027, 1, 10),
        progress=20,
        money_paid=Decimal("5"),
        note="路基完成",
        actor=None,
    )
    run_reminders(date(2027, 2, 9), jobs=["livelihood_progress_due"])
    assert not Notification.objects.exists()
    run_reminders(date(2027, 2, 20), jobs=["livelihood_progress_due"])
    assert Notification.objects.filter(kind="livelihood.progress_due").count() == 1


# --- planned supervision visits -----------------------------------------------------------


def test_the_groups_deputies_staff_and_planner_are_reminded_the_day_before(
    lw, project, group, personas
):
    day = date(2027, 3, 10)
    planned = services.supervision_visit_plan(
        project=project,
        date=day + timedelta(days=5),
        purpose="查看路面硬化质量",
        group=group,
        actor=personas.admin,
        today=day,
    )
    run_reminders(planned.date - timedelta(days=2), jobs=["livelihood_planned_visits"])
    assert not Notification.objects.exists()
    run_reminders(planned.date - timedelta(days=1), jobs=["livelihood_planned_visits"])
    assert usernames("livelihood.visit_planned") == [
        "admin_p",
        "th01",
        "th02",
        "th03",
        "township_staff",
    ]
    note = Notification.objects.filter(recipient=lw.users[0]).get()
    assert note.title == (
        f"明天（{planned.date.isoformat()}）监督视察民生实事项目“候选项目1”"
    )
    assert note.body == "查看路面硬化质量"
    assert note.url == f"/livelihood/projects/{project.pk}/"
    run_reminders(planned.date, jobs=["livelihood_planned_visits"])
    assert Notification.objects.count() == 5


def test_without_a_group_every_group_of_the_project_is_reminded(
    lw, project, group, personas
):
    services.supervision_group_create(
        programme=lw.programme,
        name="第二监督小组",
        members=lw.deputies[10:11],
        projects=[project],
        actor=None,
    )
    day = date(2027, 3, 10)
    planned = services.supervision_visit_plan(
        project=project,
        date=day + timedelta(days=1),
        actor=personas.township_staff,
        today=day,
    )
    run_reminders(planned.date, jobs=["livelihood_planned_visits"])  # caught up
    assert usernames("livelihood.visit_planned") == [
        "th01",
        "th02",
        "th03",
        "th11",
        "township_staff",
    ]
    assert Notification.objects.first().title.startswith("今天（")
    run_reminders(planned.date, jobs=["livelihood_planned_visits"])
    assert Notification.objects.count() == 5


def test_a_cancelled_or_past_visit_is_not_reminded(project, group, personas):
    day = date(2027, 3, 10)
    cancelled = services.supervision_visit_plan(
        project=project, date=day + timedelta(days=1), actor=None, today=day
    )
    services.planned_visit_cancel(planned=cancelled, actor=None, today=day)
    past = services.supervision_visit_plan(
        project=project, date=day + timedelta(days=2), actor=None, today=day
    )
    run_reminders(past.date + timedelta(days=1), jobs=["livelihood_planned_visits"])
    run_reminders(day, jobs=["livelihood_planned_visits"])
    assert not Notification.objects.exists()


@pytest.mark.postgres
def test_a_restart_after_downtime_sends_a_missed_visit_reminder_once(
    project, group, personas
):
    """Day D ran; the worker was down on D+1 (the day before the visit) and comes
    back on D+2, the visit's day: the reminder goes out once, and a second run
    of D+2 sends nothing."""
    day = date(2027, 3, 10)
    services.supervision_visit_plan(
        project=project,
        date=day + timedelta(days=2),
        group=group,
        actor=None,
        today=day,
    )
    assert sum(run_reminders(day, jobs=["livelihood_planned_visits"]).values()) == 0
    back = run_reminders(day + timedelta(days=2), jobs=["livelihood_planned_visits"])
    assert back["livelihood.visit_planned"] == 4  # three deputies and the staff
    again = run_reminders(day + timedelta(days=2), jobs=["livelihood_planned_visits"])
    assert sum(again.values()) == 0
    assert Notification.objects.count() == 4
