"""Supervision report section "代表履职" (DESIGN.md §8): composition, attendance,
points ranking, 述职 coverage, zero-performance deputies and qualification changes.

Counted per mandate (a person who is a deputy at two levels counts at both).
"Current deputies" are the mandates of the congresses' current terms that are
active or suspended, as of the day the report is generated. Every figure is a
database aggregate; nothing loops over mandates in Python.
"""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from portal.models import Congress
from portal.reports import model as m
from portal.reports.model import ReportScope

from .choices import Gender, Occupation
from .models import Activity, LedgerEntry, Mandate, QualificationEvent, VoterReport
from .session_reports import build as build_sessions  # issue 16: sessions

LIST_LIMIT = 200
RANKING_SIZE = 20
MAJORITY_ETHNICITY = "汉族"


def current_mandates(scope: ReportScope) -> QuerySet:
    """Mandates of the current terms of congresses in the scope, active or suspended."""
    return Mandate.objects.filter(
        scope.within("congress__region__path"),
        term__is_current=True,
        status__in=[Mandate.Status.ACTIVE, Mandate.Status.SUSPENDED],
    )


def _ledger_in_period(scope: ReportScope) -> QuerySet:
    return LedgerEntry.objects.filter(occurred_on__range=scope.period.dates)


def zero_performance_mandates(scope: ReportScope) -> QuerySet:
    """Active current mandates with no ledger row in the period (零履职): the same
    rule as ``deputies.archive.zero_performance``, over the period's dates."""
    ledger = _ledger_in_period(scope).filter(mandate=OuterRef("pk"))
    return current_mandates(scope).active().filter(~Exists(ledger))


def _composition(
    scope: ReportScope,
) -> tuple[list[m.Metric], list[m.Table], list[m.Chart]]:
    current = current_mandates(scope)
    totals = current.aggregate(
        total=Count("pk"),
        female=Count("pk", filter=Q(person__gender=Gender.FEMALE)),
        minority=Count("pk", filter=~Q(person__ethnicity=MAJORITY_ETHNICITY)),
        frontline=Count("pk", filter=Q(person__is_frontline=True)),
        suspended=Count("pk", filter=Q(status=Mandate.Status.SUSPENDED)),
    )
    by_level = dict(
        current.values("congress__level")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("congress__level", "n")
    )
    by_occupation = dict(
        current.values("person__occupation")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("person__occupation", "n")
    )
    by_ethnicity = list(
        current.values("person__ethnicity")
        .annotate(n=Count("pk"))
        .order_by("-n", "person__ethnicity")
    )
    total = totals["total"]
    metrics = [
        m.count(
            "deputies",
            _("现有代表"),
            total,
            definition=_(
                "各级人大本届代表中正常履职和暂停执行代表职务的代表（按代表资格计，"
                "同一人在多级担任代表的分别计算），其中暂停执行职务%(n)s名。"
            )
            % {"n": totals["suspended"]},
        ),
        m.rate(
            "female_share",
            _("女性代表比例"),
            totals["female"],
            total,
            definition=_("女性代表数 ÷ 现有代表数。"),
        ),
        m.rate(
            "minority_share",
            _("少数民族代表比例"),
            totals["minority"],
            total,
            definition=_("少数民族代表数 ÷ 现有代表数。"),
        ),
        m.rate(
            "frontline_share",
            _("一线代表比例"),
            totals["frontline"],
            total,
            definition=_(
                "一线工人、农民和专业技术人员代表（登记为“一线代表”）数 ÷ 现有代表数。"
            ),
        ),
    ]
    level_rows = [
        {
            "level": label,
            "n": by_level.get(value, 0),
            "share": m.ratio(by_level.get(value, 0), total),
        }
        for value, label in Congress.Level.choices
        if by_level.get(value)
    ]
    occupation_rows = [
        {
            "occupation": label,
            "n": by_occupation.get(value, 0),
            "share": m.ratio(by_occupation.get(value, 0), total),
        }
        for value, label in Occupation.choices
        if by_occupation.get(value)
    ]
    ethnicity_rows = [
        {
            "ethnicity": row["person__ethnicity"],
            "n": row["n"],
            "share": m.ratio(row["n"], total),
        }
        for row in by_ethnicity
    ]
    share_columns = [
        m.Column("n", _("人数"), m.COUNT),
        m.Column("share", _("占比"), m.RATE),
    ]
    tables = [
        m.Table(
            "by_level",
            _("代表构成：按层级"),
            [m.Column("level", _("层级")), *share_columns],
            level_rows,
        ),
        m.Table(
            "by_occupation",
            _("代表构成：按职业"),
            [m.Column("occupation", _("代表构成")), *share_columns],
            occupation_rows,
        ),
        m.Table(
            "by_ethnicity",
            _("代表构成：按民族"),
            [m.Column("ethnicity", _("民族")), *share_columns],
            ethnicity_rows,
        ),
    ]
    charts = [
        m.Chart(
            "levels",
            _("各层级代表人数"),
            "bars",
            [m.ChartItem(r["level"], r["n"]) for r in level_rows],
        ),
        m.Chart(
            "occupations",
            _("代表构成"),
            "bars",
            [m.ChartItem(r["occupation"], r["n"]) for r in occupation_rows],
        ),
        m.Chart(
            "gender",
            _("性别构成"),
            "stack",
            [
                m.ChartItem(_("男"), total - totals["female"], tone="male"),
                m.ChartItem(_("女"), totals["female"], tone="female"),
            ],
        ),
    ]
    return metrics, tables, charts


