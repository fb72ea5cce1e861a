"""The performance archive (履职档案) of a mandate and year, built from the ledger.

Totals and rankings are computed in the database (aggregation and window
functions), never by looping over rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank

from .models import GroupMembership, LedgerEntry, Mandate


@dataclass
class Ranking:
    scope_name: str
    rank: int | None
    size: int


@dataclass
class Archive:
    mandate: Mandate
    year: int
    total: int
    entries: list[LedgerEntry]
    by_kind: list[dict]
    rankings: list[Ranking] = field(default_factory=list)

    @property
    def is_zero_performance(self) -> bool:
        return not self.entries


def annotate_year_points(queryset, year: int):
    """Mandates with ``points`` = their ledger total for ``year`` (0 when none)."""
    return queryset.annotate(
        points=Coalesce(
            Sum("ledger__points", filter=models_q_year(year)),
            Value(0),
            output_field=IntegerField(),
        )
    )


def models_q_year(year: int):
    from django.db.models import Q

    return Q(ledger__year=year)


def rank_among(mandate: Mandate, candidates, year: int) -> tuple[int | None, int]:
    """Rank (1 = most points, ties share a rank) of ``mandate`` among ``candidates``."""
    ranked = (
        annotate_year_points(candidates, year)
        .annotate(rank=Window(expression=Rank(), order_by=F("points").desc()))
        .values_list("pk", "rank")
    )
    rows = dict(ranked)
    return rows.get(mandate.pk), len(rows)


def zero_performance(queryset, year: int):
    """Active mandates with no ledger row in ``year`` (零履职)."""
    return queryset.active().exclude(ledger__year=year)


def performance_archive(mandate: Mandate, year: int) -> Archive:
    """Ledger, totals by kind and rankings (congress, each group) for one year."""
    entries = list(mandate.ledger.filter(year=year).order_by("-occurred_on", "-id"))
    by_kind = list(
        mandate.ledger.filter(year=year)
        .values("kind")
        .annotate(points=Sum("points"), count=Count("id"))
        .order_by("kind")
    )
    archive = Archive(
        mandate=mandate,
        year=year,
        total=sum(e.points for e in entries),
        entries=entries,
        by_kind=by_kind,
    )
    peers = Mandate.objects.filter(term=mandate.term).exclude(
        status=Mandate.Status.TERMINATED
    )
    rank, size = rank_among(mandate, peers, year)
    archive.rankings.append(
        Ranking(scope_name=mandate.congress.name, rank=rank, size=size)
    )
    for membership in GroupMembership.objects.filter(mandate=mandate).select_related(
        "group"
    ):
        members = Mandate.objects.filter(memberships__group=membership.group)
        rank, size = rank_among(mandate, members, year)
        archive.rankings.append(
            Ranking(scope_name=membership.group.name, rank=rank, size=size)
        )
    return archive
