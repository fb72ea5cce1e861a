"""Builders shared by the session and training tests (issue 16)."""

from datetime import date, timedelta

from django.utils import timezone

from portal.models import Session


def make_session(term, number: int = 1, start: date | None = None, days: int = 3):
    """A session of ``term`` (by default opening today, so pages may record it)."""
    start = start or timezone.localdate()
    return Session.objects.create(
        term=term,
        number=number,
        start_date=start,
        end_date=start + timedelta(days=days),
    )
