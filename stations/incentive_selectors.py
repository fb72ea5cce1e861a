"""Read models of activity funds and legislative consultation (issue 17),
shared by the pages and the API; public projections pass the privacy scrub."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from deputies.models import Activity
from portal.privacy import scrub_public

from .consultation_models import DraftComment, DraftEvent, LegislativeDraft
from .funds_models import FundBudget, FundEvent, FundSpending, wan_yuan
from .incentive_policies import DraftPolicy, FundPolicy, collecting_stations
from .models import Reception

_APPROVED = Q(spendings__status=FundSpending.Status.APPROVED)


def budgets(user: Any, year: int | None = None) -> QuerySet[FundBudget]:
    """Budgets in scope with their approved and pending spending (one query)."""
    rows = FundBudget.objects.visible_to(user).with_list_related()
    if year is not None:
        rows = rows.filter(year=year)
    return rows.annotate(
        spent_fen=Coalesce(
            Sum("spendings__amount_fen", filter=_APPROVED),
            Value(0),
            output_field=IntegerField(),
        ),
        pending_n=Count(
            "spendings",
            filter=Q(spendings__status=FundSpending.Status.SUBMITTED),
        ),
    ).order_by("-year", "region_path", "holder", "id")


def fund_totals(user: Any, year: int) -> list[dict[str, Any]]:
    """Budget vs spent per capita by kind of holder, for the report page:
    budget and spent in 万元, deputies covered, 人均预算 and 人均支出 in 元, and
    the execution rate (approved spending ÷ budget)."""
    rows = (
        FundBudget.objects.visible_to(user)
        .filter(year=year)
        .values("holder")
        .annotate(
            n=Count("pk", distinct=True),
            budget=Coalesce(Sum("amount_fen", distinct=False), Value(0)),
            deputies=Coalesce(Sum("deputy_count"), Value(0)),
        )
        .order_by("holder")
    )
    spent = dict(
        FundSpending.objects.visible_to(user)
        .filter(budget__year=year, status=FundSpending.Status.APPROVED)
        .values("budget__holder")
        .annotate(s=Sum("amount_fen"))
        .values_list("budget__holder", "s")
    )
    labels = dict(FundBudget.Holder.choices)
    out = []
    for row in rows:
        s = int(spent.get(row["holder"]) or 0)
        deputies = int(row["deputies"] or 0)
        out.append(
            {
                "holder": labels.get(row["holder"], row["holder"]),
                "budgets": row["n"],
                "budget_wan": wan_yuan(row["budget"]),
                "spent_wan": wan_yuan(s),
                "deputies": deputies,
                "budget_per_deputy": _per(row["budget"], deputies),
                "spent_per_deputy": _per(s, deputies),
                "execution": _percent(s, row["budget"]),
            }
        )
    return out


def _per(fen: int, deputies: int) -> Decimal | None:
    if not deputies:
        return None
    return (Decimal(fen) / 100 / deputies).quantize(Decimal("0.01"))


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(100 * numerator) / denominator).quantize(Decimal("0.1"))


def budget_detail(user: Any, budget: FundBudget) -> dict[str, Any]:
    spendings = list(
        FundSpending.objects.filter(budget=budget)
        .select_related("activity", "reception")
        .order_by("-date", "-id")
    )
    return {
        "budget": budget,
        "spendings": spendings,
        "events": list(FundEvent.objects.filter(budget=budget).select_related("actor")),
        **FundPolicy.flags(user, budget),
    }


def spending_links(budget: FundBudget) -> dict[str, Any]:
    """The activities and receptions a spending line of ``budget`` may link to."""
    activities = Activity.objects.filter(
        congress=budget.congress, date__year=budget.year
    )
    if budget.group_id:
        activities = activities.filter(group=budget.group)
    receptions = (
        Reception.objects.filter(station=budget.station, date__year=budget.year)
        if budget.station_id
        else Reception.objects.none()
    )
    return {
        "activities": activities.order_by("-date", "-id")[:200],
        "receptions": receptions.select_related("station").order_by("-date", "-id")[
            :200
        ],
    }


# --- legislative consultation ---------------------------------------------------------


def drafts(user: Any) -> QuerySet[LegislativeDraft]:
    return (
        LegislativeDraft.objects.visible_to(user)
        .select_related("congress")
        .annotate(
            station_n=Count("stations", distinct=True),
            comment_n=Count("comments", distinct=True),
        )
        .order_by("-closes_on", "-id")
    )


def draft_detail(user: Any, draft: LegislativeDraft) -> dict[str, Any]:
    comments = list(
        DraftComment.objects.visible_to(user)
        .filter(draft=draft)
        .select_related("station", "mandate__person", "reception")
        .order_by("station__name", "id")
    )
    counts = dict.fromkeys(DraftComment.Adoption.values, 0)
    for c in comments:
        counts[c.adoption] += 1
    return {
        "draft": draft,
        "stations": list(draft.stations.all()),
        "comments": comments,
        "counts": counts,
        "events": list(DraftEvent.objects.filter(draft=draft).select_related("actor")),
        "collecting_stations": collecting_stations(user, draft),
        **DraftPolicy.flags(user, draft),
    }


def public_drafts() -> QuerySet[LegislativeDraft]:
    return (
        LegislativeDraft.objects.public()
        .select_related("congress")
        .order_by("-closes_on", "-id")
    )


_ADOPTED = [DraftComment.Adoption.ADOPTED, DraftComment.Adoption.PARTLY]


def public_adopted(comments) -> list[dict[str, Any]]:
    """Adopted comments as the public sees them: content only, scrubbed."""
    return [
        {
            "article": scrub_public(c.article),
            "content": scrub_public(c.content),
            "adoption": str(c.get_adoption_display()),
            "note": scrub_public(c.adoption_note),
            "station": c.station.name,
        }
        for c in comments
    ]


def public_drafts_for_api() -> QuerySet[LegislativeDraft]:
    """Public drafts with their adopted comments (two queries a page)."""
    return (
        public_drafts()
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=DraftComment.objects.filter(adoption__in=_ADOPTED)
                .select_related("station")
                .order_by("id"),
                to_attr="adopted_rows",
            )
        )
        .order_by("-id")
    )


def public_draft(draft: LegislativeDraft) -> dict[str, Any]:
    """A draft on the public site: its text, stations and, once the feedback is
    published, the adopted comments (content only, scrubbed, no names)."""
    adopted: list[dict[str, Any]] = []
    if draft.status == LegislativeDraft.Status.FEEDBACK:
        adopted = public_adopted(
            draft.comments.filter(adoption__in=_ADOPTED)
            .select_related("station")
            .order_by("id")
        )
    return {
        "draft": draft,
        "stations": list(draft.stations.filter(status="active")),
        "adopted": adopted,
        "feedback": scrub_public(draft.feedback),
        "text": scrub_public(draft.text),
        "explanation": scrub_public(draft.explanation),
        "comment_n": draft.comments.count(),
    }


def station_page_extras(station: Any) -> dict[str, Any]:
    """What the public station page adds: honours and drafts open for comments
    through this station (two queries)."""
    from .consultation_models import StationHonour

    return {
        "honours": list(
            StationHonour.objects.filter(station=station).select_related("awarded_by")
        ),
        "open_drafts": list(
            LegislativeDraft.objects.filter(
                stations=station, status=LegislativeDraft.Status.OPEN
            ).order_by("closes_on", "id")
        ),
    }
