"""The session itself (issue 16): attendance and leave at the sessions of a
congress, deliberation speeches (审议发言) at delegation or group meetings, and
training (大培训) — each feeding the performance ledger.

Imported at the end of ``deputies.models`` so the app's models stay one module
to Django.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, Session
from portal.workflow import StatusChange

from .session_querysets import (
    AbsenceFlagQuerySet,
    EnrolmentQuerySet,
    LeaveRequestQuerySet,
    MeetingQuerySet,
    SessionAttendanceQuerySet,
    SpeechQuerySet,
    TrainingCourseQuerySet,
)


class SessionAttendance(models.Model):
    """Whether one mandate attended one session (出席 / 请假 / 缺席)."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        LEAVE = "leave", _("请假（已批准）")
        ABSENT = "absent", _("未经批准缺席")

    session = models.ForeignKey(
        Session,
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="deputy_attendances",
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="session_attendances",
    )
    status = models.CharField(_("出席情况"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now=True)

    objects = SessionAttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("大会出席记录")
        verbose_name_plural = _("大会出席记录")
        ordering = ["session", "mandate__name_stroke_key", "mandate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "mandate"], name="session_attendance_unique"
            )
        ]
        indexes = [models.Index(fields=["mandate", "status"])]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.mandate_id} {self.status}"


class LeaveRequest(models.Model):
    """A deputy's leave request (请假) for a session, decided by the body the
    level's rules name (rule ``session_leave_approver``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("不予批准")
        WITHDRAWN = "withdrawn", _("已撤回")

    TRANSITIONS: dict[str, set[str]] = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
        Status.APPROVED: set(),
        Status.REJECTED: set(),
        Status.WITHDRAWN: set(),
    }

    session = models.ForeignKey(
        Session,
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="leave_requests",
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="leave_requests",
    )
    reason = models.TextField(_("请假事由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # The deciding body of the level's rules when it was filed (its label).
    approver = models.CharField(_("批准机构"), max_length=40)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    decision_note = models.TextField(_("批准意见"), blank=True)

    objects = LeaveRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议请假")
        verbose_name_plural = _("会议请假")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One open (pending or approved) request per deputy and session.
            models.UniqueConstraint(
                fields=["session", "mandate"],
                condition=Q(status__in=["pending", "approved"]),
                name="leave_one_open",
            )
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.mandate_id}@{self.session_id} {self.status}"


class LeaveRequestEvent(StatusChange):
    leave = models.ForeignKey(
        LeaveRequest, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("请假审批记录")
        verbose_name_plural = _("请假审批记录")


class AbsenceFlag(models.Model):
    """The statutory termination ground 未经批准两次不出席本级人民代表大会会议
    reached by a mandate: put on staff's to-do; staff decide (terminate through
    the qualification flow, or set the flag aside with a reason)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        DISMISSED = "dismissed", _("已研究不启动终止程序")
        CLEARED = "cleared", _("缺席记录已更正")

    mandate = models.OneToOneField(
        "deputies.Mandate",
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="absence_flag",
    )
    absences = models.PositiveSmallIntegerField(_("未经批准缺席次数"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    raised_on = models.DateField(_("提示日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decision_note = models.TextField(_("处理意见"), blank=True)

    objects = AbsenceFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("缺席终止事由提示")
        verbose_name_plural = _("缺席终止事由提示")
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.mandate_id} ×{self.absences}"


class DeliberationMeeting(models.Model):
    """A delegation or group meeting of a session (代表团/小组审议), or the
    plenary deliberation of a township congress (neither set)."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="deliberation_meetings",
    )
    delegation = models.ForeignKey(
        "deputies.Delegation",
        verbose_name=_("代表团"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    group = models.ForeignKey(
        "deputies.DeputyGroup",
        verbose_name=_("代表小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    title = models.CharField(_("审议事项"), max_length=200)
    date = models.DateField(_("日期"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("审议会议")
        verbose_name_plural = _("审议会议")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delegation__isnull=True) | Q(group__isnull=True),
                name="meeting_delegation_or_group",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def body_name(self) -> str:
        if self.delegation_id:
            return self.delegation.name
        if self.group_id:
            return self.group.name
        return str(_("全体代表"))


class Speech(models.Model):
    """A deliberation speech (审议发言) and what became of it."""

    class Mode(models.TextChoices):
        PREPARED = "prepared", _("书面准备")
        IMPROMPTU = "impromptu", _("即席发言")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待整理")
        ADOPTED = "adopted", _("纳入审议意见")
        FOLLOW_UP = "follow_up", _("转为跟踪办理事项")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    # Outcomes that count as adopted (采纳率, the ledger's adopted speech).
    ADOPTED_OUTCOMES = frozenset({Outcome.ADOPTED, Outcome.FOLLOW_UP})

    meeting = models.ForeignKey(
        DeliberationMeeting,
        verbose_name=_("审议会议"),
        on_delete=models.CASCADE,
        related_name="speeches",
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("发言代表"),
        on_delete=models.CASCADE,
        related_name="speeches",
    )
    topic = models.CharField(_("发言主题"), max_length=200)
    mode = models.CharField(_("发言方式"), max_length=10, choices=Mode.choices)
    research_activity = models.ForeignKey(
        "deputies.Activity",
        verbose_name=_("依据的调研视察活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speeches",
    )
    # Station opinions are stations' (downstream of deputies): kept as their
    # tracking codes, a plain reference the stations app can resolve.
    opinion_refs = models.CharField(
        _("依据的群众意见（受理编号）"), max_length=300, blank=True
    )
    minutes_excerpt = models.TextField(_("发言纪要摘录"), blank=True)
    outcome = models.CharField(
        _("采纳情况"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_note = models.CharField(_("采纳说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = SpeechQuerySet.as_manager()

    class Meta:
        verbose_name = _("审议发言")
        verbose_name_plural = _("审议发言")
        ordering = ["meeting", "id"]
        indexes = [models.Index(fields=["mandate", "outcome"])]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_adopted(self) -> bool:
        return self.outcome in self.ADOPTED_OUTCOMES


class TrainingCourse(models.Model):
    """A training course (大培训): 初任 / 专题 / 网络."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("初任培训")
        TOPICAL = "topical", _("专题培训")
        ONLINE = "online", _("网络培训")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("组织的人大"),
        on_delete=models.CASCADE,
        related_name="training_courses",
    )
    title = models.CharField(_("课程名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    organiser = models.CharField(_("主办单位"), max_length=100)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    half_days = models.PositiveSmallIntegerField(_("半天数"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    materials = models.TextField(_("学习材料"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = TrainingCourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="course_dates_ordered",
            )
        ]
        indexes = [models.Index(fields=["congress", "start_date"])]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    """A deputy enrolled in a course, then their attendance (half-days)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("已报名")
        ATTENDED = "attended", _("已参训")
        ABSENT = "absent", _("未参训")

    course = models.ForeignKey(
        TrainingCourse,
        verbose_name=_("培训课程"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(
        _("参训情况"), max_length=10, choices=Status.choices, default=Status.ENROLLED
    )
    half_days_attended = models.PositiveSmallIntegerField(_("参训半天数"), default=0)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["course", "mandate__name_stroke_key", "mandate_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "mandate"], name="enrolment_unique"
            )
        ]
        indexes = [models.Index(fields=["mandate", "status"])]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.mandate_id} {self.status}"
