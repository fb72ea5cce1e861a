"""Report sections of issue 17 in stations: 代表活动经费 (budget vs spent, per
deputy, in 万元) and 基层立法联系点 (drafts, comments, adoption rate)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from portal.reports import model as m
from portal.reports.model import ReportScope

from .consultation_models import DraftComment, LegislativeDraft
from .funds_models import FundBudget, FundSpending, wan_yuan

_LABELS = dict(FundBudget.Holder.choices)


def funds(scope: ReportScope) -> m.Section:
    """Budgets of the years the period touches, spending approved in the period."""
    start, end = scope.period.dates
    budgets = FundBudget.objects.filter(
        scope.within("region_path"),
        year__gte=start.year,
        year__lte=end.year,
        status__in=[FundBudget.Status.APPROVED, FundBudget.Status.CLOSED],
    )
    by_holder = {
        r["holder"]: r
        for r in budgets.values("holder")
        .annotate(amount=Sum("amount_fen"), deputies=Sum("deputy_count"), n=Count("pk"))
        .order_by()
    }
    spent = dict(
        FundSpending.objects.filter(
            budget__in=budgets,
            status=FundSpending.Status.APPROVED,
            date__range=(start, end),
        )
        .values("budget__holder")
        .annotate(s=Sum("amount_fen"))
        .values_list("budget__holder", "s")
    )
    total_budget = sum(int(r["amount"] or 0) for r in by_holder.values())
    total_spent = sum(int(v or 0) for v in spent.values())
    deputies = sum(int(r["deputies"] or 0) for r in by_holder.values())
    rows = []
    for holder, r in sorted(by_holder.items()):
        s = int(spent.get(holder) or 0)
        d = int(r["deputies"] or 0)
        rows.append(
            {
                "holder": _LABELS.get(holder, holder),
                "budgets": r["n"],
                "budget": wan_yuan(r["amount"]),
                "spent": wan_yuan(s),
                "deputies": d,
                "per_deputy": round(s / 100 / d, 2) if d else None,
            }
        )
    return m.Section(
        key="activity_funds",
        title=_("代表活动经费"),
        metrics=[
            m.money(
                "budget",
                _("经费预算"),
                wan_yuan(total_budget),
                definition=_("统计期间所在年度已批准（含已结算）的预算金额合计。"),
            ),
            m.money(
                "spent",
                _("已批准支出"),
                wan_yuan(total_spent),
                definition=_("统计期间内日期的已批准支出合计。"),
            ),
            m.rate(
                "execution",
                _("经费执行率"),
                total_spent,
                total_budget,
                definition=_("已批准支出 ÷ 经费预算。"),
            ),
            m.count(
                "deputies",
                _("覆盖代表人次"),
                deputies,
                definition=_(
                    "各预算覆盖代表人数之和（同一代表可在本级、小组和联络站各计一次）。"
                ),
            ),
        ],
        tables=[
            m.Table(
                "by_holder",
                _("按预算主体"),
                [
                    m.Column("holder", _("预算主体")),
                    m.Column("budgets", _("预算数"), m.COUNT),
                    m.Column("budget", _("预算（万元）"), m.MONEY),
                    m.Column("spent", _("已批准支出（万元）"), m.MONEY),
                    m.Column("deputies", _("覆盖代表"), m.COUNT),
                    m.Column("per_deputy", _("人均支出（元）")),
                ],
                rows,
            )
        ],
        notes=[
            _(
                "金额单位为万元，人均支出单位为元；预算按年度计入，支出按支出日期计入"
                "统计期间；只统计已批准（含已结算）的预算和已批准的支出。"
            )
        ],
    )


def consultation(scope: ReportScope) -> m.Section:
    """Drafts whose comment period closed in the period and their comments."""
    start, end = scope.period.dates
    drafts = LegislativeDraft.objects.filter(
        Q(scope.within("region_path"))
        | Q(stations__region_path__startswith=scope.path),
        closes_on__range=(start, end),
    ).exclude(status=LegislativeDraft.Status.DRAFT)
    found = dict(drafts.values_list("pk", "status").distinct())
    ids = list(found)
    comments = DraftComment.objects.filter(
        draft_id__in=ids, station__region_path__startswith=scope.path
    )
    c = comments.aggregate(
        total=Count("pk"),
        decided=Count("pk", filter=~Q(adoption=DraftComment.Adoption.PENDING)),
        adopted=Count(
            "pk",
            filter=Q(
                adoption__in=[
                    DraftComment.Adoption.ADOPTED,
                    DraftComment.Adoption.PARTLY,
                ]
            ),
        ),
        public=Count("pk", filter=Q(source=DraftComment.Source.PUBLIC)),
    )
    fed_back = sum(1 for st in found.values() if st == LegislativeDraft.Status.FEEDBACK)
    return m.Section(
        key="legislative_consultation",
        title=_("基层立法联系点"),
        metrics=[
            m.count(
                "drafts",
                _("征求意见的法规草案"),
                len(ids),
                definition=_(
                    "征求意见截止日期在统计期间、经本区域联络站征求意见的法规草案数。"
                ),
            ),
            m.count("comments", _("收集意见"), c["total"]),
            m.rate(
                "adoption",
                _("意见采纳率"),
                c["adopted"],
                c["decided"],
                definition=_(
                    "采纳和部分采纳的意见数 ÷ 已研究（已确定采纳情况）的意见数。"
                ),
            ),
            m.rate(
                "public_share",
                _("群众网上意见占比"),
                c["public"],
                c["total"],
                definition=_("通过公众网站提出的意见数 ÷ 收集意见总数。"),
            ),
            m.rate(
                "feedback_rate",
                _("反馈率"),
                fed_back,
                len(ids),
                definition=_("已向联系点反馈采纳情况的草案数 ÷ 征求意见的法规草案数。"),
            ),
        ],
        notes=[
            _(
                "按征求意见截止日期计入统计期间；意见只统计本区域联络站收集的意见，"
                "草案包括上级人大通过本区域联络站征求意见的草案。"
            )
        ],
    )
