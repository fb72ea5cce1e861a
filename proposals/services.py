"""Every write and transition of bills and suggestions (DESIGN.md §5).

Shape of each transition (STYLE.md): lock, no-op if already there, refuse with a
specific reason, change, record a SuggestionEvent (+ audit row), side effects on
commit. Deadlines and thresholds come from the congress's rule set.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from deputies.models import Activity, Mandate
from deputies.services import ensure_mandate_can, ledger_record
from portal.models import HandlingUnit, Role, Session, User
from portal.rules import rules_for
from portal.services import (
    DomainError,
    TransitionError,
    audit_record,
    notification_create,
    sequence_next,
)
from portal.workdays import add_months, add_working_days
from stations.models import Opinion

from .models import (
    Assignment,
    Commitment,
    Contact,
    CoSigner,
    CoUnitOpinion,
    Evaluation,
    ExtensionRequest,
    KeySupervisionItem,
    Reply,
    ReturnRequest,
    Suggestion,
    SuggestionEvent,
    SupervisionEvent,
    Urge,
)

S = Suggestion.Status
A = Assignment.Status
TEXT_FIELDS = ("title", "problem", "analysis", "proposals")
EDITABLE_FIELDS = {
    "title",
    "problem",
    "analysis",
    "proposals",
    "category",
    "is_public",
    "session",
    "research_note",
    "research_date",
    "research_place",
    "research_people",
}


# --- helpers ----------------------------------------------------------------------


def _event(
    suggestion: Suggestion,
    action: str,
    actor: User | None,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    unit: HandlingUnit | None = None,
    internal: bool = False,
) -> None:
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        unit=unit,
        note=note,
        internal=internal,
    )
    audit_record(
        actor=actor,
        action=f"suggestion.{action}",
        target=suggestion,
        from_state=from_status,
        to_state=to_status,
        reason=note,
        region_path=suggestion.region_path,
    )


def _lock(suggestion: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_for_update()
        .select_related("congress__region", "lead__person")
        .get(pk=suggestion.pk)
    )


def _refuse(suggestion: Suggestion, target: str) -> None:
    raise TransitionError(
        _("该%(kind)s当前状态为“%(status)s”，不能%(action)s。")
        % {
            "kind": suggestion.get_kind_display(),
            "status": suggestion.get_status_display(),
            "action": _TARGET_VERBS.get(target, Suggestion.Status(target).label),
        }
    )


# Lazy: this map is built at import, the refusal is rendered in the request's language.
_TARGET_VERBS = {
    S.SUBMITTED: pgettext_lazy("action", "提交"),
    S.REGISTERED: pgettext_lazy("action", "立案"),
    S.RETURNED: pgettext_lazy("action", "退回修改"),
    S.NOT_REGISTERED: pgettext_lazy("action", "不予立案"),
    S.MERGED: pgettext_lazy("action", "并案"),
    S.ASSIGNED: pgettext_lazy("action", "交办"),
    S.REPLIED: pgettext_lazy("action", "答复"),
    S.WITHDRAWN: pgettext_lazy("action", "撤回"),
}


def _move(
    suggestion: Suggestion, target: str, actor, *, action: str, note: str = "", **fields
) -> bool:
    """Apply a suggestion transition. Returns False when already there (no-op)."""
    if suggestion.status == target:
        return False
    if target not in Suggestion.TRANSITIONS[suggestion.status]:
        _refuse(suggestion, target)
    from_status = suggestion.status
    suggestion.status = target
    for key, value in fields.items():
        setattr(suggestion, key, value)
    suggestion.save(update_fields=["status", *fields])
    _event(
        suggestion, action, actor, from_status=from_status, to_status=target, note=note
    )
    return True


def _unit_users(unit: HandlingUnit):
    return User.objects.filter(
        grants__role=Role.UNIT_STAFF, grants__unit=unit
    ).distinct()


def _notify(users, *, kind: str, key: str, title: str, target) -> None:
    for user in users:
        if user is not None:
            notification_create(
                recipient=user,
                kind=kind,
                key=f"{key}:{user.pk}",
                title=title,
                target=target,
            )


def _deputy_users(suggestion: Suggestion):
    users = [suggestion.lead.person.user]
    users += [
        c.mandate.person.user
        for c in suggestion.cosigners.filter(status="confirmed").select_related(
            "mandate__person__user"
        )
    ]
    users += [
        child.lead.person.user
        for child in suggestion.merged_children.select_related("lead__person__user")
    ]
    return [u for u in users if u is not None]


# --- drafting -------------------------------------------------------------------


def suggestion_create(
    *,
    lead: Mandate,
    title: str,
    problem: str,
    analysis: str,
    proposals: str,
    kind: str = Suggestion.Kind.SUGGESTION,
    category: str = Suggestion.Category.OTHER,
    session: Session | None = None,
    is_public: bool = True,
    research_note: str = "",
    research_date: date | None = None,
    research_place: str = "",
    research_people: str = "",
    research_activities: list[Activity] | None = None,
    research_opinions: list[Opinion] | None = None,
    co_signers: list[Mandate] | None = None,
    source_opinion: Opinion | None = None,
    actor: User | None = None,
) -> Suggestion:
    """Start a draft led by ``lead`` (a deputy of the congress it is addressed to)."""
    if kind not in Suggestion.Kind.values:
        raise DomainError(_("类型不正确。"), field="kind")
    if category not in Suggestion.Category.values:
        raise DomainError(_("类别不正确。"), field="category")
    if session is not None and session.term.congress_id != lead.congress_id:
        raise DomainError(_("会议不属于该代表所在的人民代表大会。"), field="session")
    today = timezone.localdate()
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            kind=kind,
            congress=lead.congress,
            term=lead.term,
            session=session,
            year=session.start_date.year if session else today.year,
            title=title.strip(),
            problem=problem.strip(),
            analysis=analysis.strip(),
            proposals=proposals.strip(),
            category=category,
            lead=lead,
            delegation=lead.delegation,
            is_public=is_public,
            research_note=research_note,
            research_date=research_date,
            research_place=research_place,
            research_people=research_people,
            source_opinion=source_opinion,
            region_path=lead.congress.region.path,
            created_by=actor,
        )
        suggestion_set_research(
            suggestion=suggestion,
            activities=research_activities or [],
            opinions=research_opinions or ([source_opinion] if source_opinion else []),
        )
        if co_signers:
            suggestion_invite_cosigners(
                suggestion=suggestion, mandates=co_signers, actor=actor
            )
        _event(suggestion, "create", actor, to_status=S.DRAFT)
    return suggestion


def suggestion_set_research(
    *, suggestion: Suggestion, activities: list[Activity], opinions: list[Opinion]
) -> None:
    """Link the research basis: activities the lead took part in, opinions they collected."""
    lead = suggestion.lead
    for activity in activities:
        if not activity.attendances.filter(mandate=lead).exists():
            raise DomainError(
                _("只能关联本人参加的调研视察活动。"), field="research_activities"
            )
    for opinion in opinions:
        if not (
            opinion.deputies.filter(pk=lead.pk).exists()
            or opinion.converted_for_id == lead.pk
        ):
            raise DomainError(
                _("只能关联本人收集或转交本人的群众意见。"), field="research_opinions"
            )
    suggestion.research_activities.set(activities)
    suggestion.research_opinions.set(opinions)


def suggestion_update(
    *, suggestion: Suggestion, actor: User | None = None, **fields: Any
) -> Suggestion:
    """Edit a draft or a returned suggestion."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status not in (S.DRAFT, S.RETURNED):
            raise TransitionError(
                _("只有草稿或退回修改的%(kind)s可以修改。")
                % {"kind": locked.get_kind_display()}
            )
        for key, value in fields.items():
            setattr(
                locked,
                key,
                value.strip()
                if isinstance(value, str) and key in TEXT_FIELDS
                else value,
            )
        locked.save(update_fields=list(fields))
    return locked


