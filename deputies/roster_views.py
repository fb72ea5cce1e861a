"""Roster import (upload → validation with progress → preview → commit), the
roster template and the Excel export of the deputy list (DESIGN.md §3, §7).

Thin views: the work is in ``deputies.roster``. Import jobs are looked up
through ``roster.imports_visible_to`` (out of scope → 404); only congress staff
who manage a region (and admins) may import (else 403).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.ratelimit import client_ip
from portal.services import DomainError

from . import roster
from .filters import MandateFilter
from .models import Mandate, RosterImport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RUNNING = (
    RosterImport.Status.UPLOADED,
    RosterImport.Status.VALIDATING,
    RosterImport.Status.IMPORTING,
)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("名册文件"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx），不超过 10 MB，第1行为表头。"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
        error_messages={
            "required": gettext_lazy("请选择要上传的名册文件。"),
            "empty": gettext_lazy("上传的文件是空的。"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if name.endswith(".xls"):
            raise ValidationError(
                _(
                    "不支持旧版 .xls 文件，请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后上传。"
                )
            )
        if not name.endswith(".xlsx"):
            raise ValidationError(_("只能上传 .xlsx 格式的 Excel 文件。"))
        if upload.size > roster.MAX_UPLOAD_BYTES:
            raise ValidationError(_("文件不能超过 10 MB。"))
        return upload


class ImporterRequiredMixin(LoginRequiredMixin):
    """Logged in (else the login page) and allowed to import rosters (else 403)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not roster.can_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _job_or_404(request: HttpRequest, pk: int) -> RosterImport:
    return get_object_or_404(roster.imports_visible_to(request.user), pk=pk)


def _status_payload(job: RosterImport) -> dict[str, Any]:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.status in RUNNING,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.progress_percent,
        "progress_text": _("已处理 %(done)s / %(total)s 行（%(percent)s%%）")
        % {
            "done": job.processed_rows,
            "total": job.total_rows,
            "percent": job.progress_percent,
        },
        "error_count": len(job.errors),
        "imported_count": job.imported_count,
    }


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
                form.add_error("file", exc.message)
            else:
                return redirect("deputies:roster_import_detail", pk=job.pk)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: RosterUploadForm) -> HttpResponse:
        recent = roster.imports_visible_to(request.user).select_related("created_by")[
            :10
        ]
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "recent": recent,
                "max_rows": roster.MAX_ROWS,
                "sync_limit": roster.SYNC_ROW_LIMIT,
            },
        )


class RosterImportDetailView(LoginRequiredMixin, View):
    """Progress while validating or importing; then the errors with row numbers,
    the preview of the first rows and the confirm button."""

    template_name = "deputies/roster/detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
        errors = sorted(
            job.errors, key=lambda e: (e.get("row") is not None, e.get("row") or 0)
        )
        return render(
            request,
            self.template_name,
            {
                "job": job,
                "running": job.status in RUNNING,
                "status": _status_payload(job),
                "file_errors": [e for e in errors if e.get("row") is None],
                "row_errors": [e for e in errors if e.get("row") is not None],
                "error_row_count": len(
                    {e["row"] for e in errors if e.get("row") is not None}
                ),
                "headers": roster.HEADERS,
                "can_commit": job.status == RosterImport.Status.VALID
                and roster.can_import(request.user),
                "sync_limit": roster.SYNC_ROW_LIMIT,
            },
        )


class RosterImportStatusView(LoginRequiredMixin, View):
    """The job's progress as JSON, polled by static/js/roster.js."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        job = _job_or_404(request, pk)
        response = JsonResponse(_status_payload(job))
        response["Cache-Control"] = "no-store"
        return response


class RosterImportCommitView(ImporterRequiredMixin, View):
    """Confirm the import of a validated roster (all rows or none)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
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
    """The deputy list, filtered as on the list page, as an .xlsx roster."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        filterset = MandateFilter(
            request.GET, queryset=Mandate.objects.visible_to(user), user=user
        )
        if not filterset.is_valid():
            return HttpResponseBadRequest(
                _("筛选条件不正确。").encode(), content_type="text/plain; charset=utf-8"
            )
        output = roster.export_mandates(
            filterset.qs, user=user, ip_address=client_ip(request)
        )
        filename = _("代表名册（%(date)s导出）.xlsx") % {
            "date": timezone.localdate().strftime("%Y%m%d")
        }
        return FileResponse(
            output, as_attachment=True, filename=filename, content_type=XLSX_TYPE
        )


urlpatterns = [
    path("roster/import/", RosterImportView.as_view(), name="roster_import"),
    path(
        "roster/import/<int:pk>/",
        RosterImportDetailView.as_view(),
        name="roster_import_detail",
    ),
    path(
        "roster/import/<int:pk>/status/",
        RosterImportStatusView.as_view(),
        name="roster_import_status",
    ),
    path(
        "roster/import/<int:pk>/commit/",
        RosterImportCommitView.as_view(),
        name="roster_import_commit",
    ),
    path("roster/template/", RosterTemplateView.as_view(), name="roster_template"),
    path("export/", MandateExportView.as_view(), name="export"),
]
