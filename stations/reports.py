"""Supervision report section "联络站和群众意见" (DESIGN.md §8) and the staff
dashboard card with the opinions' key rates.

Opinions are counted when received (``created_at``) in the period; their
handling is counted as it stands today. Receptions and duty days are counted by
their date. Every figure is a database aggregate.
"""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import Mandate
from portal.reports import model as m
from portal.reports.model import ReportScope

from .models import (
    DutyAssignment,
    Opinion,
    OpinionAssignment,
    Reception,
    Station,
    StationMembership,
)

OS = Opinion.Status
LIST_LIMIT = 200
STATION_LIMIT = 2000
CONTENT = ["satisfied", "basically_satisfied"]

DEFINITIONS = {
    "on_site_rate": gettext_lazy(
        "当场答复的意见数 ÷ 已分流的意见数（收到后已作出处理的，不含待分流）。"
    ),
    "closure_rate": gettext_lazy("交办意见中已办结的件数 ÷ 交办承办单位办理的意见数。"),
    "on_time_closure_rate": gettext_lazy(
        "在办理期限内办结的交办意见数 ÷（已办结 + 已过办理期限仍未办结的交办意见数）。"
        "期限为最后一轮交办的办理期限；尚未到期也未办结的不计入分母。"
    ),
    "visit_satisfaction_rate": gettext_lazy(
        "最近一次回访结果为“满意”或“基本满意”的意见数 ÷ 已回访的意见数。"
    ),
    "attendance_rate": gettext_lazy(
        "值班代表到岗人次 ÷ 统计期间已到日期的接待日安排人次。"
    ),
}


def opinions(scope: ReportScope) -> QuerySet:
    """Opinions received in the period within the scope."""
    since, until = scope.period.bounds()
    return Opinion.objects.filter(
        scope.within("region_path"), created_at__gte=since, created_at__lt=until
    )


def _opinion_counts(today) -> dict[str, Any]:
    assigned = Q(round__gte=1)
    closed = assigned & Q(status=OS.CLOSED)
    overdue_open = assigned & ~Q(status=OS.CLOSED) & Q(due_date__lt=today)
    return {
        "received": Count("pk"),
        "untriaged": Count("pk", filter=Q(status=OS.RECEIVED)),
        "on_site": Count("pk", filter=Q(status=OS.ANSWERED_ON_SITE)),
        "not_accepted": Count("pk", filter=Q(status=OS.NOT_ACCEPTED)),
        "assigned": Count("pk", filter=assigned),
        "converted": Count("pk", filter=Q(status=OS.CONVERTED)),
        "pooled": Count("pk", filter=Q(status=OS.POOLED)),
        # Escalated ones go on in the congress above: counted once sent up.
        "escalated": Count("pk", filter=Q(escalated_to__isnull=False)),
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count(
            "pk", filter=closed & Q(closed_at__date__lte=F("due_date"))
        ),
        "overdue_open": Count("pk", filter=overdue_open),
        "supervision": Count("pk", filter=Q(needs_supervision=True)),
    }


def _visits(scope: ReportScope) -> dict[str, int]:
    later = OpinionAssignment.objects.filter(
        opinion=OuterRef("opinion"), round__gt=OuterRef("round")
    ).exclude(visit_result="")
    return (
        OpinionAssignment.objects.filter(opinion__in=opinions(scope).values("pk"))
        .exclude(visit_result="")
        .filter(~Exists(later))
        .aggregate(
            visited=Count("pk"),
            satisfied=Count("pk", filter=Q(visit_result="satisfied")),
            basically=Count("pk", filter=Q(visit_result="basically_satisfied")),
            dissatisfied=Count("pk", filter=Q(visit_result="dissatisfied")),
        )
    )


