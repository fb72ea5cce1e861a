"""Cohorts, definitions and the aggregate counts of the section "议案建议办理"
(shared by the section, its tables and the dashboard card)."""

from __future__ import annotations

from dataclasses import dataclass
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
    SuggestionEvent,
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


@dataclass(frozen=True)
class RankingMethod:
    """How the units' ranking ranks, from the scope congress's rules."""

    minimum: int
    confidence: int
    z: float

    @property
    def sentence(self) -> str:
        """The sentence the report prints under the ranking, with the rule values."""
        return _(
            "排名方法：按满意率的威尔逊置信区间下限（置信水平%(confidence)s%%，"
            "z=%(z)s）由高到低排名，下限相同的再依次按按期办复率的置信下限、"
            "主办（分办）件数排列；已评价件数越少，下限越低，少量件数的高满意率"
            "不会排在大量件数的相近满意率之前。主办（分办）件数少于%(minimum)s件的"
            "单位不参与排名，列于表末（规则“参与承办单位排名的最少主办（分办）件数”"
            "“承办单位排名所用置信水平”）。"
        ) % {
            "confidence": self.confidence,
            "z": f"{self.z:.2f}",
            "minimum": self.minimum,
        }


def ranking_method(scope: ReportScope) -> RankingMethod:
    """Units with fewer answering assignments than ``ranking_min_volume`` are
    listed but not ranked, and the ranked ones are ordered by the lower bound of
    a rate's Wilson interval at ``ranking_confidence_percent`` (rules): a rate
    over two items says little next to one over two hundred."""
    rules = rules_for(scope.congress)
    confidence = rules.ranking_confidence_percent
    return RankingMethod(
        minimum=rules.ranking_min_volume,
        confidence=confidence,
        z=m.z_for_confidence(confidence),
    )


def urge_counts() -> dict[str, Any]:
    """Urges counted in all and by who urged (``aggregate``/``annotate`` kwargs)."""
    return {
        "n": Count("pk"),
        "staff": Count("pk", filter=Q(by_role=Urge.ByRole.STAFF)),
        "deputy": Count("pk", filter=Q(by_role=Urge.ByRole.DEPUTY)),
    }


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
        "逾期未评价（含按规则视为基本满意）的不计入，单独统计。评价提交后不能修改："
        "回访发现代表实际不满意的，评价仍按代表所评计入，另见“回访发现不满意”；"
        "重新办理后以新一轮的评价为准。"
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
    "callbacks": gettext_lazy(
        "统计期间提交的建议中，被随机抽取回访的“满意”“基本满意”评价数（抽查回访，"
        "防止“被满意”）。"
    ),
    "callback_unsatisfied_rate": gettext_lazy(
        "回访发现代表实际不满意的评价数 ÷ 已记录回访结论的评价数（抽查回访并记录了"
        "“评价属实”或“代表实际不满意”的；只有回访情况、未记录结论的不计入）。"
    ),
    "callback_rehandled": gettext_lazy(
        "因回访发现领衔代表实际不满意，由本级人大工作人员交承办单位重新办理的件数"
        "（按件计，同时计入“重新办理”）。"
    ),
    "urges": gettext_lazy(
        "对交办的催办次数，按催办人分为人大工作人员催办和领衔代表催办；"
        "平台启用催办人记录前的催办，由领衔代表本人账号发出的计为代表催办，其余计为"
        "人大工作人员催办。"
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
    reopened = SuggestionEvent.objects.filter(
        suggestion=OuterRef("pk"), action="rehandle_callback"
    )
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
        "callback_rehandled": Count("pk", filter=Q(Exists(reopened))),
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
