"""Deadlines of the suggestion loop computed from the congress's rule set, shared
by services, reminders and read models (read-only)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from portal.rules import rules_for
from portal.workdays import add_months, add_working_days


def co_opinion_due_date(assignment) -> date:
    """When a co-unit's opinion of the current round is due: 1 month (rule
    ``co_unit_opinion_months``) after the assignment; in a rehandling round the
    same span from the round's start, never after the round's own due date."""
    months = rules_for(assignment.suggestion.congress).co_unit_opinion_months
    if assignment.round <= 1:
        return add_months(assignment.assigned_on, months)
    start = timezone.localdate(assignment.round_started_at)
    return min(add_months(start, months), assignment.due_date)


def recess_assignment_due_date(suggestion, rules=None) -> date | None:
    """A recess suggestion (闭会期间, no session) is assigned within N working days
    of its registration (rule ``recess_assignment_working_days``)."""
    if suggestion.session_id is not None or suggestion.registered_at is None:
        return None
    rules = rules or rules_for(suggestion.congress)
    return add_working_days(
        timezone.localdate(suggestion.registered_at),
        rules.recess_assignment_working_days,
    )


def return_request_limit(assignment) -> date:
    """The last day a unit may ask to hand its part back (申请退办): N working
    days after the assignment (rule ``return_request_working_days``)."""
    days = rules_for(assignment.suggestion.congress).return_request_working_days
    return add_working_days(assignment.assigned_on, days)


def assign_by_date(suggestion, rules=None) -> date | None:
    """When a registered suggestion should be assigned (交办) at the latest: N
    working days (rule ``recess_assignment_working_days``, 及时交办) after its
    registration, or, for one raised at a session, after the session's close
    (the units get the session's suggestions once it is over). None before
    registration. ``suggestion.session`` is read (select it with the row)."""
    if suggestion.registered_at is None:
        return None
    return _in_time(suggestion, timezone.localdate(suggestion.registered_at), rules)


def review_by_date(suggestion, rules=None) -> date | None:
    """When the staff's review (审查) of a submitted item is due: a bill of a
    session before the session closes (the presidium decides it there); a
    suggestion within the same 及时交办 window counted from its submission, since
    立案 and 交办 both fall within it (``assign_by_date``)."""
    if suggestion.submitted_at is None:
        return None
    if suggestion.kind == "bill":
        return suggestion.session.end_date if suggestion.session_id else None
    return _in_time(suggestion, timezone.localdate(suggestion.submitted_at), rules)


def _in_time(suggestion, start: date, rules) -> date:
    if suggestion.session_id is not None and suggestion.session.end_date > start:
        start = suggestion.session.end_date
    rules = rules or rules_for(suggestion.congress)
    return add_working_days(start, rules.recess_assignment_working_days)
