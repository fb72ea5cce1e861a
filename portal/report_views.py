"""Pages of the supervision reports (namespace ``reports``, under ``staff/reports/``).

Thin, as STYLE.md asks: the scope decisions are ``portal.reports.service``'s
(not allowed to read reports → 403; a congress or a generated report out of
scope → 404), the work is its ``build_report`` and ``generated_report_create``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from portal.models import GeneratedReport, Session
from portal.reports import service
from portal.reports.html import report_context
from portal.reports.periods import PeriodError, parse_period

PERIOD_KINDS = ("year", "session", "range")


class ReportReaderMixin(LoginRequiredMixin):
    """Logged in (else the login page) and a reader of reports (else 403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not service.can_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _period_params(data) -> dict[str, str]:
    """Only the inputs of the chosen kind of period (all inputs are on the form)."""
    kind = data.get("period", "")
    if kind == "session":
        return {"session": data.get("session", "")}
    if kind == "range":
        return {"start": data.get("start", ""), "end": data.get("end", "")}
    if kind == "year":
        return {"year": data.get("year", "")}
    return {
        key: data.get(key, "")
        for key in ("year", "session", "start", "end")
        if data.get(key)
    }


def _form_context(request: HttpRequest, congress, data) -> dict[str, Any]:
    today = timezone.localdate()
    kind = data.get("period") or next(
        (k for k in ("session", "start", "year") if data.get(k)), "year"
    )
    return {
        "congresses": list(
            service.readable_congresses(request.user).order_by("region__path")
        ),
        "selected": congress,
        "sessions": (
            list(
                Session.objects.filter(term__congress=congress)
                .select_related("term__congress")
                .order_by("-start_date")
            )
            if congress
            else []
        ),
        "section_choices": service.available_sections(),
        "chosen_sections": set(data.getlist("sections"))
        or {s.key for s in service.available_sections()},
        "period_kind": "range" if kind == "start" else kind,
        "year": data.get("year") or today.year,
        "start": data.get("start") or date(today.year, 1, 1).isoformat(),
        "end": data.get("end") or today.isoformat(),
        "session_id": data.get("session", ""),
    }


class ReportIndexView(ReportReaderMixin, View):
    """Choose a congress, a period and the sections; the generated reports below."""

    template_name = "reports/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        congress = None
        if request.GET.get("congress"):
            congress = service.congress_for_report(
                request.user, request.GET["congress"]
            )
        congress = congress or service.default_congress(request.user)
        jobs = (
            service.generated_files_visible_to(request.user)
            .select_related("congress", "created_by")
            .order_by("-created_at", "-id")
        )
        page = Paginator(jobs, 20).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        return render(
            request,
            self.template_name,
            {**_form_context(request, congress, request.GET), "page": page},
        )


class ReportView(ReportReaderMixin, View):
    """The report as a page, from the newest computation of the chosen congress,
    period and sections; while the first one runs in the background, its progress."""

    template_name = "reports/report.html"
    pending_template_name = "reports/report_pending.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        congress = service.congress_for_report(
            request.user, request.GET.get("congress")
        )
        try:
            period = parse_period(_period_params(request.GET), congress=congress)
        except PeriodError as exc:
            messages.error(request, exc.message)
            return redirect(
                f"{reverse('reports:index')}?{urlencode({'congress': congress.pk})}"
            )
        snapshot = service.report_snapshot_request(
            congress=congress,
            period=period,
            actor=request.user,
            sections=request.GET.getlist("sections") or None,
        )
        job = snapshot.job
        status = _status_payload(job) if job is not None else None
        if snapshot.source_id is None:
            return render(
                request,
                self.pending_template_name,
                {"congress": congress, "period": period, "job": job, "status": status},
            )
        return render(
            request,
            self.template_name,
            {
                **_stored_document(request, snapshot),
                "mode": "web",
                "period_params": period.as_params(),
                "can_generate": service.can_generate(request.user, congress),
                "computed_at": snapshot.computed_at,
                "job": job,
                "status": status,
            },
        )


REPORT_DOCUMENT_CACHE_SECONDS = 900


