"""Commendation campaigns (评选表彰), nominations, their timeline, and the
提醒谈话/诫勉 steps of persistent 零履职. Part of ``proposals.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.models import Congress, HandlingUnit
from portal.workflow import StatusChange
from stations.models import Station

from .querysets import CampaignQuerySet, NominationQuerySet, ZeroStepQuerySet

# What a campaign of each kind commends (the kinds' names are the rule
# ``commendation_kinds``; the codes are fixed because the code branches on them).
KIND_TARGETS: dict[str, str] = {
    "excellent_deputy": "mandate",
    "excellent_suggestion": "suggestion",
    "excellent_unit": "unit",
    "model_station": "station",
    "star_station": "station",
}


class Campaign(models.Model):
    """A selection campaign (评选表彰活动) of one congress and year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("筹备中")
        NOMINATING = "nominating", _("推荐中")
        REVIEWING = "reviewing", _("审核中")
        APPROVED = "approved", _("已批准")
        PUBLISHED = "published", _("已公布")
        CANCELLED = "cancelled", _("已撤销")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.NOMINATING, Status.CANCELLED},
        Status.NOMINATING: {Status.REVIEWING, Status.CANCELLED},
        Status.REVIEWING: {Status.APPROVED, Status.NOMINATING, Status.CANCELLED},
        Status.APPROVED: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
        Status.CANCELLED: set(),
    }

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="commendation_campaigns",
    )
    year = models.PositiveSmallIntegerField(_("评选年度"))
    kind = models.CharField(_("表彰类别"), max_length=30)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("评选说明"), blank=True)
    nomination_deadline = models.DateField(_("推荐截止日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    document_number = models.CharField(_("表彰决定文号"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("评选表彰")
        verbose_name_plural = _("评选表彰")
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:commendation_detail", args=[self.pk])

    @property
    def target(self) -> str:
        """What it commends: mandate, suggestion, unit or station."""
        return KIND_TARGETS.get(self.kind, "mandate")


class Nomination(models.Model):
    """One nominee of a campaign: a deputy, a suggestion, a unit or a station."""

    class Source(models.TextChoices):
        DRAWN = "drawn", _("数据推荐")
        MANUAL = "manual", _("人工推荐")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("待审核")
        ACCEPTED = "accepted", _("审核通过")
        REJECTED = "rejected", _("未通过")
        AWARDED = "awarded", _("已表彰")

    TRANSITIONS: dict[str, set[str]] = {
        Status.NOMINATED: {Status.ACCEPTED, Status.REJECTED},
        Status.ACCEPTED: {Status.REJECTED, Status.AWARDED},
        Status.REJECTED: {Status.ACCEPTED},
        Status.AWARDED: set(),
    }

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="nominations"
    )
    source = models.CharField(_("推荐方式"), max_length=8, choices=Source.choices)
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("代表"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    suggestion = models.ForeignKey(
        "proposals.Suggestion",
        verbose_name=_("建议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    name = models.CharField(_("推荐对象"), max_length=200)
    basis = models.CharField(_("推荐依据"), max_length=300, blank=True)
    reason = models.TextField(_("推荐理由"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.NOMINATED
    )
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("表彰推荐")
        verbose_name_plural = _("表彰推荐")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "mandate"],
                condition=Q(mandate__isnull=False),
                name="nomination_one_per_mandate",
            ),
            models.UniqueConstraint(
                fields=["campaign", "suggestion"],
                condition=Q(suggestion__isnull=False),
                name="nomination_one_per_suggestion",
            ),
            models.UniqueConstraint(
                fields=["campaign", "unit"],
                condition=Q(unit__isnull=False),
                name="nomination_one_per_unit",
            ),
            models.UniqueConstraint(
                fields=["campaign", "station"],
                condition=Q(station__isnull=False),
                name="nomination_one_per_station",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignEvent(StatusChange):
    """A change of a campaign (or a review of one of its nominations)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="events"
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("评选表彰记录")
        verbose_name_plural = _("评选表彰记录")

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.from_state}→{self.to_state}"


class ZeroPerformanceStep(models.Model):
    """A 提醒谈话 or 诫勉谈话 held with a deputy of persistent 零履职; staff only."""

    class Step(models.TextChoices):
        TALK = "talk", _("提醒谈话")
        ADMONITION = "admonition", _("诫勉谈话")

    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="zero_performance_steps",
    )
    year = models.PositiveSmallIntegerField(_("零履职年度"))
    step = models.CharField(_("措施"), max_length=12, choices=Step.choices)
    held_on = models.DateField(_("谈话日期"))
    held_by = models.CharField(_("谈话人"), max_length=100)
    notes = models.TextField(_("谈话情况"))
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ZeroStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("零履职提醒诫勉")
        verbose_name_plural = _("零履职提醒诫勉")
        ordering = ["-year", "-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mandate", "year", "step"], name="zero_step_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id} {self.year} {self.step}"
