"""The public directory (代表名录): anyone, no login."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal import web

from .. import forms, selectors


@require_GET
def public_directory(request: HttpRequest) -> HttpResponse:
    """代表名录: the current, active deputies of one congress, public fields only."""
    form = forms.PublicCongressForm(request.GET or None)
    congress = (
        form.cleaned_data["congress"] if form.is_bound and form.is_valid() else None
    )
    context: dict[str, Any] = {
        "form": form,
        "congress": congress,
        "q": form.cleaned_data.get("q", "") if congress is not None else "",
    }
    if congress is not None:
        page, page_range = web.paginate(
            request, selectors.public_directory(congress, form.cleaned_data["q"])
        )
        context.update(
            page_obj=page,
            page_range=page_range,
            cards=[selectors.public_card(m) for m in page.object_list],
            level=congress.get_level_display(),
        )
    return render(request, "deputies/public_directory.html", context)
