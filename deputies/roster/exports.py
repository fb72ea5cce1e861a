"""The export of the deputy list: at once when it is small, else a
``MandateExport`` job written by Celery with progress and a download link
(its writes and the reads of its pages).

At province scale (145,000 rows) writing the .xlsx takes longer than a
gunicorn worker may hold a request (30-60 s), so exports of more than
``EXPORT_SYNC_ROW_LIMIT`` rows (more than a city's deputies) run in the
background; county and city exports stay immediate. Both write through
``excel.write_mandates``, with the list page's filter (``MandateFilter``).
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from typing import Any

from django.core.files import File
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from portal.services import DomainError

from .. import selectors
from ..models import MandateExport
from .excel import write_mandates

logger = logging.getLogger(__name__)

# Up to this many rows the file is written in the request (a city's ~11,000
# rows take a few seconds); more go to Celery.
EXPORT_SYNC_ROW_LIMIT = 20_000


def export_runs_in_background(total_rows: int) -> bool:
    """Whether an export of ``total_rows`` rows is written by Celery."""
    return total_rows > EXPORT_SYNC_ROW_LIMIT


def export_file_name(day) -> str:
    """代表名册（20260305导出）.xlsx."""
    return _("代表名册（%(date)s导出）.xlsx") % {"date": day.strftime("%Y%m%d")}


def _set(job: MandateExport, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    MandateExport.objects.filter(pk=job.pk).update(**fields)


def _fail(job: MandateExport, reason: str) -> MandateExport:
    _set(
        job,
        status=MandateExport.Status.FAILED,
        error=reason,
        finished_at=timezone.now(),
    )
    return job


def mandate_export_create(
    *,
    actor: User,
    query: str,
    total_rows: int,
    ip_address: str | None = None,
    reason: str = "",
) -> MandateExport:
    """Queue the export of the deputy list filtered by ``query`` (the list
    page's urlencoded filter) as ``actor`` sees it; the Celery task writes it."""
    from ..tasks import run_mandate_export

    job = MandateExport.objects.create(
        query=query,
        total_rows=total_rows,
        created_by=actor,
        ip_address=ip_address,
        reason=(reason or "").strip(),
    )
    run_mandate_export.delay_on_commit(job.pk)
    return job


def mandate_export_run(*, job: MandateExport) -> MandateExport:
    """Write the job's file, recording progress per chunk of rows. Returns at
    once when the job is done; a failure is recorded on the job (status
    ``failed`` with the reason; no reveal is logged), not raised."""
    job = MandateExport.objects.select_related("created_by").get(pk=job.pk)
    if job.status == MandateExport.Status.DONE:
        return job
    user = job.created_by
    _set(job, status=MandateExport.Status.RUNNING, processed_rows=0, error="")
    try:
        if not user.is_active:
            raise DomainError(_("导出人的账户已停用，名册未导出。"))
        filterset = selectors.mandate_search(user, QueryDict(job.query))
        if not filterset.is_valid():
            raise DomainError(_("筛选条件已不再有效，请回到代表名单重新导出。"))
        with tempfile.TemporaryFile() as output:
            written = write_mandates(
                filterset.qs,
                user=user,
                output=output,
                ip_address=job.ip_address,
                reason=job.reason,
                on_progress=lambda done: _set(job, processed_rows=done),
            )
            output.seek(0)
            job.file.save(f"{uuid.uuid4().hex}.xlsx", File(output), save=False)
    except DomainError as exc:
        return _fail(job, exc.message)
    except Exception:  # any failure is recorded on the job, for the user to see
        logger.exception("mandate export %s failed", job.pk)
        return _fail(
            job, _("导出没有完成，请稍后重新导出；如果一再失败，请联系系统管理员。")
        )
    _set(
        job,
        status=MandateExport.Status.DONE,
        file=job.file.name,
        total_rows=written,
        processed_rows=written,
        finished_at=timezone.now(),
    )
    return job


# --- reads (the job's pages) ----------------------------------------------------------


def mandate_export_get(user: User, pk: int) -> MandateExport:
    """An export job of the user's own (anyone else's → 404)."""
    return get_object_or_404(MandateExport.objects.visible_to(user), pk=pk)


def recent_exports(user: User, limit: int = 5) -> list[MandateExport]:
    """The user's latest background exports, newest first."""
    return list(MandateExport.objects.visible_to(user)[:limit])


def export_status(job: MandateExport) -> dict[str, Any]:
    """A job's progress (the job page and the JSON that job-progress.js polls)."""
    percent = job.progress_percent
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.is_running,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": percent,
        "progress_text": _("已导出 %(done)s / %(total)s 行（%(percent)s%%）")
        % {"done": job.processed_rows, "total": job.total_rows, "percent": percent},
    }


def mandate_export_file(job: MandateExport) -> File:
    """The job's stored file; 404 while it is not done."""
    if job.status != MandateExport.Status.DONE or not job.file:
        raise Http404
    return job.file