def suggestion_invite_cosigners(
    *, suggestion: Suggestion, mandates: list[Mandate], actor: User | None = None
) -> None:
    """Invite deputies of the same congress and term to co-sign (they must confirm)."""
    if suggestion.status not in (S.DRAFT, S.RETURNED):
        raise TransitionError(_("提交后不能再邀请联名代表。"))
    for mandate in mandates:
        if mandate.pk == suggestion.lead_id:
            raise DomainError(_("领衔代表不能同时作为联名代表。"), field="co_signers")
        if mandate.term_id != suggestion.term_id:
            raise DomainError(
                _("联名代表须为同一届人民代表大会的代表。"), field="co_signers"
            )
    CoSigner.objects.bulk_create(
        [CoSigner(suggestion=suggestion, mandate=m) for m in mandates],
        ignore_conflicts=True,
    )
    transaction.on_commit(
        lambda: _notify(
            [m.person.user for m in mandates],
            kind="suggestion.cosign_invite",
            key=f"cosign:{suggestion.pk}",
            title=_("%(name)s邀请您联名：%(title)s")
            % {"name": suggestion.lead.person.name, "title": suggestion.title},
            target=suggestion,
        )
    )


def cosigner_respond(*, cosigner: CoSigner, accept: bool, user: User) -> CoSigner:
    """A co-signer confirms or declines electronically (only before registration)."""
    if cosigner.mandate.person.user_id != user.pk:
        raise DomainError(_("只能确认本人的联名。"))
    if cosigner.suggestion.status not in (S.DRAFT, S.SUBMITTED, S.RETURNED):
        raise TransitionError(_("该议案建议已进入办理，不能再确认联名。"))
    if accept:
        ensure_mandate_can(cosigner.mandate, "co_sign")
    target = CoSigner.Status.CONFIRMED if accept else CoSigner.Status.DECLINED
    if cosigner.status != target:
        cosigner.status = target
        cosigner.responded_at = timezone.now()
        cosigner.save(update_fields=["status", "responded_at"])
        _event(
            cosigner.suggestion,
            "cosign_confirm" if accept else "cosign_decline",
            user,
            note=cosigner.mandate.person.name,
        )
    return cosigner


