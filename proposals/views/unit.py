"""Handling units' pages: their assignments by due date, one part with its
actions (accept, contact the deputy, ask for more time or a return, send a
co-unit's opinion), the reply, and commitments marked done."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.personal_data import mark_personal_data
from portal.ratelimit import client_ip
from portal.rules import rules_for
from portal.services import DomainError, TransitionError

from .. import forms, selectors, services
from ..models import Assignment
from ..policies import AssignmentPolicy, DeskPolicy
from .common import next_or


@login_required
@require_GET
def assignments(request: HttpRequest) -> HttpResponse:
    """我的承办: the unit's assignments by due date, overdue ones highlighted."""
    user = request.user
    DeskPolicy.require(user, "read_unit_desk")
    today = timezone.localdate()
    form = forms.AssignmentFilterForm(request.GET or None)
    show = (
        form.cleaned_data["show"]
        if form.is_valid() and form.cleaned_data["show"]
        else form.OPEN
    )
    page, page_range = web.paginate(request, selectors.unit_desk(user, show))
    return render(
        request,
        "proposals/assignment_list.html",
        {
            "form": form,
            "show": show,
            "page_obj": page,
            "page_range": page_range,
            "rows": [selectors.assignment_row(a, today) for a in page.object_list],
        },
    )


def _assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(
        selectors.assignments_for_detail().visible_to(request.user), pk=pk
    )


def _render_assignment(
    request: HttpRequest,
    assignment: Assignment,
    status: int = 200,
    revealed: bool = False,
    **bound: Form,
) -> HttpResponse:
    """One unit's part; ``bound`` holds the form of a refused action."""
    context = selectors.assignment_detail(request.user, assignment, revealed=revealed)
    context.update(
        labels=forms.TEXT_LABELS[assignment.suggestion.kind],
        return_form=bound.get("return_form") or forms.ReasonForm(prefix="ret"),
        contact_form=bound.get("contact_form") or forms.ContactForm(),
        extension_form=bound.get("extension_form") or forms.ExtensionForm(),
        co_opinion_form=bound.get("co_opinion_form") or forms.CoOpinionForm(),
    )
    return render(request, "proposals/assignment_detail.html", context, status=status)


@login_required
@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's part: the suggestion, deadlines, contacts, requests, reply."""
    return _render_assignment(request, _assignment_or_404(request, pk))


@login_required
@require_POST
def assignment_reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """面商: the lead deputy's full mobile, for the assigned unit only; every
    reveal is logged (who, whom, when) and the answer is never cached."""
    assignment = _assignment_or_404(request, pk)
    AssignmentPolicy.require(request.user, "reveal_contact", assignment)
    try:
        services.assignment_reveal_contact(
            assignment=assignment, actor=request.user, ip_address=client_ip(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("proposals:assignment", pk=pk)
    mark_personal_data(request)
    return _render_assignment(request, assignment, revealed=True)


def _unit_action(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    form_class: type[Form],
    form_key: str,
    service: Callable,
    done: str,
    prefix: str | None = None,
) -> HttpResponse:
    """A unit's action with a form: validate, call the service, back to the part."""
    assignment = _assignment_or_404(request, pk)
    AssignmentPolicy.require(request.user, action, assignment)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(assignment=assignment, actor=request.user, **form.cleaned_data)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:assignment", pk=pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("proposals:assignment", pk=pk)
    return _render_assignment(request, assignment, status=400, **{form_key: form})


@login_required
@require_POST
def assignment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment_or_404(request, pk)
    AssignmentPolicy.require(request.user, "accept", assignment)
    try:
        services.assignment_accept(assignment=assignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签收。请尽快与代表沟通。"))
    return redirect("proposals:assignment", pk=pk)


@login_required
@require_POST
def assignment_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        action="request_return",
        form_class=forms.ReasonForm,
        form_key="return_form",
        prefix="ret",
        service=services.assignment_request_return,
        done=_("退办申请已提交，等待人大工作人员审批。"),
    )


@login_required
@require_POST
def assignment_contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        action="contact",
        form_class=forms.ContactForm,
        form_key="contact_form",
        service=services.assignment_contact,
        done=_("沟通情况已记录。"),
    )


@login_required
@require_POST
def assignment_extension(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        action="request_extension",
        form_class=forms.ExtensionForm,
        form_key="extension_form",
        service=services.assignment_request_extension,
        done=_("延期申请已提交，等待人大工作人员审批。"),
    )


@login_required
@require_POST
def assignment_co_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        action="co_opinion",
        form_class=forms.CoOpinionForm,
        form_key="co_opinion_form",
        service=services.co_unit_opinion_send,
        done=_("协办意见已送主办单位。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """答复: category from the congress's table, text, number, signer, file and,
    for B and C, the commitments with their due dates."""
    assignment = _assignment_or_404(request, pk)
    AssignmentPolicy.require(request.user, "reply", assignment)
    suggestion = assignment.suggestion
    post = request.POST if request.method == "POST" else None
    form = forms.ReplyForm(
        post, request.FILES or None, categories=rules_for(suggestion.congress)
    )
    formset = forms.CommitmentFormSet(post, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_reply(
                assignment=assignment,
                category=data["category"],
                text=data["text"],
                document_number=data["document_number"],
                signer=data["signer"],
                attachment=data["attachment"],
                commitments=forms.commitments_of(formset),
                outcome_type=data["outcome_type"],
                outcome_document=data["outcome_document"],
                actor=request.user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:assignment", pk=pk)
        except DomainError as exc:
            if exc.field == "commitments":
                formset._non_form_errors = formset.error_class(
                    [exc.message], error_class="nonform"
                )
            else:
                web.apply_service_error(form, exc)
        else:
            messages.success(request, _("答复已提交，代表将收到评价通知。"))
            return redirect("proposals:assignment", pk=pk)
    return render(
        request,
        "proposals/reply_form.html",
        {
            "a": assignment,
            "s": suggestion,
            "form": form,
            "formset": formset,
            "contacted": selectors.contacted_this_round(assignment),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a commitment of a B/C reply done (its unit or congress staff)."""
    user = request.user
    commitment = get_object_or_404(selectors.commitments_visible_to(user), pk=pk)
    assignment = commitment.reply.assignment
    AssignmentPolicy.require(user, "complete_commitments", assignment)
    form = forms.CommitmentDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.commitment_complete(commitment=commitment, note=note, actor=user)
    messages.success(request, _("承诺事项已标记为落实，待代表确认。"))
    return redirect(
        next_or(request, reverse("proposals:detail", args=[assignment.suggestion_id]))
    )
