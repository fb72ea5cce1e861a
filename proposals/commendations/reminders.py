"""Reminder of commendations (issue 17): congress staff of the campaign's own
congress, before its nomination deadline (rule
``commendation_deadline_reminder_days``), catch-up until the day itself."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_noop

from portal.notification_text import Message
from portal.notifications import Reminder, congress_staff
from portal.rules import rules_for

from .models import Campaign

HORIZON_DAYS = 31


def campaign_deadlines(day: date):
    """Campaigns still nominating whose deadline is within the rule's days."""
    rows = Campaign.objects.filter(
        status=Campaign.Status.NOMINATING,
        nomination_deadline__gte=day,
        nomination_deadline__lte=day + timedelta(days=HORIZON_DAYS),
    ).select_related("congress__region")
    for campaign in rows:
        days = rules_for(campaign.congress).commendation_deadline_reminder_days
        left = (campaign.nomination_deadline - day).days
        if left > days:
            continue
        for user in congress_staff(campaign.congress):
            yield Reminder(
                kind="commendation.deadline",
                recipient=user,
                target=campaign,
                milestone=f"deadline:{campaign.nomination_deadline.isoformat()}",
                title=Message(
                    gettext_noop("评选“%(title)s”推荐将于%(n)s天后截止"),
                    {"title": campaign.title, "n": left},
                ),
                url=campaign.get_absolute_url(),
            )
