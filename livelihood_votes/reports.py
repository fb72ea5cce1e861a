"""Supervision report section "民生实事项目" (DESIGN.md §8): the funnel from ideas
to selected projects, money planned against paid, progress flags, satisfaction
grades and how many townships hold the vote each year.

Programmes count by their year (the years the period touches). The progress flag
is ``services.progress_flag`` written as a database expression, so projects are
counted by flag without loading them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import NotSupportedError
from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Congress
from portal.reports import model as m
from portal.reports.model import ReportScope

from .models import Candidate, Idea, Programme, Project

LIST_LIMIT = 200
PROGRAMME_LIMIT = 2000
COVERAGE_YEARS = 5
VOTED_PHASES = [
    Programme.Phase.IMPLEMENTING,
    Programme.Phase.EVALUATED,
    Programme.Phase.ARCHIVED,
]
FLAGS = (
    ("red", gettext_lazy("红灯（明显滞后）")),
    ("amber", gettext_lazy("黄灯（略有滞后）")),
    ("green", gettext_lazy("绿灯（正常或完成）")),
)
GRADES = (
    ("satisfied", gettext_lazy("满意")),
    ("basically_satisfied", gettext_lazy("基本满意")),
    ("dissatisfied", gettext_lazy("不满意")),
)
MONEY = DecimalField(max_digits=14, decimal_places=2)


class DayNumber(Func):
    """A date as a whole number of days (differences are day counts)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(%(expressions)s - DATE '1970-01-01')",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra:
            raise NotSupportedError("DayNumber supports SQLite and PostgreSQL")
        return super().as_sql(compiler, connection, **extra)


def progress_flag_expression(today) -> Case:
    """``services.progress_flag`` in SQL: red / amber / green."""
    now = DayNumber(Value(today, output_field=DateField()))
    start, end = DayNumber(F("start_date")), DayNumber(F("planned_end"))
    total = Case(
        When(planned_end=F("start_date"), then=Value(1)),
        default=end - start,
        output_field=IntegerField(),
    )
    expected = Greatest(
        Value(0.0),
        Least(
            Value(100.0),
            Value(100.0) * (now - start) / total,
            output_field=FloatField(),
        ),
        output_field=FloatField(),
    )
    behind = expected - F("progress")
    return Case(
        When(status=Project.Status.COMPLETED, then=Value("green")),
        When(status=Project.Status.TERMINATED, then=Value("red")),
        When(plan_submitted_at__isnull=True, plan_due__lt=today, then=Value("red")),
        When(plan_submitted_at__isnull=True, then=Value("amber")),
        When(planned_end__lt=today, then=Value("red")),
        # The thresholds the project was given from its congress's rules.
        When(GreaterThan(behind, F("flag_red_points")), then=Value("red")),
        When(GreaterThan(behind, F("flag_amber_points")), then=Value("amber")),
        default=Value("green"),
    )


def programmes(scope: ReportScope) -> QuerySet:
    """Programmes of township congresses in the scope for the years the period touches."""
    first, last = scope.period.years
    return Programme.objects.filter(
        scope.within("region_path"), year__gte=first, year__lte=last
    )


def _funnel(scope: ReportScope) -> tuple[list[m.Metric], m.Chart]:
    chosen = programmes(scope).values("pk")
    ideas = Idea.objects.filter(programme__in=chosen).aggregate(
        total=Count("pk"),
        screened_out=Count("pk", filter=Q(status=Idea.Status.SCREENED_OUT)),
        accepted=Count(
            "pk", filter=Q(status__in=[Idea.Status.ACCEPTED, Idea.Status.CANDIDATE])
        ),
    )
    candidates = Candidate.objects.filter(programme__in=chosen).aggregate(
        total=Count("pk"),
        selected=Count("pk", filter=Q(status=Candidate.Status.SELECTED)),
        reserve=Count("pk", filter=Q(status=Candidate.Status.RESERVE)),
    )
    metrics = [
        m.count(
            "ideas",
            _("征集项目建议"),
            ideas["total"],
            definition=_("初筛未通过%(n)s件。") % {"n": ideas["screened_out"]},
        ),
        m.count("candidates", _("候选项目"), candidates["total"]),
        m.count(
            "selected",
            _("票决通过项目"),
            candidates["selected"],
            definition=_("未当选的%(n)s个候选项目转入备选项目库。")
            % {"n": candidates["reserve"]},
        ),
        m.rate(
            "selection_rate",
            _("候选项目当选率"),
            candidates["selected"],
            candidates["total"],
            definition=_("票决通过项目数 ÷ 候选项目数。"),
        ),
    ]
    chart = m.Chart(
        "funnel",
        _("从征集到票决（件）"),
        "bars",
        [
            m.ChartItem(_("征集项目建议"), ideas["total"]),
            m.ChartItem(_("进入论证"), ideas["accepted"]),
            m.ChartItem(_("候选项目"), candidates["total"]),
            m.ChartItem(_("票决通过"), candidates["selected"]),
        ],
    )
    return metrics, chart


