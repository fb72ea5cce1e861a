"""Periodic housekeeping of the core (thin wrappers; see STYLE.md)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clear_expired_sessions() -> None:
    """Delete expired sessions from the database (idempotent)."""
    call_command("clearsessions")
