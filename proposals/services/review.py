"""The congress staff's review (立案, 退回, 不予立案, 并案) and assignment (交办,
改交) to handling units."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal import workflow
from portal.models import HandlingUnit, Sequence, User
from portal.notification_text import Message, choice_label
from portal.rules import rules_for
from portal.services import DomainError, TransitionError
from portal.workdays import add_months

from ..models import Assignment, Suggestion
from .common import (
    A,
    S,
    _award_merged,
    _award_registration,
    _event,
    _lock,
    _move,
    _notify,
    _refusal,
    _unit_users,
)


def suggestion_register(*, suggestion: Suggestion, actor: User | None) -> Suggestion:
    """立案: give the official number; the lead, the confirmed co-signers and the
    leads of suggestions merged into it earn their points (``_award_registration``).

    A bill is not registered by the staff: the presidium decides it
    (``bill_decide``); refused with 409."""
    with transaction.atomic():
        locked = _lock(suggestion)
        _refuse_undecided_bill(locked)
        if not workflow.check(locked, to=S.REGISTERED, refuse=_refusal):
            return locked
        number = Sequence.take(
            f"suggestion:{locked.congress_id}:{locked.year}:{locked.kind}"
        )
        _move(
            locked,
            S.REGISTERED,
            actor,
            action="register",
            number=number,
            registered_at=timezone.now(),
        )
        _award_registration(locked, actor)
    return locked


def _refuse_undecided_bill(suggestion: Suggestion) -> None:
    if suggestion.kind == Suggestion.Kind.BILL:
        raise TransitionError(
            _(
                "议案由大会主席团决定是否列入会议议程，不能立案或交办；"
                "主席团决定不列入会议议程的，转为建议后再交办。"
            )
        )


def suggestion_return(
    *, suggestion: Suggestion, reason: str, actor: User | None
) -> Suggestion:
    """退回修改 with the reason; the deputy edits and submits again."""
    if not (reason or "").strip():
        raise DomainError(_("请填写退回修改的理由。"), field="reason")
    with transaction.atomic():
        locked = _lock(suggestion)
        _move(
            locked,
            S.RETURNED,
            actor,
            action="return",
            note=reason,
            status_reason=reason.strip(),
        )
    return locked


def suggestion_reject(
    *, suggestion: Suggestion, reason: str, actor: User | None
) -> Suggestion:
    """不予立案 with the reason (not for bills: only the presidium decides them)."""
    if not (reason or "").strip():
        raise DomainError(_("请填写不予立案的理由。"), field="reason")
    with transaction.atomic():
        locked = _lock(suggestion)
        _refuse_undecided_bill(locked)
        _move(
            locked,
            S.NOT_REGISTERED,
            actor,
            action="reject",
            note=reason,
            status_reason=reason.strip(),
        )
    return locked


def suggestion_merge(
    *, suggestion: Suggestion, into: Suggestion, actor: User | None
) -> Suggestion:
    """并案: fold a duplicate into another of the same congress and year; its deputy
    still receives the answer of the one it was merged into. A lead whose
    suggestion was not registered earns the merge points once the suggestion it
    joins is registered (now, or at its registration)."""
    if into.pk == suggestion.pk:
        raise DomainError(_("不能与自身并案。"), field="into")
    if (into.congress_id, into.year) != (suggestion.congress_id, suggestion.year):
        raise DomainError(_("只能与同一人大、同一年度的议案建议并案。"), field="into")
    if into.status not in (S.SUBMITTED, S.REGISTERED, S.ASSIGNED):
        raise DomainError(
            _("并入的议案建议须处于已提交、已立案或已交办状态。"), field="into"
        )
    with transaction.atomic():
        locked = _lock(suggestion)
        moved = _move(
            locked, S.MERGED, actor, action="merge", note=into.title, merged_into=into
        )
        if moved:
            _event(into, "merge_in", actor, note=locked.title)
            target = Suggestion.objects.only("registered_at").get(pk=into.pk)
            if target.registered_at is not None and locked.registered_at is None:
                _award_merged(locked, actor)
    return locked


# --- assignment ---------------------------------------------------------------------


def suggestion_assign(
    *,
    suggestion: Suggestion,
    units: list[tuple[HandlingUnit, str]],
    due_date: date | None = None,
    actor: User | None,
    today: date | None = None,
) -> Suggestion:
    """交办 to one lead unit with co-units, or to several split units, in one step."""
    today = today or timezone.localdate()
    rules = rules_for(suggestion.congress)
    roles = [role for _unit, role in units]
    if not units:
        raise DomainError(_("请选择承办单位。"), field="units")
    if any(role not in Assignment.Role.values for role in roles):
        raise DomainError(_("承办方式不正确。"), field="units")
    if len({u.pk for u, _r in units}) != len(units):
        raise DomainError(_("同一承办单位不能重复交办。"), field="units")
    if Assignment.Role.SPLIT in roles:
        if set(roles) != {Assignment.Role.SPLIT}:
            raise DomainError(_("分办不能与主办、协办混用。"), field="units")
    elif roles.count(Assignment.Role.LEAD) != 1:
        raise DomainError(_("须确定且只能确定一个主办单位。"), field="units")
    acting = suggestion.handling_congress or suggestion.congress
    for unit, _role in units:
        if not unit.is_active or not unit.region.path.startswith(acting.region.path):
            raise DomainError(
                _("%(unit)s不是本级人大可以交办的单位。") % {"unit": unit.name},
                field="units",
            )
    cap = add_months(today, rules.extension_max_months)
    due = due_date or add_months(today, rules.assignment_due_months)
    if due <= today or due > cap:
        raise DomainError(
            _("办理期限应在今天之后、交办之日起%(n)s个月以内。")
            % {"n": rules.extension_max_months},
            field="due_date",
        )
    with transaction.atomic():
        locked = _lock(suggestion)
        _refuse_undecided_bill(locked)
        if not workflow.check(locked, to=S.ASSIGNED, refuse=_refusal):
            return locked
        created = Assignment.objects.bulk_create(
            [
                Assignment(
                    suggestion=locked,
                    unit=unit,
                    role=role,
                    assigned_on=today,
                    due_date=due,
                    original_due_date=due,
                    region_path=locked.region_path,
                )
                for unit, role in units
            ]
        )
        names = "、".join(f"{u.name}（{Assignment.Role(r).label}）" for u, r in units)
        _move(locked, S.ASSIGNED, actor, action="assign", note=names, round=1)
        transaction.on_commit(lambda: _notify_assigned(locked, created))
    return locked


def _notify_assigned(suggestion: Suggestion, assignments: list[Assignment]) -> None:
    for assignment in assignments:
        _notify(
            _unit_users(assignment.unit),
            kind="assignment.new",
            key=f"assigned:{assignment.pk}",
            title=Message(
                gettext_noop("新交办%(kind)s：%(title)s，办理期限%(due)s"),
                {
                    "kind": choice_label(suggestion, "kind"),
                    "title": suggestion.title,
                    "due": assignment.due_date.isoformat(),
                },
            ),
            target=assignment,
        )


def assignment_reassign(
    *,
    assignment: Assignment,
    unit: HandlingUnit,
    actor: User | None,
    today: date | None = None,
) -> Assignment:
    """After a return (退办) is approved, assign the part to another unit."""
    today = today or timezone.localdate()
    if assignment.status != A.RETURNED:
        raise TransitionError(_("只有已退办的交办可以改交其他单位。"))
    suggestion = assignment.suggestion
    acting = suggestion.handling_congress or suggestion.congress
    if not unit.region.path.startswith(acting.region.path):
        raise DomainError(
            _("%(unit)s不是本级人大可以交办的单位。") % {"unit": unit.name},
            field="unit",
        )
    if suggestion.assignments.live().filter(unit=unit).exists():
        raise DomainError(_("同一承办单位不能重复交办。"), field="unit")
    due = add_months(today, rules_for(suggestion.congress).assignment_due_months)
    with transaction.atomic():
        new = Assignment.objects.create(
            suggestion=suggestion,
            unit=unit,
            role=assignment.role,
            assigned_on=today,
            due_date=due,
            original_due_date=due,
            region_path=suggestion.region_path,
            round=suggestion.round or 1,
        )
        _event(suggestion, "reassign", actor, note=unit.name, unit=unit)
        transaction.on_commit(lambda: _notify_assigned(suggestion, [new]))
    return new
