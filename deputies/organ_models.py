"""State organs and deputies (issue 16, items 1–2): 国家机关联系代表 and deputies
attending standing-committee meetings (列席常委会会议).

An *organ* is a handling unit (``portal.HandlingUnit``) of one of the
``ORGAN_KINDS`` (一府一委两院: the people's government and its departments, the
supervision commission, the court, the procuratorate). Each organ keeps a
contact plan per year (which deputies of the congress of its region it
contacts, how often: rule ``organ_contacts_per_deputy``) and records its
contacts with them. The standing committee invites deputies to its meetings;
each invitation is accepted or declined by the deputy, attendance is recorded
by the staff, and an opinion given there may be taken up for follow-up.

Imported at the end of ``deputies/models.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, HandlingUnit, Term
from portal.workflow import StatusChange

from .organ_querysets import (
    InvitationQuerySet,
    MeetingOpinionQuerySet,
    OrganContactQuerySet,
    OrganPlanQuerySet,
    StandingMeetingQuerySet,
)

__all__ = [
    "ORGAN_KINDS",
    "InvitationEvent",
    "MeetingInvitation",
    "MeetingOpinion",
    "MeetingOpinionEvent",
    "OrganContact",
    "OrganContactPlan",
    "StandingMeeting",
]

# The kinds of handling unit that are state organs contacting deputies.
ORGAN_KINDS = (
    HandlingUnit.Kind.GOVERNMENT,
    HandlingUnit.Kind.GOVERNMENT_DEPARTMENT,
    HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
    HandlingUnit.Kind.SUPERVISION,
    HandlingUnit.Kind.COURT,
    HandlingUnit.Kind.PROCURATORATE,
)


class OrganContactPlan(models.Model):
    """One organ's plan of contacting deputies for one year (联系代表计划)."""

    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("国家机关"),
        on_delete=models.PROTECT,
        related_name="contact_plans",
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("联系的代表所属人大"),
        on_delete=models.PROTECT,
        related_name="organ_plans",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    contacts_per_deputy = models.PositiveSmallIntegerField(_("每名代表每年联系次数"))
    note = models.TextField(_("计划说明"), blank=True)
    deputies = models.ManyToManyField(
        "deputies.Mandate",
        verbose_name=_("联系的代表"),
        related_name="organ_plans",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)

    objects = OrganPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("国家机关联系代表计划")
        verbose_name_plural = _("国家机关联系代表计划")
        ordering = ["-year", "unit__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="organ_plan_one_per_year"
            )
        ]
        indexes = [models.Index(fields=["congress", "year"])]

    def __str__(self) -> str:
        return _("%(unit)s%(year)s年联系代表计划") % {
            "unit": self.unit.name,
            "year": self.year,
        }


