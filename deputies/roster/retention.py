"""Files with deputies' personal data do not stay on disk for ever (issue 15).

An uploaded roster (names, ID numbers, mobiles) and a written export are kept
``PERSONAL_FILE_RETENTION_DAYS`` (default 7) after the job was created, long
enough to correct and re-upload or to download; then the daily job
``deputies.tasks.purge_personal_files`` deletes the file and the parsed preview.
The job row stays (who, when, how many rows, the row errors, which name no
one), so the history of an import or export is kept without the data
(个人信息保护法 §19: kept no longer than the purpose needs).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import MandateExport, RosterImport
from .jobs import roster_import_fail

EXPIRED = gettext_lazy("名册文件已超过保存期限并已删除，请重新上传。")
_AWAITING_IMPORT = (RosterImport.Status.UPLOADED, RosterImport.Status.VALID)
# Jobs still working on their file are never purged under them.
_BUSY_IMPORTS = (RosterImport.Status.VALIDATING, RosterImport.Status.IMPORTING)
_BUSY_EXPORTS = (MandateExport.Status.QUEUED, MandateExport.Status.RUNNING)


class Purged(NamedTuple):
    imports: int
    exports: int


def purge_personal_files(*, now: datetime | None = None) -> Purged:
    """Delete the files (and import previews) of jobs older than the retention
    period; returns how many of each were purged. Idempotent."""
    cutoff = (now or timezone.now()) - timedelta(
        days=settings.PERSONAL_FILE_RETENTION_DAYS
    )
    imports = 0
    for job in (
        RosterImport.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=_BUSY_IMPORTS)
        .exclude(file="", preview=[])
        .only("pk", "file", "preview", "status")
        .iterator()
    ):
        if job.file:
            job.file.delete(save=False)
        job.file = ""
        job.preview = []
        job.save(update_fields=["file", "preview"])
        if job.status in _AWAITING_IMPORT:
            # Nothing left to import from: the job says why.
            roster_import_fail(job=job, reason=str(EXPIRED))
        imports += 1
    exports = 0
    for export in (
        MandateExport.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=_BUSY_EXPORTS)
        .exclude(file="")
        .only("pk", "file")
        .iterator()
    ):
        export.file.delete(save=False)
        export.file = ""
        export.save(update_fields=["file"])
        exports += 1
    return Purged(imports, exports)
