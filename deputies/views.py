"""HTML pages of deputies: the staff workspace (list, detail, forms, groups,
delegations, activities), the deputy's own "我的履职" and the public directory.

Thin, as STYLE.md asks: look up through ``visible_to`` (out of scope → 404),
check the user may change it (in scope but not allowed → 403), validate a
form, call one service, redirect with a message.
"""

from __future__ import annotations

import os
from itertools import chain
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.chinese import mask_id_number, mask_mobile
from portal.models import AuditEvent, Congress
from portal.ratelimit import client_ip
from portal.scoping import can_manage_region, get_visible_or_404, governed_q, scope_for
from portal.services import DomainError

from . import forms, services
from .archive import performance_archive
from .filters import MandateFilter
from .models import (
    Activity,
    Attendance,
    Delegation,
    DeputyGroup,
    GroupMembership,
    Mandate,
    QualificationEvent,
)

PAGE_SIZE = 50
# Filters always shown on the deputy list; the others fold under "更多筛选条件".
PRIMARY_FILTERS = ["q", "congress", "status", "order"]
AUDIT_LIMIT = 100

STATUS_BADGES = {
    Mandate.Status.ACTIVE: "ok",
    Mandate.Status.SUSPENDED: "warn",
    Mandate.Status.TERMINATED: "danger",
    Mandate.Status.EXPIRED: "muted",
}
REVIEW_BADGES = {
    Activity.Review.PENDING: "warn",
    Activity.Review.APPROVED: "ok",
    Activity.Review.RETURNED: "danger",
}

# Ledger kinds are the rule set's points-table keys (other apps add theirs).
LEDGER_KIND_LABELS = {
    **dict(Activity.Kind.choices),
    "station_duty_half_day": gettext_lazy("联络站接待（半天）"),
    "suggestion_registered": gettext_lazy("建议被立案"),
    "bill_registered": gettext_lazy("议案被立案"),
    "reply_rated_a": gettext_lazy("建议答复为A类（已解决）"),
    "key_supervision_selected": gettext_lazy("建议列为重点督办"),
    "opinion_closed": gettext_lazy("群众意见办结"),
    "unexcused_absence": gettext_lazy("无故缺席"),
}

GROUND_LABELS = dict(QualificationEvent.GROUND_CHOICES)

AUDIT_ACTION_LABELS = {
    "mandate.create": gettext_lazy("登记代表资格"),
    "mandate.suspend": gettext_lazy("暂停执行代表职务"),
    "mandate.restore": gettext_lazy("恢复执行代表职务"),
    "mandate.terminate": gettext_lazy("代表资格终止"),
    "mandate.expire": gettext_lazy("任期届满"),
    "person.update": gettext_lazy("修改个人信息"),
    "personal_data.reveal": gettext_lazy("查看完整手机号码和身份证号码"),
    "activity.create": gettext_lazy("登记活动"),
    "activity.review": gettext_lazy("审核活动"),
    "activity.evidence_add": gettext_lazy("上传佐证材料"),
}


# --- helpers --------------------------------------------------------------------------


