"""The one shape of a page's step: call one service, and put its refusal where
the user sees it.

- ``run_step``: a button (a POST without a form to show again). The service's
  refusal becomes an error message on the page the view redirects to; a
  service's ``Forbidden`` ("not allowed at all") becomes a 403 with its reason.
- ``button_step``: ``run_step`` and then the redirect, the whole of most
  button views.
- ``form_post``: a form and one service. A valid POST calls the service and
  redirects with a message; a refusal goes onto the form next to the field it
  names and the caller's page comes back with the bound form, status 400, the
  input kept. ``form_page`` is the same on a page of its own (a template).
- ``form_step``: a button with a small form (a reason, a choice): an invalid
  form is an error message, a valid one runs the service; then the redirect.
- ``errors_as_messages``: a button's small form failed; its errors go to the
  page it returns to.

The views stay thin: they look up in scope (404), ask the policy (403), build the
form and name the service; the shape lives here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from portal.policies import Forbidden
from portal.services import DomainError
from portal.services import Forbidden as ServiceForbidden

from .errors import apply_service_error

R = TypeVar("R")


def refuse_forbidden(exc: DomainError) -> None:
    """A service's "not allowed at all" is a 403 with its reason, not a message."""
    if isinstance(exc, ServiceForbidden):
        raise Forbidden(exc.message) from exc


def run_step(
    request: HttpRequest,
    call: Callable[[], R],
    success: str | Callable[[R], str],
) -> bool:
    """Run one service for a button. True when it ran, with ``success`` (or
    ``success(result)``) as the message; otherwise the service's reason is an
    error message (a ``ValidationError``'s every message)."""
    try:
        result = call()
    except DomainError as exc:
        refuse_forbidden(exc)
        messages.error(request, exc.message)
        return False
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def button_step(
    request: HttpRequest,
    call: Callable[[], Any],
    success: str | Callable[[Any], str],
    to: str,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    """``run_step``, then back to ``to`` (a URL name with its arguments, or a
    path) whatever the outcome: the message says which it was."""
    run_step(request, call, success)
    return redirect(to, *args, **kwargs)


def errors_as_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """A button's small form failed: its errors go to the page it returns to."""
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def form_step(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], Any],
    success: str | Callable[[dict[str, Any]], str],
    to: str,
    *args: Any,
    invalid: str | None = None,
    **kwargs: Any,
) -> HttpResponse:
    """A button posting a small form. ``invalid`` is the one message for an
    invalid form (else the form's own errors); ``call(cleaned_data)`` runs the
    service; ``success`` may be built from the cleaned data."""
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        else:
            errors_as_messages(request, form)
    else:
        data = form.cleaned_data
        message = success(data) if callable(success) else success
        run_step(request, lambda: call(data), message)
    return redirect(to, *args, **kwargs)


def form_post(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], R],
    success: str | Callable[[R], str],
    to: Callable[[R], Any],
    page: Callable[[forms.BaseForm], HttpResponse],
) -> HttpResponse:
    """A form and one service. A valid POST calls ``save(cleaned_data)`` and
    redirects to ``to(result)`` with ``success`` (or ``success(result)``); a
    refusal goes onto the form next to the field it names. Otherwise
    ``page(form)`` shows the form again (status 400 after a POST), the input
    kept."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except DomainError as exc:
            refuse_forbidden(exc)
            apply_service_error(form, exc)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            message = success(result) if callable(success) else success
            messages.success(request, message)
            return redirect(to(result))
    response = page(form)
    if request.method == "POST":
        response.status_code = 400
    return response


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], R],
    success: str | Callable[[R], str],
    to: Callable[[R], Any],
    template: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """``form_post`` on a page of its own: ``template`` with ``context`` and the
    form as ``form``."""
    return form_post(
        request,
        form,
        save=save,
        success=success,
        to=to,
        page=lambda bound: render(
            request, template, {**(context or {}), "form": bound}
        ),
    )
