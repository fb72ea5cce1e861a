"""Small helpers every app's pages share: bounded pagination, service errors on
forms, Chinese-style labels, date inputs, and the signed "form served at" stamp
of the public forms (a minimum fill time against bots)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator

from .services import DomainError

PAGE_SIZE = 50
FORM_TOKEN_MAX_AGE = 2 * 60 * 60


def paginate(
    request, queryset, size: int = PAGE_SIZE, param: str = "page"
) -> tuple[Page, Any]:
    """One bounded page and the elided page range for its links."""
    paginator = Paginator(queryset, size)
    page = paginator.get_page(request.GET.get(param))
    return page, paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """A service's refusal, next to the field it names when the form has it."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def add_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """A service's field errors on the form (unknown fields as non-field errors)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class NoLabelSuffix:
    """Labels sit above their inputs; Chinese UI shows them without a colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def form_token(salt: str, scope_id: int, issued_at: float | None = None) -> str:
    """A signed stamp of when a public form was served, for ``scope_id`` (a station,
    a programme). Tests pass an ``issued_at`` in the past."""
    issued = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"s": scope_id, "t": issued}, salt=salt)


def form_token_issued_at(salt: str, token: str, scope_id: int) -> int | None:
    """When the stamp was issued; None when forged, expired or for another scope."""
    try:
        data = signing.loads(token, salt=salt, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != scope_id:
        return None
    issued = data.get("t")
    return issued if isinstance(issued, int) else None
