"""Daily reminder jobs of bills and suggestions (DESIGN.md §7). Each yields
``Reminder`` items; ``portal.notifications`` sends each exactly once.

Every job is a catch-up (see ``portal.notifications``): a milestone is yielded
from its day on while it is still current, never only on one exact day, so a run
after days without a worker or a beat sends what was missed — once, because its
key already exists the next time. Where one item has several milestones (15 and
5 days before its due date; due and late), only the tightest reached is yielded,
worded with the real days, and the looser ones are never sent afterwards."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef
from django.utils.translation import gettext_lazy, gettext_noop

from portal.notification_text import Message, choice_label
from portal.notifications import (
    Reminder,
    congress_staff,
    tightest_milestone,
    unit_staff,
    users_with_role,
)
from portal.rules import rules_for

from .deadlines import co_opinion_due_date, recess_assignment_due_date
from .models import (
    Assignment,
    Commitment,
    CoUnitOpinion,
    ExtensionRequest,
    PlannedSupervisionEvent,
    ReturnRequest,
    Suggestion,
)
from .selectors.common import deputy_users

HANDLING = ["assigned", "rehandling"]
# How far ahead the jobs look; each row's own rule days decide within it.
HORIZON_DAYS = 62


def _url(assignment: Assignment) -> str:
    return f"/proposals/assignments/{assignment.pk}/"


def assignments_due(day: date):
    """Units: assignments due within the rule's milestones (``reminder_due_days``:
    15 and 5 days before the due date), catch-up from each milestone's day until
    the due date itself (after it, ``assignments_overdue`` takes over).

    When a gap swallowed several milestones (both the 15- and the 5-day one
    passed unsent), only the tightest reached is sent, saying how many days are
    really left; the looser one is never sent afterwards
    (``portal.notifications.tightest_milestone``). The key holds the milestone
    and the due date, so an extension (a new due date) starts afresh."""
    rows = (
        Assignment.objects.open()
        .filter(
            due_date__gte=day,
            due_date__lte=day + timedelta(days=HORIZON_DAYS),
            suggestion__status__in=HANDLING,
        )
        .select_related("unit", "suggestion__congress")
    )
    memo: dict[int, list[int]] = {}
    for assignment in rows:
        congress = assignment.suggestion.congress
        days = memo.setdefault(congress.pk, list(rules_for(congress).reminder_due_days))
        left = (assignment.due_date - day).days
        milestone = tightest_milestone(left, days)
        if milestone is None:
            continue
        values = {
            "title": assignment.suggestion.title,
            "n": left,
            "due": assignment.due_date.isoformat(),
        }
        title = Message(
            gettext_noop("“%(title)s”今天到期（%(due)s），请按时答复")
            if left == 0
            else gettext_noop("“%(title)s”还有%(n)s天到期（%(due)s），请按时答复"),
            values,
        )
        for user in unit_staff(assignment.unit):
            yield Reminder(
                kind="assignment.due",
                recipient=user,
                target=assignment,
                milestone=f"due-{milestone}:{assignment.due_date.isoformat()}",
                title=title,
                url=_url(assignment),
            )


def assignments_overdue(day: date):
    """Overdue: the unit, its head and the congress staff, once per due date
    (catch-up: every day after the due date until the reply)."""
    rows = Assignment.objects.overdue(day).select_related(
        "unit__head", "suggestion__congress"
    )
    for assignment in rows:
        recipients = set(unit_staff(assignment.unit)) | set(
            congress_staff(assignment.suggestion.congress)
        )
        if assignment.unit.head is not None:
            recipients.add(assignment.unit.head)
        for user in recipients:
            yield Reminder(
                kind="assignment.overdue",
                recipient=user,
                target=assignment,
                milestone=f"overdue:{assignment.due_date.isoformat()}",
                title=Message(
                    gettext_noop("%(unit)s承办的“%(title)s”已超过办理期限（%(due)s）"),
                    {
                        "unit": assignment.unit.name,
                        "title": assignment.suggestion.title,
                        "due": assignment.due_date.isoformat(),
                    },
                ),
                url=_url(assignment),
            )


def assignments_unaccepted(day: date):
    """Not accepted (签收) after 3 days (rule ``unaccepted_reminder_days``), once,
    from that day on (catch-up), with the real number of days."""
    rows = Assignment.objects.filter(
        status="pending",
        suggestion__status__in=HANDLING,
        assigned_on__lte=day - timedelta(days=1),
    ).select_related("unit", "suggestion__congress")
    for assignment in rows:
        wait = rules_for(assignment.suggestion.congress).unaccepted_reminder_days
        waited = (day - assignment.assigned_on).days
        if waited < wait:
            continue
        for user in unit_staff(assignment.unit):
            yield Reminder(
                kind="assignment.unaccepted",
                recipient=user,
                target=assignment,
                milestone="unaccepted",
                title=Message(
                    gettext_noop("交办的“%(title)s”已%(n)s天未签收"),
                    {"title": assignment.suggestion.title, "n": waited},
                ),
                url=_url(assignment),
            )


def co_opinions_due(day: date):
    """Co-units whose opinion of the current round (again in rehandling) is due
    within the rule's days (``co_opinion_reminder_days``), then once more when
    it is late. Catch-up: a run that missed the "due" reminder after the due
    date has passed sends only the "late" one."""
    rows = (
        Assignment.objects.filter(role="co", suggestion__status__in=HANDLING)
        .exclude(status="returned")
        .exclude(
            Exists(
                CoUnitOpinion.objects.filter(
                    assignment=OuterRef("pk"), round=OuterRef("round")
                )
            )
        )
        .select_related("unit", "suggestion__congress")
    )
    for assignment in rows:
        due = co_opinion_due_date(assignment)
        ahead = rules_for(assignment.suggestion.congress).co_opinion_reminder_days
        if (due - day).days > ahead:
            continue
        late = due < day
        values = {"due": due.isoformat(), "title": assignment.suggestion.title}
        for user in unit_staff(assignment.unit):
            yield Reminder(
                kind="assignment.co_opinion_due",
                recipient=user,
                target=assignment,
                milestone=("co-opinion-late:" if late else "co-opinion:")
                + f"{assignment.round}:{due.isoformat()}",
                title=Message(
                    gettext_noop(
                        "对“%(title)s”的协办意见已超过期限（%(due)s），请尽快向主办单位提出"
                    )
                    if late
                    else gettext_noop(
                        "请于%(due)s前向主办单位提出对“%(title)s”的协办意见"
                    ),
                    values,
                ),
                url=_url(assignment),
            )


def requests_pending(day: date):
    """Extension and return requests waiting for the congress staff's decision
    (once per request, from the first run after it was made)."""
    for model, kind, label in (
        (ExtensionRequest, "request.extension", gettext_lazy("延期申请")),
        (ReturnRequest, "request.return", gettext_lazy("退办申请")),
    ):
        for request in model.objects.filter(status="pending").select_related(
            "assignment__suggestion__congress", "assignment__unit"
        ):
            for user in congress_staff(request.assignment.suggestion.congress):
                yield Reminder(
                    kind=kind,
                    recipient=user,
                    target=request,
                    milestone="pending",
                    title=Message(
                        gettext_noop("%(unit)s的%(label)s待审批：%(title)s"),
                        {
                            "unit": request.assignment.unit.name,
                            "label": label,
                            "title": request.assignment.suggestion.title,
                        },
                    ),
                    url="/proposals/requests/",
                )


def evaluations_waiting(day: date):
    """Deputies who have not rated a reply after 10 days (rule
    ``evaluation_reminder_days``), once per round from that day on (catch-up),
    with the real number of days since the reply."""
    rows = (
        Suggestion.objects.filter(status="replied")
        .select_related("lead__person__user", "congress")
        .annotate(last_reply=Max("assignments__replied_at"))
    )
    for suggestion in rows:
        user = suggestion.lead.person.user
        if user is None or suggestion.last_reply is None:
            continue
        wait = rules_for(suggestion.congress).evaluation_reminder_days
        waited = (day - suggestion.last_reply.date()).days
        if waited < wait:
            continue
        yield Reminder(
            kind="suggestion.evaluate",
            recipient=user,
            target=suggestion,
            milestone=f"round-{suggestion.round}",
            title=Message(
                gettext_noop("“%(title)s”已答复%(n)s天，请对办理结果作出评价"),
                {"title": suggestion.title, "n": waited},
            ),
            url=f"/proposals/{suggestion.pk}/",
        )


def commitments_due(day: date):
    """B/C commitments (承诺事项) not yet done. The unit: when one falls due
    within the rule's days (``commitment_reminder_days``), and once more when it
    is late. The deputies of the suggestion (lead, confirmed co-signers): once,
    when it falls due, so they can follow it up (跟踪落实).

    Catch-up: a run after a gap sends what is current — a unit whose "due"
    reminder was missed past the date gets only the "late" one; the deputies'
    reminder is sent on the first run on or after the due date."""
    rows = Commitment.objects.filter(
        status="pending", due_date__lte=day + timedelta(days=HORIZON_DAYS)
    ).select_related(
        "reply__assignment__unit",
        "reply__assignment__suggestion__congress",
        "reply__assignment__suggestion__lead__person__user",
    )
    for commitment in rows:
        assignment = commitment.reply.assignment
        suggestion = assignment.suggestion
        ahead = rules_for(suggestion.congress).commitment_reminder_days
        if (commitment.due_date - day).days > ahead:
            continue
        late = commitment.due_date < day
        due = commitment.due_date.isoformat()
        for user in unit_staff(assignment.unit):
            yield Reminder(
                kind="commitment.due",
                recipient=user,
                target=commitment,
                milestone=("late:" if late else "due:") + due,
                title=Message(
                    gettext_noop("承诺事项“%(text)s”%(state)s（%(due)s）"),
                    {
                        "text": commitment.text,
                        "due": due,
                        "state": gettext_lazy("已逾期")
                        if late
                        else gettext_lazy("即将到期"),
                    },
                ),
                url=_url(assignment),
            )
        if commitment.due_date > day:
            continue
        for user in deputy_users(suggestion):
            yield Reminder(
                kind="commitment.fell_due",
                recipient=user,
                target=commitment,
                milestone=f"fell-due:{due}",
                title=Message(
                    gettext_noop(
                        "%(unit)s对“%(title)s”承诺的“%(text)s”已到完成期限（%(due)s），"
                        "尚未报告落实"
                    ),
                    {
                        "unit": assignment.unit.name,
                        "title": suggestion.title,
                        "text": commitment.text,
                        "due": due,
                    },
                ),
                url=f"/proposals/{suggestion.pk}/",
            )


def _acting_congress(suggestion: Suggestion):
    return suggestion.handling_congress or suggestion.congress


def disclosures_due(day: date):
    """Congress staff: replies to review for publication (答复公开) falling due
    within the rule's days (``staff_deadline_reminder_days``), and overdue ones."""
    rows = Suggestion.objects.filter(
        disclosure_due_on__isnull=False,
        disclosure_due_on__lte=day + timedelta(days=HORIZON_DAYS),
    ).select_related("congress", "handling_congress")
    for suggestion in rows:
        congress = _acting_congress(suggestion)
        due = suggestion.disclosure_due_on
        if (due - day).days > rules_for(congress).staff_deadline_reminder_days:
            continue
        late = due < day
        for user in congress_staff(congress):
            yield Reminder(
                kind="suggestion.disclosure_due",
                recipient=user,
                target=suggestion,
                milestone=("late:" if late else "due:") + due.isoformat(),
                title=Message(
                    gettext_noop(
                        "“%(title)s”的答复已超过公开期限（%(due)s），请审核公开"
                    )
                    if late
                    else gettext_noop("“%(title)s”的答复应于%(due)s前审核公开"),
                    {"title": suggestion.title, "due": due.isoformat()},
                ),
                url=f"/proposals/{suggestion.pk}/disclosure/",
            )


