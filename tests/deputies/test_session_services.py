"""Session attendance, leave and the absence ground (issue 16): services."""

from datetime import date, timedelta

import pytest

from deputies import session_services as ss
from deputies.models import (
    AbsenceFlag,
    LeaveRequest,
    LeaveRequestEvent,
    LedgerEntry,
    SessionAttendance,
)
from portal.models import AuditEvent, Notification, RuleSet
from portal.services import DomainError, TransitionError
from tests.deputies.session_helpers import make_session

pytestmark = pytest.mark.django_db

OPEN = date(2026, 11, 10)


@pytest.fixture
def session(terms):
    return make_session(terms["county_congress"], start=OPEN)


def _points(mandate, kind):
    return list(
        LedgerEntry.objects.filter(mandate=mandate, kind=kind).values_list(
            "points", flat=True
        )
    )


def test_deputy_requests_leave_before_the_deadline(session, deputies, personas):
    leave = ss.leave_request_submit(
        session=session,
        mandate=deputies.own,
        reason="在外地出差",
        actor=personas.deputy,
        today=OPEN - timedelta(days=2),
    )
    assert leave.status == LeaveRequest.Status.PENDING
    assert leave.approver == "standing_committee"
    assert LeaveRequestEvent.objects.filter(leave=leave, to_state="pending").exists()
    assert AuditEvent.objects.filter(action="leave.submit").count() == 1


def test_deputy_leave_after_the_deadline_is_refused(session, deputies, personas):
    with pytest.raises(DomainError) as exc:
        ss.leave_request_submit(
            session=session,
            mandate=deputies.own,
            reason="临时有事",
            actor=personas.deputy,
            today=OPEN,
        )
    assert exc.value.message == (
        "请假应当在2026-11-09前提出；已过截止时间，请与本级人大常委会代表工作机构联系。"
    )


def test_staff_may_file_leave_on_behalf_during_the_session(session, deputies, personas):
    leave = ss.leave_request_submit(
        session=session,
        mandate=deputies.county[0],
        reason="住院",
        actor=personas.county_staff,
        today=OPEN + timedelta(days=1),
    )
    assert leave.status == "pending"


def test_other_deputy_cannot_ask_leave_for_someone_else(session, deputies, personas):
    with pytest.raises(DomainError):
        ss.leave_request_submit(
            session=session,
            mandate=deputies.county[0],
            reason="代请",
            actor=personas.deputy,
            today=OPEN - timedelta(days=3),
        )


def test_second_open_request_is_refused(session, deputies, personas):
    kwargs = {
        "session": session,
        "mandate": deputies.own,
        "actor": personas.deputy,
        "today": OPEN - timedelta(days=3),
    }
    ss.leave_request_submit(reason="出差", **kwargs)
    with pytest.raises(DomainError) as exc:
        ss.leave_request_submit(reason="再次", **kwargs)
    assert exc.value.message == "该代表已有待批准或已批准的请假。"


