"""The three renderers agree: the Excel workbook holds exactly the numbers the
HTML shows (both are drawn from the same computed report), and the PDF carries
the Chinese title as text with an embedded CJK font."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from html import unescape

import openpyxl
import pytest

from portal.reports import charts, service
from portal.reports.excel import render_xlsx
from portal.reports.html import render_standalone
from portal.reports.model import EMPTY, RATE, Chart, ChartItem
from portal.reports.pdf import render_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(suggestions, stations, livelihood, world, period, personas):
    return service.build_report(
        congress=world.county_congress, period=period, user=personas.county_staff
    )


def _same(cell, value) -> bool:
    if value is None or value == "":
        return cell in (EMPTY, "", None)
    if isinstance(value, bool):
        return cell == value
    if isinstance(value, int | float | Decimal):
        return cell == pytest.approx(float(value))
    if isinstance(value, datetime | date):
        return (cell.date() if isinstance(cell, datetime) else cell) == (
            value.date() if isinstance(value, datetime) else value
        )
    return cell == str(value)


def _find(sheet, text: str, start: int = 1) -> int:
    for row in range(start, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == text:
            return row
    raise AssertionError(f"{text} not found in {sheet.title}")


def test_excel_has_a_sheet_per_section_with_the_reports_numbers(report):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))

    assert book.sheetnames == ["封面", *[str(s.title) for s in report.sections]]
    cover = book["封面"]
    assert cover["A1"].value == report.title
    assert report.generated_by in [c.value for c in cover["B"]]
    for section in report.sections:
        sheet = book[str(section.title)]
        row = _find(sheet, "指标") + 1
        for offset, metric in enumerate(section.metrics):
            label, value, _unit, numerator, denominator = (
                sheet.cell(row=row + offset, column=c).value for c in range(1, 6)
            )
            assert label == str(metric.label)
            assert _same(value, metric.value), (
                section.key,
                metric.key,
                value,
                metric.value,
            )
            if metric.kind == RATE:
                assert (
                    sheet.cell(row=row + offset, column=2).number_format == "0.0%"
                    or value == EMPTY
                )
                assert _same(numerator, metric.numerator) and _same(
                    denominator, metric.denominator
                )
        for table in section.tables:
            top = _find(sheet, str(table.title)) + (2 if table.note else 1)
            assert [
                sheet.cell(row=top, column=c + 1).value
                for c in range(len(table.columns))
            ] == [str(c.label) for c in table.columns]
            for r, data in enumerate(table.rows, start=top + 1):
                for c, column in enumerate(table.columns, start=1):
                    assert _same(
                        sheet.cell(row=r, column=c).value, data.get(column.key)
                    ), (table.key, column.key)


def test_numbers_are_numbers_in_excel(report):
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    sheet = book[str(report.section("suggestions").title)]

    row = _find(sheet, "办复率")
    assert sheet.cell(row=row, column=2).value == pytest.approx(0.75)
    assert isinstance(sheet.cell(row=_find(sheet, "收到建议"), column=2).value, int)


def test_html_shows_the_same_numbers(report):
    html = render_standalone(report)

    for section in report.sections:
        for metric in section.metrics:
            match = re.search(
                rf'data-metric="{metric.key}">\s*<span class="rep-metric__label">(.*?)</span>\s*'
                rf'<span class="rep-metric__value">([^<]*)',
                html[html.index(f'id="sec-{section.key}"') :],
            )
            assert match, metric.key
            assert unescape(match.group(2)) == metric.display, (section.key, metric.key)
    assert report.title in html
    assert "生成人" in html and report.generated_by in html
    assert "<script" not in html and "http://" not in html.replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert html.count("<svg") == sum(len(s.charts) for s in report.sections)


def _run(tool: str, *args: str) -> str:
    """Output of a poppler-utils tool (installed on the machine and in CI)."""
    executable = shutil.which(tool)
    assert executable, f"{tool} is missing: apt-get install poppler-utils"
    command = [executable, *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603


def test_pdf_has_the_chinese_title_as_text_and_embeds_a_cjk_font(report, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf(report))

    text = _run("pdftotext", str(path), "-")
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", report.title) in flat
    assert "议案建议办理" in flat and "办复率" in flat
    assert "第2页/共" in flat  # page numbers from the @page counters
    fonts = _run("pdffonts", str(path))
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk), fonts  # the "emb" column


def test_chart_labels_are_escaped():
    chart = Chart(
        "x",
        "<标题>",
        "bars",
        [ChartItem("<script>alert(1)</script>", 3), ChartItem("乙", None)],
    )

    svg = str(charts.render_chart(chart))

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;标题&gt;" in svg


def test_charts_without_data_say_so():
    empty = Chart("x", "空", "stack", [ChartItem("甲", 0), ChartItem("乙", 0)])

    assert "暂无数据" in str(charts.render_chart(empty))


def test_every_rate_is_defined_by_its_numerator_and_denominator(report):
    for section in report.sections:
        for metric in section.metrics:
            if metric.kind == RATE:
                assert "÷" in str(metric.definition), (section.key, metric.key)
        assert section.notes, section.key


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil.example","点我")', "+1+1", "-2+3", "@SUM(A1)"]
)
def test_excel_writes_user_text_as_text_never_as_a_formula(report, text):
    """Issue 15: a title starting with "=" became a live HYPERLINK in the report."""
    table = next(
        t
        for section in report.sections
        for t in section.tables
        if t.rows and any(isinstance(v, str) for v in t.rows[0].values())
    )
    key = next(k for k, v in table.rows[0].items() if isinstance(v, str))
    table.rows[0][key] = text
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]
    assert cells, "the text is in the workbook"
    assert all(cell.data_type == "s" for cell in cells)
    assert not any(
        cell.data_type == "f"
        for s in book.worksheets
        for r in s.iter_rows()
        for cell in r
    )
