"""Daily reminder jobs of the session work (issue 16), catch-ups in the sense of
``portal.notifications``: the leave-request deadline before a session and a
training course starting tomorrow. Each reminder is due from its day on while
it still matters, and its key makes it go out once."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.models import Session
from portal.notification_text import Message
from portal.notifications import Reminder
from portal.rules import rules_for

from .models import Mandate
from .session_models import Enrolment, LeaveRequest
from .session_services import leave_deadline


def leave_deadlines(day: date):
    """Active deputies of a session's term without a leave request, from
    ``session_leave_reminder_days`` (rule) before the leave deadline until the
    deadline itself; once per session."""
    sessions = Session.objects.filter(
        start_date__gte=day, start_date__lte=day + timedelta(days=60)
    ).select_related("term__congress__region")
    url = reverse("deputies:my_sessions")
    for session in sessions:
        rules = rules_for(session.term.congress)
        deadline = leave_deadline(session)
        if (
            not deadline - timedelta(days=rules.session_leave_reminder_days)
            <= day
            <= deadline
        ):
            continue
        asked = LeaveRequest.objects.filter(session=session).values("mandate_id")
        mandates = (
            Mandate.objects.filter(
                term_id=session.term_id,
                status=Mandate.Status.ACTIVE,
                person__user__isnull=False,
            )
            .exclude(pk__in=asked)
            .select_related("person__user")
        )
        for mandate in mandates:
            yield Reminder(
                kind="session.leave_deadline",
                recipient=mandate.person.user,
                target=session,
                milestone=f"leave:{deadline.isoformat()}",
                title=Message(
                    gettext_noop(
                        "%(session)s将于%(start)s开幕；因故不能出席的，请于%(deadline)s前请假"
                    ),
                    {
                        "session": session,
                        "start": session.start_date.isoformat(),
                        "deadline": deadline.isoformat(),
                    },
                ),
                url=url,
            )


def courses_tomorrow(day: date):
    """Enrolled deputies of a course, ``course_reminder_days`` (rule) before it
    starts and on the day itself; once per course and start date."""
    enrolments = Enrolment.objects.filter(
        status=Enrolment.Status.ENROLLED,
        course__start_date__gte=day,
        course__start_date__lte=day + timedelta(days=7),
        mandate__person__user__isnull=False,
    ).select_related("course__congress__region", "mandate__person__user")
    for enrolment in enrolments:
        course = enrolment.course
        ahead = rules_for(course.congress).course_reminder_days
        if (course.start_date - day).days > ahead:
            continue
        values = {
            "title": course.title,
            "date": course.start_date.isoformat(),
            "location": course.location or course.organiser,
        }
        yield Reminder(
            kind="course.tomorrow",
            recipient=enrolment.mandate.person.user,
            target=course,
            milestone=f"course:{course.start_date.isoformat()}",
            title=Message(
                gettext_noop("今天（%(date)s）请参加培训“%(title)s”（%(location)s）")
                if course.start_date == day
                else gettext_noop("%(date)s请参加培训“%(title)s”（%(location)s）"),
                values,
            ),
            url=reverse("deputies:course_detail", args=[course.pk]),
        )