def has_research_basis(suggestion: Suggestion) -> bool:
    """无调研不建议: a linked activity, a linked opinion, or a complete research note."""
    note_complete = all(
        [
            suggestion.research_note.strip(),
            suggestion.research_date,
            suggestion.research_place.strip(),
            suggestion.research_people.strip(),
        ]
    )
    return (
        note_complete
        or suggestion.research_activities.exists()
        or suggestion.research_opinions.exists()
    )


def suggestion_submit(
    *, suggestion: Suggestion, actor: User | None = None, now: datetime | None = None
) -> Suggestion:
    """Submit (or resubmit after return) through the quality gates of §5."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status == S.SUBMITTED:
            return locked
        if S.SUBMITTED not in Suggestion.TRANSITIONS[locked.status]:
            _refuse(locked, S.SUBMITTED)
        ensure_mandate_can(locked.lead, "submit")
        missing = [f for f in TEXT_FIELDS if not getattr(locked, f).strip()]
        if missing:
            raise DomainError(_("标题、问题、分析和建议均须填写。"), field=missing[0])
        if not has_research_basis(locked):
            raise DomainError(
                _(
                    "无调研不建议：请关联调研视察活动或群众意见，或填写调研情况（时间、地点、走访对象）。"
                ),
                field="research_basis",
            )
        if locked.kind == Suggestion.Kind.BILL:
            _check_bill(locked, now)
        _move(
            locked,
            S.SUBMITTED,
            actor,
            action="submit",
            submitted_at=now,
            status_reason="",
        )
        transaction.on_commit(lambda: _notify_staff_new(locked))
    return locked


def _check_bill(suggestion: Suggestion, now: datetime) -> None:
    session = suggestion.session
    if (
        session is None
        or session.bill_deadline is None
        or now > session.bill_deadline
        or timezone.localdate(now) > session.end_date
    ):
        raise DomainError(
            _("议案只能在人民代表大会会议期间、议案截止时间之前提出。"), field="session"
        )
    threshold = rules_for(suggestion.congress).bill_min_cosigners
    confirmed = suggestion.cosigners.filter(
        status="confirmed", mandate__status="active"
    ).count()
    if confirmed + 1 < threshold:
        raise DomainError(
            _("议案须由%(n)s名以上代表联名提出（含领衔代表），目前已确认%(m)s名。")
            % {"n": threshold, "m": confirmed + 1},
            field="co_signers",
        )


def _notify_staff_new(suggestion: Suggestion) -> None:
    """Tell the congress's staff a new item is waiting for review."""
    staff = User.objects.filter(
        grants__role=Role.CONGRESS_STAFF, grants__congress=suggestion.congress
    ).distinct()
    _notify(
        staff,
        kind="suggestion.submitted",
        key=f"submitted:{suggestion.pk}:{suggestion.submitted_at:%Y%m%d%H%M%S}",
        title=_("新%(kind)s待审查：%(title)s")
        % {"kind": suggestion.get_kind_display(), "title": suggestion.title},
        target=suggestion,
    )


def suggestion_withdraw(
    *, suggestion: Suggestion, actor: User | None = None, reason: str = ""
) -> Suggestion:
    """The lead deputy withdraws at any time before the first reply."""
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.first_replied_at is not None and locked.status != S.WITHDRAWN:
            raise TransitionError(_("已有答复，不能撤回。"))
        _move(locked, S.WITHDRAWN, actor, action="withdraw", note=reason)
    return locked


# --- staff review -------------------------------------------------------------------


def suggestion_register(
    *, suggestion: Suggestion, actor: User | None = None
) -> Suggestion:
    """立案: give the official number; the lead earns the registration points."""
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status == S.REGISTERED:
            return locked
        if S.REGISTERED not in Suggestion.TRANSITIONS[locked.status]:
            _refuse(locked, S.REGISTERED)
        number = sequence_next(
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
        kind = (
            "bill_registered"
            if locked.kind == Suggestion.Kind.BILL
            else "suggestion_registered"
        )
        ledger_record(
            mandate=locked.lead,
            kind=kind,
            occurred_on=timezone.localdate(),
            source=locked,
        )
    return locked


def suggestion_return(
    *, suggestion: Suggestion, reason: str, actor: User | None = None
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
    *, suggestion: Suggestion, reason: str, actor: User | None = None
) -> Suggestion:
    """不予立案 with the reason."""
    if not (reason or "").strip():
        raise DomainError(_("请填写不予立案的理由。"), field="reason")
    with transaction.atomic():
        locked = _lock(suggestion)
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
    *, suggestion: Suggestion, into: Suggestion, actor: User | None = None
) -> Suggestion:
    """并案: fold a duplicate into another of the same congress and year; its deputy
    still receives the answer of the one it was merged into."""
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
        _move(
            locked, S.MERGED, actor, action="merge", note=into.title, merged_into=into
        )
        _event(into, "merge_in", actor, note=locked.title)
    return locked


