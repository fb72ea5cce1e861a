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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
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
    changes = form.changes()
    return web.button_step(
        request,
        lambda: services.session_attendance_record(
            session=session, changes=changes, actor=request.user
        ),
        lambda count: _("已保存%(count)s名代表的出席情况。") % {"count": count},
        "deputies:session_detail",
        pk=session.pk,
    )


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
    name = {"name": leave.mandate.person.name}
    return web.form_step(
        request,
        forms.DecisionForm(request.POST),
        lambda data: services.leave_request_decide(
            leave=leave,
            approve=data["decision"] == "approve",
            note=data["note"],
            actor=request.user,
        ),
        lambda data: (
            _("已批准%(name)s的请假。") % name
            if data["decision"] == "approve"
            else _("已不予批准%(name)s的请假。") % name
        ),
        "deputies:leave_list",
        invalid=_("请求无效，请刷新页面后重试。"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave_on_behalf(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff file a deputy's written leave request."""
    session = selectors.session_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", session)
    return web.form_page(
        request,
        forms.LeaveOnBehalfForm(request.POST or None, session=session),
        save=lambda data: services.leave_request_submit(
            session=session,
            mandate=data["mandate"],
            reason=data["reason"],
            actor=request.user,
        ),
        success=_("已登记请假，待批准。"),
        to=lambda _leave: "deputies:leave_list",
        template="deputies/sessions/leave_form.html",
        context={"session": session, "on_behalf": True},
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
    note = form.cleaned_data["note"]
    return web.button_step(
        request,
        lambda: services.absence_flag_dismiss(flag=flag, note=note, actor=request.user),
        _("已记录处理意见。"),
        "deputies:absence_flag",
        pk=flag.pk,
    )


# --- staff: meetings and speeches ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(request.user, pk)
    SessionPolicy.require(request.user, "manage", session)
    return web.form_page(
        request,
        forms.MeetingForm(request.POST or None, session=session),
        save=lambda data: services.meeting_create(
            session=session, **data, actor=request.user
        ),
        success=_("已登记审议会议。"),
        to=lambda meeting: reverse("deputies:meeting_detail", args=[meeting.pk]),
        template="deputies/sessions/meeting_form.html",
        context={"session": session},
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
    return web.form_step(
        request,
        forms.OutcomeForm(request.POST),
        lambda data: services.speech_set_outcome(
            speech=speech,
            outcome=data["outcome"],
            note=data["note"],
            actor=request.user,
        ),
        _("已保存采纳情况。"),
        "deputies:meeting_detail",
        pk=speech.meeting_id,
        invalid=_("请选择采纳情况。"),
    )


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
    return web.form_page(
        request,
        forms.LeaveRequestForm(request.POST or None),
        save=lambda data: services.leave_request_submit(
            session=session, mandate=mandate, reason=data["reason"], actor=request.user
        ),
        success=_("请假已提交，待批准。"),
        to=lambda _leave: "deputies:my_sessions",
        template="deputies/sessions/leave_form.html",
        context={
            "session": session,
            "on_behalf": False,
            "deadline": services.leave_deadline(session),
        },
    )


@login_required
@require_POST
def my_leave_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    leave = selectors.leave_get(request.user, pk)
    LeavePolicy.require(request.user, "own", leave)
    return web.button_step(
        request,
        lambda: services.leave_request_withdraw(leave=leave, actor=request.user),
        _("已撤回请假。"),
        "deputies:my_sessions",
    )
