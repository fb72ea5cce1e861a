"""Deputies' activity funds (代表活动经费, issue 17): a budget per congress, deputy
group or station and year, its spending lines linked to activities and
receptions, and their approval. Part of ``stations.models`` (imported at its
end). Money is stored in fen (分, whole numbers) and shown in 万元."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import Activity, DeputyGroup
from portal.models import Congress
from portal.workflow import StatusChange

from .incentive_querysets import BudgetQuerySet, SpendingQuerySet

FEN_PER_WAN = 1_000_000  # 1 万元 = 10 000 元 = 1 000 000 分


def wan_yuan(fen: int | None) -> Decimal:
    """Fen as 万元 with 2 decimals (1 234 567 分 → 1.23)."""
    return (Decimal(fen or 0) / FEN_PER_WAN).quantize(Decimal("0.01"))


class FundBudget(models.Model):
    """The activity-fund budget of a congress itself, a deputy group or a station
    for one year (代表活动经费预算)."""

    class Holder(models.TextChoices):
        CONGRESS = "congress", _("人大本级")
        GROUP = "group", _("代表小组")
        STATION = "station", _("代表联络站")

    class Status(models.TextChoices):
        DRAFT = "draft", _("编制中")
        APPROVED = "approved", _("已批准")
        CLOSED = "closed", _("已结算")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.APPROVED},
        Status.APPROVED: {Status.CLOSED},
        Status.CLOSED: set(),
    }

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="fund_budgets",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    holder = models.CharField(_("预算主体"), max_length=10, choices=Holder.choices)
    group = models.ForeignKey(
        DeputyGroup,
        verbose_name=_("代表小组"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_budgets",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("联络站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_budgets",
    )
    deputy_count = models.PositiveIntegerField(_("覆盖代表人数"))
    standard_yuan = models.PositiveIntegerField(
        _("人均标准（元/人·年）"),
        help_text=_("编制时取自规则“代表活动经费标准”"),
    )
    amount_fen = models.BigIntegerField(_("预算金额（分）"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表活动经费预算")
        verbose_name_plural = _("代表活动经费预算")
        ordering = ["-year", "region_path", "holder", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year"],
                condition=Q(holder="congress"),
                name="fund_budget_one_congress_year",
            ),
            models.UniqueConstraint(
                fields=["group", "year"],
                condition=Q(holder="group"),
                name="fund_budget_one_group_year",
            ),
            models.UniqueConstraint(
                fields=["station", "year"],
                condition=Q(holder="station"),
                name="fund_budget_one_station_year",
            ),
            models.CheckConstraint(
                condition=Q(amount_fen__gte=0), name="fund_budget_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("stations:fund_detail", args=[self.pk])

    @property
    def holder_name(self) -> str:
        if self.holder == self.Holder.GROUP and self.group is not None:
            return self.group.name
        if self.holder == self.Holder.STATION and self.station is not None:
            return self.station.name
        return self.congress.name

    @property
    def amount_wan(self) -> Decimal:
        return wan_yuan(self.amount_fen)

    # The figures below read ``spent_fen`` (approved spending), annotated by the
    # selectors; without it they are None.
    @property
    def spent_wan(self) -> Decimal | None:
        spent = getattr(self, "spent_fen", None)
        return None if spent is None else wan_yuan(spent)

    @property
    def execution_percent(self) -> Decimal | None:
        """Approved spending ÷ the budget's amount, in per cent (执行率)."""
        spent = getattr(self, "spent_fen", None)
        if spent is None or not self.amount_fen:
            return None
        return (Decimal(100 * spent) / self.amount_fen).quantize(Decimal("0.1"))

    @property
    def budget_per_deputy_yuan(self) -> Decimal | None:
        if not self.deputy_count:
            return None
        return (Decimal(self.amount_fen) / 100 / self.deputy_count).quantize(
            Decimal("0.01")
        )

    @property
    def spent_per_deputy_yuan(self) -> Decimal | None:
        spent = getattr(self, "spent_fen", None)
        if spent is None or not self.deputy_count:
            return None
        return (Decimal(spent) / 100 / self.deputy_count).quantize(Decimal("0.01"))


class FundSpending(models.Model):
    """A spending line (经费支出) of a budget, linked to an activity or a reception."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已退回")

    TRANSITIONS: dict[str, set[str]] = {
        Status.SUBMITTED: {Status.APPROVED, Status.REJECTED},
        Status.REJECTED: {Status.SUBMITTED},
        Status.APPROVED: set(),
    }

    budget = models.ForeignKey(
        FundBudget, on_delete=models.PROTECT, related_name="spendings"
    )
    date = models.DateField(_("支出日期"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    purpose = models.CharField(_("用途"), max_length=200)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("履职活动"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_spendings",
    )
    reception = models.ForeignKey(
        "stations.Reception",
        verbose_name=_("接待记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fund_spendings",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpendingQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表活动经费支出")
        verbose_name_plural = _("代表活动经费支出")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_fen__gt=0), name="fund_spending_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.date}"

    @property
    def amount_wan(self) -> Decimal:
        return wan_yuan(self.amount_fen)


class FundEvent(StatusChange):
    """A change of a budget or of one of its spending lines."""

    budget = models.ForeignKey(
        FundBudget, on_delete=models.CASCADE, related_name="events"
    )
    spending = models.ForeignKey(
        FundSpending, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("代表活动经费记录")
        verbose_name_plural = _("代表活动经费记录")

    def __str__(self) -> str:
        return f"{self.budget_id} {self.from_state}→{self.to_state}"
