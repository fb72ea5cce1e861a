"""Supervision report section "议案建议办理" and the staff dashboard card with its
key rates (DESIGN.md §8).

Every figure is one aggregate query over the suggestions received in the period
within the scope (conditional ``Count``s over ``Exists`` subqueries); nothing
loops over suggestions in Python. The cohort is the suggestions *submitted* in
the period; their handling is counted as it stands today.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import Region
from portal.reports import model as m
from portal.reports.model import ReportScope

from .models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    KeySupervisionItem,
    Reply,
    Suggestion,
    Urge,
)

S = Suggestion.Status
HANDLED = [S.ASSIGNED, S.REPLIED, S.TRACKING, S.REHANDLING, S.CLOSED]
ANSWERING = [Assignment.Role.LEAD, Assignment.Role.SPLIT]
OPEN = [
    Assignment.Status.PENDING,
    Assignment.Status.ACCEPTED,
    Assignment.Status.RETURN_REQUESTED,
]
FACE_TO_FACE = [Contact.Method.MEETING, Contact.Method.SITE_VISIT]
CONTENT = ["satisfied", "basically_satisfied"]
CATEGORIES = ["A", "B", "C", "D"]

# Units with fewer answering assignments are listed but not ranked: a rate over
# two items says little next to one over two hundred.
MIN_RANKED_VOLUME = 5
LIST_LIMIT = 200
UNIT_LIMIT = 2000
# Materialised region paths are fixed-width segments ("00000007/", see
# portal.services.region_create), so the next level down is a fixed-length prefix.
PATH_SEGMENT = 9

DEFINITIONS = {
    "reply_rate": gettext_lazy(
        "已答复件数 ÷ 交办件数。已答复：所有主办（分办）单位均已书面答复。"
    ),
    "on_time_rate": gettext_lazy(
        "首次答复均在办理期限内的件数 ÷（已答复件数 + 超过办理期限仍未答复的件数）。"
        "尚未到期也未答复的不计入分母。"
    ),
    "contact_rate": gettext_lazy("答复前与代表当面沟通或实地调研的件数 ÷ 已答复件数。"),
    "share": gettext_lazy(
        "A、B、C、D各类答复占比均为：该类答复数 ÷ 答复总数。每个主办（分办）单位计其最近一次答复。"
    ),
    "satisfaction_rate": gettext_lazy(
        "领衔代表最近一次评价办理结果为“满意”或“基本满意”的件数 ÷ 已评价件数。"
    ),
    "attitude_rate": gettext_lazy(
        "领衔代表评价办理态度为“满意”或“基本满意”的件数 ÷ 已评价件数。"
    ),
    "solved_rate": gettext_lazy(
        "问题已办成的件数 ÷ 已答复件数。办成：各答复单位最近一次答复为A类，"
        "或为B类、C类且承诺事项全部落实。"
    ),
    "closed_rate": gettext_lazy("已办结件数 ÷ 交办件数。"),
    "commitment_rate": gettext_lazy(
        "已落实的承诺事项 ÷ 承诺事项总数（B类、C类答复中的承诺）。"
    ),
}


def cohort(scope: ReportScope) -> QuerySet:
    """Suggestions and bills submitted in the period within the scope."""
    since, until = scope.period.bounds()
    return Suggestion.objects.filter(
        scope.within("region_path"), submitted_at__gte=since, submitted_at__lt=until
    )


def _latest_replies() -> QuerySet:
    """Replies that are the latest of their (live) assignment."""
    later = Reply.objects.filter(
        assignment=OuterRef("assignment"), round__gt=OuterRef("round")
    )
    return Reply.objects.filter(~Exists(later)).exclude(
        assignment__status=Assignment.Status.RETURNED
    )


def _unsolved_replies() -> QuerySet:
    """Latest replies that do not (yet) solve the matter: D, or B/C with a commitment open."""
    open_commitment = Commitment.objects.filter(
        reply=OuterRef("pk"), status=Commitment.Status.PENDING
    )
    return _latest_replies().filter(
        Q(category="D") | (Q(category__in=["B", "C"]) & Q(Exists(open_commitment)))
    )


def _latest_lead_evaluations() -> QuerySet:
    """Each suggestion's latest rating by its lead deputy (the one that decides)."""
    later = Evaluation.objects.filter(
        suggestion=OuterRef("suggestion"),
        mandate=OuterRef("mandate"),
        round__gt=OuterRef("round"),
    )
    return Evaluation.objects.filter(mandate=F("suggestion__lead")).filter(
        ~Exists(later)
    )


