"""Cohorts, definitions and the aggregate counts of the section "议案建议办理"
(shared by the section, its tables and the dashboard card)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.reports import model as m
from portal.reports.model import ReportScope
from portal.rules import rules_for

from .. import categories
from ..models import (
    Assignment,
    Commitment,
    Contact,
    Evaluation,
    Reply,
    Suggestion,
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
# Bills (议案) are decided by the presidium, not handled by units: counted apart.
BILL_STATES = [
    S.SUBMITTED,
    S.COMMITTEE_REVIEW,
    S.ON_AGENDA,
    S.ADOPTED,
    S.NOT_ADOPTED,
    S.WITHDRAWN,
]


def _categories(scope: ReportScope) -> list[str]:
    """The reply category codes of the scope's congress (rule ``reply_categories``)."""
    return categories.codes(rules_for(scope.congress))


def _min_ranked_volume(scope: ReportScope) -> int:
    """Units with fewer answering assignments are listed but not ranked (rule
    ``ranking_min_volume``): a rate over two items says little next to one over
    two hundred."""
    return rules_for(scope.congress).ranking_min_volume


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
        "逾期未评价（含按规则视为基本满意）的不计入，单独统计。"
    ),
    "attitude_rate": gettext_lazy(
        "领衔代表评价办理态度为“满意”或“基本满意”的件数 ÷ 已评价件数。"
    ),
    "solved_rate": gettext_lazy(
        "问题已办成的件数 ÷ 已答复件数。办成：领衔代表最近一次对办理结果评价为"
        "“满意”或“基本满意”（不含逾期视为评价），且各答复单位最近一次答复为"
        "已解决类（A），或为正在解决、列入计划类（B、C）且承诺事项均经代表确认落实。"
    ),
    "closed_rate": gettext_lazy("已办结件数 ÷ 交办件数。"),
    "commitment_rate": gettext_lazy(
        "经代表确认（回执）已落实的承诺事项 ÷ 承诺事项总数（B类、C类答复中的承诺）。"
    ),
}


def _submitted(scope: ReportScope) -> QuerySet:
    since, until = scope.period.bounds()
    return Suggestion.objects.filter(
        scope.within("region_path"), submitted_at__gte=since, submitted_at__lt=until
    )


def cohort(scope: ReportScope) -> QuerySet:
    """Suggestions submitted in the period within the scope (with bills the
    presidium did not put on the agenda, now handled as suggestions)."""
    return _submitted(scope).filter(kind=Suggestion.Kind.SUGGESTION)


def bill_cohort(scope: ReportScope) -> QuerySet:
    """Bills submitted in the period within the scope, counted apart."""
    return _submitted(scope).filter(
        Q(kind=Suggestion.Kind.BILL) | Q(converted_from_bill=True)
    )


def _latest_replies() -> QuerySet:
    """Replies that are the latest of their (live) assignment."""
    later = Reply.objects.filter(
        assignment=OuterRef("assignment"), round__gt=OuterRef("round")
    )
    return Reply.objects.filter(~Exists(later)).exclude(
        assignment__status=Assignment.Status.RETURNED
    )


def _unsolved_replies(scope: ReportScope) -> QuerySet:
    """Latest replies that do not (yet) solve the matter, by the rule's canonical
    outcomes: an explanation (D), or in progress / planned (B, C) with a
    commitment the deputy has not confirmed (回执)."""
    unconfirmed = Commitment.objects.filter(
        reply=OuterRef("pk"), confirmed_at__isnull=True
    )
    solved = categories.codes_with(scope.congress, categories.SOLVED)
    promised = categories.codes_with(scope.congress, *categories.WITH_COMMITMENTS)
    return _latest_replies().filter(
        ~Q(category__in=solved + promised)
        | (Q(category__in=promised) & Q(Exists(unconfirmed)))
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


def _rated_evaluations() -> QuerySet:
    """The leads' latest ratings they gave themselves (not deemed by the rule)."""
    return _latest_lead_evaluations().filter(deemed=False)


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
    unsolved = _unsolved_replies(scope).filter(assignment__suggestion=OuterRef("pk"))
    content = _rated_evaluations().filter(suggestion=OuterRef("pk"), result__in=CONTENT)
    return {
        "received": Count("pk"),
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
        # 办成 follows the deputy's rating, not the unit's label alone.
        "solved": Count(
            "pk", filter=replied & Q(Exists(content)) & ~Q(Exists(unsolved))
        ),
        "unrated": Count("pk", filter=Q(evaluation_lapsed_at__isnull=False)),
        **{
            f"outcome_{value}": Count("pk", filter=Q(outcome_type=value))
            for value in Suggestion.Outcome.values
        },
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


def cohort_counts(scope: ReportScope) -> list[dict[str, Any]]:
    """The cohort's conditional counts per category and area (the region directly
    below the scope, or the scope itself), in one query: the section's totals,
    its category table and its area table are sums of these few hundred rows."""
    width = len(scope.path) + PATH_SEGMENT
    return list(
        cohort(scope)
        .annotate(area=Substr("region_path", 1, width))
        .values("category", "area")
        .annotate(**_suggestion_counts(scope))
        .order_by()
    )


def sum_counts(
    scope: ReportScope, rows: list[dict[str, Any]], by: str | None = None
) -> dict[Any, dict[str, int]]:
    """``cohort_counts`` rows added up per value of ``by`` (None: one total, key None)."""
    names = (
        [k for k in rows[0] if k not in ("category", "area")]
        if rows
        else list(_suggestion_counts(scope))
    )
    sums: dict[Any, dict[str, int]] = {}
    if by is None:
        sums[None] = dict.fromkeys(names, 0)
    for row in rows:
        group = sums.setdefault(row[by] if by else None, dict.fromkeys(names, 0))
        for name in names:
            group[name] += row[name]
    return sums


def key_rates(
    scope: ReportScope, counts: list[dict[str, Any]] | None = None
) -> dict[str, m.Metric]:
    """The headline rates (two queries, one when ``cohort_counts`` are given):
    used by the section and the dashboard card."""
    if counts is None:
        c = cohort(scope).aggregate(**_suggestion_counts(scope))
    else:
        c = sum_counts(scope, counts)[None]
    e = (
        _rated_evaluations()
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
