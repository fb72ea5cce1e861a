"""What the livelihood pages share: lookups that fetch through ``visible_to``
(out of scope → 404) and ask the policy (in scope but not allowed → 403), one
service run for a button, the 403 page that says why, and the project page
that the implementer's and the staff's forms both render again on errors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from portal import web

from .. import forms, selectors
from ..models import EvaluationRound, Programme, Project, VoteRound
from ..policies import EvaluationPolicy, ProgrammePolicy, ProjectPolicy, RoundPolicy

# One shape for every app's steps (``portal.web.steps``): ``act`` runs one
# service for a button, ``refuse`` turns a service's "not allowed at all" into
# a 403, ``errors_as_messages`` puts a button form's errors on the next page.
act = web.button_step
refuse = web.refuse_forbidden
errors_as_messages = web.errors_as_messages


def forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """A 403 page that says why (a deputy must know why they cannot vote)."""
    return render(request, "livelihood/forbidden.html", {"reason": reason}, status=403)


def programme_for(request: HttpRequest, pk: int, action: str = "view") -> Programme:
    """A programme in scope (else 404) on which the user may take ``action``
    (else 403)."""
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("congress__region")
        .with_policy_facts(),
        pk=pk,
    )
    ProgrammePolicy.require(request.user, action, programme)
    return programme


def round_for(request: HttpRequest, pk: int, action: str | None = None) -> VoteRound:
    """A vote round in scope (else 404); with ``action``, one the user may take."""
    vote_round = get_object_or_404(
        VoteRound.objects.visible_to(request.user).select_related(
            "programme__congress__region"
        ),
        pk=pk,
    )
    if action is not None:
        RoundPolicy.require(request.user, action, vote_round)
    return vote_round


def evaluation_for(
    request: HttpRequest, pk: int, action: str | None = None
) -> EvaluationRound:
    """An evaluation in scope (else 404); with ``action``, one the user may take."""
    evaluation = get_object_or_404(
        EvaluationRound.objects.visible_to(request.user).select_related(
            "programme__congress__region"
        ),
        pk=pk,
    )
    if action is not None:
        EvaluationPolicy.require(request.user, action, evaluation)
    return evaluation


def project_for(request: HttpRequest, pk: int, action: str | None = None) -> Project:
    """A project the user reaches (else 404) and may see (else 403); with
    ``action``, one the user may also take."""
    project = get_object_or_404(
        Project.objects.reachable_by(request.user)
        .select_related(
            "candidate", "programme__congress__region", "implementing_unit__region"
        )
        .with_policy_facts(),
        pk=pk,
    )
    ProjectPolicy.require(request.user, "view", project)
    if action is not None:
        ProjectPolicy.require(request.user, action, project)
    return project


def project_page(
    request: HttpRequest, project: Project, *, status: int = 200, **bound
) -> HttpResponse:
    """The project page; ``bound`` carries a refused form to show with its errors."""
    context = selectors.project_detail(project, user=request.user)
    today = context["today"]
    if context["can_implement"]:
        context["plan_form"] = bound.get("plan_form") or forms.PlanForm(
            initial={
                "plan": project.plan,
                "start_date": project.start_date,
                "planned_end": project.planned_end,
            }
        )
        context["progress_form"] = bound.get("progress_form") or forms.ProgressForm(
            initial={
                "date": today,
                "progress": project.progress,
                "money_paid": project.money_paid,
            }
        )
        context["change_form"] = bound.get("change_form") or forms.ChangeRequestForm()
        answer_forms = bound.get("answer_forms", {})
        for visit in context["visits"]:
            visit.answer_form = answer_forms.get(visit.pk) or forms.AnswerForm(
                prefix=f"v{visit.pk}"
            )
    if context["can_manage"]:
        context["visit_form"] = bound.get("visit_form") or forms.VisitForm(
            initial={"date": today},
            groups=project.supervision_groups.all(),
        )
    if context["can_record_visit"]:
        context["plan_visit_form"] = bound.get(
            "plan_visit_form"
        ) or forms.PlannedVisitForm(groups=project.supervision_groups.all())
    return render(request, "livelihood/project_detail.html", context, status=status)


def deliberation_page(
    request: HttpRequest,
    programme: Programme,
    mandate,
    *,
    status: int = 200,
    summary_form=None,
    comment_forms: dict[int, Any] | None = None,
) -> HttpResponse:
    """The deliberation page (staff's summary, a deputy's comments); a refused
    form is shown again with its errors."""
    context = selectors.deliberation(programme, user=request.user, mandate=mandate)
    if context["staff"]:
        context["summary_form"] = summary_form or forms.SummaryForm(
            initial={"summary": programme.deliberation_summary}
        )
    if mandate is not None:
        comment_forms = comment_forms or {}
        for candidate in context["candidates"]:
            candidate.comment_form = comment_forms.get(
                candidate.pk
            ) or forms.CommentForm(prefix=f"c{candidate.pk}")
    return render(request, "livelihood/deliberation.html", context, status=status)
