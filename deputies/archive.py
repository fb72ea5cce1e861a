"""The performance archive (履职档案) of a mandate and year, built from the ledger.

Totals and rankings are computed in the database (aggregation and window
functions), never by looping over rows in Python.

A mandate is ranked within its congress (the deputies of its term), each of its
deputy groups and each liaison station it was grouped into that year (the
stations app adds those through ``portal.registry.register_ranking_scopes``).
Groups and stations hold deputies of several levels; points are comparable only
where they were counted from the same points table, so a ranking keeps the
deputies whose congress's points table (rule ``points``) is the mandate's own
and says how many it left out. A person holding mandates at several levels gets
one archive per mandate, each ranked among its own kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, IntegerField, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank

from portal.models import Congress
from portal.registry import ranking_scopes
from portal.rules import rules_for_many

from .models import GroupMembership, LedgerEntry, Mandate


@dataclass
class Ranking:
    scope_name: str
    rank: int | None
    size: int
    kind: str = "congress"
    # Deputies of the scope left out: their congress counts points by another table.
    excluded: int = 0


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
            Sum("ledger__points", filter=Q(ledger__year=year)),
            Value(0),
            output_field=IntegerField(),
        )
    )


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


class PointsTables:
    """The effective points tables of congresses, read once per archive page."""

    def __init__(self) -> None:
        self._tables: dict[int, dict[str, Any]] = {}

    def of(self, congress_ids: set[int]) -> dict[int, dict[str, Any]]:
        missing = congress_ids - self._tables.keys()
        if missing:
            congresses = Congress.objects.filter(pk__in=missing).select_related(
                "region"
            )
            for pk, rules in rules_for_many(congresses).items():
                self._tables[pk] = rules.points
        return {pk: self._tables[pk] for pk in congress_ids}


def comparable(mandate: Mandate, peers, tables: PointsTables) -> tuple[Any, int]:
    """``peers`` narrowed to the deputies whose congress counts points by the
    same table as ``mandate``'s, and how many were left out (one query when
    every peer belongs to the mandate's congress)."""
    sizes = dict(
        peers.values("congress_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("congress_id", "n")
    )
    if set(sizes) <= {mandate.congress_id}:
        return peers, 0
    found = tables.of({*sizes, mandate.congress_id})
    own = found[mandate.congress_id]
    same = [pk for pk in sizes if found[pk] == own]
    excluded = sum(n for pk, n in sizes.items() if pk not in same)
    return peers.filter(congress_id__in=same), excluded


def _ranking(
    mandate: Mandate,
    peers,
    year: int,
    *,
    name: str,
    kind: str,
    tables: PointsTables,
) -> Ranking:
    kept, excluded = comparable(mandate, peers, tables)
    rank, size = rank_among(mandate, kept, year)
    return Ranking(scope_name=name, rank=rank, size=size, kind=kind, excluded=excluded)


def performance_archive(
    mandate: Mandate, year: int, *, tables: PointsTables | None = None
) -> Archive:
    """Ledger, totals by kind and rankings (congress, each group, each station)
    for one year; ``tables`` shares the points tables read between the archives
    of one page."""
    tables = tables or PointsTables()
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
    # One congress, one term: one points table.
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
        archive.rankings.append(
            _ranking(
                mandate,
                members,
                year,
                name=membership.group.name,
                kind="group",
                tables=tables,
            )
        )
    for scope in ranking_scopes(mandate, year):
        archive.rankings.append(
            _ranking(
                mandate,
                scope.peers,
                year,
                name=scope.name,
                kind=scope.kind,
                tables=tables,
            )
        )
    return archive
