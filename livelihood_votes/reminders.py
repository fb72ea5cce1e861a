"""Monthly progress reports of livelihood projects (DESIGN.md §7)."""

from __future__ import annotations

from datetime import date

from django.db.models import Max
from django.utils.translation import gettext as _

from portal.models import Role
from portal.notifications import Reminder, unit_staff, users_with_role
from portal.rules import rules_for
from portal.workdays import add_months

from .models import Project


def progress_reports_due(day: date):
    """Projects under way whose last report is older than the reporting period (rule)."""
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
                title=_("请报送民生实事项目“%(title)s”%(period)s的进度")
                % {"title": project.candidate.title, "period": period},
                url=f"/livelihood/projects/{project.pk}/",
            )
