"""代表码 (issue 17): the public page a code opens (card and opinion form), the
code as a PNG, the station's printable wall sheet (PDF) and a deputy's own
codes. A code that no longer works answers "此码已失效" (410; 404 for a
token the portal never signed)."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal import web
from portal.policies import Forbidden, scope_for
from portal.ratelimit import client_address, client_ip
from portal.services import DomainError

from .. import forms, services
from ..models import Station
from ..network import codes, selectors
from .public import SENT_SALT, _rate_limited


def _invalid(request: HttpRequest, status: int) -> HttpResponse:
    response = render(
        request, "stations/network/code_invalid.html", {"status": status}, status=status
    )
    add_never_cache_headers(response)
    return response


def _target(request: HttpRequest, token: str):
    """The code's target, or the response saying it does not work."""
    try:
        target = codes.resolve(token)
    except codes.InvalidCode:
        return None, _invalid(request, 404)
    if not target.works:
        return None, _invalid(request, 410)
    return target, None


@require_http_methods(["GET", "POST"])
def code(request: HttpRequest, token: str) -> HttpResponse:
    """What a scanned code opens: the public card and the "我要反映" form, the
    opinion routed to the station and (a deputy's code) to that deputy."""
    target, refusal = _target(request, token)
    if refusal is not None:
        return refusal
    station = target.station
    context = {"card": selectors.code_card(target), "token": token, "station": station}
    if request.method == "GET":
        context["form"] = forms.OpinionForm(station=station)
        return render(request, "stations/network/code.html", context)
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
                deputies=[target.mandate] if target.mandate else None,
                ip_address=client_ip(request),
                actor=None,
            )
        except (ValidationError, DomainError) as exc:
            web.apply_service_error(form, exc)
        else:
            sent = signing.dumps(opinion.tracking_code, salt=SENT_SALT)
            return redirect(
                reverse("stations:opinion_sent", args=[station.pk]) + f"?t={sent}"
            )
    elif form.rate_limited:
        return _rate_limited(request)
    context["form"] = form
    response = render(request, "stations/network/code.html", context, status=400)
    add_never_cache_headers(response)
    return response


@require_GET
def code_png(request: HttpRequest, token: str) -> HttpResponse:
    """The code as a PNG image (for printing one card or a deputy's own use)."""
    target, refusal = _target(request, token)
    if refusal is not None:
        return refusal
    response = HttpResponse(codes.png(codes.code_url(token)), content_type="image/png")
    response["Content-Disposition"] = 'inline; filename="daibiaoma.png"'
    return response


def _station(request: HttpRequest, pk: int) -> Station:
    return get_object_or_404(
        Station.objects.visible_to(request.user).select_related("region"), pk=pk
    )


@login_required
@require_GET
def station_codes(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's codes: its own and one per active deputy, to print."""
    station = _station(request, pk)
    return render(
        request,
        "stations/network/codes.html",
        {"station": station, "cards": selectors.station_code_cards(station)},
    )


@login_required
@require_GET
def station_code_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The wall sheet as an A4 PDF: cards with name and code, cut along the lines."""
    station = _station(request, pk)
    if station.status != Station.Status.ACTIVE:
        return _invalid(request, 410)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    html = render_to_string(
        "stations/network/code_sheet.html",
        {"station": station, "cards": selectors.station_code_cards(station)},
    )
    response = HttpResponse(
        HTML(string=html).write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="codes-{station.code}.pdf"'
    return response


@login_required
@require_GET
def my_codes(request: HttpRequest) -> HttpResponse:
    """我的代表码: a deputy's code at each station they are grouped into."""
    if not scope_for(request.user).is_deputy:
        raise Forbidden(_("只有代表可以查看自己的代表码。"))
    return render(
        request,
        "stations/network/my_codes.html",
        {"codes": selectors.my_codes(request.user)},
    )
