"""Public pages (DESIGN.md §6, §9): programmes by township and year; a programme's
candidates, results with counts, progress with photos and grades; an adopted
project's page with its progress history; "我要提项目"
with a tracking code, and following an idea by that code. What they show comes
from ``selectors.public``, through the privacy scrub."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from portal import web
from portal.ratelimit import client_address, client_ip, hit
from portal.services import DomainError

from .. import forms, selectors, services
from ..models import Programme

P = Programme.Phase
TRACK_LOOKUPS_PER_HOUR = 30
SENT_SALT = "livelihood.idea_sent"
SENT_MAX_AGE = 24 * 60 * 60


def _rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "livelihood/rate_limited.html", status=429)
    response["Retry-After"] = "3600"
    return response


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Programmes by township and year, newest first; filter by county and year."""
    listing = selectors.public_programmes(
        county=request.GET.get("county", ""), year=request.GET.get("year", "")
    )
    page, page_range = web.paginate(request, listing.pop("programmes"))
    return render(
        request,
        "livelihood/public_list.html",
        {
            "page_obj": page,
            "page_range": page_range,
            "collecting": P.COLLECTING,
            **listing,
        },
    )


@require_GET
def public_programme(request: HttpRequest, pk: int) -> HttpResponse:
    """One programme in public: candidates once published, results with
    aggregate counts after close, progress with photos, grades."""
    programme = get_object_or_404(
        Programme.objects.select_related("congress__region__parent"), pk=pk
    )
    return render(
        request,
        "livelihood/public_programme.html",
        selectors.public_programme(programme),
    )


@require_GET
def public_project(request: HttpRequest, pk: int) -> HttpResponse:
    """One adopted project in public: description, congress, the vote's
    aggregate result, the implementing unit, progress history and the deputies'
    evaluation once published; 404 for a project that is not public. The same
    page for everyone (no personal data), so it may be cached like the others."""
    project = selectors.public_project_get(pk)
    return render(
        request, "livelihood/public_project.html", selectors.public_project(project)
    )


@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, pk: int) -> HttpResponse:
    """ "我要提项目": a citizen's idea while the programme is collecting, rate limited."""
    programme = get_object_or_404(
        Programme.objects.select_related("congress__region"), pk=pk
    )
    if programme.phase != P.COLLECTING:
        return render(
            request, "livelihood/idea_closed.html", {"programme": programme}, status=409
        )
    if request.method == "GET":
        form = forms.IdeaForm(programme=programme)
        return render(
            request, "livelihood/idea_form.html", {"programme": programme, "form": form}
        )

    form = forms.IdeaForm(
        request.POST, programme=programme, address=client_address(request)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            idea = services.idea_submit(
                programme=programme,
                title=data["title"],
                description=data["description"],
                location=data["location"],
                name=data["name"],
                phone=data["phone"],
                ip_address=client_ip(request),
                actor=None,
            )
        except (ValidationError, DomainError) as exc:
            web.apply_service_error(form, exc)
        else:
            token = signing.dumps(idea.tracking_code, salt=SENT_SALT)
            return redirect(
                reverse("livelihood:idea_sent", args=[programme.pk])
                + "?"
                + urlencode({"t": token})
            )
    elif form.rate_limited:
        return _rate_limited(request)
    response = render(
        request,
        "livelihood/idea_form.html",
        {"programme": programme, "form": form},
        status=400,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def idea_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation with the tracking code."""
    programme = get_object_or_404(Programme.objects.select_related("congress"), pk=pk)
    try:
        code = signing.loads(
            request.GET.get("t", ""), salt=SENT_SALT, max_age=SENT_MAX_AGE
        )
    except signing.BadSignature:
        return redirect("livelihood:idea_track")
    response = render(
        request,
        "livelihood/idea_sent.html",
        {
            "programme": programme,
            "code": code,
            "track_url": reverse("livelihood:idea_track")
            + "?"
            + urlencode({"code": code}),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def idea_track(request: HttpRequest) -> HttpResponse:
    """Follow an idea by its tracking code: status and screening reason only."""
    if "code" not in request.GET:
        return render(
            request, "livelihood/idea_track.html", {"form": forms.TrackForm()}
        )
    form = forms.TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "livelihood/idea_track.html", {"form": form}, status=400)
    if not hit("idea_track", client_address(request), limit=TRACK_LOOKUPS_PER_HOUR):
        return _rate_limited(request)
    idea = selectors.idea_tracking(form.cleaned_data["code"])
    response = render(
        request,
        "livelihood/idea_track.html",
        {"form": form, "searched": True, "idea": idea},
        status=200 if idea else 404,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def report_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A progress report's photo (public, like the progress itself)."""
    report = get_object_or_404(selectors.public_photos(), pk=pk)
    try:
        handle = report.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = (
        "image/png" if report.photo.name.lower().endswith(".png") else "image/jpeg"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
