"""Daily reminder jobs of stations: duty days tomorrow, opinions past due.

Both are catch-ups (``portal.notifications``): each reminder is due from its day
on while it still matters, and its key makes it go out once."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext_noop

from portal.models import Role
from portal.notification_text import Message, choice_label
from portal.notifications import Reminder, unit_staff, users_with_role

from .models import DutyAssignment, Opinion


def duty_days_tomorrow(day: date):
    """Deputies on the roster of a reception day, the day before. Catch-up: a
    run that missed the day before still reminds them on the day itself
    ("today"); once per duty day, never after it."""
    rows = (
        DutyAssignment.objects.filter(
            duty_day__date__gte=day, duty_day__date__lte=day + timedelta(days=1)
        )
        # issue 18: no reminder of a cancelled day.
        .exclude(duty_day__status="cancelled")
        .select_related("duty_day__station", "mandate__person__user")
    )
    for assignment in rows:
        user = assignment.mandate.person.user
        if user is None:
            continue
        duty = assignment.duty_day
        values = {
            "date": duty.date.isoformat(),
            "slot": choice_label(duty, "slot"),
            "station": duty.station.name,
        }
        yield Reminder(
            kind="duty.tomorrow",
            recipient=user,
            target=duty,
            milestone=f"duty:{duty.date.isoformat()}",
            title=Message(
                gettext_noop("今天（%(date)s%(slot)s）请到%(station)s接待群众")
                if duty.date == day
                else gettext_noop("明天（%(date)s%(slot)s）请到%(station)s接待群众"),
                values,
            ),
            url="/stations/manage/",
        )


def opinions_overdue(day: date):
    """Opinions not replied by their due date: the unit and whoever steers the
    loop (the station's staff, or the staff of the congress it was escalated to);
    once per round and due date, from the day after it (catch-up)."""
    for opinion in Opinion.objects.overdue(day).select_related(
        "current_unit", "station", "escalated_to"
    ):
        if opinion.escalated_to is not None:
            steering = users_with_role(
                Role.CONGRESS_STAFF, congress=opinion.escalated_to
            )
        else:
            steering = users_with_role(
                Role.STATION_STAFF, station_id=opinion.station_id
            )
        recipients = set(unit_staff(opinion.current_unit)) | set(steering)
        for user in recipients:
            yield Reminder(
                kind="opinion.overdue",
                recipient=user,
                target=opinion,
                milestone=f"overdue:{opinion.round}:{opinion.due_date.isoformat()}",
                title=Message(
                    gettext_noop("群众意见%(code)s已超过办理期限（%(due)s）"),
                    {
                        "code": opinion.tracking_code,
                        "due": opinion.due_date.isoformat(),
                    },
                ),
                url=f"/stations/opinions/{opinion.pk}/",
            )