# --- assignment ---------------------------------------------------------------------


def suggestion_assign(
    *,
    suggestion: Suggestion,
    units: list[tuple[HandlingUnit, str]],
    due_date: date | None = None,
    actor: User | None = None,
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
    for unit, _role in units:
        if not unit.is_active or not unit.region.path.startswith(
            suggestion.congress.region.path
        ):
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
        if locked.status == S.ASSIGNED:
            return locked
        if S.ASSIGNED not in Suggestion.TRANSITIONS[locked.status]:
            _refuse(locked, S.ASSIGNED)
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
            title=_("新交办%(kind)s：%(title)s，办理期限%(due)s")
            % {
                "kind": suggestion.get_kind_display(),
                "title": suggestion.title,
                "due": assignment.due_date.isoformat(),
            },
            target=assignment,
        )


def assignment_reassign(
    *,
    assignment: Assignment,
    unit: HandlingUnit,
    actor: User | None = None,
    today: date | None = None,
) -> Assignment:
    """After a return (退办) is approved, assign the part to another unit."""
    today = today or timezone.localdate()
    if assignment.status != A.RETURNED:
        raise TransitionError(_("只有已退办的交办可以改交其他单位。"))
    suggestion = assignment.suggestion
    if not unit.region.path.startswith(suggestion.congress.region.path):
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


def _lock_assignment(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update()
        .select_related("suggestion__congress", "unit")
        .get(pk=assignment.pk)
    )


def _assignment_move(assignment: Assignment, target: str) -> bool:
    if assignment.status == target:
        return False
    if target not in Assignment.TRANSITIONS[assignment.status]:
        raise TransitionError(
            _("该交办当前状态为“%(status)s”，不能转为“%(target)s”。")
            % {
                "status": assignment.get_status_display(),
                "target": Assignment.Status(target).label,
            }
        )
    assignment.status = target
    return True


def _require_handling(assignment: Assignment) -> None:
    if assignment.suggestion.status not in Suggestion.HANDLING_STATES:
        raise TransitionError(_("该议案建议当前不在办理中。"))


def assignment_accept(
    *, assignment: Assignment, actor: User | None = None
) -> Assignment:
    """签收."""
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        _require_handling(locked)
        if _assignment_move(locked, A.ACCEPTED):
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["status", "accepted_at"])
            _event(locked.suggestion, "accept", actor, unit=locked.unit)
    return locked


def assignment_request_return(
    *,
    assignment: Assignment,
    reason: str,
    actor: User | None = None,
    today: date | None = None,
) -> ReturnRequest:
    """申请退办 within 7 working days (rule) of the assignment, with the reason."""
    today = today or timezone.localdate()
    if not (reason or "").strip():
        raise DomainError(_("请说明退办理由。"), field="reason")
    rules = rules_for(assignment.suggestion.congress)
    limit = add_working_days(assignment.assigned_on, rules.return_request_working_days)
    if today > limit:
        raise DomainError(
            _("退办申请应在交办之日起%(n)s个工作日内（%(limit)s前）提出，已超过期限。")
            % {"n": rules.return_request_working_days, "limit": limit.isoformat()},
            field="reason",
        )
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        _require_handling(locked)
        previous = locked.status
        if not _assignment_move(locked, A.RETURN_REQUESTED):
            return locked.return_requests.get(status="pending")
        locked.save(update_fields=["status"])
        request = ReturnRequest.objects.create(
            assignment=locked,
            reason=reason.strip(),
            previous_status=previous,
            requested_by=actor,
        )
        _event(
            locked.suggestion, "request_return", actor, note=reason, unit=locked.unit
        )
    return request


def return_decide(
    *, request: ReturnRequest, approve: bool, note: str = "", actor: User | None = None
) -> ReturnRequest:
    """Congress staff approve (the part is returned; reassign it) or refuse a return."""
    with transaction.atomic():
        request = ReturnRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ReturnRequest.Status.PENDING:
            raise TransitionError(_("该退办申请已处理。"))
        assignment = _lock_assignment(request.assignment)
        request.status = (
            ReturnRequest.Status.APPROVED if approve else ReturnRequest.Status.REJECTED
        )
        request.decided_by, request.decided_at, request.decision_note = (
            actor,
            timezone.now(),
            note,
        )
        request.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note"]
        )
        assignment.status = (
            A.RETURNED if approve else (request.previous_status or A.PENDING)
        )
        assignment.save(update_fields=["status"])
        _event(
            assignment.suggestion,
            "return_approved" if approve else "return_rejected",
            actor,
            note=note,
            unit=assignment.unit,
        )
    return request


