"""The report as an A4 PDF (WeasyPrint): a title page with scope, period, time
and author, then the sections with their SVG charts, page numbers in the footer.

Chinese text uses Debian's ``fonts-noto-cjk`` (found through fontconfig as
"Noto Sans CJK SC"); WeasyPrint embeds the subset of the font that is used.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string

from .html import report_context
from .model import Report


def render_pdf(report: Report) -> bytes:
    # WeasyPrint reports every step (even at import) at INFO; the log needs none of it.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    html = render_to_string(
        "reports/pdf.html", {**report_context(report), "mode": "pdf"}
    )
    return HTML(string=html).write_pdf()
