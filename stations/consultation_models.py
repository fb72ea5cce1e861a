"""Legislative consultation (基层立法联系点, issue 17): a province or city congress
publishes a draft regulation for comments through chosen stations; the stations
collect comments from receptions, deputies and the public form; staff summarise
them and report the adopted ones back. Part of ``stations.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.models import Congress
from portal.workflow import StatusChange

from .incentive_querysets import CommentQuerySet, DraftQuerySet, HonourQuerySet


class LegislativeDraft(models.Model):
    """A draft regulation (法规草案) out for comments through chosen stations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待发布")
        OPEN = "open", _("征求意见中")
        CLOSED = "closed", _("征求意见结束")
        SUMMARISED = "summarised", _("已汇总")
        FEEDBACK = "feedback", _("已反馈采纳情况")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.SUMMARISED},
        Status.SUMMARISED: {Status.FEEDBACK},
        Status.FEEDBACK: set(),
    }
    # Congresses that make local regulations (地方性法规): provinces and
    # 设区的市 (立法法第八十条、第八十一条).
    LEVELS = ("province", "city")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="legislative_drafts",
    )
    title = models.CharField(_("法规草案名称"), max_length=200)
    explanation = models.TextField(_("起草说明"), blank=True)
    text = models.TextField(_("草案全文"))
    opens_on = models.DateField(_("征求意见开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("征求意见截止日期"))
    stations = models.ManyToManyField(
        "stations.Station",
        verbose_name=_("基层立法联系点"),
        related_name="legislative_drafts",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.TextField(_("意见汇总情况"), blank=True)
    feedback = models.TextField(_("采纳情况说明"), blank=True)
    feedback_published_at = models.DateTimeField(
        _("反馈公布时间"), null=True, blank=True
    )
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("法规草案征求意见")
        verbose_name_plural = _("法规草案征求意见")
        ordering = ["-closes_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stations:consultation_detail", args=[self.pk])


class DraftComment(models.Model):
    """One comment on a draft collected by a station."""

    class Source(models.TextChoices):
        RECEPTION = "reception", _("接待群众")
        DEPUTY = "deputy", _("代表意见")
        PUBLIC = "public", _("网上征求")

    class Adoption(models.TextChoices):
        PENDING = "pending", _("待研究")
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    draft = models.ForeignKey(
        LegislativeDraft, on_delete=models.CASCADE, related_name="comments"
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联系点"),
        on_delete=models.PROTECT,
        related_name="draft_comments",
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    reception = models.ForeignKey(
        "stations.Reception",
        verbose_name=_("接待记录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft_comments",
    )
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("提出意见的代表"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft_comments",
    )
    author_name = models.CharField(_("提出人"), max_length=50, blank=True)
    article = models.CharField(_("涉及条款"), max_length=50, blank=True)
    content = models.TextField(_("意见内容"))
    adoption = models.CharField(
        _("采纳情况"), max_length=12, choices=Adoption.choices, default=Adoption.PENDING
    )
    adoption_note = models.CharField(_("采纳说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("立法意见")
        verbose_name_plural = _("立法意见")
        ordering = ["draft", "id"]
        indexes = [models.Index(fields=["draft", "adoption"])]

    def __str__(self) -> str:
        return f"{self.draft_id} {self.station_id}"


class DraftEvent(StatusChange):
    draft = models.ForeignKey(
        LegislativeDraft, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("立法征求意见记录")
        verbose_name_plural = _("立法征求意见记录")

    def __str__(self) -> str:
        return f"{self.draft_id} {self.from_state}→{self.to_state}"


class StationHonour(models.Model):
    """An honour a station received (示范站、星级站 commended by a congress),
    written by the commendation that awarded it and shown on the station's page."""

    station = models.ForeignKey(
        "stations.Station", on_delete=models.CASCADE, related_name="honours"
    )
    title = models.CharField(_("荣誉"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_by = models.ForeignKey(
        Congress, verbose_name=_("授予机关"), on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField(_("文号"), max_length=100)
    key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HonourQuerySet.as_manager()

    class Meta:
        verbose_name = _("联络站荣誉")
        verbose_name_plural = _("联络站荣誉")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title
