"""HTML pages of the township livelihood-project vote (DESIGN.md §6):
群众提、代表议、大会决、政府办、人大督、代表评.

- public: programmes by township and year, candidates, results with counts,
  progress with photos, grades; "我要提项目" with a tracking code;
- staff (township congress staff): programmes as a phase stepper with each
  phase's actions; rounds, paper counts, the hall screen; supervision and
  evaluation;
- deputies: "我的票决", the phone ballot, the evaluation ballot, deliberation;
- implementers (township government, the implementing unit): plan, progress,
  change requests, answers to supervision.

Thin, as STYLE.md asks: look up through ``visible_to`` (out of scope → 404),
check the permission (→ 403), validate a form, call one service, redirect with
a message. A refused form is shown again with status 400 and its errors.

Ballot secrecy: after a ballot is cast nothing about the choice is kept — not
in the session, the URL (access logs) or a message. The receipt is rendered in
the POST response itself and never put in a URL.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Mandate
from deputies.services import ensure_mandate_can
from portal import web
from portal.models import Congress, HandlingUnit, Region, Role
from portal.ratelimit import client_address, client_ip, hit
from portal.rules import rules_for
from portal.scoping import get_visible_or_404, governed_q, scope_for
from portal.services import DomainError, Forbidden
from stations.models import Opinion

from . import forms, services
from .models import (
    Candidate,
    ChangeRequest,
    DeliberationComment,
    EvaluationParticipation,
    EvaluationRound,
    Idea,
    Participation,
    Programme,
    ProgressReport,
    Project,
    RoundResult,
    SatisfactionBallot,
    SatisfactionCount,
    SupervisionVisit,
    VoteRound,
)
from .querysets import implementer_q

P = Programme.Phase
PAGE_SIZE = 50
IDEAS_PAGE_SIZE = 50
POOLED_SHOWN = 20
PHOTOS_SHOWN = 3
TRACK_LOOKUPS_PER_HOUR = 30
HALL_REFRESH_SECONDS = 5
SENT_SALT = "livelihood.idea_sent"
SENT_MAX_AGE = 24 * 60 * 60
# Phases in which candidates are published (to deputies and the public).
UNPUBLISHED = (P.COLLECTING, P.SCREENING, P.ASSESSING)
# Phases in which staff may still add candidates (services refuse later).
CANDIDATE_ENTRY = (P.ASSESSING, P.CANDIDATES, P.DELIBERATION)
DELIBERATING = (P.CANDIDATES, P.DELIBERATION)
# Advancing by hand (the other phase changes follow a round or an evaluation).
ADVANCE_LABELS = {
    P.COLLECTING: gettext_lazy("结束征集，进入初筛"),
    P.SCREENING: gettext_lazy("结束初筛，进入论证"),
    P.ASSESSING: gettext_lazy("公布候选项目"),
    P.CANDIDATES: gettext_lazy("进入代表审议"),
    P.EVALUATED: gettext_lazy("归档"),
}

# The stepper of the programme page: 人大督 runs alongside 政府办.
STEPS = [
    ("collecting", gettext_lazy("征集")),
    ("screening", gettext_lazy("初筛")),
    ("assessing", gettext_lazy("论证")),
    ("candidates", gettext_lazy("候选项目")),
    ("deliberation", gettext_lazy("代表议")),
    ("voting", gettext_lazy("大会决")),
    ("implementing", gettext_lazy("政府办")),
    ("supervising", gettext_lazy("人大督")),
    ("evaluated", gettext_lazy("代表评")),
    ("archived", gettext_lazy("归档")),
]
STEP_INDEX = {key: i for i, (key, _label) in enumerate(STEPS)}

FLAG_LABELS = {
    "red": gettext_lazy("滞后"),
    "amber": gettext_lazy("需关注"),
    "green": gettext_lazy("正常"),
}
GRADE_LABELS = dict(SatisfactionBallot.Choice.choices)
GRADE_BADGES = {
    "satisfied": "ok",
    "basically_satisfied": "info",
    "dissatisfied": "danger",
}


# --- helpers ------------------------------------------------------------------------------


def _stepper(phase: str) -> list[dict[str, Any]]:
    current = STEP_INDEX[phase]
    steps = []
    for i, (key, label) in enumerate(STEPS):
        if i == current or (phase == P.IMPLEMENTING and key == "supervising"):
            state = "current"
        elif i < current:
            state = "done"
        else:
            state = "todo"
        steps.append({"key": key, "label": label, "state": state, "number": i + 1})
    return steps


_paginate = web.paginate


_add_domain_error = web.add_domain_error


_add_validation_error = web.add_validation_error


def _refuse(exc: DomainError) -> None:
    """A service's "not allowed at all" becomes a 403."""
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc


def _act(request: HttpRequest, call, success: str, to: str) -> HttpResponse:
    """Run one service for a button; its refusal becomes an error message."""
    try:
        call()
    except DomainError as exc:
        _refuse(exc)
        messages.error(request, exc.message)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(to)


def _forbidden(request: HttpRequest, reason: str) -> HttpResponse:
    """A 403 page that says why (a deputy must know why they cannot vote)."""
    return render(request, "livelihood/forbidden.html", {"reason": reason}, status=403)


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _governs(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.governed_paths)


def _programme(request: HttpRequest, pk: int, *, manage: bool = False) -> Programme:
    """A programme in scope (else 404) that the user governs, or manages (else 403)."""
    programme = get_visible_or_404(
        Programme.objects.select_related("congress__region"), request.user, pk=pk
    )
    scope = scope_for(request.user)
    allowed = (
        scope.manages_path(programme.region_path)
        if manage
        else scope.governs_path(programme.region_path)
    )
    if not allowed:
        raise PermissionDenied(_("只有乡镇人大工作人员可以执行此操作。"))
    return programme


def _visible_rounds(user):
    return VoteRound.objects.filter(programme__in=Programme.objects.visible_to(user))


def _round(request: HttpRequest, pk: int, *, manage: bool = False) -> VoteRound:
    vote_round = get_object_or_404(
        _visible_rounds(request.user).select_related("programme__congress__region"),
        pk=pk,
    )
    if manage and not scope_for(request.user).manages_path(
        vote_round.programme.region_path
    ):
        raise PermissionDenied(_("只有乡镇人大工作人员可以执行此操作。"))
    return vote_round