def _stored_document(request: HttpRequest, snapshot) -> dict:
    """The report's document rendered once per stored computation and language.

    A stored computation never changes, so its document (236 KB for a
    province) is read from its data and rendered once and then kept in the
    cache; the page itself reads one narrow row (issue 14)."""
    key = f"report_document:{snapshot.source_id}:{get_language()}"
    stored = cache.get(key)
    if stored is None:
        report = snapshot.report
        context = {**report_context(report), "mode": "web"}
        stored = {
            "title": report.title,
            "congress_id": report.congress_id,
            "section_keys": [s.key for s in report.sections],
            "document": render_to_string("reports/_document.html", context, request),
        }
        cache.set(key, stored, REPORT_DOCUMENT_CACHE_SECONDS)
    return stored


class ReportGenerateView(ReportReaderMixin, View):
    """POST: queue the Excel, PDF and HTML files of a report (congress staff)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        congress = service.congress_for_report(
            request.user, request.POST.get("congress")
        )
        if not service.can_generate(request.user, congress):
            raise PermissionDenied
        try:
            period = parse_period(_period_params(request.POST), congress=congress)
        except PeriodError as exc:
            messages.error(request, exc.message)
            return redirect(
                f"{reverse('reports:index')}?{urlencode({'congress': congress.pk})}"
            )
        job = service.generated_report_create(
            congress=congress,
            period=period,
            actor=request.user,
            sections=request.POST.getlist("sections") or None,
        )
        messages.success(request, _("报告已开始生成，完成后可在本页下载。"))
        return redirect("reports:job", pk=job.pk)


def _job_or_404(request: HttpRequest, pk: int) -> GeneratedReport:
    return get_object_or_404(
        service.generated_reports_visible_to(request.user).select_related(
            "congress", "created_by"
        ),
        pk=pk,
    )


def _status_payload(job: GeneratedReport) -> dict[str, Any]:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.is_running,
        "percent": job.progress,
        "progress_text": _("已完成 %(percent)s%%") % {"percent": job.progress},
    }


class GeneratedReportView(ReportReaderMixin, View):
    """A generated report: progress while it runs, then its downloads."""

    template_name = "reports/job.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
        downloads = (
            [
                (fmt, label)
                for fmt, label in (
                    ("pdf", "PDF"),
                    ("xlsx", "Excel"),
                    ("html", _("网页")),
                )
                if getattr(job, f"{fmt}_file")
            ]
            if job.status == GeneratedReport.Status.DONE
            else []
        )
        return render(
            request,
            self.template_name,
            {"job": job, "status": _status_payload(job), "downloads": downloads},
        )


class GeneratedReportStatusView(ReportReaderMixin, View):
    """The job's progress as JSON, polled by static/js/reports.js."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        response = JsonResponse(_status_payload(_job_or_404(request, pk)))
        response["Cache-Control"] = "no-store"
        return response


class GeneratedReportDownloadView(ReportReaderMixin, View):
    """A generated file, for readers whose scope covers the report's congress."""

    def get(self, request: HttpRequest, pk: int, fmt: str) -> FileResponse:
        job = _job_or_404(request, pk)
        field = service.generated_report_file(job, fmt)
        response = FileResponse(
            field.open("rb"), content_type=service.CONTENT_TYPES[fmt]
        )
        response["Content-Disposition"] = content_disposition_header(
            True, service.file_name(job, fmt)
        )
        response["Cache-Control"] = "private, no-store"
        return response


app_name = "reports"

urlpatterns = [
    path("", ReportIndexView.as_view(), name="index"),
    path("view/", ReportView.as_view(), name="view"),
    path("generate/", ReportGenerateView.as_view(), name="generate"),
    path("generated/<int:pk>/", GeneratedReportView.as_view(), name="job"),
    path(
        "generated/<int:pk>/status/",
        GeneratedReportStatusView.as_view(),
        name="job_status",
    ),
    path(
        "generated/<int:pk>/<str:fmt>/",
        GeneratedReportDownloadView.as_view(),
        name="download",
    ),
]
