"""Writes of the session work (issue 16): attendance at the sessions, leave
requests and their approval, the absence ground of 代表法第五十条, deliberation
meetings and speeches, training courses and enrolments.

Every figure comes from the congress's rule set (``portal.rules``); points go
to the ledger through ``deputies.services.ledger_record`` only. Transitions
have the house shape (lock, idempotent no-op, refusal with a reason, event and
audit rows, side effects on commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal import workflow
from portal.models import Congress, Session, User
from portal.notification_text import Message
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record

from .models import Activity, Attendance, Delegation, DeputyGroup, Mandate
from .policies import may_request_leave
from .services import ledger_record, ledger_revoke
from .session_models import (
    AbsenceFlag,
    DeliberationMeeting,
    Enrolment,
    LeaveRequest,
    LeaveRequestEvent,
    SessionAttendance,
    Speech,
    TrainingCourse,
)

# The ledger kind (points-table key) of each attendance status.
ATTENDANCE_LEDGER_KIND: dict[str, str] = {
    SessionAttendance.Status.PRESENT: "session_attendance",
    SessionAttendance.Status.LEAVE: "session_leave",
    SessionAttendance.Status.ABSENT: "session_absence",
}

APPROVER_LABELS = {
    "standing_committee": _("人大常委会"),
    "chairpersons_council": _("人大常委会主任会议"),
    "presidium": _("大会主席团（秘书处）"),
}


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _attendance_key(status: str, session: Session, mandate: Mandate) -> str:
    return f"{ATTENDANCE_LEDGER_KIND[status]}:session:{session.pk}:{mandate.pk}"


def leave_deadline(session: Session) -> date:
    """The last day a deputy files a leave request themself (rule)."""
    days = rules_for(session.term.congress).session_leave_days_before
    return session.start_date - timedelta(days=days)


# --- attendance --------------------------------------------------------------------


def _set_attendance(
    *, session: Session, mandate: Mandate, status: str, actor: User | None
) -> SessionAttendance:
    """One attendance row and its ledger entry (the previous status's points go)."""
    previous = SessionAttendance.objects.filter(
        session=session, mandate=mandate
    ).first()
    if previous is not None and previous.status == status:
        return previous
    if previous is not None:
        ledger_revoke(
            key=_attendance_key(previous.status, session, mandate),
            reason=_("大会出席情况更正"),
            actor=actor,
        )
    row, _created = SessionAttendance.objects.update_or_create(
        session=session,
        mandate=mandate,
        defaults={"status": status, "recorded_by": actor},
    )
    ledger_record(
        mandate=mandate,
        kind=ATTENDANCE_LEDGER_KIND[status],
        occurred_on=session.start_date,
        source=row,
        key=_attendance_key(status, session, mandate),
        note=str(session),
        actor=actor,
    )
    return row


def session_attendance_record(
    *,
    session: Session,
    changes: Iterable[tuple[Mandate, str]],
    actor: User | None,
    today: date | None = None,
) -> int:
    """The attendance sheet of a session, all rows or none: 出席, 请假 (only
    with an approved leave request) or 未经批准缺席 (never over an approved
    leave). A second unexcused absence flags the statutory termination ground
    for staff (``AbsenceFlag``); nothing terminates by itself. Returns the
    number of rows changed."""
    day = _today(today)
    if day < session.start_date:
        raise DomainError(_("会议尚未开幕，不能登记出席情况。"))
    changes = list(changes)
    approved = set(
        LeaveRequest.objects.filter(
            session=session,
            status=LeaveRequest.Status.APPROVED,
            mandate__in=[m for m, _s in changes],
        ).values_list("mandate_id", flat=True)
    )
    count = 0
    with transaction.atomic():
        for mandate, status in changes:
            if status not in SessionAttendance.Status.values:
                raise DomainError(_("出席情况不正确。"), field="status")
            if mandate.term_id != session.term_id:
                raise DomainError(
                    _("%(name)s不是本届代表。") % {"name": mandate.person.name}
                )
            if status == SessionAttendance.Status.LEAVE and mandate.pk not in approved:
                raise DomainError(
                    _("%(name)s没有经批准的请假，不能登记为请假。")
                    % {"name": mandate.person.name}
                )
            if status == SessionAttendance.Status.ABSENT and mandate.pk in approved:
                raise DomainError(
                    _("%(name)s已经批准请假，应登记为请假。")
                    % {"name": mandate.person.name}
                )
            before = SessionAttendance.objects.filter(
                session=session, mandate=mandate
            ).first()
            if before is not None and before.status == status:
                continue
            _set_attendance(
                session=session, mandate=mandate, status=status, actor=actor
            )
            absence_flag_check(mandate=mandate, today=day, actor=actor)
            count += 1
        if count:
            audit_record(
                actor=actor,
                action="session.attendance",
                target=session,
                data={"changed": count},
                region_path=session.term.congress.region.path,
            )
    return count


def absence_flag_check(
    *, mandate: Mandate, today: date | None = None, actor: User | None = None
) -> AbsenceFlag | None:
    """Raise, update or clear the flag of 未经批准两次不出席本级人民代表大会会议
    (rule ``session_absence_termination_count``, statutory) for ``mandate``."""
    threshold = rules_for(mandate.congress).session_absence_termination_count
    absences = SessionAttendance.objects.filter(
        mandate=mandate, status=SessionAttendance.Status.ABSENT
    ).count()
    flag = AbsenceFlag.objects.select_for_update().filter(mandate=mandate).first()
    if absences >= threshold:
        if flag is None:
            flag = AbsenceFlag.objects.create(
                mandate=mandate, absences=absences, raised_on=_today(today)
            )
            audit_record(
                actor=actor,
                action="absence_flag.raise",
                target=mandate,
                reason="absent_twice",
                data={"absences": absences},
                region_path=mandate.congress.region.path,
            )
        elif flag.status == AbsenceFlag.Status.OPEN or absences > flag.absences:
            # A further absence after staff set the flag aside raises it again.
            flag.absences = absences
            flag.status = AbsenceFlag.Status.OPEN
            flag.raised_on = _today(today)
            flag.save(update_fields=["absences", "status", "raised_on"])
        return flag
    if flag is not None and flag.status == AbsenceFlag.Status.OPEN:
        flag.absences = absences
        flag.status = AbsenceFlag.Status.CLEARED
        flag.save(update_fields=["absences", "status"])
    return flag


def absence_flag_dismiss(
    *, flag: AbsenceFlag, note: str, actor: User | None
) -> AbsenceFlag:
    """Staff decide not to start the termination (e.g. the absence was in fact
    excused): the flag leaves the to-do list with the reason on record."""
    if not (note or "").strip():
        raise DomainError(_("请填写不启动代表资格终止程序的理由。"), field="note")
    with transaction.atomic():
        locked = (
            AbsenceFlag.objects.select_for_update()
            .select_related("mandate__congress__region")
            .get(pk=flag.pk)
        )
        if locked.status == AbsenceFlag.Status.DISMISSED:
            return locked
        if locked.status != AbsenceFlag.Status.OPEN:
            raise TransitionError(_("缺席记录已更正，无需处理。"))
        locked.status = AbsenceFlag.Status.DISMISSED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.decision_note = note.strip()
        locked.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note"]
        )
        audit_record(
            actor=actor,
            action="absence_flag.dismiss",
            target=locked.mandate,
            from_state=AbsenceFlag.Status.OPEN,
            to_state=AbsenceFlag.Status.DISMISSED,
            reason=note.strip()[:200],
            region_path=locked.mandate.congress.region.path,
        )
    return locked