def _attendance(scope: ReportScope) -> tuple[list[m.Metric], m.Table, m.Chart]:
    rows = list(
        Activity.objects.filter(
            scope.within("congress__region__path"), date__range=scope.period.dates
        )
        .exclude(review_status=Activity.Review.RETURNED)
        .values("kind")
        .annotate(
            activities=Count("pk", distinct=True),
            attended=Count("attendances", filter=Q(attendances__status="attended")),
            excused=Count("attendances", filter=Q(attendances__status="excused")),
            absent=Count("attendances", filter=Q(attendances__status="absent")),
            unconfirmed=Count("attendances", filter=Q(attendances__status="invited")),
        )
        .order_by()
    )
    by_kind = {row["kind"]: row for row in rows}
    table_rows = []
    for value, label in Activity.Kind.choices:
        row = by_kind.get(value)
        if row is None:
            continue
        due = row["attended"] + row["excused"] + row["absent"]
        table_rows.append(
            {
                "kind": label,
                "activities": row["activities"],
                "attended": row["attended"],
                "excused": row["excused"],
                "absent": row["absent"],
                "unconfirmed": row["unconfirmed"],
                "rate": m.ratio(row["attended"], due),
            }
        )
    attended = sum(r["attended"] for r in rows)
    due = attended + sum(r["excused"] + r["absent"] for r in rows)
    metrics = [
        m.count(
            "activities",
            _("履职活动"),
            sum(r["activities"] for r in rows),
            definition=_("统计期间各级人大组织的履职活动（审核退回的除外）。"),
        ),
        m.rate(
            "attendance_rate",
            _("活动出席率"),
            attended,
            due,
            definition=_(
                "出席人次 ÷（出席 + 请假 + 无故缺席人次）；尚未确认的邀请不计。"
            ),
        ),
        m.count("absent", _("无故缺席人次"), sum(r["absent"] for r in rows)),
    ]
    table = m.Table(
        "attendance",
        _("履职活动出席情况"),
        [
            m.Column("kind", _("活动类型")),
            m.Column("activities", _("活动次数"), m.COUNT),
            m.Column("attended", _("出席人次"), m.COUNT),
            m.Column("excused", _("请假人次"), m.COUNT),
            m.Column("absent", _("无故缺席人次"), m.COUNT),
            m.Column("unconfirmed", _("未确认人次"), m.COUNT),
            m.Column("rate", _("出席率"), m.RATE),
        ],
        table_rows,
    )
    chart = m.Chart(
        "attendance",
        _("各类活动出席率"),
        "bars",
        [m.ChartItem(r["kind"], r["rate"]) for r in table_rows],
        value_kind=m.RATE,
    )
    return metrics, table, chart


