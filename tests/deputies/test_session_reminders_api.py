"""Reminders (leave deadline, course tomorrow), API reads and the report's
figures of the session work (issue 16)."""

from datetime import date
from decimal import Decimal

import pytest

from deputies import session_reminders as reminders
from deputies import session_services as ss
from portal.notifications import run_reminders
from portal.reports.model import ReportScope
from tests.deputies.session_helpers import make_session

pytestmark = pytest.mark.django_db


def test_leave_deadline_reminder_once_and_catch_up(terms, deputies, personas):
    session = make_session(terms["county_congress"], start=date(2026, 12, 20))
    # Deadline 12-19 (rule: 1 day before), reminders from 12-16 (3 days ahead).
    assert list(reminders.leave_deadlines(date(2026, 12, 15))) == []
    due = list(reminders.leave_deadlines(date(2026, 12, 17)))
    assert [r.recipient for r in due] == [personas.deputy]
    assert (
        run_reminders(date(2026, 12, 17), jobs=["session_leave_deadlines"])[
            "session.leave_deadline"
        ]
        == 1
    )
    assert not run_reminders(date(2026, 12, 18), jobs=["session_leave_deadlines"])
    # A deputy who already asked for leave is not reminded.
    ss.leave_request_submit(
        session=session, mandate=deputies.own, reason="出差", actor=personas.deputy,
        today=date(2026, 12, 17),
    )  # fmt: skip
    assert list(reminders.leave_deadlines(date(2026, 12, 18))) == []


def test_course_tomorrow_reminder(world, terms, deputies, personas):
    course = ss.course_create(
        congress=world.county_congress, title="预算审查专题培训", kind="topical",
        organiser="县人大常委会", start_date=date(2026, 12, 3), end_date=date(2026, 12, 3),
        hours=Decimal("6"), half_days=2, location="县委党校", actor=None,
    )  # fmt: skip
    ss.course_enrol(
        course=course, mandates=[deputies.own, deputies.county[0]], actor=None
    )
    assert list(reminders.courses_tomorrow(date(2026, 12, 1))) == []
    due = list(reminders.courses_tomorrow(date(2026, 12, 2)))
    assert [r.recipient for r in due] == [personas.deputy]
    assert due[0].title == "2026-12-03请参加培训“预算审查专题培训”（县委党校）"
    assert list(reminders.courses_tomorrow(date(2026, 12, 4))) == []


@pytest.fixture
def recorded(terms, deputies, personas):
    session = make_session(terms["county_congress"], start=date(2026, 11, 10))
    ss.session_attendance_record(
        session=session,
        changes=[(deputies.own, "present"), (deputies.county[0], "absent")],
        actor=None,
        today=date(2026, 11, 10),
    )
    meeting = ss.meeting_create(
        session=session, title="审议", date=date(2026, 11, 10), actor=None
    )
    speech = ss.speech_record(
        meeting=meeting, mandate=deputies.own, topic="饮水", mode="prepared", actor=None
    )
    ss.speech_set_outcome(speech=speech, outcome="adopted", actor=None)
    return session


@pytest.mark.parametrize(
    "path",
    ["/api/v1/session-attendance/", "/api/v1/speeches/", "/api/v1/leave-requests/",
     "/api/v1/training-enrolments/"],
)  # fmt: skip
def test_api_scoped(api_as, personas, recorded, path):
    def names(user):
        response = api_as(user).get(path)
        assert response.status_code == 200
        return sorted(row["deputy_name"] for row in response.json()["results"])

    if "attendance" in path:
        assert names(personas.county_staff) == ["张桂英", "王建国"]
        assert names(personas.deputy) == ["张桂英"]
        assert names(personas.other_county_staff) == []
        assert names(personas.other_deputy) == []
    elif "speeches" in path:
        assert names(personas.deputy) == ["张桂英"]
        assert names(personas.other_county_staff) == []
    else:
        assert names(personas.county_staff) == []


def test_api_detail_out_of_scope_is_404(api_as, personas, recorded):
    from deputies.models import SessionAttendance

    row = SessionAttendance.objects.get(mandate__person__name="王建国")
    assert (
        api_as(personas.other_county_staff)
        .get(f"/api/v1/session-attendance/{row.pk}/")
        .status_code
        == 404
    )
    assert (
        api_as(personas.deputy).get(f"/api/v1/session-attendance/{row.pk}/").status_code
        == 404
    )


def test_report_rates_have_numerator_and_denominator(world, recorded, deputies):
    from deputies.reports import build, current_mandates
    from portal.reports.periods import year_period

    scope = ReportScope(
        congress=world.county_congress,
        period=year_period(2026),
        today=date(2026, 12, 1),
    )
    metrics = {m.key: m for m in build(scope).metrics}
    att = metrics["session_attendance_rate"]
    assert (att.numerator, att.denominator) == (1, 2)
    adoption = metrics["speech_adoption_rate"]
    assert (adoption.numerator, adoption.denominator) == (1, 1)
    speaking = metrics["speaking_rate"]
    assert (speaking.numerator, speaking.denominator) == (
        1,
        current_mandates(scope).active().count(),
    )
    assert metrics["training_coverage"].numerator == 0
