"""HTML pages of bills and suggestions (DESIGN.md §5): the deputy's drafts and
ratings, the congress staff's review, assignment and supervision, the handling
units' work, the leaders' key items and the public list of published replies.

Thin, as STYLE.md asks: look up through ``visible_to`` (out of scope → 404),
check with ``proposals.permissions`` (in scope but not allowed → 403), validate
a form, call one service, redirect with a message. A refused action is shown
on its form (status 400) next to the field the service names; a transition the
state does not allow comes back as an error message.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Activity, Attendance, Mandate
from portal import web
from portal.models import Congress, HandlingUnit, Role, RoleGrant, Session, User
from portal.rules import rules_for
from portal.scoping import get_visible_or_404, governed_q, scope_for
from portal.services import DomainError, TransitionError
from portal.workdays import add_months
from stations.models import Opinion

from . import forms, permissions, selectors, services
from .models import (
    Assignment,
    Commitment,
    CoSigner,
    CoUnitOpinion,
    Evaluation,
    ExtensionRequest,
    KeySupervisionItem,
    Reply,
    ReturnRequest,
    Suggestion,
)

PAGE_SIZE = 50
# Lists beside a page's main list (invitations, converted opinions) stay short.
SIDE_LIST_LIMIT = 20
SIMILAR_LIMIT = 5
MERGE_CANDIDATES = 10
# Research links offered on the form: what the deputy did in the last two years.
RESEARCH_DAYS = 730

S = Suggestion.Status
A = Assignment.Status

STATUS_BADGES = {
    S.DRAFT: "muted",
    S.SUBMITTED: "info",
    S.RETURNED: "warn",
    S.NOT_REGISTERED: "muted",
    S.MERGED: "muted",
    S.REGISTERED: "info",
    S.ASSIGNED: "info",
    S.REPLIED: "warn",
    S.TRACKING: "info",
    S.REHANDLING: "danger",
    S.CLOSED: "ok",
    S.WITHDRAWN: "muted",
}
ASSIGNMENT_BADGES = {
    A.PENDING: "warn",
    A.ACCEPTED: "info",
    A.RETURN_REQUESTED: "warn",
    A.REPLIED: "ok",
    A.RETURNED: "muted",
}
EVENT_LABELS = {
    "create": gettext_lazy("起草"),
    "submit": gettext_lazy("提交"),
    "return": gettext_lazy("退回修改"),
    "reject": gettext_lazy("不予立案"),
    "register": gettext_lazy("立案"),
    "merge": gettext_lazy("并案"),
    "merge_in": gettext_lazy("有建议并入本件"),
    "assign": gettext_lazy("交办"),
    "reassign": gettext_lazy("改交"),
    "accept": gettext_lazy("签收"),
    "request_return": gettext_lazy("申请退办"),
    "return_approved": gettext_lazy("同意退办"),
    "return_rejected": gettext_lazy("不同意退办"),
    "contact": gettext_lazy("与代表沟通"),
    "request_extension": gettext_lazy("申请延期"),
    "extension_approved": gettext_lazy("同意延期"),
    "extension_rejected": gettext_lazy("不同意延期"),
    "co_opinion": gettext_lazy("提出协办意见"),
    "reply": gettext_lazy("答复"),
    "replied": gettext_lazy("答复完毕，待代表评价"),
    "evaluate": gettext_lazy("代表评价"),
    "rehandle": gettext_lazy("重新办理"),
    "tracking": gettext_lazy("跟踪落实"),
    "close": gettext_lazy("办结"),
    "commitment_done": gettext_lazy("承诺事项已落实"),
    "withdraw": gettext_lazy("撤回"),
    "cosign_confirm": gettext_lazy("确认联名"),
    "cosign_decline": gettext_lazy("谢绝联名"),
    "urge": gettext_lazy("催办"),
    "key_item": gettext_lazy("列入重点督办"),
    "callback": gettext_lazy("满意度回访"),
}
# Assignment states in which the unit still works on it.
OPEN_ASSIGNMENT = (A.PENDING, A.ACCEPTED, A.RETURN_REQUESTED)
# Suggestion states a key-supervision item may gather.
SUPERVISABLE = (S.REGISTERED, S.ASSIGNED, S.REPLIED, S.TRACKING, S.REHANDLING, S.CLOSED)

# Personal data that must never reach the public site, even inside free text.
_TITLE_HEAD = re.compile(r"^关于")
_TITLE_TAIL = re.compile(r"(的)?(建议|议案|意见|批评)$")


# --- helpers ---------------------------------------------------------------------------


_paginate = web.paginate


def _add_error(form: Form, exc: DomainError | ValidationError) -> None:
    """A service's refusal, next to the field it names when the form has it."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _next_or(request: HttpRequest, default: str) -> str:
    """The posted ``next`` when it points into this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def _governing(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.governed_paths)


def _require_governing(user) -> None:
    permissions.require(_governing(user), _("只有人大工作人员和领导可以查看此页面。"))


def _managing(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.managed_paths)


def _managed_congresses(user):
    scope = scope_for(user)
    congresses = Congress.objects.select_related("region").order_by("region__path")
    if scope.is_admin:
        return congresses
    q = Q(pk__in=[])
    for region_path in scope.managed_paths:
        q |= Q(region__path__startswith=region_path)
    return congresses.filter(q)


def _current_mandates(user) -> list[Mandate]:
    return list(
        Mandate.objects.current()
        .filter(person__user=user)
        .select_related("congress__region", "term", "person", "delegation")
        .order_by("congress__region__path")
    )


def _years(queryset) -> list[int]:
    return sorted(
        set(queryset.order_by().values_list("year", flat=True).distinct()), reverse=True
    )


def _status_row(suggestion: Suggestion) -> dict:
    return {"s": suggestion, "badge": STATUS_BADGES.get(suggestion.status, "muted")}


ROLE_ORDER = {Assignment.Role.LEAD: 0, Assignment.Role.SPLIT: 1, Assignment.Role.CO: 2}


def _units_first_lead():
    """Live assignments with their unit, the lead (or split) units before co-units."""
    rank = Case(
        *[When(role=role, then=Value(n)) for role, n in ROLE_ORDER.items()],
        default=Value(9),
    )
    return (
        Assignment.objects.live()
        .select_related("unit")
        .annotate(role_rank=rank)
        .order_by("role_rank", "id")
    )


def _assignment_row(
    assignment: Assignment, today: date, handling: bool | None = None
) -> dict:
    """A row of an assignment with its badge and days left (or over). ``handling``
    says whether the suggestion is still with the units (read from it when loaded)."""
    if handling is None:
        handling = assignment.suggestion.status in Suggestion.HANDLING_STATES
    open_ = handling and assignment.status in OPEN_ASSIGNMENT
    days_left = (assignment.due_date - today).days
    return {
        "a": assignment,
        "badge": ASSIGNMENT_BADGES.get(assignment.status, "muted"),
        "open": open_,
        "days_left": days_left,
        "days_over": -days_left,
        "overdue": open_ and days_left < 0,
    }


def _visible_events(events, *, sees_all: bool, unit_ids) -> list[dict]:
    """The timeline; a unit's internal notes only for that unit and congress staff."""
    rows = []
    for event in events:
        if event.internal and not sees_all and event.unit_id not in unit_ids:
            continue
        note = event.note
        if event.action == "reply" and note in Reply.Category.values:
            note = Reply.Category(note).label
        elif (
            event.action in ("cosign_confirm", "cosign_decline")
            and event.actor
            and note == event.actor.get_full_name()
        ):
            note = ""
        rows.append(
            {
                "e": event,
                "label": EVENT_LABELS.get(event.action, event.action),
                "note": note,
            }
        )
    return rows


