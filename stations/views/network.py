"""Stations as networks and assessed, and grassroots governance (issue 17):
a station's points (一站多点), duty targets, the annual 建管用 assessment,
政策宣讲/普法/调解 activities, mediation cases and 社情民意 reports.

Thin handlers: look up in scope (404), ask the policy (403), validate a form,
call one service, redirect with a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Mandate
from portal import web
from portal.policies import Forbidden, scope_for
from portal.services import DomainError
from portal.web.forms import int_or_none

from ..models import (
    MediationCase,
    SocialReport,
    Station,
    StationActivity,
    StationAssessment,
)
from ..network import forms, selectors, services
from ..network.policies import (
    AssessmentPolicy,
    MediationPolicy,
    SocialReportPolicy,
    may_open_assessment,
    works_with_networks,
)
from ..policies import StationPolicy
from ..selectors import station_congress

T = "stations/network/"


def _station(request: HttpRequest, pk: int) -> Station:
    return get_object_or_404(
        Station.objects.visible_to(request.user).select_related("region"), pk=pk
    )


def _managed_station(request: HttpRequest, pk: int) -> Station:
    station = _station(request, pk)
    StationPolicy.require(request.user, "manage", station)
    return station


def _require_staff(request: HttpRequest) -> None:
    if not works_with_networks(request.user):
        raise Forbidden(_("只有联络站工作人员和人大工作人员可以查看。"))


def _year(request: HttpRequest) -> int:
    value = int_or_none(request.GET.get("year"))
    today = timezone.localdate()
    return value if value and 2000 <= value <= today.year + 1 else today.year


# --- the station's network ----------------------------------------------------------


@login_required
@require_GET
def network(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's points, its deputies' duty targets, assessments and governance."""
    station = _station(request, pk)
    context = selectors.station_network(station, timezone.localdate())
    context["can_manage"] = StationPolicy.allows(request.user, "manage", station)
    context["can_assess"] = may_open_assessment(
        request.user, station, getattr(station_congress(station), "pk", None)
    )
    context["assessment_form"] = forms.AssessmentCreateForm()
    return render(request, T + "network.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def point_add(request: HttpRequest, pk: int) -> HttpResponse:
    """一站多点: a point (联络点) of the station, with its own roster."""
    station = _managed_station(request, pk)
    return web.form_page(
        request,
        forms.PointForm(request.POST or None, station=station),
        save=lambda data: services.station_point_create(
            parent=station,
            name=data["name"],
            code=data["code"],
            region=data["region"],
            tracking_prefix=data["tracking_prefix"],
            address=data["address"],
            actor=request.user,
        ),
        success=lambda point: _("已设立联络点%(name)s。") % {"name": point.name},
        to=lambda _point: reverse("stations:network", args=[station.pk]),
        template=T + "form_page.html",
        context={"station": station, "title": _("新设联络点")},
    )


@login_required
@require_GET
def duty_targets(request: HttpRequest) -> HttpResponse:
    """进站履职目标: each deputy's duty days this year against the rule, least first."""
    _require_staff(request)
    year = _year(request)
    station_id = int_or_none(request.GET.get("station"))
    page, page_range = web.paginate(
        request, selectors.duty_target_list(request.user, year, station_id)
    )
    rows = selectors.target_rows(list(page.object_list), year, timezone.localdate())
    return render(
        request,
        T + "duty_targets.html",
        {"page_obj": page, "page_range": page_range, "rows": rows, "year": year},
    )


# --- assessments --------------------------------------------------------------------


def _assessment(request: HttpRequest, pk: int) -> StationAssessment:
    return get_object_or_404(
        StationAssessment.objects.visible_to(request.user).select_related(
            "station__region", "assessor", "congress"
        ),
        pk=pk,
    )


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    """Assessments in scope, newest year first (the approvers' queue by status)."""
    _require_staff(request)
    queryset = StationAssessment.objects.visible_to(request.user).with_list_related()
    status = request.GET.get("status", "")
    if status in StationAssessment.Status.values:
        queryset = queryset.filter(status=status)
    page, page_range = web.paginate(request, queryset.order_by("-year", "-id"))
    return render(
        request,
        T + "assessment_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "status": status,
            "statuses": StationAssessment.Status.choices,
        },
    )