def _suggestion_counts(scope: ReportScope) -> dict[str, Any]:
    """The conditional counts of one cohort as ``aggregate`` or ``annotate`` kwargs."""
    today = scope.today
    handled = Q(status__in=HANDLED)
    replied = handled & Q(first_replied_at__isnull=False)
    overdue_open = Assignment.objects.filter(
        suggestion=OuterRef("pk"),
        role__in=ANSWERING,
        status__in=OPEN,
        due_date__lt=today,
    )
    late_first_reply = Reply.objects.filter(
        assignment__suggestion=OuterRef("pk"), round=1, on_time=False
    )
    face = Contact.objects.filter(
        assignment__suggestion=OuterRef("pk"), method__in=FACE_TO_FACE
    )
    unsolved = _unsolved_replies().filter(assignment__suggestion=OuterRef("pk"))
    return {
        "received": Count("pk"),
        "bills": Count("pk", filter=Q(kind=Suggestion.Kind.BILL)),
        "registered": Count("pk", filter=Q(registered_at__isnull=False)),
        "pending": Count("pk", filter=Q(status__in=[S.SUBMITTED, S.RETURNED])),
        "not_registered": Count("pk", filter=Q(status=S.NOT_REGISTERED)),
        "merged": Count("pk", filter=Q(status=S.MERGED)),
        "withdrawn": Count("pk", filter=Q(status=S.WITHDRAWN)),
        "handled": Count("pk", filter=handled),
        "replied": Count("pk", filter=replied),
        "overdue_unreplied": Count(
            "pk",
            filter=Q(status=S.ASSIGNED, first_replied_at__isnull=True)
            & Q(Exists(overdue_open)),
        ),
        "on_time": Count("pk", filter=replied & ~Q(Exists(late_first_reply))),
        "face": Count("pk", filter=replied & Q(Exists(face))),
        "solved": Count("pk", filter=replied & ~Q(Exists(unsolved))),
        "closed": Count("pk", filter=Q(status=S.CLOSED)),
        "rehandled": Count("pk", filter=handled & Q(round__gte=2)),
        "supervision": Count("pk", filter=Q(needs_supervision=True)),
    }


def _evaluation_counts() -> dict[str, Any]:
    return {
        "evaluated": Count("pk"),
        "satisfied": Count("pk", filter=Q(result="satisfied")),
        "basically": Count("pk", filter=Q(result="basically_satisfied")),
        "dissatisfied": Count("pk", filter=Q(result="dissatisfied")),
        "attitude_ok": Count("pk", filter=Q(attitude__in=CONTENT)),
    }


def key_rates(scope: ReportScope) -> dict[str, m.Metric]:
    """The headline rates (two queries): used by the section and the dashboard card."""
    c = cohort(scope).aggregate(**_suggestion_counts(scope))
    e = (
        _latest_lead_evaluations()
        .filter(suggestion__in=cohort(scope).values("pk"))
        .aggregate(**_evaluation_counts())
    )
    metrics = [
        m.rate(
            "reply_rate",
            _("办复率"),
            c["replied"],
            c["handled"],
            definition=DEFINITIONS["reply_rate"],
        ),
        m.rate(
            "on_time_rate",
            _("按期办复率"),
            c["on_time"],
            c["replied"] + c["overdue_unreplied"],
            definition=DEFINITIONS["on_time_rate"],
        ),
        m.rate(
            "contact_rate",
            _("见面率"),
            c["face"],
            c["replied"],
            definition=DEFINITIONS["contact_rate"],
        ),
        m.rate(
            "satisfaction_rate",
            _("满意率"),
            e["satisfied"] + e["basically"],
            e["evaluated"],
            definition=DEFINITIONS["satisfaction_rate"],
        ),
        m.rate(
            "attitude_rate",
            _("办理态度满意率"),
            e["attitude_ok"],
            e["evaluated"],
            definition=DEFINITIONS["attitude_rate"],
        ),
        m.rate(
            "solved_rate",
            _("办成率"),
            c["solved"],
            c["replied"],
            definition=DEFINITIONS["solved_rate"],
        ),
        m.rate(
            "closed_rate",
            _("办结率"),
            c["closed"],
            c["handled"],
            definition=DEFINITIONS["closed_rate"],
        ),
    ]
    return {"counts": c, "evaluations": e, **{metric.key: metric for metric in metrics}}