def _probe(title: str) -> str:
    """The words of a title that say what it is about: every title reads
    "关于……的建议", which would otherwise make all of them look alike."""
    text = (title or "").strip()
    text = _TITLE_HEAD.sub("", text)
    return _TITLE_TAIL.sub("", text) or text


def _similar(suggestion: Suggestion, user, limit: int = SIMILAR_LIMIT) -> list[dict]:
    found = Suggestion.objects.similar_to(
        congress=suggestion.congress,
        year=suggestion.year,
        text=_probe(suggestion.title),
        exclude_pk=suggestion.pk,
        limit=limit,
    )
    return _similar_rows(found, user)


def _similar_rows(found: list, user) -> list[dict]:
    if not found:
        return []
    ids = [s.pk for s in found]
    visible = set(
        Suggestion.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    return [
        {
            "s": s,
            "visible": s.pk in visible,
            "status": Suggestion.Status(s.status).label,
        }
        for s in found
    ]


# --- the deputy: my suggestions, the form, similar ones ------------------------------------------


def _own_q(user) -> Q:
    cosigned = CoSigner.objects.filter(mandate__person__user=user).exclude(
        status=CoSigner.Status.DECLINED
    )
    return Q(lead__person__user=user) | Q(pk__in=cosigned.values("suggestion_id"))


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """我的议案建议: what the user leads or co-signs, with the invitations and the
    opinions a station converted for them."""
    user = request.user
    queryset = Suggestion.objects.visible_to(user).filter(_own_q(user))
    form = forms.SuggestionFilterForm(request.GET or None, years=_years(queryset))
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()
    elif form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["year"]:
            queryset = queryset.filter(year=data["year"])
        if data["q"]:
            queryset = queryset.filter(title__contains=data["q"])
    queryset = queryset.with_list_related().order_by("-created_at", "-id")
    page, page_range = _paginate(request, queryset)
    invitations = list(
        CoSigner.objects.filter(
            mandate__person__user=user,
            status=CoSigner.Status.INVITED,
            suggestion__status__in=[S.DRAFT, S.SUBMITTED, S.RETURNED],
        )
        .select_related("suggestion__lead__person")
        .order_by("suggestion__created_at")[:SIDE_LIST_LIMIT]
    )
    converted = list(
        Opinion.objects.filter(
            status=Opinion.Status.CONVERTED,
            converted_for__person__user=user,
            suggestion__isnull=True,
        )
        .only("id", "tracking_code", "category", "content", "created_at")
        .order_by("created_at")[:SIDE_LIST_LIMIT]
    )
    return render(
        request,
        "proposals/mine.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page_range,
            "rows": [_status_row(s) for s in page.object_list],
            "invitations": invitations,
            "converted": converted,
            "has_mandate": Mandate.objects.current().filter(person__user=user).exists(),
        },
    )


def _form_kwargs(
    user, mandates: list[Mandate], suggestion: Suggestion | None = None
) -> dict:
    """Choices of the write form: the user's sessions, research and fellow deputies."""
    today = timezone.localdate()
    since = today - timedelta(days=RESEARCH_DAYS)
    mandate_ids = [m.pk for m in mandates]
    congress_ids = [m.congress_id for m in mandates]
    activities = Activity.objects.filter(
        pk__in=Attendance.objects.filter(mandate_id__in=mandate_ids)
        .exclude(status__in=[Attendance.Status.ABSENT, Attendance.Status.EXCUSED])
        .values("activity_id"),
    )
    opinions = Opinion.objects.filter(
        Q(
            pk__in=Opinion.deputies.through.objects.filter(
                mandate_id__in=mandate_ids
            ).values("opinion_id")
        )
        | Q(converted_for_id__in=mandate_ids)
    )
    recent_activities, recent_opinions = (
        Q(date__gte=since),
        Q(created_at__date__gte=since),
    )
    invited: set[int] = set()
    if suggestion is not None:
        recent_activities |= Q(pk__in=suggestion.research_activities.values("pk"))
        recent_opinions |= Q(pk__in=suggestion.research_opinions.values("pk"))
        invited = set(suggestion.cosigners.values_list("mandate_id", flat=True))
    fellows = (
        Mandate.objects.current()
        .active()
        .filter(congress_id__in=congress_ids)
        .exclude(person__user=user)
        .select_related("person", "congress")
        .order_by("congress__region__path", "name_stroke_key", "id")
    )
    if suggestion is not None:
        fellows = fellows.filter(term_id=suggestion.term_id)
    groups: dict[str, list] = {}
    for mandate in fellows:
        if mandate.pk not in invited:
            groups.setdefault(mandate.congress.name, []).append(
                (mandate.pk, mandate.person.name)
            )
    sessions = (
        Session.objects.filter(
            term__congress_id__in=congress_ids,
            term__is_current=True,
            end_date__gte=today,
        )
        .select_related("term__congress")
        .order_by("start_date")
    )
    return {
        "mandates": mandates,
        "suggestion": suggestion,
        "sessions": sessions,
        "activities": activities.filter(recent_activities).order_by("-date", "-id"),
        "opinions": opinions.filter(recent_opinions).order_by("-created_at", "-id"),
        "cosigner_choices": list(groups.items()),
    }