# --- leave -------------------------------------------------------------------------


def leave_request_submit(
    *,
    session: Session,
    mandate: Mandate,
    reason: str,
    actor: User,
    today: date | None = None,
) -> LeaveRequest:
    """请假 for a session: the deputy before the deadline (rule
    ``session_leave_days_before``), staff of the congress on the deputy's
    behalf until the session closes."""
    day = _today(today)
    if not may_request_leave(actor, mandate, session):
        raise DomainError(_("只有本届正常履职的代表本人或本级人大工作人员可以请假。"))
    if not (reason or "").strip():
        raise DomainError(_("请填写请假事由。"), field="reason")
    if day > session.end_date:
        raise DomainError(_("会议已闭幕，不能再请假。"))
    deadline = leave_deadline(session)
    own = mandate.person.user_id == actor.pk
    if own and day > deadline:
        raise DomainError(
            _(
                "请假应当在%(deadline)s前提出；已过截止时间，请与本级人大常委会"
                "代表工作机构联系。"
            )
            % {"deadline": deadline.isoformat()}
        )
    approver = rules_for(session.term.congress).session_leave_approver
    try:
        with transaction.atomic():
            leave = LeaveRequest.objects.create(
                session=session,
                mandate=mandate,
                reason=reason.strip(),
                approver=approver,
                submitted_by=actor,
            )
            workflow.record(
                LeaveRequestEvent,
                actor=actor,
                to_state=leave.status,
                event_fields={"leave": leave},
            )
            audit_record(
                actor=actor,
                action="leave.submit",
                target=leave,
                to_state=leave.status,
                region_path=session.term.congress.region.path,
            )
    except IntegrityError as exc:
        raise DomainError(_("该代表已有待批准或已批准的请假。")) from exc
    return leave