def _evaluation(
    request: HttpRequest, pk: int, *, manage: bool = False
) -> EvaluationRound:
    evaluation = get_object_or_404(
        EvaluationRound.objects.filter(
            programme__in=Programme.objects.visible_to(request.user)
        ).select_related("programme__congress__region"),
        pk=pk,
    )
    if manage and not scope_for(request.user).manages_path(
        evaluation.programme.region_path
    ):
        raise PermissionDenied(_("只有乡镇人大工作人员可以执行此操作。"))
    return evaluation


def _can_implement(user, project: Project) -> bool:
    scope = scope_for(user)
    if scope.is_admin or project.implementing_unit_id in scope.unit_ids:
        return True
    unit_path = project.implementing_unit.region.path
    return Role.TOWNSHIP_GOV in scope.roles and any(
        unit_path.startswith(area) for area in scope.area_paths
    )


def _works_on_projects(user) -> bool:
    scope = scope_for(user)
    return (
        scope.is_admin
        or bool(scope.governed_paths or scope.unit_ids)
        or Role.TOWNSHIP_GOV in scope.roles
    )


def _projects_for(user):
    """Projects in scope: the programme's scope, plus the implementing unit's staff."""
    return Project.objects.filter(
        Q(pk__in=Project.objects.visible_to(user).values("pk")) | implementer_q(user)
    )


def _project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(
        _projects_for(request.user).select_related(
            "candidate", "programme__congress__region", "implementing_unit__region"
        ),
        pk=pk,
    )
    scope = scope_for(request.user)
    if not (
        scope.governs_path(project.region_path) or _can_implement(request.user, project)
    ):
        raise PermissionDenied(_("只有项目实施单位和乡镇人大工作人员可以查看。"))
    return project


def _require_implementer(request: HttpRequest, project: Project) -> None:
    if not _can_implement(request.user, project):
        raise PermissionDenied(_("只有项目实施单位可以执行此操作。"))


def _require_manager(request: HttpRequest, region_path: str) -> None:
    if not scope_for(request.user).manages_path(region_path):
        raise PermissionDenied(_("只有乡镇人大工作人员可以执行此操作。"))


def _voter(user, congress: Congress) -> tuple[Mandate | None, str]:
    """The user's current mandate in ``congress`` and, when they may not vote, why."""
    mandate = (
        Mandate.objects.current()
        .filter(person__user=user, congress=congress)
        .select_related("person")
        .first()
    )
    if mandate is None:
        return None, _("只有%(congress)s的代表可以参加表决。") % {
            "congress": congress.name
        }
    try:
        ensure_mandate_can(mandate, "vote")
    except DomainError as exc:
        return None, exc.message
    return mandate, ""


def _count(queryset, field: str) -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _flag_rows(projects, today) -> list[dict[str, Any]]:
    rows = []
    for project in projects:
        flag = services.progress_flag(project, today)
        rows.append({"project": project, "flag": flag, "flag_label": FLAG_LABELS[flag]})
    return rows


# --- public ---------------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Programmes by township and year, newest first; filter by county and year."""
    programmes = Programme.objects.select_related("congress__region__parent").annotate(
        candidate_count=_count(
            Candidate.objects.filter(programme=OuterRef("pk")), "programme"
        ),
        project_count=_count(
            Project.objects.filter(programme=OuterRef("pk")), "programme"
        ),
    )
    counties = list(
        Region.objects.filter(
            level=Region.Level.COUNTY,
            pk__in=Programme.objects.values("congress__region__parent_id"),
        ).order_by("path")
    )
    years = list(
        Programme.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
    county = None
    raw_county = request.GET.get("county", "")
    if raw_county.isdigit():
        county = next((c for c in counties if c.pk == int(raw_county)), None)
        if county is not None:
            programmes = programmes.filter(region_path__startswith=county.path)
    year = None
    raw_year = request.GET.get("year", "")
    if raw_year.isdigit() and int(raw_year) in years:
        year = int(raw_year)
        programmes = programmes.filter(year=year)
    page, page_range = _paginate(
        request, programmes.order_by("-year", "region_path", "id")
    )
    return render(
        request,
        "livelihood/public_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "counties": counties,
            "years": years,
            "county": county,
            "year": year,
            "collecting": P.COLLECTING,
        },
    )


def _public_projects(programme: Programme) -> list[Project]:
    photos = ProgressReport.objects.exclude(photo="").order_by("-date", "-id")
    latest = ProgressReport.objects.order_by("-date", "-id")
    return list(
        programme.projects.select_related(
            "candidate", "implementing_unit"
        ).prefetch_related(
            Prefetch("reports", queryset=photos, to_attr="photo_reports"),
            Prefetch("reports", queryset=latest, to_attr="all_reports"),
        )
    )


@require_GET
def public_programme(request: HttpRequest, pk: int) -> HttpResponse:
    """One programme in public: candidates once published, results with
    aggregate counts after close, progress with photos, grades."""
    programme = get_object_or_404(
        Programme.objects.select_related("congress__region__parent"), pk=pk
    )
    published = programme.phase not in UNPUBLISHED
    candidates = (
        list(programme.candidates.select_related("lead_unit")) if published else []
    )
    results = [
        services.round_results(vote_round)
        | {"number": vote_round.number, "mode": vote_round.get_mode_display()}
        for vote_round in programme.rounds.filter(
            status=VoteRound.Status.CLOSED
        ).order_by("number")
    ]
    projects = _public_projects(programme)
    for project in projects:
        project.photos = project.photo_reports[:PHOTOS_SHOWN]
        project.latest = project.all_reports[0] if project.all_reports else None
        project.grade_label = GRADE_LABELS.get(project.grade, "")
        project.grade_badge = GRADE_BADGES.get(project.grade, "muted")
    return render(
        request,
        "livelihood/public_programme.html",
        {
            "programme": programme,
            "steps": _stepper(programme.phase),
            "published": published,
            "collecting": programme.phase == P.COLLECTING,
            "candidates": candidates,
            "results": results,
            "projects": projects,
        },
    )