def recess_assignments_due(day: date):
    """Congress staff: recess suggestions (闭会期间) registered and not yet
    assigned, due within the rule's days or overdue
    (``recess_assignment_working_days`` after registration)."""
    rows = Suggestion.objects.filter(
        kind=Suggestion.Kind.SUGGESTION,
        status="registered",
        session__isnull=True,
        registered_at__isnull=False,
    ).select_related("congress", "handling_congress")
    for suggestion in rows:
        congress = _acting_congress(suggestion)
        rules = rules_for(congress)
        due = recess_assignment_due_date(suggestion, rules)
        if due is None or (due - day).days > rules.staff_deadline_reminder_days:
            continue
        late = due < day
        for user in congress_staff(congress):
            yield Reminder(
                kind="suggestion.recess_assign_due",
                recipient=user,
                target=suggestion,
                milestone=("late:" if late else "due:") + due.isoformat(),
                title=Message(
                    gettext_noop(
                        "闭会期间建议“%(title)s”已超过交办期限（%(due)s），请尽快交办"
                    )
                    if late
                    else gettext_noop("闭会期间建议“%(title)s”应于%(due)s前交办"),
                    {"title": suggestion.title, "due": due.isoformat()},
                ),
                url=f"/proposals/{suggestion.pk}/",
            )


