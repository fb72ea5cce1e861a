"""Reminder jobs of stations as networks (issue 17): a deputy behind their
duty target (once a month, in the month's first week), and a station's
annual assessment due (from the rule's month on, once a year)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.models import Role
from portal.notification_text import Message
from portal.notifications import Reminder, users_with_role
from portal.rules import rules_for_many

from ..models import Station, StationAssessment
from .selectors import assessing_congress, attended_in, expected_by, members_in

FIRST_WEEK = 7


def deputies_behind_duty_target(day: date):
    """Deputies whose duty days this year fall behind the rule's target pro
    rata; in the first week of each month (catch-up), once per month."""
    if day.day > FIRST_WEEK or day.month == 1:
        return
    mandates = list(
        members_in(Station.objects.active())
        .filter(person__user__isnull=False)
        .annotate(attended=attended_in(day.year))
        .select_related("person__user", "congress__region")
    )
    rules = rules_for_many({m.congress for m in mandates})
    for mandate in mandates:
        target = rules[mandate.congress_id].station_duty_days_per_year
        expected = expected_by(target, day.year, day)
        if mandate.attended >= expected:  # type: ignore[attr-defined]
            continue
        yield Reminder(
            kind="duty.behind_target",
            recipient=mandate.person.user,
            target=mandate,
            milestone=f"behind:{day.year}-{day.month:02d}",
            title=Message(
                gettext_noop(
                    "您今年已进站履职%(done)s次，按进度应不少于%(expected)s次"
                    "（全年目标%(target)s次）"
                ),
                {"done": mandate.attended, "expected": expected, "target": target},  # type: ignore[attr-defined]
            ),
            url=reverse("stations:my_codes"),
        )


def assessments_due(day: date):
    """Station staff of active stations with no assessment sent this year, from
    the month the assessing congress's rule names (once a year)."""
    done = StationAssessment.objects.filter(
        year=day.year, status__in=["submitted", "approved"]
    ).values("station_id")
    stations = list(
        Station.objects.active().exclude(pk__in=done).select_related("region")
    )
    assessors = {s.pk: assessing_congress(s) for s in stations}
    rules = rules_for_many({c for c in assessors.values() if c is not None})
    for station in stations:
        assessor = assessors[station.pk]
        if (
            assessor is None
            or day.month < rules[assessor.pk].station_assessment_due_month
        ):
            continue
        for user in users_with_role(Role.STATION_STAFF, station_id=station.pk):
            yield Reminder(
                kind="station.assessment_due",
                recipient=user,
                target=station,
                milestone=f"assessment:{day.year}",
                title=Message(
                    gettext_noop("请报送%(station)s%(year)s年度考评"),
                    {"station": station.name, "year": day.year},
                ),
                url=reverse("stations:network", args=[station.pk]),
            )
