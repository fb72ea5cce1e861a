"""Read models of commendations, shared by the pages and the API; the public
notice passes the one privacy scrub."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from deputies.archive import zero_performance
from deputies.models import Mandate
from deputies.querysets import governed_congresses
from portal.privacy import scrub_public
from portal.rules import rules_for

from .models import Campaign, CampaignEvent, Nomination, ZeroPerformanceStep
from .policies import CampaignPolicy, ZeroStepPolicy
from .services import zero_years


def campaigns(user: Any) -> QuerySet[Campaign]:
    """The campaigns the user reads, with their counts (one query per page)."""
    return (
        Campaign.objects.visible_to(user)
        .select_related("congress")
        .annotate(
            nomination_count=Count("nominations", distinct=True),
            awarded_count=Count(
                "nominations",
                distinct=True,
                filter=Q(nominations__status=Nomination.Status.AWARDED),
            ),
        )
        .order_by("-year", "-id")
    )


def _nominations() -> QuerySet[Nomination]:
    return Nomination.objects.select_related(
        "mandate__person", "suggestion", "unit", "station"
    ).order_by("id")


def campaign_detail(user: Any, campaign: Campaign) -> dict[str, Any]:
    """The campaign's page: nominations, timeline, what the user may do."""
    return {
        "campaign": campaign,
        "kind_label": gettext(
            rules_for(campaign.congress).commendation_kinds.get(
                campaign.kind, campaign.kind
            )
        ),
        "nominations": list(_nominations().filter(campaign=campaign)),
        "events": list(
            CampaignEvent.objects.filter(campaign=campaign).select_related("actor")
        ),
        **CampaignPolicy.flags(user, campaign),
    }


def public_campaigns() -> QuerySet[Campaign]:
    """Published results (公示/公布) for the public site."""
    return (
        Campaign.objects.published()
        .select_related("congress")
        .order_by("-published_at", "-id")
    )


def public_awards(campaign: Campaign) -> list[dict[str, Any]]:
    """The awarded nominees of a published campaign, public fields only."""
    rows = _nominations().filter(campaign=campaign, status=Nomination.Status.AWARDED)
    return [
        {"name": scrub_public(n.name), "basis": scrub_public(n.basis)} for n in rows
    ]


def own_awards(user: Any) -> QuerySet[Nomination]:
    """The published awards of the user's mandates, units and stations."""
    return (
        Nomination.objects.own_awards(user)
        .select_related("campaign__congress", "unit", "station", "mandate__person")
        .order_by("-campaign__year", "-id")
    )


def zero_performance_rows(user: Any, year: int) -> QuerySet[Mandate]:
    """Active deputies of the congresses the user governs with no ledger row in
    ``year``, with the talks recorded for that year (two queries a page)."""
    return (
        zero_performance(
            Mandate.objects.filter(congress__in=governed_congresses(user)), year
        )
        .select_related("person", "congress__region", "term")
        .prefetch_related(
            Prefetch(
                "zero_performance_steps",
                queryset=ZeroPerformanceStep.objects.filter(year=year),
                to_attr="steps_of_year",
            )
        )
        .order_by("congress__region__path", "name_stroke_key", "id")
    )


def zero_mandate_detail(user: Any, mandate: Mandate, year: int) -> dict[str, Any]:
    return {
        "mandate": mandate,
        "year": year,
        "zero_years": zero_years(mandate, year),
        "steps": list(
            ZeroPerformanceStep.objects.visible_to(user)
            .filter(mandate=mandate)
            .select_related("recorded_by")
        ),
        **ZeroStepPolicy.flags(user, mandate),
    }


# --- the API -----------------------------------------------------------------------


def campaigns_for_api(user: Any) -> QuerySet[Campaign]:
    """Campaigns in scope with their nominations (two queries a page)."""
    return (
        Campaign.objects.visible_to(user)
        .select_related("congress")
        .prefetch_related(
            Prefetch("nominations", queryset=Nomination.objects.order_by("id"))
        )
        .order_by("-id")
    )


def public_campaigns_for_api() -> QuerySet[Campaign]:
    """Published campaigns with their awarded nominees (two queries a page)."""
    return (
        Campaign.objects.published()
        .select_related("congress")
        .prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.filter(
                    status=Nomination.Status.AWARDED
                ).order_by("id"),
                to_attr="awarded_rows",
            )
        )
        .order_by("-id")
    )


def scrub_awards(rows: list[Nomination]) -> list[dict[str, Any]]:
    """Public fields of awarded nominees, through the privacy scrub."""
    return [
        {"name": scrub_public(n.name), "basis": scrub_public(n.basis)} for n in rows
    ]