def assignment_contact(
    *,
    assignment: Assignment,
    method: str,
    date: date,
    summary: str,
    actor: User | None = None,
) -> Contact:
    """Record a contact with the deputy (面商) — required before replying."""
    if method not in Contact.Method.values:
        raise DomainError(_("沟通方式不正确。"), field="method")
    if not (summary or "").strip():
        raise DomainError(_("请填写沟通情况。"), field="summary")
    if date > timezone.localdate():
        raise DomainError(_("沟通日期不能晚于今天。"), field="date")
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        _require_handling(locked)
        if locked.status == A.RETURNED:
            raise TransitionError(_("已退办的交办不能再记录沟通。"))
        if locked.status == A.PENDING:
            locked.status, locked.accepted_at = A.ACCEPTED, timezone.now()
            locked.save(update_fields=["status", "accepted_at"])
        contact = Contact.objects.create(
            assignment=locked,
            method=method,
            date=date,
            summary=summary.strip(),
            recorded_by=actor,
        )
        _event(
            locked.suggestion,
            "contact",
            actor,
            note=Contact.Method(method).label,
            unit=locked.unit,
        )
    return contact


def assignment_request_extension(
    *,
    assignment: Assignment,
    new_due_date: date,
    reason: str,
    actor: User | None = None,
) -> ExtensionRequest:
    """申请延期: never beyond assignment + 6 months (rule)."""
    rules = rules_for(assignment.suggestion.congress)
    cap = add_months(assignment.assigned_on, rules.extension_max_months)
    if not (reason or "").strip():
        raise DomainError(_("请说明延期理由。"), field="reason")
    if new_due_date <= assignment.due_date:
        raise DomainError(_("延期后的期限应晚于现办理期限。"), field="new_due_date")
    if new_due_date > cap:
        raise DomainError(
            _("延期后的办理期限不能超过交办之日起%(n)s个月（%(cap)s）。")
            % {"n": rules.extension_max_months, "cap": cap.isoformat()},
            field="new_due_date",
        )
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        _require_handling(locked)
        if locked.status not in (A.PENDING, A.ACCEPTED):
            raise TransitionError(_("该交办当前不能申请延期。"))
        if locked.extension_requests.filter(status="pending").exists():
            raise TransitionError(_("已有待审批的延期申请。"))
        request = ExtensionRequest.objects.create(
            assignment=locked,
            new_due_date=new_due_date,
            reason=reason.strip(),
            requested_by=actor,
        )
        _event(
            locked.suggestion,
            "request_extension",
            actor,
            note=f"{new_due_date.isoformat()} {reason}",
            unit=locked.unit,
        )
    return request


def extension_decide(
    *,
    request: ExtensionRequest,
    approve: bool,
    note: str = "",
    actor: User | None = None,
) -> ExtensionRequest:
    """Congress staff approve or refuse an extension."""
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ExtensionRequest.Status.PENDING:
            raise TransitionError(_("该延期申请已处理。"))
        assignment = _lock_assignment(request.assignment)
        request.status = (
            ExtensionRequest.Status.APPROVED
            if approve
            else ExtensionRequest.Status.REJECTED
        )
        request.decided_by, request.decided_at, request.decision_note = (
            actor,
            timezone.now(),
            note,
        )
        request.save(
            update_fields=["status", "decided_by", "decided_at", "decision_note"]
        )
        if approve:
            assignment.due_date = request.new_due_date
            assignment.save(update_fields=["due_date"])
        _event(
            assignment.suggestion,
            "extension_approved" if approve else "extension_rejected",
            actor,
            note=note,
            unit=assignment.unit,
        )
    return request


def co_unit_opinion_send(
    *, assignment: Assignment, text: str, actor: User | None = None
) -> CoUnitOpinion:
    """A co-unit sends its opinion to the lead unit (due 1 month after assignment, rule)."""
    if assignment.role != Assignment.Role.CO:
        raise DomainError(_("只有协办单位需要提出协办意见。"))
    if not (text or "").strip():
        raise DomainError(_("请填写协办意见。"), field="text")
    if hasattr(assignment, "co_opinion"):
        raise TransitionError(_("协办意见已提交。"))
    due = add_months(
        assignment.assigned_on,
        rules_for(assignment.suggestion.congress).co_unit_opinion_months,
    )
    with transaction.atomic():
        opinion = CoUnitOpinion.objects.create(
            assignment=assignment, text=text.strip(), sent_by=actor, due_date=due
        )
        _event(
            assignment.suggestion,
            "co_opinion",
            actor,
            unit=assignment.unit,
            internal=True,
            note=text.strip(),
        )
    return opinion


