"""HTML pages of stations: the public finder, station page, "我要反映" and
"进度查询"; the station workspace (members, roster, receptions); the opinion
inbox and detail with the closed-loop actions, for station staff, congress
staff and handling units.

Thin, as STYLE.md asks: look up through ``visible_to`` (out of scope → 404),
check permission through ``stations.permissions`` (→ 403), validate a form,
call one service, redirect with a message. An invalid form is shown again
with status 400 and its Chinese errors, nothing the user typed lost.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
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
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Mandate
from portal import web
from portal.models import HandlingUnit, Region
from portal.ratelimit import client_address, client_ip, hit
from portal.scoping import get_visible_or_404, scope_for
from portal.services import DomainError

from . import forms, services
from .models import (
    DutyAssignment,
    DutyDay,
    Opinion,
    Reception,
    Station,
    StationMembership,
)
from .permissions import (
    can_handle_opinion,
    can_manage_station,
    require_opinion_handler,
    require_station_manager,
)
from .policies import works_with_stations

PAGE_SIZE = 50
CALENDAR_DAYS = 28
TRACK_LOOKUPS_PER_HOUR = 30
MEMBER_SEARCH_LIMIT = 20
ROSTER_PAST_DAYS = 30
RECEPTIONS_SHOWN = 20
SENT_SALT = "stations.opinion_sent"
SENT_MAX_AGE = 24 * 60 * 60

# A day's slots in the order they happen (the slot codes sort otherwise).
SLOT_RANK = {
    DutyDay.Slot.MORNING: 0,
    DutyDay.Slot.FULL_DAY: 1,
    DutyDay.Slot.AFTERNOON: 2,
    DutyDay.Slot.EVENING: 3,
}

STATUS_BADGES = {
    Opinion.Status.RECEIVED: "warn",
    Opinion.Status.ASSIGNED: "info",
    Opinion.Status.REASSIGNED: "warn",
    Opinion.Status.REPLIED: "info",
    Opinion.Status.VISITED: "info",
    Opinion.Status.ANSWERED_ON_SITE: "ok",
    Opinion.Status.CLOSED: "ok",
    Opinion.Status.NOT_ACCEPTED: "muted",
    Opinion.Status.CONVERTED: "muted",
    Opinion.Status.POOLED: "muted",
    Opinion.Status.ESCALATED: "muted",
}
AWAITING_REPLY = (Opinion.Status.ASSIGNED, Opinion.Status.REASSIGNED)

# What each state means for the citizen on the tracking page.
STATUS_EXPLAINED = {
    Opinion.Status.RECEIVED: gettext_lazy("联络站已收到您的意见，正在登记分流。"),
    Opinion.Status.ASSIGNED: gettext_lazy("已交有关单位办理，答复后会在这里显示。"),
    Opinion.Status.REASSIGNED: gettext_lazy(
        "已重新交有关单位办理，答复后会在这里显示。"
    ),
    Opinion.Status.REPLIED: gettext_lazy("有关单位已答复，工作人员会电话回访。"),
    Opinion.Status.VISITED: gettext_lazy("已回访，正在办结。"),
    Opinion.Status.NOT_ACCEPTED: gettext_lazy(
        "该事项不属于代表联络站受理范围，工作人员已告知您依法解决的途径。"
    ),
    Opinion.Status.CONVERTED: gettext_lazy(
        "已由人大代表转为代表建议，按建议办理程序办理。"
    ),
    Opinion.Status.POOLED: gettext_lazy("已纳入民生实事项目征集。"),
    Opinion.Status.ESCALATED: gettext_lazy("已报送上级人大常委会处理。"),
    Opinion.Status.ANSWERED_ON_SITE: gettext_lazy("已当场答复并办结。"),
    Opinion.Status.CLOSED: gettext_lazy("已办结。感谢您的参与。"),
}


# --- helpers ---------------------------------------------------------------------------


def _slot_rank() -> Case:
    return Case(
        *[When(slot=slot, then=Value(rank)) for slot, rank in SLOT_RANK.items()],
        default=Value(9),
        output_field=IntegerField(),
    )


_paginate = web.paginate


_add_domain_error = web.add_domain_error


_add_validation_error = web.add_validation_error


def _rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "stations/rate_limited.html", status=429)
    response["Retry-After"] = "3600"
    return response


def _ancestor_paths(path: str) -> list[str]:
    """The region and every region above: "1/2/" → ["1/", "1/2/"]."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _has_active_station() -> Exists:
    return Exists(
        Station.objects.active().filter(region_path__startswith=OuterRef("path"))
    )