@login_required
@require_POST
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk)
    own = station_congress(station)
    if not may_open_assessment(request.user, station, getattr(own, "pk", None)):
        raise Forbidden(_("只有本站工作人员或本级人大工作人员可以填报考评。"))
    form = forms.AssessmentCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("考评年度不正确。"))
        return redirect("stations:network", pk=station.pk)
    try:
        assessment = services.assessment_create(
            station=station, year=form.cleaned_data["year"], actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stations:network", pk=station.pk)
    return redirect("stations:assessment", pk=assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An assessment: the checklist with points and evidence (editable while a
    draft or refused), the total and grade, the decision and the history."""
    assessment = _assessment(request, pk)
    flags = AssessmentPolicy.flags(request.user, assessment)
    items = selectors.assessment_items(assessment)
    form = forms.AssessmentScoreForm(
        request.POST or None,
        request.FILES or None,
        assessment=assessment,
        items=items,
    )
    status = 200
    if request.method == "POST":
        AssessmentPolicy.require(request.user, "edit", assessment)
        if form.is_valid():
            try:
                services.assessment_score(
                    assessment=assessment,
                    scores=form.scores(),
                    evidence=form.evidence(),
                    evidence_file=form.cleaned_data.get("evidence_file"),
                    actor=request.user,
                )
            except (ValidationError, DomainError) as exc:
                web.apply_service_error(form, exc)
            else:
                messages.success(request, _("已保存各项得分。"))
                return redirect("stations:assessment", pk=assessment.pk)
        status = 400
    context: dict[str, Any] = {
        "assessment": assessment,
        "items": items,
        "form": form,
        "reason_form": forms.ReasonForm(),
        "events": assessment.events.select_related("actor"),
        **flags,
    }
    return render(request, T + "assessment.html", context, status=status)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    AssessmentPolicy.require(request.user, "submit", assessment)
    return web.button_step(
        request,
        lambda: services.assessment_submit(assessment=assessment, actor=request.user),
        _("已报送上级人大审定。"),
        "stations:assessment",
        pk=assessment.pk,
    )


@login_required
@require_POST
def assessment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    AssessmentPolicy.require(request.user, "decide", assessment)
    return web.button_step(
        request,
        lambda: services.assessment_approve(assessment=assessment, actor=request.user),
        _("已审定。"),
        "stations:assessment",
        pk=assessment.pk,
    )


@login_required
@require_POST
def assessment_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment(request, pk)
    AssessmentPolicy.require(request.user, "decide", assessment)
    return web.button_step(
        request,
        lambda: services.assessment_refuse(
            assessment=assessment,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        ),
        _("已退回。"),
        "stations:assessment",
        pk=assessment.pk,
    )


# --- governance activities and mediation --------------------------------------------


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    queryset = StationActivity.objects.visible_to(request.user).with_list_related()
    kind = request.GET.get("kind", "")
    if kind in StationActivity.Kind.values:
        queryset = queryset.filter(kind=kind)
    page, page_range = web.paginate(request, queryset.order_by("-date", "-id"))
    return render(
        request,
        T + "activity_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "kind": kind,
            "kinds": StationActivity.Kind.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, pk: int) -> HttpResponse:
    station = _managed_station(request, pk)
    return web.form_page(
        request,
        forms.ActivityForm(request.POST or None, station=station),
        save=lambda data: services.activity_record(
            station=station,
            kind=data["kind"],
            date=data["date"],
            title=data["title"],
            deputies=list(data["deputies"]),
            participants=data["participants"],
            notes=data["notes"],
            actor=request.user,
        ),
        success=_("已记录活动。"),
        to=lambda _activity: reverse("stations:network", args=[station.pk]),
        template=T + "form_page.html",
        context={"station": station, "title": _("记录基层治理活动")},
    )


@login_required
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    queryset = MediationCase.objects.visible_to(request.user).with_list_related()
    page, page_range = web.paginate(request, queryset.order_by("-created_at", "-id"))
    rows = [selectors.mediation_row(c) for c in page.object_list]
    return render(
        request,
        T + "mediation_list.html",
        {"page_obj": page, "page_range": page_range, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mediation_create(request: HttpRequest, pk: int) -> HttpResponse:
    station = _managed_station(request, pk)
    return web.form_page(
        request,
        forms.MediationOpenForm(request.POST or None, station=station),
        save=lambda data: services.mediation_open(
            opinion=data["opinion"],
            parties=data["parties"],
            subject=data["subject"],
            deputies=list(data["deputies"]),
            actor=request.user,
        ),
        success=_("已登记调解。"),
        to=lambda case: reverse("stations:mediation", args=[case.pk]),
        template=T + "form_page.html",
        context={"station": station, "title": _("登记矛盾纠纷调解")},
    )


def _case(request: HttpRequest, pk: int) -> MediationCase:
    return get_object_or_404(
        MediationCase.objects.visible_to(request.user).select_related(
            "station__region", "opinion"
        ),
        pk=pk,
    )


@login_required
@require_GET
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(
        request,
        T + "mediation.html",
        {
            "case": case,
            "row": selectors.mediation_row(case),
            "form": forms.MediationCloseForm(),
            "events": case.events.select_related("actor"),
            **MediationPolicy.flags(request.user, case),
        },
    )


@login_required
@require_POST
def mediation_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    MediationPolicy.require(request.user, "close", case)
    form = forms.MediationCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择调解结果并填写说明。"))
    else:
        web.run_step(
            request,
            lambda: services.mediation_close(
                case=case,
                success=form.cleaned_data["success"],
                outcome=form.cleaned_data["outcome"],
                actor=request.user,
            ),
            _("调解已结案。"),
        )
    return redirect("stations:mediation", pk=case.pk)


# --- 社情民意 -----------------------------------------------------------------------


def _report(request: HttpRequest, pk: int) -> SocialReport:
    return get_object_or_404(
        SocialReport.objects.visible_to(request.user).select_related(
            "station", "author__person", "congress__region", "forwarded_to"
        ),
        pk=pk,
    )


@login_required
@require_GET
def social_report_list(request: HttpRequest) -> HttpResponse:
    """社情民意 in scope: sent by my stations or me, or sent to my congress."""
    scope = scope_for(request.user)
    if not (works_with_networks(request.user) or scope.is_deputy):
        raise Forbidden(_("只有联络站、代表和人大工作人员可以查看社情民意。"))
    status = request.GET.get("status", "")
    if status not in SocialReport.Status.values:
        status = ""
    page, page_range = web.paginate(
        request, selectors.social_report_list(request.user, status)
    )
    rows = [
        {"report": r, "sender": selectors.sender_label(r)} for r in page.object_list
    ]
    return render(
        request,
        T + "social_report_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": rows,
            "status": status,
            "statuses": SocialReport.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def social_report_create(request: HttpRequest) -> HttpResponse:
    """Write a 社情民意 report: for one of my stations, or as a deputy."""
    scope = scope_for(request.user)
    stations = Station.objects.filter(pk__in=scope.station_ids).order_by("name")
    mandate = (
        Mandate.objects.active()
        .filter(person__user=request.user)
        .select_related("congress__region")
        .order_by("-congress__region__depth", "pk")
        .first()
        if scope.is_deputy
        else None
    )
    if not scope.station_ids and mandate is None:
        raise Forbidden(_("只有联络站工作人员和代表可以报送社情民意。"))
    return web.form_page(
        request,
        forms.SocialReportForm(request.POST or None, stations=stations),
        save=lambda data: services.social_report_create(
            title=data["title"],
            content=data["content"],
            category=data["category"],
            station=data.get("station"),
            author=None if data.get("station") else mandate,
            actor=request.user,
        ),
        success=_("已保存草稿，核对后请报送。"),
        to=lambda report: reverse("stations:social_report", args=[report.pk]),
        template=T + "form_page.html",
        context={"mandate": mandate, "title": _("报送社情民意")},
    )


@login_required
@require_GET
def social_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    flags = SocialReportPolicy.flags(request.user, report)
    return render(
        request,
        T + "social_report.html",
        {
            "report": report,
            "sender": selectors.sender_label(report),
            "answer_form": forms.AnswerForm() if flags["can_answer"] else None,
            "forward_form": forms.ForwardForm(congress=report.congress)
            if flags["can_forward"]
            else None,
            "events": report.events.select_related("actor"),
            **flags,
        },
    )


@login_required
@require_POST
def social_report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    SocialReportPolicy.require(request.user, "submit", report)
    return web.button_step(
        request,
        lambda: services.social_report_submit(report=report, actor=request.user),
        _("已报送%(congress)s。") % {"congress": report.congress.name},
        "stations:social_report",
        pk=report.pk,
    )


@login_required
@require_POST
def social_report_answer(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    SocialReportPolicy.require(request.user, "answer", report)
    return web.button_step(
        request,
        lambda: services.social_report_answer(
            report=report, answer=request.POST.get("answer", ""), actor=request.user
        ),
        _("已答复。"),
        "stations:social_report",
        pk=report.pk,
    )


@login_required
@require_POST
def social_report_forward(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    SocialReportPolicy.require(request.user, "forward", report)
    form = forms.ForwardForm(request.POST, congress=report.congress)
    if not form.is_valid():
        messages.error(request, _("请选择转送单位。"))
    else:
        web.run_step(
            request,
            lambda: services.social_report_forward(
                report=report,
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
                actor=request.user,
            ),
            _("已转送%(unit)s。") % {"unit": form.cleaned_data["unit"].name},
        )
    return redirect("stations:social_report", pk=report.pk)