@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, pk: int) -> HttpResponse:
    """ "我要提项目": a citizen's idea while the programme is collecting, rate limited."""
    programme = get_object_or_404(
        Programme.objects.select_related("congress__region"), pk=pk
    )
    if programme.phase != P.COLLECTING:
        return render(
            request, "livelihood/idea_closed.html", {"programme": programme}, status=409
        )
    if request.method == "GET":
        form = forms.IdeaForm(programme=programme)
        return render(
            request, "livelihood/idea_form.html", {"programme": programme, "form": form}
        )

    form = forms.IdeaForm(request.POST, programme=programme)
    valid = form.is_valid()
    if valid or form.challenge_failed:
        limit = rules_for(programme.congress).public_submissions_per_hour
        if not hit("idea", client_address(request), limit=limit):
            response = render(request, "livelihood/rate_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
    if valid:
        data = form.cleaned_data
        try:
            idea = services.idea_submit(
                programme=programme,
                title=data["title"],
                description=data["description"],
                location=data["location"],
                name=data["name"],
                phone=data["phone"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _add_validation_error(form, exc)
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            token = signing.dumps(idea.tracking_code, salt=SENT_SALT)
            return redirect(
                reverse("livelihood:idea_sent", args=[programme.pk])
                + "?"
                + urlencode({"t": token})
            )
    response = render(
        request,
        "livelihood/idea_form.html",
        {"programme": programme, "form": form},
        status=400,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def idea_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation with the tracking code."""
    programme = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    try:
        code = signing.loads(
            request.GET.get("t", ""), salt=SENT_SALT, max_age=SENT_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("livelihood:idea_track")
    response = render(
        request,
        "livelihood/idea_sent.html",
        {
            "programme": programme,
            "code": code,
            "track_url": reverse("livelihood:idea_track")
            + "?"
            + urlencode({"code": code}),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def idea_track(request: HttpRequest) -> HttpResponse:
    """Follow an idea by its tracking code: status and screening reason only."""
    if "code" not in request.GET:
        return render(
            request, "livelihood/idea_track.html", {"form": forms.TrackForm()}
        )
    form = forms.TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "livelihood/idea_track.html", {"form": form}, status=400)
    if not hit("idea_track", client_address(request), limit=TRACK_LOOKUPS_PER_HOUR):
        response = render(request, "livelihood/rate_limited.html", status=429)
        response["Retry-After"] = "3600"
        return response
    idea = (
        Idea.objects.select_related("programme__congress")
        .only(
            "id",
            "tracking_code",
            "title",
            "status",
            "screening_reason",
            "created_at",
            "programme__id",
            "programme__year",
            "programme__phase",
            "programme__congress__id",
            "programme__congress__name",
        )
        .filter(tracking_code=form.cleaned_data["code"])
        .first()
    )
    response = render(
        request,
        "livelihood/idea_track.html",
        {"form": form, "searched": True, "idea": idea},
        status=200 if idea else 404,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A progress report's photo (public, like the progress itself)."""
    report = get_object_or_404(ProgressReport.objects.exclude(photo=""), pk=pk)
    try:
        handle = report.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = (
        "image/png" if report.photo.name.lower().endswith(".png") else "image/jpeg"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- staff: programmes ------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    """Programmes of the regions the user governs."""
    if not _governs(request.user):
        raise PermissionDenied(_("只有人大工作人员可以查看民生实事项目计划。"))
    programmes = (
        Programme.objects.visible_to(request.user)
        .filter(governed_q(request.user, "region_path"))
        .select_related("congress")
        .annotate(
            idea_count=_count(
                Idea.objects.filter(programme=OuterRef("pk")), "programme"
            ),
            candidate_count=_count(
                Candidate.objects.filter(programme=OuterRef("pk")), "programme"
            ),
            project_count=_count(
                Project.objects.filter(programme=OuterRef("pk")), "programme"
            ),
        )
    )
    phase = request.GET.get("phase", "")
    if phase in P.values:
        programmes = programmes.filter(phase=phase)
    page, page_range = _paginate(
        request, programmes.order_by("-year", "region_path", "id")
    )
    can_create = (
        Congress.objects.manageable_by(request.user)
        .filter(level=Congress.Level.TOWNSHIP)
        .exists()
    )
    return render(
        request,
        "livelihood/programme_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "phases": P.choices,
            "phase": phase,
            "can_create": can_create,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    """A township congress's programme of a year, with its seats k."""
    congresses = list(
        Congress.objects.manageable_by(request.user)
        .filter(level=Congress.Level.TOWNSHIP)
        .order_by("region__path")
    )
    if not congresses:
        raise PermissionDenied(_("只有乡镇人大工作人员可以新建民生实事项目计划。"))
    if request.method == "GET":
        form = forms.ProgrammeForm(
            congresses=congresses,
            initial={
                "year": timezone.localdate().year + 1,
                "congress": congresses[0].pk,
            },
        )
        return render(request, "livelihood/programme_form.html", {"form": form})
    form = forms.ProgrammeForm(request.POST, congresses=congresses)
    if form.is_valid():
        data = form.cleaned_data
        congress = next(c for c in congresses if c.pk == data["congress"])
        try:
            programme = services.programme_create(
                congress=congress,
                year=data["year"],
                seats=data["seats"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_validation_error(form, exc)
        else:
            messages.success(request, _("已新建民生实事项目计划，现在开始征集项目。"))
            return redirect("livelihood:programme", programme.pk)
    return render(request, "livelihood/programme_form.html", {"form": form}, status=400)


def _programme_context(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    """Everything the stepper page shows; a constant number of queries."""
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    phase = programme.phase
    can_manage = scope.manages_path(programme.region_path)
    context: dict[str, Any] = {
        "programme": programme,
        "steps": _stepper(phase),
        "can_manage": can_manage,
        "phase": phase,
        "P": {p.name: p.value for p in P},
        "advance_label": ADVANCE_LABELS.get(phase, ""),
        "published": phase not in UNPUBLISHED,
    }
    idea_counts = dict(
        programme.ideas.order_by().values_list("status").annotate(n=Count("pk"))
    )
    context["idea_counts"] = [
        (label, idea_counts.get(value, 0)) for value, label in Idea.Status.choices
    ]
    context["idea_total"] = sum(idea_counts.values())
    if phase in (P.COLLECTING, P.SCREENING):
        ideas = programme.ideas.annotate(
            pending=Case(
                When(status=Idea.Status.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("pending", "created_at", "id")
        page, page_range = _paginate(request, ideas, IDEAS_PAGE_SIZE)
        context.update(ideas_page=page, ideas_range=page_range)
        context["negative_list"] = forms.NEGATIVE_LIST_HINT
    if phase == P.COLLECTING and can_manage:
        context["pooled"] = list(
            Opinion.objects.filter(
                status=Opinion.Status.POOLED,
                region_path__startswith=programme.region_path,
                livelihood_idea__isnull=True,
            )
            .select_related("station")
            .only("id", "tracking_code", "content", "created_at", "station__name")
            .order_by("created_at", "id")[:POOLED_SHOWN]
        )
    candidates = list(programme.candidates.select_related("lead_unit", "idea"))
    context["candidates"] = candidates
    if phase in CANDIDATE_ENTRY:
        context["accepted_ideas"] = list(
            programme.ideas.filter(status=Idea.Status.ACCEPTED).order_by(
                "created_at", "id"
            )
        )
    rounds = list(
        programme.rounds.annotate(
            participated=_count(
                Participation.objects.filter(round=OuterRef("pk")), "round"
            ),
            candidate_count=_count(
                VoteRound.candidates.through.objects.filter(voteround=OuterRef("pk")),
                "voteround",
            ),
        ).order_by("number")
    )
    results = {}
    for result in RoundResult.objects.filter(round__programme=programme).select_related(
        "candidate"
    ):
        results.setdefault(result.round_id, []).append(result)
    for vote_round in rounds:
        vote_round.result_rows = results.get(vote_round.pk, [])
    context["rounds"] = rounds
    context["locked"] = any(r.status != VoteRound.Status.DRAFT for r in rounds)
    context["can_create_round"] = (
        can_manage
        and not rounds
        and phase in DELIBERATING
        and len(candidates) > programme.seats
    )
    context["candidates_short"] = (
        phase in DELIBERATING and len(candidates) <= programme.seats
    )
    if any(r.status == VoteRound.Status.DRAFT for r in rounds):
        context["eligible"] = (
            Mandate.objects.current()
            .active()
            .filter(congress=programme.congress)
            .count()
        )
    context["round_form"] = forms.RoundCreateForm()
    context["seats_form"] = forms.SeatsForm(initial={"seats": programme.seats})
    if phase in DELIBERATING:
        context["comment_count"] = DeliberationComment.objects.filter(
            candidate__programme=programme
        ).count()
    if phase in (P.IMPLEMENTING, P.EVALUATED, P.ARCHIVED):
        projects = list(
            programme.projects.select_related(
                "candidate", "implementing_unit"
            ).order_by("candidate__order", "id")
        )
        for project in projects:
            project.grade_label = GRADE_LABELS.get(project.grade, "")
            project.grade_badge = GRADE_BADGES.get(project.grade, "muted")
        context["project_rows"] = _flag_rows(projects, today)
        context["pending_changes"] = list(
            ChangeRequest.objects.filter(
                project__programme=programme, status=ChangeRequest.Status.PENDING
            )
            .select_related("project__candidate", "requested_by")
            .order_by("created_at", "id")
        )
        context["groups"] = list(
            programme.supervision_groups.annotate(
                member_count=Count("members", distinct=True),
                project_count=Count("projects", distinct=True),
            ).order_by("id")
        )
        evaluation = EvaluationRound.objects.filter(programme=programme).first()
        context["evaluation"] = evaluation
        if evaluation is not None:
            context["evaluation_participated"] = evaluation.participations.count()
        context["evaluation_form"] = forms.EvaluationOpenForm()
    labels = dict(P.choices)
    events = list(programme.phase_events.select_related("actor"))
    for event in events:
        event.from_label = labels.get(event.from_phase, "")
        event.to_label = labels.get(event.to_phase, event.to_phase)
    context["events"] = events
    return context


@login_required
@require_GET
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme as a phase stepper with the current phase's actions."""
    programme = _programme(request, pk)
    return render(
        request,
        "livelihood/programme_detail.html",
        _programme_context(request, programme),
    )


@login_required
@require_POST
def programme_seats(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, manage=True)
    form = forms.SeatsForm(request.POST)
    to = reverse("livelihood:programme", args=[programme.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(to)
    return _act(
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
    programme = _programme(request, pk, manage=True)
    return _act(
        request,
        lambda: services.programme_advance(programme=programme, actor=request.user),
        _("已进入下一阶段。"),
        reverse("livelihood:programme", args=[programme.pk]),
    )


@login_required
@require_POST
def idea_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """初筛: accept, or screen out with a reason (the negative list)."""
    idea = get_visible_or_404(
        Idea.objects.select_related("programme"), request.user, pk=pk
    )
    _require_manager(request, idea.programme.region_path)
    decision = request.POST.get("decision")
    if decision not in ("accept", "reject"):
        messages.error(request, _("请选择初筛结论。"))
        return redirect("livelihood:programme", idea.programme_id)
    accept = decision == "accept"
    return _act(
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
        reverse("livelihood:programme", args=[idea.programme_id]) + "#ideas",
    )


@login_required
@require_POST
def idea_pool(request: HttpRequest, pk: int, opinion_pk: int) -> HttpResponse:
    """Turn a station opinion pooled for the livelihood collection into an idea."""
    programme = _programme(request, pk, manage=True)
    opinion = get_object_or_404(
        Opinion.objects.filter(region_path__startswith=programme.region_path),
        pk=opinion_pk,
    )
    return _act(
        request,
        lambda: services.idea_from_opinion(
            programme=programme, opinion=opinion, actor=request.user
        ),
        _("群众意见%(code)s已转为项目建议。") % {"code": opinion.tracking_code},
        reverse("livelihood:programme", args=[programme.pk]) + "#ideas",
    )


def _units_for(programme: Programme):
    return (
        HandlingUnit.objects.filter(
            Q(region__path__in=_ancestor_paths(programme.region_path))
            | Q(region__path__startswith=programme.region_path)
        )
        .select_related("region")
        .order_by("region__path", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request: HttpRequest, pk: int) -> HttpResponse:
    """论证 → a candidate: entered by staff, or an accepted idea promoted."""
    programme = _programme(request, pk, manage=True)
    units = _units_for(programme)
    ideas = programme.ideas.filter(status=Idea.Status.ACCEPTED)
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
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(
                request, _("已新增候选项目“%(title)s”。") % {"title": candidate.title}
            )
            return redirect(
                reverse("livelihood:programme", args=[programme.pk]) + "#candidates"
            )
    return render(request, "livelihood/candidate_form.html", context, status=400)


# --- deliberation (代表议) ---------------------------------------------------------------


def _deliberation_context(request: HttpRequest, programme: Programme, mandate) -> dict:
    scope = scope_for(request.user)
    staff = scope.governs_path(programme.region_path)
    candidates = list(programme.candidates.all())
    context: dict[str, Any] = {
        "programme": programme,
        "staff": staff,
        "can_manage": scope.manages_path(programme.region_path),
        "open": programme.phase in DELIBERATING,
        "candidates": candidates,
        "mandate": mandate,
    }
    if staff:
        context["comments"] = list(
            DeliberationComment.objects.filter(candidate__programme=programme)
            .select_related("candidate", "mandate__person", "group")
            .order_by(
                F("group__name").asc(nulls_last=True),
                "candidate__order",
                "created_at",
                "id",
            )
        )
        context["summary_form"] = forms.SummaryForm(
            initial={"summary": programme.deliberation_summary}
        )
    if mandate is not None:
        mine: dict[int, list] = {}
        for comment in DeliberationComment.objects.filter(
            candidate__programme=programme, mandate=mandate
        ).order_by("created_at", "id"):
            mine.setdefault(comment.candidate_id, []).append(comment)
        for candidate in candidates:
            candidate.my_comments = mine.get(candidate.pk, [])
            candidate.comment_form = forms.CommentForm(prefix=f"c{candidate.pk}")
    return context


def _deliberation_access(request: HttpRequest, pk: int):
    programme = get_visible_or_404(
        Programme.objects.select_related("congress__region"), request.user, pk=pk
    )
    mandate = (
        Mandate.objects.current()
        .filter(person__user=request.user, congress=programme.congress)
        .first()
    )
    if mandate is None and not scope_for(request.user).governs_path(
        programme.region_path
    ):
        raise PermissionDenied(_("只有本级人大代表和人大工作人员可以参加审议。"))
    if programme.phase in UNPUBLISHED:
        raise Http404
    return programme, mandate


@login_required
@require_GET
def deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    """Deputies comment on candidates; staff read them by deputy group and summarise."""
    programme, mandate = _deliberation_access(request, pk)
    return render(
        request,
        "livelihood/deliberation.html",
        _deliberation_context(request, programme, mandate),
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        Candidate.objects.filter(
            programme__in=Programme.objects.visible_to(request.user)
        ).select_related("programme__congress__region"),
        pk=pk,
    )
    programme = candidate.programme
    if programme.phase in UNPUBLISHED:
        raise Http404
    form = forms.CommentForm(request.POST, prefix=f"c{candidate.pk}")
    if form.is_valid():
        try:
            services.deliberation_comment(
                candidate=candidate, user=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            if isinstance(exc, Forbidden):
                return _forbidden(request, exc.message)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("审议意见已提交。"))
            return redirect(
                reverse("livelihood:deliberation", args=[programme.pk])
                + f"#c{candidate.pk}"
            )
    mandate = (
        Mandate.objects.current()
        .filter(person__user=request.user, congress=programme.congress)
        .first()
    )
    context = _deliberation_context(request, programme, mandate)
    for item in context["candidates"]:
        if item.pk == candidate.pk:
            item.comment_form = form
    return render(request, "livelihood/deliberation.html", context, status=400)


@login_required
@require_POST
def summarise(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, manage=True)
    form = forms.SummaryForm(request.POST)
    if not form.is_valid():
        context = _deliberation_context(request, programme, None)
        context["summary_form"] = form
        return render(request, "livelihood/deliberation.html", context, status=400)
    return _act(
        request,
        lambda: services.deliberation_summarise(
            programme=programme,
            summary=form.cleaned_data["summary"],
            actor=request.user,
        ),
        _("审议意见汇总已保存。"),
        reverse("livelihood:deliberation", args=[programme.pk]),
    )


# --- staff: rounds --------------------------------------------------------------------------


@login_required
@require_POST
def round_create(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, manage=True)
    form = forms.RoundCreateForm(request.POST)
    to = reverse("livelihood:programme", args=[programme.pk]) + "#rounds"
    if not form.is_valid():
        messages.error(request, _("请选择表决方式。"))
        return redirect(to)
    return _act(
        request,
        lambda: services.round_create(
            programme=programme, mode=form.cleaned_data["mode"], actor=request.user
        ),
        _("已创建票决轮次，进入大会票决阶段。"),
        to,
    )


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    vote_round = _round(request, pk, manage=True)
    form = forms.RoundOpenForm(request.POST)
    to = reverse("livelihood:programme", args=[vote_round.programme_id]) + "#rounds"
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(to)
    return _act(
        request,
        lambda: services.round_open(
            vote_round=vote_round,
            present=form.cleaned_data["present"],
            actor=request.user,
        ),
        _("第%(n)s轮票决已开始，规则已锁定。") % {"n": vote_round.number},
        to,
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    vote_round = _round(request, pk, manage=True)
    return _act(
        request,
        lambda: services.round_close(vote_round=vote_round, actor=request.user),
        _("第%(n)s轮票决已结束，结果已产生。") % {"n": vote_round.number},
        reverse("livelihood:programme", args=[vote_round.programme_id]) + "#rounds",
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_counts(request: HttpRequest, pk: int) -> HttpResponse:
    """Tellers' entry of a paper round: ballots issued/returned/valid/void and
    approvals per candidate; the service checks they add up."""
    vote_round = _round(request, pk, manage=True)
    candidates = list(vote_round.candidates.order_by("order", "id"))
    context = {"round": vote_round, "programme": vote_round.programme}
    if vote_round.mode != VoteRound.Mode.PAPER:
        messages.error(request, _("本轮为电子表决，不能录入纸质票数。"))
        return redirect("livelihood:programme", vote_round.programme_id)
    if request.method == "GET":
        initial = {
            "issued": vote_round.ballots_issued,
            "returned": vote_round.ballots_returned,
            "valid": vote_round.ballots_valid,
            "void": vote_round.ballots_void,
        }
        for result in vote_round.results.all():
            initial[f"c{result.candidate_id}"] = result.approvals
        context["form"] = forms.PaperCountsForm(initial=initial, candidates=candidates)
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
            _add_validation_error(form, exc)
        except DomainError as exc:
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("计票结果已录入，核对无误后请结束本轮票决。"))
            return redirect(
                reverse("livelihood:programme", args=[vote_round.programme_id])
                + "#rounds"
            )
    return render(request, "livelihood/paper_counts.html", context, status=400)


@login_required
@require_GET
def round_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The hall screen: while open only how many ballots came in; after close
    the counts, selected and tied candidates. Large type for projection."""
    vote_round = _round(request, pk)
    context: dict[str, Any] = {
        "round": vote_round,
        "programme": vote_round.programme,
        "refresh": HALL_REFRESH_SECONDS,
    }
    if vote_round.status == VoteRound.Status.CLOSED:
        result = services.round_results(vote_round)
        context["result"] = result
        context["selected_count"] = sum(
            1 for c in result["candidates"] if c["selected"]
        )
        context["tied_count"] = sum(1 for c in result["candidates"] if c["tied"])
        context["majority"] = result["eligible"] // 2 + 1
    elif vote_round.status == VoteRound.Status.OPEN:
        if vote_round.mode == VoteRound.Mode.ELECTRONIC:
            context["received"] = vote_round.participations.count()
        context["candidate_count"] = vote_round.candidates.count()
    response = render(request, "livelihood/round_screen.html", context)
    response["Cache-Control"] = "no-store"
    return response


# --- deputies: my votes, the ballot, the evaluation ballot -----------------------------------------


@login_required
@require_GET
def my_votes(request: HttpRequest) -> HttpResponse:
    """ "我的票决": open rounds and evaluations of the user's congresses, and
    programmes under deliberation."""
    mandates = Mandate.objects.current().filter(person__user=request.user)
    congress_ids = mandates.values("congress_id")
    rounds = list(
        VoteRound.objects.filter(
            programme__congress_id__in=congress_ids,
            status__in=[VoteRound.Status.OPEN, VoteRound.Status.CLOSED],
        )
        .select_related("programme__congress")
        .annotate(
            voted=Exists(
                Participation.objects.filter(round=OuterRef("pk"), mandate__in=mandates)
            )
        )
        .order_by("-status", "-programme__year", "-number")[:20]
    )
    evaluations = list(
        EvaluationRound.objects.filter(
            programme__congress_id__in=congress_ids, status=EvaluationRound.Status.OPEN
        )
        .select_related("programme__congress")
        .annotate(
            taken=Exists(
                EvaluationParticipation.objects.filter(
                    round=OuterRef("pk"), mandate__in=mandates
                )
            )
        )
    )
    deliberating = list(
        Programme.objects.filter(congress_id__in=congress_ids, phase__in=DELIBERATING)
        .select_related("congress")
        .order_by("-year")
    )
    return render(
        request,
        "livelihood/my_votes.html",
        {
            "open_rounds": [r for r in rounds if r.status == VoteRound.Status.OPEN],
            "closed_rounds": [r for r in rounds if r.status == VoteRound.Status.CLOSED],
            "evaluations": evaluations,
            "deliberating": deliberating,
            "is_deputy": mandates.exists(),
        },
    )


def _ballot_state(
    request: HttpRequest, vote_round: VoteRound, mandate
) -> HttpResponse | None:
    """The page to show instead of the ballot: round not open, paper, already voted."""
    status = 200 if request.method == "GET" else 409
    context = {"round": vote_round, "programme": vote_round.programme}
    if vote_round.status != VoteRound.Status.OPEN:
        context["closed"] = vote_round.status == VoteRound.Status.CLOSED
        return render(request, "livelihood/vote_not_open.html", context, status=status)
    if vote_round.mode != VoteRound.Mode.ELECTRONIC:
        context["paper"] = True
        return render(request, "livelihood/vote_not_open.html", context, status=status)
    if Participation.objects.filter(round=vote_round, mandate=mandate).exists():
        return render(request, "livelihood/vote_done.html", context, status=status)
    return None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone ballot: choose at most k, review, cast → a receipt, never the choice."""
    vote_round = _round(request, pk)
    programme = vote_round.programme
    mandate, reason = _voter(request.user, programme.congress)
    if mandate is None:
        return _forbidden(request, reason)
    refusal = _ballot_state(request, vote_round, mandate)
    if refusal is not None:
        return refusal
    candidates = list(vote_round.candidates.order_by("order", "id"))
    context: dict[str, Any] = {
        "round": vote_round,
        "programme": programme,
        "candidates": candidates,
        "seats": vote_round.seats,
        "mandate": mandate,
    }
    if request.method == "GET":
        context.update(
            form=forms.BallotForm(candidates=candidates, seats=vote_round.seats)
        )
        context["selected"] = set()
        return render(request, "livelihood/vote.html", context)

    form = forms.BallotForm(request.POST, candidates=candidates, seats=vote_round.seats)
    context["form"] = form
    step = request.POST.get("step", "review")
    if not form.is_valid():
        context["selected"] = {
            int(v) for v in request.POST.getlist("approve") if str(v).isdigit()
        }
        return render(request, "livelihood/vote.html", context, status=400)
    approve = form.cleaned_data["approve"]
    context["selected"] = set(approve)
    if step == "edit":
        return render(request, "livelihood/vote.html", context)
    if step != "cast":
        context["chosen"] = [c for c in candidates if c.pk in approve]
        return render(request, "livelihood/vote_confirm.html", context)
    try:
        receipt = services.ballot_cast(
            vote_round=vote_round, user=request.user, approve=approve
        )
    except Forbidden as exc:
        return _forbidden(request, exc.message)
    except DomainError as exc:
        if exc.conflict:
            return _ballot_state(request, vote_round, mandate) or render(
                request,
                "livelihood/vote_not_open.html",
                context | {"message": exc.message},
                status=409,
            )
        _add_domain_error(form, exc)
        return render(request, "livelihood/vote.html", context, status=400)
    # Rendered here, not redirected: the receipt must not travel in a URL.
    return render(
        request,
        "livelihood/vote_receipt.html",
        {"round": vote_round, "programme": programme, "receipt": receipt},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation ballot: 满意 / 基本满意 / 不满意 per project, secret."""
    evaluation = _evaluation(request, pk)
    programme = evaluation.programme
    mandate, reason = _voter(request.user, programme.congress)
    if mandate is None:
        return _forbidden(request, reason)
    status = 200 if request.method == "GET" else 409
    context: dict[str, Any] = {"evaluation": evaluation, "programme": programme}
    if (
        evaluation.status != EvaluationRound.Status.OPEN
        or evaluation.mode != VoteRound.Mode.ELECTRONIC
    ):
        context["paper"] = (
            evaluation.mode == VoteRound.Mode.PAPER
            and evaluation.status == EvaluationRound.Status.OPEN
        )
        return render(
            request, "livelihood/evaluate_not_open.html", context, status=status
        )
    if EvaluationParticipation.objects.filter(
        round=evaluation, mandate=mandate
    ).exists():
        return render(request, "livelihood/evaluate_done.html", context, status=status)
    projects = list(
        programme.projects.select_related("candidate").order_by(
            "candidate__order", "id"
        )
    )
    if request.method == "GET":
        context["form"] = forms.EvaluationBallotForm(projects=projects)
        return render(request, "livelihood/evaluate.html", context)
    form = forms.EvaluationBallotForm(request.POST, projects=projects)
    context["form"] = form
    if not form.is_valid():
        return render(request, "livelihood/evaluate.html", context, status=400)
    step = request.POST.get("step", "review")
    if step == "edit":
        return render(request, "livelihood/evaluate.html", context)
    if step != "cast":
        labels = dict(SatisfactionBallot.Choice.choices)
        context["chosen"] = [
            (project, labels[form.cleaned_data[name]], form.cleaned_data[name])
            for project, name in form.project_fields
        ]
        return render(request, "livelihood/evaluate_confirm.html", context)
    try:
        services.evaluation_cast(
            evaluation=evaluation, user=request.user, choices=form.choices()
        )
    except Forbidden as exc:
        return _forbidden(request, exc.message)
    except DomainError as exc:
        if exc.conflict:
            return render(request, "livelihood/evaluate_done.html", context, status=409)
        _add_domain_error(form, exc)
        return render(request, "livelihood/evaluate.html", context, status=400)
    return render(request, "livelihood/evaluate_receipt.html", context)


# --- staff: supervision, change requests, evaluation ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def supervision_group_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, manage=True)
    mandates = (
        Mandate.objects.current()
        .active()
        .filter(congress=programme.congress)
        .select_related("person")
        .order_by("name_stroke_key", "id")
    )
    projects = programme.projects.select_related("candidate").order_by(
        "candidate__order", "id"
    )
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
        return redirect(
            reverse("livelihood:programme", args=[programme.pk]) + "#supervision"
        )
    return render(
        request, "livelihood/supervision_group_form.html", context, status=400
    )


@login_required
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The presidium's consent (or refusal) to a change or termination."""
    change = get_object_or_404(
        ChangeRequest.objects.filter(
            project__in=Project.objects.visible_to(request.user)
        ).select_related("project__candidate"),
        pk=pk,
    )
    _require_manager(request, change.project.region_path)
    form = forms.DecideForm(request.POST)
    to = request.POST.get("next") or ""
    if not to.startswith("/livelihood/"):
        to = reverse("livelihood:project", args=[change.project_id])
    if not form.is_valid():
        messages.error(request, _("请选择审议结果。"))
        return redirect(to)
    consent = form.cleaned_data["decision"] == "consent"
    return _act(
        request,
        lambda: services.change_request_decide(
            request=change, consent=consent, actor=request.user
        ),
        _("已记录主席团意见：同意。") if consent else _("已记录主席团意见：不同意。"),
        to,
    )


@login_required
@require_POST
def evaluation_open(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, manage=True)
    form = forms.EvaluationOpenForm(request.POST)
    to = reverse("livelihood:programme", args=[programme.pk]) + "#evaluation"
    if not form.is_valid():
        messages.error(request, _("请选择测评方式。"))
        return redirect(to)
    return _act(
        request,
        lambda: services.evaluation_open(
            programme=programme, mode=form.cleaned_data["mode"], actor=request.user
        ),
        _("代表满意度测评已开始。"),
        to,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_paper(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, manage=True)
    programme = evaluation.programme
    if evaluation.mode != VoteRound.Mode.PAPER:
        messages.error(request, _("本次为电子测评。"))
        return redirect("livelihood:programme", programme.pk)
    projects = list(
        programme.projects.select_related("candidate").order_by(
            "candidate__order", "id"
        )
    )
    context = {"evaluation": evaluation, "programme": programme}
    if request.method == "GET":
        initial = {}
        for count in SatisfactionCount.objects.filter(round=evaluation):
            initial[f"p{count.project_id}_satisfied"] = count.satisfied
            initial[f"p{count.project_id}_basically_satisfied"] = (
                count.basically_satisfied
            )
            initial[f"p{count.project_id}_dissatisfied"] = count.dissatisfied
        context["form"] = forms.EvaluationPaperForm(initial=initial, projects=projects)
        return render(request, "livelihood/evaluation_paper.html", context)
    form = forms.EvaluationPaperForm(request.POST, projects=projects)
    context["form"] = form
    if form.is_valid():
        try:
            services.evaluation_enter_paper(
                evaluation=evaluation, counts=form.counts(), actor=request.user
            )
        except DomainError as exc:
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("测评票数已录入，核对无误后请结束测评。"))
            return redirect(
                reverse("livelihood:programme", args=[programme.pk]) + "#evaluation"
            )
    return render(request, "livelihood/evaluation_paper.html", context, status=400)


@login_required
@require_POST
def evaluation_close(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation(request, pk, manage=True)
    return _act(
        request,
        lambda: services.evaluation_close(evaluation=evaluation, actor=request.user),
        _("代表测评已结束，测评等次已产生。"),
        reverse("livelihood:programme", args=[evaluation.programme_id]) + "#evaluation",
    )


# --- implementation (政府办) ------------------------------------------------------------------


@login_required
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """The projects the user implements or governs, with red/amber/green flags."""
    if not _works_on_projects(request.user):
        raise PermissionDenied(_("只有项目实施单位和人大工作人员可以查看。"))
    scope = scope_for(request.user)
    today = timezone.localdate()
    projects = _projects_for(request.user).filter(
        Q(governed_q(request.user, "region_path")) | implementer_q(request.user)
    )
    if not scope.is_admin and not scope.governed_paths:
        projects = projects.filter(implementer_q(request.user))
    projects = projects.select_related(
        "candidate", "programme__congress", "implementing_unit__region"
    ).order_by("-programme__year", "region_path", "candidate__order", "id")
    page, page_range = _paginate(request, projects)
    rows = _flag_rows(page.object_list, today)
    for row in rows:
        project = row["project"]
        row["mine"] = _can_implement(request.user, project)
        row["plan_late"] = (
            project.plan_submitted_at is None and project.plan_due < today
        )
    return render(
        request,
        "livelihood/project_list.html",
        {"page_obj": page, "page_range": page_range, "rows": rows},
    )


def _project_context(request: HttpRequest, project: Project, **bound) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    scope = scope_for(user)
    implementer = _can_implement(user, project)
    can_manage = scope.manages_path(project.region_path)
    flag = services.progress_flag(project, today)
    changes = list(
        project.change_requests.select_related("requested_by", "decided_by").order_by(
            "-created_at", "-id"
        )
    )
    visits = list(project.visits.select_related("group"))
    context: dict[str, Any] = {
        "project": project,
        "programme": project.programme,
        "flag": flag,
        "flag_label": FLAG_LABELS[flag],
        "implementer": implementer,
        "can_manage": can_manage,
        "reports": list(project.reports.select_related("reported_by")),
        "changes": changes,
        "pending_change": next(
            (c for c in changes if c.status == ChangeRequest.Status.PENDING), None
        ),
        "visits": visits,
        "grade_label": GRADE_LABELS.get(project.grade, ""),
        "grade_badge": GRADE_BADGES.get(project.grade, "muted"),
        "active": project.status
        not in (Project.Status.TERMINATED, Project.Status.COMPLETED),
    }
    if implementer:
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
        for visit in visits:
            visit.answer_form = answer_forms.get(visit.pk) or forms.AnswerForm(
                prefix=f"v{visit.pk}"
            )
    if can_manage:
        context["visit_form"] = bound.get("visit_form") or forms.VisitForm(
            initial={"date": today},
            groups=project.supervision_groups.all(),
        )
    return context


@login_required
@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    return render(
        request, "livelihood/project_detail.html", _project_context(request, project)
    )


def _project_form_failed(request, project, **bound) -> HttpResponse:
    return render(
        request,
        "livelihood/project_detail.html",
        _project_context(request, project, **bound),
        status=400,
    )


@login_required
@require_POST
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _require_implementer(request, project)
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
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("实施计划已提交。"))
            return redirect("livelihood:project", project.pk)
    return _project_form_failed(request, project, plan_form=form)


@login_required
@require_POST
def project_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A monthly progress report: percent, money paid (万元), note, optional photo."""
    project = _project(request, pk)
    _require_implementer(request, project)
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
                actor=request.user,
            )
        except DomainError as exc:
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("进度报告已提交。"))
            return redirect("livelihood:project", project.pk)
    return _project_form_failed(request, project, progress_form=form)


@login_required
@require_POST
def project_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A change or termination request, for the presidium's consent."""
    project = _project(request, pk)
    _require_implementer(request, project)
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
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("申请已提交，待主席团审议。"))
            return redirect("livelihood:project", project.pk)
    return _project_form_failed(request, project, change_form=form)


@login_required
@require_POST
def visit_new(request: HttpRequest, pk: int) -> HttpResponse:
    """人大督: a supervision visit with findings and a suggestion to the unit."""
    project = _project(request, pk)
    _require_manager(request, project.region_path)
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
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("监督视察已记录。"))
            return redirect(
                reverse("livelihood:project", args=[project.pk]) + "#visits"
            )
    return _project_form_failed(request, project, visit_form=form)


@login_required
@require_POST
def visit_answer(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(
        SupervisionVisit.objects.filter(project__in=_projects_for(request.user)), pk=pk
    )
    project = _project(request, visit.project_id)
    _require_implementer(request, project)
    form = forms.AnswerForm(request.POST, prefix=f"v{visit.pk}")
    if form.is_valid():
        try:
            services.supervision_visit_answer(
                visit=visit, answer=form.cleaned_data["answer"], actor=request.user
            )
        except DomainError as exc:
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("已回复监督建议。"))
            return redirect(
                reverse("livelihood:project", args=[project.pk]) + "#visits"
            )
    return _project_form_failed(request, project, answer_forms={visit.pk: form})


@login_required
@require_http_methods(["GET", "POST"])
def project_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    """不满意: a written explanation and a rectification deadline; carried over."""
    project = _project(request, pk)
    _require_manager(request, project.region_path)
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
            _refuse(exc)
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("整改要求已记录，项目结转下年继续实施。"))
            return redirect("livelihood:project", project.pk)
    return render(request, "livelihood/rectify_form.html", context, status=400)


urlpatterns = [
    # public
    path("", public_list, name="public_list"),
    path("p/<int:pk>/", public_programme, name="public_programme"),
    path("p/<int:pk>/idea/", idea_new, name="idea_new"),
    path("p/<int:pk>/idea/sent/", idea_sent, name="idea_sent"),
    path("track/", idea_track, name="idea_track"),
    path("reports/<int:pk>/photo/", report_photo, name="report_photo"),
    # staff: programmes
    path("programmes/", programme_list, name="programme_list"),
    path("programmes/new/", programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programme_detail, name="programme"),
    path("programmes/<int:pk>/seats/", programme_seats, name="programme_seats"),
    path("programmes/<int:pk>/advance/", programme_advance, name="programme_advance"),
    path("programmes/<int:pk>/candidates/new/", candidate_new, name="candidate_new"),
    path(
        "programmes/<int:pk>/opinions/<int:opinion_pk>/pool/",
        idea_pool,
        name="idea_pool",
    ),
    path("programmes/<int:pk>/rounds/new/", round_create, name="round_create"),
    path("programmes/<int:pk>/summary/", summarise, name="summarise"),
    path("programmes/<int:pk>/deliberation/", deliberation, name="deliberation"),
    path(
        "programmes/<int:pk>/supervision/new/",
        supervision_group_new,
        name="supervision_group_new",
    ),
    path(
        "programmes/<int:pk>/evaluation/open/", evaluation_open, name="evaluation_open"
    ),
    path("ideas/<int:pk>/screen/", idea_screen, name="idea_screen"),
    path("candidates/<int:pk>/comment/", comment, name="comment"),
    # rounds
    path("rounds/<int:pk>/open/", round_open, name="round_open"),
    path("rounds/<int:pk>/close/", round_close, name="round_close"),
    path("rounds/<int:pk>/paper/", paper_counts, name="paper_counts"),
    path("rounds/<int:pk>/screen/", round_screen, name="round_screen"),
    # deputies
    path("my/", my_votes, name="my_votes"),
    path("vote/<int:pk>/", vote, name="vote"),
    path("evaluations/<int:pk>/", evaluate, name="evaluate"),
    path("evaluations/<int:pk>/paper/", evaluation_paper, name="evaluation_paper"),
    path("evaluations/<int:pk>/close/", evaluation_close, name="evaluation_close"),
    # implementation and supervision
    path("projects/", project_list, name="project_list"),
    path("projects/<int:pk>/", project_detail, name="project"),
    path("projects/<int:pk>/plan/", project_plan, name="project_plan"),
    path("projects/<int:pk>/progress/", project_progress, name="project_progress"),
    path("projects/<int:pk>/change/", project_change, name="project_change"),
    path("projects/<int:pk>/visits/new/", visit_new, name="visit_new"),
    path("projects/<int:pk>/rectify/", project_rectify, name="project_rectify"),
    path("visits/<int:pk>/answer/", visit_answer, name="visit_answer"),
    path("changes/<int:pk>/decide/", change_decide, name="change_decide"),
]
