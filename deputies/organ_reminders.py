"""Daily reminder jobs of issue 16 (organs): standing-committee meetings
tomorrow for the invited deputies, and organ contact plans behind schedule for
the organ's staff.

Both are catch-ups (``portal.notifications``): a reminder is due from its day
on while it still matters, and its key makes it go out once.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.notification_text import Message
from portal.notifications import Reminder, unit_staff

from .organ_models import MeetingInvitation, OrganContactPlan
from .organ_selectors import plans_with_progress, progress_row


def meetings_tomorrow(day: date):
    """Deputies invited (and not declined) to a meeting, the day before; a run
    that missed that day still reminds them on the day itself; once per
    invitation and meeting date, never after it."""
    rows = MeetingInvitation.objects.filter(
        meeting__date__gte=day,
        meeting__date__lte=day + timedelta(days=1),
        status__in=[
            MeetingInvitation.Status.INVITED,
            MeetingInvitation.Status.ACCEPTED,
        ],
    ).select_related("meeting__congress", "mandate__person__user")
    for invitation in rows:
        user = invitation.mandate.person.user
        if user is None:
            continue
        meeting = invitation.meeting
        values = {"meeting": meeting, "date": meeting.date.isoformat()}
        yield Reminder(
            kind="standing_meeting.tomorrow",
            recipient=user,
            target=invitation,
            milestone=f"meeting:{meeting.date.isoformat()}",
            title=Message(
                gettext_noop("今天（%(date)s）请列席%(meeting)s")
                if meeting.date == day
                else gettext_noop("明天（%(date)s）请列席%(meeting)s"),
                values,
            ),
            body=invitation.topic,
            url=reverse("deputies:organ_my"),
        )


def plans_behind(day: date):
    """The staff of an organ whose contact plan of this year is behind its
    schedule (done < due × share of the year elapsed); once a month while it
    stays behind (the month is the milestone, so a missed run catches up)."""
    plans = plans_with_progress(
        OrganContactPlan.objects.filter(year=day.year).select_related("unit")
    )
    for plan in plans:
        row = progress_row(plan, day)
        if not row["behind"]:
            continue
        for user in unit_staff(plan.unit):
            yield Reminder(
                kind="organ_plan.behind",
                recipient=user,
                target=plan,
                milestone=f"behind:{day:%Y-%m}",
                title=Message(
                    gettext_noop(
                        "%(unit)s联系代表计划进度滞后：已联系%(done)s人次，"
                        "按时间进度应完成%(expected)s人次"
                    ),
                    {
                        "unit": plan.unit.name,
                        "done": row["done"],
                        "expected": row["expected"],
                    },
                ),
                url=reverse("deputies:organ_plan_detail", args=[plan.pk]),
            )
