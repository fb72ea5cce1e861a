"""Roster import (upload → validation with progress → preview → commit), the
roster template and the Excel export of the deputy list (DESIGN.md §3, §7):
immediate when small, a background ``MandateExport`` job when large.

The work is in ``deputies.roster``. Import jobs are looked up through
``RosterImport.objects.visible_to`` (out of scope → 404); who may import is
``RosterPolicy`` (else 403). Export jobs through ``MandateExport.objects.visible_to``:
only whoever asked for one sees it (anyone else → 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from portal.ratelimit import client_ip
from portal.services import DomainError
from portal.web import apply_service_error

from .. import roster, selectors
from ..forms import XLSX_TYPE, FullExportForm, RosterUploadForm
from ..models import RosterImport
from ..policies import RosterPolicy, WorkspacePolicy


class ImporterRequiredMixin(LoginRequiredMixin):
    """Logged in (else the login page) and allowed to import rosters (else 403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            RosterPolicy.require(request.user, "import")
        return super().dispatch(request, *args, **kwargs)


class RosterImportView(ImporterRequiredMixin, View):
    """Upload a roster; small files are validated at once, large ones in Celery."""

    template_name = "deputies/roster/upload.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, RosterUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = roster.roster_import_create(
                    upload=form.cleaned_data["file"], actor=request.user
                )
            except DomainError as exc:
                apply_service_error(form, exc)
            else:
                return redirect("deputies:roster_import_detail", pk=job.pk)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: RosterUploadForm) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "recent": selectors.recent_imports(request.user),
                "max_rows": roster.MAX_ROWS,
                "sync_limit": roster.SYNC_ROW_LIMIT,
            },
        )


class RosterImportDetailView(LoginRequiredMixin, View):
    """Progress while validating or importing; then the errors with row numbers,
    the preview of the first rows and the confirm button."""

    template_name = "deputies/roster/detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = selectors.roster_import_get(request.user, pk)
        context = selectors.import_detail(request.user, job)
        return render(
            request,
            self.template_name,
            {
                **context,
                "headers": roster.HEADERS,
                "sync_limit": roster.SYNC_ROW_LIMIT,
            },
        )


