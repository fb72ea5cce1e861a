"""What every audience's pages share: the detail page of a bill or suggestion,
rendering it again with a bound form, the reply document and the safe ``next``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from portal import web
from portal.services import DomainError, TransitionError

from .. import forms, selectors
from ..models import Suggestion
from ..policies import SuggestionPolicy


def next_or(request: HttpRequest, default: str) -> str:
    """The posted ``next`` when it points into this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def suggestion_or_404(request: HttpRequest, pk: int) -> Suggestion:
    """The suggestion as the detail page and its actions read it; 404 when the
    user may not see it."""
    return get_object_or_404(
        selectors.suggestions_for_detail().visible_to(request.user), pk=pk
    )


def render_detail(
    request: HttpRequest, suggestion: Suggestion, status: int = 200, **bound: Form
) -> HttpResponse:
    """The detail page; ``bound`` holds the form of a refused action, shown with
    its errors in place of the empty one."""
    context = selectors.suggestion_detail(request.user, suggestion)
    context.update(
        labels=forms.TEXT_LABELS[suggestion.kind],
        submit_form=bound.get("submit_form") or Form(),
        withdraw_form=bound.get("withdraw_form") or forms.OptionalReasonForm(),
        return_form=bound.get("return_form") or forms.ReasonForm(prefix="ret"),
        reject_form=bound.get("reject_form") or forms.ReasonForm(prefix="rej"),
        evaluation_form=bound.get("evaluation_form") or forms.EvaluationForm(),
        outcome_form=bound.get("outcome_form")
        or forms.OutcomeForm(
            initial={
                "outcome_type": suggestion.outcome_type,
                "outcome_document": suggestion.outcome_document,
            }
        ),
        receipt_form=forms.ReceiptForm(),
        bill_decision_form=bound.get("bill_decision_form"),
        bill_result_form=bound.get("bill_result_form"),
        forward_form=bound.get("forward_form"),
        rehandle_form=bound.get("rehandle_form") or forms.OptionalReasonForm(),
    )
    return render(request, "proposals/suggestion_detail.html", context, status=status)


def detail_form_action(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    form_class: type[Form],
    form_key: str,
    run: Callable[[Suggestion, dict[str, Any]], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """A step posted from the detail page: the policy (403), the form, the
    service. A form error or a refused value shows the detail page again with
    the bound form (400); a refused transition comes back as a message."""
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(request.user, action, suggestion)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            result = run(suggestion, form.cleaned_data)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, done(result))
            return redirect("proposals:detail", pk=pk)
    return render_detail(request, suggestion, status=400, **{form_key: form})


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One bill or suggestion: text, research, status, units, replies, ratings and
    the whole timeline, with the actions the user may take now."""
    return render_detail(request, suggestion_or_404(request, pk))


@login_required
@require_GET
def reply_file(request: HttpRequest, pk: int) -> FileResponse:
    """The reply document, for those who may see the suggestion."""
    reply = (
        selectors.replies_visible_to(request.user)
        .filter(pk=pk)
        .only("id", "attachment")
        .first()
    )
    if reply is None or not reply.attachment:
        raise Http404
    return FileResponse(
        reply.attachment.open("rb"),
        as_attachment=True,
        filename=reply.attachment.name.rsplit("/", 1)[-1],
    )