def _rate(numerator, denominator) -> float | None:
    return m.ratio(numerator, denominator)


def _by_category(scope: ReportScope) -> m.Table:
    rows = {
        row["category"]: row
        for row in cohort(scope)
        .values("category")
        .annotate(**_suggestion_counts(scope))
        .order_by()
    }
    table_rows = []
    for value, label in Suggestion.Category.choices:
        row = rows.get(value)
        if row is None:
            continue
        table_rows.append(
            {
                "category": label,
                "received": row["received"],
                "registered": row["registered"],
                "handled": row["handled"],
                "replied": row["replied"],
                "reply_rate": _rate(row["replied"], row["handled"]),
                "closed": row["closed"],
            }
        )
    return m.Table(
        key="by_category",
        title=_("分类别收到、立案、交办情况"),
        columns=[
            m.Column("category", _("类别")),
            m.Column("received", _("收到"), m.COUNT),
            m.Column("registered", _("立案"), m.COUNT),
            m.Column("handled", _("交办"), m.COUNT),
            m.Column("replied", _("已答复"), m.COUNT),
            m.Column("reply_rate", _("办复率"), m.RATE),
            m.Column("closed", _("已办结"), m.COUNT),
        ],
        rows=table_rows,
    )


def _by_area(scope: ReportScope) -> m.Table:
    """One row for the congress itself and one per region directly below it."""
    width = len(scope.path) + PATH_SEGMENT
    area = Substr("region_path", 1, width)
    rows = list(
        cohort(scope)
        .annotate(area=area)
        .values("area")
        .annotate(**_suggestion_counts(scope))
        .order_by("area")
    )
    evaluations = {
        row["area"]: row
        for row in _latest_lead_evaluations()
        .filter(suggestion__in=cohort(scope).values("pk"))
        .annotate(area=Substr("suggestion__region_path", 1, width))
        .values("area")
        .annotate(**_evaluation_counts())
        .order_by()
    }
    names = dict(
        Region.objects.filter(path__in=[r["area"] for r in rows]).values_list(
            "path", "name"
        )
    )
    table_rows = []
    for row in rows:
        e = evaluations.get(row["area"], {})
        own = row["area"] == scope.path
        table_rows.append(
            {
                "area": _("本级（%(name)s）") % {"name": scope.congress.name}
                if own
                else names.get(row["area"], ""),
                "received": row["received"],
                "handled": row["handled"],
                "replied": row["replied"],
                "reply_rate": _rate(row["replied"], row["handled"]),
                "on_time_rate": _rate(
                    row["on_time"], row["replied"] + row["overdue_unreplied"]
                ),
                "evaluated": e.get("evaluated", 0),
                "satisfaction_rate": _rate(
                    e.get("satisfied", 0) + e.get("basically", 0), e.get("evaluated", 0)
                ),
                "solved_rate": _rate(row["solved"], row["replied"]),
            }
        )
    return m.Table(
        key="by_area",
        title=_("分地区办理情况"),
        columns=[
            m.Column("area", _("地区")),
            m.Column("received", _("收到"), m.COUNT),
            m.Column("handled", _("交办"), m.COUNT),
            m.Column("replied", _("已答复"), m.COUNT),
            m.Column("reply_rate", _("办复率"), m.RATE),
            m.Column("on_time_rate", _("按期办复率"), m.RATE),
            m.Column("evaluated", _("已评价"), m.COUNT),
            m.Column("satisfaction_rate", _("满意率"), m.RATE),
            m.Column("solved_rate", _("办成率"), m.RATE),
        ],
        rows=table_rows,
        note=_(
            "“本级”为本级人大代表提出的议案建议；其余各行为下一级地区（含其以下各级）。"
        ),
    )


