"""The deputies report's figures of issue 16 (organs): organ-contact coverage
and 列席 coverage, each a rate with its numerator and denominator, and the
organs' plans of the period's years with their progress.

Counted over the current deputies of the report (``reports.current_mandates``),
active ones only; database aggregates, no loop over mandates.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from portal.models import Congress
from portal.reports import model as m
from portal.reports.model import ReportScope

from .organ_models import MeetingInvitation, OrganContact, OrganContactPlan
from .organ_selectors import plans_with_progress, progress_row


def build(scope: ReportScope, current) -> tuple[list[m.Metric], list[m.Table]]:
    """``current`` is the report's current-mandates queryset."""
    active = current.active()
    # Semi-joins as ``IN (SELECT mandate_id …)``, not correlated EXISTS: inside
    # an aggregate's FILTER an EXISTS is probed once per mandate (1.2 s for a
    # province's 145,000), an uncorrelated IN is hashed once (issue 14).
    contacted = OrganContact.participants.through.objects.filter(
        organcontact__date__range=scope.period.dates,
    ).values("mandate_id")
    invited = MeetingInvitation.objects.filter(
        meeting__term_id=F("mandate__term_id")
    ).values("mandate_id")
    above = ~Q(congress__level=Congress.Level.TOWNSHIP)
    # One aggregate for both coverages (the report's query budget).
    counts = active.aggregate(
        total=Count("pk"),
        contacted=Count("pk", filter=Q(pk__in=contacted)),
        frontline=Count("pk", filter=Q(pk__in=contacted, person__is_frontline=True)),
        above=Count("pk", filter=above),
        invited=Count("pk", filter=above & Q(pk__in=invited)),
    )
    contact_total, contact_n = counts["total"], counts["contacted"]
    frontline_n = counts["frontline"]
    invite_total, invite_n = counts["above"], counts["invited"]
    meeting_counts = MeetingInvitation.objects.filter(
        scope.within("meeting__congress__region__path"),
        meeting__date__range=scope.period.dates,
    ).aggregate(
        attended=Count("pk", filter=Q(status=MeetingInvitation.Status.ATTENDED)),
        answered=Count("pk", filter=~Q(status=MeetingInvitation.Status.INVITED)),
    )
    metrics = [
        m.rate(
            "organ_contact_coverage",
            _("国家机关联系代表覆盖率"),
            contact_n,
            contact_total,
            definition=_(
                "统计期间至少被一个国家机关（一府一委两院及政府部门）联系过的正常履职"
                "代表数 ÷ 正常履职的现有代表数。"
            ),
        ),
        m.rate(
            "organ_contact_frontline_share",
            _("被联系代表中一线代表占比"),
            frontline_n,
            contact_n,
            definition=_(
                "统计期间被国家机关联系过的正常履职代表中，一线代表（登记为“一线代表”的"
                "工人、农民和专业技术人员）数 ÷ 被联系过的正常履职代表数。"
            ),
        ),
        m.rate(
            "standing_meeting_coverage",
            _("列席常委会会议覆盖率（本届）"),
            invite_n,
            invite_total,
            definition=_(
                "本届任期内至少应邀列席过一次常委会会议的县级以上正常履职代表数 ÷ "
                "县级以上正常履职的现有代表数（乡镇人大不设常委会）。"
            ),
        ),
        m.rate(
            "standing_meeting_attendance",
            _("列席邀请到会率"),
            meeting_counts["attended"],
            meeting_counts["answered"],
            definition=_(
                "统计期间召开的常委会会议中，已列席的邀请数 ÷ 已答复或已登记出席情况的"
                "邀请数。"
            ),
        ),
    ]
    years = range(scope.period.dates[0].year, scope.period.dates[1].year + 1)
    plans = plans_with_progress(
        OrganContactPlan.objects.filter(
            scope.within("unit__region__path"), year__in=list(years)
        ).select_related("unit")
    ).order_by("year", "unit__region__path", "unit__name", "pk")[:200]
    rows = []
    for plan in plans:
        row = progress_row(plan, scope.today)
        rows.append(
            {
                "year": str(plan.year),
                "unit": plan.unit.name,
                "deputies": plan.deputy_count,  # type: ignore[attr-defined]
                "due": row["due"],
                "done": row["done"],
                "rate": m.ratio(row["done"], row["due"]),
                "behind": _("滞后") if row["behind"] else _("正常"),
            }
        )
    table = m.Table(
        "organ_plans",
        _("国家机关联系代表计划完成情况"),
        [
            m.Column("year", _("年度")),
            m.Column("unit", _("国家机关")),
            m.Column("deputies", _("计划联系代表"), m.COUNT),
            m.Column("due", _("全年应完成人次"), m.COUNT),
            m.Column("done", _("已联系人次"), m.COUNT),
            m.Column("rate", _("完成率"), m.RATE),
            m.Column("behind", _("进度")),
        ],
        rows,
        note=_("应完成人次 = 计划联系代表数 × 每人每年联系次数（规则集）。"),
    )
    return metrics, [table]