def weekly_digest(day: date):
    """Congress staff and leaders get the week's figures of their region, once
    per ISO week: on Monday, or on the first run of the week when Monday's was
    missed (catch-up; a whole week without a run skips that week's digest, the
    next one counts from its own day)."""
    from portal.models import Role, RoleGrant

    week = day.isocalendar()
    grants = RoleGrant.objects.filter(
        role__in=[Role.CONGRESS_STAFF, Role.LEADER]
    ).select_related("user", "congress")
    for grant in grants:
        user = grant.user
        scope = Suggestion.objects.governed_by(user)
        assignments = Assignment.objects.governed_by(user)
        figures = {
            "new": scope.filter(submitted_at__date__gt=day - timedelta(days=7)).count(),
            "due": assignments.open()
            .filter(due_date__gte=day, due_date__lt=day + timedelta(days=7))
            .count(),
            "overdue": assignments.overdue(day).count(),
            "dissatisfied": scope.filter(
                evaluations__result="dissatisfied",
                evaluations__submitted_at__date__gt=day - timedelta(days=7),
            )
            .distinct()
            .count(),
        }
        yield Reminder(
            kind="digest.weekly",
            recipient=user,
            target=grant.congress,
            milestone=f"{week.year}-W{week.week:02d}",
            title=Message(
                gettext_noop(
                    "本周议案建议办理情况：新提交%(new)s件，7日内到期%(due)s件，超期%(overdue)s件，不满意%(dissatisfied)s件"
                ),
                figures,
            ),
            url="/proposals/manage/",
        )


