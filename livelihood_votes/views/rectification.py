"""整改 follow-up of a 不满意 project: the implementer's report, then the
deputies' second evaluation recorded by the congress's staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal import web
from portal.services import DomainError

from .. import forms, services
from ..policies import ProjectPolicy
from .common import project_for, refuse


@login_required
@require_http_methods(["GET", "POST"])
def project_rectification(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for(request, pk)
    can_report = ProjectPolicy.allows(request.user, "report_rectification", project)
    can_reevaluate = ProjectPolicy.allows(request.user, "reevaluate", project)
    if not (can_report or can_reevaluate):
        ProjectPolicy.require(request.user, "reevaluate", project)
    form_class = (
        forms.ReevaluationForm if can_reevaluate else forms.RectificationReportForm
    )
    bound = request.method == "POST"
    initial = {"report": project.rectification_report} if can_report else None
    form = form_class(request.POST if bound else None, initial=initial)
    if bound and form.is_valid():
        data = form.cleaned_data
        try:
            if can_reevaluate:
                services.project_reevaluate(
                    project=project,
                    satisfied=data["satisfied"],
                    basically=data["basically"],
                    dissatisfied=data["dissatisfied"],
                    actor=request.user,
                )
                done = _("再次测评结果已记录。")
            else:
                services.project_rectification_report(
                    project=project, report=data["report"], actor=request.user
                )
                done = _("整改情况已报告，待代表再次测评。")
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("livelihood:project", project.pk)
    return render(
        request,
        "livelihood/rectification_form.html",
        {
            "project": project,
            "programme": project.programme,
            "form": form,
            "reevaluate": can_reevaluate,
        },
        status=400 if bound else 200,
    )
