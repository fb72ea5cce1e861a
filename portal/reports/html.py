"""The report as HTML: the template context shared by the staff page, the
downloadable stand-alone file and the PDF (which is drawn from HTML)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.translation import gettext as _

from portal.chinese import localized_numeral

from .charts import render_chart
from .model import (
    COUNT,
    DATE,
    MONEY,
    NUMBER,
    RATE,
    Report,
    Section,
    Table,
    format_value,
)

# Long lists are cut in the page and the PDF; the Excel file has every row.
PREVIEW_ROWS = 100
NUMERIC = {COUNT, RATE, MONEY, NUMBER}
# Tables with more columns go on a landscape page in the PDF.
WIDE_COLUMNS = 9


def _table(table: Table) -> dict[str, Any]:
    shown = table.rows[:PREVIEW_ROWS]
    full = table.total if table.total is not None else len(table.rows)
    return {
        "key": table.key,
        "title": table.title,
        "note": table.note,
        "columns": [
            {"label": c.label, "numeric": c.kind in NUMERIC} for c in table.columns
        ],
        "rows": [
            [
                {
                    "text": format_value(row.get(c.key), c.kind),
                    "numeric": c.kind in NUMERIC,
                    "date": c.kind == DATE,
                }
                for c in table.columns
            ]
            for row in shown
        ],
        "wide": len(table.columns) > WIDE_COLUMNS,
        "shown": len(shown),
        "listed": len(table.rows),
        "full": full,
        "data_cut": table.truncated,
        "preview_cut": len(table.rows) > len(shown),
    }


def section_context(section: Section, number: int) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "heading": _("%(number)s、%(title)s")
        % {"number": localized_numeral(number), "title": section.title},
        "metrics": [
            {
                "key": metric.key,
                "label": metric.label,
                "display": metric.display,
                "unit": metric.unit,
                "is_rate": metric.kind == RATE,
                "fraction": _fraction(metric) if metric.kind == RATE else "",
            }
            for metric in section.metrics
        ],
        "charts": [
            {"title": chart.title, "svg": render_chart(chart, f"{section.key}-")}
            for chart in section.charts
        ],
        "tables": [_table(table) for table in section.tables],
        "definitions": [
            {"label": m.label, "text": m.definition} for m in section.definitions
        ],
        "notes": section.notes,
    }


def _fraction(metric) -> str:
    """ "12 / 15" under a rate; money rates show their amounts."""
    kind = MONEY if isinstance(metric.numerator, Decimal) else COUNT
    return f"{format_value(metric.numerator, kind)} / {format_value(metric.denominator, kind)}"


def period_text(period) -> str:
    """The period as the stamp reads it: a year also shows its dates."""
    if period.kind == "year":
        return _("%(label)s（%(span)s）") % {
            "label": period.label,
            "span": period.span_label,
        }
    return period.label


def report_context(report: Report) -> dict[str, Any]:
    return {
        "report": report,
        "title": report.title,
        "stamp": [
            (_("统计范围"), report.scope_description),
            (_("统计期间"), period_text(report.period)),
            (
                _("生成时间"),
                formats.date_format(report.generated_at, "DATETIME_FORMAT"),
            ),
            (_("生成人"), report.generated_by),
        ],
        "sections": [
            section_context(s, n) for n, s in enumerate(report.sections, start=1)
        ],
        "preview_rows": PREVIEW_ROWS,
    }


def _stylesheet() -> str:
    path = finders.find("css/reports.css") or str(
        Path(settings.BASE_DIR) / "static" / "css" / "reports.css"
    )
    return Path(path).read_text(encoding="utf-8")


def render_standalone(report: Report) -> str:
    """A self-contained HTML file (styles embedded, charts inline) for download."""
    return render_to_string(
        "reports/standalone.html",
        {**report_context(report), "stylesheet": _stylesheet(), "mode": "file"},
    )
