"""The staff workspace: the deputy list, mandates and persons, qualification
changes, groups, delegations and activities (congress staff, leaders, admins).

Reads come from ``deputies.selectors``; what the user may do from
``deputies.policies`` (the templates get its ``can_*`` flags).
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.models import Congress
from portal.personal_data import mark_personal_data
from portal.ratelimit import client_ip
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import Activity, DeputyGroup, GroupMembership, Mandate
from ..policies import (
    ActivityPolicy,
    GroupPolicy,
    MandatePolicy,
    RosterPolicy,
    WorkspacePolicy,
    managed_congresses,
)
from ..querysets import governed_congresses

# Filters always shown on the deputy list; the others fold under "更多筛选条件".
PRIMARY_FILTERS = ["q", "congress", "status", "order"]


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


def _congress_choice_page(
    request: HttpRequest, chooser, title: str, action: str
) -> HttpResponse:
    return render(
        request,
        "deputies/congress_choice.html",
        {"chooser": chooser, "title": title, "action": action},
    )


def _list_chooser(request: HttpRequest, congresses: QuerySet[Congress]):
    """The optional congress filter of the group and delegation lists."""
    chooser = forms.CongressChoiceForm(request.GET or None, congresses=congresses)
    chooser.fields["congress"].required = False
    chooser.fields["congress"].empty_label = _("全部")
    congress = None
    if chooser.is_bound and chooser.is_valid():
        congress = chooser.cleaned_data["congress"]
    return chooser, congress


# --- deputy list and detail ---------------------------------------------------------------


@login_required
@require_GET
def mandate_list(request: HttpRequest) -> HttpResponse:
    """名册: filters, search, 姓氏笔画 order, 50 a page, masked mobiles."""
    user = request.user
    WorkspacePolicy.require(user, "browse")
    filterset = selectors.mandate_search(user, request.GET)
    form = forms.tidy_filter_form(filterset.form)
    filterset.show_nearby_choices(form)
    page, page_range = web.paginate(request, filterset.qs)
    query = request.GET.copy()
    query.pop("page", None)
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
            "rows": selectors.mandate_rows(page.object_list),
            "export_query": query.urlencode(),
            "can_create": WorkspacePolicy.allows(user, "create"),
            "can_export_full": WorkspacePolicy.allows(user, "export_full"),
            # issue 18: the roster import had no link anywhere
            "can_import_roster": RosterPolicy.allows(user, "import"),
        },
    )


def _get_manageable_mandate(request: HttpRequest, pk: int) -> Mandate:
    mandate = selectors.mandate_get(request.user, pk)
    MandatePolicy.require(request.user, "manage", mandate)
    return mandate


def _detail_page(
    request: HttpRequest, mandate: Mandate, *, revealed: bool = False, **bound_forms
) -> HttpResponse:
    context: dict[str, Any] = {
        **selectors.mandate_detail(request.user, mandate, revealed=revealed),
        "suspend_form": bound_forms.get("suspend_form") or forms.SuspendForm(),
        "restore_form": bound_forms.get("restore_form") or forms.RestoreForm(),
        "terminate_form": bound_forms.get("terminate_form") or forms.TerminateForm(),
        "open_form": next(iter(bound_forms), ""),
    }
    return render(request, "deputies/mandate_detail.html", context)


@login_required
@require_GET
def mandate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.mandate_get(request.user, pk))


@login_required
@require_GET
def mandate_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The deputy's photo on the detail page, through the same scope (out of
    scope → 404), never from a public URL (issue 15)."""
    mandate = selectors.mandate_get(request.user, pk)
    photo = mandate.person.photo
    if not photo:
        raise Http404
    try:
        handle = photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = "image/png" if photo.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def mandate_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The "显示完整信息" button: log the reveal (PIPL), then show full values."""
    mandate = selectors.mandate_get(request.user, pk)
    MandatePolicy.require(request.user, "reveal", mandate)
    services.reveal_personal_data(
        actor=request.user, mandates=[mandate], ip_address=client_ip(request)
    )
    mark_personal_data(request)
    return _detail_page(request, mandate, revealed=True)


def _qualification_view(form_class, form_key: str, perform, success):
    # Only the scope is checked here: a transition the state does not allow is
    # refused by the service with its specific reason, a repeated one is a no-op.
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        mandate = _get_manageable_mandate(request, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            return _detail_page(request, mandate, **{form_key: form})
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
    WorkspacePolicy.require(request.user, "create")
    congress, chooser = _choose_congress(request, managed_congresses(request.user))
    if congress is None:
        return _congress_choice_page(
            request, chooser, _("新增代表"), reverse("deputies:create")
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
            web.apply_service_error(person_form, exc, mandate_form)
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
    source = selectors.mandate_get(request.user, pk)
    WorkspacePolicy.require(request.user, "create")
    congress, chooser = _choose_congress(request, managed_congresses(request.user))
    if congress is None:
        return _congress_choice_page(
            request,
            chooser,
            _("为%(name)s新增代表资格") % {"name": source.person.name},
            reverse("deputies:mandate_add", args=[source.pk]),
        )
    bound = request.method == "POST"
    form = forms.MandateForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            mandate = services.mandate_create(
                person=source.person, actor=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            web.apply_service_error(form, exc)
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
            web.apply_service_error(form, exc)
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
    WorkspacePolicy.require(user, "browse")
    chooser, congress = _list_chooser(request, governed_congresses(user))
    page, page_range = web.paginate(request, selectors.group_list(user, congress))
    return render(
        request,
        "deputies/group_list.html",
        {
            "chooser": chooser,
            "page_obj": page,
            "page_range": page_range,
            "can_create": WorkspacePolicy.allows(user, "create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    WorkspacePolicy.require(request.user, "create")
    congress, chooser = _choose_congress(request, managed_congresses(request.user))
    if congress is None:
        return _congress_choice_page(
            request, chooser, _("新建代表小组"), reverse("deputies:group_create")
        )
    bound = request.method == "POST"
    form = forms.GroupForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            group = services.group_create(
                congress=congress, actor=request.user, **form.cleaned_data
            )
        except (ValidationError, DomainError) as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request, _("已新建代表小组“%(name)s”。") % {"name": group.name}
            )
            return redirect("deputies:group_detail", pk=group.pk)
    return render(
        request, "deputies/group_form.html", {"congress": congress, "form": form}
    )


def _group_page(
    request: HttpRequest, group: DeputyGroup, members_form=None
) -> HttpResponse:
    context = selectors.group_detail(request.user, group)
    if members_form is None and context["can_manage"]:
        members_form = forms.GroupMembersForm(group=group)
    context["members_form"] = members_form
    return render(request, "deputies/group_detail.html", context)


@login_required
@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_page(request, selectors.group_get(request.user, pk))


@login_required
@require_POST
def group_add_members(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(request.user, pk)
    GroupPolicy.require(request.user, "manage", group)
    form = forms.GroupMembersForm(request.POST, group=group)
    if not form.is_valid():
        return _group_page(request, group, form)
    try:
        count = services.group_add_members(
            group=group,
            mandates=list(form.cleaned_data["mandates"]),
            joined_on=timezone.localdate(),
            actor=request.user,
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
    group = selectors.group_get(request.user, pk)
    GroupPolicy.require(request.user, "manage", group)
    membership = get_object_or_404(
        GroupMembership.objects.select_related("mandate__person"),
        group=group,
        mandate_id=mandate_pk,
    )
    services.group_remove_member(
        group=group, mandate=membership.mandate, actor=request.user
    )
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
    WorkspacePolicy.require(user, "browse")
    congresses = governed_congresses(user).exclude(level=Congress.Level.TOWNSHIP)
    chooser, congress = _list_chooser(request, congresses)
    page, page_range = web.paginate(request, selectors.delegation_list(user, congress))
    return render(
        request,
        "deputies/delegation_list.html",
        {
            "chooser": chooser,
            "page_obj": page,
            "page_range": page_range,
            "can_create": WorkspacePolicy.allows(user, "create_delegation"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request: HttpRequest) -> HttpResponse:
    WorkspacePolicy.require(request.user, "create_delegation")
    congresses = managed_congresses(request.user).exclude(level=Congress.Level.TOWNSHIP)
    congress, chooser = _choose_congress(request, congresses)
    if congress is None:
        return _congress_choice_page(
            request, chooser, _("新建代表团"), reverse("deputies:delegation_create")
        )
    bound = request.method == "POST"
    form = forms.DelegationForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            delegation = services.delegation_create(
                congress=congress, **form.cleaned_data, actor=request.user
            )
        except (DomainError, ValidationError) as exc:
            web.apply_service_error(form, exc)
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
    WorkspacePolicy.require(user, "browse")
    filter_form = forms.ActivityFilterForm(
        request.GET, congresses=governed_congresses(user)
    )
    page, page_range = web.paginate(
        request, filter_form.filter(selectors.activity_list(user))
    )
    return render(
        request,
        "deputies/activity_list.html",
        {
            "filter_form": filter_form,
            "rows": selectors.activity_rows(page.object_list),
            "page_obj": page,
            "page_range": page_range,
            "can_create": WorkspacePolicy.allows(user, "create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    WorkspacePolicy.require(request.user, "create")
    congress, chooser = _choose_congress(request, managed_congresses(request.user))
    if congress is None:
        return _congress_choice_page(
            request, chooser, _("登记履职活动"), reverse("deputies:activity_create")
        )
    bound = request.method == "POST"
    form = forms.ActivityForm(request.POST if bound else None, congress=congress)
    if bound and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user, **form.service_fields()
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request, _("已登记履职活动“%(title)s”。") % {"title": activity.title}
            )
            return redirect("deputies:activity_detail", pk=activity.pk)
    return render(
        request, "deputies/activity_form.html", {"congress": congress, "form": form}
    )


def _activity_page(
    request: HttpRequest, activity: Activity, **bound_forms
) -> HttpResponse:
    context = selectors.activity_detail(request.user, activity)
    attendance_form = bound_forms.get("attendance_form")
    if attendance_form is None and context["can_record_attendance"]:
        attendance_form = forms.AttendanceForm(attendances=context["attendances"])
    evidence_form = bound_forms.get("evidence_form")
    if evidence_form is None and context["can_add_evidence"]:
        evidence_form = forms.EvidenceForm()
    context.update(
        # The breadcrumb leads where the reader may go: the staff's list of
        # activities, or a deputy's own 我的履职 (the list is 403 for them).
        can_browse_activities=WorkspacePolicy.allows(request.user, "browse"),
        attendance_form=attendance_form,
        review_form=forms.ReviewForm() if context["can_review"] else None,
        evidence_form=evidence_form,
    )
    return render(request, "deputies/activity_detail.html", context)


@login_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, selectors.activity_get(request.user, pk))


@login_required
@require_POST
def activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the attendance of every participant (one ``attendance_set`` per change)."""
    activity = selectors.activity_get(request.user, pk)
    # The scope only: once the review is final the service says why not.
    ActivityPolicy.require(request.user, "manage", activity)
    attendances = list(activity.attendances.select_related("mandate__person"))
    form = forms.AttendanceForm(request.POST, attendances=attendances)
    if not form.is_valid():
        return _activity_page(request, activity, attendance_form=form)
    try:
        services.attendance_set_many(
            activity=activity,
            changes=[(a.mandate, status) for a, status in form.changes()],
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
    activity = selectors.activity_get(request.user, pk)
    # The scope only: a decision the review map refuses gets the service's reason.
    ActivityPolicy.require(request.user, "manage", activity)
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
    activity = selectors.activity_get(request.user, pk)
    ActivityPolicy.require(request.user, "add_evidence", activity)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _activity_page(request, activity, evidence_form=form)
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
    activity = selectors.activity_get(request.user, pk)
    evidence = get_object_or_404(activity.evidence, pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=os.path.basename(evidence.file.name)
    )
