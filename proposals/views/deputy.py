"""The deputy's pages: my suggestions, the write form with similar ones, a draft
from a converted opinion, submitting, withdrawing, co-signing and rating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.models import Congress
from portal.services import DomainError, TransitionError

from .. import forms, selectors, services
from ..models import Suggestion
from ..policies import DeskPolicy, Forbidden, SuggestionPolicy, may_consult_congress
from .common import detail_form_action, render_detail, suggestion_or_404

# Lists beside a page's main list (invitations, converted opinions) stay short.
SIDE_LIST_LIMIT = 20


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的议案建议: what the user leads or co-signs, with the invitations and the
    opinions a station converted for them."""
    user = request.user
    form = forms.SuggestionFilterForm(
        request.GET or None,
        years=selectors.years_of(selectors.own_suggestions(user, None)),
    )
    if form.is_bound and not form.is_valid():
        queryset = selectors.own_suggestions(user, None).none()
    else:
        queryset = selectors.own_suggestions(
            user, form.cleaned_data if form.is_bound else None
        )
    page, page_range = web.paginate(request, queryset)
    return render(
        request,
        "proposals/mine.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page_range,
            "rows": [selectors.status_row(s) for s in page.object_list],
            "invitations": list(
                selectors.cosign_invitations(user).order_by("suggestion__created_at")[
                    :SIDE_LIST_LIMIT
                ]
            ),
            "converted": list(
                selectors.opinions_to_draft(user)
                .only("id", "tracking_code", "category", "content", "created_at")
                .order_by("created_at")[:SIDE_LIST_LIMIT]
            ),
            "has_mandate": DeskPolicy.allows(user, "draft"),
        },
    )


