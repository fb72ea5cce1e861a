"""Key supervision (重点督办): the items a leader leads, what was done, and the
visits and hearings planned ahead. Part of ``proposals.models`` (re-exported
there), kept apart to keep each module short."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Congress

from .querysets import KeyItemQuerySet


class KeySupervisionItem(models.Model):
    """A key-supervision item (重点督办) led by a leader."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("督办中")
        EVALUATED = "evaluated", _("已评估")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="key_items",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("督办事项"), max_length=200)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("牵头领导"),
        on_delete=models.PROTECT,
        related_name="led_key_items",
    )
    suggestions = models.ManyToManyField(
        "proposals.Suggestion", verbose_name=_("督办建议"), related_name="key_items"
    )
    plan = models.TextField(_("督办方案"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    evaluation = models.TextField(_("督办评估"), blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = KeyItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点督办事项")
        verbose_name_plural = _("重点督办事项")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its page (notifications about it link here)."""
        return reverse("proposals:key_detail", args=[self.pk])


class SupervisionEvent(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("实地督办")
        HEARING = "hearing", _("座谈听证")
        MEETING = "meeting", _("推进会议")

    item = models.ForeignKey(
        KeySupervisionItem, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("日期"))
    notes = models.TextField(_("情况"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("督办活动")
        verbose_name_plural = _("督办活动")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date}"


class PlannedSupervisionEvent(models.Model):
    """A supervision event planned ahead (计划督办活动), reminded before its date;
    what it found is recorded afterwards as a ``SupervisionEvent``."""

    item = models.ForeignKey(
        KeySupervisionItem, on_delete=models.CASCADE, related_name="planned_events"
    )
    kind = models.CharField(
        _("方式"), max_length=10, choices=SupervisionEvent.Kind.choices
    )
    date = models.DateField(_("计划日期"))
    purpose = models.CharField(_("督办内容"), max_length=300, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("计划督办活动")
        verbose_name_plural = _("计划督办活动")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date}"
