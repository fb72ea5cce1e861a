"""Supervision report section "议案建议办理" and the staff dashboard card with its
key rates (DESIGN.md §8).

Every figure is one aggregate query over the suggestions received in the period
within the scope (conditional ``Count``s over ``Exists`` subqueries); nothing
loops over suggestions in Python. The cohort is the suggestions *submitted* in
the period; their handling is counted as it stands today.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from portal.reports import model as m
from portal.reports.model import ReportScope
from portal.rules import rules_for

from ..models import Commitment, Evaluation, Suggestion, Urge
from .common import (
    BILL_STATES,
    DEFINITIONS,
    HANDLED,
    _categories,
    _latest_replies,
    bill_cohort,
    cohort,
    cohort_counts,
    key_rates,
    urge_counts,
)
from .tables import (
    _bills,
    _by_area,
    _by_category,
    _key_items,
    _outcomes,
    _overdue,
    _units,
)

__all__ = [
    "DEFINITIONS",
    "bill_cohort",
    "build",
    "card_figures",
    "cohort",
    "dashboard_card",
    "key_rates",
]


def build(scope: ReportScope) -> m.Section:
    """议案建议办理: counts, rates with their definitions, units' ranking, overdue
    list and key-supervision progress."""
    counts = cohort_counts(scope)
    rates = key_rates(scope, counts)
    c, e = rates["counts"], rates["evaluations"]
    base = cohort(scope)
    codes = _categories(scope)
    replies = (
        _latest_replies()
        .filter(assignment__suggestion__in=base.filter(status__in=HANDLED).values("pk"))
        .aggregate(
            total=Count("pk"),
            **{c_: Count("pk", filter=Q(category=c_)) for c_ in codes},
        )
    )
    bills = bill_cohort(scope).aggregate(
        total=Count("pk"),
        converted=Count("pk", filter=Q(converted_from_bill=True)),
        **{
            f"s_{state}": Count("pk", filter=Q(status=state, kind=Suggestion.Kind.BILL))
            for state in BILL_STATES
        },
    )
    commitments = Commitment.objects.filter(
        reply__assignment__suggestion__in=base.values("pk")
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(confirmed_at__isnull=False)),
        overdue=Count(
            "pk", filter=Q(status=Commitment.Status.PENDING, due_date__lt=scope.today)
        ),
    )
    urges = Urge.objects.filter(assignment__suggestion__in=base.values("pk")).aggregate(
        **urge_counts(), suggestions=Count("assignment__suggestion", distinct=True)
    )
    callbacks = Evaluation.objects.filter(
        suggestion__in=base.values("pk"), callback_flagged=True
    ).aggregate(
        sampled=Count("pk"),
        found=Count("pk", filter=~Q(callback_finding="")),
        unsatisfied=Count(
            "pk", filter=Q(callback_finding=Evaluation.CallbackFinding.NOT_SATISFIED)
        ),
    )
    units, overdue_total = _units(scope)
    labels = dict(rules_for(scope.congress).reply_categories)
    metrics = [
        m.count(
            "received",
            _("收到建议"),
            c["received"],
            definition=_(
                "统计期间提交的建议（不含草稿），含主席团决定不列入议程、"
                "作为建议处理的议案%(n)s件。议案另行统计。"
            )
            % {"n": bills["converted"]},
        ),
        m.count(
            "bills",
            _("收到议案"),
            bills["total"],
            definition=_(
                "统计期间提交的议案（含不列入议程、转为建议处理的），由主席团决定，"
                "不计入建议办理的各项比率。"
            ),
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
            for cat in codes
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
            definition=_(
                "因代表不满意（含回访发现实际不满意）而进入第二轮及以后办理的件数。"
            ),
        ),
        m.count(
            "callbacks",
            _("抽查回访"),
            callbacks["sampled"],
            definition=DEFINITIONS["callbacks"],
        ),
        m.rate(
            "callback_unsatisfied_rate",
            _("回访发现不满意"),
            callbacks["unsatisfied"],
            callbacks["found"],
            definition=DEFINITIONS["callback_unsatisfied_rate"],
        ),
        m.count(
            "callback_rehandled",
            _("回访后重新办理"),
            c["callback_rehandled"],
            definition=DEFINITIONS["callback_rehandled"],
        ),
        m.count(
            "unrated",
            _("逾期未评价"),
            c["unrated"],
            definition=_(
                "代表在规定期限内未评价、按规则处理（办结为未评价或视为基本满意）的件数；"
                "不计入满意率。"
            ),
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
            definition=_(
                "对交办的催办次数；涉及%(n)s件议案建议，其中人大工作人员催办"
                "%(staff)s次、代表催办%(deputy)s次。"
            )
            % {
                "n": urges["suggestions"],
                "staff": urges["staff"],
                "deputy": urges["deputy"],
            },
        ),
        m.count(
            "urges_staff",
            _("人大工作人员催办"),
            urges["staff"],
            definition=DEFINITIONS["urges"],
        ),
        m.count(
            "urges_deputy",
            _("代表催办"),
            urges["deputy"],
            definition=DEFINITIONS["urges"],
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
                for cat in codes
            ],
            legend=tuple(labels[cat] for cat in codes),
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
            _by_category(scope, counts),
            _outcomes(c),
            _bills(bills),
            _by_area(scope, counts),
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
    return service.cached_card("suggestions", scope)


def card_figures(scope: ReportScope) -> dict:
    """The card's figures for ``scope`` (JSON-safe; kept as a snapshot)."""
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
