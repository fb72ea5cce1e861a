"""The tables of the section "议案建议办理": by category, outcome type, bills,
area, units' ranking, overdue list and key supervision."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext as _

from portal.models import Region
from portal.reports import model as m
from portal.reports.model import ReportScope, wilson_lower_bound

from .. import categories
from ..models import (
    Assignment,
    Contact,
    KeySupervisionItem,
    Reply,
    Suggestion,
    Urge,
)
from .common import (
    ANSWERING,
    BILL_STATES,
    CONTENT,
    FACE_TO_FACE,
    HANDLED,
    LIST_LIMIT,
    OPEN,
    PATH_SEGMENT,
    UNIT_LIMIT,
    S,
    _categories,
    _evaluation_counts,
    _latest_replies,
    _rate,
    _rated_evaluations,
    _unsolved_replies,
    cohort,
    ranking_method,
    sum_counts,
    urge_counts,
)


def _by_category(scope: ReportScope, counts: list[dict]) -> m.Table:
    rows = sum_counts(scope, counts, by="category")
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


def _by_area(scope: ReportScope, counts: list[dict]) -> m.Table:
    """One row for the congress itself and one per region directly below it."""
    width = len(scope.path) + PATH_SEGMENT
    rows = [
        {"area": area, **row}
        for area, row in sorted(sum_counts(scope, counts, by="area").items())
    ]
    evaluations = {
        row["area"]: row
        for row in _rated_evaluations()
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
    unsolved = Q(Exists(_unsolved_replies(scope).filter(assignment=OuterRef("pk"))))
    lead_rating = _rated_evaluations().filter(
        suggestion=OuterRef("suggestion"), mandate=OuterRef("suggestion__lead")
    )
    content = Q(Exists(lead_rating.filter(result__in=CONTENT)))
    codes = _categories(scope)
    by_category = {
        f"cat_{c}": Count(
            "pk",
            filter=answering
            & Q(
                Exists(_latest_replies().filter(assignment=OuterRef("pk"), category=c))
            ),
        )
        for c in codes
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
            solved=Count("pk", filter=answering & has_reply & content & ~unsolved),
            evaluated=Count("pk", filter=answering & Q(Exists(lead_rating))),
            content=Count("pk", filter=answering & content),
            **by_category,
        )
        .order_by("unit__region__path", "unit__name")[:UNIT_LIMIT]
    )
    urges = {
        row["assignment__unit_id"]: row
        for row in Urge.objects.filter(assignment__in=live.values("pk"))
        .values("assignment__unit_id")
        .annotate(**urge_counts())
        .order_by()
    }
    solved_codes = [
        c for c in codes if categories.outcome_of(scope.congress, c) == "solved"
    ]
    method = ranking_method(scope)
    table_rows = []
    for row in rows:
        replied = row["replied"]
        unit_urges = urges.get(row["unit_id"], {})
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
                    sum(row[f"cat_{c}"] for c in solved_codes),
                    sum(row[f"cat_{c}"] for c in codes),
                ),
                "evaluated": row["evaluated"],
                "satisfaction_rate": _rate(row["content"], row["evaluated"]),
                "satisfaction_bound": wilson_lower_bound(
                    row["content"], row["evaluated"], method.z
                ),
                "on_time_bound": wilson_lower_bound(
                    row["on_time"], replied + row["overdue_unreplied"], method.z
                ),
                "solved_rate": _rate(row["solved"], replied),
                "urges": unit_urges.get("n", 0),
                "urges_staff": unit_urges.get("staff", 0),
                "urges_deputy": unit_urges.get("deputy", 0),
                "overdue": row["overdue"],
            }
        )
    rank_units(table_rows, method.minimum)
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
            m.Column("satisfaction_bound", _("满意率置信下限（排名依据）"), m.RATE),
            m.Column("solved_rate", _("办成率"), m.RATE),
            m.Column("urges", _("催办次数"), m.COUNT),
            m.Column("urges_staff", _("其中人大工作人员催办"), m.COUNT),
            m.Column("urges_deputy", _("其中代表催办"), m.COUNT),
            m.Column("overdue", _("逾期未办"), m.COUNT),
        ],
        rows=table_rows,
        note=" ".join(
            [
                str(method.sentence),
                _(
                    "各项比率的口径与本节主要指标相同，按单位的交办计算；"
                    "催办次数按催办人分为人大工作人员催办和代表催办。"
                ),
            ]
        ),
    )
    return table, overdue_total


def rank_units(rows: list[dict], minimum: int) -> None:
    """Order units for the ranking and number the ranked ones (ties share a
    place): by the lower bound of the satisfaction rate's Wilson interval
    (``satisfaction_bound``), then that of the on-time rate, then volume. Units
    answering fewer than ``minimum`` items are listed after, unranked."""

    def key(row):
        sat, on_time = row["satisfaction_bound"], row["on_time_bound"]
        return (
            sat is None,
            -(sat or 0),
            on_time is None,
            -(on_time or 0),
            -row["answering"],
            row["unit"],
        )

    ranked = sorted((r for r in rows if r["answering"] >= minimum), key=key)
    others = sorted((r for r in rows if r["answering"] < minimum), key=key)
    place, previous = 0, None
    for index, row in enumerate(ranked, start=1):
        current = (row["satisfaction_bound"], row["on_time_bound"])
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


def _outcomes(c: dict[str, Any]) -> m.Table:
    """办理一件、解决一类: how many answers solved a case, issued a policy or set
    up a mechanism (as the unit or the staff recorded it)."""
    rows = [
        {"outcome": label, "count": c[f"outcome_{value}"]}
        for value, label in Suggestion.Outcome.choices
    ]
    return m.Table(
        key="outcomes",
        title=_("办理成果类型"),
        columns=[
            m.Column("outcome", _("成果类型")),
            m.Column("count", _("件数"), m.COUNT),
        ],
        rows=rows,
        note=_("承办单位答复时或人大工作人员记录的办理成果；未记录的不计入。"),
    )


def _bills(bills: dict[str, Any]) -> m.Table:
    """Bills by the presidium's decision and the vote, apart from suggestions."""
    labels = dict(Suggestion.Status.choices)
    rows = [
        {"state": labels[state], "count": bills[f"s_{state}"]} for state in BILL_STATES
    ]
    rows.append({"state": _("不列入议程，作为建议处理"), "count": bills["converted"]})
    return m.Table(
        key="bills",
        title=_("议案处理情况"),
        columns=[m.Column("state", _("状态")), m.Column("count", _("件数"), m.COUNT)],
        rows=rows,
        total=bills["total"],
        note=_("议案由主席团决定，单独统计；转为建议处理的同时计入建议办理各项指标。"),
    )
