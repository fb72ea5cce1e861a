"""Township congress staff's pages: programmes as a phase stepper with each
phase's actions (screening, candidates, seats), the deliberation summary, vote
rounds with paper counts and the hall screen, supervision, change decisions,
rectification and the evaluation.

Thin, as STYLE.md asks: look up through ``visible_to`` (out of scope → 404),
ask ``policies`` (→ 403), validate a form, call one service, redirect with a
message. A refused form is shown again with status 400 and its errors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.policies import Forbidden
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import ChangeRequest, Idea, PlannedVisit, Programme, VoteRound
from ..policies import EvaluationPolicy, ProgrammePolicy, ProjectPolicy, RoundPolicy
from .common import (
    act,
    deliberation_page,
    errors_as_messages,
    evaluation_for,
    programme_for,
    project_for,
    project_page,
    refuse,
    round_for,
)

IDEAS_PAGE_SIZE = 50


def _to_programme(programme_id: int, anchor: str = "") -> str:
    return reverse("livelihood:programme", args=[programme_id]) + anchor


# --- programmes -----------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    """Programmes of the regions the user governs."""
    ProgrammePolicy.require(request.user, "browse")
    programmes = selectors.staff_programmes(
        request.user, phase=request.GET.get("phase", "")
    )
    page, page_range = web.paginate(request, programmes)
    return render(
        request,
        "livelihood/programme_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "phases": Programme.Phase.choices,
            "phase": request.GET.get("phase", ""),
            "can_create": bool(selectors.programme_organisers(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    """A programme of a year, with its seats k, for a congress the user acts
    for (province to township) or a sub-district its county congress organises."""
    organisers = selectors.programme_organisers(request.user)
    if not organisers:
        raise Forbidden(_("只有本级人大工作人员可以新建民生实事项目计划。"))
    if request.method == "GET":
        form = forms.ProgrammeForm(
            organisers=organisers,
            initial={
                "year": timezone.localdate().year + 1,
                "congress": organisers[0][0],
            },
        )
        return render(request, "livelihood/programme_form.html", {"form": form})
    form = forms.ProgrammeForm(request.POST, organisers=organisers)
    if form.is_valid():
        data = form.cleaned_data
        _value, _label, congress, subdistrict = next(
            o for o in organisers if o[0] == data["congress"]
        )
        try:
            programme = services.programme_create(
                congress=congress,
                subdistrict=subdistrict,
                year=data["year"],
                seats=data["seats"],
                actor=request.user,
            )
        except ValidationError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已新建民生实事项目计划，现在开始征集项目。"))
            return redirect("livelihood:programme", programme.pk)
    return render(request, "livelihood/programme_form.html", {"form": form}, status=400)


@login_required
@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme as a phase stepper with the current phase's actions."""
    programme = programme_for(request, pk)
    context = selectors.programme_detail(programme, user=request.user)
    if "ideas" in context:
        page, page_range = web.paginate(request, context.pop("ideas"), IDEAS_PAGE_SIZE)
        context.update(
            ideas_page=page,
            ideas_range=page_range,
            negative_list=forms.NEGATIVE_LIST_HINT,
        )
    context.update(
        round_form=forms.RoundCreateForm(),
        seats_form=forms.SeatsForm(initial={"seats": programme.seats}),
        evaluation_form=forms.EvaluationOpenForm(),
    )
    return render(request, "livelihood/programme_detail.html", context)


def _confirmed(request: HttpRequest, form) -> bool:
    """A button's confirmation form: its errors go to the page it returns to."""
    if form.is_valid():
        return True
    errors_as_messages(request, form)
    return False


@login_required
@require_POST
def programme_seats(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "manage")
    form = forms.SeatsForm(request.POST)
    to = _to_programme(programme.pk)
    if not form.is_valid():
        errors_as_messages(request, form)
        return redirect(to)
    return act(
        request,
        lambda: services.programme_set_seats(
            programme=programme, seats=form.cleaned_data["seats"], actor=request.user
        ),
        _("票决项目数已修改为%(k)s个。") % {"k": form.cleaned_data["seats"]},
        to,
    )


@login_required
@require_POST
def programme_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """The next phase, named on the page and confirmed (``to``: never a skip)."""
    programme = programme_for(request, pk, "manage")
    form = forms.AdvanceForm(request.POST)
    to = _to_programme(programme.pk)
    if not _confirmed(request, form):
        return redirect(to)
    target = form.cleaned_data["to"]
    label = Programme.Phase(target).label if target in Programme.PHASES else target
    return act(
        request,
        lambda: services.programme_advance(
            programme=programme, to=target, actor=request.user
        ),
        _("已进入下一阶段：%(phase)s。") % {"phase": label},
        to,
    )