class RosterImportStatusView(LoginRequiredMixin, View):
    """The job's progress as JSON, polled by static/js/roster.js."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = selectors.roster_import_get(request.user, pk)
        response = JsonResponse(selectors.import_status(job))
        response["Cache-Control"] = "no-store"
        return response


class RosterImportCommitView(ImporterRequiredMixin, View):
    """Confirm the import of a validated roster (all rows or none)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = selectors.roster_import_get(request.user, pk)
        try:
            job = roster.roster_import_confirm(job=job, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if job.status == RosterImport.Status.DONE:
                messages.success(
                    request,
                    _("已导入 %(count)s 名代表。") % {"count": job.imported_count},
                )
            elif job.status == RosterImport.Status.FAILED:
                messages.error(request, _("导入失败，未写入任何数据。原因见下方。"))
            else:
                messages.info(request, _("正在后台导入，请稍候。"))
        return redirect("deputies:roster_import_detail", pk=job.pk)


class RosterTemplateView(ImporterRequiredMixin, View):
    """The roster template (.xlsx) with an example row and the code lists."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            roster.template_workbook(request.user), content_type=XLSX_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=_("代表名册模板.xlsx")
        )
        return response


class MandateExportView(LoginRequiredMixin, View):
    """The deputy list, filtered as on the list page, as an .xlsx roster: at
    once when small (``roster.export_runs_in_background``), else a page that
    offers to write it in the background (a GET starts nothing).

    A GET exports mobiles and ID numbers masked. The full export is a POST
    with a reason (``FullExportForm``; ``?full=1`` shows that form), recorded
    with every deputy revealed; only staff who manage deputies may ask."""

    template_name = "deputies/export/confirm.html"
    full_template_name = "deputies/export/full.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # Who may open the roster may export it (else 403, like the list).
        WorkspacePolicy.require(user, "browse")
        query = request.GET.copy()
        asks_full = query.pop("full", None) is not None
        filterset = selectors.mandate_search(user, query)
        if not filterset.is_valid():
            return _bad_filter()
        if asks_full:
            WorkspacePolicy.require(user, "export_full")
            form = FullExportForm(initial={"query": query.urlencode()})
            return self._full_form(request, form, filterset.qs.count())
        return self._export(request, filterset.qs, query.urlencode(), reason="")

    def post(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        WorkspacePolicy.require(user, "browse")
        WorkspacePolicy.require(user, "export_full")
        form = FullExportForm(request.POST)
        query = QueryDict(request.POST.get("query", ""))
        filterset = selectors.mandate_search(user, query)
        if not filterset.is_valid():
            return _bad_filter()
        if not form.is_valid():
            return self._full_form(request, form, filterset.qs.count(), status=400)
        return self._export(
            request, filterset.qs, query.urlencode(), reason=form.cleaned_data["reason"]
        )

    def _full_form(self, request, form, total: int, status: int = 200):
        return render(
            request,
            self.full_template_name,
            {"form": form, "total": total},
            status=status,
        )

    def _export(self, request, queryset, query: str, *, reason: str) -> HttpResponse:
        user = request.user
        total = queryset.count()
        if roster.export_runs_in_background(total):
            if reason:  # the reason is given: start at once, as the page asked
                job = roster.mandate_export_create(
                    actor=user,
                    query=query,
                    total_rows=total,
                    ip_address=client_ip(request),
                    reason=reason,
                )
                messages.success(
                    request, _("名册已开始在后台导出，完成后可在本页下载。")
                )
                return redirect("deputies:export_job", pk=job.pk)
            return render(
                request,
                self.template_name,
                {
                    "total": total,
                    "query": query,
                    "sync_limit": roster.exports.EXPORT_SYNC_ROW_LIMIT,
                    "recent": roster.recent_exports(user),
                },
            )
        output = roster.export_mandates(
            queryset, user=user, ip_address=client_ip(request), reason=reason
        )
        response = FileResponse(
            output,
            as_attachment=True,
            filename=roster.export_file_name(timezone.localdate()),
            content_type=XLSX_TYPE,
        )
        response["Cache-Control"] = "private, no-store"
        return response


def _bad_filter() -> HttpResponse:
    return HttpResponseBadRequest(
        _("筛选条件不正确。").encode(), content_type="text/plain; charset=utf-8"
    )


class MandateExportCreateView(LoginRequiredMixin, View):
    """Start writing a large export in the background, then show its progress."""

    def post(self, request: HttpRequest) -> HttpResponse:
        WorkspacePolicy.require(request.user, "browse")
        query = request.POST.get("query", "")
        filterset = selectors.mandate_search(request.user, QueryDict(query))
        if not filterset.is_valid():
            return _bad_filter()
        job = roster.mandate_export_create(
            actor=request.user,
            query=query,
            total_rows=filterset.qs.count(),
            ip_address=client_ip(request),
        )
        messages.success(request, _("名册已开始在后台导出，完成后可在本页下载。"))
        return redirect("deputies:export_job", pk=job.pk)


class MandateExportJobView(LoginRequiredMixin, View):
    """A background export: progress while it runs, then the download link."""

    template_name = "deputies/export/job.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = roster.mandate_export_get(request.user, pk)
        return render(
            request,
            self.template_name,
            {"job": job, "status": roster.export_status(job)},
        )


class MandateExportStatusView(LoginRequiredMixin, View):
    """The export's progress as JSON, polled by static/js/job-progress.js."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = roster.mandate_export_get(request.user, pk)
        response = JsonResponse(roster.export_status(job))
        response["Cache-Control"] = "no-store"
        return response


class MandateExportDownloadView(LoginRequiredMixin, View):
    """The written file, for the member of staff who asked for it (else 404)."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = roster.mandate_export_get(request.user, pk)
        response = FileResponse(
            roster.mandate_export_file(job).open("rb"),
            as_attachment=True,
            filename=roster.export_file_name(timezone.localdate(job.created_at)),
            content_type=XLSX_TYPE,
        )
        response["Cache-Control"] = "private, no-store"
        return response
