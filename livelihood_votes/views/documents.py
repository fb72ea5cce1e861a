"""Staff: the paper documents of a round (选票, 计票单, 公告) as PDFs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .. import documents
from ..models import VoteRound
from .common import round_for


@login_required
@require_GET
def round_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    vote_round = round_for(request, pk, "manage")
    if kind not in documents.KINDS:
        raise Http404
    if kind == "announcement" and vote_round.status != VoteRound.Status.CLOSED:
        raise Http404
    response = HttpResponse(
        documents.render(vote_round, kind), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="round-{vote_round.pk}-{kind}.pdf"'
    )
    return response