def _public_duty_days(station: Station, today):
    """Published duty days of the coming weeks, deputies' public fields only."""
    on_duty = (
        DutyAssignment.objects.filter(mandate__status=Mandate.Status.ACTIVE)
        .select_related("mandate__person", "mandate__congress")
        .only(
            "id",
            "duty_day_id",
            "mandate_id",
            "mandate__person__id",
            "mandate__person__name",
            "mandate__congress__id",
            "mandate__congress__name",
        )
        .order_by("mandate__name_stroke_key", "mandate_id")
    )
    days = (
        DutyDay.objects.public(today)
        .filter(station=station, date__lt=today + timedelta(days=CALENDAR_DAYS))
        .prefetch_related(Prefetch("assignments", queryset=on_duty, to_attr="on_duty"))
    )
    days = sorted(days, key=lambda d: (d.date, SLOT_RANK.get(d.slot, 9)))
    for day in days:
        for assignment in day.on_duty:
            assignment.congress_label = _deputy_title(assignment.mandate.congress.name)
    return days


def _deputy_title(congress_name: str) -> str:
    """Turn "桃花乡人民代表大会" into "桃花乡人大代表", the way citizens say it."""
    suffix = "人民代表大会"
    if congress_name.endswith(suffix):
        return congress_name[: -len(suffix)] + "人大代表"
    return congress_name


# --- public: finder, station page ---------------------------------------------------------


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    """Find a station: county, then township; works as a plain GET form."""
    today = timezone.localdate()
    counties = list(
        Region.objects.filter(_has_active_station(), level=Region.Level.COUNTY)
        .select_related("parent")
        .order_by("path")
    )
    by_id = {c.pk: c for c in counties}
    county = None
    raw_county = request.GET.get("county", "")
    if raw_county.isdigit():
        county = by_id.get(int(raw_county))
    elif not raw_county and len(counties) == 1:
        county = counties[0]
    townships = []
    if county is not None:
        townships = list(
            Region.objects.filter(
                _has_active_station(),
                parent=county,
                level__in=[Region.Level.TOWNSHIP, Region.Level.SUBDISTRICT],
            ).order_by("path")
        )
    township = None
    raw_township = request.GET.get("township", "")
    if raw_township.isdigit():
        township = next((t for t in townships if t.pk == int(raw_township)), None)

    groups: dict[str, list] = {}
    for c in counties:
        groups.setdefault(c.parent.name if c.parent else "", []).append((c.pk, c.name))
    form = forms.FinderForm(
        initial={
            "county": county.pk if county else "",
            "township": township.pk if township else "",
        },
        county_choices=list(groups.items()),
        township_choices=[(t.pk, t.name) for t in townships],
    )

    page = page_range = None
    area = township or county
    if area is not None:
        upcoming = (
            DutyDay.objects.public(today)
            .filter(station=OuterRef("pk"))
            .order_by("date", _slot_rank())
        )
        stations = (
            Station.objects.active()
            .within(area)
            .select_related("region")
            .annotate(
                next_duty_date=Subquery(upcoming.values("date")[:1]),
                next_duty_slot=Subquery(upcoming.values("slot")[:1]),
            )
            .order_by("region_path", "name")
        )
        page, page_range = _paginate(request, stations)
        slot_labels = dict(DutyDay.Slot.choices)
        for station in page.object_list:
            station.next_duty_slot_label = slot_labels.get(station.next_duty_slot, "")
    return render(
        request,
        "stations/finder.html",
        {
            "form": form,
            "county": county,
            "township": township,
            "area": area,
            "page_obj": page,
            "page_range": page_range,
            "has_counties": bool(counties),
        },
    )


