"""The station workspace, for the station's staff and the congress staff of its
region and above (leaders read it): the list of stations, members (进站编组),
the duty roster with publishing and attendance, and reception records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.policies import RosterPolicy
from portal import web
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import DutyDay, Station, StationMembership
from ..policies import DutyDayPolicy, StationPolicy


def _get_station(request: HttpRequest, pk: int) -> Station:
    """A station the user sees (out of scope → 404)."""
    return get_object_or_404(
        Station.objects.visible_to(request.user).select_related("region"), pk=pk
    )


def _get_managed_station(request: HttpRequest, pk: int) -> Station:
    """A station the user sees (404) and may change (403)."""
    station = _get_station(request, pk)
    StationPolicy.require(request.user, "manage", station)
    return station


def _get_duty_day(station: Station, duty_day_pk: int) -> DutyDay:
    day = get_object_or_404(
        DutyDay.objects.select_related("station"), pk=duty_day_pk, station=station
    )
    day.station = station  # the one already read, with its region
    return day


def _day_label(day: DutyDay) -> dict[str, str]:
    return {"date": day.date.strftime("%Y-%m-%d"), "slot": day.get_slot_display()}


def _workspace(
    request: HttpRequest, station: Station, **bound_forms: Any
) -> dict[str, Any]:
    """The workspace context, with the planning forms for those who may plan."""
    context = selectors.station_workspace(request.user, station, timezone.localdate())
    manage = context["can_manage"]
    context["duty_day_form"] = bound_forms.get("duty_day_form") or (
        forms.DutyDayForm(station=station) if manage else None
    )
    context["reception_form"] = bound_forms.get("reception_form") or (
        forms.ReceptionForm(station=station) if manage else None
    )
    context["recurring_form"] = bound_forms.get("recurring_form") or (
        forms.RecurringDutyForm(station=station) if manage else None
    )
    context["can_import_roster"] = RosterPolicy.allows(request.user, "import")
    return context


@login_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    """The stations the user works with, with their counts."""
    page, page_range = web.paginate(
        request, selectors.station_list(request.user, timezone.localdate())
    )
    return render(
        request,
        "stations/manage_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "can_import_roster": RosterPolicy.allows(request.user, "import"),
        },
    )


@login_required
@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's workspace: members, roster, receptions."""
    station = _get_station(request, pk)
    return render(request, "stations/manage.html", _workspace(request, station))


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """进站编组: find a current deputy of any level by card number or name, add them."""
    station = _get_managed_station(request, pk)
    add_form = forms.MemberAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if add_form.is_valid():
            mandate = add_form.cleaned_data["mandate"]
            try:
                services.station_add_member(
                    station=station,
                    mandate=mandate,
                    start_date=add_form.cleaned_data["start_date"],
                    role=add_form.cleaned_data["role"],
                    actor=request.user,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("已将%(name)s编入%(station)s。")
                    % {"name": mandate.person.name, "station": station.name},
                )
                return redirect("stations:manage", pk=station.pk)
        status = 400
    search = forms.MemberSearchForm(request.GET if "q" in request.GET else None)
    results = []
    if search.is_bound and search.is_valid():
        results = selectors.member_search(station, search.cleaned_data["q"].strip())
    return render(
        request,
        "stations/member_add.html",
        {
            "station": station,
            "search": search,
            "results": results,
            "add_form": add_form,
            "limit": selectors.MEMBER_SEARCH_LIMIT,
        },
        status=status,
    )


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    station = _get_managed_station(request, pk)
    membership = get_object_or_404(
        StationMembership.objects.select_related("mandate__person", "station"),
        pk=membership_pk,
        station=station,
        end_date__isnull=True,
    )
    services.station_end_membership(
        membership=membership, end_date=timezone.localdate(), actor=request.user
    )
    messages.success(
        request, _("%(name)s已离站。") % {"name": membership.mandate.person.name}
    )
    return redirect("stations:manage", pk=station.pk)


