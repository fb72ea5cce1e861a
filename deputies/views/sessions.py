"""The session pages (issue 16): for congress staff the sessions, the
attendance sheet, leave approvals, deliberation meetings and speeches, the
speaking report and the absence ground; for the deputy their sessions, leave
requests and speeches. (Training is in ``views.training``.)

Thin: a selector looks the object up (out of scope → 404), the policy says
whether the user may act (403), a form parses, one service writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web
from portal.services import DomainError

from .. import session_forms as forms
from .. import session_selectors as selectors
from .. import session_services as services
from ..policies import (
    AbsenceFlagPolicy,
    LeavePolicy,
    SessionPolicy,
    WorkspacePolicy,
)

# --- staff: sessions and the attendance sheet -------------------------------------------


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    """Sessions of the congresses in the user's region, with attendance counts."""
    WorkspacePolicy.require(request.user, "browse")
    page, page_range = web.paginate(request, selectors.session_list(request.user))
    return render(
        request,
        "deputies/sessions/session_list.html",
        {"page_obj": page, "page_range": page_range},
    )


def _session_page(request: HttpRequest, session, form=None) -> HttpResponse:
    context = selectors.attendance_sheet(request.user, session)
    if form is None and context["can_manage"]:
        form = forms.AttendanceSheetForm(rows=context["rows"])
    context["sheet_form"] = form
    return render(request, "deputies/sessions/session_detail.html", context)


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance sheet, pre-session work and the session's meetings."""
    return _session_page(request, selectors.session_get(request.user, pk))


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", session)
    rows = selectors.attendance_sheet(request.user, session)["rows"]
    form = forms.AttendanceSheetForm(request.POST, rows=rows)
    if not form.is_valid():
        return _session_page(request, session, form)
    try:
        count = services.session_attendance_record(
            session=session, changes=form.changes(), actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已保存%(count)s名代表的出席情况。") % {"count": count}
        )
    return redirect("deputies:session_detail", pk=session.pk)


@login_required
@require_GET
def session_report(request: HttpRequest, pk: int) -> HttpResponse:
    """审议发言 figures: speaking rate per delegation/group, silent deputies,
    adoption rate."""
    session = selectors.session_get(request.user, pk)
    return render(
        request,
        "deputies/sessions/session_report.html",
        {"session": session, **selectors.speaking_report(session)},
    )


# --- staff: leave ------------------------------------------------------------------------


@login_required
@require_GET
def leave_list(request: HttpRequest) -> HttpResponse:
    """Leave requests in the user's region, pending first, with the decision forms."""
    WorkspacePolicy.require(request.user, "browse")
    page, page_range = web.paginate(request, selectors.leave_list(request.user))
    return render(
        request,
        "deputies/sessions/leave_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "rows": selectors.leave_rows(request.user, page.object_list),
            "decision_form": forms.DecisionForm(),
        },
    )


@login_required
@require_POST
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.leave_get(request.user, pk)
    # The scope only: a decided request gets the service's reason.
    SessionPolicy.require(request.user, "manage", leave.session)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新页面后重试。"))
        return redirect("deputies:leave_list")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.leave_request_decide(
            leave=leave,
            approve=approve,
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已批准%(name)s的请假。") % {"name": leave.mandate.person.name}
            if approve
            else _("已不予批准%(name)s的请假。") % {"name": leave.mandate.person.name},
        )
    return redirect("deputies:leave_list")


