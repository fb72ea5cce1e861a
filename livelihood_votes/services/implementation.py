"""Implementation (政府办) and supervision (人大督): plans, progress, change and
termination requests, supervision groups and visits (planned ahead, recorded)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.models import Mandate
from portal.models import Notification, User
from portal.notification_text import Message
from portal.services import (
    DomainError,
    TransitionError,
    audit_record,
    notification_create,
)

from ..models import (
    ChangeRequest,
    PlannedVisit,
    Programme,
    ProgressReport,
    Project,
    SupervisionGroup,
    SupervisionVisit,
)
from ..selectors.common import progress_flag  # noqa: F401


def project_submit_plan(
    *,
    project: Project,
    plan: str,
    start_date: date,
    planned_end: date,
    actor: User | None,
) -> Project:
    if project.status in (Project.Status.COMPLETED, Project.Status.TERMINATED):
        raise TransitionError(_("项目已完成或已终止，不能再修改实施计划。"))
    if not (plan or "").strip():
        raise DomainError(_("请填写实施计划。"), field="plan")
    if planned_end <= start_date:
        raise DomainError(_("计划完成日期应晚于开工日期。"), field="planned_end")
    project.plan, project.start_date, project.planned_end = (
        plan.strip(),
        start_date,
        planned_end,
    )
    project.plan_submitted_at = timezone.now()
    project.status = Project.Status.IMPLEMENTING
    project.save(
        update_fields=[
            "plan",
            "start_date",
            "planned_end",
            "plan_submitted_at",
            "status",
        ]
    )
    audit_record(
        actor=actor,
        action="project.plan",
        target=project,
        to_state=project.status,
        region_path=project.region_path,
    )
    return project


def progress_report(
    *,
    project: Project,
    date: date,
    progress: int,
    money_paid: Decimal,
    note: str,
    photo=None,
    confirm_lower: bool = False,
    actor: User | None,
) -> ProgressReport:
    """A monthly progress report: percent done and money paid (万元).

    Progress lower than the last report's (rework, a quantity cut) is refused
    with the two figures unless ``confirm_lower`` says the reporter means it
    (issue 18: progress went backwards without a word)."""
    if project.status in (Project.Status.TERMINATED,):
        raise TransitionError(_("项目已终止。"))
    if project.plan_submitted_at is None:
        raise TransitionError(_("请先提交实施计划。"))
    if not 0 <= progress <= 100:
        raise DomainError(_("进度应在0到100之间。"), field="progress")
    if money_paid < 0:
        raise DomainError(_("拨付金额不能为负数。"), field="money_paid")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if progress < locked.progress and not confirm_lower:
            raise DomainError(
                _(
                    "本次进度（%(new)s%%）低于上次报告的进度（%(last)s%%）。"
                    "如确属进度回退（如返工、核减工程量），请勾选确认后再提交，"
                    "并在进展情况中说明原因。"
                )
                % {"new": progress, "last": locked.progress},
                field="confirm_lower",
            )
        report = ProgressReport.objects.create(
            project=locked,
            date=date,
            progress=progress,
            money_paid=money_paid,
            note=note,
            photo=photo or "",
            reported_by=actor,
        )
        locked.progress, locked.money_paid = progress, money_paid
        if progress == 100:
            locked.status = Project.Status.COMPLETED
        locked.save(update_fields=["progress", "money_paid", "status"])
        project.progress, project.money_paid, project.status = (
            locked.progress,
            locked.money_paid,
            locked.status,
        )
    return report


def change_request_create(
    *,
    project: Project,
    kind: str,
    reason: str,
    proposed_change: str = "",
    actor: User | None,
) -> ChangeRequest:
    """Changes and termination need the presidium's consent."""
    if kind not in ChangeRequest.Kind.values:
        raise DomainError(_("申请类型不正确。"), field="kind")
    if not (reason or "").strip():
        raise DomainError(_("请说明理由。"), field="reason")
    if project.change_requests.filter(status=ChangeRequest.Status.PENDING).exists():
        raise TransitionError(_("已有待主席团审议的申请。"))
    return ChangeRequest.objects.create(
        project=project,
        kind=kind,
        reason=reason.strip(),
        proposed_change=proposed_change,
        requested_by=actor,
    )