@login_required
@require_POST
def duty_day_create(request: HttpRequest, pk: int) -> HttpResponse:
    station = _get_managed_station(request, pk)
    form = forms.DutyDayForm(request.POST, station=station)
    if form.is_valid():
        data = form.cleaned_data
        try:
            day = services.duty_day_create(
                station=station,
                date=data["date"],
                slot=data["slot"],
                deputies=list(data["deputies"]),
                topic=data["topic"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("已安排%(date)s%(slot)s的接待日，核对无误后请公布。")
                % _day_label(day),
            )
            return redirect("stations:manage", pk=station.pk)
    return render(
        request,
        "stations/manage.html",
        _workspace(request, station, duty_day_form=form),
        status=400,
    )


@login_required
@require_POST
def duty_day_publish(request: HttpRequest, pk: int, duty_day_pk: int) -> HttpResponse:
    station = _get_managed_station(request, pk)
    day = _get_duty_day(station, duty_day_pk)
    try:
        services.duty_day_publish(duty_day=day, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(date)s%(slot)s的接待日已向社会公布。") % _day_label(day)
        )
    return redirect("stations:manage", pk=station.pk)


@login_required
@require_http_methods(["GET", "POST"])
def duty_day_attendance(
    request: HttpRequest, pk: int, duty_day_pk: int
) -> HttpResponse:
    """Record who came on duty (after the day)."""
    station = _get_managed_station(request, pk)
    day = _get_duty_day(station, duty_day_pk)
    # The user manages the station, so only the date can refuse this.
    if not DutyDayPolicy.allows(request.user, "record_attendance", day):
        messages.error(request, _("接待日还没到，不能登记到岗情况。"))
        return redirect("stations:manage", pk=station.pk)
    form = forms.AttendanceForm(
        request.POST or None, assignments=selectors.duty_day_attendance(day)
    )
    context = {"station": station, "day": day, "form": form}
    if request.method == "POST":
        if form.is_valid():
            count = services.duty_day_record_attendance(
                duty_day=day, attended=form.cleaned_data["attended"], actor=request.user
            )
            messages.success(
                request, _("已登记到岗代表%(count)s名。") % {"count": count}
            )
            return redirect("stations:manage", pk=station.pk)
        return render(request, "stations/attendance.html", context, status=400)
    return render(request, "stations/attendance.html", context)


@login_required
@require_POST
def reception_create(request: HttpRequest, pk: int) -> HttpResponse:
    station = _get_managed_station(request, pk)
    form = forms.ReceptionForm(request.POST, station=station)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.reception_create(
                station=station,
                date=data["date"],
                mode=data["mode"],
                deputies=list(data["deputies"]),
                visitor_count=data["visitor_count"],
                notes=data["notes"],
                duty_day=data["duty_day"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("接待记录已保存。"))
            return redirect(
                reverse("stations:manage", args=[station.pk]) + "#receptions"
            )
    return render(
        request,
        "stations/manage.html",
        _workspace(request, station, reception_form=form),
        status=400,
    )


# --- issue 18: changing, cancelling, deleting days; weekly series -----------------


def _roster_url(pk: int) -> str:
    return reverse("stations:manage", args=[pk]) + "#roster"


@login_required
@require_http_methods(["GET", "POST"])
def duty_day_edit(request: HttpRequest, pk: int, duty_day_pk: int) -> HttpResponse:
    """Change a coming day's date, slot, deputies or topic."""
    station = _get_managed_station(request, pk)
    day = _get_duty_day(station, duty_day_pk)
    DutyDayPolicy.require(request.user, "edit", day)
    return web.form_page(
        request,
        forms.DutyDayEditForm(request.POST or None, day=day),
        save=lambda data: services.duty_day_update(
            duty_day=day,
            date=data["date"],
            slot=data["slot"],
            deputies=list(data["deputies"]),
            topic=data["topic"],
            actor=request.user,
        ),
        success=lambda changed: (
            _("已修改为%(date)s%(slot)s的接待日。") % _day_label(changed)
        ),
        to=lambda _changed: _roster_url(pk),
        template="stations/duty_day_edit.html",
        context={"station": station, "day": day},
    )


@login_required
@require_http_methods(["GET", "POST"])
def duty_day_cancel(request: HttpRequest, pk: int, duty_day_pk: int) -> HttpResponse:
    """Cancel a coming day, with a reason (a public notice once published)."""
    station = _get_managed_station(request, pk)
    day = _get_duty_day(station, duty_day_pk)
    DutyDayPolicy.require(request.user, "cancel", day)
    return web.form_page(
        request,
        forms.DutyDayCancelForm(request.POST or None),
        save=lambda data: services.duty_day_cancel(
            duty_day=day, reason=data["reason"], actor=request.user
        ),
        success=lambda cancelled: (
            _("%(date)s%(slot)s的接待日已取消。") % _day_label(cancelled)
        ),
        to=lambda _cancelled: _roster_url(pk),
        template="stations/duty_day_cancel.html",
        context={"station": station, "day": day},
    )


@login_required
@require_POST
def duty_day_delete(request: HttpRequest, pk: int, duty_day_pk: int) -> HttpResponse:
    """Delete a draft (a published day is cancelled instead)."""
    station = _get_managed_station(request, pk)
    day = _get_duty_day(station, duty_day_pk)
    DutyDayPolicy.require(request.user, "delete", day)
    label = _day_label(day)
    return web.button_step(
        request,
        lambda: services.duty_day_delete(duty_day=day, actor=request.user),
        _("已删除%(date)s%(slot)s的接待日。") % label,
        _roster_url(pk),
    )


@login_required
@require_POST
def duty_day_recurring(request: HttpRequest, pk: int) -> HttpResponse:
    """每周星期X某时段，从A到B: the whole series, or none of it."""
    station = _get_managed_station(request, pk)
    form = forms.RecurringDutyForm(request.POST, station=station)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created, skipped = services.duty_day_create_recurring(
                station=station,
                weekday=data["weekday"],
                slot=data["slot"],
                start=data["start"],
                end=data["end"],
                deputies=list(data["deputies"]),
                topic=data["topic"],
                actor=request.user,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(
                request,
                _("已安排%(count)s个接待日，核对无误后请逐一公布。")
                % {"count": len(created)},
            )
            if skipped:
                messages.warning(
                    request,
                    _("以下日期该时段已有安排，已跳过：%(dates)s")
                    % {"dates": "、".join(f"{d:%Y-%m-%d}" for d in skipped)},
                )
            return redirect(_roster_url(pk))
    return render(
        request,
        "stations/manage.html",
        _workspace(request, station, recurring_form=form),
        status=400,
    )
