"""Public pages: the station finder, a station's page with its duty calendar,
"我要反映" (rate limited per address) and "进度查询" (never personal data)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deputies.models import Mandate
from portal import web
from portal.ratelimit import client_address, client_ip, hit
from portal.services import DomainError

from .. import deputy_selectors, forms, incentive_selectors, selectors, services
from ..models import Station

# Ratings tried per address and hour (the check is four digits of the phone).
RATE_ATTEMPTS_PER_HOUR = 10
SIMILAR_LOOKUPS_PER_HOUR = 60

SENT_SALT = "stations.opinion_sent"
SENT_MAX_AGE = 24 * 60 * 60


def _rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "stations/rate_limited.html", status=429)
    response["Retry-After"] = "3600"
    return response


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    """Find a station: county, then township; works as a plain GET form."""
    areas = selectors.finder_areas(
        request.GET.get("county", ""), request.GET.get("township", "")
    )
    county, township = areas["county"], areas["township"]
    form = forms.FinderForm(
        initial={
            "county": county.pk if county else "",
            "township": township.pk if township else "",
        },
        county_choices=areas["county_choices"],
        township_choices=[(t.pk, t.name) for t in areas["townships"]],
    )
    page = page_range = None
    stations: list[dict[str, Any]] = []
    area = township or county
    if area is not None:
        page, page_range = web.paginate(
            request, selectors.public_stations_in(area, timezone.localdate())
        )
        stations = [selectors.public_station_card(s) for s in page.object_list]
    return render(
        request,
        "stations/finder.html",
        {
            "form": form,
            "county": county,
            "township": township,
            "area": area,
            "stations": stations,
            "page_obj": page,
            "page_range": page_range,
            "has_counties": bool(areas["counties"]),
        },
    )


@require_GET
def station_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A station's details and its published duty calendar of the coming 4 weeks."""
    station = get_object_or_404(
        Station.objects.active().select_related("region__parent"), pk=pk
    )
    context = selectors.public_station_page(station, timezone.localdate())
    # issue 17: incentives — the station's honours and drafts out for comments.
    context.update(incentive_selectors.station_page_extras(station))
    # issue 17: networks — its points (一站多点) and approved assessments.
    from ..network.selectors import public_network

    context.update(public_network(station))
    return render(request, "stations/station.html", context)


@require_http_methods(["GET", "POST"])
def opinion_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The "我要反映" form: a citizen's opinion, rate limited per address."""
    station = get_object_or_404(Station.objects.active(), pk=pk)
    if request.method == "GET":
        form = forms.OpinionForm(station=station)
        return render(
            request, "stations/opinion_form.html", {"station": station, "form": form}
        )

    form = forms.OpinionForm(
        request.POST, request.FILES, station=station, address=client_address(request)
    )
    if form.is_valid():
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
                actor=None,
            )
        except (ValidationError, DomainError) as exc:
            web.apply_service_error(form, exc)
        else:
            token = signing.dumps(opinion.tracking_code, salt=SENT_SALT)
            return redirect(
                reverse("stations:opinion_sent", args=[station.pk]) + f"?t={token}"
            )
    elif form.rate_limited:
        return _rate_limited(request)
    similar = selectors.similar_open_opinions(station, request.POST.get("content", ""))
    response = render(
        request,
        "stations/opinion_form.html",
        {"station": station, "form": form, "similar": similar},
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
            "due_days": selectors.station_rules(station).opinion_due_working_days,
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
    if not hit(
        selectors.TRACK_RATE_SCOPE,
        client_address(request),
        limit=selectors.TRACK_LOOKUPS_PER_HOUR,
    ):
        return _rate_limited(request)
    found = selectors.tracking_result(form.cleaned_data["code"])
    context: dict[str, Any] = {"form": form, "searched": True, **(found or {})}
    if found and found["can_rate"]:
        context["rating_form"] = forms.RatingForm(
            initial={"code": found["result"]["tracking_code"]}
        )
    response = render(
        request, "stations/track.html", context, status=200 if found else 404
    )
    add_never_cache_headers(response)
    return response


# --- issue 18: the citizen's rating, the duplicate hint, a deputy's page -----------


@require_POST
def opinion_rate(request: HttpRequest) -> HttpResponse:
    """The citizen rates the reply (满意/基本满意/不满意) from the tracking page,
    with the tracking code and the last four digits of their phone; attempts
    are rate limited per address (four digits are few)."""
    form = forms.RatingForm(request.POST)
    code = request.POST.get("code", "")
    track_url = reverse("stations:track") + "?" + urlencode({"code": code})
    if not hit("opinion_rate", client_address(request), limit=RATE_ATTEMPTS_PER_HOUR):
        return _rate_limited(request)
    opinion = selectors.opinion_by_code(code) if form.is_valid() else None
    if form.is_valid() and opinion is None:
        raise Http404
    if opinion is not None:
        data = form.cleaned_data
        try:
            services.opinion_rate_by_citizen(
                opinion=opinion,
                rating=data["rating"],
                reason=data["reason"],
                phone_last4=data["phone_last4"],
                actor=None,
            )
        except DomainError as exc:
            web.apply_service_error(form, exc)
        else:
            messages.success(request, _("感谢您的评价，我们已记录。"))
            return redirect(track_url)
    found = selectors.tracking_result(code) or {}
    response = render(
        request,
        "stations/track.html",
        {
            "form": forms.TrackForm(initial={"code": code}),
            "searched": True,
            **found,
            "rating_form": form,
        },
        status=400,
    )
    add_never_cache_headers(response)
    return response


@require_GET
def opinion_similar(request: HttpRequest, pk: int) -> JsonResponse:
    """Similar open opinions of the station's area for the text being written
    (``?text=``): the form's non-blocking hint; category, state and date only."""
    station = get_object_or_404(Station.objects.active(), pk=pk)
    if not hit(
        "opinion_similar", client_address(request), limit=SIMILAR_LOOKUPS_PER_HOUR
    ):
        return JsonResponse({"results": []}, status=429)
    rows = selectors.similar_open_opinions(station, request.GET.get("text", "")[:500])
    return JsonResponse(
        {
            "results": [
                {**row, "submitted_on": row["submitted_on"].isoformat()} for row in rows
            ]
        }
    )


@require_GET
def deputy_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy's public page: public fields, stations, next published duty day,
    approved activities. A mandate no longer current or active is a 404."""
    mandate = get_object_or_404(
        Mandate.objects.public().select_related("person", "congress"), pk=pk
    )
    context = deputy_selectors.public_deputy_page(mandate, timezone.localdate())
    return render(request, "stations/deputy.html", context)