@login_required
@require_POST
def programme_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    """结束票决 with the projects selected so far (seats left unfilled)."""
    programme = programme_for(request, pk, "manage")
    to = _to_programme(programme.pk, "#rounds")
    if not _confirmed(request, forms.ConcludeVoteForm(request.POST)):
        return redirect(to)
    return act(
        request,
        lambda: services.programme_conclude_vote(
            programme=programme, actor=request.user
        ),
        _("票决已结束：当选项目进入组织实施，其余候选项目转入备选。"),
        to,
    )


@login_required
@require_POST
def idea_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """初筛: accept, or screen out with a reason (the negative list)."""
    idea = get_object_or_404(
        Idea.objects.visible_to(request.user).select_related("programme"), pk=pk
    )
    ProgrammePolicy.require(request.user, "manage", idea.programme)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        messages.error(request, _("请选择初筛结论。"))
        return redirect("livelihood:programme", idea.programme_id)
    accept = decision == "accept"
    return act(
        request,
        lambda: services.idea_screen(
            idea=idea,
            accept=accept,
            reason=request.POST.get("reason", ""),
            actor=request.user,
        ),
        _("“%(title)s”初筛通过，进入论证。") % {"title": idea.title}
        if accept
        else _("“%(title)s”初筛未通过，理由已记录。") % {"title": idea.title},
        _to_programme(idea.programme_id, "#ideas"),
    )