def _units(scope: ReportScope) -> tuple[m.Table, int]:
    """The units' ranking, with each rate's volume beside it; and the number of
    overdue answering assignments (the overdue list's total)."""
    today = scope.today
    live = Assignment.objects.filter(
        suggestion__in=cohort(scope).filter(status__in=HANDLED).values("pk")
    ).exclude(status=Assignment.Status.RETURNED)
    answering = Q(role__in=ANSWERING)
    has_reply = Q(Exists(Reply.objects.filter(assignment=OuterRef("pk"))))
    first_on_time = Q(
        Exists(Reply.objects.filter(assignment=OuterRef("pk"), round=1, on_time=True))
    )
    face = Q(
        Exists(
            Contact.objects.filter(assignment=OuterRef("pk"), method__in=FACE_TO_FACE)
        )
    )
    overdue = Q(
        status__in=OPEN,
        due_date__lt=today,
        suggestion__status__in=Suggestion.HANDLING_STATES,
    )
    unsolved = Q(Exists(_unsolved_replies().filter(assignment=OuterRef("pk"))))
    lead_rating = _latest_lead_evaluations().filter(
        suggestion=OuterRef("suggestion"), mandate=OuterRef("suggestion__lead")
    )
    categories = {
        f"cat_{c}": Count(
            "pk",
            filter=answering
            & Q(
                Exists(_latest_replies().filter(assignment=OuterRef("pk"), category=c))
            ),
        )
        for c in CATEGORIES
    }
    rows = list(
        live.values("unit_id", "unit__name", "unit__region__name")
        .annotate(
            total=Count("pk"),
            co=Count("pk", filter=Q(role=Assignment.Role.CO)),
            answering=Count("pk", filter=answering),
            replied=Count("pk", filter=answering & has_reply),
            on_time=Count("pk", filter=answering & first_on_time),
            overdue_unreplied=Count("pk", filter=answering & overdue & ~has_reply),
            overdue=Count("pk", filter=answering & overdue),
            face=Count("pk", filter=answering & has_reply & face),
            solved=Count("pk", filter=answering & has_reply & ~unsolved),
            evaluated=Count("pk", filter=answering & Q(Exists(lead_rating))),
            content=Count(
                "pk",
                filter=answering & Q(Exists(lead_rating.filter(result__in=CONTENT))),
            ),
            **categories,
        )
        .order_by("unit__region__path", "unit__name")[:UNIT_LIMIT]
    )
    urges = dict(
        Urge.objects.filter(assignment__in=live.values("pk"))
        .values("assignment__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("assignment__unit_id", "n")
    )
    table_rows = []
    for row in rows:
        replied = row["replied"]
        table_rows.append(
            {
                "unit": row["unit__name"],
                "area": row["unit__region__name"],
                "answering": row["answering"],
                "co": row["co"],
                "replied": replied,
                "reply_rate": _rate(replied, row["answering"]),
                "on_time_base": replied + row["overdue_unreplied"],
                "on_time_rate": _rate(
                    row["on_time"], replied + row["overdue_unreplied"]
                ),
                "contact_rate": _rate(row["face"], replied),
                "a_share": _rate(
                    row["cat_A"], sum(row[f"cat_{c}"] for c in CATEGORIES)
                ),
                "evaluated": row["evaluated"],
                "satisfaction_rate": _rate(row["content"], row["evaluated"]),
                "solved_rate": _rate(row["solved"], replied),
                "urges": urges.get(row["unit_id"], 0),
                "overdue": row["overdue"],
            }
        )
    _rank(table_rows)
    overdue_total = sum(row["overdue"] for row in rows)
    table = m.Table(
        key="units",
        title=_("承办单位办理情况排名"),
        columns=[
            m.Column("rank", _("名次"), m.COUNT),
            m.Column("unit", _("承办单位")),
            m.Column("area", _("地区")),
            m.Column("answering", _("主办（分办）件数"), m.COUNT),
            m.Column("co", _("协办件数"), m.COUNT),
            m.Column("reply_rate", _("办复率"), m.RATE),
            m.Column("on_time_base", _("应按期办复件数"), m.COUNT),
            m.Column("on_time_rate", _("按期办复率"), m.RATE),
            m.Column("contact_rate", _("见面率"), m.RATE),
            m.Column("a_share", _("A类占比"), m.RATE),
            m.Column("evaluated", _("已评价件数"), m.COUNT),
            m.Column("satisfaction_rate", _("满意率"), m.RATE),
            m.Column("solved_rate", _("办成率"), m.RATE),
            m.Column("urges", _("催办次数"), m.COUNT),
            m.Column("overdue", _("逾期未办"), m.COUNT),
        ],
        rows=table_rows,
        note=_(
            "排名依据：满意率，其次按期办复率、主办（分办）件数。主办（分办）件数少于%(n)s件的单位"
            "不参与排名，列于表末。各项比率的口径与本节主要指标相同，按单位的交办计算。"
        )
        % {"n": MIN_RANKED_VOLUME},
    )
    return table, overdue_total


def _rank(rows: list[dict]) -> None:
    """Order units for the ranking and number the ranked ones (ties share a place)."""

    def key(row):
        sat, on_time = row["satisfaction_rate"], row["on_time_rate"]
        return (
            sat is None,
            -(sat or 0),
            on_time is None,
            -(on_time or 0),
            -row["answering"],
            row["unit"],
        )

    ranked = sorted((r for r in rows if r["answering"] >= MIN_RANKED_VOLUME), key=key)
    others = sorted((r for r in rows if r["answering"] < MIN_RANKED_VOLUME), key=key)
    place, previous = 0, None
    for index, row in enumerate(ranked, start=1):
        current = (row["satisfaction_rate"], row["on_time_rate"])
        if current != previous:
            place, previous = index, current
        row["rank"] = place
    for row in others:
        row["rank"] = None
    rows[:] = ranked + others


def _overdue(scope: ReportScope, total: int) -> m.Table:
    urge_count = (
        Urge.objects.filter(assignment=OuterRef("pk"))
        .values("assignment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    items = (
        Assignment.objects.filter(
            suggestion__in=cohort(scope).values("pk"),
            role__in=ANSWERING,
            status__in=OPEN,
            due_date__lt=scope.today,
            suggestion__status__in=Suggestion.HANDLING_STATES,
        )
        .select_related("unit", "suggestion__congress", "suggestion__lead__person")
        .annotate(urge_count=Coalesce(Subquery(urge_count), 0))
        .order_by("due_date", "pk")[:LIST_LIMIT]
    )
    rows = [
        {
            "number": a.suggestion.number_display,
            "title": a.suggestion.title,
            "congress": a.suggestion.congress.name,
            "lead": a.suggestion.lead.person.name,
            "unit": a.unit.name,
            "role": a.get_role_display(),
            "round": a.round,
            "due_date": a.due_date,
            "days": (scope.today - a.due_date).days,
            "urges": a.urge_count,
        }
        for a in items
    ]
    return m.Table(
        key="overdue",
        title=_("逾期未办复清单"),
        columns=[
            m.Column("number", _("编号")),
            m.Column("title", _("标题")),
            m.Column("congress", _("人大")),
            m.Column("lead", _("领衔代表")),
            m.Column("unit", _("承办单位")),
            m.Column("role", _("承办方式")),
            m.Column("round", _("轮次"), m.COUNT),
            m.Column("due_date", _("办理期限"), m.DATE),
            m.Column("days", _("逾期天数"), m.COUNT),
            m.Column("urges", _("催办次数"), m.COUNT),
        ],
        rows=rows,
        total=total,
        note=_(
            "主办（分办）单位已过办理期限仍未答复的交办（含重新办理），按办理期限排序。"
        ),
    )


def _key_items(scope: ReportScope) -> m.Table:
    first, last = scope.period.years
    items = (
        KeySupervisionItem.objects.filter(
            scope.within("region_path"), year__gte=first, year__lte=last
        )
        .select_related("congress", "leader")
        .annotate(
            n=Count("suggestions", distinct=True),
            replied=Count(
                "suggestions",
                filter=Q(suggestions__first_replied_at__isnull=False),
                distinct=True,
            ),
            closed=Count(
                "suggestions", filter=Q(suggestions__status=S.CLOSED), distinct=True
            ),
            events_n=Count("events", distinct=True),
        )
        .order_by("congress__region__path", "-year", "title")[:LIST_LIMIT]
    )
    rows = [
        {
            "title": item.title,
            "congress": item.congress.name,
            "year": item.year,
            "leader": item.leader.get_full_name(),
            "suggestions": item.n,
            "replied": item.replied,
            "closed": item.closed,
            "closed_rate": _rate(item.closed, item.n),
            "events": item.events_n,
            "status": item.get_status_display(),
        }
        for item in items
    ]
    return m.Table(
        key="key_items",
        title=_("重点督办事项进展"),
        columns=[
            m.Column("title", _("督办事项")),
            m.Column("congress", _("人大")),
            m.Column("year", _("年度")),
            m.Column("leader", _("牵头领导")),
            m.Column("suggestions", _("建议件数"), m.COUNT),
            m.Column("replied", _("已答复"), m.COUNT),
            m.Column("closed", _("已办结"), m.COUNT),
            m.Column("closed_rate", _("办结率"), m.RATE),
            m.Column("events", _("督办活动次数"), m.COUNT),
            m.Column("status", _("状态")),
        ],
        rows=rows,
        note=_("统计期间所在年度确定的重点督办事项。"),
    )


def build(scope: ReportScope) -> m.Section:
    """议案建议办理: counts, rates with their definitions, units' ranking, overdue
    list and key-supervision progress."""
    rates = key_rates(scope)
    c, e = rates["counts"], rates["evaluations"]
    base = cohort(scope)
    replies = (
        _latest_replies()
        .filter(assignment__suggestion__in=base.filter(status__in=HANDLED).values("pk"))
        .aggregate(
            total=Count("pk"),
            **{c_: Count("pk", filter=Q(category=c_)) for c_ in CATEGORIES},
        )
    )
    commitments = Commitment.objects.filter(
        reply__assignment__suggestion__in=base.values("pk")
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=Commitment.Status.DONE)),
        overdue=Count(
            "pk", filter=Q(status=Commitment.Status.PENDING, due_date__lt=scope.today)
        ),
    )
    urges = Urge.objects.filter(assignment__suggestion__in=base.values("pk")).aggregate(
        n=Count("pk"), suggestions=Count("assignment__suggestion", distinct=True)
    )
    units, overdue_total = _units(scope)
    labels = dict(Reply.Category.choices)
    metrics = [
        m.count(
            "received",
            _("收到议案建议"),
            c["received"],
            definition=_("统计期间提交的议案和建议（不含草稿），其中议案%(n)s件。")
            % {"n": c["bills"]},
        ),
        m.count("registered", _("立案"), c["registered"]),
        m.count("handled", _("交办"), c["handled"]),
        m.count("replied", _("已答复"), c["replied"]),
        rates["reply_rate"],
        rates["on_time_rate"],
        rates["contact_rate"],
        *[
            m.rate(
                f"share_{cat}",
                _("%(cat)s类答复占比") % {"cat": cat},
                replies[cat],
                replies["total"],
                definition=DEFINITIONS["share"]
                if cat == "A"
                else _("%(cat)s类答复数 ÷ 答复总数。") % {"cat": cat},
            )
            for cat in CATEGORIES
        ],
        rates["satisfaction_rate"],
        rates["attitude_rate"],
        m.count(
            "dissatisfied",
            _("不满意"),
            e["dissatisfied"],
            definition=_("领衔代表最近一次评价办理结果为“不满意”的件数。"),
        ),
        m.count(
            "rehandled",
            _("重新办理"),
            c["rehandled"],
            definition=_("因代表不满意而进入第二轮及以后办理的件数。"),
        ),
        rates["solved_rate"],
        rates["closed_rate"],
        m.rate(
            "commitment_rate",
            _("承诺事项落实率"),
            commitments["done"],
            commitments["total"],
            definition=DEFINITIONS["commitment_rate"],
        ),
        m.count("commitments_overdue", _("承诺逾期未落实"), commitments["overdue"]),
        m.count(
            "urges",
            _("催办次数"),
            urges["n"],
            definition=_("对交办的催办次数；涉及%(n)s件议案建议。")
            % {"n": urges["suggestions"]},
        ),
        m.count(
            "overdue",
            _("逾期未办复"),
            overdue_total,
            definition=_(
                "主办（分办）单位已过办理期限仍未答复的交办数（含重新办理）。"
            ),
        ),
        m.count("supervision", _("转人大督办"), c["supervision"]),
    ]
    chart_items = [
        m.ChartItem(_("收到"), c["received"]),
        m.ChartItem(_("立案"), c["registered"]),
        m.ChartItem(_("交办"), c["handled"]),
        m.ChartItem(_("已答复"), c["replied"]),
        m.ChartItem(_("已办结"), c["closed"]),
    ]
    charts = [
        m.Chart("flow", _("办理进度（件）"), "bars", chart_items),
        m.Chart(
            "categories",
            _("答复类别构成"),
            "stack",
            [
                m.ChartItem(labels[cat], replies[cat], tone=f"cat-{cat.lower()}")
                for cat in CATEGORIES
            ],
            legend=tuple(labels[cat] for cat in CATEGORIES),
        ),
        m.Chart(
            "evaluations",
            _("代表评价办理结果"),
            "stack",
            [
                m.ChartItem(_("满意"), e["satisfied"], tone="good"),
                m.ChartItem(_("基本满意"), e["basically"], tone="fair"),
                m.ChartItem(_("不满意"), e["dissatisfied"], tone="bad"),
            ],
        ),
    ]
    return m.Section(
        key="suggestions",
        title=_("议案建议办理"),
        metrics=metrics,
        tables=[
            _by_category(scope),
            _by_area(scope),
            units,
            _overdue(scope, overdue_total),
            _key_items(scope),
        ],
        charts=charts,
        notes=[
            _(
                "统计对象：统计期间内提交的议案建议；办理情况截至报告生成之日。分母为0的比率显示为“—”。"
            ),
            _(
                "本节数字由“议案建议”模块的办理记录直接统计，承办单位不能修改代表的评价。"
            ),
        ],
    )


def dashboard_card(user) -> dict | None:
    """Key rates of this year's suggestions for the staff member's congress."""
    from portal.reports import service

    scope = service.dashboard_scope(user)
    if scope is None:
        return None
    return service.cached_card("suggestions", scope, lambda: _card(scope))


def _card(scope: ReportScope) -> dict:
    from portal.reports import service

    rates = key_rates(scope)
    c = rates["counts"]
    return {
        "stats": [
            {
                "label": _("办复率（交办%(n)s件）") % {"n": c["handled"]},
                "value": rates["reply_rate"].display,
                "url": service.report_url(scope),
            },
            {"label": _("按期办复率"), "value": rates["on_time_rate"].display},
            {
                "label": _("满意率（已评价%(n)s件）")
                % {"n": rates["evaluations"]["evaluated"]},
                "value": rates["satisfaction_rate"].display,
            },
            {"label": _("办成率"), "value": rates["solved_rate"].display},
        ],
        "note": _("%(scope)s · %(period)s · 数字每10分钟更新")
        % {
            "scope": service.scope_description(scope.congress),
            "period": scope.period.label,
        },
    }