def assignment_reply(
    *,
    assignment: Assignment,
    category: str,
    text: str,
    document_number: str = "",
    signer: str = "",
    commitments: list[dict] | None = None,
    attachment=None,
    actor: User | None = None,
    today: date | None = None,
) -> Reply:
    """答复 by a lead or split unit: needs a recorded contact with the deputy this
    round; B and C replies carry commitments with due dates."""
    today = today or timezone.localdate()
    commitments = commitments or []
    rules = rules_for(assignment.suggestion.congress)
    if category not in rules.reply_categories:
        raise DomainError(_("答复类别不正确。"), field="category")
    if not (text or "").strip():
        raise DomainError(_("请填写答复内容。"), field="text")
    if not assignment.answers:
        raise DomainError(_("协办单位不直接答复代表，请向主办单位提出协办意见。"))
    if category in ("B", "C") and not commitments:
        raise DomainError(
            _("B类、C类答复须写明承诺事项和完成时限。"), field="commitments"
        )
    for item in commitments:
        if not str(item.get("text", "")).strip() or not item.get("due_date"):
            raise DomainError(
                _("每项承诺都须填写内容和完成时限。"), field="commitments"
            )
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        suggestion = _lock(locked.suggestion)
        if suggestion.status not in Suggestion.HANDLING_STATES:
            _refuse(suggestion, S.REPLIED)
        if locked.status == A.REPLIED and locked.round == suggestion.round:
            raise TransitionError(_("本轮已答复。"))
        if locked.status not in (A.PENDING, A.ACCEPTED):
            raise TransitionError(
                _("该交办当前状态为“%(status)s”，不能答复。")
                % {"status": locked.get_status_display()}
            )
        if not locked.contacts.filter(created_at__gte=locked.round_started_at).exists():
            raise DomainError(
                _("该建议尚未记录与代表的沟通，不能答复。"), field="contact"
            )
        reply = Reply.objects.create(
            assignment=locked,
            round=suggestion.round,
            category=category,
            text=text.strip(),
            document_number=document_number,
            signer=signer,
            attachment=attachment or "",
            replied_by=actor,
            on_time=today <= locked.due_date,
        )
        Commitment.objects.bulk_create(
            [
                Commitment(
                    reply=reply,
                    text=str(item["text"]).strip(),
                    due_date=item["due_date"],
                )
                for item in commitments
            ]
        )
        locked.status, locked.replied_at = A.REPLIED, timezone.now()
        locked.save(update_fields=["status", "replied_at"])
        _event(suggestion, "reply", actor, note=f"{category}", unit=locked.unit)
        if category == "A":
            ledger_record(
                mandate=suggestion.lead,
                kind="reply_rated_a",
                occurred_on=today,
                key=f"reply_rated_a:{suggestion.pk}",
            )
        answering = suggestion.assignments.live().filter(role__in=["lead", "split"])
        if not answering.exclude(status=A.REPLIED).exists():
            now = timezone.now()
            fields: dict[str, Any] = {
                "first_replied_at": suggestion.first_replied_at or now
            }
            if suggestion.is_public and suggestion.published_at is None:
                fields["published_at"] = now
            _move(suggestion, S.REPLIED, actor, action="replied", **fields)
            transaction.on_commit(
                lambda: _notify(
                    _deputy_users(suggestion),
                    kind="suggestion.replied",
                    key=f"replied:{suggestion.pk}:{suggestion.round}",
                    title=_("您的%(kind)s“%(title)s”已答复，请评价")
                    % {
                        "kind": suggestion.get_kind_display(),
                        "title": suggestion.title,
                    },
                    target=suggestion,
                )
            )
    return reply


# --- evaluation (against "被满意") ---------------------------------------------------------


def may_rate(suggestion: Suggestion, mandate: Mandate) -> bool:
    """Only the lead deputy, and confirmed co-signers when the rule allows."""
    if mandate.pk == suggestion.lead_id:
        return True
    if rules_for(suggestion.congress).cosigners_may_rate:
        return suggestion.cosigners.filter(mandate=mandate, status="confirmed").exists()
    return False


