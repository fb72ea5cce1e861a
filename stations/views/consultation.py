"""Legislative consultation (基层立法联系点): province and city congress staff
publish a draft regulation through chosen stations, decide the comments,
summarise them and publish the feedback; stations record the comments they
collect; the public reads the draft, sends a comment and reads the feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.ratelimit import client_address
from portal.services import DomainError

from .. import consultation_services as services
from .. import incentive_forms as forms
from .. import incentive_selectors as selectors
from ..consultation_models import DraftComment, LegislativeDraft
from ..incentive_policies import (
    DraftPolicy,
    IncentiveDeskPolicy,
    acting_congresses,
)


@login_required
@require_GET
def draft_list(request: HttpRequest) -> HttpResponse:
    IncentiveDeskPolicy.require(request.user, "read_consultation")
    page, page_range = web.paginate(request, selectors.drafts(request.user))
    return render(
        request,
        "stations/consultation/list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "can_create": IncentiveDeskPolicy.allows(request.user, "create_draft"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request: HttpRequest) -> HttpResponse:
    IncentiveDeskPolicy.require(request.user, "create_draft")
    return web.form_page(
        request,
        forms.DraftForm(
            request.POST or None,
            congresses=acting_congresses(request.user, *LegislativeDraft.LEVELS),
        ),
        save=lambda data: services.draft_create(
            congress=data["congress"],
            title=data["title"],
            text=data["text"],
            explanation=data["explanation"],
            closes_on=data["closes_on"],
            stations=list(data["stations"]),
            actor=request.user,
        ),
        success=_("征求意见稿已保存。"),
        to=lambda draft: _detail_url(draft.pk),
        template="stations/consultation/form.html",
    )


def _draft(request: HttpRequest, pk: int) -> LegislativeDraft:
    return get_object_or_404(
        LegislativeDraft.objects.visible_to(request.user).select_related(
            "congress__region"
        ),
        pk=pk,
    )


def _render(request, draft, status=200, **bound) -> HttpResponse:
    context = selectors.draft_detail(request.user, draft)
    context.update(
        comment_form=bound.get("comment_form")
        or (
            forms.CommentForm(stations=context["collecting_stations"])
            if context["can_collect"]
            else None
        ),
        decide_form=forms.CommentDecideForm(),
        summary_form=bound.get("summary_form") or forms.SummaryForm(),
        feedback_form=bound.get("feedback_form") or forms.FeedbackForm(),
    )
    return render(request, "stations/consultation/detail.html", context, status=status)


@login_required
@require_GET
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _draft(request, pk))


def _detail_url(pk: int) -> str:
    return reverse("stations:consultation_detail", args=[pk])


def _step(request, pk, service, done) -> HttpResponse:
    draft = _draft(request, pk)
    DraftPolicy.require(request.user, "manage", draft)
    return web.button_step(
        request, lambda: service(draft=draft, actor=request.user), done, _detail_url(pk)
    )


@login_required
@require_POST
def draft_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.draft_open, _("已发布征求意见。"))


@login_required
@require_POST
def draft_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.draft_close, _("征求意见已结束。"))


@login_required
@require_POST
def draft_summarise(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    DraftPolicy.require(request.user, "manage", draft)
    return web.form_post(
        request,
        forms.SummaryForm(request.POST),
        save=lambda data: services.draft_summarise(
            draft=draft, summary=data["summary"], actor=request.user
        ),
        success=_("意见已汇总。"),
        to=lambda _draft: _detail_url(pk),
        page=lambda form: _render(request, draft, summary_form=form),
    )


@login_required
@require_POST
def draft_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    DraftPolicy.require(request.user, "manage", draft)
    return web.form_post(
        request,
        forms.FeedbackForm(request.POST),
        save=lambda data: services.draft_publish_feedback(
            draft=draft, feedback=data["feedback"], actor=request.user
        ),
        success=_("采纳情况已反馈联系点并向社会公布。"),
        to=lambda _draft: _detail_url(pk),
        page=lambda form: _render(request, draft, feedback_form=form),
    )


@login_required
@require_POST
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    DraftPolicy.require(request.user, "collect", draft)
    stations = selectors.draft_detail(request.user, draft)["collecting_stations"]
    return web.form_post(
        request,
        forms.CommentForm(request.POST, stations=stations),
        save=lambda data: services.comment_add(
            draft=draft,
            station=data["station"],
            source=data["source"],
            content=data["content"],
            article=data["article"],
            reception=data["reception"],
            mandate=data["mandate"],
            actor=request.user,
        ),
        success=_("意见已登记。"),
        to=lambda _comment: _detail_url(pk),
        page=lambda form: _render(request, draft, comment_form=form),
    )


@login_required
@require_POST
def comment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        DraftComment.objects.visible_to(request.user).select_related(
            "draft__congress__region"
        ),
        pk=pk,
    )
    DraftPolicy.require(request.user, "manage", comment.draft)
    return web.form_step(
        request,
        forms.CommentDecideForm(request.POST),
        lambda data: services.comment_decide(
            comment=comment,
            adoption=data["adoption"],
            note=data["note"],
            actor=request.user,
        ),
        _("采纳情况已记录。"),
        _detail_url(comment.draft_id),
        invalid=_("请选择采纳情况。"),
    )


# --- the public -------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    page, page_range = web.paginate(request, selectors.public_drafts())
    return render(
        request,
        "stations/consultation/public_list.html",
        {"page_obj": page, "page_range": page_range},
    )


@require_http_methods(["GET", "POST"])
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(selectors.public_drafts(), pk=pk)
    open_ = draft.status == LegislativeDraft.Status.OPEN
    form = None
    status = 200
    if open_:
        if request.method == "POST":
            form = forms.PublicCommentForm(
                request.POST, draft=draft, address=client_address(request)
            )
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.comment_add(
                        draft=draft,
                        station=data["station"],
                        source=DraftComment.Source.PUBLIC,
                        content=data["content"],
                        article=data["article"],
                        author_name=data["author_name"],
                        actor=None,
                    )
                except DomainError as exc:
                    web.apply_service_error(form, exc)
                else:
                    messages.success(request, _("感谢您的意见，联系点将汇总报送。"))
                    return redirect("stations:consultation_public_detail", pk=pk)
            status = 429 if form.rate_limited else 400
        else:
            form = forms.PublicCommentForm(draft=draft)
    elif request.method == "POST":
        status = 409
    context = selectors.public_draft(draft)
    context["form"] = form
    response = render(
        request, "stations/consultation/public_detail.html", context, status=status
    )
    if form is not None:
        add_never_cache_headers(response)
    if status == 429:
        response["Retry-After"] = "3600"
    return response