@require_GET
def station_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's details and its published duty calendar of the coming 4 weeks."""
    station = get_object_or_404(
        Station.objects.active().select_related("region__parent"), pk=pk
    )
    today = timezone.localdate()
    return render(
        request,
        "stations/station.html",
        {
            "station": station,
            "duty_days": _public_duty_days(station, today),
            "calendar_end": today + timedelta(days=CALENDAR_DAYS - 1),
            "today": today,
        },
    )


# --- public: "我要反映" and "进度查询" -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def opinion_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The "我要反映" form: a citizen's opinion, rate limited per address."""
    station = get_object_or_404(Station.objects.active(), pk=pk)
    if request.method == "GET":
        form = forms.OpinionForm(station=station)
        return render(
            request, "stations/opinion_form.html", {"station": station, "form": form}
        )

    form = forms.OpinionForm(request.POST, request.FILES, station=station)
    valid = form.is_valid()
    if valid or form.challenge_failed:
        limit = services.station_rules(station).public_submissions_per_hour
        if not hit("opinion", client_address(request), limit=limit):
            return _rate_limited(request)
    if valid:
        data = form.cleaned_data
        try:
            opinion = services.opinion_submit(
                station=station,
                name=data["name"],
                phone=data["phone"],
                content=data["content"],
                category=data["category"],
                photo=data["photo"],
                ip_address=client_ip(request),
            )
        except ValidationError as exc:
            _add_validation_error(form, exc)
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            token = signing.dumps(opinion.tracking_code, salt=SENT_SALT)
            return redirect(
                reverse("stations:opinion_sent", args=[station.pk]) + f"?t={token}"
            )
    response = render(
        request,
        "stations/opinion_form.html",
        {"station": station, "form": form},
        status=400,
    )
    add_never_cache_headers(response)
    return response


