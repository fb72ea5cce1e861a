"""Paper documents of a vote round, as A4 PDFs (WeasyPrint, Debian's
fonts-noto-cjk embedded): the paper ballot (选票), the tellers' tally sheet
(计票单) and, after the close, the results announcement (公告)."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from .models import VoteRound
from .selectors import round_results

KINDS = ("ballot", "tally", "announcement")


def _context(vote_round: VoteRound) -> dict[str, Any]:
    programme = vote_round.programme
    candidates = list(
        vote_round.candidates.select_related("lead_unit").order_by("order", "id")
    )
    return {
        "round": vote_round,
        "programme": programme,
        "congress": programme.congress,
        "candidates": candidates,
        "today": timezone.localdate(),
    }


def render(vote_round: VoteRound, kind: str) -> bytes:
    """The PDF of ``kind`` (one of KINDS); the announcement needs a closed round."""
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    context = _context(vote_round)
    if kind == "announcement":
        context["results"] = round_results(vote_round)
        titles = {c.pk: c for c in context["candidates"]}
        context["rows"] = [
            {**row, "candidate_obj": titles.get(row["candidate"])}
            for row in context["results"]["candidates"]
        ]
    html = render_to_string(f"livelihood/documents/{kind}.html", context)
    return HTML(string=html).write_pdf()