def suggestion_evaluate(
    *,
    suggestion: Suggestion,
    user: User,
    result: str,
    attitude: str,
    comment: str = "",
    today: date | None = None,
) -> Evaluation:
    """The deputy rates result and attitude; nobody can change it afterwards.

    The lead's rating decides: satisfied → closed (A, D) or tracking (B, C with open
    commitments); dissatisfied → rehandling within 1 month, at most 2 rounds (rule),
    then closed with the flag for congress supervision.
    """
    today = today or timezone.localdate()
    ratings = Evaluation.Rating.values
    errors = {
        f: v
        for f, v in (("result", result), ("attitude", attitude))
        if v not in ratings
    }
    if errors:
        raise DomainError(_("评价结果不正确。"), field=next(iter(errors)))
    mandate = Mandate.objects.filter(
        person__user=user,
        pk__in=[
            suggestion.lead_id,
            *suggestion.cosigners.values_list("mandate_id", flat=True),
        ],
    ).first()
    if mandate is None or not may_rate(suggestion, mandate):
        raise DomainError(_("只有领衔代表本人可以评价办理结果。"))
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.status != S.REPLIED:
            raise TransitionError(
                _("该议案建议当前状态为“%(status)s”，不能评价。")
                % {"status": locked.get_status_display()}
            )
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    suggestion=locked,
                    round=locked.round,
                    mandate=mandate,
                    result=result,
                    attitude=attitude,
                    comment=comment,
                )
        except IntegrityError as exc:
            raise TransitionError(_("本轮已评价，评价提交后不能修改。")) from exc
        _event(
            locked,
            "evaluate",
            user,
            note=f"{Evaluation.Rating(result).label}/{Evaluation.Rating(attitude).label}",
        )
        if mandate.pk == locked.lead_id:
            _apply_lead_rating(locked, result, user, today)
    return evaluation


def _apply_lead_rating(
    suggestion: Suggestion, result: str, actor: User, today: date
) -> None:
    rules = rules_for(suggestion.congress)
    if result == Evaluation.Rating.DISSATISFIED:
        if suggestion.round < rules.evaluation_max_rounds:
            due = add_months(today, rules.rehandling_due_months)
            next_round = suggestion.round + 1
            now = timezone.now()
            suggestion.assignments.live().filter(
                role__in=["lead", "split", "co"]
            ).update(
                status=A.ACCEPTED,
                due_date=due,
                round=next_round,
                round_started_at=now,
                replied_at=None,
            )
            _move(suggestion, S.REHANDLING, actor, action="rehandle", round=next_round)
            assignments = list(suggestion.assignments.live().select_related("unit"))
            transaction.on_commit(
                lambda: [
                    _notify(
                        _unit_users(a.unit),
                        kind="assignment.rehandling",
                        key=f"rehandling:{a.pk}:{next_round}",
                        title=_("代表对答复不满意，请于%(due)s前重新办理：%(title)s")
                        % {"due": due.isoformat(), "title": suggestion.title},
                        target=a,
                    )
                    for a in assignments
                ]
            )
        else:
            _move(
                suggestion,
                S.CLOSED,
                actor,
                action="close",
                closed_at=timezone.now(),
                needs_supervision=True,
                note=_("连续%(n)s轮不满意，转人大督办") % {"n": suggestion.round},
            )
        return
    open_commitments = Commitment.objects.filter(
        reply__assignment__suggestion=suggestion,
        reply__round=suggestion.round,
        status="pending",
    ).exists()
    if open_commitments:
        _move(suggestion, S.TRACKING, actor, action="tracking")
    else:
        _move(suggestion, S.CLOSED, actor, action="close", closed_at=timezone.now())


def commitment_complete(
    *, commitment: Commitment, note: str = "", actor: User | None = None
) -> Commitment:
    """Mark a commitment done; the suggestion closes when none is left open."""
    with transaction.atomic():
        commitment = (
            Commitment.objects.select_for_update()
            .select_related("reply__assignment__suggestion")
            .get(pk=commitment.pk)
        )
        if commitment.status == Commitment.Status.DONE:
            return commitment
        commitment.status, commitment.done_at, commitment.done_note = (
            Commitment.Status.DONE,
            timezone.now(),
            note,
        )
        commitment.save(update_fields=["status", "done_at", "done_note"])
        suggestion = _lock(commitment.reply.assignment.suggestion)
        _event(suggestion, "commitment_done", actor, note=commitment.text)
        if (
            suggestion.status == S.TRACKING
            and not Commitment.objects.filter(
                reply__assignment__suggestion=suggestion, status="pending"
            ).exists()
        ):
            _move(suggestion, S.CLOSED, actor, action="close", closed_at=timezone.now())
    return commitment


def evaluations_sample_for_callback(
    *,
    congress,
    year: int,
    size: int,
    actor: User | None = None,
    seed: int | None = None,
) -> list[Evaluation]:
    """Flag a random sample of 'satisfied' ratings for a staff callback (回访)."""
    candidates = list(
        Evaluation.objects.filter(
            suggestion__congress=congress,
            suggestion__year=year,
            result__in=["satisfied", "basically_satisfied"],
            callback_flagged=False,
        ).values_list("pk", flat=True)
    )
    chosen = random.Random(seed).sample(candidates, min(size, len(candidates)))  # noqa: S311 - sampling, not security
    Evaluation.objects.filter(pk__in=chosen).update(callback_flagged=True)
    audit_record(
        actor=actor,
        action="evaluation.sample",
        data={"ids": chosen, "year": year},
        region_path=congress.region.path,
    )
    return list(Evaluation.objects.filter(pk__in=chosen))


