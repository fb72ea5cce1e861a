"""The to-dos ("我的待办") livelihood_votes adds to the dashboard (see hooks.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from deputies.models import Mandate
from deputies.querysets import own_mandate_ids
from portal.policies import manages_any
from portal.registry import TODO_LIMIT, TodoItem
from portal.rules import rules_for
from portal.workdays import add_months

from ..models import (
    ChangeRequest,
    EvaluationParticipation,
    EvaluationRound,
    Participation,
    Project,
    VoteRound,
)
from ..policies import implements_any

# Plans and progress reports show up this many days before they are due.
DUE_SOON_DAYS = 7


def deputy_todos(user) -> list[TodoItem]:
    """A deputy: open electronic rounds of their congress they have not voted in,
    and open evaluations they have not taken; due the day they opened, in the
    portal's time zone (Asia/Shanghai), never the UTC date."""
    # Someone with no mandate has no ballot to cast (one cached read).
    if not own_mandate_ids(user):
        return []
    mandates = Mandate.objects.current().active().filter(person__user=user)
    congress_ids = mandates.values("congress_id")
    rounds = (
        VoteRound.objects.filter(
            programme__congress_id__in=congress_ids,
            status=VoteRound.Status.OPEN,
            mode=VoteRound.Mode.ELECTRONIC,
        )
        .exclude(
            Exists(
                Participation.objects.filter(round=OuterRef("pk"), mandate__in=mandates)
            )
        )
        .select_related("programme__congress")
        .order_by("opened_at", "id")[:TODO_LIMIT]
    )
    items = [
        TodoItem(
            title=_t("请参加%(programme)s第%(n)s轮票决")
            % {"programme": vote_round.programme, "n": vote_round.number},
            url=reverse("livelihood:vote", args=[vote_round.pk]),
            due_date=(
                timezone.localdate(vote_round.opened_at)
                if vote_round.opened_at
                else None
            ),
            kind="livelihood.vote",
        )
        for vote_round in rounds
    ]
    evaluations = (
        EvaluationRound.objects.filter(
            programme__congress_id__in=congress_ids,
            status=EvaluationRound.Status.OPEN,
            mode=VoteRound.Mode.ELECTRONIC,
        )
        .exclude(
            Exists(
                EvaluationParticipation.objects.filter(
                    round=OuterRef("pk"), mandate__in=mandates
                )
            )
        )
        .select_related("programme__congress")
        .order_by("opened_at", "id")[:TODO_LIMIT]
    )
    items += [
        TodoItem(
            title=_t("请对%(programme)s进行满意度测评")
            % {"programme": evaluation.programme},
            url=reverse("livelihood:evaluate", args=[evaluation.pk]),
            due_date=timezone.localdate(evaluation.opened_at),
            kind="livelihood.evaluate",
        )
        for evaluation in evaluations
    ]
    return items


def implementer_todos(user) -> list[TodoItem]:
    """Township government and implementing units: plans due (or late) and
    progress reports due by the congress's reporting period."""
    if not implements_any(user):
        return []
    today = timezone.localdate()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    mine = Project.objects.implemented_by(user)
    items = []
    for project in (
        mine.filter(
            status=Project.Status.PLANNING,
            plan_submitted_at__isnull=True,
            plan_due__lte=soon,
        )
        .select_related("candidate")
        .order_by("plan_due", "id")[:TODO_LIMIT]
    ):
        items.append(
            TodoItem(
                title=_t("请提交民生实事项目实施计划：%(title)s")
                % {"title": project.candidate.title},
                url=reverse("livelihood:project", args=[project.pk]),
                due_date=project.plan_due,
                kind="livelihood.plan",
            )
        )
    implementing = list(
        mine.filter(status=Project.Status.IMPLEMENTING)
        .select_related("candidate", "programme__congress__region")
        .annotate(last_report=Max("reports__date"))
        .order_by("id")
    )
    months: dict[int, int] = {}
    due_rows = []
    for project in implementing:
        congress = project.programme.congress
        if congress.pk not in months:
            months[congress.pk] = rules_for(congress).livelihood_progress_report_months
        last = project.last_report
        if last is None and project.plan_submitted_at is not None:
            last = timezone.localdate(project.plan_submitted_at)
        if last is None:
            continue
        due = add_months(last, months[congress.pk])
        if due <= soon:
            due_rows.append((due, project))
    due_rows.sort(key=lambda row: (row[0], row[1].pk))
    for due, project in due_rows[:TODO_LIMIT]:
        items.append(
            TodoItem(
                title=_t("请报送民生实事项目进度：%(title)s")
                % {"title": project.candidate.title},
                url=reverse("livelihood:project", args=[project.pk]),
                due_date=due,
                kind="livelihood.progress",
            )
        )
    return items


def staff_todos(user) -> list[TodoItem]:
    """Township congress staff: change and termination requests awaiting the
    presidium's decision in the regions they manage."""
    if not manages_any(user):
        return []
    pending = list(
        ChangeRequest.objects.managed_by(user)
        .filter(status=ChangeRequest.Status.PENDING)
        .select_related("project__candidate")
        .order_by("created_at", "id")[:TODO_LIMIT]
    )
    return [
        TodoItem(
            title=_t("%(kind)s待主席团审议：%(title)s")
            % {
                "kind": change.get_kind_display(),
                "title": change.project.candidate.title,
            },
            url=reverse("livelihood:project", args=[change.project_id]),
            kind="livelihood.change",
        )
        for change in pending
    ]