@login_required
@require_http_methods(["GET", "POST"])
def leave_on_behalf(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff file a deputy's written leave request."""
    session = selectors.session_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", session)
    bound = request.method == "POST"
    form = forms.LeaveOnBehalfForm(request.POST if bound else None, session=session)
    if bound and form.is_valid():
        try:
            services.leave_request_submit(
                session=session,
                mandate=form.cleaned_data["mandate"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except (DomainError, ValidationError) as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已登记请假，待批准。"))
            return redirect("deputies:leave_list")
    return render(
        request,
        "deputies/sessions/leave_form.html",
        {"session": session, "form": form, "on_behalf": True},
    )


# --- staff: the absence ground --------------------------------------------------------------


@login_required
@require_GET
def absence_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.absence_flag_get(request.user, pk)
    context = selectors.absence_flag_detail(request.user, flag)
    context["form"] = forms.DismissFlagForm() if context["can_decide"] else None
    return render(request, "deputies/sessions/absence_flag.html", context)


@login_required
@require_POST
def absence_flag_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.absence_flag_get(request.user, pk)
    # The scope only: a flag already decided gets the service's reason.
    AbsenceFlagPolicy.require(request.user, "manage", flag)
    form = forms.DismissFlagForm(request.POST)
    if not form.is_valid():
        context = selectors.absence_flag_detail(request.user, flag)
        context["form"] = form
        return render(request, "deputies/sessions/absence_flag.html", context)
    try:
        services.absence_flag_dismiss(
            flag=flag, note=form.cleaned_data["note"], actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录处理意见。"))
    return redirect("deputies:absence_flag", pk=flag.pk)


# --- staff: meetings and speeches ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", session)
    bound = request.method == "POST"
    form = forms.MeetingForm(request.POST if bound else None, session=session)
    if bound and form.is_valid():
        try:
            meeting = services.meeting_create(
                session=session, **form.cleaned_data, actor=request.user
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已登记审议会议。"))
            return redirect("deputies:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "deputies/sessions/meeting_form.html",
        {"session": session, "form": form},
    )


def _meeting_page(request: HttpRequest, meeting, form=None) -> HttpResponse:
    context = selectors.meeting_detail(request.user, meeting)
    if form is None and context["can_manage"]:
        form = forms.SpeechForm(meeting=meeting)
    context["speech_form"] = form
    context["outcome_form"] = forms.OutcomeForm() if context["can_manage"] else None
    return render(request, "deputies/sessions/meeting_detail.html", context)


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(request.user, pk))


@login_required
@require_POST
def speech_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", meeting.session)
    form = forms.SpeechForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.speech_record(
                meeting=meeting, **form.cleaned_data, actor=request.user
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("已登记审议发言。"))
            return redirect("deputies:meeting_detail", pk=meeting.pk)
    return _meeting_page(request, meeting, form)


@login_required
@require_POST
def speech_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    speech = selectors.speech_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", speech.meeting.session)
    form = forms.OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择采纳情况。"))
    else:
        try:
            services.speech_set_outcome(
                speech=speech,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存采纳情况。"))
    return redirect("deputies:meeting_detail", pk=speech.meeting_id)


# --- the deputy ---------------------------------------------------------------------------------


@login_required
@require_GET
def my_sessions(request: HttpRequest) -> HttpResponse:
    """My attendance, leave requests and speeches."""
    return render(
        request,
        "deputies/sessions/my_sessions.html",
        selectors.my_sessions(request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_leave_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Request leave from a session of my term."""
    session = selectors.deputy_session_get(request.user, pk)
    mandate = selectors.own_session_mandate(request.user, session)
    bound = request.method == "POST"
    form = forms.LeaveRequestForm(request.POST if bound else None)
    if bound and form.is_valid():
        try:
            services.leave_request_submit(
                session=session,
                mandate=mandate,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("请假已提交，待批准。"))
            return redirect("deputies:my_sessions")
    return render(
        request,
        "deputies/sessions/leave_form.html",
        {
            "session": session,
            "form": form,
            "on_behalf": False,
            "deadline": services.leave_deadline(session),
        },
    )


@login_required
@require_POST
def my_leave_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.leave_get(request.user, pk)
    LeavePolicy.require(request.user, "own", leave)
    try:
        services.leave_request_withdraw(leave=leave, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回请假。"))
    return redirect("deputies:my_sessions")
