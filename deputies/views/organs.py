"""State organs contacting deputies and 列席常委会会议 (issue 16), by audience:
an organ's staff (their plans, contacts, the record form), congress staff
(coverage, meetings and invitations) and the deputy (who contacted me, my
invitations). Thin: selector, policy, form, one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.models import Congress
from portal.services import DomainError

from .. import organ_forms as forms
from .. import organ_selectors as selectors
from .. import organ_services as services
from ..organ_policies import (
    InvitationPolicy,
    MeetingPolicy,
    OrganPlanPolicy,
    OrganWorkspacePolicy,
    plannable_units,
)
from ..policies import managed_congresses


def _year(request: HttpRequest) -> int:
    form = forms.YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"]
    return timezone.localdate().year


# --- an organ's plans and contacts ---------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """联系代表计划: the organ's own plans (unit staff), the region's (congress staff)."""
    OrganWorkspacePolicy.require(request.user, "browse_plans")
    year = _year(request)
    page, page_range = web.paginate(request, selectors.plan_list(request.user, year))
    return render(
        request,
        "deputies/organs/plan_list.html",
        {
            "rows": selectors.progress_rows(page.object_list),
            "page_obj": page,
            "page_range": page_range,
            "year": year,
            "can_create": OrganWorkspacePolicy.allows(request.user, "create_plan"),
            "can_coverage": OrganWorkspacePolicy.allows(request.user, "coverage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """A new plan: choose the organ, then its deputies and frequency."""
    OrganWorkspacePolicy.require(request.user, "create_plan")
    units = plannable_units(request.user)
    chooser = forms.PlanUnitForm(
        request.GET if "unit" in request.GET else None, units=units
    )
    if not (chooser.is_bound and chooser.is_valid()):
        return render(request, "deputies/organs/plan_unit.html", {"chooser": chooser})
    unit = chooser.cleaned_data["unit"]
    congress = services.organ_congress(unit)
    if congress is None:
        messages.error(request, _("该机关所在区划没有人民代表大会。"))
        return redirect("deputies:organ_plan_list")
    return web.form_page(
        request,
        forms.PlanForm(request.POST or None, congress=congress),
        save=lambda data: services.organ_plan_create(
            unit=unit,
            year=data["year"],
            deputies=data["deputies"],
            contacts_per_deputy=data["contacts_per_deputy"],
            note=data["note"],
            actor=request.user,
        ),
        success=lambda plan: _("已制定%(plan)s。") % {"plan": plan},
        to=lambda plan: reverse("deputies:organ_plan_detail", args=[plan.pk]),
        template="deputies/organs/plan_form.html",
        context={"unit": unit, "congress": congress},
    )


def _plan_page(request: HttpRequest, plan, **bound) -> HttpResponse:
    context = selectors.plan_detail(request.user, plan)
    if context["can_manage"]:
        context["deputies_form"] = bound.get("deputies_form") or forms.PlanDeputiesForm(
            initial={"deputies": [row["mandate"].pk for row in context["deputies"]]},
            congress=plan.congress,
        )
    context["result_form"] = forms.ResultForm()
    return render(request, "deputies/organs/plan_detail.html", context)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, selectors.plan_get(request.user, pk))


@login_required
@require_POST
def plan_deputies(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the deputies of a plan."""
    plan = selectors.plan_get(request.user, pk)
    OrganPlanPolicy.require(request.user, "manage", plan)
    form = forms.PlanDeputiesForm(request.POST, congress=plan.congress)
    if form.is_valid():
        try:
            services.organ_plan_set_deputies(
                plan=plan, deputies=form.cleaned_data["deputies"], actor=request.user
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已更新联系的代表。"))
            return redirect("deputies:organ_plan_detail", pk=plan.pk)
    return _plan_page(request, plan, deputies_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a contact of the plan's organ with deputies."""
    plan = selectors.plan_get(request.user, pk)
    OrganPlanPolicy.require(request.user, "record_contact", plan)
    return web.form_page(
        request,
        forms.ContactForm(request.POST or None, congress=plan.congress),
        save=lambda data: services.organ_contact_record(
            plan=plan, actor=request.user, **data
        ),
        success=_("已登记联系代表情况。"),
        to=lambda _contact: reverse("deputies:organ_plan_detail", args=[plan.pk]),
        template="deputies/organs/contact_form.html",
        context={"plan": plan},
    )


@login_required
@require_POST
def contact_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a contact's follow-up with its result."""
    contact = selectors.contact_get(request.user, pk)
    OrganPlanPolicy.require(request.user, "record_contact", contact.plan)
    return web.form_step(
        request,
        forms.ResultForm(request.POST),
        lambda data: services.organ_contact_follow_up_done(
            contact=contact, result=data["result"], actor=request.user
        ),
        _("已登记跟进结果。"),
        "deputies:organ_plan_detail",
        pk=contact.plan_id,
        invalid=_("请填写跟进结果。"),
    )


# --- congress staff: coverage and meetings --------------------------------------------


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    """国家机关联系代表覆盖情况 of a year."""
    OrganWorkspacePolicy.require(request.user, "coverage")
    year = _year(request)
    return render(
        request,
        "deputies/organs/coverage.html",
        selectors.coverage(request.user, year),
    )


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """常委会会议 and the term's 列席 coverage."""
    OrganWorkspacePolicy.require(request.user, "browse_meetings")
    page, page_range = web.paginate(request, selectors.meeting_list(request.user))
    return render(
        request,
        "deputies/organs/meeting_list.html",
        {
            "meetings": page.object_list,
            "page_obj": page,
            "page_range": page_range,
            "coverage": selectors.invitation_coverage(request.user),
            "can_create": OrganWorkspacePolicy.allows(request.user, "create_meeting"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    OrganWorkspacePolicy.require(request.user, "create_meeting")
    congresses = managed_congresses(request.user).exclude(level=Congress.Level.TOWNSHIP)
    return web.form_page(
        request,
        forms.MeetingForm(request.POST or None, congresses=congresses),
        save=lambda data: services.standing_meeting_create(actor=request.user, **data),
        success=lambda meeting: _("已登记%(meeting)s。") % {"meeting": meeting},
        to=lambda meeting: reverse("deputies:organ_meeting_detail", args=[meeting.pk]),
        template="deputies/organs/meeting_form.html",
    )


def _meeting_page(request: HttpRequest, meeting, **bound) -> HttpResponse:
    context = selectors.meeting_detail(request.user, meeting)
    if context["can_manage"]:
        context["invite_form"] = bound.get("invite_form") or forms.InviteForm(
            meeting=meeting
        )
        context["opinion_form"] = forms.OpinionForm()
        context["follow_up_form"] = forms.OpinionFollowUpForm(congress=meeting.congress)
        context["result_form"] = forms.ResultForm()
    context["can_browse"] = OrganWorkspacePolicy.allows(request.user, "browse_meetings")
    return render(request, "deputies/organs/meeting_detail.html", context)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(request.user, pk))


@login_required
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    MeetingPolicy.require(request.user, "manage", meeting)
    form = forms.InviteForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            count = services.meeting_invite(
                meeting=meeting,
                mandates=form.cleaned_data["mandates"],
                topic=form.cleaned_data["topic"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已邀请%(n)s名代表列席。") % {"n": count})
            return redirect("deputies:organ_meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, invite_form=form)


@login_required
@require_POST
def invitation_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """Record whether the invited deputy attended."""
    invitation = selectors.invitation_get(request.user, pk)
    MeetingPolicy.require(request.user, "manage", invitation.meeting)
    return web.form_step(
        request,
        forms.MarkForm(request.POST),
        lambda data: services.invitation_mark(
            invitation=invitation, attended=data["attended"], actor=request.user
        ),
        _("已登记出席情况。"),
        "deputies:organ_meeting_detail",
        pk=invitation.meeting_id,
        invalid=_("请选择出席情况。"),
    )


@login_required
@require_POST
def opinion_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an opinion the deputy gave while attending."""
    invitation = selectors.invitation_get(request.user, pk)
    MeetingPolicy.require(request.user, "manage", invitation.meeting)
    return web.form_step(
        request,
        forms.OpinionForm(request.POST),
        lambda data: services.opinion_record(
            invitation=invitation, text=data["text"], actor=request.user
        ),
        _("已登记代表意见。"),
        "deputies:organ_meeting_detail",
        pk=invitation.meeting_id,
        invalid=_("请填写意见内容。"),
    )


@login_required
@require_POST
def opinion_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an opinion up for follow-up."""
    opinion = selectors.opinion_get(request.user, pk)
    meeting = opinion.invitation.meeting
    MeetingPolicy.require(request.user, "manage", meeting)
    return web.form_step(
        request,
        forms.OpinionFollowUpForm(request.POST, congress=meeting.congress),
        lambda data: services.opinion_follow_up(
            opinion=opinion, actor=request.user, **data
        ),
        _("已转为跟踪办理事项。"),
        "deputies:organ_meeting_detail",
        pk=meeting.pk,
        invalid=_("请填写办理期限。"),
    )


@login_required
@require_POST
def opinion_close(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_get(request.user, pk)
    meeting = opinion.invitation.meeting
    MeetingPolicy.require(request.user, "manage", meeting)
    return web.form_step(
        request,
        forms.ResultForm(request.POST),
        lambda data: services.opinion_close(
            opinion=opinion, result=data["result"], actor=request.user
        ),
        _("该意见已办结。"),
        "deputies:organ_meeting_detail",
        pk=meeting.pk,
        invalid=_("请填写办理结果。"),
    )


# --- the deputy --------------------------------------------------------------------


@login_required
@require_GET
def my_organ_work(request: HttpRequest) -> HttpResponse:
    """Who contacted me, my invitations to attend (accept or decline)."""
    return render(
        request,
        "deputies/organs/my.html",
        {**selectors.my_organ_work(request.user), "respond_form": forms.RespondForm()},
    )


@login_required
@require_POST
def invitation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The deputy accepts or declines their own invitation."""
    invitation = selectors.invitation_get(request.user, pk)
    if invitation.mandate.person.user_id != request.user.pk:
        InvitationPolicy.require(request.user, "respond", invitation)
    return web.form_step(
        request,
        forms.RespondForm(request.POST),
        lambda data: services.invitation_respond(
            invitation=invitation,
            accept=data["accept"],
            reason=data["reason"],
            actor=request.user,
        ),
        _("已答复列席邀请。"),
        "deputies:organ_my",
        invalid=_("请选择接受或婉辞。"),
    )