def _leave_refusal(leave: LeaveRequest, target: str) -> str:
    refusals: dict[str, str] = {
        LeaveRequest.Status.APPROVED: _("请假已批准，不能再变更。"),
        LeaveRequest.Status.REJECTED: _("请假已不予批准，不能再变更。"),
        LeaveRequest.Status.WITHDRAWN: _("请假已撤回，不能再变更。"),
    }
    return refusals.get(leave.status, _("当前状态不允许此操作。"))


def leave_request_decide(
    *, leave: LeaveRequest, approve: bool, note: str = "", actor: User | None
) -> LeaveRequest:
    """The approving body's decision, recorded by staff: approved leave is the
    deputy's attendance (请假) at the session; a refusal gives its reason."""
    target = LeaveRequest.Status.APPROVED if approve else LeaveRequest.Status.REJECTED
    if not approve and not (note or "").strip():
        raise DomainError(_("不予批准须说明理由。"), field="note")
    with transaction.atomic():
        locked = (
            # Lock the request only (the deputy's user is an outer join).
            LeaveRequest.objects.select_for_update(of=("self",))
            .select_related("session__term__congress__region", "mandate__person__user")
            .get(pk=leave.pk)
        )
        if not workflow.transition(
            locked,
            to=target,
            actor=actor,
            event_model=LeaveRequestEvent,
            event_fields={"leave": locked},
            refuse=_leave_refusal,
            timestamps={"decided_at": timezone.now()},
            changes={"decision_note": (note or "").strip()},
            note=(note or "").strip(),
        ):
            return locked
        if approve:
            _set_attendance(
                session=locked.session,
                mandate=locked.mandate,
                status=SessionAttendance.Status.LEAVE,
                actor=actor,
            )
            absence_flag_check(mandate=locked.mandate, actor=actor)
        audit_record(
            actor=actor,
            action="leave.decide",
            target=locked,
            from_state=LeaveRequest.Status.PENDING,
            to_state=target,
            reason=(note or "").strip()[:200],
            region_path=locked.session.term.congress.region.path,
        )
        transaction.on_commit(lambda: _notify_decision(locked))
    leave.status = locked.status
    return locked


def _notify_decision(leave: LeaveRequest) -> None:
    from portal.services import notification_create

    user = leave.mandate.person.user
    if user is None:
        return
    title = Message(
        gettext_noop("您的%(session)s请假已批准")
        if leave.status == LeaveRequest.Status.APPROVED
        else gettext_noop("您的%(session)s请假未获批准"),
        {"session": leave.session},
    )
    notification_create(
        recipient=user,
        kind="leave.decided",
        key=f"leave.decided:{leave.pk}:{leave.status}",
        title=title,
        body=leave.decision_note,
        target=leave,
        url="/deputies/me/sessions/",
        actor=None,
    )


def leave_request_withdraw(*, leave: LeaveRequest, actor: User) -> LeaveRequest:
    """The deputy withdraws a pending request."""
    with transaction.atomic():
        locked = (
            LeaveRequest.objects.select_for_update()
            .select_related("session__term__congress__region")
            .get(pk=leave.pk)
        )
        if workflow.transition(
            locked,
            to=LeaveRequest.Status.WITHDRAWN,
            actor=actor,
            event_model=LeaveRequestEvent,
            event_fields={"leave": locked},
            refuse=_leave_refusal,
        ):
            audit_record(
                actor=actor,
                action="leave.withdraw",
                target=locked,
                from_state=LeaveRequest.Status.PENDING,
                to_state=LeaveRequest.Status.WITHDRAWN,
                region_path=locked.session.term.congress.region.path,
            )
    return locked


# --- deliberation meetings and speeches ------------------------------------------------