def evaluation_record_callback(
    *, evaluation: Evaluation, note: str, actor: User | None = None
) -> Evaluation:
    """Record what the deputy said on the callback (the rating itself never changes)."""
    if not evaluation.callback_flagged:
        raise DomainError(_("该评价未被抽查回访。"))
    evaluation.callback_note = note
    evaluation.save(update_fields=["callback_note"])
    _event(evaluation.suggestion, "callback", actor, note=note, internal=True)
    return evaluation


def urge_create(*, assignment: Assignment, actor: User, note: str = "") -> Urge:
    """催办 by congress staff or the deputy."""
    if assignment.status in (A.REPLIED, A.RETURNED):
        raise TransitionError(_("该交办已答复或已退办，无需催办。"))
    urge = Urge.objects.create(assignment=assignment, by=actor, note=note)
    _event(assignment.suggestion, "urge", actor, note=note, unit=assignment.unit)
    transaction.on_commit(
        lambda: _notify(
            _unit_users(assignment.unit),
            kind="assignment.urged",
            key=f"urge:{urge.pk}",
            title=_("催办：%(title)s") % {"title": assignment.suggestion.title},
            target=assignment,
        )
    )
    return urge


# --- key supervision --------------------------------------------------------------------


def key_item_create(
    *,
    congress,
    year: int,
    title: str,
    leader: User,
    suggestions: list[Suggestion],
    plan: str = "",
    actor: User | None = None,
) -> KeySupervisionItem:
    """Group suggestions into a key-supervision item led by a leader; their lead
    deputies earn the key-supervision points."""
    if not suggestions:
        raise DomainError(_("请选择要重点督办的建议。"), field="suggestions")
    wrong = [
        s
        for s in suggestions
        if s.congress_id != congress.pk
        or s.status
        in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.NOT_REGISTERED, S.MERGED, S.WITHDRAWN)
    ]
    if wrong:
        raise DomainError(_("只能选择本级人大已立案的议案建议。"), field="suggestions")
    with transaction.atomic():
        item = KeySupervisionItem.objects.create(
            congress=congress,
            year=year,
            title=title.strip(),
            leader=leader,
            plan=plan,
            region_path=congress.region.path,
        )
        item.suggestions.set(suggestions)
        for suggestion in suggestions:
            _event(suggestion, "key_item", actor, note=title)
            ledger_record(
                mandate=suggestion.lead,
                kind="key_supervision_selected",
                occurred_on=timezone.localdate(),
                source=item,
                key=f"key_supervision_selected:{item.pk}:{suggestion.pk}",
            )
        audit_record(
            actor=actor,
            action="key_item.create",
            target=item,
            region_path=item.region_path,
        )
    return item


def key_item_add_event(
    *,
    item: KeySupervisionItem,
    kind: str,
    date: date,
    notes: str,
    actor: User | None = None,
) -> SupervisionEvent:
    if kind not in SupervisionEvent.Kind.values:
        raise DomainError(_("督办方式不正确。"), field="kind")
    event = SupervisionEvent.objects.create(
        item=item, kind=kind, date=date, notes=notes
    )
    if item.status == KeySupervisionItem.Status.PLANNED:
        item.status = KeySupervisionItem.Status.IN_PROGRESS
        item.save(update_fields=["status"])
    audit_record(
        actor=actor, action="key_item.event", target=item, region_path=item.region_path
    )
    return event


def key_item_evaluate(
    *, item: KeySupervisionItem, evaluation: str, actor: User | None = None
) -> KeySupervisionItem:
    if not (evaluation or "").strip():
        raise DomainError(_("请填写督办评估意见。"), field="evaluation")
    item.evaluation, item.status = (
        evaluation.strip(),
        KeySupervisionItem.Status.EVALUATED,
    )
    item.save(update_fields=["evaluation", "status"])
    audit_record(
        actor=actor,
        action="key_item.evaluate",
        target=item,
        region_path=item.region_path,
    )
    return item


def suggestion_from_opinion(
    *, opinion: Opinion, actor: User | None = None
) -> Suggestion:
    """Start the draft suggestion of an opinion a station converted for a deputy."""
    if opinion.status != Opinion.Status.CONVERTED or opinion.converted_for_id is None:
        raise DomainError(_("该群众意见未转为代表建议。"))
    existing = Suggestion.objects.filter(source_opinion=opinion).first()
    if existing:
        return existing
    return suggestion_create(
        lead=opinion.converted_for,
        title=_("关于%(category)s问题的建议")
        % {"category": opinion.get_category_display()},
        problem=opinion.content,
        analysis="",
        proposals="",
        source_opinion=opinion,
        actor=actor,
    )