def _governs(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or bool(scope.governed_paths)


def _require_governing(user) -> None:
    """Staff pages: congress staff, leaders and admins only."""
    if not _governs(user):
        raise PermissionDenied


def _require_manage(user, congress: Congress) -> None:
    if not can_manage_region(user, congress.region):
        raise PermissionDenied


def _managed_congresses(user) -> QuerySet[Congress]:
    """Congresses whose records the user may create or change."""
    return (
        Congress.objects.manageable_by(user)
        .select_related("region")
        .order_by("region__path")
    )


def _governed_congresses(user) -> QuerySet[Congress]:
    return Congress.objects.filter(governed_q(user, "region__path")).order_by(
        "region__path"
    )


_paginate = web.paginate


def _choose_congress(request: HttpRequest, congresses: QuerySet[Congress]):
    """The congress a new record belongs to: ``?congress=`` among ``congresses``,
    or the only one on a first visit. Returns (congress or None, chooser form)."""
    raw = request.GET.get("congress")
    if raw:
        chooser = forms.CongressChoiceForm({"congress": raw}, congresses=congresses)
        if chooser.is_valid():
            return chooser.cleaned_data["congress"], chooser
        return None, chooser
    first_two = list(congresses[:2])
    if raw is None and len(first_two) == 1:
        return first_two[0], None
    initial = {"congress": first_two[0].pk} if first_two else {}
    return None, forms.CongressChoiceForm(initial=initial, congresses=congresses)


def _tidy_filter_form(form) -> None:
    """Chinese empty choices ("全部") instead of django-filter's dashes."""
    for name, field in form.fields.items():
        if name == "order":
            continue
        if isinstance(field, django_forms.NullBooleanField):
            field.widget = django_forms.Select(
                choices=[("", _("全部")), ("true", _("是")), ("false", _("否"))]
            )
        elif isinstance(field, django_forms.ModelChoiceField):
            field.empty_label = _("全部")
        elif isinstance(field, django_forms.ChoiceField):
            field.widget.choices = [("", _("全部"))] + [
                c for c in field.choices if c[0] != ""
            ]


def _timeline_rows(events) -> list[dict]:
    """Audit rows with a readable action and reason (a legal ground's label)."""
    return [
        {
            "event": e,
            "label": AUDIT_ACTION_LABELS.get(e.action, e.action),
            "note": GROUND_LABELS.get(e.reason, e.reason),
        }
        for e in events
    ]


def _ledger_rows(entries) -> list[dict]:
    return [
        {"entry": e, "label": LEDGER_KIND_LABELS.get(e.kind, e.kind)} for e in entries
    ]


# --- deputy list and detail ---------------------------------------------------------------


@login_required
@require_GET
def mandate_list(request: HttpRequest) -> HttpResponse:
    """名册: filters, search, 姓氏笔画 order, 50 a page, masked mobiles."""
    user = request.user
    _require_governing(user)
    filterset = MandateFilter(
        request.GET,
        queryset=Mandate.objects.visible_to(user).with_list_related(),
        user=user,
    )
    filterset.form.label_suffix = ""
    _tidy_filter_form(filterset.form)
    page, page_range = _paginate(request, filterset.qs)
    rows = [
        {
            "mandate": m,
            "mobile": mask_mobile(m.person.mobile),
            "badge": STATUS_BADGES.get(m.status, "muted"),
        }
        for m in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    form = filterset.form
    more = [form[name] for name in form.fields if name not in PRIMARY_FILTERS]
    return render(
        request,
        "deputies/mandate_list.html",
        {
            "filter_form": form,
            "primary_filters": [form[name] for name in PRIMARY_FILTERS[1:]],
            "more_filters": more,
            "more_open": any(request.GET.get(f.name) for f in more),
            "page_obj": page,
            "page_range": page_range,
            "rows": rows,
            "export_query": query.urlencode(),
            "can_create": _managed_congresses(user).exists(),
        },
    )


def _get_mandate(request: HttpRequest, pk: int) -> Mandate:
    return get_visible_or_404(
        Mandate.objects.select_related(
            "person", "congress__region", "term", "constituency", "delegation__term"
        ),
        request.user,
        pk=pk,
    )


def _get_manageable_mandate(request: HttpRequest, pk: int) -> Mandate:
    mandate = _get_mandate(request, pk)
    _require_manage(request.user, mandate.congress)
    return mandate


def _detail_context(
    request: HttpRequest, mandate: Mandate, *, revealed: bool = False, **bound_forms
) -> dict[str, Any]:
    user = request.user
    person = mandate.person
    manageable = Mandate.objects.manageable_by(user).filter(pk=mandate.pk).exists()
    governs = scope_for(user).governs_path(mandate.congress.region.path)
    year = timezone.localdate().year
    ledger = list(mandate.ledger.for_year(year).order_by("-occurred_on", "-id"))
    history = (
        Mandate.objects.visible_to(user)
        .filter(person=person)
        .select_related("congress", "term")
        .order_by("-term__start_date", "congress__region__path")
    )
    timeline = []
    if governs:
        events = chain.from_iterable(
            AuditEvent.objects.for_object(obj)
            .select_related("actor")
            .order_by("-created_at", "-id")[:AUDIT_LIMIT]
            for obj in (mandate, person)
        )
        newest_first = sorted(events, key=lambda e: (e.created_at, e.pk), reverse=True)
        timeline = _timeline_rows(newest_first[:AUDIT_LIMIT])
    status = mandate.status
    allowed = Mandate.TRANSITIONS[status]
    context = {
        "mandate": mandate,
        "person": person,
        "badge": STATUS_BADGES.get(status, "muted"),
        "mobile": person.mobile if revealed else mask_mobile(person.mobile),
        "id_number": person.id_number if revealed else mask_id_number(person.id_number),
        "revealed": revealed,
        "manageable": manageable,
        "governs": governs,
        "history": [
            {"mandate": m, "badge": STATUS_BADGES.get(m.status, "muted")}
            for m in history
        ],
        "events": mandate.events.select_related("actor").order_by("date", "id"),
        "timeline": timeline,
        "groups": mandate.groups.order_by("name"),
        "ledger_year": year,
        "ledger": _ledger_rows(ledger),
        "ledger_total": sum(e.points for e in ledger),
        "can_suspend": manageable and Mandate.Status.SUSPENDED in allowed,
        "can_restore": manageable
        and status == Mandate.Status.SUSPENDED
        and Mandate.Status.ACTIVE in allowed,
        "can_terminate": manageable and Mandate.Status.TERMINATED in allowed,
        "suspend_form": bound_forms.get("suspend_form") or forms.SuspendForm(),
        "restore_form": bound_forms.get("restore_form") or forms.RestoreForm(),
        "terminate_form": bound_forms.get("terminate_form") or forms.TerminateForm(),
        "open_form": next(iter(bound_forms), ""),
    }
    return context


@login_required
@require_GET
def mandate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mandate = _get_mandate(request, pk)
    return render(
        request, "deputies/mandate_detail.html", _detail_context(request, mandate)
    )


@login_required
@require_POST
def mandate_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The "显示完整信息" button: log the reveal (PIPL), then show full values."""
    mandate = _get_mandate(request, pk)
    if not Mandate.objects.manageable_by(request.user).filter(pk=mandate.pk).exists():
        raise PermissionDenied
    services.reveal_personal_data(
        user=request.user, mandates=[mandate], ip_address=client_ip(request)
    )
    response = render(
        request,
        "deputies/mandate_detail.html",
        _detail_context(request, mandate, revealed=True),
    )
    add_never_cache_headers(response)
    return response


def _qualification_view(form_class, form_key: str, perform, success):
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        mandate = _get_manageable_mandate(request, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            return render(
                request,
                "deputies/mandate_detail.html",
                _detail_context(request, mandate, **{form_key: form}),
            )
        try:
            perform(mandate=mandate, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(success) % {"name": mandate.person.name})
        return redirect("deputies:detail", pk=mandate.pk)

    return view


mandate_suspend = _qualification_view(
    forms.SuspendForm,
    "suspend_form",
    services.mandate_suspend,
    gettext_lazy("已登记%(name)s暂停执行代表职务。"),
)
mandate_restore = _qualification_view(
    forms.RestoreForm,
    "restore_form",
    services.mandate_restore,
    gettext_lazy("已登记%(name)s恢复执行代表职务。"),
)
mandate_terminate = _qualification_view(
    forms.TerminateForm,
    "terminate_form",
    services.mandate_terminate,
    gettext_lazy("已登记%(name)s代表资格终止。"),
)


# --- create and edit ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mandate_create(request: HttpRequest) -> HttpResponse:
    """新增代表: the person and their mandate in one form."""
    congresses = _managed_congresses(request.user)
    if not congresses.exists():
        raise PermissionDenied
    congress, chooser = _choose_congress(request, congresses)
    if congress is None:
        return render(
            request,
            "deputies/congress_choice.html",
            {
                "chooser": chooser,
                "title": _("新增代表"),
                "action": reverse("deputies:create"),
            },
        )
    bound = request.method == "POST"
    person_form = forms.PersonForm(
        request.POST if bound else None, request.FILES if bound else None
    )
    mandate_form = forms.MandateForm(request.POST if bound else None, congress=congress)
    if bound and person_form.is_valid() and mandate_form.is_valid():
        try:
            mandate = services.deputy_register(
                person_fields=person_form.service_fields(),
                mandate_fields=mandate_form.service_fields(),
                actor=request.user,
            )
        except ValidationError as exc:
            forms.apply_service_errors(exc, person_form, mandate_form)
        else:
            messages.success(
                request, _("已新增代表%(name)s。") % {"name": mandate.person.name}
            )
            return redirect("deputies:detail", pk=mandate.pk)
    return render(
        request,
        "deputies/mandate_form.html",
        {
            "congress": congress,
            "person_form": person_form,
            "mandate_form": mandate_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mandate_add(request: HttpRequest, pk: int) -> HttpResponse:
    """新增代表资格 for a person already registered (e.g. elected at another level)."""
    source = _get_mandate(request, pk)
    congresses = _managed_congresses(request.user)
    if not congresses.exists():
        raise PermissionDenied
    congress, chooser = _choose_congress(request, congresses)
    if congress is None:
        return render(
            request,
            "deputies/congress_choice.html",
            {
                "chooser": chooser,
                "title": _("为%(name)s新增代表资格") % {"name": source.person.name},
                "action": reverse("deputies:mandate_add", args=[source.pk]),
            },
        )
    bound = request.method == "POST"
    form = forms.MandateForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            mandate = services.mandate_create(
                person=source.person, actor=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            forms.apply_service_errors(exc, form)
        else:
            messages.success(
                request,
                _("已为%(name)s新增%(congress)s代表资格。")
                % {"name": source.person.name, "congress": congress.name},
            )
            return redirect("deputies:detail", pk=mandate.pk)
    return render(
        request,
        "deputies/mandate_add.html",
        {"source": source, "congress": congress, "mandate_form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改个人信息 of the person holding mandate ``pk``."""
    mandate = _get_manageable_mandate(request, pk)
    person = mandate.person
    bound = request.method == "POST"
    form = forms.PersonEditForm(
        request.POST if bound else None, request.FILES if bound else None, person=person
    )
    if bound and form.is_valid():
        try:
            services.person_update(
                person=person, actor=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            forms.apply_service_errors(exc, form)
        else:
            messages.success(
                request, _("已保存%(name)s的个人信息。") % {"name": person.name}
            )
            return redirect("deputies:detail", pk=mandate.pk)
    return render(
        request, "deputies/person_form.html", {"mandate": mandate, "form": form}
    )


# --- groups -----------------------------------------------------------------------------


@login_required
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_governing(user)
    congresses = _governed_congresses(user)
    chooser = forms.CongressChoiceForm(request.GET or None, congresses=congresses)
    chooser.fields["congress"].required = False
    chooser.fields["congress"].empty_label = _("全部")
    groups = (
        DeputyGroup.objects.visible_to(user)
        .select_related("congress", "leader__person")
        .annotate(member_count=Count("memberships"))
        .order_by("congress__region__path", "name")
    )
    if chooser.is_bound and chooser.is_valid() and chooser.cleaned_data["congress"]:
        groups = groups.filter(congress=chooser.cleaned_data["congress"])
    page, page_range = _paginate(request, groups)
    return render(
        request,
        "deputies/group_list.html",
        {
            "chooser": chooser,
            "page_obj": page,
            "page_range": page_range,
            "can_create": _managed_congresses(user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    congresses = _managed_congresses(request.user)
    if not congresses.exists():
        raise PermissionDenied
    congress, chooser = _choose_congress(request, congresses)
    if congress is None:
        return render(
            request,
            "deputies/congress_choice.html",
            {
                "chooser": chooser,
                "title": _("新建代表小组"),
                "action": reverse("deputies:group_create"),
            },
        )
    bound = request.method == "POST"
    form = forms.GroupForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            group = services.group_create(
                congress=congress, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            forms.apply_service_errors(exc, form)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("已新建代表小组“%(name)s”。") % {"name": group.name}
            )
            return redirect("deputies:group_detail", pk=group.pk)
    return render(
        request, "deputies/group_form.html", {"congress": congress, "form": form}
    )


def _get_group(request: HttpRequest, pk: int) -> DeputyGroup:
    return get_visible_or_404(
        DeputyGroup.objects.select_related("congress__region", "leader__person"),
        request.user,
        pk=pk,
    )


def _group_context(request: HttpRequest, group: DeputyGroup, members_form=None) -> dict:
    can_manage = can_manage_region(request.user, group.congress.region)
    memberships = group.memberships.select_related(
        "mandate__person", "mandate__constituency"
    ).order_by("mandate__name_stroke_key", "mandate_id")
    return {
        "group": group,
        "memberships": [
            {"membership": ms, "badge": STATUS_BADGES.get(ms.mandate.status, "muted")}
            for ms in memberships
        ],
        "activities": group.activities.order_by("-date", "-id")[:10],
        "can_manage": can_manage,
        "members_form": members_form
        or (forms.GroupMembersForm(group=group) if can_manage else None),
    }


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _get_group(request, pk)
    return render(request, "deputies/group_detail.html", _group_context(request, group))


@login_required
@require_POST
def group_add_members(request: HttpRequest, pk: int) -> HttpResponse:
    group = _get_group(request, pk)
    _require_manage(request.user, group.congress)
    form = forms.GroupMembersForm(request.POST, group=group)
    if not form.is_valid():
        return render(
            request, "deputies/group_detail.html", _group_context(request, group, form)
        )
    try:
        count = services.group_add_members(
            group=group,
            mandates=list(form.cleaned_data["mandates"]),
            joined_on=timezone.localdate(),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "已将 %(count)d 名代表加入小组。",
                "已将 %(count)d 名代表加入小组。",
                count,
            )
            % {"count": count},
        )
    return redirect("deputies:group_detail", pk=group.pk)


@login_required
@require_POST
def group_remove_member(request: HttpRequest, pk: int, mandate_pk: int) -> HttpResponse:
    group = _get_group(request, pk)
    _require_manage(request.user, group.congress)
    membership = get_object_or_404(
        GroupMembership.objects.select_related("mandate__person"),
        group=group,
        mandate_id=mandate_pk,
    )
    services.group_remove_member(group=group, mandate=membership.mandate)
    messages.success(
        request, _("已将%(name)s移出小组。") % {"name": membership.mandate.person.name}
    )
    return redirect("deputies:group_detail", pk=group.pk)


# --- delegations --------------------------------------------------------------------------


@login_required
@require_GET
def delegation_list(request: HttpRequest) -> HttpResponse:
    """代表团 of each congress and term (county level and above)."""
    user = request.user
    _require_governing(user)
    congresses = _governed_congresses(user).exclude(level=Congress.Level.TOWNSHIP)
    chooser = forms.CongressChoiceForm(request.GET or None, congresses=congresses)
    chooser.fields["congress"].required = False
    chooser.fields["congress"].empty_label = _("全部")
    delegations = (
        Delegation.objects.filter(governed_q(user, "congress__region__path"))
        .select_related("congress", "term", "head__person")
        .annotate(member_count=Count("members"))
        .order_by("congress__region__path", "-term__number", "name")
    )
    if chooser.is_bound and chooser.is_valid() and chooser.cleaned_data["congress"]:
        delegations = delegations.filter(congress=chooser.cleaned_data["congress"])
    page, page_range = _paginate(request, delegations)
    return render(
        request,
        "deputies/delegation_list.html",
        {
            "chooser": chooser,
            "page_obj": page,
            "page_range": page_range,
            "can_create": _managed_congresses(user)
            .exclude(level=Congress.Level.TOWNSHIP)
            .exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest) -> HttpResponse:
    congresses = _managed_congresses(request.user).exclude(
        level=Congress.Level.TOWNSHIP
    )
    if not congresses.exists():
        raise PermissionDenied
    congress, chooser = _choose_congress(request, congresses)
    if congress is None:
        return render(
            request,
            "deputies/congress_choice.html",
            {
                "chooser": chooser,
                "title": _("新建代表团"),
                "action": reverse("deputies:delegation_create"),
            },
        )
    bound = request.method == "POST"
    form = forms.DelegationForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            delegation = services.delegation_create(
                congress=congress, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("已新建代表团“%(name)s”。") % {"name": delegation.name}
            )
            return redirect(
                reverse("deputies:delegation_list") + f"?congress={congress.pk}"
            )
    return render(
        request, "deputies/delegation_form.html", {"congress": congress, "form": form}
    )


# --- activities ---------------------------------------------------------------------------


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_governing(user)
    filter_form = forms.ActivityFilterForm(
        request.GET, congresses=_governed_congresses(user)
    )
    activities = filter_form.filter(
        Activity.objects.visible_to(user)
        .select_related("congress", "group")
        .annotate(participant_count=Count("attendances"))
        .order_by("-date", "-id")
    )
    page, page_range = _paginate(request, activities)
    rows = [
        {"activity": a, "badge": REVIEW_BADGES.get(a.review_status, "muted")}
        for a in page.object_list
    ]
    return render(
        request,
        "deputies/activity_list.html",
        {
            "filter_form": filter_form,
            "rows": rows,
            "page_obj": page,
            "page_range": page_range,
            "can_create": _managed_congresses(user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    congresses = _managed_congresses(request.user)
    if not congresses.exists():
        raise PermissionDenied
    congress, chooser = _choose_congress(request, congresses)
    if congress is None:
        return render(
            request,
            "deputies/congress_choice.html",
            {
                "chooser": chooser,
                "title": _("登记履职活动"),
                "action": reverse("deputies:activity_create"),
            },
        )
    bound = request.method == "POST"
    form = forms.ActivityForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, **form.service_fields()
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("已登记履职活动“%(title)s”。") % {"title": activity.title}
            )
            return redirect("deputies:activity_detail", pk=activity.pk)
    return render(
        request, "deputies/activity_form.html", {"congress": congress, "form": form}
    )


def _get_activity(request: HttpRequest, pk: int) -> Activity:
    return get_visible_or_404(
        Activity.objects.select_related("congress__region", "group", "created_by"),
        request.user,
        pk=pk,
    )


def _activity_context(request: HttpRequest, activity: Activity, **bound_forms) -> dict:
    user = request.user
    can_manage = can_manage_region(user, activity.congress.region)
    attendances = list(
        activity.attendances.select_related("mandate__person").order_by(
            "mandate__name_stroke_key", "mandate_id"
        )
    )
    timeline = []
    if scope_for(user).governs_path(activity.congress.region.path):
        timeline = _timeline_rows(
            AuditEvent.objects.for_object(activity)
            .select_related("actor")
            .order_by("-created_at", "-id")[:AUDIT_LIMIT]
        )
    editable = can_manage and activity.review_status != Activity.Review.APPROVED
    return {
        "activity": activity,
        "badge": REVIEW_BADGES.get(activity.review_status, "muted"),
        "attendances": attendances,
        "evidence": activity.evidence.select_related("uploaded_by").order_by(
            "uploaded_at"
        ),
        "timeline": timeline,
        "can_manage": can_manage,
        "editable": editable,
        "attendance_form": bound_forms.get("attendance_form")
        or (forms.AttendanceForm(attendances=attendances) if editable else None),
        "review_form": forms.ReviewForm() if editable else None,
        "evidence_form": bound_forms.get("evidence_form")
        or (forms.EvidenceForm() if can_manage else None),
    }


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk)
    return render(
        request, "deputies/activity_detail.html", _activity_context(request, activity)
    )


@login_required
@require_POST
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the attendance of every participant (one ``attendance_set`` per change)."""
    activity = _get_activity(request, pk)
    _require_manage(request.user, activity.congress)
    attendances = list(activity.attendances.select_related("mandate__person"))
    form = forms.AttendanceForm(request.POST, attendances=attendances)
    if not form.is_valid():
        return render(
            request,
            "deputies/activity_detail.html",
            _activity_context(request, activity, attendance_form=form),
        )
    try:
        with transaction.atomic():
            for attendance, status in form.changes():
                services.attendance_set(
                    activity=activity,
                    mandate=attendance.mandate,
                    status=status,
                    actor=request.user,
                )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存出席情况。"))
    return redirect("deputies:activity_detail", pk=activity.pk)


@login_required
@require_POST
def activity_review(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk)
    _require_manage(request.user, activity.congress)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新页面后重试。"))
        return redirect("deputies:activity_detail", pk=activity.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.activity_review(
            activity=activity,
            approve=approve,
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("活动已审核通过，积分已记入参加代表的履职档案。")
            if approve
            else _("活动已退回。"),
        )
    return redirect("deputies:activity_detail", pk=activity.pk)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk)
    _require_manage(request.user, activity.congress)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "deputies/activity_detail.html",
            _activity_context(request, activity, evidence_form=form),
        )
    services.activity_evidence_add(
        activity=activity,
        file=form.cleaned_data["file"],
        description=form.cleaned_data["description"],
        actor=request.user,
    )
    messages.success(request, _("已上传佐证材料。"))
    return redirect("deputies:activity_detail", pk=activity.pk)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    """Evidence files are served through scoping, never from a public URL."""
    activity = _get_activity(request, pk)
    evidence = get_object_or_404(activity.evidence, pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=os.path.basename(evidence.file.name)
    )


# --- the deputy's own pages -----------------------------------------------------------------


@login_required
@require_GET
def my_performance(request: HttpRequest) -> HttpResponse:
    """我的履职: per mandate, the year's ledger, points and rankings; activities to confirm."""
    user = request.user
    today = timezone.localdate()
    mandates = list(
        Mandate.objects.of_user(user)
        .select_related(
            "congress__region", "term", "constituency", "delegation", "person"
        )
        .order_by("-term__is_current", "-term__start_date", "congress__region__path")
    )
    years = list(
        range(
            today.year,
            min([m.term.start_date.year for m in mandates] or [today.year]) - 1,
            -1,
        )
    )
    year_form = forms.YearForm(
        request.GET if "year" in request.GET else None, years=years
    )
    year = (
        year_form.cleaned_data["year"]
        if year_form.is_bound and year_form.is_valid()
        else today.year
    )
    if not year_form.is_bound:
        year_form = forms.YearForm(initial={"year": year}, years=years)
    archives = []
    for m in mandates:
        if not m.term.start_date.year <= year <= m.term.end_date.year:
            continue
        archive = performance_archive(m, year)
        archives.append(
            {
                "mandate": m,
                "archive": archive,
                "ledger": _ledger_rows(archive.entries),
                "by_kind": [
                    {**row, "label": LEDGER_KIND_LABELS.get(row["kind"], row["kind"])}
                    for row in archive.by_kind
                ],
            }
        )
    to_confirm = (
        Attendance.objects.filter(mandate__person__user=user, confirmed_at__isnull=True)
        .select_related("activity", "mandate__congress")
        .order_by("activity__date", "activity_id")
    )
    return render(
        request,
        "deputies/my_performance.html",
        {
            "mandates": [
                {"mandate": m, "badge": STATUS_BADGES.get(m.status, "muted")}
                for m in mandates
            ],
            "archives": archives,
            "year": year,
            "year_form": year_form,
            "to_confirm": to_confirm,
        },
    )


@login_required
@require_POST
def attendance_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.select_related("activity", "mandate__person"),
        pk=pk,
        mandate__person__user=request.user,
    )
    try:
        services.attendance_confirm(attendance=attendance, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已确认参加“%(title)s”。") % {"title": attendance.activity.title}
        )
    return redirect("deputies:my_performance")


# --- public directory -------------------------------------------------------------------------


def _public_card(mandate: Mandate) -> dict[str, Any]:
    """Only the public fields (DESIGN.md §3): never mobile, ID, birth date."""
    person = mandate.person
    return {
        "name": person.name,
        "photo_url": person.photo.url if person.photo else "",
        "initial": person.name[:1],
        "constituency": mandate.constituency.name if mandate.constituency_id else "",
        "groups": [g.name for g in mandate.groups.all()],
        "biography": person.biography,
    }


@require_GET
def public_directory(request: HttpRequest) -> HttpResponse:
    """代表名录: the current, active deputies of one congress, public fields only."""
    form = forms.PublicCongressForm(request.GET or None)
    congress = (
        form.cleaned_data["congress"] if form.is_bound and form.is_valid() else None
    )
    context: dict[str, Any] = {"form": form, "congress": congress}
    if congress is not None:
        mandates = (
            Mandate.objects.public()
            .filter(congress=congress)
            .select_related("person", "constituency")
            .only(
                "id",
                "name_stroke_key",
                "congress",
                "constituency",
                "person__name",
                "person__photo",
                "person__biography",
                "constituency__name",
            )
            .prefetch_related(
                Prefetch(
                    "groups",
                    queryset=DeputyGroup.objects.only("id", "name").order_by("name"),
                )
            )
            .order_by_name("stroke")
        )
        page, page_range = _paginate(request, mandates)
        context.update(
            page_obj=page,
            page_range=page_range,
            cards=[_public_card(m) for m in page.object_list],
            level=congress.get_level_display(),
        )
    return render(request, "deputies/public_directory.html", context)


# --- URLs -----------------------------------------------------------------------------------

urlpatterns = [
    path("", mandate_list, name="list"),
    path("new/", mandate_create, name="create"),
    path("<int:pk>/", mandate_detail, name="detail"),
    path("<int:pk>/reveal/", mandate_reveal, name="reveal"),
    path("<int:pk>/edit/", person_edit, name="person_edit"),
    path("<int:pk>/mandates/new/", mandate_add, name="mandate_add"),
    path("<int:pk>/suspend/", mandate_suspend, name="suspend"),
    path("<int:pk>/restore/", mandate_restore, name="restore"),
    path("<int:pk>/terminate/", mandate_terminate, name="terminate"),
    path("groups/", group_list, name="group_list"),
    path("groups/new/", group_create, name="group_create"),
    path("groups/<int:pk>/", group_detail, name="group_detail"),
    path("groups/<int:pk>/members/", group_add_members, name="group_add_members"),
    path(
        "groups/<int:pk>/members/<int:mandate_pk>/remove/",
        group_remove_member,
        name="group_remove_member",
    ),
    path("delegations/", delegation_list, name="delegation_list"),
    path("delegations/new/", delegation_create, name="delegation_create"),
    path("activities/", activity_list, name="activity_list"),
    path("activities/new/", activity_create, name="activity_create"),
    path("activities/<int:pk>/", activity_detail, name="activity_detail"),
    path(
        "activities/<int:pk>/attendance/",
        activity_attendance,
        name="activity_attendance",
    ),
    path("activities/<int:pk>/review/", activity_review, name="activity_review"),
    path("activities/<int:pk>/evidence/", evidence_upload, name="evidence_upload"),
    path(
        "activities/<int:pk>/evidence/<int:evidence_pk>/",
        evidence_download,
        name="evidence_download",
    ),
    path("me/", my_performance, name="my_performance"),
    path(
        "me/attendance/<int:pk>/confirm/", attendance_confirm, name="attendance_confirm"
    ),
    path("public/", public_directory, name="public_directory"),
]