def _cosigner_mandates(ids: list[int]) -> list[Mandate]:
    return list(Mandate.objects.filter(pk__in=ids).select_related("person__user"))


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Write a new draft (a bill or a suggestion) to one of the user's congresses."""
    user = request.user
    mandates = _current_mandates(user)
    permissions.require(bool(mandates), _("您没有本届代表资格，不能提出议案建议。"))
    form = forms.SuggestionForm(request.POST or None, **_form_kwargs(user, mandates))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_create(
                lead=data["lead"],
                kind=data["kind"],
                session=data["session"],
                title=data["title"],
                problem=data["problem"],
                analysis=data["analysis"],
                proposals=data["proposals"],
                category=data["category"],
                is_public=data["is_public"],
                research_note=data["research_note"],
                research_date=data["research_date"],
                research_place=data["research_place"],
                research_people=data["research_people"],
                research_activities=list(data["research_activities"]),
                research_opinions=list(data["research_opinions"]),
                co_signers=_cosigner_mandates(data["co_signers"]),
                actor=user,
            )
        except DomainError as exc:
            _add_error(form, exc)
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
    suggestion = get_visible_or_404(
        Suggestion.objects.select_related("congress__region", "lead__person", "term"),
        user,
        pk=pk,
    )
    permissions.require_lead(user, suggestion)
    if suggestion.status not in (S.DRAFT, S.RETURNED):
        messages.error(
            request,
            _("只有草稿或退回修改的%(kind)s可以修改。")
            % {"kind": suggestion.get_kind_display()},
        )
        return redirect("proposals:detail", pk=pk)
    mandates = [suggestion.lead]
    initial = {
        "kind": suggestion.kind,
        "congress": suggestion.congress_id,
        "session": suggestion.session_id,
        "title": suggestion.title,
        "problem": suggestion.problem,
        "analysis": suggestion.analysis,
        "proposals": suggestion.proposals,
        "category": suggestion.category,
        "is_public": suggestion.is_public,
        "research_note": suggestion.research_note,
        "research_date": suggestion.research_date,
        "research_place": suggestion.research_place,
        "research_people": suggestion.research_people,
        "research_activities": list(
            suggestion.research_activities.values_list("pk", flat=True)
        ),
        "research_opinions": list(
            suggestion.research_opinions.values_list("pk", flat=True)
        ),
    }
    form = forms.SuggestionForm(
        request.POST or None,
        initial=initial,
        **_form_kwargs(user, mandates, suggestion),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One save of the draft: its fields, its research links and new invitations.
            with transaction.atomic():
                services.suggestion_update(
                    suggestion=suggestion,
                    actor=user,
                    session=data["session"],
                    title=data["title"],
                    problem=data["problem"],
                    analysis=data["analysis"],
                    proposals=data["proposals"],
                    category=data["category"],
                    is_public=data["is_public"],
                    research_note=data["research_note"],
                    research_date=data["research_date"],
                    research_place=data["research_place"],
                    research_people=data["research_people"],
                )
                services.suggestion_set_research(
                    suggestion=suggestion,
                    activities=list(data["research_activities"]),
                    opinions=list(data["research_opinions"]),
                )
                if data["co_signers"]:
                    services.suggestion_invite_cosigners(
                        suggestion=suggestion,
                        mandates=_cosigner_mandates(data["co_signers"]),
                        actor=user,
                    )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("修改已保存。"))
            return redirect("proposals:detail", pk=pk)
    cosigners = list(suggestion.cosigners.select_related("mandate__person"))
    return render(
        request,
        "proposals/suggestion_form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "cosigners": cosigners,
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
    if congress is None:
        raise Http404
    in_scope = (
        scope_for(user).governs_path(congress.region.path)
        or Mandate.objects.current()
        .filter(person__user=user, congress=congress)
        .exists()
    )
    if not in_scope:
        raise Http404
    text = _probe((request.GET.get("text") or "")[:200])
    found = Suggestion.objects.similar_to(
        congress=congress, year=year, text=text, exclude_pk=exclude, limit=SIMILAR_LIMIT
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
        for row in _similar_rows(found, user)
    ]
    return JsonResponse({"results": results})


@login_required
@require_http_methods(["GET", "POST"])
def from_opinion(request: HttpRequest, opinion_pk: int) -> HttpResponse:
    """Start the draft of an opinion a station converted for the user."""
    user = request.user
    opinion = (
        Opinion.objects.filter(pk=opinion_pk, converted_for__person__user=user)
        .select_related("station", "converted_for__congress")
        .first()
    )
    if opinion is None:
        raise Http404
    if request.method == "POST":
        try:
            suggestion = services.suggestion_from_opinion(opinion=opinion, actor=user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:mine")
        messages.success(request, _("已根据群众意见起草建议，请补充分析和建议后提交。"))
        return redirect("proposals:edit", pk=suggestion.pk)
    existing = Suggestion.objects.filter(source_opinion=opinion).first()
    return render(
        request,
        "proposals/from_opinion.html",
        {"opinion": opinion, "existing": existing},
    )


# --- the detail page ------------------------------------------------------------------------------


def _detail_queryset():
    return Suggestion.objects.with_list_related().select_related(
        "congress__region", "term", "merged_into"
    )


def _detail_context(request: HttpRequest, suggestion: Suggestion, **bound) -> dict:
    """Everything the detail page shows to this user, and the forms they may use."""
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    lead = permissions.is_lead(user, suggestion)
    manager = permissions.can_manage(user, suggestion)
    staff_view = scope.governs_path(suggestion.region_path)
    unit_ids = scope.unit_ids
    cosigners = list(
        suggestion.cosigners.select_related("mandate__person").order_by(
            "mandate__name_stroke_key"
        )
    )
    my_cosigner = next(
        (c for c in cosigners if c.mandate.person.user_id == user.pk), None
    )
    assignments = list(
        suggestion.assignments.select_related("unit", "co_opinion")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.prefetch_related("commitments")),
            Prefetch("contacts"),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.filter(status="pending"),
                to_attr="pending_extensions",
            ),
            Prefetch(
                "return_requests",
                queryset=ReturnRequest.objects.filter(status="pending"),
                to_attr="pending_returns",
            ),
        )
        .annotate(
            replaced=Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("suggestion"),
                    role=OuterRef("role"),
                    pk__gt=OuterRef("pk"),
                ).exclude(status=A.RETURNED)
            ),
        )
        .order_by("id")
    )
    assignments.sort(key=lambda a: (a.status == A.RETURNED, ROLE_ORDER.get(a.role, 9)))
    handling = suggestion.status in Suggestion.HANDLING_STATES
    lead_units = {a.unit_id for a in assignments if a.role == Assignment.Role.LEAD}
    rows = []
    for a in assignments:
        row = _assignment_row(a, today, handling)
        mine = a.unit_id in unit_ids
        row.update(
            {
                "mine": mine,
                "show_contacts": staff_view or lead or mine,
                # A co-unit's opinion goes to the lead unit; staff read it too.
                "show_co_opinion": staff_view or mine or bool(lead_units & unit_ids),
                "can_urge": (manager or lead) and row["open"],
                "can_reassign": manager and a.status == A.RETURNED and not a.replaced,
                "replies": list(a.replies.all()),
            }
        )
        rows.append(row)
    evaluations = list(suggestion.evaluations.select_related("mandate__person"))
    my_mandate = (
        suggestion.lead if lead else (my_cosigner.mandate if my_cosigner else None)
    )
    my_evaluation = next(
        (
            e
            for e in evaluations
            if my_mandate
            and e.mandate_id == my_mandate.pk
            and e.round == suggestion.round
        ),
        None,
    )
    can_rate = (
        suggestion.status == S.REPLIED
        and my_mandate is not None
        and my_evaluation is None
        and (
            lead
            or (
                my_cosigner.status == CoSigner.Status.CONFIRMED
                and services.may_rate(suggestion, my_mandate)
            )
        )
    )
    events = _visible_events(
        suggestion.events.select_related("actor", "unit"),
        sees_all=staff_view,
        unit_ids=unit_ids,
    )
    editable = suggestion.status in (S.DRAFT, S.RETURNED)
    show_similar = (lead and editable) or (
        manager and suggestion.status in (S.SUBMITTED, S.REGISTERED)
    )
    context = {
        "s": suggestion,
        "badge": STATUS_BADGES.get(suggestion.status, "muted"),
        "labels": forms.TEXT_LABELS[suggestion.kind],
        "is_lead": lead,
        "manager": manager,
        "staff_view": staff_view,
        "cosigners": cosigners,
        "my_cosigner": my_cosigner,
        "assignment_rows": rows,
        "evaluations": evaluations,
        "my_evaluation": my_evaluation,
        "events": events,
        "activities": list(suggestion.research_activities.all()),
        "opinions": list(
            suggestion.research_opinions.only(
                "id", "tracking_code", "category", "content"
            )
        ),
        "merged_children": list(
            suggestion.merged_children.select_related("lead__person")
        ),
        "similar": _similar(suggestion, user) if show_similar else [],
        "key_items": list(suggestion.key_items.visible_to(user).only("id", "title"))
        if staff_view
        else [],
        "can_edit": lead and editable,
        "can_submit": lead and editable,
        "can_withdraw": lead
        and suggestion.first_replied_at is None
        and S.WITHDRAWN in Suggestion.TRANSITIONS[suggestion.status],
        "can_cosign": my_cosigner is not None
        and my_cosigner.status == CoSigner.Status.INVITED
        and suggestion.status in (S.DRAFT, S.SUBMITTED, S.RETURNED),
        "can_review": manager and suggestion.status == S.SUBMITTED,
        "can_assign": manager and suggestion.status == S.REGISTERED,
        "can_merge": manager and suggestion.status in (S.SUBMITTED, S.REGISTERED),
        "can_rate": can_rate,
        # Commitments are marked done by their unit or by congress staff.
        "can_complete": {a.pk for a in assignments if manager or a.unit_id in unit_ids},
        "submit_form": bound.get("submit_form") or Form(),
        "withdraw_form": bound.get("withdraw_form") or forms.OptionalReasonForm(),
        "return_form": bound.get("return_form") or forms.ReasonForm(prefix="ret"),
        "reject_form": bound.get("reject_form") or forms.ReasonForm(prefix="rej"),
        "evaluation_form": bound.get("evaluation_form") or forms.EvaluationForm(),
        "today": today,
    }
    return context