def _projects(scope: ReportScope) -> tuple[list[m.Metric], list[m.Chart], m.Table]:
    projects = Project.objects.filter(
        programme__in=programmes(scope).values("pk")
    ).annotate(flag=progress_flag_expression(scope.today))
    money = Value(Decimal("0"), output_field=MONEY)
    totals = projects.aggregate(
        total=Count("pk"),
        budget=Coalesce(Sum("budget"), money, output_field=MONEY),
        paid=Coalesce(Sum("money_paid"), money, output_field=MONEY),
        completed=Count("pk", filter=Q(status=Project.Status.COMPLETED)),
        terminated=Count("pk", filter=Q(status=Project.Status.TERMINATED)),
        carried_over=Count("pk", filter=Q(carried_over=True)),
        **{f"flag_{key}": Count("pk", filter=Q(flag=key)) for key, _label in FLAGS},
        **{f"grade_{key}": Count("pk", filter=Q(grade=key)) for key, _label in GRADES},
    )
    graded = sum(totals[f"grade_{key}"] for key, _label in GRADES)
    metrics = [
        m.count(
            "projects",
            _("实施项目"),
            totals["total"],
            definition=_("其中已完成%(done)s个，经主席团同意终止%(stopped)s个。")
            % {"done": totals["completed"], "stopped": totals["terminated"]},
        ),
        m.money("budget", _("计划投资"), totals["budget"]),
        m.money("paid", _("已拨付资金"), totals["paid"]),
        m.rate(
            "paid_rate",
            _("资金拨付率"),
            totals["paid"],
            totals["budget"],
            definition=_("已拨付资金 ÷ 计划投资（万元）。"),
        ),
        m.rate(
            "completion_rate",
            _("项目完成率"),
            totals["completed"],
            totals["total"],
            definition=_("已完成项目数 ÷ 实施项目数。"),
        ),
        m.count(
            "red",
            _("红灯项目"),
            totals["flag_red"],
            definition=_(
                "红灯：计划逾期未报、超过计划完成日期未完成、已终止，或进度落后于时间进度30个百分点以上；"
                "黄灯：计划尚未提交，或落后10至30个百分点。时间进度按开工日期至计划完成日期计算。"
            ),
        ),
        m.rate(
            "satisfaction_rate",
            _("测评满意率"),
            totals["grade_satisfied"] + totals["grade_basically_satisfied"],
            graded,
            definition=_("测评等次为“满意”或“基本满意”的项目数 ÷ 已测评项目数。"),
        ),
        m.count("carried_over", _("不满意结转整改"), totals["carried_over"]),
    ]
    charts = [
        m.Chart(
            "money",
            _("计划投资与已拨付（万元）"),
            "bars",
            [
                m.ChartItem(_("计划投资"), totals["budget"], tone="info"),
                m.ChartItem(_("已拨付"), totals["paid"], tone="good"),
            ],
            value_kind=m.MONEY,
        ),
        m.Chart(
            "flags",
            _("项目进度预警"),
            "stack",
            [
                m.ChartItem(label, totals[f"flag_{key}"], tone=key)
                for key, label in FLAGS
            ],
        ),
        m.Chart(
            "grades",
            _("代表测评等次"),
            "stack",
            [
                m.ChartItem(label, totals[f"grade_{key}"], tone=tone)
                for (key, label), tone in zip(
                    GRADES, ("good", "fair", "bad"), strict=True
                )
            ],
        ),
    ]
    red = (
        projects.filter(flag="red")
        .select_related("candidate", "programme__congress", "implementing_unit")
        .order_by("programme__region_path", "candidate__order", "pk")[:LIST_LIMIT]
    )
    rows = [
        {
            "title": p.candidate.title,
            "congress": p.programme.congress.name,
            "year": p.programme.year,
            "unit": p.implementing_unit.name,
            "status": p.get_status_display(),
            "progress": p.progress / 100,
            "planned_end": p.planned_end,
            "budget": p.budget,
            "paid": p.money_paid,
        }
        for p in red
    ]
    table = m.Table(
        "red",
        _("红灯项目清单"),
        [
            m.Column("title", _("项目")),
            m.Column("congress", _("乡镇人大")),
            m.Column("year", _("年度")),
            m.Column("unit", _("实施单位")),
            m.Column("status", _("状态")),
            m.Column("progress", _("进度"), m.RATE),
            m.Column("planned_end", _("计划完成日期"), m.DATE),
            m.Column("budget", _("计划投资（万元）"), m.MONEY),
            m.Column("paid", _("已拨付（万元）"), m.MONEY),
        ],
        rows,
        total=totals["flag_red"],
    )
    return metrics, charts, table


