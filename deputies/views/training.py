"""Training pages (大培训, issue 16): courses, enrolment and attendance, 培训覆盖率
and first-term deputies overdue for initial training (staff); my training (deputy)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import web

from .. import session_forms as forms
from .. import session_selectors as selectors
from .. import session_services as services
from ..policies import CoursePolicy, WorkspacePolicy, managed_congresses
from ..querysets import governed_congresses
from .staff import _choose_congress, _congress_choice_page

# First-term deputies listed on the course page (the rest are counted).
OVERDUE_LIMIT = 50


@login_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    """Courses, 培训覆盖率 by congress and term, initial training overdue."""
    user = request.user
    WorkspacePolicy.require(user, "browse")
    page, page_range = web.paginate(request, selectors.course_list(user))
    overdue = selectors.initial_training_overdue(
        governed_congresses(user).select_related("region")
    )
    return render(
        request,
        "deputies/sessions/course_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "coverage": selectors.training_coverage(user),
            "overdue": overdue[:OVERDUE_LIMIT],
            "overdue_count": overdue.count(),
            "can_create": WorkspacePolicy.allows(user, "create"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    WorkspacePolicy.require(request.user, "create")
    congress, chooser = _choose_congress(request, managed_congresses(request.user))
    if congress is None:
        return _congress_choice_page(
            request, chooser, _("新建培训课程"), reverse("deputies:course_create")
        )
    return web.form_page(
        request,
        forms.CourseForm(request.POST or None),
        save=lambda data: services.course_create(
            congress=congress, **data, actor=request.user
        ),
        success=lambda course: (
            _("已新建培训课程“%(title)s”。") % {"title": course.title}
        ),
        to=lambda course: reverse("deputies:course_detail", args=[course.pk]),
        template="deputies/sessions/course_form.html",
        context={"congress": congress},
    )


def _course_page(request: HttpRequest, course, **bound) -> HttpResponse:
    context = selectors.course_detail(request.user, course)
    if context["can_manage"]:
        context["enrol_form"] = bound.get("enrol_form") or forms.EnrolForm(
            course=course
        )
        context["attendance_form"] = bound.get(
            "attendance_form"
        ) or forms.CourseAttendanceForm(enrolments=context["enrolments"])
    return render(request, "deputies/sessions/course_detail.html", context)


@login_required
@require_GET
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _course_page(request, selectors.course_get(request.user, pk))


@login_required
@require_POST
def course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(request.user, pk)
    CoursePolicy.require(request.user, "manage", course)
    form = forms.EnrolForm(request.POST, course=course)
    if not form.is_valid():
        return _course_page(request, course, enrol_form=form)
    mandates = form.cleaned_data["mandates"]
    return web.button_step(
        request,
        lambda: services.course_enrol(
            course=course, mandates=mandates, actor=request.user
        ),
        lambda count: _("已为%(count)s名代表报名。") % {"count": count},
        "deputies:course_detail",
        pk=course.pk,
    )


@login_required
@require_POST
def course_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get(request.user, pk)
    CoursePolicy.require(request.user, "manage", course)
    enrolments = selectors.course_detail(request.user, course)["enrolments"]
    form = forms.CourseAttendanceForm(request.POST, enrolments=enrolments)
    if not form.is_valid():
        return _course_page(request, course, attendance_form=form)
    changes = form.changes()
    return web.button_step(
        request,
        lambda: services.enrolment_record(
            course=course, changes=changes, actor=request.user
        ),
        _("已保存参训情况，积分已记入履职档案。"),
        "deputies:course_detail",
        pk=course.pk,
    )


@login_required
@require_GET
def my_training(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deputies/sessions/my_training.html",
        {"enrolments": selectors.my_training(request.user)},
    )
