"""The report as data: what a section builder returns and every renderer reads.

A section is a list of headline metrics (each rate with its numerator, its
denominator and the sentence that defines it), tables and charts. HTML, Excel
and PDF are all drawn from the same objects, so the three always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from math import sqrt
from statistics import NormalDist
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .periods import Period

# Kinds of values; the renderers format and type cells by kind.
COUNT = "count"
RATE = "rate"
MONEY = "money"
NUMBER = "number"
TEXT = "text"
DATE = "date"

EMPTY = "—"

Number = int | float | Decimal


def ratio(numerator: Number | None, denominator: Number | None) -> float | None:
    """numerator ÷ denominator, or None when the denominator is zero or missing."""
    if not denominator or numerator is None:
        return None
    return float(numerator) / float(denominator)


def z_for_confidence(percent: int) -> float:
    """The two-sided normal quantile of a confidence level, to two places
    (95 → 1.96, 90 → 1.64, 99 → 2.58)."""
    return round(NormalDist().inv_cdf(0.5 + percent / 200), 2)


def wilson_lower_bound(successes: Number, n: Number, z: float) -> float | None:
    """The lower bound of the Wilson score interval of ``successes`` out of
    ``n`` (None when ``n`` is 0): a rate that accounts for its volume, so 5 of 5
    (0.566 at z = 1.96) ranks below 198 of 200 (0.964)."""
    if not n:
        return None
    n, p = float(n), float(successes) / float(n)
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z2 / n))


@dataclass
class Metric:
    """One headline figure. A rate keeps its numerator and denominator."""

    key: str
    label: Any
    value: Number | None
    kind: str = COUNT
    numerator: Number | None = None
    denominator: Number | None = None
    definition: Any = ""
    unit: Any = ""

    @property
    def display(self) -> str:
        return format_value(self.value, self.kind)


def count(
    key: str, label: Any, value: Number | None, *, definition: Any = "", unit: Any = ""
) -> Metric:
    return Metric(
        key=key,
        label=label,
        value=value or 0,
        kind=COUNT,
        definition=definition,
        unit=unit,
    )


def rate(
    key: str, label: Any, numerator: Number, denominator: Number, *, definition: Any
) -> Metric:
    """A rate metric; its value is None (shown "—") when the denominator is zero."""
    return Metric(
        key=key,
        label=label,
        value=ratio(numerator, denominator),
        kind=RATE,
        numerator=numerator or 0,
        denominator=denominator or 0,
        definition=definition,
    )


def money(
    key: str, label: Any, value: Decimal | None, *, definition: Any = ""
) -> Metric:
    return Metric(
        key=key,
        label=label,
        value=value or Decimal("0"),
        kind=MONEY,
        definition=definition,
        unit=_("万元"),
    )


@dataclass
class Column:
    key: str
    label: Any
    kind: str = TEXT


@dataclass
class Table:
    """Rows are dicts keyed by column key. ``total`` is the size of the full
    list when only the first rows are kept (long lists such as overdue items)."""

    key: str
    title: Any
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: Any = ""
    total: int | None = None

    @property
    def truncated(self) -> bool:
        return self.total is not None and self.total > len(self.rows)


@dataclass
class ChartItem:
    label: Any
    value: Number | None
    tone: str = ""
    note: Any = ""


@dataclass
class Chart:
    """``bars``: one horizontal bar per item; ``stack``: one 100% bar split into
    the items (shares); ``pairs``: for each item two bars (value and ``other``)."""

    key: str
    title: Any
    kind: str
    items: list[ChartItem]
    value_kind: str = COUNT
    legend: tuple[Any, ...] = ()


@dataclass
class Section:
    key: str
    title: Any
    metrics: list[Metric] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)

    def metric(self, key: str) -> Metric:
        for metric in self.metrics:
            if metric.key == key:
                return metric
        raise KeyError(key)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    @property
    def definitions(self) -> list[Metric]:
        return [m for m in self.metrics if m.definition]


@dataclass
class Report:
    """A whole report, stamped with scope, period, time and author."""

    congress_id: int
    congress_name: str
    scope_description: str
    period: Period
    generated_at: datetime
    generated_by: str
    sections: list[Section]

    @property
    def title(self) -> str:
        return str(
            _("%(congress)s%(period)s代表工作监督报告")
            % {"congress": self.congress_name, "period": self.period.label}
        )

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def format_value(value: Any, kind: str) -> str:
    """How a value reads on the page and in the PDF ("—" for no value)."""
    if value is None or value == "":
        return EMPTY
    if kind == RATE:
        return f"{float(value) * 100:.1f}%"
    if kind == MONEY:
        return f"{Decimal(value):,.2f}"
    if kind == NUMBER:
        return f"{float(value):,.1f}"
    if kind == COUNT:
        return f"{int(value):,}"
    if kind == DATE and isinstance(value, date | datetime):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


@dataclass(frozen=True)
class ReportScope:
    """What a section builder reports on: a congress's region and every region
    below it (``path`` prefix), over ``period``, as of ``today``."""

    congress: Any
    period: Period
    today: date

    @property
    def path(self) -> str:
        return self.congress.region.path

    def within(self, lookup: str):
        """Q for rows whose region path (``lookup``) lies in the scope."""
        from django.db.models import Q

        return Q(**{f"{lookup}__startswith": self.path})

    @property
    def until_today(self) -> date:
        """The last day that has happened within the period (for "past due" counts)."""
        return min(self.period.end, self.today)


# --- storing a computed report (the report page answers from it) ---------------------


def _dump(value: Any) -> Any:
    """JSON-safe form of a report value; dates and decimals keep their type."""
    if isinstance(value, dict):
        return {str(k): _dump(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_dump(v) for v in value]
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # translated labels (lazy strings) in the current language


def _load(value: Any) -> Any:
    if isinstance(value, list):
        return [_load(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, raw),) = value.items()
            if tag == "$decimal":
                return Decimal(raw)
            if tag == "$datetime":
                return datetime.fromisoformat(raw)
            if tag == "$date":
                return date.fromisoformat(raw)
        return {k: _load(v) for k, v in value.items()}
    return value


def report_to_data(report: Report) -> dict[str, Any]:
    """The report as JSON-safe data, its labels translated in the active language."""
    from dataclasses import asdict

    return _dump(asdict(report))


def report_from_data(data: dict[str, Any]) -> Report:
    """The report stored by ``report_to_data``."""
    raw = _load(data)
    sections = [
        Section(
            key=s["key"],
            title=s["title"],
            metrics=[Metric(**metric) for metric in s["metrics"]],
            tables=[
                Table(**{**t, "columns": [Column(**c) for c in t["columns"]]})
                for t in s["tables"]
            ],
            charts=[
                Chart(
                    **{
                        **c,
                        "items": [ChartItem(**i) for i in c["items"]],
                        "legend": tuple(c["legend"]),
                    }
                )
                for c in s["charts"]
            ],
            notes=s["notes"],
        )
        for s in raw["sections"]
    ]
    return Report(
        **{**raw, "period": Period(**raw["period"]), "sections": sections},
    )
