"""Read models of implementation (政府办) and its supervision (人大督): the project
list with red / amber / green flags and a project's page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .. import services
from ..models import ChangeRequest, PlannedVisit, Project
from ..policies import ProjectPolicy
from .common import FLAG_LABELS, flag_rows, grade_badge, grade_label


def project_worklist(user) -> QuerySet[Project]:
    """The projects the user implements or governs, newest programme first."""
    return (
        Project.objects.worklist_of(user)
        .select_related("candidate", "programme__congress", "implementing_unit__region")
        .order_by("-programme__year", "region_path", "candidate__order", "id")
    )


def project_rows(projects, *, user, today: date) -> list[dict[str, Any]]:
    """One page of the list: each project's flag, whether the user implements it
    and whether its plan is late."""
    rows = flag_rows(projects, today)
    for row in rows:
        project = row["project"]
        row["mine"] = ProjectPolicy.allows(user, "implement", project)
        row["plan_late"] = (
            project.plan_submitted_at is None and project.plan_due < today
        )
    return rows


def project_detail(project: Project, *, user) -> dict[str, Any]:
    """A project's page: facts, flag, progress reports, change requests and
    supervision visits, with the user's actions (``can_*``; fetch the project
    ``with_policy_facts()`` so asking them costs no query). Visits planned from
    today on are shown only to those who plan them (a visit may be unannounced
    to the implementing unit)."""
    today = timezone.localdate()
    flag = services.progress_flag(project, today)
    changes = list(
        project.change_requests.select_related("requested_by", "decided_by").order_by(
            "-created_at", "-id"
        )
    )
    visits = list(project.visits.select_related("group"))
    flags = ProjectPolicy.flags(user, project)
    planned_visits = (
        list(
            PlannedVisit.objects.filter(project=project)
            .upcoming(today)
            .select_related("group")
        )
        if flags["can_record_visit"]
        else []
    )
    reports = list(project.reports.select_related("reported_by"))
    pending_change = next(
        (c for c in changes if c.status == ChangeRequest.Status.PENDING), None
    )
    return {
        "project": project,
        "programme": project.programme,
        "today": today,
        "flag": flag,
        "flag_label": FLAG_LABELS[flag],
        "reports": reports,
        "changes": changes,
        "pending_change": pending_change,
        "visits": visits,
        "planned_visits": planned_visits,
        "grade_label": grade_label(project),
        "grade_badge": grade_badge(project),
        **flags,
    }