def _by_programme(scope: ReportScope) -> m.Table:
    def count(queryset) -> Coalesce:
        return Coalesce(
            Subquery(
                queryset.values("programme").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    def total(field: str) -> Coalesce:
        return Coalesce(
            Subquery(
                Project.objects.filter(programme=OuterRef("pk"))
                .values("programme")
                .annotate(s=Sum(field))
                .values("s"),
                output_field=MONEY,
            ),
            Value(Decimal("0"), output_field=MONEY),
        )

    rows = [
        {
            "congress": p.congress.name,
            "year": p.year,
            "phase": p.get_phase_display(),
            "seats": p.seats,
            "ideas": p.ideas_n,
            "candidates": p.candidates_n,
            "selected": p.selected_n,
            "budget": p.budget_sum,
            "paid": p.paid_sum,
            "paid_rate": m.ratio(p.paid_sum, p.budget_sum),
        }
        for p in programmes(scope)
        .select_related("congress")
        .annotate(
            ideas_n=count(Idea.objects.filter(programme=OuterRef("pk"))),
            candidates_n=count(Candidate.objects.filter(programme=OuterRef("pk"))),
            selected_n=count(
                Candidate.objects.filter(
                    programme=OuterRef("pk"), status=Candidate.Status.SELECTED
                )
            ),
            budget_sum=total("budget"),
            paid_sum=total("money_paid"),
        )
        .order_by("region_path", "year")[:PROGRAMME_LIMIT]
    ]
    return m.Table(
        "programmes",
        _("各乡镇民生实事项目情况"),
        [
            m.Column("congress", _("乡镇人大")),
            m.Column("year", _("年度")),
            m.Column("phase", _("阶段")),
            m.Column("seats", _("票决项目数"), m.COUNT),
            m.Column("ideas", _("征集建议"), m.COUNT),
            m.Column("candidates", _("候选项目"), m.COUNT),
            m.Column("selected", _("票决通过"), m.COUNT),
            m.Column("budget", _("计划投资（万元）"), m.MONEY),
            m.Column("paid", _("已拨付（万元）"), m.MONEY),
            m.Column("paid_rate", _("拨付率"), m.RATE),
        ],
        rows,
    )


def _coverage(scope: ReportScope) -> tuple[m.Metric, m.Table, m.Chart]:
    last = scope.period.end.year
    first = last - COVERAGE_YEARS + 1
    townships = Congress.objects.filter(
        scope.within("region__path"), level=Congress.Level.TOWNSHIP
    ).count()
    by_year = {
        row["year"]: row
        for row in Programme.objects.filter(
            scope.within("region_path"), year__gte=first, year__lte=last
        )
        .values("year")
        .annotate(
            programmes=Count("congress", distinct=True),
            voted=Count("congress", distinct=True, filter=Q(phase__in=VOTED_PHASES)),
        )
        .order_by()
    }
    rows = [
        {
            "year": year,
            "townships": townships,
            "programmes": by_year.get(year, {}).get("programmes", 0),
            "voted": by_year.get(year, {}).get("voted", 0),
            "coverage": m.ratio(by_year.get(year, {}).get("voted", 0), townships),
        }
        for year in range(first, last + 1)
    ]
    metric = m.rate(
        "coverage",
        _("%(year)s年票决制覆盖率") % {"year": last},
        rows[-1]["voted"],
        townships,
        definition=_(
            "当年已完成代表大会票决（进入组织实施及以后阶段）的乡镇人大数 ÷ 本范围内乡镇人大数。"
        ),
    )
    table = m.Table(
        "coverage",
        _("乡镇民生实事项目票决制覆盖情况（近%(n)s年）") % {"n": COVERAGE_YEARS},
        [
            m.Column("year", _("年度")),
            m.Column("townships", _("乡镇人大数"), m.COUNT),
            m.Column("programmes", _("开展征集的乡镇"), m.COUNT),
            m.Column("voted", _("完成票决的乡镇"), m.COUNT),
            m.Column("coverage", _("覆盖率"), m.RATE),
        ],
        rows,
    )
    chart = m.Chart(
        "coverage",
        _("票决制覆盖率"),
        "bars",
        [m.ChartItem(str(r["year"]), r["coverage"]) for r in rows],
        value_kind=m.RATE,
    )
    return metric, table, chart


def build(scope: ReportScope) -> m.Section:
    """民生实事项目: funnel, money, progress flags, grades, townships covered per year."""
    funnel_metrics, funnel_chart = _funnel(scope)
    project_metrics, project_charts, red_table = _projects(scope)
    coverage_metric, coverage_table, coverage_chart = _coverage(scope)
    return m.Section(
        key="livelihood",
        title=_("民生实事项目"),
        metrics=[*funnel_metrics, *project_metrics, coverage_metric],
        tables=[_by_programme(scope), red_table, coverage_table],
        charts=[funnel_chart, *project_charts, coverage_chart],
        notes=[
            _(
                "按项目年度统计（统计期间所在年度）；进度预警按报告生成之日计算。覆盖情况列出截至统计期间的近五年。"
            )
        ],
    )
