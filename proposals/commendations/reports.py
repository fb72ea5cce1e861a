"""The report section 表彰激励 (issue 17): campaigns approved in the period,
awards, the pass rate of nominations and the coverage of 零履职 talks."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from deputies.reports import zero_performance_mandates
from portal.reports import model as m
from portal.reports.model import ReportScope

from .models import Campaign, Nomination, ZeroPerformanceStep

LIST_LIMIT = 50


def build(scope: ReportScope) -> m.Section:
    start, end = scope.period.dates
    campaigns = Campaign.objects.filter(
        scope.within("region_path"),
        approved_on__range=(start, end),
        status__in=[Campaign.Status.APPROVED, Campaign.Status.PUBLISHED],
    )
    totals = Nomination.objects.filter(campaign__in=campaigns).aggregate(
        nominated=Count("pk"),
        awarded=Count("pk", filter=Q(status=Nomination.Status.AWARDED)),
        drawn=Count("pk", filter=Q(source=Nomination.Source.DRAWN)),
    )
    zero = zero_performance_mandates(scope)
    zero_counts = zero.aggregate(
        n=Count("pk"),
        talked=Count(
            "pk",
            filter=Q(
                Exists(
                    ZeroPerformanceStep.objects.filter(
                        mandate=OuterRef("pk"), held_on__range=(start, end)
                    )
                )
            ),
        ),
    )
    zero_n, talked_n = zero_counts["n"], zero_counts["talked"]
    rows = [
        {
            "title": c.title,
            "congress": c.congress.name,
            "number": c.document_number,
            "nominated": c.nominated,
            "awarded": c.awarded,
        }
        for c in campaigns.select_related("congress")
        .annotate(
            nominated=Count("nominations"),
            awarded=Count(
                "nominations", filter=Q(nominations__status=Nomination.Status.AWARDED)
            ),
        )
        .order_by("-approved_on", "-id")[:LIST_LIMIT]
    ]
    campaign_n = len(rows) if len(rows) < LIST_LIMIT else campaigns.count()
    return m.Section(
        key="commendations",
        title=_("表彰激励"),
        metrics=[
            m.count(
                "campaigns",
                _("批准的评选表彰"),
                campaign_n,
                definition=_("统计期间批准（含已公布）的评选表彰活动数。"),
            ),
            m.count(
                "awarded",
                _("受表彰对象"),
                totals["awarded"],
                definition=_("这些评选中批准表彰的代表、建议、单位和联络站数。"),
            ),
            m.rate(
                "award_rate",
                _("推荐对象表彰率"),
                totals["awarded"],
                totals["nominated"],
                definition=_(
                    "受表彰对象数 ÷ 这些评选的全部推荐对象数（数据推荐与人工推荐）。"
                ),
            ),
            m.rate(
                "drawn_share",
                _("数据推荐占比"),
                totals["drawn"],
                totals["nominated"],
                definition=_(
                    "从履职积分、建议评价、单位排名和联络站数据中推荐的对象数 ÷ 全部推荐对象数。"
                ),
            ),
            m.rate(
                "zero_talk_rate",
                _("零履职代表谈话覆盖率"),
                talked_n,
                zero_n,
                definition=_(
                    "统计期间零履职且期间内已进行提醒谈话或诫勉谈话的代表数 ÷ 统计期间零履职代表数。"
                ),
            ),
        ],
        tables=[
            m.Table(
                "campaigns",
                _("评选表彰"),
                [
                    m.Column("title", _("名称")),
                    m.Column("congress", _("人大")),
                    m.Column("number", _("文号")),
                    m.Column("nominated", _("推荐对象"), m.COUNT),
                    m.Column("awarded", _("表彰"), m.COUNT),
                ],
                rows,
                total=campaign_n,
            )
        ],
        notes=[
            _(
                "评选按批准日期计入统计期间；零履职按统计期间内没有任何履职积分记录的"
                "正常履职代表计算，与代表履职部分口径相同。"
            )
        ],
    )
