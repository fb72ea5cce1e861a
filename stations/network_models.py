"""Stations as networks and assessed, and grassroots governance (issue 17).

- ``StationAssessment``: the annual 建管用 assessment of a station against the
  checklist of the rule set (``station_assessment_checklist``), with evidence,
  a score, a star grade or the 示范站 designation; approved by the congress
  above the station.
- ``StationActivity``: a station's 政策宣讲、普法宣传 and 矛盾纠纷调解 activities.
- ``MediationCase``: a mediation (人民调解) of the matter of an opinion, parties
  shown masked, with its outcome.
- ``SocialReport``: a 社情民意 report a station or a deputy sends up to the
  congress's office, which answers or forwards it.

The points of a station (一站多点) are stations with ``Station.parent`` set.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.models import Congress, HandlingUnit
from portal.workflow import StatusChange

from .network_querysets import (
    MediationCaseQuerySet,
    SocialReportQuerySet,
    StationActivityQuerySet,
    StationAssessmentQuerySet,
)


class StationAssessment(models.Model):
    """One station's annual assessment (年度考评): draft → submitted → approved
    by the congress above the station, or refused with a reason (then revised
    and submitted again)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        APPROVED = "approved", _("已审定")
        REFUSED = "refused", _("已退回")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.REFUSED},
        Status.REFUSED: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }

    class Grade(models.TextChoices):
        MODEL = "model", _("示范站")
        STAR5 = "5", _("五星级")
        STAR4 = "4", _("四星级")
        STAR3 = "3", _("三星级")
        STAR2 = "2", _("二星级")
        STAR1 = "1", _("一星级")
        NONE = "none", _("未达星级")

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    year = models.PositiveSmallIntegerField(_("考评年度"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # {item key: points given}, {item key: evidence}: the checklist of the rule
    # set in force when the assessment was created is kept in ``checklist``.
    checklist = models.JSONField(_("考评细则"), default=dict)
    scores = models.JSONField(_("各项得分"), default=dict, blank=True)
    evidence = models.JSONField(_("佐证材料说明"), default=dict, blank=True)
    evidence_file = models.FileField(
        _("佐证材料"), upload_to="stations/assessments/%Y/", blank=True
    )
    score = models.DecimalField(
        _("总分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    grade = models.CharField(_("等次"), max_length=8, choices=Grade.choices, blank=True)
    # The station's own congress (fills it in) and the congress above (approves).
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("本级人大"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    assessor = models.ForeignKey(
        Congress,
        verbose_name=_("审定人大"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("退回理由"), blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审定时间"), null=True, blank=True)

    objects = StationAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("联络站年度考评")
        verbose_name_plural = _("联络站年度考评")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year"], name="assessment_one_per_year"
            )
        ]
        indexes = [models.Index(fields=["status", "year"])]

    def __str__(self) -> str:
        return f"{self.station_id}:{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("stations:assessment", args=[self.pk])


class AssessmentEvent(StatusChange):
    assessment = models.ForeignKey(
        StationAssessment, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("考评记录")
        verbose_name_plural = _("考评记录")


class StationActivity(models.Model):
    """A station's governance activity (融入基层治理)."""

    class Kind(models.TextChoices):
        POLICY_PUBLICITY = "policy_publicity", _("政策宣讲")
        LAW_PUBLICITY = "law_publicity", _("普法宣传")
        MEDIATION = "mediation", _("矛盾纠纷调解")

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.CASCADE,
        related_name="governance_activities",
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    title = models.CharField(_("主题"), max_length=200)
    deputies = models.ManyToManyField(
        Mandate, verbose_name=_("参加代表"), related_name="+", blank=True
    )
    participants = models.PositiveIntegerField(_("参加群众人数"), default=0)
    notes = models.TextField(_("活动情况"), blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("联络站基层治理活动")
        verbose_name_plural = _("联络站基层治理活动")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class MediationCase(models.Model):
    """A mediation of the matter an opinion raised: open → mediated (调解成功)
    or failed (调解不成, with the channel the parties were pointed to)."""

    class Status(models.TextChoices):
        OPEN = "open", _("调解中")
        MEDIATED = "mediated", _("调解成功")
        FAILED = "failed", _("调解不成")

    TRANSITIONS: dict[str, set[str]] = {
        Status.OPEN: {Status.MEDIATED, Status.FAILED},
        Status.MEDIATED: set(),
        Status.FAILED: set(),
    }

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.CASCADE,
        related_name="mediation_cases",
    )
    opinion = models.ForeignKey(
        "stations.Opinion",
        verbose_name=_("关联群众意见"),
        on_delete=models.PROTECT,
        related_name="mediation_cases",
    )
    activity = models.ForeignKey(
        StationActivity,
        verbose_name=_("调解活动"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    # Stored in full for the record; every page and the API show them masked.
    parties = models.CharField(
        _("当事人"), max_length=200, help_text=_("多名当事人用顿号分隔")
    )
    subject = models.CharField(_("纠纷事由"), max_length=200)
    deputies = models.ManyToManyField(
        Mandate, verbose_name=_("参与调解代表"), related_name="+", blank=True
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    outcome = models.TextField(_("调解结果"), blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    objects = MediationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("矛盾纠纷调解")
        verbose_name_plural = _("矛盾纠纷调解")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("stations:mediation", args=[self.pk])


class MediationEvent(StatusChange):
    case = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")


class SocialReport(models.Model):
    """A 社情民意 report sent up to a congress's office: draft → submitted →
    answered, or forwarded to a handling unit (then answered)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")
        FORWARDED = "forwarded", _("已转送")
        ANSWERED = "answered", _("已答复")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ANSWERED, Status.FORWARDED},
        Status.FORWARDED: {Status.ANSWERED},
        Status.ANSWERED: set(),
    }

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("报送联络站"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="social_reports",
    )
    author = models.ForeignKey(
        Mandate,
        verbose_name=_("报送代表"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_reports",
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("报送人大"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=200)
    category = models.CharField(_("类别"), max_length=20, default="other")
    content = models.TextField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    answer = models.TextField(_("答复"), blank=True)
    forwarded_to = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("转送单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = SocialReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("社情民意")
        verbose_name_plural = _("社情民意")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["congress", "status"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stations:social_report", args=[self.pk])


class SocialReportEvent(StatusChange):
    report = models.ForeignKey(
        SocialReport, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("社情民意办理记录")
        verbose_name_plural = _("社情民意办理记录")
