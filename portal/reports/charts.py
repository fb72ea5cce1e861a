"""Charts as inline SVG drawn on the server: the same markup in the page (no
script, no inline style, so it passes the CSP) and in the PDF (WeasyPrint draws
SVG). Colours are presentation attributes; every label is escaped."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .model import COUNT, RATE, Chart, ChartItem, format_value

WIDTH = 540
LABEL_WIDTH = 150
VALUE_WIDTH = 80
ROW = 30
BAR = 20
FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
INK, MUTED, GRID = "#1f2328", "#59606a", "#e2e4e8"
PALETTE = [
    "#a8171b",
    "#2f6fb0",
    "#d9b55a",
    "#1f6f43",
    "#8b5cb8",
    "#c2692a",
    "#5b8a9a",
    "#8b939c",
]
TONES = {
    "good": "#1f6f43",
    "fair": "#8fbf9a",
    "bad": "#a8171b",
    "info": "#2f6fb0",
    "other": "#d9b55a",
    "muted": "#8b939c",
    "light": "#d5d9de",
    "red": "#c62828",
    "amber": "#e0a100",
    "green": "#2e7d32",
    "cat-a": "#1f6f43",
    "cat-b": "#2f6fb0",
    "cat-c": "#d9b55a",
    "cat-d": "#8b939c",
    "male": "#2f6fb0",
    "female": "#c2185b",
}
MAX_LABEL = 11


def _colour(item: ChartItem, index: int) -> str:
    return TONES.get(item.tone) or PALETTE[index % len(PALETTE)]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    size: int = 14,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def _svg(chart: Chart, height: int, body: list[str], prefix: str = "") -> SafeString:
    title_id = escape(f"chart-{prefix}{chart.key}")
    return mark_safe(  # noqa: S308 - every label above went through html.escape
        f'<svg class="rep-chart__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{title_id}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{title_id}">{escape(str(chart.title))}</title>{"".join(body)}</svg>'
    )


def _empty(chart: Chart, prefix: str) -> SafeString:
    return _svg(chart, 40, [_text(0, 26, _("暂无数据"), fill=MUTED)], prefix)


def bars(chart: Chart, prefix: str = "") -> SafeString:
    """One horizontal bar per item, scaled to the largest (rates: to 100%)."""
    values = [float(item.value) for item in chart.items if item.value is not None]
    if not chart.items or not any(values):
        return _empty(chart, prefix)
    top = 1.0 if chart.value_kind == RATE else max(values)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    body = []
    for index, item in enumerate(chart.items):
        y = index * ROW + 4
        body.append(
            _text(LABEL_WIDTH - 10, y + BAR - 4, _short(str(item.label)), anchor="end")
        )
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{span}" height="{BAR}" fill="{GRID}" rx="2"/>'
        )
        if item.value:
            width = max(1.0, span * min(float(item.value) / top, 1.0))
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR}" '
                f'fill="{_colour(item, 0 if not item.tone else index)}" rx="2"/>'
            )
        body.append(
            _text(
                LABEL_WIDTH + span + 8,
                y + BAR - 4,
                format_value(item.value, chart.value_kind),
            )
        )
    return _svg(chart, len(chart.items) * ROW + 8, body, prefix)


def stack(chart: Chart, prefix: str = "") -> SafeString:
    """One 100% bar split into the items' shares, with a legend of counts and shares."""
    total = sum(float(item.value or 0) for item in chart.items)
    if not total:
        return _empty(chart, prefix)
    body, x = [], 0.0
    for index, item in enumerate(chart.items):
        if not item.value:
            continue
        width = WIDTH * float(item.value) / total
        body.append(
            f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="28" fill="{_colour(item, index)}"/>'
        )
        x += width
    # Long labels (the reply categories) get one legend line each.
    columns = 1 if max(len(str(item.label)) for item in chart.items) > 8 else 2
    column_width = WIDTH / columns
    for index, item in enumerate(chart.items):
        row, column = divmod(index, columns)
        lx, ly = column * column_width, 50 + row * 26
        share = format_value(float(item.value or 0) / total, RATE)
        value = format_value(
            item.value, chart.value_kind if chart.value_kind != RATE else COUNT
        )
        label = str(item.label) if columns == 1 else _short(str(item.label))
        body.append(
            f'<rect x="{lx:.1f}" y="{ly - 12}" width="13" height="13" fill="{_colour(item, index)}"/>'
        )
        body.append(_text(lx + 19, ly, f"{label}  {value}（{share}）", size=13))
    rows = (len(chart.items) + columns - 1) // columns
    return _svg(chart, 46 + rows * 26, body, prefix)


def render_chart(chart: Chart, prefix: str = "") -> SafeString:
    """The chart's SVG; ``prefix`` keeps element ids unique on a page."""
    if chart.kind == "stack":
        return stack(chart, prefix)
    return bars(chart, prefix)
