"""Reminders of livelihood projects (DESIGN.md §7): monthly progress reports
and planned supervision visits.

Both are catch-ups (``portal.notifications``): due from their day on while they
still matter, sent once per key."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max
from django.utils.translation import gettext_noop

from portal.models import Role, User
from portal.notification_text import Message
from portal.notifications import Reminder, congress_staff, unit_staff, users_with_role
from portal.rules import rules_for
from portal.workdays import add_months

from .models import PlannedVisit, Project, SupervisionGroup

# How far ahead the visit job looks; each congress's rule days decide within it.
HORIZON_DAYS = 62


def progress_reports_due(day: date):
    """Projects under way whose last report is older than the reporting period
    (rule ``livelihood_progress_report_months``): once per calendar month of the
    run while it stays late (catch-up: the first run of a month that finds it
    late sends it, whichever day that is)."""
    rows = (
        Project.objects.filter(status="implementing")
        .select_related("implementing_unit", "programme__congress", "candidate")
        .annotate(last_report=Max("reports__date"))
    )
    for project in rows:
        months = rules_for(project.programme.congress).livelihood_progress_report_months
        since = project.last_report or project.start_date or project.plan_due
        if add_months(since, months) > day:
            continue
        recipients = set(unit_staff(project.implementing_unit)) | set(
            users_with_role(
                Role.TOWNSHIP_GOV, region__path__startswith=project.region_path
            )
        )
        recipients |= set(
            users_with_role(Role.TOWNSHIP_GOV, unit=project.implementing_unit)
        )
        period = f"{day.year}-{day.month:02d}"
        for user in recipients:
            yield Reminder(
                kind="livelihood.progress_due",
                recipient=user,
                target=project,
                milestone=period,
                title=Message(
                    gettext_noop("请报送民生实事项目“%(title)s”%(period)s的进度"),
                    {"title": project.candidate.title, "period": period},
                ),
                url=f"/livelihood/projects/{project.pk}/",
            )


def planned_visits(day: date):
    """Supervision visits planned ahead (人大督): the deputies of the visiting
    group (of every group supervising the project when none is named), the
    congress staff and the planner are reminded the rule's days before
    (``visit_reminder_days``: the day before). Catch-up: from that day on until
    the visit's day has passed, once per planned visit; a cancelled one is not
    reminded (``planned_visit_cancel`` tells those already reminded)."""
    rows = (
        PlannedVisit.objects.filter(
            cancelled_at__isnull=True,
            date__gte=day,
            date__lte=day + timedelta(days=HORIZON_DAYS),
        )
        .select_related("project__programme__congress", "project__candidate")
        .select_related("planned_by")
    )
    for planned in rows:
        project = planned.project
        congress = project.programme.congress
        left = (planned.date - day).days
        if left > rules_for(congress).visit_reminder_days:
            continue
        groups = (
            [planned.group_id]
            if planned.group_id is not None
            else list(project.supervision_groups.values_list("pk", flat=True))
        )
        members = SupervisionGroup.members.through.objects.filter(
            supervisiongroup_id__in=groups
        ).values("mandate_id")
        recipients = set(
            User.objects.filter(is_active=True, person__mandates__in=members)
        )
        recipients |= set(congress_staff(congress))
        if planned.planned_by is not None and planned.planned_by.is_active:
            recipients.add(planned.planned_by)
        values = {
            "date": planned.date.isoformat(),
            "title": project.candidate.title,
            "n": left,
        }
        if left == 0:
            msgid = gettext_noop("今天（%(date)s）监督视察民生实事项目“%(title)s”")
        elif left == 1:
            msgid = gettext_noop("明天（%(date)s）监督视察民生实事项目“%(title)s”")
        else:
            msgid = gettext_noop("%(n)s天后（%(date)s）监督视察民生实事项目“%(title)s”")
        title = Message(msgid, values)
        for user in recipients:
            yield Reminder(
                kind="livelihood.visit_planned",
                recipient=user,
                target=planned,
                milestone=f"planned:{planned.date.isoformat()}",
                title=title,
                body=planned.purpose,
                url=f"/livelihood/projects/{project.pk}/",
            )