def test_approval_records_leave_attendance_and_notifies(
    session, deputies, personas, django_capture_on_commit_callbacks
):
    leave = ss.leave_request_submit(
        session=session, mandate=deputies.own, reason="出差",
        actor=personas.deputy, today=OPEN - timedelta(days=3),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        ss.leave_request_decide(
            leave=leave, approve=True, note="同意", actor=personas.county_staff
        )
    leave.refresh_from_db()
    assert leave.status == "approved" and leave.decided_at is not None
    row = SessionAttendance.objects.get(session=session, mandate=deputies.own)
    assert row.status == "leave"
    assert _points(deputies.own, "session_leave") == [0]
    assert Notification.objects.filter(
        recipient=personas.deputy, kind="leave.decided"
    ).exists()
    # The same decision again is a no-op; another one is refused with the reason.
    ss.leave_request_decide(leave=leave, approve=True, actor=personas.county_staff)
    assert LeaveRequestEvent.objects.filter(leave=leave).count() == 2
    with pytest.raises(TransitionError) as exc:
        ss.leave_request_decide(
            leave=leave, approve=False, note="不行", actor=personas.county_staff
        )
    assert exc.value.message == "请假已批准，不能再变更。"


def test_refusal_needs_a_reason(session, deputies, personas):
    leave = ss.leave_request_submit(
        session=session, mandate=deputies.own, reason="出差",
        actor=personas.deputy, today=OPEN - timedelta(days=3),
    )  # fmt: skip
    with pytest.raises(DomainError) as exc:
        ss.leave_request_decide(leave=leave, approve=False, actor=personas.county_staff)
    assert exc.value.message == "不予批准须说明理由。"


def test_withdraw_pending_request(session, deputies, personas):
    leave = ss.leave_request_submit(
        session=session, mandate=deputies.own, reason="出差",
        actor=personas.deputy, today=OPEN - timedelta(days=3),
    )  # fmt: skip
    ss.leave_request_withdraw(leave=leave, actor=personas.deputy)
    leave.refresh_from_db()
    assert leave.status == "withdrawn"
    # A new request may follow a withdrawn one.
    ss.leave_request_submit(
        session=session, mandate=deputies.own, reason="改期",
        actor=personas.deputy, today=OPEN - timedelta(days=2),
    )  # fmt: skip


def test_attendance_sheet_writes_ledger_and_corrects_it(session, deputies, personas):
    a, b = deputies.county[:2]
    ss.session_attendance_record(
        session=session,
        changes=[(a, "present"), (b, "absent")],
        actor=personas.county_staff,
        today=OPEN,
    )
    assert _points(a, "session_attendance") == [5]
    assert _points(b, "session_absence") == [-10]
    # Correcting the absence takes its deduction back.
    ss.session_attendance_record(
        session=session,
        changes=[(b, "present")],
        actor=personas.county_staff,
        today=OPEN,
    )
    assert _points(b, "session_absence") == []
    assert _points(b, "session_attendance") == [5]
    assert AuditEvent.objects.filter(action="ledger.revoke").count() == 1


def test_leave_without_approval_cannot_be_recorded(session, deputies, personas):
    with pytest.raises(DomainError) as exc:
        ss.session_attendance_record(
            session=session,
            changes=[(deputies.county[0], "leave")],
            actor=personas.county_staff,
            today=OPEN,
        )
    assert exc.value.message == "王建国没有经批准的请假，不能登记为请假。"


def test_attendance_before_the_session_opens_is_refused(session, deputies, personas):
    with pytest.raises(DomainError) as exc:
        ss.session_attendance_record(
            session=session,
            changes=[(deputies.county[0], "present")],
            actor=personas.county_staff,
            today=OPEN - timedelta(days=1),
        )
    assert exc.value.message == "会议尚未开幕，不能登记出席情况。"


def test_second_unexcused_absence_flags_the_ground_nothing_terminates(
    terms, deputies, personas
):
    term = terms["county_congress"]
    first = make_session(term, 1, start=date(2026, 10, 20))
    second = make_session(term, 2, start=date(2026, 11, 20))
    mandate = deputies.county[0]
    ss.session_attendance_record(
        session=first, changes=[(mandate, "absent")], actor=personas.county_staff,
        today=first.start_date,
    )  # fmt: skip
    assert not AbsenceFlag.objects.exists()
    ss.session_attendance_record(
        session=second, changes=[(mandate, "absent")], actor=personas.county_staff,
        today=second.start_date,
    )  # fmt: skip
    flag = AbsenceFlag.objects.get(mandate=mandate)
    assert flag.status == "open" and flag.absences == 2
    mandate.refresh_from_db()
    assert mandate.status == "active"
    assert AuditEvent.objects.filter(action="absence_flag.raise").exists()
    # Staff set it aside with a reason; the to-do no longer lists it.
    with pytest.raises(DomainError):
        ss.absence_flag_dismiss(flag=flag, note=" ", actor=personas.county_staff)
    ss.absence_flag_dismiss(
        flag=flag,
        note="第二次缺席系因公出国，已补办请假手续",
        actor=personas.county_staff,
    )
    flag.refresh_from_db()
    assert flag.status == "dismissed"
    assert not AbsenceFlag.objects.open().exists()


def test_corrected_absence_clears_the_flag(terms, deputies, personas):
    term = terms["county_congress"]
    sessions = [make_session(term, n, start=date(2026, 10 + n - 1, 20)) for n in (1, 2)]
    mandate = deputies.county[1]
    for s in sessions:
        ss.session_attendance_record(
            session=s, changes=[(mandate, "absent")], actor=None, today=s.start_date
        )
    ss.session_attendance_record(
        session=sessions[1], changes=[(mandate, "present")], actor=None,
        today=sessions[1].start_date,
    )  # fmt: skip
    assert AbsenceFlag.objects.get(mandate=mandate).status == "cleared"


def test_township_leave_is_approved_by_the_presidium(terms, deputies, personas):
    session = make_session(terms["township_congress"], start=OPEN)
    leave = ss.leave_request_submit(
        session=session, mandate=deputies.township, reason="外出务工",
        actor=personas.township_staff, today=OPEN,
    )  # fmt: skip
    assert leave.approver == "presidium"


def test_points_come_from_the_rule_set(session, deputies, personas, world):
    RuleSet.objects.create(
        congress=world.county_congress, values={"points": {"session_attendance": 8}}
    )
    ss.session_attendance_record(
        session=session,
        changes=[(deputies.county[0], "present")],
        actor=None,
        today=OPEN,
    )
    assert _points(deputies.county[0], "session_attendance") == [8]
