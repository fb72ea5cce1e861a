"""Celery wrappers of deputies' long jobs (thin, see STYLE.md): take ids,
re-fetch, return if gone or already done, call one function of ``roster``."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from portal.models import User

from . import roster
from .models import MandateExport, RosterImport


@shared_task(acks_late=True, reject_on_worker_lost=True)
def validate_roster_import(import_id: int) -> None:
    """Validate a large uploaded roster (progress in ``processed_rows``)."""
    job = RosterImport.objects.select_related("created_by").filter(pk=import_id).first()
    if job is None or job.status not in (
        RosterImport.Status.UPLOADED,
        RosterImport.Status.VALIDATING,
    ):
        return
    if job.created_by is None or not job.created_by.is_active:
        roster.roster_import_fail(job=job, reason=_("上传人的账户已停用，名册未校验。"))
        return
    roster.roster_import_validate(job=job, user=job.created_by)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def commit_roster_import(import_id: int, actor_id: int) -> None:
    """Import a validated large roster, all rows or none.

    Safe to run twice (a redelivered message): the commit locks the job and
    does nothing once it is done.
    """
    job = RosterImport.objects.filter(pk=import_id).first()
    if job is None or job.status != RosterImport.Status.IMPORTING:
        return
    actor = User.objects.filter(pk=actor_id, is_active=True).first()
    if actor is None:
        roster.roster_import_fail(
            job=job, reason=_("确认导入的账户已停用，未写入任何数据。")
        )
        return
    roster.roster_import_commit(job=job, actor=actor)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_mandates_of_new_terms(day: str | None = None) -> int:
    """Daily (beat): 任期届满 of the deputies whose congress's next term has held
    its first session by ``day`` (ISO date; default today). Idempotent."""
    from datetime import date

    from django.utils import timezone

    from . import services

    today = date.fromisoformat(day) if day else timezone.localdate()
    return services.mandates_expire_due(today=today, actor=None)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_mandate_export(export_id: int) -> None:
    """Write a large export of the deputy list (progress in ``processed_rows``).

    Safe to run twice (a redelivered message): a done export is left alone.
    """
    job = MandateExport.objects.filter(pk=export_id).first()
    if job is None or job.status == MandateExport.Status.DONE:
        return
    roster.mandate_export_run(job=job)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_personal_files() -> dict:
    """Daily (beat): uploaded rosters and written exports past their retention
    (``deputies.roster.retention``)."""
    from .roster.retention import purge_personal_files as purge

    purged = purge()
    return {"imports": purged.imports, "exports": purged.exports}
