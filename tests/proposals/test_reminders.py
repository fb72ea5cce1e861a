"""Reminder jobs of suggestions: boundary days, exactly once, escalation, the command."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from portal.models import Notification
from portal.notifications import run_reminders
from proposals import services
from proposals.models import Assignment, Commitment
from tests.proposals.conftest import assigned, registered, replied

pytestmark = pytest.mark.django_db


def kinds(user):
    return sorted(
        Notification.objects.filter(recipient=user).values_list("kind", flat=True)
    )


def set_due(suggestion, due):
    Assignment.objects.filter(suggestion=suggestion).update(
        due_date=due, status="accepted"
    )


def due_notes(user):
    return Notification.objects.filter(recipient=user, kind="assignment.due")


@pytest.mark.parametrize(
    ("days_left", "milestone", "text"),
    [
        (16, None, None),
        (15, 15, "还有15天到期"),
        (14, 15, "还有14天到期"),
        (6, 15, "还有6天到期"),
        (5, 5, "还有5天到期"),
        (1, 5, "还有1天到期"),
        (0, 5, "今天到期"),
        (-1, None, None),  # overdue: assignments_overdue's turn
    ],
)
def test_a_due_milestone_is_due_from_its_day_until_the_due_date(
    pw, world, personas, days_left, milestone, text
):
    day = date(2027, 1, 10)
    suggestion = assigned(pw, world)
    due = day + timedelta(days=days_left)
    set_due(suggestion, due)
    run_reminders(day, jobs=["assignments_due"])
    notes = due_notes(personas.unit_staff)
    if milestone is None:
        assert not notes.exists()
        return
    note = notes.get()
    assert note.key.split(":")[4] == f"due-{milestone}"
    assert text in note.title and due.isoformat() in note.title


def test_daily_runs_send_each_milestone_once_on_its_day(pw, world, personas):
    start = date(2027, 1, 10)
    due = start + timedelta(days=20)
    set_due(assigned(pw, world), due)
    sent_on = []
    for offset in range(25):
        day = start + timedelta(days=offset)
        if run_reminders(day, jobs=["assignments_due"])["assignment.due"]:
            sent_on.append((due - day).days)
    assert sent_on == [15, 5]
    assert due_notes(personas.unit_staff).count() == 2


def test_missed_milestones_send_only_the_tightest_with_the_real_days(
    pw, world, personas
):
    day = date(2027, 1, 10)
    due = day + timedelta(days=3)  # both the 15- and the 5-day milestones passed
    set_due(assigned(pw, world), due)
    run_reminders(day, jobs=["assignments_due"])
    note = due_notes(personas.unit_staff).get()
    assert ":due-5:" in note.key and "还有3天到期" in note.title
    for later in (day, day + timedelta(days=1), day + timedelta(days=3)):
        assert sum(run_reminders(later, jobs=["assignments_due"]).values()) == 0
    assert due_notes(personas.unit_staff).count() == 1  # never the superseded 15


def test_overdue_after_a_gap_sends_only_the_overdue_reminder(pw, world, personas):
    day = date(2027, 3, 1)
    set_due(assigned(pw, world), day - timedelta(days=4))
    run_reminders(day, jobs=["assignments_due", "assignments_overdue"])
    assert not due_notes(personas.unit_staff).exists()
    overdue = Notification.objects.filter(
        recipient=personas.unit_staff, kind="assignment.overdue"
    )
    assert overdue.count() == 1
    run_reminders(day + timedelta(days=1), jobs=["assignments_overdue"])
    assert overdue.count() == 1


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


def test_weekly_digest_once_a_week_from_monday_on(pw, world, personas):
    assigned(pw, world)
    digests = Notification.objects.filter(
        recipient=personas.county_staff, kind="digest.weekly"
    )
    run_reminders(date(2027, 1, 4), jobs=["weekly_digest"])  # a Monday
    assert "本周议案建议办理情况" in digests.get().title
    run_reminders(date(2027, 1, 5), jobs=["weekly_digest"])  # Tuesday: sent already
    assert digests.count() == 1
    run_reminders(date(2027, 1, 13), jobs=["weekly_digest"])  # Monday 11th missed
    assert digests.count() == 2
    assert digests.filter(key__contains="2027-W02").exists()


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


# --- catch-up: a run after days without a worker sends what was missed, once ----------


def test_unaccepted_reminder_after_a_gap_says_how_long(pw, world, personas):
    assigned_on = assigned(pw, world).assignments.first().assigned_on
    run_reminders(assigned_on + timedelta(days=6), jobs=["assignments_unaccepted"])
    note = Notification.objects.get(
        recipient=personas.unit_staff, kind="assignment.unaccepted"
    )
    assert "已6天未签收" in note.title
    run_reminders(assigned_on + timedelta(days=7), jobs=["assignments_unaccepted"])
    assert Notification.objects.filter(kind="assignment.unaccepted").count() == 2


def co_notes(personas):
    return Notification.objects.filter(
        recipient=personas.other_unit_staff, kind="assignment.co_opinion_due"
    ).order_by("id")


def test_co_opinion_due_then_late(pw, world, personas):
    suggestion = assigned(pw, world)
    Assignment.objects.filter(suggestion=suggestion).update(
        assigned_on=date(2027, 1, 31)
    )  # due 2027-02-28
    run_reminders(date(2027, 2, 23), jobs=["co_opinions_due"])
    run_reminders(date(2027, 2, 28), jobs=["co_opinions_due"])
    assert [n.title for n in co_notes(personas)] == [
        "请于2027-02-28前向主办单位提出对“关于加强农村公路养护的建议”的协办意见"
    ]
    run_reminders(date(2027, 3, 1), jobs=["co_opinions_due"])
    run_reminders(date(2027, 3, 2), jobs=["co_opinions_due"])
    notes = list(co_notes(personas))
    assert len(notes) == 2 and "已超过期限（2027-02-28）" in notes[1].title


def test_co_opinion_missed_until_late_sends_only_the_late_one(pw, world, personas):
    suggestion = assigned(pw, world)
    Assignment.objects.filter(suggestion=suggestion).update(
        assigned_on=date(2027, 1, 31)
    )
    run_reminders(date(2027, 3, 4), jobs=["co_opinions_due"])
    run_reminders(date(2027, 3, 5), jobs=["co_opinions_due"])
    note = co_notes(personas).get()
    assert ":co-opinion-late:1:2027-02-28:" in note.key


def test_evaluation_reminder_after_a_gap_counts_the_real_days(pw, world, personas):
    suggestion = replied(pw, world, personas)
    replied_on = suggestion.assignments.get(role="lead").replied_at.date()
    run_reminders(replied_on + timedelta(days=16), jobs=["evaluations_waiting"])
    note = Notification.objects.get(recipient=personas.deputy)
    assert "已答复16天" in note.title
    run_reminders(replied_on + timedelta(days=17), jobs=["evaluations_waiting"])
    assert Notification.objects.filter(kind="suggestion.evaluate").count() == 1


def test_commitment_due_reaches_the_unit_ahead_and_the_deputy_on_the_day(
    pw, world, personas
):
    suggestion = replied(pw, world, personas, category="B")
    commitment = Commitment.objects.get()
    due = commitment.due_date
    run_reminders(due - timedelta(days=15), jobs=["commitments_due"])
    assert kinds(personas.unit_staff) == ["commitment.due"]
    assert "commitment.fell_due" not in kinds(personas.deputy)
    run_reminders(due, jobs=["commitments_due"])
    fell_due = Notification.objects.get(
        recipient=personas.deputy, kind="commitment.fell_due"
    )
    assert (
        fell_due.title == "湘源县交通运输局对“关于加强农村公路养护的建议”承诺的"
        "“年底前完成修补”已到完成期限（" + due.isoformat() + "），尚未报告落实"
    )
    assert fell_due.url == f"/proposals/{suggestion.pk}/"
    run_reminders(due + timedelta(days=1), jobs=["commitments_due"])
    assert kinds(personas.unit_staff) == ["commitment.due", "commitment.due"]  # late
    run_reminders(due + timedelta(days=2), jobs=["commitments_due"])
    assert kinds(personas.deputy).count("commitment.fell_due") == 1
    assert kinds(personas.unit_staff).count("commitment.due") == 2


def test_commitment_missed_until_late_sends_the_late_and_the_deputys_once(
    pw, world, personas
):
    replied(pw, world, personas, category="C")
    commitment = Commitment.objects.get()
    later = commitment.due_date + timedelta(days=3)
    run_reminders(later, jobs=["commitments_due"])
    run_reminders(later, jobs=["commitments_due"])
    unit = Notification.objects.get(recipient=personas.unit_staff)
    assert ":late:" in unit.key and "已逾期" in unit.title
    assert kinds(personas.deputy).count("commitment.fell_due") == 1


def test_a_commitment_done_is_not_reminded(pw, world, personas):
    replied(pw, world, personas, category="B")
    commitment = Commitment.objects.get()
    services.commitment_complete(commitment=commitment, note="已完成", actor=None)
    run_reminders(commitment.due_date + timedelta(days=1), jobs=["commitments_due"])
    assert not Notification.objects.filter(kind__startswith="commitment.").exists()


def test_disclosure_missed_until_late_sends_only_the_late_one(pw, world, personas):
    suggestion = replied(pw, world, personas)
    late = suggestion.disclosure_due_on + timedelta(days=2)
    run_reminders(late, jobs=["disclosures_due"])
    run_reminders(late + timedelta(days=1), jobs=["disclosures_due"])
    note = Notification.objects.get(
        recipient=personas.county_staff, kind="suggestion.disclosure_due"
    )
    assert ":late:" in note.key and "已超过公开期限" in note.title


def test_recess_assignment_missed_until_late_sends_only_the_late_one(
    pw, world, personas
):
    from proposals.deadlines import recess_assignment_due_date

    recess = registered(pw)
    late = recess_assignment_due_date(recess) + timedelta(days=5)
    run_reminders(late, jobs=["recess_assignments_due"])
    run_reminders(late + timedelta(days=1), jobs=["recess_assignments_due"])
    note = Notification.objects.get(
        recipient=personas.county_staff, kind="suggestion.recess_assign_due"
    )
    assert ":late:" in note.key and "已超过交办期限" in note.title


@pytest.mark.postgres
def test_a_restart_after_days_of_downtime_sends_the_missed_reminders_once(
    pw, world, personas
):
    """The worker ran on day D, then was down; it comes back on D+3. The
    15-day milestone of an assignment (D+1), the due date of a commitment
    (D+2) and the day before a planned key-supervision visit (D+2) all passed
    unseen: each is sent once on D+3, and a second run that day sends nothing."""
    day = date(2027, 4, 1)
    due_soon = assigned(pw, world, title="关于改造危桥的建议")
    set_due(due_soon, day + timedelta(days=16))  # 15 days before: D+1
    replied(pw, world, personas, category="B")
    commitment = Commitment.objects.get()
    Commitment.objects.filter(pk=commitment.pk).update(due_date=day + timedelta(days=2))
    item = services.key_item_create(
        congress=pw.congress,
        year=day.year,
        title="农村公路养护",
        leader=personas.leader,
        suggestions=[due_soon],
        actor=None,
    )
    services.key_item_plan_event(
        item=item,
        kind="visit",
        date=day + timedelta(days=3),
        actor=personas.county_staff,
        today=day,
    )
    jobs = ["assignments_due", "commitments_due", "planned_supervision_events"]
    parts = [str(pk) for pk in due_soon.assignments.values_list("pk", flat=True)]
    due_soon_notes = Notification.objects.filter(
        kind="assignment.due", object_id__in=parts
    )
    first = run_reminders(day, jobs=jobs)
    assert not due_soon_notes.exists()
    assert first["commitment.fell_due"] == 0
    assert first["key_item.event_planned"] == 0
    before = Notification.objects.count()
    back = day + timedelta(days=3)
    caught_up = run_reminders(back, jobs=jobs)
    assert due_soon_notes.count() == 2  # lead and co unit, once each
    assert caught_up["commitment.fell_due"] == 1  # the lead deputy
    assert caught_up["key_item.event_planned"] == 2  # the leader; the staff planner
    due = due_soon_notes.get(recipient=personas.unit_staff)
    assert ":due-15:" in due.key and "还有13天到期" in due.title
    visit = Notification.objects.get(
        recipient=personas.leader, kind="key_item.event_planned"
    )
    assert visit.title.startswith("今天（2027-04-04）实地督办")
    again = run_reminders(back, jobs=jobs)
    assert sum(again.values()) == 0
    assert Notification.objects.count() == before + sum(caught_up.values())
