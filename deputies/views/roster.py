"""Roster import (upload → validation with progress → preview → commit), the
roster template and the Excel export of the deputy list (DESIGN.md §3, §7).

The work is in ``deputies.roster``. Import jobs are looked up through
``RosterImport.objects.visible_to`` (out of scope → 404); who may import is
``RosterPolicy`` (else 403).
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
from ..forms import XLSX_TYPE, RosterUploadForm
from ..models import RosterImport
from ..policies import RosterPolicy


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
    """The deputy list, filtered as on the list page, as an .xlsx roster."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        filterset = selectors.mandate_search(user, request.GET)
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