@login_required
@require_POST
def idea_pool(request: HttpRequest, pk: int, opinion_pk: int) -> HttpResponse:
    """Turn a station opinion pooled for the livelihood collection into an idea."""
    programme = programme_for(request, pk, "manage")
    opinion = get_object_or_404(selectors.region_opinions(programme), pk=opinion_pk)
    return act(
        request,
        lambda: services.idea_from_opinion(
            programme=programme, opinion=opinion, actor=request.user
        ),
        _("群众意见%(code)s已转为项目建议。") % {"code": opinion.tracking_code},
        _to_programme(programme.pk, "#ideas"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest, pk: int) -> HttpResponse:
    """论证 → a candidate: entered by staff, or an accepted idea promoted."""
    programme = programme_for(request, pk, "manage")
    units = selectors.lead_units(programme)
    ideas = selectors.accepted_ideas(programme)
    idea = None
    raw_idea = request.GET.get("idea") or request.POST.get("idea")
    if raw_idea and str(raw_idea).isdigit():
        idea = ideas.filter(pk=int(raw_idea)).first()
    context = {"programme": programme, "idea": idea}
    if request.method == "GET":
        initial = {}
        if idea is not None:
            initial = {
                "title": idea.title,
                "description": idea.description,
                "idea": idea.pk,
            }
        context["form"] = forms.CandidateForm(initial=initial, units=units, ideas=ideas)
        return render(request, "livelihood/candidate_form.html", context)
    form = forms.CandidateForm(request.POST, units=units, ideas=ideas)
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.candidate_create(
                programme=programme,
                title=data["title"],
                description=data["description"],
                estimated_cost=data["estimated_cost"],
                lead_unit=data["lead_unit"],
                idea=data["idea"],
                fund_source=data["fund_source"],
                land=data["land"],
                schedule=data["schedule"],
                responsible_leader=data["responsible_leader"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request, _("已新增候选项目“%(title)s”。") % {"title": candidate.title}
            )
            return redirect(_to_programme(programme.pk, "#candidates"))
    return render(request, "livelihood/candidate_form.html", context, status=400)


@login_required
@require_POST
def summarise(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff's summary of the deputies' deliberation."""
    programme = programme_for(request, pk, "summarise")
    form = forms.SummaryForm(request.POST)
    if not form.is_valid():
        return deliberation_page(
            request, programme, None, status=400, summary_form=form
        )
    return act(
        request,
        lambda: services.deliberation_summarise(
            programme=programme,
            summary=form.cleaned_data["summary"],
            actor=request.user,
        ),
        _("审议意见汇总已保存。"),
        reverse("livelihood:deliberation", args=[programme.pk]),
    )


# --- rounds (大会决) -------------------------------------------------------------------


@login_required
@require_POST
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The first round (after deliberation), or a further one on the candidates
    not yet selected when seats stayed unfilled (confirmed)."""
    programme = programme_for(request, pk, "manage")
    further = programme.phase == Programme.Phase.VOTING
    form = forms.RoundCreateForm(request.POST, further=further)
    to = _to_programme(programme.pk, "#rounds")
    if not _confirmed(request, form):
        return redirect(to)
    return act(
        request,
        lambda: services.round_create(
            programme=programme, mode=form.cleaned_data["mode"], actor=request.user
        ),
        _("已创建再次表决的票决轮次，请组织代表签到。")
        if further
        else _("已创建票决轮次，进入大会票决阶段。请组织代表签到。"),
        to,
    )


def _attendance_page(
    request: HttpRequest,
    *,
    session,
    record,
    selector,
    labels: dict,
) -> HttpResponse:
    """签到 for a round or an evaluation, one page: the check-in code for the
    hall, the count against all deputies and the quorum, and the deputies with
    checkboxes for staff to sign in those present (deputies sign themselves in
    with the code on their phones). ``record`` is the service, ``selector`` the
    read model, ``labels`` the page's words and links. The caller checks the
    policy's ``record_attendance`` before a POST."""
    voters = selectors.electorate(session.programme)
    form = forms.AttendanceForm(mandates=voters)
    status = 200
    if request.method == "POST":
        form = forms.AttendanceForm(request.POST, mandates=voters)
        if form.is_valid():
            try:
                count = record(
                    mandates=list(form.cleaned_data["present"]), actor=request.user
                )
            except DomainError as exc:
                refuse(exc)
                web.apply_service_error(form, exc)
            else:
                messages.success(
                    request, _("已登记签到，目前已签到%(n)s人。") % {"n": count}
                )
                return redirect(labels["action_url"])
        status = 400
    context = selector(session, user=request.user)
    context.update(labels, form=form)
    return render(request, "livelihood/attendance.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """签到 for a vote round (``_attendance_page``)."""
    vote_round = round_for(request, pk, "manage")
    if request.method == "POST":
        RoundPolicy.require(request.user, "record_attendance", vote_round)
    return _attendance_page(
        request,
        session=vote_round,
        record=lambda **kw: services.round_attendance_record(
            vote_round=vote_round, **kw
        ),
        selector=selectors.round_attendance,
        labels={
            "heading": _("第%(n)s轮票决签到") % {"n": vote_round.number},
            "subtitle": _("%(mode)s · %(status)s · 应选 %(k)s 个")
            % {
                "mode": vote_round.get_mode_display(),
                "status": vote_round.get_status_display(),
                "k": vote_round.seats,
            },
            "action_url": reverse("livelihood:round_attendance", args=[pk]),
            "back_url": _to_programme(vote_round.programme_id, f"#round-{pk}"),
            "back_label": _("返回票决"),
            "screen_url": reverse("livelihood:round_screen", args=[pk]),
            "quorum_met_label": _("已达到法定人数，可以开始投票"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """签到 for an evaluation (``_attendance_page``)."""
    evaluation = evaluation_for(request, pk, "manage")
    if request.method == "POST":
        EvaluationPolicy.require(request.user, "record_attendance", evaluation)
    return _attendance_page(
        request,
        session=evaluation,
        record=lambda **kw: services.evaluation_attendance_record(
            evaluation=evaluation, **kw
        ),
        selector=selectors.evaluation_attendance,
        labels={
            "heading": _("满意度测评签到"),
            "subtitle": _("%(mode)s · %(status)s")
            % {
                "mode": evaluation.get_mode_display(),
                "status": evaluation.get_status_display(),
            },
            "action_url": reverse("livelihood:evaluation_attendance", args=[pk]),
            "back_url": _to_programme(evaluation.programme_id, "#evaluation"),
            "back_label": _("返回代表测评"),
            "screen_url": "",
            "quorum_met_label": _("已达到法定人数，可以开始测评"),
        },
    )


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    """开始投票: the quorum comes from the sign-in; staff confirm they checked it."""
    vote_round = round_for(request, pk, "manage")
    to = _to_programme(vote_round.programme_id, f"#round-{vote_round.pk}")
    if not _confirmed(request, forms.RoundOpenForm(request.POST)):
        return redirect(to)
    return act(
        request,
        lambda: services.round_open(vote_round=vote_round, actor=request.user),
        _("第%(n)s轮票决已开始，规则已锁定。") % {"n": vote_round.number},
        to,
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    vote_round = round_for(request, pk, "manage")
    to = _to_programme(vote_round.programme_id, f"#round-{vote_round.pk}")
    if not _confirmed(request, forms.RoundCloseForm(request.POST)):
        return redirect(to)
    return act(
        request,
        lambda: services.round_close(vote_round=vote_round, actor=request.user),
        _("第%(n)s轮票决已结束，结果已产生。") % {"n": vote_round.number},
        to,
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """Tellers' entry of a paper round: ballots issued/returned/valid/void and
    approvals per candidate; the service checks they add up."""
    vote_round = round_for(request, pk, "manage")
    candidates = selectors.round_candidates(vote_round)
    context = {"round": vote_round, "programme": vote_round.programme}
    if vote_round.mode != VoteRound.Mode.PAPER:
        messages.error(request, _("本轮为电子表决，不能录入纸质票数。"))
        return redirect("livelihood:programme", vote_round.programme_id)
    if request.method == "GET":
        context["form"] = forms.PaperCountsForm(
            initial=selectors.paper_counts_initial(vote_round), candidates=candidates
        )
        return render(request, "livelihood/paper_counts.html", context)
    form = forms.PaperCountsForm(request.POST, candidates=candidates)
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_counts_enter(
                vote_round=vote_round,
                issued=data["issued"],
                returned=data["returned"],
                valid=data["valid"],
                void=data["void"],
                approvals=form.approvals(),
                actor=request.user,
            )
        except ValidationError as exc:
            web.apply_service_error(form, exc)
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("计票结果已录入，核对无误后请结束本轮票决。"))
            return redirect(_to_programme(vote_round.programme_id, "#rounds"))
    return render(request, "livelihood/paper_counts.html", context, status=400)


@login_required
@require_GET
def round_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall screen: the sign-in count (and, for staff, the check-in code)
    until the round closes; while open only how many ballots came in; after close
    the counts, selected and tied candidates. Large type for projection."""
    vote_round = round_for(request, pk)
    response = render(
        request,
        "livelihood/round_screen.html",
        selectors.hall_screen(vote_round, user=request.user),
    )
    response["Cache-Control"] = "no-store"
    return response


# --- supervision, change requests, rectification (人大督) --------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def supervision_group_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk, "manage")
    mandates, projects = selectors.supervision_choices(programme)
    context = {"programme": programme}
    if request.method == "GET":
        context["form"] = forms.SupervisionGroupForm(
            mandates=mandates, projects=projects
        )
        return render(request, "livelihood/supervision_group_form.html", context)
    form = forms.SupervisionGroupForm(
        request.POST, mandates=mandates, projects=projects
    )
    context["form"] = form
    if form.is_valid():
        data = form.cleaned_data
        services.supervision_group_create(
            programme=programme,
            name=data["name"],
            members=list(data["members"]),
            projects=list(data["projects"]),
            actor=request.user,
        )
        messages.success(
            request, _("已成立监督小组“%(name)s”。") % {"name": data["name"]}
        )
        return redirect(_to_programme(programme.pk, "#supervision"))
    return render(
        request, "livelihood/supervision_group_form.html", context, status=400
    )


@login_required
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The presidium's consent (or refusal) to a change or termination."""
    change = get_object_or_404(
        ChangeRequest.objects.visible_to(request.user).select_related(
            "project__candidate"
        ),
        pk=pk,
    )
    ProjectPolicy.require(request.user, "manage", change.project)
    form = forms.DecideForm(request.POST)
    to = request.POST.get("next") or ""
    if not to.startswith("/livelihood/"):
        to = reverse("livelihood:project", args=[change.project_id])
    if not form.is_valid():
        messages.error(request, _("请选择审议结果。"))
        return redirect(to)
    consent = form.cleaned_data["decision"] == "consent"
    return act(
        request,
        lambda: services.change_request_decide(
            request=change, consent=consent, actor=request.user
        ),
        _("已记录主席团意见：同意。") if consent else _("已记录主席团意见：不同意。"),
        to,
    )


@login_required
@require_POST
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """人大督: a supervision visit with findings and a suggestion to the unit."""
    project = project_for(request, pk, "manage")
    form = forms.VisitForm(request.POST, groups=project.supervision_groups.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.supervision_visit_record(
                project=project,
                date=data["date"],
                findings=data["findings"],
                suggestion=data["suggestion"],
                group=data["group"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("监督视察已记录。"))
            return redirect(
                reverse("livelihood:project", args=[project.pk]) + "#visits"
            )
    return project_page(request, project, status=400, visit_form=form)


@login_required
@require_POST
def visit_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """人大督 planned ahead: a supervision visit on a later day (those who record
    visits may plan them)."""
    project = project_for(request, pk, "record_visit")
    form = forms.PlannedVisitForm(request.POST, groups=project.supervision_groups.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.supervision_visit_plan(
                project=project,
                date=data["date"],
                purpose=data["purpose"],
                group=data["group"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("监督视察已列入计划，将在视察前提醒。"))
            return redirect(
                reverse("livelihood:project", args=[project.pk]) + "#visits"
            )
    return project_page(request, project, status=400, plan_visit_form=form)


@login_required
@require_POST
def planned_visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a planned supervision visit of a project in scope."""
    planned = get_object_or_404(PlannedVisit.objects.reachable_by(request.user), pk=pk)
    project = project_for(request, planned.project_id, "record_visit")
    return act(
        request,
        lambda: services.planned_visit_cancel(planned=planned, actor=request.user),
        _("计划的监督视察已取消。"),
        reverse("livelihood:project", args=[project.pk]) + "#visits",
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """不满意: a written explanation and a rectification deadline; carried over."""
    project = project_for(request, pk, "manage")
    context = {"project": project, "programme": project.programme}
    if request.method == "GET":
        context["form"] = forms.RectifyForm(
            initial={
                "explanation": project.grade_explanation,
                "due": project.rectification_due,
            }
        )
        return render(request, "livelihood/rectify_form.html", context)
    form = forms.RectifyForm(request.POST)
    context["form"] = form
    if form.is_valid():
        try:
            services.project_rectify(
                project=project,
                explanation=form.cleaned_data["explanation"],
                due=form.cleaned_data["due"],
                actor=request.user,
            )
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("整改要求已记录，项目结转下年继续实施。"))
            return redirect("livelihood:project", project.pk)
    return render(request, "livelihood/rectify_form.html", context, status=400)


# --- the evaluation (代表评) -------------------------------------------------------------


@login_required
@require_POST
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    """组织代表测评: the evaluation starts with the sign-in."""
    programme = programme_for(request, pk, "manage")
    form = forms.EvaluationOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择测评方式。"))
        return redirect(_to_programme(programme.pk, "#evaluation"))
    try:
        evaluation = services.evaluation_create(
            programme=programme, mode=form.cleaned_data["mode"], actor=request.user
        )
    except DomainError as exc:
        refuse(exc)
        messages.error(request, exc.message)
        return redirect(_to_programme(programme.pk, "#evaluation"))
    messages.success(request, _("已组织代表满意度测评，请组织代表签到。"))
    return redirect("livelihood:evaluation_attendance", evaluation.pk)


@login_required
@require_POST
def evaluation_open(request: HttpRequest, pk: int) -> HttpResponse:
    """开始测评: the quorum comes from the sign-in."""
    evaluation = evaluation_for(request, pk, "manage")
    return act(
        request,
        lambda: services.evaluation_open(evaluation=evaluation, actor=request.user),
        _("代表满意度测评已开始。"),
        _to_programme(evaluation.programme_id, "#evaluation"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_paper(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request, pk, "manage")
    programme = evaluation.programme
    if evaluation.mode != VoteRound.Mode.PAPER:
        messages.error(request, _("本次为电子测评。"))
        return redirect("livelihood:programme", programme.pk)
    projects = selectors.evaluation_projects(programme)
    context = {
        "evaluation": evaluation,
        "programme": programme,
        "signed_in": selectors.signed_in_count(evaluation),
    }
    if request.method == "GET":
        context["form"] = forms.EvaluationPaperForm(
            initial=selectors.evaluation_paper_initial(evaluation), projects=projects
        )
        return render(request, "livelihood/evaluation_paper.html", context)
    form = forms.EvaluationPaperForm(request.POST, projects=projects)
    context["form"] = form
    if form.is_valid():
        try:
            services.evaluation_enter_paper(
                evaluation=evaluation,
                returned=form.cleaned_data["returned"],
                counts=form.counts(),
                actor=request.user,
            )
        except ValidationError as exc:
            web.apply_service_error(form, exc)
        except DomainError as exc:
            refuse(exc)
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("测评票数已录入，核对无误后请结束测评。"))
            return redirect(_to_programme(programme.pk, "#evaluation"))
    return render(request, "livelihood/evaluation_paper.html", context, status=400)


@login_required
@require_POST
def evaluation_close(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = evaluation_for(request, pk, "manage")
    return act(
        request,
        lambda: services.evaluation_close(evaluation=evaluation, actor=request.user),
        _("代表测评已结束，测评等次已产生。"),
        _to_programme(evaluation.programme_id, "#evaluation"),
    )