def _render_detail(
    request: HttpRequest, suggestion: Suggestion, status: int = 200, **bound
) -> HttpResponse:
    return render(
        request,
        "proposals/suggestion_detail.html",
        _detail_context(request, suggestion, **bound),
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One bill or suggestion: text, research, status, units, replies, ratings and
    the whole timeline, with the actions the user may take now."""
    suggestion = get_visible_or_404(_detail_queryset(), request.user, pk=pk)
    return _render_detail(request, suggestion)


def _suggestion_for_action(request: HttpRequest, pk: int) -> Suggestion:
    return get_visible_or_404(_detail_queryset(), request.user, pk=pk)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion_for_action(request, pk)
    permissions.require_lead(request.user, suggestion)
    try:
        services.suggestion_submit(suggestion=suggestion, actor=request.user)
    except TransitionError as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        form = Form(data={})
        form.is_valid()
        form.add_error(None, exc.message)
        return _render_detail(request, suggestion, status=400, submit_form=form)
    else:
        messages.success(request, _("已提交，等待人大工作人员审查。"))
    return redirect("proposals:detail", pk=pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion_for_action(request, pk)
    permissions.require_lead(request.user, suggestion)
    form = forms.OptionalReasonForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, suggestion, status=400, withdraw_form=form)
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
    suggestion = get_visible_or_404(_detail_queryset(), request.user, pk=pk)
    cosigner = (
        suggestion.cosigners.filter(mandate__person__user=request.user)
        .select_related("mandate__person", "suggestion")
        .first()
    )
    permissions.require(cosigner is not None, _("您不是该议案建议的联名代表。"))
    form = forms.CosignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["accept"]
        try:
            services.cosigner_respond(
                cosigner=cosigner, accept=accept, user=request.user
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
    user = request.user
    suggestion = _suggestion_for_action(request, pk)
    if not permissions.is_lead(user, suggestion):
        mandate = Mandate.objects.filter(
            person__user=user,
            cosignatures__suggestion=suggestion,
            cosignatures__status=CoSigner.Status.CONFIRMED,
        ).first()
        permissions.require(
            mandate is not None and services.may_rate(suggestion, mandate),
            _("只有领衔代表本人可以评价办理结果。"),
        )
    form = forms.EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.suggestion_evaluate(
                suggestion=suggestion, user=user, **form.cleaned_data
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("评价已提交，感谢您的评价。"))
            return redirect("proposals:detail", pk=pk)
    return _render_detail(request, suggestion, status=400, evaluation_form=form)


# --- congress staff: lists, review, assignment ------------------------------------------------------


@login_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """议案建议: everything submitted in the staff's or leader's region."""
    user = request.user
    _require_governing(user)
    queryset = (
        Suggestion.objects.visible_to(user)
        .filter(governed_q(user, "region_path"))
        .exclude(status=S.DRAFT)
    )
    congresses = Congress.objects.filter(governed_q(user, "region__path")).order_by(
        "region__path"
    )
    form = forms.SuggestionFilterForm(
        request.GET or None, years=_years(queryset), congresses=congresses
    )
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()
    elif form.is_valid():
        data = form.cleaned_data
        for field in ("status", "kind", "year", "congress"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data["q"]:
            queryset = queryset.filter(
                Q(title__contains=data["q"]) | Q(lead__person__name=data["q"])
            )
    queryset = (
        queryset.with_list_related()
        .prefetch_related(Prefetch("assignments", queryset=_units_first_lead()))
        .select_related("congress__region")
        .order_by("-year", "-submitted_at", "-id")
    )
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/manage.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page_range,
            "rows": [_status_row(s) for s in page.object_list],
            "can_manage": _managing(user),
        },
    )


@login_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    """审查: submitted items, oldest first."""
    user = request.user
    _require_governing(user)
    queryset = (
        Suggestion.objects.visible_to(user)
        .filter(governed_q(user, "region_path"), status=S.SUBMITTED)
        .with_list_related()
        .annotate(
            confirmed=Count(
                "cosigners", filter=Q(cosigners__status=CoSigner.Status.CONFIRMED)
            )
        )
        .order_by("submitted_at", "id")
    )
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/review.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": [_status_row(s) for s in page.object_list],
            "can_manage": _managing(user),
            "return_form": forms.ReasonForm(prefix="ret"),
            "reject_form": forms.ReasonForm(prefix="rej"),
        },
    )


def _staff_action(request: HttpRequest, pk: int) -> Suggestion:
    suggestion = _suggestion_for_action(request, pk)
    permissions.require_manager(request.user, suggestion)
    return suggestion


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _staff_action(request, pk)
    try:
        registered = services.suggestion_register(
            suggestion=suggestion, actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已立案，编号%(number)s。") % {"number": registered.number_display},
        )
    return redirect(_next_or(request, reverse("proposals:detail", args=[pk])))


def _reason_action(
    request: HttpRequest, pk: int, *, prefix: str, service, done: str, form_key: str
):
    suggestion = _staff_action(request, pk)
    form = forms.ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(
                suggestion=suggestion,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(_next_or(request, reverse("proposals:detail", args=[pk])))
    return _render_detail(request, suggestion, status=400, **{form_key: form})


@login_required
@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        prefix="ret",
        service=services.suggestion_return,
        done=_("已退回代表修改。"),
        form_key="return_form",
    )


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        prefix="rej",
        service=services.suggestion_reject,
        done=_("已作不予立案处理。"),
        form_key="reject_form",
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """并案: fold a duplicate into a similar one of the same congress and year."""
    user = request.user
    suggestion = _suggestion_for_action(request, pk)
    if request.method == "POST":
        permissions.require_manager(user, suggestion)
    found = Suggestion.objects.similar_to(
        congress=suggestion.congress,
        year=suggestion.year,
        text=_probe(suggestion.title),
        exclude_pk=suggestion.pk,
        limit=MERGE_CANDIDATES,
    )
    ids = [s.pk for s in found if s.status in (S.SUBMITTED, S.REGISTERED, S.ASSIGNED)]
    candidates = sorted(
        Suggestion.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("lead__person"),
        key=lambda s: ids.index(s.pk),
    )
    form = forms.MergeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        into = next(c for c in candidates if c.pk == form.cleaned_data["into"])
        try:
            services.suggestion_merge(suggestion=suggestion, into=into, actor=user)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request,
                _("已并入“%(title)s”，代表仍将收到该件的答复。")
                % {"title": into.title},
            )
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/merge.html",
        {
            "s": suggestion,
            "form": form,
            "candidates": candidates,
            "manager": permissions.can_manage(user, suggestion),
        },
        status=400 if form.is_bound else 200,
    )


def _assignable_units(user, suggestion: Suggestion):
    return (
        HandlingUnit.objects.visible_to(user)
        .active()
        .filter(region__path__startswith=suggestion.congress.region.path)
        .order_by("region__path", "name")
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """交办 in one form: a lead unit with co-units, or split units, and the due date."""
    user = request.user
    suggestion = _staff_action(request, pk)
    if suggestion.status != S.REGISTERED:
        messages.error(
            request,
            _("该%(kind)s当前状态为“%(status)s”，不能交办。")
            % {
                "kind": suggestion.get_kind_display(),
                "status": suggestion.get_status_display(),
            },
        )
        return redirect("proposals:detail", pk=pk)
    rules = rules_for(suggestion.congress)
    default_due = add_months(timezone.localdate(), rules.assignment_due_months)
    form = forms.AssignForm(
        request.POST or None,
        units=_assignable_units(user, suggestion),
        default_due=default_due,
        due_months=rules.assignment_due_months,
        max_months=rules.extension_max_months,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.suggestion_assign(
                suggestion=suggestion,
                units=form.unit_roles(),
                due_date=form.cleaned_data["due_date"],
                actor=user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=pk)
        except DomainError as exc:
            field = {"units": None}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已交办，承办单位将收到通知。"))
            return redirect("proposals:detail", pk=pk)
    return render(
        request,
        "proposals/assign.html",
        {"s": suggestion, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- congress staff: supervision ---------------------------------------------------------------------


@login_required
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """逾期督办: open assignments past their due date, grouped by unit."""
    user = request.user
    _require_governing(user)
    today = timezone.localdate()
    queryset = (
        Assignment.objects.visible_to(user)
        .filter(governed_q(user, "region_path"))
        .overdue(today)
        .with_list_related()
        .annotate(urge_count=Count("urges"))
        .order_by("unit__name", "unit_id", "due_date", "id")
    )
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/overdue.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": [_assignment_row(a, today) for a in page.object_list],
            "can_manage": _managing(user),
            "urge_form": forms.UrgeForm(),
        },
    )


@login_required
@require_POST
def urge(request: HttpRequest, pk: int) -> HttpResponse:
    """催办 an assignment (congress staff or the lead deputy)."""
    user = request.user
    assignment = get_visible_or_404(
        Assignment.objects.select_related("suggestion__lead__person", "unit"),
        user,
        pk=pk,
    )
    suggestion = assignment.suggestion
    permissions.require(
        permissions.can_manage(user, suggestion)
        or permissions.is_lead(user, suggestion),
        _("只有人大工作人员或领衔代表可以催办。"),
    )
    form = forms.UrgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.urge_create(assignment=assignment, actor=user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已向%(unit)s发出催办。") % {"unit": assignment.unit.name}
        )
    return redirect(
        _next_or(request, reverse("proposals:detail", args=[suggestion.pk]))
    )


REQUEST_TABS = ("extension", "return", "reassign")


@login_required
@require_GET
def requests_(request: HttpRequest) -> HttpResponse:
    """延期与退办: pending extension and return requests, and returned parts to
    assign to another unit."""
    user = request.user
    _require_governing(user)
    tab = (
        request.GET.get("tab")
        if request.GET.get("tab") in REQUEST_TABS
        else "extension"
    )
    in_region = governed_q(user, "assignment__region_path")
    related = (
        "assignment__unit",
        "assignment__suggestion__congress",
        "assignment__suggestion__lead__person",
        "requested_by",
    )
    extensions = ExtensionRequest.objects.filter(
        in_region, status=ExtensionRequest.Status.PENDING
    )
    returns = ReturnRequest.objects.filter(
        in_region, status=ReturnRequest.Status.PENDING
    )
    to_reassign = (
        Assignment.objects.filter(governed_q(user, "region_path"), status=A.RETURNED)
        .exclude(suggestion__status__in=[S.WITHDRAWN, S.CLOSED, S.MERGED])
        .filter(
            ~Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("suggestion"),
                    role=OuterRef("role"),
                    pk__gt=OuterRef("pk"),
                ).exclude(status=A.RETURNED)
            )
        )
    )
    counts = {
        "extension": extensions.count(),
        "return": returns.count(),
        "reassign": to_reassign.count(),
    }
    if tab == "extension":
        queryset = extensions.select_related(*related).order_by("requested_at", "id")
    elif tab == "return":
        queryset = returns.select_related(*related).order_by("requested_at", "id")
    else:
        queryset = (
            to_reassign.with_list_related()
            .prefetch_related(
                Prefetch(
                    "return_requests",
                    queryset=ReturnRequest.objects.filter(status="approved"),
                    to_attr="approved_returns",
                )
            )
            .order_by("assigned_on", "id")
        )
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/requests.html",
        {
            "tab": tab,
            "counts": counts,
            "page_obj": page,
            "page_range": page_range,
            "can_manage": _managing(user),
            "decision_form": forms.DecisionForm(),
        },
    )


def _decide(
    request: HttpRequest, model, pk: int, service, done_yes: str, done_no: str
) -> HttpResponse:
    user = request.user
    item = (
        model.objects.filter(governed_q(user, "assignment__region_path"))
        .select_related("assignment__suggestion")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    permissions.require_manager(user, item.assignment.suggestion)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或不同意。"))
    else:
        approve = form.cleaned_data["approve"]
        try:
            service(
                request=item,
                approve=approve,
                note=form.cleaned_data["note"],
                actor=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done_yes if approve else done_no)
    return redirect(_next_or(request, reverse("proposals:requests")))


@login_required
@require_POST
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        ExtensionRequest,
        pk,
        services.extension_decide,
        _("已同意延期，办理期限已更新。"),
        _("已不同意延期。"),
    )


@login_required
@require_POST
def return_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        ReturnRequest,
        pk,
        services.return_decide,
        _("已同意退办，请改交其他单位。"),
        _("已不同意退办，原单位继续办理。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, pk: int) -> HttpResponse:
    """改交: after an approved return, give the part to another unit."""
    user = request.user
    assignment = get_visible_or_404(
        Assignment.objects.select_related(
            "unit", "suggestion__congress__region", "suggestion__lead__person"
        ),
        user,
        pk=pk,
    )
    suggestion = assignment.suggestion
    permissions.require_manager(user, suggestion)
    taken = suggestion.assignments.live().values("unit_id")
    units = (
        _assignable_units(user, suggestion)
        .exclude(pk__in=taken)
        .exclude(pk=assignment.unit_id)
    )
    form = forms.ReassignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_reassign(
                assignment=assignment, unit=form.cleaned_data["unit"], actor=user
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:detail", pk=suggestion.pk)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(
                request,
                _("已改交%(unit)s。") % {"unit": form.cleaned_data["unit"].name},
            )
            return redirect("proposals:detail", pk=suggestion.pk)
    return render(
        request,
        "proposals/reassign.html",
        {"a": assignment, "s": suggestion, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def callbacks(request: HttpRequest) -> HttpResponse:
    """满意度回访: sample satisfied ratings of a congress and year, record the calls."""
    user = request.user
    _require_governing(user)
    congresses = _managed_congresses(user)
    sample_form = forms.CallbackSampleForm(request.POST or None, congresses=congresses)
    if request.method == "POST":
        permissions.require(_managing(user), _("只有人大工作人员可以抽查回访。"))
        if sample_form.is_valid():
            data = sample_form.cleaned_data
            chosen = services.evaluations_sample_for_callback(
                congress=data["congress"],
                year=data["year"],
                size=data["size"],
                actor=user,
            )
            if chosen:
                messages.success(
                    request,
                    _("已抽取%(n)s件满意评价，请逐件回访并记录。") % {"n": len(chosen)},
                )
            else:
                messages.warning(request, _("没有可抽查的满意评价。"))
            return redirect(
                f"{reverse('proposals:callbacks')}?congress={data['congress'].pk}&year={data['year']}"
            )
    queryset = (
        Evaluation.objects.filter(
            governed_q(user, "suggestion__region_path"), callback_flagged=True
        )
        .select_related(
            "suggestion__congress", "suggestion__lead__person", "mandate__person"
        )
        .order_by("callback_note", "-submitted_at", "-id")
    )
    congress_id, year = request.GET.get("congress"), request.GET.get("year")
    if congress_id and congress_id.isdigit():
        queryset = queryset.filter(suggestion__congress_id=int(congress_id))
    if year and year.isdigit():
        queryset = queryset.filter(suggestion__year=int(year))
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/callbacks.html",
        {
            "sample_form": sample_form,
            "page_obj": page,
            "page_range": page_range,
            "can_manage": _managing(user),
            "note_form": forms.CallbackNoteForm(),
        },
        status=400 if sample_form.is_bound else 200,
    )


@login_required
@require_POST
def callback_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    evaluation = (
        Evaluation.objects.filter(governed_q(user, "suggestion__region_path"), pk=pk)
        .select_related("suggestion")
        .first()
    )
    if evaluation is None:
        raise Http404
    permissions.require_manager(user, evaluation.suggestion)
    form = forms.CallbackNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写回访情况。"))
    else:
        try:
            services.evaluation_record_callback(
                evaluation=evaluation, note=form.cleaned_data["note"], actor=user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("回访情况已记录。"))
    return redirect(_next_or(request, reverse("proposals:callbacks")))


# --- key supervision ----------------------------------------------------------------------------------


@login_required
@require_GET
def key_list(request: HttpRequest) -> HttpResponse:
    """重点督办 items in scope; a leader sees theirs first and can filter to them."""
    user = request.user
    _require_governing(user)
    queryset = (
        KeySupervisionItem.objects.visible_to(user)
        .select_related("congress", "leader")
        .annotate(
            suggestion_count=Count("suggestions", distinct=True),
            event_count=Count("events", distinct=True),
        )
    )
    mine_only = request.GET.get("mine") == "1"
    if mine_only:
        queryset = queryset.filter(leader=user)
    page, page_range = _paginate(
        request, queryset.order_by("-year", "status", "title", "id")
    )
    return render(
        request,
        "proposals/key_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "mine_only": mine_only,
            "can_create": _managing(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(_managing(user), _("只有人大工作人员可以确定重点督办事项。"))
    congresses = _managed_congresses(user)
    grants = list(
        RoleGrant.objects.filter(role=Role.LEADER, congress__in=congresses).values_list(
            "user_id", "congress_id"
        )
    )
    leader_congresses: dict[int, set[int]] = {}
    for user_id, congress_id in grants:
        leader_congresses.setdefault(user_id, set()).add(congress_id)
    leaders = User.objects.filter(pk__in=leader_congresses).order_by(
        "display_name", "username"
    )
    suggestions = (
        Suggestion.objects.filter(
            congress__in=congresses,
            status__in=SUPERVISABLE,
            year__gte=timezone.localdate().year - 1,
        )
        .select_related("lead__person", "congress__region")
        .order_by("congress__region__path", "-year", "number", "id")
    )
    form = forms.KeyItemForm(
        request.POST or None,
        congresses=congresses,
        leaders=leaders,
        leader_congresses=leader_congresses,
        suggestions=suggestions,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.key_item_create(
                congress=data["congress"],
                year=data["year"],
                title=data["title"],
                leader=data["leader"],
                suggestions=list(data["suggestions"]),
                plan=data["plan"],
                actor=user,
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("重点督办事项已确定。"))
            return redirect("proposals:key_detail", pk=item.pk)
    return render(
        request,
        "proposals/key_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _key_item(request: HttpRequest, pk: int) -> KeySupervisionItem:
    return get_visible_or_404(
        KeySupervisionItem.objects.select_related("congress", "leader"),
        request.user,
        pk=pk,
    )


def _may_supervise(user, item: KeySupervisionItem) -> bool:
    """Staff of the region, and the leader who leads the item."""
    return scope_for(user).manages_path(item.region_path) or item.leader_id == user.pk


def _render_key(
    request: HttpRequest, item: KeySupervisionItem, status: int = 200, **bound
) -> HttpResponse:
    today = timezone.localdate()
    suggestions = list(
        item.suggestions.select_related("lead__person")
        .prefetch_related(Prefetch("assignments", queryset=_units_first_lead()))
        .order_by("number", "id")
    )
    return render(
        request,
        "proposals/key_detail.html",
        {
            "item": item,
            "rows": [
                {
                    **_status_row(s),
                    "units": [
                        _assignment_row(
                            a, today, s.status in Suggestion.HANDLING_STATES
                        )
                        for a in s.assignments.all()
                    ],
                }
                for s in suggestions
            ],
            "events": list(item.events.all()),
            "may_supervise": _may_supervise(request.user, item),
            "event_form": bound.get("event_form")
            or forms.SupervisionEventForm(initial={"date": today}),
            "evaluate_form": bound.get("evaluate_form")
            or forms.KeyEvaluateForm(item=item),
        },
        status=status,
    )


@login_required
@require_GET
def key_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_key(request, _key_item(request, pk))


@login_required
@require_POST
def key_event(request: HttpRequest, pk: int) -> HttpResponse:
    item = _key_item(request, pk)
    permissions.require(
        _may_supervise(request.user, item),
        _("只有人大工作人员或牵头领导可以记录督办活动。"),
    )
    form = forms.SupervisionEventForm(request.POST)
    if form.is_valid():
        try:
            services.key_item_add_event(
                item=item, actor=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("督办活动已记录。"))
            return redirect("proposals:key_detail", pk=pk)
    return _render_key(request, item, status=400, event_form=form)


@login_required
@require_POST
def key_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    item = _key_item(request, pk)
    permissions.require(
        _may_supervise(request.user, item),
        _("只有人大工作人员或牵头领导可以评估督办事项。"),
    )
    form = forms.KeyEvaluateForm(request.POST)
    if form.is_valid():
        try:
            services.key_item_evaluate(
                item=item,
                evaluation=form.cleaned_data["evaluation"],
                actor=request.user,
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, _("督办评估已保存。"))
            return redirect("proposals:key_detail", pk=pk)
    return _render_key(request, item, status=400, evaluate_form=form)


# --- handling units ----------------------------------------------------------------------------------


@login_required
@require_GET
def assignments(request: HttpRequest) -> HttpResponse:
    """我的承办: the unit's assignments by due date, overdue ones highlighted."""
    user = request.user
    scope = scope_for(user)
    permissions.require(
        bool(scope.unit_ids) or scope.is_admin,
        _("只有承办单位工作人员可以查看此页面。"),
    )
    today = timezone.localdate()
    queryset = Assignment.objects.visible_to(user)
    if not scope.is_admin:
        queryset = queryset.filter(unit_id__in=scope.unit_ids)
    form = forms.AssignmentFilterForm(request.GET or None)
    show = (
        form.cleaned_data["show"]
        if form.is_valid() and form.cleaned_data["show"]
        else form.OPEN
    )
    if show == form.OPEN:
        queryset = queryset.filter(status__in=OPEN_ASSIGNMENT)
    elif show == form.REPLIED:
        queryset = queryset.filter(status=A.REPLIED)
    queryset = (
        queryset.with_list_related()
        .select_related("suggestion__session")
        .order_by("due_date", "id")
    )
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/assignment_list.html",
        {
            "form": form,
            "show": show,
            "page_obj": page,
            "page_range": page_range,
            "rows": [_assignment_row(a, today) for a in page.object_list],
        },
    )


