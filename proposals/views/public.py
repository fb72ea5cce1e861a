"""The public site's pages: published replies to suggestions, no personal data
(the projection and its scrub live in ``proposals.selectors``)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import web

from .. import forms, selectors


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Published replies to suggestions, searchable, by congress and year."""
    congresses, years = selectors.public_filter_choices()
    form = forms.PublicFilterForm(
        request.GET or None, congresses=congresses, years=years
    )
    if form.is_bound and not form.is_valid():
        queryset = selectors.published_suggestions().none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        queryset = selectors.published_suggestions(
            q=data.get("q") or "",
            congress=data.get("congress"),
            year=data.get("year"),
        )
    page, page_range = web.paginate(request, queryset)
    return render(
        request,
        "proposals/public_list.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page_range,
            "rows": [selectors.public_suggestion(s) for s in page],
        },
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published reply: the suggestion and the units' answers, no personal data."""
    suggestion = selectors.published_suggestions().filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return render(
        request,
        "proposals/public_detail.html",
        {
            "s": selectors.public_suggestion(suggestion),
            "labels": forms.TEXT_LABELS[suggestion.kind],
        },
    )
