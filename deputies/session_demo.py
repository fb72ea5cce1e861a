"""Demo data of the session work (issue 16): 湘源县 first session with
attendance, leave and delegation speeches, its second session ahead with
leave requests and pre-session work; 桃花乡's two sessions with a deputy
absent twice (the termination ground on staff's to-do); courses with
enrolments and attendance."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from portal.models import Session

from . import services
from . import session_services as ss
from .models import Activity, Mandate
from .session_models import LeaveRequest, SessionAttendance, TrainingCourse

XY_TOPICS = [
    ("关于加快农村公路提质改造的审议意见", "prepared"),
    ("建议加大义务教育薄弱学校改造投入", "prepared"),
    ("对政府工作报告中乡村振兴部分的意见", "impromptu"),
    ("关于县人民医院专科建设的建议", "prepared"),
    ("建议完善油茶产业扶持政策", "impromptu"),
    ("关于城区停车难问题的审议发言", "impromptu"),
    ("对财政预算报告中民生支出的意见", "prepared"),
    ("关于农村饮水安全长效管护的建议", "prepared"),
]


def _session(term, number: int, start: date, end: date) -> Session:
    tz = timezone.get_current_timezone()
    session, _created = Session.objects.get_or_create(
        term=term,
        number=number,
        defaults={
            "start_date": start,
            "end_date": end,
            "bill_deadline": datetime.combine(start, time(18, 0), tzinfo=tz),
        },
    )
    return session


def _active(congress) -> list[Mandate]:
    return list(
        Mandate.objects.filter(congress=congress, term__is_current=True)
        .active()
        .select_related("person", "delegation", "congress", "term")
        .order_by("card_number")
    )


def seed(ctx) -> None:
    """Sessions with attendance, leave and speeches; courses with enrolments."""
    c = ctx.congresses
    xiangyuan, taohua = c["湘源县"], c["桃花乡"]
    staff, taohua_staff = ctx.users["xian_staff"], ctx.users["taohua_staff"]
    term = xiangyuan.current_term()
    first = term.sessions.order_by("number").first()
    if first is None or SessionAttendance.objects.filter(session=first).exists():
        return
    second = _session(term, 2, date(2027, 1, 12), date(2027, 1, 15))
    xy = _active(xiangyuan)
    day = first.end_date

    # Session 1: two approved leaves, one refused, one unexcused absence.
    on_leave = xy[10:12]
    for mandate, reason in zip(
        on_leave, ["在外地参加省级业务培训", "因病住院治疗"], strict=True
    ):
        leave = ss.leave_request_submit(
            session=first, mandate=mandate, reason=reason, actor=staff,
            today=date(2026, 10, 18),
        )  # fmt: skip
        ss.leave_request_decide(
            leave=leave, approve=True, note="经县人大常委会主任会议同意。", actor=staff
        )
    refused = ss.leave_request_submit(
        session=first, mandate=xy[12], reason="企业年度审计", actor=staff,
        today=date(2026, 10, 18),
    )  # fmt: skip
    ss.leave_request_decide(
        leave=refused,
        approve=False,
        note="审计可另行安排，请按时出席会议。",
        actor=staff,
    )
    changes = [
        (m, "leave" if m in on_leave else "absent" if m == xy[12] else "present")
        for m in xy
    ]
    ss.session_attendance_record(session=first, changes=changes, actor=staff, today=day)

    # Pre-session work of both sessions (会前集中学习、会前视察).
    Activity.objects.filter(
        congress=xiangyuan, title="第十九届县人大代表初任履职培训"
    ).update(session=first)
    services.activity_create(
        congress=xiangyuan,
        kind="inspection",
        title="会前视察：县城区老旧小区改造项目",
        date=date(2027, 1, 6),
        participants=xy[:12],
        actor=staff,
        organiser="湘源县人大常委会选联工委",
        location="湘源县城关街道",
        session=second,
    )

    # Delegation meetings with speeches.
    research = Activity.objects.filter(
        congress=xiangyuan, kind="research", review_status="approved"
    ).first()
    by_delegation: dict[int, list[Mandate]] = {}
    for m in xy:
        if m.delegation_id and m not in on_leave and m != xy[12]:
            by_delegation.setdefault(m.delegation_id, []).append(m)
    topic = 0
    for delegation_id, members in sorted(by_delegation.items()):
        meeting = ss.meeting_create(
            session=first,
            title="审议政府工作报告",
            date=first.start_date,
            delegation=members[0].delegation,
            location="湘源县人民会堂第%s会议室" % (delegation_id % 5 + 1),
            minutes="代表团全体会议审议县人民政府工作报告，代表们踊跃发言。",
            actor=staff,
        )
        for index, mandate in enumerate(members[:4]):
            title, mode = XY_TOPICS[topic % len(XY_TOPICS)]
            topic += 1
            attended_research = (
                research is not None
                and research.attendances.filter(
                    mandate=mandate, status="attended"
                ).exists()
            )
            speech = ss.speech_record(
                meeting=meeting,
                mandate=mandate,
                topic=title,
                mode=mode,
                research_activity=research if attended_research else None,
                minutes_excerpt="建议政府在下一年度预算中统筹安排专项资金，明确责任单位和完成时限。",
                actor=staff,
            )
            outcome = ["adopted", "follow_up", "not_adopted", "pending"][index % 4]
            if outcome != "pending":
                ss.speech_set_outcome(
                    speech=speech,
                    outcome=outcome,
                    note="已纳入代表团审议意见，转县人民政府研究办理。"
                    if outcome != "not_adopted"
                    else "",
                    actor=staff,
                )

    # Session 2 ahead: one pending leave for staff to decide.
    if not LeaveRequest.objects.filter(session=second).exists():
        ss.leave_request_submit(
            session=second,
            mandate=xy[5],
            reason="届时随县农业农村局赴外省考察油茶产业",
            actor=staff,
            today=date(2026, 12, 1),
        )

    # 桃花乡: two sessions; one deputy absent from both (the statutory ground).
    t_term = taohua.current_term()
    t_first = t_term.sessions.order_by("number").first()
    t_second = _session(t_term, 2, date(2026, 11, 27), date(2026, 11, 28))
    th = _active(taohua)
    for session in (t_first, t_second):
        ss.session_attendance_record(
            session=session,
            changes=[(m, "absent" if m == th[-1] else "present") for m in th],
            actor=taohua_staff,
            today=session.end_date,
        )

    # Training: initial (done), topical (starting soon), online.
    courses = [
        (
            "第十九届县人大代表初任培训",
            TrainingCourse.Kind.INITIAL,
            date(2026, 10, 27),
            date(2026, 10, 28),
            Decimal("12"),
            4,
            "《代表法》解读；代表建议的提出与办理；联络站履职规范",
        ),
        (
            "预算审查监督专题培训",
            TrainingCourse.Kind.TOPICAL,
            date(2026, 12, 10),
            date(2026, 12, 10),
            Decimal("6"),
            2,
            "《预算法》及实施条例；县级预算草案审查要点",
        ),
        (
            "代表履职网络学院：怎样写好代表建议",
            TrainingCourse.Kind.ONLINE,
            date(2026, 11, 15),
            date(2026, 11, 30),
            Decimal("4"),
            2,
            "网络课程：https://example.invalid/courses/suggestions",
        ),
    ]
    for title, kind, start, end, hours, half_days, materials in courses:
        course = ss.course_create(
            congress=xiangyuan,
            title=title,
            kind=kind,
            organiser="湘源县人大常委会选联工委",
            start_date=start,
            end_date=end,
            hours=hours,
            half_days=half_days,
            location="湘源县委党校" if kind != "online" else "",
            materials=materials,
            actor=staff,
        )
        enrolled = xy if kind == "initial" else xy[:15]
        ss.course_enrol(course=course, mandates=enrolled, actor=staff)
        if start > timezone.localdate():
            continue
        rows = list(course.enrolments.select_related("mandate__person"))
        ss.enrolment_record(
            course=course,
            changes=[
                (e, "absent", 0)
                if i % 10 == 9
                else (e, "attended", half_days - (1 if i % 7 == 6 else 0))
                for i, e in enumerate(rows)
            ],
            actor=staff,
            today=max(end, timezone.localdate()),
        )