def planned_supervision_events(day: date):
    """Key supervision (重点督办): the leader, the congress staff and the planner
    are reminded of a planned event the rule's days before it
    (``visit_reminder_days``: the day before). Catch-up: from that day on until
    the event's day has passed, once per planned event; a cancelled one is not
    reminded (``planned_event_cancel`` tells those already reminded)."""
    rows = PlannedSupervisionEvent.objects.filter(
        cancelled_at__isnull=True,
        date__gte=day,
        date__lte=day + timedelta(days=HORIZON_DAYS),
    ).select_related("item__congress", "item__leader", "planned_by")
    for planned in rows:
        item = planned.item
        left = (planned.date - day).days
        if left > rules_for(item.congress).visit_reminder_days:
            continue
        recipients = set(congress_staff(item.congress))
        recipients |= {
            u
            for u in (item.leader, planned.planned_by)
            if u is not None and u.is_active
        }
        values = {
            "date": planned.date.isoformat(),
            "kind": choice_label(planned, "kind"),
            "title": item.title,
            "n": left,
        }
        if left == 0:
            msgid = gettext_noop("今天（%(date)s）%(kind)s：重点督办事项“%(title)s”")
        elif left == 1:
            msgid = gettext_noop("明天（%(date)s）%(kind)s：重点督办事项“%(title)s”")
        else:
            msgid = gettext_noop(
                "%(n)s天后（%(date)s）%(kind)s：重点督办事项“%(title)s”"
            )
        title = Message(msgid, values)
        for user in recipients:
            yield Reminder(
                kind="key_item.event_planned",
                recipient=user,
                target=planned,
                milestone=f"planned:{planned.date.isoformat()}",
                title=title,
                body=planned.purpose,
                url=f"/proposals/key/{item.pk}/",
            )


__all__ = ["users_with_role"]