def key_rates(scope: ReportScope) -> dict[str, Any]:
    """The opinions' headline rates (two queries): the section and the dashboard card."""
    c = opinions(scope).aggregate(**_opinion_counts(scope.today))
    v = _visits(scope)
    triaged = c["received"] - c["untriaged"]
    metrics = [
        m.rate(
            "on_site_rate",
            _("当场答复率"),
            c["on_site"],
            triaged,
            definition=DEFINITIONS["on_site_rate"],
        ),
        m.rate(
            "closure_rate",
            _("交办意见办结率"),
            c["closed"],
            c["assigned"],
            definition=DEFINITIONS["closure_rate"],
        ),
        m.rate(
            "on_time_closure_rate",
            _("按期办结率"),
            c["closed_on_time"],
            c["closed"] + c["overdue_open"],
            definition=DEFINITIONS["on_time_closure_rate"],
        ),
        m.rate(
            "visit_satisfaction_rate",
            _("回访满意率"),
            v["satisfied"] + v["basically"],
            v["visited"],
            definition=DEFINITIONS["visit_satisfaction_rate"],
        ),
    ]
    return {"counts": c, "visits": v, **{metric.key: metric for metric in metrics}}


def _stations_and_duty(scope: ReportScope) -> tuple[list[m.Metric], m.Chart]:
    stations = Station.objects.filter(scope.within("region_path")).aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=Station.Status.ACTIVE)),
        model=Count("pk", filter=Q(is_model=True)),
    )
    receptions_qs = Reception.objects.filter(
        scope.within("station__region_path"), date__range=scope.period.dates
    )
    by_mode = {
        row["mode"]: row
        for row in receptions_qs.values("mode")
        .annotate(n=Count("pk"), visitors=Coalesce(Sum("visitor_count"), 0))
        .order_by()
    }
    deputy_visits = Reception.deputies.through.objects.filter(
        reception__in=receptions_qs.values("pk")
    ).count()
    start, _end = scope.period.dates
    duty = DutyAssignment.objects.filter(
        scope.within("duty_day__station__region_path"),
        duty_day__date__range=(start, scope.until_today),
        duty_day__status__in=("draft", "published"),  # a cancelled day did not happen
    ).aggregate(
        scheduled=Count("pk"),
        attended=Count("pk", filter=Q(attended=True)),
        duty_days=Count("duty_day", distinct=True),
    )
    receptions = sum(row["n"] for row in by_mode.values())
    visitors = sum(row["visitors"] for row in by_mode.values())
    metrics = [
        m.count(
            "stations",
            _("代表联络站（点）"),
            stations["active"],
            definition=_(
                "运行中的联络站和联络点（共登记%(total)s个，其中示范站%(model)s个）。"
            )
            % {"total": stations["total"], "model": stations["model"]},
        ),
        m.count("receptions", _("接待次数"), receptions),
        m.count("visitors", _("接待群众人次"), visitors),
        m.count(
            "deputy_visits",
            _("代表参加接待人次"),
            deputy_visits,
            definition=_("接待记录中登记的参加代表人次。"),
        ),
        m.count("duty_days", _("接待日"), duty["duty_days"]),
        m.rate(
            "duty_attendance_rate",
            _("值班到岗率"),
            duty["attended"],
            duty["scheduled"],
            definition=DEFINITIONS["attendance_rate"],
        ),
    ]
    chart = m.Chart(
        "modes",
        _("接待方式（次）"),
        "bars",
        [
            m.ChartItem(label, by_mode[value]["n"])
            for value, label in Reception.Mode.choices
            if value in by_mode
        ],
    )
    return metrics, chart


def _by_category(scope: ReportScope) -> m.Table:
    rows = {
        row["category"]: row
        for row in opinions(scope)
        .values("category")
        .annotate(**_opinion_counts(scope.today))
        .order_by()
    }
    table_rows = []
    for value, label in Opinion.Category.choices:
        row = rows.get(value)
        if row is None:
            continue
        table_rows.append(
            {
                "category": label,
                "received": row["received"],
                "on_site": row["on_site"],
                "assigned": row["assigned"],
                "closed": row["closed"],
                "closure_rate": m.ratio(row["closed"], row["assigned"]),
                "converted": row["converted"],
                "pooled": row["pooled"],
            }
        )
    return m.Table(
        "by_category",
        _("群众意见分类别情况"),
        [
            m.Column("category", _("类别")),
            m.Column("received", _("收到"), m.COUNT),
            m.Column("on_site", _("当场答复"), m.COUNT),
            m.Column("assigned", _("交办"), m.COUNT),
            m.Column("closed", _("交办后办结"), m.COUNT),
            m.Column("closure_rate", _("办结率"), m.RATE),
            m.Column("converted", _("转为代表建议"), m.COUNT),
            m.Column("pooled", _("纳入民生实事"), m.COUNT),
        ],
        table_rows,
    )