def _points(scope: ReportScope) -> tuple[list[m.Metric], m.Table]:
    # Points are summed over narrow (id, points) groups and only the top rows are
    # sorted; their names come in a second query. A window over every mandate of
    # a province with its person and congress (wide rows, sorted on disk) took a
    # second. Ranks are competition ranks ("1, 1, 3"): everyone with more points
    # comes earlier in this order, so a row's rank is one more than the position
    # of the first row with the same points.
    #
    # Each level is ranked on its own (one query per level in the scope): levels
    # count points by different tables (rule ``points``), so one ranking across
    # them would compare unlike figures.
    in_period = Q(ledger__occurred_on__range=scope.period.dates)
    present = set(
        Congress.objects.filter(scope.within("region__path"))
        .values_list("level", flat=True)
        .distinct()
    )
    levels = [level for level in Congress.Level.values if level in present]
    tops: list[tuple[str, list[dict]]] = []
    for level in levels:
        top = list(
            current_mandates(scope)
            .filter(congress__level=level)
            .values("pk")
            .annotate(
                points=Coalesce(
                    Sum("ledger__points", filter=in_period),
                    Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("-points", "name_stroke_key", "pk")[:RANKING_SIZE]
        )
        if top:
            tops.append((level, top))
    mandates = Mandate.objects.select_related("person", "congress").in_bulk(
        [row["pk"] for _level, top in tops for row in top]
    )
    level_labels = dict(Congress.Level.choices)
    rows = []
    for level, top in tops:
        first_at: dict[int, int] = {}
        rows += [
            {
                "level": level_labels[level],
                "rank": first_at.setdefault(row["points"], position),
                "name": mandates[row["pk"]].person.name,
                "congress": mandates[row["pk"]].congress.name,
                "points": row["points"],
            }
            for position, row in enumerate(top, start=1)
        ]
    totals = (
        _ledger_in_period(scope)
        .filter(mandate__in=current_mandates(scope).values("pk"))
        .aggregate(points=Sum("points"), mandates=Count("mandate", distinct=True))
    )
    deputies = current_mandates(scope).count()
    metrics = [
        m.Metric(
            "points_average",
            _("人均履职积分"),
            m.ratio(totals["points"] or 0, deputies),
            kind=m.NUMBER,
            numerator=totals["points"] or 0,
            denominator=deputies,
            definition=_("统计期间现有代表的履职积分合计 ÷ 现有代表数。"),
        ),
    ]
    table = m.Table(
        "points",
        _("履职积分排名（各层级前%(n)s名）") % {"n": RANKING_SIZE},
        [
            m.Column("level", _("层级")),
            m.Column("rank", _("名次"), m.COUNT),
            m.Column("name", _("姓名")),
            m.Column("congress", _("人大")),
            m.Column("points", _("积分"), m.COUNT),
        ],
        rows,
        note=_(
            "积分按各级人大规则集的积分表记录，不同层级的积分表不同，因此各层级分别"
            "排名、不跨层级比较；同分并列。"
        ),
    )
    return metrics, table


def _voter_reports(scope: ReportScope) -> tuple[list[m.Metric], m.Table, m.Chart]:
    reported = VoterReport.objects.filter(
        mandate=OuterRef("pk"), date__range=scope.period.dates
    )
    active = current_mandates(scope).active()
    by_level = {
        row["congress__level"]: row
        for row in active.values("congress__level")
        .annotate(total=Count("pk"), reported=Count("pk", filter=Q(Exists(reported))))
        .order_by()
    }
    votes = VoterReport.objects.filter(
        mandate__in=current_mandates(scope).values("pk"), date__range=scope.period.dates
    ).aggregate(
        reports=Count("pk"),
        satisfied=Coalesce(Sum("satisfied"), 0),
        basically=Coalesce(Sum("basically_satisfied"), 0),
        dissatisfied=Coalesce(Sum("dissatisfied"), 0),
    )
    rows = [
        {
            "level": label,
            "total": by_level[value]["total"],
            "reported": by_level[value]["reported"],
            "rate": m.ratio(by_level[value]["reported"], by_level[value]["total"]),
        }
        for value, label in Congress.Level.choices
        if value in by_level
    ]
    total = sum(r["total"] for r in rows)
    reported_n = sum(r["reported"] for r in rows)
    cast = votes["satisfied"] + votes["basically"] + votes["dissatisfied"]
    metrics = [
        m.rate(
            "report_coverage",
            _("述职覆盖率"),
            reported_n,
            total,
            definition=_(
                "统计期间向选民（选举单位）述职的正常履职代表数 ÷ 正常履职的现有代表数。"
            ),
        ),
        m.count("voter_reports", _("述职场次"), votes["reports"]),
        m.rate(
            "report_satisfaction",
            _("述职测评满意率"),
            votes["satisfied"] + votes["basically"],
            cast,
            definition=_("述职测评中“满意”和“基本满意”票数 ÷ 测评总票数。"),
        ),
    ]
    table = m.Table(
        "voter_reports",
        _("向选民述职覆盖情况"),
        [
            m.Column("level", _("层级")),
            m.Column("total", _("正常履职代表"), m.COUNT),
            m.Column("reported", _("已述职"), m.COUNT),
            m.Column("rate", _("覆盖率"), m.RATE),
        ],
        rows,
        note=_(
            "县、乡两级代表向原选区选民述职；设区的市级以上代表向原选举单位报告履职情况。"
        ),
    )
    chart = m.Chart(
        "coverage",
        _("各层级述职覆盖率"),
        "bars",
        [m.ChartItem(r["level"], r["rate"]) for r in rows],
        value_kind=m.RATE,
    )
    return metrics, table, chart


def _zero_performance(scope: ReportScope) -> tuple[m.Metric, m.Table]:
    zero = zero_performance_mandates(scope)
    total = zero.count()
    active = current_mandates(scope).active().count()
    rows = [
        {
            "name": mandate.person.name,
            "congress": mandate.congress.name,
            "card": mandate.card_number,
        }
        for mandate in zero.select_related("person", "congress").order_by(
            "congress__region__path", "name_stroke_key", "pk"
        )[:LIST_LIMIT]
    ]
    metric = m.rate(
        "zero_share",
        _("零履职代表比例"),
        total,
        active,
        definition=_(
            "统计期间没有任何履职积分记录的正常履职代表数 ÷ 正常履职的现有代表数。"
        ),
    )
    table = m.Table(
        "zero",
        _("零履职代表名单"),
        [
            m.Column("name", _("姓名")),
            m.Column("congress", _("人大")),
            m.Column("card", _("代表证号")),
        ],
        rows,
        total=total,
        note=_("按所在人大、姓氏笔画排序。"),
    )
    return metric, table


def _qualification(scope: ReportScope) -> tuple[m.Metric, m.Table]:
    events = QualificationEvent.objects.filter(
        scope.within("mandate__congress__region__path"), date__range=scope.period.dates
    )
    by_kind = dict(
        events.values("kind")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("kind", "n")
    )
    grounds = dict(QualificationEvent.GROUND_CHOICES)
    rows = [
        {
            "date": event.date,
            "name": event.mandate.person.name,
            "congress": event.mandate.congress.name,
            "kind": event.get_kind_display(),
            "ground": str(grounds.get(event.ground, event.ground)),
            "document": event.document_number,
        }
        for event in events.select_related(
            "mandate__person", "mandate__congress"
        ).order_by("date", "pk")[:LIST_LIMIT]
    ]
    total = sum(by_kind.values())
    summary = "；".join(
        f"{label}{by_kind[value]}"
        for value, label in QualificationEvent.Kind.choices
        if by_kind.get(value)
    )
    metric = m.count(
        "qualification_changes",
        _("代表资格变动"),
        total,
        definition=summary and _("其中：%(summary)s。") % {"summary": summary},
    )
    table = m.Table(
        "qualification",
        _("代表资格变动情况"),
        [
            m.Column("date", _("日期"), m.DATE),
            m.Column("name", _("姓名")),
            m.Column("congress", _("人大")),
            m.Column("kind", _("变动类型")),
            m.Column("ground", _("法定事由")),
            m.Column("document", _("公告编号")),
        ],
        rows,
        total=total,
    )
    return metric, table


def build(scope: ReportScope) -> m.Section:
    """代表履职: composition, attendance, points, 述职, zero performance, qualification."""
    metrics, tables, charts = _composition(scope)
    att_metrics, att_table, att_chart = _attendance(scope)
    point_metrics, point_table = _points(scope)
    report_metrics, report_table, report_chart = _voter_reports(scope)
    zero_metric, zero_table = _zero_performance(scope)
    qual_metric, qual_table = _qualification(scope)
    # issue 16: organs
    from .organ_reports import build as build_organs

    organ_metrics, organ_tables = build_organs(scope, current_mandates(scope))
    # end issue 16: organs
    # issue 16: sessions — attendance, leave, speeches, training.
    session_metrics, session_table = build_sessions(scope, current_mandates(scope))
    return m.Section(
        key="deputies",
        title=_("代表履职"),
        metrics=[
            *metrics,
            *att_metrics,
            *point_metrics,
            *report_metrics,
            zero_metric,
            qual_metric,
            *organ_metrics,  # issue 16: organs
            *session_metrics,
        ],
        tables=[
            *tables,
            att_table,
            point_table,
            report_table,
            zero_table,
            qual_table,
            *organ_tables,  # issue 16: organs
            session_table,
        ],
        charts=[*charts, att_chart, report_chart],
        notes=[
            _(
                "代表构成按报告生成之日的现有代表统计；活动、积分、述职和资格变动按统计期间统计。"
            )
        ],
    )