def _assignment_queryset():
    return Assignment.objects.select_related(
        "unit",
        "suggestion__congress__region",
        "suggestion__lead__person",
        "suggestion__session",
        "suggestion__term",
        "co_opinion",
    )


def _assignment_context(request: HttpRequest, assignment: Assignment, **bound) -> dict:
    user = request.user
    scope = scope_for(user)
    today = timezone.localdate()
    suggestion = assignment.suggestion
    mine = permissions.is_unit_of(user, assignment)
    manager = permissions.can_manage(user, suggestion)
    staff_view = scope.governs_path(suggestion.region_path)
    handling = suggestion.status in Suggestion.HANDLING_STATES
    status = assignment.status
    co_opinions: list[CoUnitOpinion] = []
    if assignment.role == Assignment.Role.LEAD and (mine or staff_view):
        co_opinions = list(
            CoUnitOpinion.objects.filter(
                assignment__suggestion=suggestion
            ).select_related("assignment__unit")
        )
    elif (
        assignment.role == Assignment.Role.CO
        and hasattr(assignment, "co_opinion")
        and (mine or staff_view)
    ):
        co_opinions = [assignment.co_opinion]
    replies = list(assignment.replies.prefetch_related("commitments"))
    contacts = list(assignment.contacts.select_related("recorded_by"))
    contacted_this_round = any(
        c.created_at >= assignment.round_started_at for c in contacts
    )
    return {
        "a": assignment,
        "s": suggestion,
        "row": _assignment_row(assignment, today),
        "status_badge": STATUS_BADGES.get(suggestion.status, "muted"),
        "labels": forms.TEXT_LABELS[suggestion.kind],
        "mine": mine,
        "manager": manager,
        "can_complete": {assignment.pk} if mine or manager else set(),
        "contacts": contacts,
        "contacted_this_round": contacted_this_round,
        "extensions": list(assignment.extension_requests.order_by("-requested_at")),
        "returns": list(assignment.return_requests.order_by("-requested_at")),
        "co_opinions": co_opinions,
        "replies": replies,
        # Ratings exist only once the deputy submitted them: shown from then on.
        "evaluations": list(suggestion.evaluations.select_related("mandate__person")),
        "events": _visible_events(
            suggestion.events.select_related("actor", "unit"),
            sees_all=staff_view,
            unit_ids=scope.unit_ids,
        ),
        "can_accept": mine and handling and status == A.PENDING,
        "can_request_return": mine and handling and status in (A.PENDING, A.ACCEPTED),
        "can_contact": mine and handling and status in (A.PENDING, A.ACCEPTED),
        "can_extend": mine and handling and status in (A.PENDING, A.ACCEPTED),
        "can_co_opinion": mine
        and assignment.role == Assignment.Role.CO
        and not co_opinions
        and handling,
        "can_reply": mine
        and handling
        and assignment.answers
        and status in (A.PENDING, A.ACCEPTED),
        "return_form": bound.get("return_form") or forms.ReasonForm(prefix="ret"),
        "contact_form": bound.get("contact_form") or forms.ContactForm(),
        "extension_form": bound.get("extension_form") or forms.ExtensionForm(),
        "co_opinion_form": bound.get("co_opinion_form") or forms.CoOpinionForm(),
        "today": today,
    }