def _by_station(scope: ReportScope) -> m.Table:
    """Per station, from two grouped reads (opinions, receptions) in the scope,
    not five correlated sub-queries per station (1 s for a province's 9,500
    stations, issue 14); the stations themselves are one narrow read."""
    since, until = scope.period.bounds()
    opinions = {
        row["station_id"]: row
        for row in Opinion.objects.filter(
            scope.within("region_path"), created_at__gte=since, created_at__lt=until
        )
        .order_by()
        .values("station_id")
        .annotate(
            opinions=Count("pk"),
            assigned=Count("pk", filter=Q(round__gte=1)),
            closed=Count("pk", filter=Q(round__gte=1, status=OS.CLOSED)),
        )
    }
    receptions = {
        row["station_id"]: row
        for row in Reception.objects.filter(
            station__in=Station.objects.filter(scope.within("region_path")),
            date__range=scope.period.dates,
        )
        .order_by()
        .values("station_id")
        .annotate(receptions=Count("pk"), visitors=Sum("visitor_count"))
    }
    stations = Station.objects.filter(scope.within("region_path")).values_list(
        "pk", "name", "region__name", "region_path"
    )
    nothing: dict[str, int] = {}

    def opinions_of(pk: int) -> int:
        return opinions.get(pk, nothing).get("opinions", 0)

    ordered = sorted(stations, key=lambda s: (-opinions_of(s[0]), s[3], s[1]))
    rows = []
    for pk, name, region_name, _path in ordered[:STATION_LIMIT]:
        o = opinions.get(pk, nothing)
        r = receptions.get(pk, nothing)
        assigned, closed = o.get("assigned", 0), o.get("closed", 0)
        rows.append(
            {
                "station": name,
                "region": region_name,
                "receptions": r.get("receptions", 0),
                "visitors": r.get("visitors") or 0,
                "opinions": o.get("opinions", 0),
                "assigned": assigned,
                "closed": closed,
                "closure_rate": m.ratio(closed, assigned),
            }
        )
    return m.Table(
        "by_station",
        _("各联络站情况"),
        [
            m.Column("station", _("联络站")),
            m.Column("region", _("所在地区")),
            m.Column("receptions", _("接待次数"), m.COUNT),
            m.Column("visitors", _("接待群众人次"), m.COUNT),
            m.Column("opinions", _("收到意见"), m.COUNT),
            m.Column("assigned", _("交办"), m.COUNT),
            m.Column("closed", _("交办后办结"), m.COUNT),
            m.Column("closure_rate", _("办结率"), m.RATE),
        ],
        rows,
        note=_("按收到意见数排序。"),
    )


def _without_duty(scope: ReportScope) -> tuple[m.Metric, m.Table]:
    members = StationMembership.objects.filter(
        mandate=OuterRef("pk"),
        end_date__isnull=True,
        station__region_path__startswith=scope.path,
    )
    on_duty = DutyAssignment.objects.filter(
        mandate=OuterRef("pk"), duty_day__date__range=scope.period.dates
    )
    in_stations = Mandate.objects.filter(Exists(members), status=Mandate.Status.ACTIVE)
    idle = in_stations.filter(~Exists(on_duty))
    counts = in_stations.aggregate(
        members=Count("pk"), idle=Count("pk", filter=~Q(Exists(on_duty)))
    )
    rows = [
        {"name": mandate.person.name, "congress": mandate.congress.name}
        for mandate in idle.select_related("person", "congress").order_by(
            "congress__region__path", "name_stroke_key", "pk"
        )[:LIST_LIMIT]
    ]
    metric = m.rate(
        "idle_share",
        _("未安排接待日的进站代表比例"),
        counts["idle"],
        counts["members"],
        definition=_(
            "统计期间没有安排接待日的进站代表数 ÷ 进站代表数（正常履职、编入本范围联络站）。"
        ),
    )
    table = m.Table(
        "without_duty",
        _("统计期间未安排接待日的进站代表"),
        [m.Column("name", _("姓名")), m.Column("congress", _("人大"))],
        rows,
        total=counts["idle"],
    )
    return metric, table