def change_request_decide(
    *, request: ChangeRequest, consent: bool, actor: User | None
) -> ChangeRequest:
    if request.status != ChangeRequest.Status.PENDING:
        raise TransitionError(_("该申请已审议。"))
    with transaction.atomic():
        request.status = (
            ChangeRequest.Status.CONSENTED if consent else ChangeRequest.Status.REFUSED
        )
        request.decided_by, request.decided_at = actor, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
        project = request.project
        if consent and request.kind == ChangeRequest.Kind.TERMINATE:
            project.status = Project.Status.TERMINATED
            project.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="project.change_decide",
            target=project,
            to_state=request.status,
            reason=request.reason,
            region_path=project.region_path,
        )
    return request


def supervision_group_create(
    *,
    programme: Programme,
    name: str,
    members: list[Mandate],
    projects: list[Project],
    actor: User | None,
) -> SupervisionGroup:
    group = SupervisionGroup.objects.create(programme=programme, name=name.strip())
    group.members.set(members)
    group.projects.set(projects)
    return group


def supervision_visit_record(
    *,
    project: Project,
    date: date,
    findings: str,
    suggestion: str = "",
    group: SupervisionGroup | None = None,
    actor: User | None,
) -> SupervisionVisit:
    if not (findings or "").strip():
        raise DomainError(_("请填写视察发现的情况。"), field="findings")
    visit = SupervisionVisit.objects.create(
        project=project,
        group=group,
        date=date,
        findings=findings.strip(),
        suggestion=suggestion.strip(),
    )
    audit_record(
        actor=actor,
        action="project.visit",
        target=project,
        region_path=project.region_path,
    )
    return visit


def supervision_visit_answer(
    *, visit: SupervisionVisit, answer: str, actor: User | None
) -> SupervisionVisit:
    if not (answer or "").strip():
        raise DomainError(_("请填写回复。"), field="answer")
    visit.answer, visit.answered_at = answer.strip(), timezone.now()
    visit.save(update_fields=["answer", "answered_at"])
    return visit


def supervision_visit_plan(
    *,
    project: Project,
    date: date,
    purpose: str = "",
    group: SupervisionGroup | None = None,
    actor: User | None,
    today: date | None = None,
) -> PlannedVisit:
    """Plan a supervision visit (人大督) on a later day, by one of the project's
    supervision groups or by the staff; the group's deputies (or all groups'),
    the congress staff and the planner are reminded before it (rule
    ``visit_reminder_days``; ``livelihood_votes.reminders.planned_visits``).
    What it found is recorded afterwards with ``supervision_visit_record``."""
    today = today or timezone.localdate()
    if date <= today:
        raise DomainError(
            _("计划日期应晚于今天（%(today)s）；已经开展的视察请直接记录。")
            % {"today": today.isoformat()},
            field="date",
        )
    if group is not None and not group.projects.filter(pk=project.pk).exists():
        raise DomainError(_("所选监督小组不监督该项目。"), field="group")
    with transaction.atomic():
        planned = PlannedVisit.objects.create(
            project=project,
            group=group,
            date=date,
            purpose=(purpose or "").strip()[:300],
            planned_by=actor,
        )
        audit_record(
            actor=actor,
            action="project.plan_visit",
            target=project,
            reason=date.isoformat(),
            region_path=project.region_path,
        )
    return planned


def planned_visit_cancel(
    *, planned: PlannedVisit, actor: User | None, today: date | None = None
) -> PlannedVisit:
    """Cancel a planned visit before its day has passed (a no-op when already
    cancelled); whoever was already reminded is told."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (
            PlannedVisit.objects.select_for_update()
            .select_related("project__candidate")
            .get(pk=planned.pk)
        )
        if locked.cancelled_at is not None:
            return locked
        if locked.date < today:
            raise TransitionError(_("该监督视察的计划日期已过，不能取消。"))
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["cancelled_at"])
        project = locked.project
        audit_record(
            actor=actor,
            action="project.cancel_planned_visit",
            target=project,
            reason=locked.date.isoformat(),
            region_path=project.region_path,
        )
        reminded = list(
            User.objects.filter(
                pk__in=Notification.objects.about(locked).in_app().values("recipient")
            )
        )
        title = Message(
            gettext_noop("%(date)s对民生实事项目“%(title)s”的监督视察已取消"),
            {"date": locked.date.isoformat(), "title": project.candidate.title},
        )
        url = reverse("livelihood:project", args=[project.pk])

        def tell() -> None:
            for user in reminded:
                notification_create(
                    recipient=user,
                    kind="livelihood.visit_cancelled",
                    key=f"livelihood-visit-cancelled:{locked.pk}:{user.pk}",
                    title=title,
                    target=locked,
                    url=url,
                    actor=None,
                )

        transaction.on_commit(tell)
    return locked
