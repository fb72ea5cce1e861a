"""Periodic housekeeping of the core (thin wrappers; see STYLE.md)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clear_expired_sessions() -> None:
    """Delete expired sessions from the database (idempotent)."""
    call_command("clearsessions")


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_staged_uploads() -> int:
    """Delete files kept for a form's next submit once their token expired
    (``portal.web.uploads``; idempotent)."""
    from portal.web.uploads import purge_staged_uploads as purge

    return purge()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_notification(notification_id: int) -> str:
    """Send one e-mail/SMS notification (idempotent: a sent row is skipped)."""
    from .notifications import notification_deliver

    return notification_deliver(notification_id)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def run_reminders(day: str | None = None) -> dict:
    """Run every reminder job for ``day`` (ISO date; default today). Idempotent:
    each reminder exists once per key, so a re-run or a second worker sends nothing twice."""
    from datetime import date

    from django.core.cache import cache

    from .notifications import requeue_undelivered
    from .notifications import run_reminders as run

    requeue_undelivered()
    the_day = date.fromisoformat(day) if day else None
    lock = f"portal:run_reminders:{day or 'today'}"
    if not cache.add(lock, "1", timeout=25 * 60):
        return {"skipped": "another run in progress"}
    try:
        return dict(run(the_day))
    finally:
        cache.delete(lock)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_daily_digests() -> int:
    """Send today's digest e-mails (idempotent: digested rows are marked sent)."""
    from .notifications import send_daily_digests as send

    return send()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def generate_report(report_id: int) -> None:
    """Generate a queued supervision report's files (safe to run twice: a done
    report is left alone)."""
    from .models import GeneratedReport
    from .reports.service import generated_report_run

    job = GeneratedReport.objects.filter(pk=report_id).first()
    if job is None or job.status == GeneratedReport.Status.DONE:
        return
    generated_report_run(job=job)


@shared_task(acks_late=True, reject_on_worker_lost=True, time_limit=10 * 60)
def refresh_dashboard_cards() -> int:
    """Recompute the dashboard cards viewed lately (idempotent; a second run at the
    same time only does the work twice)."""
    from django.core.cache import cache

    from .reports.service import dashboard_snapshots_refresh

    if not cache.add("portal:refresh_dashboard_cards", "1", timeout=5 * 60):
        return 0
    try:
        return dashboard_snapshots_refresh()
    finally:
        cache.delete("portal:refresh_dashboard_cards")