def meeting_create(
    *,
    session: Session,
    title: str,
    date: date,
    actor: User | None,
    delegation: Delegation | None = None,
    group: DeputyGroup | None = None,
    location: str = "",
    minutes: str = "",
) -> DeliberationMeeting:
    """A delegation or group meeting of the session (or a township's plenary)."""
    if delegation is not None and group is not None:
        raise DomainError(_("审议会议属于一个代表团或一个代表小组，不能同时选择。"))
    if delegation is not None and delegation.term_id != session.term_id:
        raise DomainError(_("代表团不属于本届会议。"), field="delegation")
    if group is not None and group.congress_id != session.term.congress_id:
        raise DomainError(_("代表小组不属于本级人大。"), field="group")
    if not session.start_date <= date <= session.end_date:
        raise DomainError(
            _("审议会议日期应在会期内（%(start)s至%(end)s）。")
            % {
                "start": session.start_date.isoformat(),
                "end": session.end_date.isoformat(),
            },
            field="date",
        )
    with transaction.atomic():
        meeting = DeliberationMeeting.objects.create(
            session=session,
            delegation=delegation,
            group=group,
            title=title.strip(),
            date=date,
            location=location,
            minutes=minutes,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="meeting.create",
            target=meeting,
            region_path=session.term.congress.region.path,
        )
    return meeting


def speech_record(
    *,
    meeting: DeliberationMeeting,
    mandate: Mandate,
    topic: str,
    mode: str,
    actor: User | None,
    research_activity: Activity | None = None,
    opinion_refs: str = "",
    minutes_excerpt: str = "",
) -> Speech:
    """A speech at a meeting (points ``deliberation_speech``)."""
    session = meeting.session
    if mode not in Speech.Mode.values:
        raise DomainError(_("发言方式不正确。"), field="mode")
    if mandate.term_id != session.term_id:
        raise DomainError(
            _("%(name)s不是本届代表。") % {"name": mandate.person.name}, field="mandate"
        )
    delegation, group = meeting.delegation, meeting.group
    if delegation is not None and mandate.delegation_id != delegation.pk:
        raise DomainError(
            _("%(name)s不是%(body)s的成员。")
            % {"name": mandate.person.name, "body": delegation.name},
            field="mandate",
        )
    if group is not None and not group.memberships.filter(mandate=mandate).exists():
        raise DomainError(
            _("%(name)s不是%(body)s的成员。")
            % {"name": mandate.person.name, "body": group.name},
            field="mandate",
        )
    if (
        research_activity is not None
        and not Attendance.objects.filter(activity=research_activity, mandate=mandate)
        .exclude(status=Attendance.Status.ABSENT)
        .exists()
    ):
        raise DomainError(
            _("所选调研视察活动没有该代表参加。"), field="research_activity"
        )
    with transaction.atomic():
        speech = Speech.objects.create(
            meeting=meeting,
            mandate=mandate,
            topic=topic.strip(),
            mode=mode,
            research_activity=research_activity,
            opinion_refs=opinion_refs.strip(),
            minutes_excerpt=minutes_excerpt,
            created_by=actor,
        )
        ledger_record(
            mandate=mandate,
            kind="deliberation_speech",
            occurred_on=meeting.date,
            source=speech,
            note=speech.topic,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="speech.record",
            target=speech,
            region_path=session.term.congress.region.path,
        )
    return speech


def _adopted_key(speech: Speech) -> str:
    return f"speech_adopted:speech:{speech.pk}:{speech.mandate_id}"


def speech_set_outcome(
    *, speech: Speech, outcome: str, note: str = "", actor: User | None
) -> Speech:
    """Whether the speech was taken into the 审议意见 summary sent to the organs
    or became a follow-up item (points ``speech_adopted``, taken back when the
    outcome is corrected)."""
    if outcome not in Speech.Outcome.values:
        raise DomainError(_("采纳情况不正确。"), field="outcome")
    with transaction.atomic():
        locked = (
            Speech.objects.select_for_update()
            .select_related("meeting__session__term__congress__region", "mandate")
            .get(pk=speech.pk)
        )
        if locked.outcome == outcome and locked.outcome_note == note.strip():
            return locked
        was_adopted = locked.is_adopted
        previous = locked.outcome
        locked.outcome = outcome
        locked.outcome_note = note.strip()
        locked.save(update_fields=["outcome", "outcome_note"])
        if locked.is_adopted and not was_adopted:
            ledger_record(
                mandate=locked.mandate,
                kind="speech_adopted",
                occurred_on=locked.meeting.date,
                source=locked,
                key=_adopted_key(locked),
                note=locked.topic,
                actor=actor,
            )
        elif was_adopted and not locked.is_adopted:
            ledger_revoke(
                key=_adopted_key(locked), reason=_("审议发言采纳情况更正"), actor=actor
            )
        audit_record(
            actor=actor,
            action="speech.outcome",
            target=locked,
            from_state=previous,
            to_state=outcome,
            reason=note.strip()[:200],
            region_path=locked.meeting.session.term.congress.region.path,
        )
    return locked