def _draft_fields(data: dict) -> dict:
    """The write form's cleaned data as the services take it."""
    return {
        "session": data["session"],
        "title": data["title"],
        "problem": data["problem"],
        "analysis": data["analysis"],
        "proposals": data["proposals"],
        "category": data["category"],
        "is_public": data["is_public"],
        "research_note": data["research_note"],
        "research_date": data["research_date"],
        "research_place": data["research_place"],
        "research_people": data["research_people"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Write a new draft (a bill or a suggestion) to one of the user's congresses."""
    user = request.user
    mandates = selectors.current_mandates(user)
    DeskPolicy.require(user, "draft", mandates)
    form = forms.SuggestionForm(
        request.POST or None, **selectors.draft_form_choices(user, mandates)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_create(
                lead=data["lead"],
                kind=data["kind"],
                **_draft_fields(data),
                research_activities=list(data["research_activities"]),
                research_opinions=list(data["research_opinions"]),
                co_signers=selectors.mandates_by_id(data["co_signers"]),
                actor=user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("草稿已保存。检查无误后请点击“提交”。"))
            return redirect("proposals:detail", pk=suggestion.pk)
    return render(
        request,
        "proposals/suggestion_form.html",
        {
            "form": form,
            "suggestion": None,
            "similar_url": reverse("proposals:similar"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft or a returned suggestion (the lead deputy only)."""
    user = request.user
    suggestion = get_object_or_404(
        Suggestion.objects.select_related(
            "congress__region", "lead__person", "term"
        ).visible_to(user),
        pk=pk,
    )
    SuggestionPolicy.require(user, "edit", suggestion)
    if not SuggestionPolicy.allows(user, "edit", suggestion):
        messages.error(
            request,
            _("只有草稿或退回修改的%(kind)s可以修改。")
            % {"kind": suggestion.get_kind_display()},
        )
        return redirect("proposals:detail", pk=pk)
    form = forms.SuggestionForm(
        request.POST or None,
        initial=selectors.draft_initial(suggestion),
        **selectors.draft_form_choices(user, [suggestion.lead], suggestion),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One save of the draft: its fields, its research links and new invitations.
            with transaction.atomic():
                services.suggestion_update(
                    suggestion=suggestion, actor=user, **_draft_fields(data)
                )
                services.suggestion_set_research(
                    suggestion=suggestion,
                    activities=list(data["research_activities"]),
                    opinions=list(data["research_opinions"]),
                    actor=request.user,
                )
                if data["co_signers"]:
                    services.suggestion_invite_cosigners(
                        suggestion=suggestion,
                        mandates=selectors.mandates_by_id(data["co_signers"]),
                        actor=user,
                    )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("修改已保存。"))
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/suggestion_form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "cosigners": list(suggestion.cosigners.select_related("mandate__person")),
            "similar_url": reverse("proposals:similar"),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def similar(request: HttpRequest) -> JsonResponse:
    """Up to 5 similar suggestions of a congress and year (``congress``, ``text``,
    ``year``?, ``exclude``?) for the hint beside the write form. Titles of the same
    congress are shown to its deputies to encourage merging early; links only to
    what the user may open."""
    user = request.user
    try:
        congress_id = int(request.GET.get("congress") or 0)
        year = int(request.GET.get("year") or 0) or timezone.localdate().year
        exclude = int(request.GET.get("exclude") or 0) or None
    except ValueError as exc:
        raise Http404 from exc
    congress = Congress.objects.select_related("region").filter(pk=congress_id).first()
    if congress is None or not may_consult_congress(user, congress):
        raise Http404
    rows = selectors.similar_suggestions(
        user,
        congress=congress,
        year=year,
        text=selectors.probe((request.GET.get("text") or "")[:200]),
        exclude_pk=exclude,
    )
    results = [
        {
            "id": row["s"].pk,
            "title": row["s"].title,
            "number_display": row["s"].number_display,
            "status": str(row["status"]),
            "url": reverse("proposals:detail", args=[row["s"].pk])
            if row["visible"]
            else None,
        }
        for row in rows
    ]
    return JsonResponse({"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def from_opinion(request: HttpRequest, opinion_pk: int) -> HttpResponse:
    """Start the draft of an opinion a station converted for the user."""
    user = request.user
    opinion = get_object_or_404(
        selectors.opinions_converted_for(user).select_related(
            "station", "converted_for__congress"
        ),
        pk=opinion_pk,
    )
    if request.method == "POST":
        try:
            suggestion = services.suggestion_from_opinion(opinion=opinion, actor=user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:mine")
        messages.success(request, _("已根据群众意见起草建议，请补充分析和建议后提交。"))
        return redirect("proposals:edit", pk=suggestion.pk)
    return render(
        request,
        "proposals/from_opinion.html",
        {
            "opinion": opinion,
            "existing": Suggestion.objects.filter(source_opinion=opinion).first(),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(request.user, "submit", suggestion)
    try:
        services.suggestion_submit(suggestion=suggestion, actor=request.user)
    except TransitionError as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        form = Form(data={})
        form.is_valid()
        web.apply_service_error(form, exc)
        return render_detail(request, suggestion, status=400, submit_form=form)
    else:
        messages.success(request, _("已提交，等待人大工作人员审查。"))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_or_404(request, pk)
    SuggestionPolicy.require(request.user, "withdraw", suggestion)
    form = forms.OptionalReasonForm(request.POST)
    if not form.is_valid():
        return render_detail(request, suggestion, status=400, withdraw_form=form)
    try:
        services.suggestion_withdraw(
            suggestion=suggestion,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回。"))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def cosign(request: HttpRequest, pk: int) -> HttpResponse:
    """A co-signer confirms or declines electronically."""
    suggestion = get_object_or_404(
        selectors.suggestions_for_detail()
        .prefetch_related(selectors.cosigners_prefetch())
        .visible_to(request.user),
        pk=pk,
    )
    SuggestionPolicy.require(request.user, "cosign", suggestion)
    cosigner = SuggestionPolicy.my_cosigner(request.user, suggestion)
    form = forms.CosignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["accept"]
        try:
            services.cosigner_respond(
                cosigner=cosigner, accept=accept, actor=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("已确认联名。") if accept else _("已谢绝联名。")
            )
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/cosign.html",
        {
            "s": suggestion,
            "cosigner": cosigner,
            "form": form,
            "labels": forms.TEXT_LABELS[suggestion.kind],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The deputy rates the handling; shown once, never editable."""
    return detail_form_action(
        request,
        pk,
        action="evaluate",
        form_class=forms.EvaluationForm,
        form_key="evaluation_form",
        run=lambda s, data: services.suggestion_evaluate(
            suggestion=s, actor=request.user, **data
        ),
        done=lambda _s: _("评价已提交，感谢您的评价。"),
    )


@login_required
@require_POST
def commitment_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead deputy's receipt (回执) of a commitment the unit reports done:
    confirmed, or not yet done with the reason."""
    user = request.user
    commitment = get_object_or_404(selectors.commitments_visible_to(user), pk=pk)
    suggestion = commitment.reply.assignment.suggestion
    if not SuggestionPolicy.is_lead(user, suggestion):
        raise Forbidden(_("只有领衔代表本人可以确认承诺事项的落实情况。"))
    form = forms.ReceiptForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择落实情况。"))
        return redirect("proposals:detail", pk=suggestion.pk)
    try:
        services.commitment_confirm(
            commitment=commitment,
            accept=form.cleaned_data["accept"],
            note=form.cleaned_data["note"],
            actor=user,
        )
    except (DomainError, TransitionError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已确认承诺事项落实。")
            if form.cleaned_data["accept"]
            else _("已告知承办单位该承诺事项尚未落实。"),
        )
    return redirect("proposals:detail", pk=suggestion.pk)