@require_GET
def opinion_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: the tracking code, large, and how to follow the opinion."""
    station = get_object_or_404(Station.objects.active(), pk=pk)
    try:
        code = signing.loads(
            request.GET.get("t", ""), salt=SENT_SALT, max_age=SENT_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("stations:track")
    response = render(
        request,
        "stations/opinion_sent.html",
        {
            "station": station,
            "code": code,
            "track_url": reverse("stations:track") + "?" + urlencode({"code": code}),
            "due_days": services.station_rules(station).opinion_due_working_days,
        },
    )
    add_never_cache_headers(response)
    return response


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """The "进度查询" page: status and the published reply only, never personal data."""
    if "code" not in request.GET:
        return render(request, "stations/track.html", {"form": forms.TrackForm()})
    form = forms.TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "stations/track.html", {"form": form}, status=400)
    if not hit("opinion_track", client_address(request), limit=TRACK_LOOKUPS_PER_HOUR):
        return _rate_limited(request)
    opinion = (
        Opinion.objects.select_related("station")
        .filter(tracking_code=form.cleaned_data["code"])
        .first()
    )
    context: dict[str, Any] = {"form": form, "searched": True}
    status = 200
    if opinion is None:
        status = 404
    else:
        result = services.opinion_public_view(opinion)
        result["submitted_on"] = date.fromisoformat(result["submitted_on"])
        context["result"] = result
        context["badge"] = STATUS_BADGES.get(opinion.status, "muted")
        context["explained"] = STATUS_EXPLAINED.get(opinion.status, "")
    response = render(request, "stations/track.html", context, status=status)
    add_never_cache_headers(response)
    return response


# --- station workspace --------------------------------------------------------------------


def _count_subquery(queryset, field: str = "station") -> Coalesce:
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    """The stations the user works with, with their counts."""
    today = timezone.localdate()
    stations = (
        Station.objects.visible_to(request.user)
        .select_related("region")
        .annotate(
            member_count=_count_subquery(
                StationMembership.objects.filter(
                    station=OuterRef("pk"), end_date__isnull=True
                )
            ),
            upcoming_count=_count_subquery(
                DutyDay.objects.filter(station=OuterRef("pk"), date__gte=today)
            ),
            open_count=_count_subquery(
                Opinion.objects.open().filter(station=OuterRef("pk"))
            ),
        )
        .order_by("region_path", "name")
    )
    page, page_range = _paginate(request, stations)
    return render(
        request,
        "stations/manage_list.html",
        {"page_obj": page, "page_range": page_range},
    )


def _get_station(request: HttpRequest, pk: int) -> Station:
    return get_visible_or_404(
        Station.objects.select_related("region"), request.user, pk=pk
    )


def _get_managed_station(request: HttpRequest, pk: int) -> Station:
    station = _get_station(request, pk)
    require_station_manager(request.user, station)
    return station


def _manage_context(
    request: HttpRequest, station: Station, **bound_forms
) -> dict[str, Any]:
    today = timezone.localdate()
    members = (
        StationMembership.objects.filter(station=station, end_date__isnull=True)
        .select_related("mandate__person", "mandate__congress")
        .order_by("mandate__name_stroke_key", "mandate_id")
    )
    roster = DutyDay.objects.filter(
        station=station, date__gte=today - timedelta(days=ROSTER_PAST_DAYS)
    ).prefetch_related(
        Prefetch(
            "assignments",
            queryset=DutyAssignment.objects.select_related("mandate__person").order_by(
                "mandate__name_stroke_key", "mandate_id"
            ),
        )
    )
    roster = sorted(roster, key=lambda d: (d.date, SLOT_RANK.get(d.slot, 9)))
    receptions = (
        Reception.objects.filter(station=station)
        .select_related("duty_day")
        .prefetch_related(
            Prefetch("deputies", queryset=Mandate.objects.select_related("person"))
        )
        .order_by("-date", "-id")
    )
    counts = Opinion.objects.filter(station=station).aggregate(
        open=Count("pk", filter=Q(status__in=Opinion.OPEN_STATES)),
        received=Count("pk", filter=Q(status=Opinion.Status.RECEIVED)),
    )
    manageable = can_manage_station(request.user, station)
    members = list(members)
    return {
        "station": station,
        "manageable": manageable,
        "today": today,
        "members": members,
        "roster": [
            {
                "day": day,
                "past": day.date < today,
                "can_record": day.date <= today,
            }
            for day in roster
        ],
        "upcoming_count": sum(1 for d in roster if d.date >= today),
        "published_count": sum(1 for d in roster if d.date >= today and d.is_published),
        "receptions": list(receptions[:RECEPTIONS_SHOWN]),
        "reception_total": Reception.objects.filter(station=station).count(),
        "opinion_counts": counts,
        "publish_days": services.station_rules(station).duty_publish_days_ahead,
        "duty_day_form": bound_forms.get("duty_day_form")
        or (forms.DutyDayForm(station=station) if manageable else None),
        "reception_form": bound_forms.get("reception_form")
        or (forms.ReceptionForm(station=station) if manageable else None),
    }


@login_required
@require_GET
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's workspace: members, roster, receptions."""
    station = _get_station(request, pk)
    return render(request, "stations/manage.html", _manage_context(request, station))


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
        q = search.cleaned_data["q"].strip()
        current = set(
            StationMembership.objects.filter(
                station=station, end_date__isnull=True
            ).values_list("mandate_id", flat=True)
        )
        found = (
            Mandate.objects.public()
            .filter(Q(card_number=q) | Q(person__name__icontains=q))
            .select_related("person", "congress")
            .order_by("name_stroke_key", "id")[:MEMBER_SEARCH_LIMIT]
        )
        results = [{"mandate": m, "member": m.pk in current} for m in found]
    return render(
        request,
        "stations/member_add.html",
        {
            "station": station,
            "search": search,
            "results": results,
            "add_form": add_form,
            "limit": MEMBER_SEARCH_LIMIT,
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
            _add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("已安排%(date)s%(slot)s的接待日，核对无误后请公布。")
                % {
                    "date": day.date.strftime("%Y-%m-%d"),
                    "slot": day.get_slot_display(),
                },
            )
            return redirect("stations:manage", pk=station.pk)
    return render(
        request,
        "stations/manage.html",
        _manage_context(request, station, duty_day_form=form),
        status=400,
    )


def _get_duty_day(station: Station, duty_day_pk: int) -> DutyDay:
    return get_object_or_404(
        DutyDay.objects.select_related("station"), pk=duty_day_pk, station=station
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
            request,
            _("%(date)s%(slot)s的接待日已向社会公布。")
            % {"date": day.date.strftime("%Y-%m-%d"), "slot": day.get_slot_display()},
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
    if day.date > timezone.localdate():
        messages.error(request, _("接待日还没到，不能登记到岗情况。"))
        return redirect("stations:manage", pk=station.pk)
    assignments = list(
        day.assignments.select_related("mandate__person", "mandate__congress").order_by(
            "mandate__name_stroke_key", "mandate_id"
        )
    )
    form = forms.AttendanceForm(request.POST or None, assignments=assignments)
    if request.method == "POST":
        if form.is_valid():
            count = services.duty_day_record_attendance(
                duty_day=day, attended=form.cleaned_data["attended"], actor=request.user
            )
            messages.success(
                request, _("已登记到岗代表%(count)s名。") % {"count": count}
            )
            return redirect("stations:manage", pk=station.pk)
        return render(
            request,
            "stations/attendance.html",
            {"station": station, "day": day, "form": form},
            status=400,
        )
    return render(
        request,
        "stations/attendance.html",
        {"station": station, "day": day, "form": form},
    )


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
            _add_domain_error(form, exc)
        else:
            messages.success(request, _("接待记录已保存。"))
            return redirect(
                reverse("stations:manage", args=[station.pk]) + "#receptions"
            )
    return render(
        request,
        "stations/manage.html",
        _manage_context(request, station, reception_form=form),
        status=400,
    )


# --- opinion inbox and detail --------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """Opinions in the user's scope, due first, with filters and counts per status."""
    user = request.user
    today = timezone.localdate()
    station_choices = list(
        Station.objects.visible_to(user)
        .order_by("region_path", "name")
        .values_list("pk", "name")
    )
    form = forms.OpinionFilterForm(request.GET, station_choices=station_choices)
    opinions = Opinion.objects.visible_to(user)
    if not form.is_valid():
        # A station out of scope or a made-up status: nothing, and the form says why.
        opinions = opinions.none()
    data = form.cleaned_data
    if data.get("q"):
        opinions = opinions.filter(tracking_code__icontains=data["q"].strip())
    if data.get("category"):
        opinions = opinions.filter(category=data["category"])
    if data.get("station"):
        opinions = opinions.filter(station_id=data["station"])
    if data.get("overdue"):
        opinions = opinions.overdue(today)
    counts = dict(
        opinions.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    if data.get("status"):
        opinions = opinions.filter(status=data["status"])
    page, page_range = _paginate(request, opinions.with_list_related().inbox_order())
    rows = [
        {
            "opinion": o,
            "badge": STATUS_BADGES.get(o.status, "muted"),
            "overdue": o.status in AWAITING_REPLY
            and o.due_date is not None
            and o.due_date < today,
        }
        for o in page.object_list
    ]
    status_counts = [
        {"value": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Opinion.Status.choices
        if counts.get(value)
    ]
    return render(
        request,
        "stations/inbox.html",
        {
            "form": form,
            "rows": rows,
            "page_obj": page,
            "page_range": page_range,
            "status_counts": status_counts,
            "total": sum(counts.values()),
            "current_status": data.get("status", ""),
            "unit_only": not works_with_stations(user),
            "show_station": len(station_choices) != 1,
        },
    )


def _get_opinion(request: HttpRequest, pk: int) -> Opinion:
    return get_visible_or_404(
        Opinion.objects.select_related(
            "station__region",
            "current_unit",
            "escalated_to",
            "converted_for__person",
            "converted_for__congress",
            "reception",
        ),
        request.user,
        pk=pk,
    )


def _assignable_units(station: Station):
    """Active units of the station's region and of the regions above it.

    Not ``HandlingUnit.objects.visible_to``: that gives station staff no units
    at all, yet they are the ones who assign (DESIGN.md §4).
    """
    return (
        HandlingUnit.objects.active()
        .filter(region__path__in=_ancestor_paths(station.region_path))
        .select_related("region")
        .order_by("-region__depth", "name")
    )


def _opinion_actions(user, opinion: Opinion) -> dict[str, bool]:
    manager = can_manage_station(user, opinion.station)
    handler = can_handle_opinion(user, opinion)
    status = opinion.status
    Status = Opinion.Status
    return {
        "triage": manager and status == Status.RECEIVED,
        "assign": manager
        and (
            status in (Status.RECEIVED, Status.ASSIGNED)
            or (
                status == Status.VISITED
                and opinion.visit_result == Opinion.VisitResult.DISSATISFIED
            )
        ),
        "reply": (manager or handler) and status in AWAITING_REPLY,
        "visit": manager and status == Status.REPLIED,
        "close": manager and status == Status.VISITED,
        "convert": manager and status == Status.RECEIVED,
    }


def _detail_context(
    request: HttpRequest, opinion: Opinion, **bound_forms
) -> dict[str, Any]:
    user = request.user
    scope = scope_for(user)
    station = opinion.station
    actions = _opinion_actions(user, opinion)
    rounds = opinion.assignments.select_related("unit", "replied_by").order_by("round")
    # A unit sees its own rounds only, never another unit's answer (DESIGN.md §11).
    sees_all = can_manage_station(user, station) or scope.governs_path(
        opinion.region_path
    )
    if not sees_all:
        rounds = rounds.filter(unit_id__in=scope.unit_ids)
    events = opinion.events.select_related("actor").order_by("created_at", "id")
    forms_: dict[str, Any] = {}
    if actions["triage"]:
        forms_["triage_form"] = bound_forms.get("triage_form") or forms.TriageForm()
    if actions["assign"]:
        forms_["assign_form"] = bound_forms.get("assign_form") or forms.AssignForm(
            units=_assignable_units(station)
        )
    if actions["reply"]:
        forms_["reply_form"] = bound_forms.get("reply_form") or forms.ReplyForm()
    if actions["visit"]:
        forms_["visit_form"] = bound_forms.get("visit_form") or forms.VisitForm()
    if actions["close"]:
        forms_["close_form"] = bound_forms.get("close_form") or forms.CloseForm()
    if actions["convert"]:
        forms_["convert_form"] = bound_forms.get("convert_form") or forms.ConvertForm(
            station=station
        )
    today = timezone.localdate()
    return {
        "opinion": opinion,
        # A unit that no longer handles the opinion does not see the next unit's answer.
        "show_outcome": sees_all or opinion.current_unit_id in scope.unit_ids,
        "badge": STATUS_BADGES.get(opinion.status, "muted"),
        "overdue": opinion.status in AWAITING_REPLY
        and opinion.due_date is not None
        and opinion.due_date < today,
        "rounds": list(rounds),
        "events": list(events),
        "deputies": list(opinion.deputies.select_related("person", "congress")),
        "actions": actions,
        "has_actions": any(actions.values()),
        "unit_only": not works_with_stations(user),
        "open_form": next(iter(bound_forms), ""),
        **forms_,
    }


@login_required
@require_GET
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _get_opinion(request, pk)
    return render(
        request, "stations/opinion_detail.html", _detail_context(request, opinion)
    )


@login_required
@require_GET
def opinion_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The citizen's photo, for staff who may see the opinion only."""
    opinion = _get_opinion(request, pk)
    if not opinion.photo:
        raise Http404
    response = FileResponse(opinion.photo.open("rb"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _opinion_action(form_key: str, build_form, check, perform, success):
    """A POST action on an opinion: scope (404), permission (403), form, one service.

    ``build_form(data, opinion)`` makes the bound form; ``perform(opinion, user,
    cleaned)`` calls the service; ``success`` is the message on success.
    """

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        opinion = _get_opinion(request, pk)
        check(request.user, opinion)
        form = build_form(request.POST, opinion)
        if form.is_valid():
            try:
                perform(opinion, request.user, form.cleaned_data)
            except DomainError as exc:
                if exc.conflict:
                    messages.error(request, exc.message)
                    return redirect("stations:opinion", pk=opinion.pk)
                _add_domain_error(form, exc)
            else:
                messages.success(
                    request, str(success) % {"code": opinion.tracking_code}
                )
                return redirect("stations:opinion", pk=opinion.pk)
        context = _detail_context(request, opinion, **{form_key: form})
        # The action may not be offered in this state: say so rather than lose the input.
        if form_key not in context:
            context[form_key] = form
        return render(request, "stations/opinion_detail.html", context, status=400)

    return view


def _require_manager(user, opinion: Opinion) -> None:
    require_station_manager(user, opinion.station)


def _triage(opinion, user, data):
    services.opinion_triage(
        opinion=opinion, outcome=data["outcome"], note=data["note"], actor=user
    )


def _assign(opinion, user, data):
    services.opinion_assign(
        opinion=opinion,
        unit=data["unit"],
        due_date=data["due_date"],
        note=data["note"],
        actor=user,
    )


def _reply(opinion, user, data):
    services.opinion_reply(
        opinion=opinion, text=data["text"], publish=data["publish"], actor=user
    )


def _visit(opinion, user, data):
    services.opinion_visit(
        opinion=opinion, result=data["result"], note=data["note"], actor=user
    )


def _close(opinion, user, data):
    services.opinion_close(opinion=opinion, note=data["note"], actor=user)


def _convert(opinion, user, data):
    services.opinion_convert(
        opinion=opinion, mandate=data["mandate"], note=data["note"], actor=user
    )


opinion_triage = _opinion_action(
    "triage_form",
    lambda data, o: forms.TriageForm(data),
    _require_manager,
    _triage,
    gettext_lazy("意见%(code)s已分流。"),
)
opinion_assign = _opinion_action(
    "assign_form",
    lambda data, o: forms.AssignForm(data, units=_assignable_units(o.station)),
    _require_manager,
    _assign,
    gettext_lazy("意见%(code)s已交办。"),
)
opinion_reply = _opinion_action(
    "reply_form",
    lambda data, o: forms.ReplyForm(data),
    require_opinion_handler,
    _reply,
    gettext_lazy("意见%(code)s的答复已提交。"),
)
opinion_visit = _opinion_action(
    "visit_form",
    lambda data, o: forms.VisitForm(data),
    _require_manager,
    _visit,
    gettext_lazy("意见%(code)s的回访结果已登记。"),
)
opinion_close = _opinion_action(
    "close_form",
    lambda data, o: forms.CloseForm(data),
    _require_manager,
    _close,
    gettext_lazy("意见%(code)s已办结。"),
)
opinion_convert = _opinion_action(
    "convert_form",
    lambda data, o: forms.ConvertForm(data, station=o.station),
    _require_manager,
    _convert,
    gettext_lazy("意见%(code)s已转为代表建议。"),
)


urlpatterns = [
    # public
    path("", finder, name="finder"),
    path("track/", track, name="track"),
    path("<int:pk>/", station_page, name="station"),
    path("<int:pk>/opinion/", opinion_new, name="opinion_new"),
    path("<int:pk>/opinion/sent/", opinion_sent, name="opinion_sent"),
    # station workspace
    path("manage/", manage_list, name="manage_list"),
    path("manage/<int:pk>/", manage, name="manage"),
    path("manage/<int:pk>/members/add/", member_add, name="member_add"),
    path(
        "manage/<int:pk>/members/<int:membership_pk>/end/",
        member_end,
        name="member_end",
    ),
    path("manage/<int:pk>/duty-days/new/", duty_day_create, name="duty_day_create"),
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/publish/",
        duty_day_publish,
        name="duty_day_publish",
    ),
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/attendance/",
        duty_day_attendance,
        name="duty_day_attendance",
    ),
    path("manage/<int:pk>/receptions/new/", reception_create, name="reception_create"),
    # opinions
    path("opinions/", inbox, name="inbox"),
    path("opinions/<int:pk>/", opinion_detail, name="opinion"),
    path("opinions/<int:pk>/photo/", opinion_photo, name="opinion_photo"),
    path("opinions/<int:pk>/triage/", opinion_triage, name="opinion_triage"),
    path("opinions/<int:pk>/assign/", opinion_assign, name="opinion_assign"),
    path("opinions/<int:pk>/reply/", opinion_reply, name="opinion_reply"),
    path("opinions/<int:pk>/visit/", opinion_visit, name="opinion_visit"),
    path("opinions/<int:pk>/close/", opinion_close, name="opinion_close"),
    path("opinions/<int:pk>/convert/", opinion_convert, name="opinion_convert"),
]