# --- training ------------------------------------------------------------------------


def course_create(
    *,
    congress: Congress,
    title: str,
    kind: str,
    organiser: str,
    start_date: date,
    end_date: date,
    hours: Decimal,
    half_days: int,
    actor: User | None,
    location: str = "",
    materials: str = "",
) -> TrainingCourse:
    """A training course (初任/专题/网络) of ``congress``."""
    if kind not in TrainingCourse.Kind.values:
        raise DomainError(_("培训类型不正确。"), field="kind")
    if end_date < start_date:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end_date")
    if half_days < 1:
        raise DomainError(_("培训至少半天。"), field="half_days")
    with transaction.atomic():
        course = TrainingCourse.objects.create(
            congress=congress,
            title=title.strip(),
            kind=kind,
            organiser=organiser.strip(),
            start_date=start_date,
            end_date=end_date,
            hours=hours,
            half_days=half_days,
            location=location,
            materials=materials,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="course.create",
            target=course,
            region_path=congress.region.path,
        )
    return course


def course_enrol(
    *, course: TrainingCourse, mandates: Iterable[Mandate], actor: User | None
) -> int:
    """Enrol deputies of the organising congress or the congresses below it
    (县乡两级代表同堂培训); already enrolled ones are left as they are."""
    mandates = list(mandates)
    path = course.congress.region.path
    for m in mandates:
        if not m.congress.region.path.startswith(path):
            raise DomainError(
                _("%(name)s不是本级或下级人大的代表。") % {"name": m.person.name}
            )
        if m.status != Mandate.Status.ACTIVE:
            raise DomainError(
                _("%(name)s不在正常履职状态，不能报名。") % {"name": m.person.name}
            )
    created = Enrolment.objects.bulk_create(
        [Enrolment(course=course, mandate=m) for m in mandates], ignore_conflicts=True
    )
    audit_record(
        actor=actor,
        action="course.enrol",
        target=course,
        data={"count": len(created)},
        region_path=path,
    )
    return len(mandates)


def _training_key(enrolment: Enrolment) -> str:
    return f"training_half_day:enrolment:{enrolment.pk}:{enrolment.mandate_id}"


def enrolment_record(
    *,
    course: TrainingCourse,
    changes: Iterable[tuple[Enrolment, str, int]],
    actor: User | None,
    today: date | None = None,
) -> int:
    """Attendance of the enrolled deputies, all rows or none: points =
    half-days attended × ``training_half_day`` of the points table."""
    if _today(today) < course.start_date:
        raise DomainError(_("培训尚未开班，不能登记参训情况。"))
    table = rules_for(course.congress).points
    count = 0
    with transaction.atomic():
        for enrolment, status, half_days in changes:
            if enrolment.course_id != course.pk:
                raise DomainError(_("报名记录不属于该课程。"))
            if status not in Enrolment.Status.values:
                raise DomainError(_("参训情况不正确。"), field="status")
            if status != Enrolment.Status.ATTENDED:
                half_days = 0
            elif not 1 <= half_days <= course.half_days:
                raise DomainError(
                    _("%(name)s的参训半天数应在1至%(max)s之间。")
                    % {"name": enrolment.mandate.person.name, "max": course.half_days}
                )
            if (enrolment.status, enrolment.half_days_attended) == (status, half_days):
                continue
            ledger_revoke(
                key=_training_key(enrolment), reason=_("参训情况更正"), actor=actor
            )
            enrolment.status = status
            enrolment.half_days_attended = half_days
            enrolment.save(update_fields=["status", "half_days_attended"])
            if half_days:
                ledger_record(
                    mandate=enrolment.mandate,
                    kind="training_half_day",
                    occurred_on=course.start_date,
                    source=enrolment,
                    key=_training_key(enrolment),
                    points=table["training_half_day"] * half_days,
                    note=course.title,
                    actor=actor,
                )
            count += 1
        if count:
            audit_record(
                actor=actor,
                action="course.attendance",
                target=course,
                data={"changed": count},
                region_path=course.congress.region.path,
            )
    return count
