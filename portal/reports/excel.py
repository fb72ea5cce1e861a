"""The report as an Excel workbook (openpyxl): a cover sheet, then one sheet per
section with its headline figures (value, numerator, denominator, definition)
and its tables. Numbers are numbers; rates are fractions shown with a percent
format; a rate without a denominator is the text "—"."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .html import period_text
from .model import COUNT, DATE, EMPTY, MONEY, NUMBER, RATE, Report, Section, Table

FORMATS = {
    COUNT: "0",
    RATE: "0.0%",
    MONEY: "#,##0.00",
    NUMBER: "0.0",
    DATE: "yyyy-mm-dd",
}
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
MUTED = Font(color="59606A", size=9)
HEADER_FILL = PatternFill("solid", fgColor="F1E3E3")
THIN = Side(style="thin", color="D0D4DA")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
INVALID = set("[]:*?/\\")


def _sheet_title(text: str, taken: set[str]) -> str:
    title = "".join(ch for ch in text if ch not in INVALID)[:28] or "Sheet"
    candidate, n = title, 2
    while candidate in taken:
        candidate, n = f"{title[:26]}{n}", n + 1
    taken.add(candidate)
    return candidate


def _put(ws, row: int, column: int, value, kind: str, *, bold: bool = False):
    """Write one typed cell ("—" for a missing value)."""
    if value is None or value == "":
        cell = ws.cell(row=row, column=column, value=EMPTY if kind in FORMATS else "")
        cell.alignment = Alignment(horizontal="right" if kind in FORMATS else "left")
    elif kind in (COUNT, RATE, MONEY, NUMBER) and isinstance(
        value, int | float | Decimal
    ):
        cell = ws.cell(row=row, column=column, value=value)
        cell.number_format = FORMATS[kind]
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell = ws.cell(
            row=row, column=column, value=value
        )  # e.g. a year in a text column
    elif kind == DATE and isinstance(value, date | datetime):
        cell = ws.cell(row=row, column=column, value=value)
        cell.number_format = FORMATS[DATE]
    else:
        cell = ws.cell(row=row, column=column, value=str(value))
    cell.border = BOX
    if bold:
        cell.font = BOLD
    return cell


def _header(ws, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=column, value=str(label))
        cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )


def _stamp(ws, report: Report, row: int) -> int:
    for label, value in (
        (_("统计范围"), report.scope_description),
        (_("统计期间"), period_text(report.period)),
        (_("生成时间"), report.generated_at.strftime("%Y-%m-%d %H:%M")),
        (_("生成人"), report.generated_by),
    ):
        ws.cell(row=row, column=1, value=str(label)).font = BOLD
        ws.cell(row=row, column=2, value=str(value))
        row += 1
    return row


def _metrics(ws, section: Section, row: int) -> int:
    ws.cell(row=row, column=1, value=_("主要指标")).font = BOLD
    row += 1
    _header(
        ws, row, [_("指标"), _("数值"), _("单位"), _("分子"), _("分母"), _("口径说明")]
    )
    row += 1
    for metric in section.metrics:
        _put(ws, row, 1, str(metric.label), "text")
        _put(ws, row, 2, metric.value, metric.kind)
        _put(ws, row, 3, str(metric.unit or ""), "text")
        numerator_kind = MONEY if isinstance(metric.numerator, Decimal) else COUNT
        if metric.kind == RATE or metric.numerator is not None:
            _put(ws, row, 4, metric.numerator, numerator_kind)
            _put(ws, row, 5, metric.denominator, numerator_kind)
        else:
            _put(ws, row, 4, "", "text")
            _put(ws, row, 5, "", "text")
        _put(ws, row, 6, str(metric.definition or ""), "text").alignment = Alignment(
            wrap_text=True
        )
        row += 1
    return row + 1


def _table(ws, table: Table, row: int) -> int:
    ws.cell(row=row, column=1, value=str(table.title)).font = BOLD
    row += 1
    if table.note:
        ws.cell(row=row, column=1, value=str(table.note)).font = MUTED
        row += 1
    _header(ws, row, [str(c.label) for c in table.columns])
    row += 1
    if not table.rows:
        ws.cell(row=row, column=1, value=_("无")).font = MUTED
        row += 1
    for data in table.rows:
        for column, spec in enumerate(table.columns, start=1):
            _put(ws, row, column, data.get(spec.key), spec.kind)
        row += 1
    if table.truncated:
        ws.cell(
            row=row,
            column=1,
            value=_("共%(total)s条，仅列出前%(shown)s条。")
            % {"total": table.total, "shown": len(table.rows)},
        ).font = MUTED
        row += 1
    return row + 1


def _widths(ws) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.font == TITLE:
                continue
            text = str(cell.value)
            # CJK characters are about twice as wide as Latin ones.
            width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2
            widths[cell.column] = max(widths.get(cell.column, 8), min(width, 48))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def _no_formulas(workbook) -> None:
    """Every cell as written, never as a formula: openpyxl stores a string
    starting with "=" as one, so a deputy's title "=HYPERLINK(…)" became a live
    link (issue 15). The report writes no formulas of its own; a typed string
    cell is never evaluated by Excel or WPS (whatever it starts with: "+", "-",
    "@" included)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def render_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    cover.title = _("封面")
    cover.cell(row=1, column=1, value=report.title).font = TITLE
    row = _stamp(cover, report, 3) + 1
    cover.cell(row=row, column=1, value=_("内容")).font = BOLD
    taken = {cover.title}
    for index, section in enumerate(report.sections, start=1):
        cover.cell(row=row + index, column=1, value=f"{index}. {section.title}")
    cover.cell(
        row=row + len(report.sections) + 2,
        column=1,
        value=_("比率以小数存储、按百分比显示；分母为0的比率记为“—”。"),
    ).font = MUTED
    _widths(cover)
    for section in report.sections:
        ws = workbook.create_sheet(_sheet_title(str(section.title), taken))
        ws.cell(row=1, column=1, value=str(section.title)).font = TITLE
        ws.cell(
            row=2,
            column=1,
            value=_("%(scope)s · %(period)s")
            % {"scope": report.scope_description, "period": period_text(report.period)},
        ).font = MUTED
        row = _metrics(ws, section, 4)
        for table in section.tables:
            row = _table(ws, table, row)
        for note in section.notes:
            ws.cell(row=row, column=1, value=str(note)).font = MUTED
            row += 1
        _widths(ws)
        ws.freeze_panes = "A4"
    buffer = io.BytesIO()
    _no_formulas(workbook)
    workbook.save(buffer)
    return buffer.getvalue()
