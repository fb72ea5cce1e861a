"""Commendations (大激励): congress staff run selection campaigns (nominate from
the data and by hand, review, approve with a document number, publish); the
public reads the published results; deputies, units and stations see their own
awards; staff record 提醒谈话/诫勉 with deputies of persistent 零履职."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Mandate
from portal import web
from portal.services import DomainError

from ..commendations import forms, selectors, services
from ..commendations.models import Campaign, Nomination
from ..commendations.policies import (
    CampaignPolicy,
    CommendationDeskPolicy,
    ZeroStepPolicy,
    acting_congresses,
)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    CommendationDeskPolicy.require(request.user, "read")
    page, page_range = web.paginate(request, selectors.campaigns(request.user))
    return render(
        request,
        "proposals/commendations/list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "can_create": CommendationDeskPolicy.allows(request.user, "create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    CommendationDeskPolicy.require(request.user, "create")
    return web.form_page(
        request,
        forms.CampaignForm(
            request.POST or None, congresses=acting_congresses(request.user)
        ),
        save=lambda data: services.campaign_create(actor=request.user, **data),
        success=_("评选已创建。"),
        to=lambda campaign: _detail_url(campaign.pk),
        template="proposals/commendations/form.html",
    )


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("congress__region"),
        pk=pk,
    )


def _render(request, campaign, status=200, **bound) -> HttpResponse:
    context = selectors.campaign_detail(request.user, campaign)
    context.update(
        nomination_form=bound.get("nomination_form")
        or (
            forms.NominationForm(campaign=campaign) if context["can_nominate"] else None
        ),
        approve_form=bound.get("approve_form")
        or forms.ApproveForm(initial={"approved_on": timezone.localdate()}),
        cancel_form=bound.get("cancel_form") or forms.CancelForm(),
        review_form=forms.ReviewForm(),
    )
    return render(
        request, "proposals/commendations/detail.html", context, status=status
    )


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _campaign(request, pk))


def _detail_url(pk: int) -> str:
    return reverse("proposals:commendation_detail", args=[pk])


def _step(request, pk, service, done) -> HttpResponse:
    campaign = _campaign(request, pk)
    CampaignPolicy.require(request.user, "manage", campaign)
    return web.button_step(
        request,
        lambda: service(campaign=campaign, actor=request.user),
        done,
        _detail_url(pk),
    )


@login_required
@require_POST
def campaign_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.campaign_open, _("已开始推荐。"))


@login_required
@require_POST
def campaign_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.campaign_draw_nominations,
        _("已从数据中推荐人选。"),
    )


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        services.campaign_close_nominations,
        _("推荐已结束，进入审核。"),
    )


@login_required
@require_POST
def campaign_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.campaign_publish, _("评选结果已公布。"))


@login_required
@require_POST
def campaign_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    CampaignPolicy.require(request.user, "manage", campaign)
    form = forms.NominationForm(request.POST, campaign=campaign)
    return web.form_post(
        request,
        form,
        save=lambda data: services.nomination_add(
            campaign=campaign,
            target=form.target_object(),
            reason=data["reason"],
            actor=request.user,
        ),
        success=_("推荐对象已添加。"),
        to=lambda _nomination: _detail_url(pk),
        page=lambda bound: _render(request, campaign, nomination_form=bound),
    )


@login_required
@require_POST
def campaign_approve(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    CampaignPolicy.require(request.user, "manage", campaign)
    return web.form_post(
        request,
        forms.ApproveForm(request.POST),
        save=lambda data: services.campaign_approve(
            campaign=campaign, actor=request.user, **data
        ),
        success=_("评选结果已批准。"),
        to=lambda _result: _detail_url(pk),
        page=lambda bound: _render(request, campaign, approve_form=bound),
    )


@login_required
@require_POST
def campaign_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    CampaignPolicy.require(request.user, "manage", campaign)
    return web.form_post(
        request,
        forms.CancelForm(request.POST),
        save=lambda data: services.campaign_cancel(
            campaign=campaign, reason=data["reason"], actor=request.user
        ),
        success=_("评选已撤销。"),
        to=lambda _result: _detail_url(pk),
        page=lambda bound: _render(request, campaign, cancel_form=bound),
    )


@login_required
@require_POST
def nomination_review(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = get_object_or_404(
        Nomination.objects.visible_to(request.user).select_related("campaign"), pk=pk
    )
    CampaignPolicy.require(request.user, "manage", nomination.campaign)
    return web.form_step(
        request,
        forms.ReviewForm(request.POST),
        lambda data: services.nomination_review(
            nomination=nomination,
            accept=data["decision"] == "accept",
            note=data["note"],
            actor=request.user,
        ),
        _("审核结果已记录。"),
        _detail_url(nomination.campaign_id),
        invalid=_("请选择审核结果。"),
    )


# --- own awards and the public notice ---------------------------------------------


@login_required
@require_GET
def my_awards(request: HttpRequest) -> HttpResponse:
    """A deputy's, a unit's or a station's own published awards (其荣誉记录)."""
    page, page_range = web.paginate(request, selectors.own_awards(request.user))
    return render(
        request,
        "proposals/commendations/mine.html",
        {"page_obj": page, "page_range": page_range},
    )


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    page, page_range = web.paginate(request, selectors.public_campaigns())
    return render(
        request,
        "proposals/commendations/public_list.html",
        {"page_obj": page, "page_range": page_range},
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(selectors.public_campaigns(), pk=pk)
    return render(
        request,
        "proposals/commendations/public_detail.html",
        {"campaign": campaign, "awards": selectors.public_awards(campaign)},
    )


# --- 零履职: 提醒谈话 and 诫勉 (staff only) -------------------------------------------------


@login_required
@require_GET
def zero_list(request: HttpRequest) -> HttpResponse:
    CommendationDeskPolicy.require(request.user, "read_zero_performance")
    year = _year(request)
    page, page_range = web.paginate(
        request, selectors.zero_performance_rows(request.user, year)
    )
    return render(
        request,
        "proposals/commendations/zero_list.html",
        {"page_obj": page, "page_range": page_range, "year": year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def zero_record(request: HttpRequest, pk: int) -> HttpResponse:
    CommendationDeskPolicy.require(request.user, "read_zero_performance")
    mandate = get_object_or_404(
        Mandate.objects.visible_to(request.user).select_related(
            "person", "congress__region", "term"
        ),
        pk=pk,
    )
    year = _year(request)
    form = forms.ZeroStepForm(
        request.POST or None, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST":
        ZeroStepPolicy.require(request.user, "record", mandate)
        if form.is_valid():
            try:
                services.zero_step_record(
                    mandate=mandate, year=year, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                web.apply_service_error(form, exc)
            else:
                messages.success(request, _("谈话情况已记录。"))
                return redirect(f"{request.path}?year={year}")
    context = selectors.zero_mandate_detail(request.user, mandate, year)
    context["form"] = form
    return render(
        request,
        "proposals/commendations/zero_record.html",
        context,
        status=400 if form.is_bound else 200,
    )