def _unit_assignment(request: HttpRequest, pk: int) -> Assignment:
    assignment = get_visible_or_404(_assignment_queryset(), request.user, pk=pk)
    permissions.require_unit(request.user, assignment)
    return assignment


@login_required
@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's part: the suggestion, deadlines, contacts, requests, reply."""
    assignment = get_visible_or_404(_assignment_queryset(), request.user, pk=pk)
    return render(
        request,
        "proposals/assignment_detail.html",
        _assignment_context(request, assignment),
    )


def _unit_action(
    request: HttpRequest,
    pk: int,
    *,
    form_class,
    form_key: str,
    service,
    done: str,
    prefix: str | None = None,
    to_kwargs=None,
) -> HttpResponse:
    assignment = _unit_assignment(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        kwargs = to_kwargs(form.cleaned_data) if to_kwargs else dict(form.cleaned_data)
        try:
            service(assignment=assignment, actor=request.user, **kwargs)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:assignment", pk=pk)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("proposals:assignment", pk=pk)
    context = _assignment_context(request, assignment, **{form_key: form})
    return render(request, "proposals/assignment_detail.html", context, status=400)


@login_required
@require_POST
def assignment_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _unit_assignment(request, pk)
    try:
        services.assignment_accept(assignment=assignment, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签收。请尽快与代表沟通。"))
    return redirect("proposals:assignment", pk=pk)


@login_required
@require_POST
def assignment_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        form_class=forms.ReasonForm,
        form_key="return_form",
        prefix="ret",
        service=services.assignment_request_return,
        done=_("退办申请已提交，等待人大工作人员审批。"),
    )


@login_required
@require_POST
def assignment_contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        form_class=forms.ContactForm,
        form_key="contact_form",
        service=services.assignment_contact,
        done=_("沟通情况已记录。"),
    )