def build(scope: ReportScope) -> m.Section:
    """联络站和群众意见: receptions, duty, opinions by category, the closed loop's rates."""
    station_metrics, modes_chart = _stations_and_duty(scope)
    rates = key_rates(scope)
    c, v = rates["counts"], rates["visits"]
    idle_metric, idle_table = _without_duty(scope)
    metrics = [
        *station_metrics,
        m.count(
            "opinions",
            _("收到群众意见"),
            c["received"],
            definition=_("其中待分流%(n)s件。") % {"n": c["untriaged"]},
        ),
        rates["on_site_rate"],
        m.count("assigned", _("交办承办单位"), c["assigned"]),
        rates["closure_rate"],
        rates["on_time_closure_rate"],
        rates["visit_satisfaction_rate"],
        m.count("dissatisfied", _("回访不满意"), v["dissatisfied"]),
        m.count("converted", _("转为代表建议"), c["converted"]),
        m.count("pooled", _("纳入民生实事征集"), c["pooled"]),
        m.count("escalated", _("报上级人大"), c["escalated"]),
        m.count("supervision", _("转人大督办"), c["supervision"]),
        idle_metric,
    ]
    by_category = _by_category(scope)
    charts = [
        m.Chart(
            "categories",
            _("群众意见类别（件）"),
            "bars",
            [m.ChartItem(r["category"], r["received"]) for r in by_category.rows],
        ),
        m.Chart(
            "outcomes",
            _("群众意见处理方式"),
            "stack",
            [
                m.ChartItem(_("当场答复"), c["on_site"], tone="good"),
                m.ChartItem(_("交办"), c["assigned"], tone="info"),
                m.ChartItem(_("转为代表建议"), c["converted"], tone="fair"),
                m.ChartItem(_("纳入民生实事"), c["pooled"], tone="other"),
                m.ChartItem(_("报上级人大"), c["escalated"], tone="muted"),
                m.ChartItem(_("不予受理"), c["not_accepted"], tone="bad"),
                m.ChartItem(_("待分流"), c["untriaged"], tone="light"),
            ],
        ),
        m.Chart(
            "visits",
            _("回访结果"),
            "stack",
            [
                m.ChartItem(_("满意"), v["satisfied"], tone="good"),
                m.ChartItem(_("基本满意"), v["basically"], tone="fair"),
                m.ChartItem(_("不满意"), v["dissatisfied"], tone="bad"),
            ],
        ),
        modes_chart,
    ]
    return m.Section(
        key="stations",
        title=_("联络站和群众意见"),
        metrics=metrics,
        tables=[by_category, _by_station(scope), idle_table],
        charts=charts,
        notes=[
            _(
                "群众意见按收到日期统计，办理情况截至报告生成之日。分母为0的比率显示为“—”。"
            )
        ],
    )


def dashboard_card(user) -> dict | None:
    """Key rates of this year's opinions for the staff member's congress."""
    from portal.reports import service

    scope = service.dashboard_scope(user)
    if scope is None:
        return None
    return service.cached_card("opinions", scope)


def card_figures(scope: ReportScope) -> dict:
    """The card's figures for ``scope`` (JSON-safe; kept as a snapshot)."""
    from portal.reports import service

    rates = key_rates(scope)
    c = rates["counts"]
    return {
        "stats": [
            {
                "label": _("按期办结率（交办%(n)s件）") % {"n": c["assigned"]},
                "value": rates["on_time_closure_rate"].display,
                "url": service.report_url(scope) + "#sec-stations",
            },
            {"label": _("交办意见办结率"), "value": rates["closure_rate"].display},
            {
                "label": _("当场答复率（收到%(n)s件）") % {"n": c["received"]},
                "value": rates["on_site_rate"].display,
            },
            {
                "label": _("回访满意率"),
                "value": rates["visit_satisfaction_rate"].display,
            },
        ],
        "note": _("%(scope)s · %(period)s · 数字每10分钟更新")
        % {
            "scope": service.scope_description(scope.congress),
            "period": scope.period.label,
        },
    }
