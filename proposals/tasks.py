"""Celery wrappers of proposals' periodic jobs (thin, see STYLE.md)."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def lapse_unrated_evaluations(day: str | None = None) -> int:
    """Daily: answers the deputy never rated, and commitments whose receipt never
    came, are handled as the rule set says (``unrated_after_days``,
    ``unrated_outcome``). ``day``: ISO date, default today. Idempotent: a lapsed
    item is no longer waiting."""
    today = date.fromisoformat(day) if day else None
    return services.evaluations_lapse(actor=None, today=today)
