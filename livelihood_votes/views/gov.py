"""Implementation (政府办): the township government's and the implementing unit's
project list and project page — the plan within a month, monthly progress with
money paid and photos, change or termination requests for the presidium, and
answers to the supervision visits. (The staff's visits, decisions and
rectification on the same page are in ``staff``.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import web
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import SupervisionVisit
from ..policies import ProjectPolicy
from .common import project_for, project_page, refuse


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the user implements or governs, with red/amber/green flags."""
    ProjectPolicy.require(request.user, "browse")
    page, page_range = web.paginate(request, selectors.project_worklist(request.user))
    rows = selectors.project_rows(
        page.object_list, user=request.user, today=timezone.localdate()
    )
    return render(
        request,
        "livelihood/project_list.html",
        {"page_obj": page, "page_range": page_range, "rows": rows},
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return project_page(request, project_for(request, pk))


@login_required
@require_POST
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The implementation plan (and its later amendments)."""
    project = project_for(request, pk, "implement")
    form = forms.PlanForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_submit_plan(
                project=project,
                plan=data["plan"],
                start_date=data["start_date"],
                planned_end=data["planned_end"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("实施计划已提交。"))
            return redirect("livelihood:project", project.pk)
    return project_page(request, project, status=400, plan_form=form)


@login_required
@require_POST
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A monthly progress report: percent, money paid (万元), note, optional photo."""
    project = project_for(request, pk, "implement")
    form = forms.ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report(
                project=project,
                date=data["date"],
                progress=data["progress"],
                money_paid=data["money_paid"],
                note=data["note"],
                photo=data["photo"],
                confirm_lower=data["confirm_lower"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("进度报告已提交。"))
            return redirect("livelihood:project", project.pk)
    return project_page(request, project, status=400, progress_form=form)


@login_required
@require_POST
def project_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A change or termination request, for the presidium's consent."""
    project = project_for(request, pk, "implement")
    form = forms.ChangeRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.change_request_create(
                project=project,
                kind=data["kind"],
                reason=data["reason"],
                proposed_change=data["proposed_change"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("申请已提交，待主席团审议。"))
            return redirect("livelihood:project", project.pk)
    return project_page(request, project, status=400, change_form=form)


@login_required
@require_POST
def visit_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The implementing unit's answer to a supervision visit's suggestion."""
    visit = get_object_or_404(
        SupervisionVisit.objects.reachable_by(request.user), pk=pk
    )
    project = project_for(request, visit.project_id, "implement")
    form = forms.AnswerForm(request.POST, prefix=f"v{visit.pk}")
    if form.is_valid():
        try:
            services.supervision_visit_answer(
                visit=visit, answer=form.cleaned_data["answer"], actor=request.user
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已回复监督建议。"))
            return redirect(
                reverse("livelihood:project", args=[project.pk]) + "#visits"
            )
    return project_page(request, project, status=400, answer_forms={visit.pk: form})