@login_required
@require_POST
def assignment_extension(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        form_class=forms.ExtensionForm,
        form_key="extension_form",
        service=services.assignment_request_extension,
        done=_("延期申请已提交，等待人大工作人员审批。"),
    )


@login_required
@require_POST
def assignment_co_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _unit_action(
        request,
        pk,
        form_class=forms.CoOpinionForm,
        form_key="co_opinion_form",
        service=services.co_unit_opinion_send,
        done=_("协办意见已送主办单位。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """答复: category from the congress's table, text, number, signer, file and,
    for B and C, the commitments with their due dates."""
    assignment = _unit_assignment(request, pk)
    suggestion = assignment.suggestion
    categories = rules_for(suggestion.congress).reply_categories
    post = request.POST if request.method == "POST" else None
    form = forms.ReplyForm(post, request.FILES or None, categories=categories)
    formset = forms.CommitmentFormSet(post, prefix="c")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_reply(
                assignment=assignment,
                category=data["category"],
                text=data["text"],
                document_number=data["document_number"],
                signer=data["signer"],
                attachment=data["attachment"],
                commitments=forms.commitments_of(formset),
                actor=request.user,
            )
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("proposals:assignment", pk=pk)
        except DomainError as exc:
            if exc.field == "commitments":
                formset._non_form_errors = formset.error_class(
                    [exc.message], error_class="nonform"
                )
            else:
                _add_error(form, exc)
        else:
            messages.success(request, _("答复已提交，代表将收到评价通知。"))
            return redirect("proposals:assignment", pk=pk)
    contacted = assignment.contacts.filter(
        created_at__gte=assignment.round_started_at
    ).exists()
    return render(
        request,
        "proposals/reply_form.html",
        {
            "a": assignment,
            "s": suggestion,
            "form": form,
            "formset": formset,
            "contacted": contacted,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a commitment of a B/C reply done (its unit or congress staff)."""
    user = request.user
    commitment = (
        Commitment.objects.filter(
            pk=pk, reply__assignment__in=Assignment.objects.visible_to(user)
        )
        .select_related("reply__assignment__suggestion")
        .first()
    )
    if commitment is None:
        raise Http404
    assignment = commitment.reply.assignment
    permissions.require(
        permissions.is_unit_of(user, assignment)
        or permissions.can_manage(user, assignment.suggestion),
        _("只有承办单位或人大工作人员可以确认承诺事项已落实。"),
    )
    form = forms.CommitmentDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.commitment_complete(commitment=commitment, note=note, actor=user)
    messages.success(request, _("承诺事项已标记为落实。"))
    return redirect(
        _next_or(request, reverse("proposals:detail", args=[assignment.suggestion_id]))
    )


@login_required
@require_GET
def reply_file(request: HttpRequest, pk: int) -> FileResponse:
    """The reply document, for those who may see the suggestion."""
    reply = (
        Reply.objects.filter(
            pk=pk,
            assignment__suggestion__in=Suggestion.objects.visible_to(request.user),
        )
        .only("id", "attachment")
        .first()
    )
    if reply is None or not reply.attachment:
        raise Http404
    return FileResponse(
        reply.attachment.open("rb"),
        as_attachment=True,
        filename=reply.attachment.name.rsplit("/", 1)[-1],
    )


# --- the public site ----------------------------------------------------------------------------------


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Published replies to suggestions, searchable, by congress and year."""
    published = Suggestion.objects.published()
    congresses = Congress.objects.filter(
        pk__in=published.values("congress_id")
    ).order_by("region__path")
    form = forms.PublicFilterForm(
        request.GET or None, congresses=congresses, years=_years(published)
    )
    if form.is_bound and not form.is_valid():
        queryset = selectors.published_suggestions().none()
    else:
        data = form.cleaned_data if form.is_bound else {}
        queryset = selectors.published_suggestions(
            q=data.get("q") or "",
            congress=data.get("congress"),
            year=data.get("year"),
        )
    page, page_range = _paginate(request, queryset)
    return render(
        request,
        "proposals/public_list.html",
        {
            "form": form,
            "page_obj": page,
            "page_range": page_range,
            "rows": [selectors.public_suggestion(s) for s in page],
        },
    )


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A published reply: the suggestion and the units' answers, no personal data."""
    suggestion = selectors.published_suggestions().filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return render(
        request,
        "proposals/public_detail.html",
        {
            "s": selectors.public_suggestion(suggestion),
            "labels": forms.TEXT_LABELS[suggestion.kind],
        },
    )


urlpatterns = [
    # the deputy
    path("", mine, name="mine"),
    path("new/", create, name="create"),
    path("similar/", similar, name="similar"),
    path("from-opinion/<int:opinion_pk>/", from_opinion, name="from_opinion"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/edit/", edit, name="edit"),
    path("<int:pk>/submit/", submit, name="submit"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("<int:pk>/cosign/", cosign, name="cosign"),
    path("<int:pk>/evaluate/", evaluate, name="evaluate"),
    # congress staff and leaders
    path("manage/", manage, name="manage"),
    path("review/", review, name="review"),
    path("<int:pk>/register/", register, name="register"),
    path("<int:pk>/return/", return_, name="return"),
    path("<int:pk>/reject/", reject, name="reject"),
    path("<int:pk>/merge/", merge, name="merge"),
    path("<int:pk>/assign/", assign, name="assign"),
    path("overdue/", overdue, name="overdue"),
    path("requests/", requests_, name="requests"),
    path("extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
    path("returns/<int:pk>/decide/", return_decide, name="return_decide"),
    path("callbacks/", callbacks, name="callbacks"),
    path("evaluations/<int:pk>/callback/", callback_record, name="callback_record"),
    path("key/", key_list, name="key_list"),
    path("key/new/", key_create, name="key_create"),
    path("key/<int:pk>/", key_detail, name="key_detail"),
    path("key/<int:pk>/events/", key_event, name="key_event"),
    path("key/<int:pk>/evaluate/", key_evaluate, name="key_evaluate"),
    # handling units
    path("assignments/", assignments, name="assignments"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment"),
    path("assignments/<int:pk>/accept/", assignment_accept, name="assignment_accept"),
    path("assignments/<int:pk>/return/", assignment_return, name="assignment_return"),
    path(
        "assignments/<int:pk>/contact/", assignment_contact, name="assignment_contact"
    ),
    path(
        "assignments/<int:pk>/extension/",
        assignment_extension,
        name="assignment_extension",
    ),
    path(
        "assignments/<int:pk>/co-opinion/",
        assignment_co_opinion,
        name="assignment_co_opinion",
    ),
    path("assignments/<int:pk>/reply/", assignment_reply, name="assignment_reply"),
    path("assignments/<int:pk>/urge/", urge, name="urge"),
    path("assignments/<int:pk>/reassign/", reassign, name="reassign"),
    path("commitments/<int:pk>/done/", commitment_done, name="commitment_done"),
    path("replies/<int:pk>/file/", reply_file, name="reply_file"),
    # the public
    path("public/", public_list, name="public_list"),
    path("public/<int:pk>/", public_detail, name="public_detail"),
]
