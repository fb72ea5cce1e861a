"""A service's refusal, put back onto the form the user sent (the API's
counterpart is ``portal.api.exceptions.exception_handler``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from portal.services import DomainError


def apply_service_error(
    form: forms.BaseForm,
    exc: DomainError | ValidationError,
    *others: forms.BaseForm,
) -> None:
    """Show ``exc`` on ``form``: a ``DomainError`` next to the field it names, a
    ``ValidationError`` dict field by field, anything else as non-field errors.

    A page made of several forms passes the others after ``exc``; each field error
    goes to the first form showing that field. Errors of fields no form shows are
    non-field errors of ``form``, so no refusal is ever lost.
    """
    if isinstance(exc, DomainError):
        errors: dict[str | None, list] = {exc.field: [exc.message]}
    elif hasattr(exc, "error_dict"):
        errors = dict(exc.message_dict)
    else:
        errors = {None: exc.messages}
    for field, messages in errors.items():
        owner = next((f for f in (form, *others) if field in f.fields), None)
        if owner is None:
            form.add_error(None, messages)
        else:
            owner.add_error(field, messages)