class OrganContact(models.Model):
    """One contact of an organ with deputies (走访、座谈、情况通报…)."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("走访代表")
        SYMPOSIUM = "symposium", _("座谈会")
        BRIEFING = "briefing", _("情况通报")
        INSPECTION_INVITE = "inspection_invite", _("邀请视察")
        HEARING_INVITE = "hearing_invite", _("邀请参加听证（旁听庭审）")
        OPINION_FEEDBACK = "opinion_feedback", _("反馈代表意见办理情况")

    plan = models.ForeignKey(
        OrganContactPlan,
        verbose_name=_("联系计划"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    kind = models.CharField(_("联系方式"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    subject = models.CharField(_("主题"), max_length=200)
    summary = models.TextField(_("情况记录"), blank=True)
    follow_up = models.TextField(_("需跟进事项"), blank=True)
    follow_up_done_at = models.DateTimeField(_("跟进完成时间"), null=True, blank=True)
    follow_up_result = models.TextField(_("跟进结果"), blank=True)
    participants = models.ManyToManyField(
        "deputies.Mandate",
        verbose_name=_("参加代表"),
        related_name="organ_contacts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = OrganContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("国家机关联系代表记录")
        verbose_name_plural = _("国家机关联系代表记录")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["plan", "date"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def follow_up_open(self) -> bool:
        return bool(self.follow_up.strip()) and self.follow_up_done_at is None


class StandingMeeting(models.Model):
    """A meeting of the standing committee (常委会会议) deputies are invited to."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="standing_meetings",
    )
    term = models.ForeignKey(
        Term,
        verbose_name=_("届"),
        on_delete=models.PROTECT,
        related_name="standing_meetings",
    )
    number = models.PositiveSmallIntegerField(_("会次"))
    date = models.DateField(_("会议日期"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    agenda = models.TextField(_("会议议程"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = StandingMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("常委会会议")
        verbose_name_plural = _("常委会会议")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "number"], name="standing_meeting_unique_number"
            )
        ]

    def __str__(self) -> str:
        from portal.chinese import localized_numeral

        return _("%(body)s第%(number)s次会议") % {
            "body": self.congress.standing_committee_name
            or _("%(congress)s常务委员会") % {"congress": self.congress.name},
            "number": localized_numeral(self.number),
        }


class MeetingInvitation(models.Model):
    """A deputy invited to attend (列席) one standing-committee meeting."""

    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已婉辞")
        ATTENDED = "attended", _("已列席")
        ABSENT = "absent", _("未到会")

    # The deputy answers (accept, decline, change their mind before the
    # meeting); staff record attendance. Attendance is final (points).
    TRANSITIONS: dict[str, set[str]] = {
        Status.INVITED: {
            Status.ACCEPTED,
            Status.DECLINED,
            Status.ATTENDED,
            Status.ABSENT,
        },
        Status.ACCEPTED: {Status.DECLINED, Status.ATTENDED, Status.ABSENT},
        Status.DECLINED: {Status.ACCEPTED, Status.ATTENDED},
        Status.ATTENDED: set(),
        Status.ABSENT: {Status.ATTENDED},
    }

    meeting = models.ForeignKey(
        StandingMeeting,
        verbose_name=_("常委会会议"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    mandate = models.ForeignKey(
        "deputies.Mandate",
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
    )
    topic = models.CharField(_("列席议题"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    decline_reason = models.CharField(_("婉辞理由"), max_length=200, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("列席邀请")
        verbose_name_plural = _("列席邀请")
        ordering = ["meeting", "mandate__name_stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "mandate"], name="invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.mandate_id} {self.status}"


class InvitationEvent(StatusChange):
    """A change of an invitation's status (its timeline)."""

    invitation = models.ForeignKey(
        MeetingInvitation,
        verbose_name=_("列席邀请"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("列席邀请变动")
        verbose_name_plural = _("列席邀请变动")


class MeetingOpinion(models.Model):
    """An opinion a deputy gave while attending a meeting, and its follow-up."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("已记录")
        FOLLOWING = "following", _("跟踪办理中")
        CLOSED = "closed", _("已办结")

    TRANSITIONS: dict[str, set[str]] = {
        Status.RECORDED: {Status.FOLLOWING, Status.CLOSED},
        Status.FOLLOWING: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    invitation = models.ForeignKey(
        MeetingInvitation,
        verbose_name=_("列席邀请"),
        on_delete=models.CASCADE,
        related_name="opinions",
    )
    text = models.TextField(_("意见内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RECORDED
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("研究办理单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    follow_up_note = models.TextField(_("跟踪要求"), blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = MeetingOpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("列席代表意见")
        verbose_name_plural = _("列席代表意见")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="following") | Q(due_date__isnull=False),
                name="opinion_following_has_due_date",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class MeetingOpinionEvent(StatusChange):
    """A change of an opinion's follow-up status (its timeline)."""

    opinion = models.ForeignKey(
        MeetingOpinion,
        verbose_name=_("列席代表意见"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("列席代表意见跟踪")
        verbose_name_plural = _("列席代表意见跟踪")
