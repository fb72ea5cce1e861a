"""Reminders of issue 17 in stations: the stations of a draft before its
comment period closes (rule ``consultation_closing_reminder_days``), catch-up
until the closing day; congress staff of a budget's congress while spending
waits for approval."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_noop

from portal.models import Role
from portal.notification_text import Message
from portal.notifications import Reminder, congress_staff, users_with_role
from portal.rules import rules_for

from .consultation_models import LegislativeDraft
from .funds_models import FundBudget

HORIZON_DAYS = 31


def consultation_closing(day: date):
    rows = (
        LegislativeDraft.objects.filter(
            status=LegislativeDraft.Status.OPEN,
            closes_on__gte=day,
            closes_on__lte=day + timedelta(days=HORIZON_DAYS),
        )
        .select_related("congress__region")
        .prefetch_related("stations")
    )
    for draft in rows:
        days = rules_for(draft.congress).consultation_closing_reminder_days
        left = (draft.closes_on - day).days
        if left > days:
            continue
        for station in draft.stations.all():
            for user in users_with_role(Role.STATION_STAFF, station_id=station.pk):
                yield Reminder(
                    kind="consultation.closing",
                    recipient=user,
                    target=draft,
                    milestone=f"closing:{draft.closes_on.isoformat()}:{station.pk}",
                    title=Message(
                        gettext_noop(
                            "法规草案“%(title)s”征求意见将于%(n)s天后截止，请及时报送意见"
                        ),
                        {"title": draft.title, "n": left},
                    ),
                    url=draft.get_absolute_url(),
                )


def spending_pending(day: date):
    rows = (
        FundBudget.objects.filter(
            status=FundBudget.Status.APPROVED, spendings__status="submitted"
        )
        .distinct()
        .select_related("congress", "group", "station")
    )
    for budget in rows:
        for user in congress_staff(budget.congress):
            yield Reminder(
                kind="fund.spending_pending",
                recipient=user,
                target=budget,
                milestone=f"pending:{day.isoformat()[:7]}",
                title=Message(
                    gettext_noop("%(name)s有代表活动经费支出待审批"),
                    {"name": budget.holder_name},
                ),
                url=budget.get_absolute_url(),
            )
