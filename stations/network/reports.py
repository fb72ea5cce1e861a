"""Report section "联络站网络、考评和基层治理" (issue 17): assessment coverage and
grades, duty-target attainment, 社情民意 answered rate, mediation success.
Every figure is a database aggregate; every rate has its numerator, its
denominator and the sentence defining it.

The year of a report is the year its period ends in (assessments and duty
targets are annual)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.models import Mandate
from portal.models import Congress
from portal.reports import model as m
from portal.reports.model import ReportScope
from portal.rules import rules_for_many

from ..models import (
    MediationCase,
    SocialReport,
    Station,
    StationActivity,
    StationAssessment,
    StationMembership,
)
from .selectors import attended_in

DEFINITIONS = {
    "assessment_coverage": gettext_lazy(
        "报告年度考评已审定的运行中联络站数 ÷ 范围内运行中的联络站数（含联络点）。"
    ),
    "duty_target_attainment": gettext_lazy(
        "报告年度进站履职次数（登记到岗的接待日）达到所属人大规定的年度目标的代表数 ÷ "
        "在运行中联络站进站编组的现任正常履职代表数。"
    ),
    "social_report_answered_rate": gettext_lazy(
        "统计期间报送的社情民意中已答复的件数 ÷ 统计期间报送的社情民意件数（不含草稿）。"
    ),
    "mediation_success_rate": gettext_lazy(
        "统计期间登记的矛盾纠纷调解中调解成功的件数 ÷ 已结案（调解成功或不成）的件数。"
    ),
}


def _year(scope: ReportScope) -> int:
    return scope.period.end.year


def _assessments(scope: ReportScope) -> tuple[list[m.Metric], m.Table, m.Chart]:
    year = _year(scope)
    stations = Station.objects.active().filter(scope.within("region_path"))
    total = stations.count()
    approved = StationAssessment.objects.approved().filter(
        scope.within("region_path"), year=year, station__status="active"
    )
    grades = dict(approved.order_by().values_list("grade").annotate(n=Count("pk")))
    covered = sum(grades.values())
    labels = dict(StationAssessment.Grade.choices)
    rows = [
        {"grade": str(labels[g]), "stations": grades.get(g, 0)}
        for g in StationAssessment.Grade.values
    ]
    metrics = [
        m.rate(
            "assessment_coverage",
            _("联络站年度考评覆盖率"),
            covered,
            total,
            definition=DEFINITIONS["assessment_coverage"],
        ),
        m.count(
            "model_stations",
            _("示范站"),
            grades.get(StationAssessment.Grade.MODEL, 0),
            definition=_("报告年度考评审定为示范站的联络站数。"),
        ),
    ]
    table = m.Table(
        "assessment_grades",
        _("%(year)s年度考评等次") % {"year": year},
        [m.Column("grade", _("等次")), m.Column("stations", _("联络站数"), m.COUNT)],
        rows,
    )
    chart = m.Chart(
        "assessment_grades",
        _("考评等次（个）"),
        "bars",
        [m.ChartItem(r["grade"], r["stations"]) for r in rows],
    )
    return metrics, table, chart


def _duty_targets(scope: ReportScope) -> m.Metric:
    """Grouped by each congress's target: one query for the congresses' rules,
    one aggregate."""
    year = _year(scope)
    members = Mandate.objects.public().filter(
        pk__in=StationMembership.objects.filter(
            end_date__isnull=True,
            station__status="active",
            station__region_path__startswith=scope.path,
        ).values("mandate_id")
    )
    congress_ids = set(
        members.order_by().values_list("congress_id", flat=True).distinct()
    )
    rules = rules_for_many(
        Congress.objects.filter(pk__in=congress_ids).select_related("region")
    )
    by_target: dict[int, list[int]] = defaultdict(list)
    for congress_id, r in rules.items():
        by_target[r.station_duty_days_per_year].append(congress_id)
    met_filter = Q(pk__in=[])
    for target, ids in by_target.items():
        met_filter |= Q(congress_id__in=ids, attended__gte=target)
    counts = members.annotate(attended=attended_in(year)).aggregate(
        total=Count("pk"), met=Count("pk", filter=met_filter)
    )
    return m.rate(
        "duty_target_attainment",
        _("代表进站履职目标达标率"),
        counts["met"],
        counts["total"],
        definition=DEFINITIONS["duty_target_attainment"],
    )


def _governance(scope: ReportScope) -> tuple[list[m.Metric], m.Chart]:
    since, until = scope.period.bounds()
    reports = (
        SocialReport.objects.sent()
        .filter(
            scope.within("region_path"), submitted_at__gte=since, submitted_at__lt=until
        )
        .aggregate(
            sent=Count("pk"),
            answered=Count("pk", filter=Q(status=SocialReport.Status.ANSWERED)),
            forwarded=Count("pk", filter=Q(forwarded_to__isnull=False)),
        )
    )
    cases = MediationCase.objects.filter(
        scope.within("region_path"), created_at__gte=since, created_at__lt=until
    ).aggregate(
        total=Count("pk"),
        mediated=Count("pk", filter=Q(status=MediationCase.Status.MEDIATED)),
        closed=Count("pk", filter=~Q(status=MediationCase.Status.OPEN)),
    )
    start, end = scope.period.start, scope.period.end
    kinds = dict(
        StationActivity.objects.filter(
            scope.within("region_path"), date__gte=start, date__lte=end
        )
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    metrics = [
        m.count("social_reports", _("报送社情民意"), reports["sent"]),
        m.rate(
            "social_report_answered_rate",
            _("社情民意答复率"),
            reports["answered"],
            reports["sent"],
            definition=DEFINITIONS["social_report_answered_rate"],
        ),
        m.count(
            "social_reports_forwarded", _("社情民意转送单位"), reports["forwarded"]
        ),
        m.count("mediations", _("矛盾纠纷调解"), cases["total"]),
        m.rate(
            "mediation_success_rate",
            _("调解成功率"),
            cases["mediated"],
            cases["closed"],
            definition=DEFINITIONS["mediation_success_rate"],
        ),
    ]
    chart = m.Chart(
        "governance_activities",
        _("基层治理活动（次）"),
        "bars",
        [
            m.ChartItem(label, kinds.get(kind, 0))
            for kind, label in StationActivity.Kind.choices
        ],
    )
    return metrics, chart


def build(scope: ReportScope) -> m.Section:
    """联络站网络、考评和基层治理."""
    assessment_metrics, grades_table, grades_chart = _assessments(scope)
    governance_metrics, activities_chart = _governance(scope)
    return m.Section(
        key="station_networks",
        title=_("联络站考评和基层治理"),
        metrics=[*assessment_metrics, _duty_targets(scope), *governance_metrics],
        tables=[grades_table],
        charts=[grades_chart, activities_chart],
        notes=[
            _(
                "考评和进站履职目标按报告期结束所在年度统计；社情民意按报送日期、"
                "调解按登记日期统计，办理情况截至报告生成之日。"
            )
        ],
    )
