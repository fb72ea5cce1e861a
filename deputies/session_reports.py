"""The session work's part of the supervision report's "代表履职" section
(issue 16): attendance at the sessions, leave, speaking and adoption rates,
training coverage — each rate with its numerator and denominator. Database
aggregates only."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from portal.reports import model as m
from portal.reports.model import ReportScope

from .models import Mandate
from .session_models import Enrolment, LeaveRequest, SessionAttendance, Speech


def build(scope: ReportScope, current) -> tuple[list[m.Metric], m.Table]:
    """Metrics and one table by status; ``current`` is the report's current
    mandates (``deputies.reports.current_mandates``)."""
    attendance = SessionAttendance.objects.filter(
        scope.within("session__term__congress__region__path"),
        session__start_date__range=scope.period.dates,
    ).aggregate(
        present=Count("pk", filter=Q(status="present")),
        leave=Count("pk", filter=Q(status="leave")),
        absent=Count("pk", filter=Q(status="absent")),
    )
    recorded = attendance["present"] + attendance["leave"] + attendance["absent"]
    leaves = LeaveRequest.objects.filter(
        scope.within("session__term__congress__region__path"),
        session__start_date__range=scope.period.dates,
    ).aggregate(
        asked=Count("pk"),
        approved=Count("pk", filter=Q(status="approved")),
    )
    speeches = Speech.objects.filter(
        scope.within("meeting__session__term__congress__region__path"),
        meeting__date__range=scope.period.dates,
    )
    speech_totals = speeches.aggregate(
        n=Count("pk"),
        adopted=Count("pk", filter=Q(outcome__in=Speech.ADOPTED_OUTCOMES)),
        speakers=Count("mandate", distinct=True),
    )
    active = current.filter(status=Mandate.Status.ACTIVE)
    # ``IN (SELECT mandate_id …)``: hashed once, not probed per mandate (issue 14).
    trained = Enrolment.objects.filter(
        status=Enrolment.Status.ATTENDED,
        course__start_date__range=scope.period.dates,
    ).values("mandate_id")
    people = active.aggregate(
        total=Count("pk"), trained=Count("pk", filter=Q(pk__in=trained))
    )
    metrics = [
        m.rate(
            "session_attendance_rate",
            _("大会出席率"),
            attendance["present"],
            recorded,
            definition=_(
                "出席人次 ÷（出席 + 请假 + 未经批准缺席人次），统计期间开幕的会议。"
            ),
        ),
        m.count("session_absent", _("未经批准缺席大会人次"), attendance["absent"]),
        m.rate(
            "leave_approval_rate",
            _("会议请假批准率"),
            leaves["approved"],
            leaves["asked"],
            definition=_("已批准的请假 ÷ 提出的请假（含撤回）。"),
        ),
        m.rate(
            "speaking_rate",
            _("审议发言率"),
            speech_totals["speakers"],
            people["total"],
            definition=_("统计期间有审议发言的代表 ÷ 现有正常履职代表。"),
        ),
        m.rate(
            "speech_adoption_rate",
            _("审议发言采纳率"),
            speech_totals["adopted"],
            speech_totals["n"],
            definition=_("纳入审议意见或转为跟踪办理事项的发言 ÷ 发言人次。"),
        ),
        m.rate(
            "training_coverage",
            _("培训覆盖率"),
            people["trained"],
            people["total"],
            definition=_("统计期间参加过培训的代表 ÷ 现有正常履职代表。"),
        ),
    ]
    table = m.Table(
        "session_attendance",
        _("大会出席情况"),
        [
            m.Column("status", _("出席情况")),
            m.Column("count", _("人次"), m.COUNT),
            m.Column("rate", _("占比"), m.RATE),
        ],
        [
            {
                "status": label,
                "count": attendance[key],
                "rate": m.ratio(attendance[key], recorded),
            }
            for key, label in (
                ("present", _("出席")),
                ("leave", _("请假")),
                ("absent", _("未经批准缺席")),
            )
        ],
    )
    return metrics, table
