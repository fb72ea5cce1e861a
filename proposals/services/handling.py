"""The units' work on an assignment (办): accepting, asking to return it or for
more time and the staff's decisions, contacts with the deputy, co-units'
opinions and the reply."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.services import RevealedDeputy, personal_data_reveals_record
from portal.models import User
from portal.notification_text import Message, choice_label
from portal.rules import rules_for
from portal.services import DomainError, TransitionError
from portal.workdays import add_months, add_working_days

from .. import categories
from ..deadlines import co_opinion_due_date, return_request_limit
from ..models import (
    Assignment,
    Commitment,
    Contact,
    CoUnitOpinion,
    ExtensionRequest,
    Reply,
    ReturnRequest,
    Suggestion,
)
from ..selectors.common import deputy_users
from .common import (
    ACCEPT_TASK_KINDS,
    ANSWER_TASK_KINDS,
    A,
    S,
    _assignment_move,
    _event,
    _lock,
    _lock_assignment,
    _move,
    _notify,
    _refuse,
    _require_handling,
    _tasks_done,
)


def assignment_accept(*, assignment: Assignment, actor: User | None) -> Assignment:
    """签收."""
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        _require_handling(locked)
        if _assignment_move(locked, A.ACCEPTED):
            locked.accepted_at = timezone.now()
            locked.save(update_fields=["status", "accepted_at"])
            _event(locked.suggestion, "accept", actor, unit=locked.unit)
            _tasks_done(locked, ACCEPT_TASK_KINDS)
    return locked


def assignment_request_return(
    *,
    assignment: Assignment,
    reason: str,
    actor: User | None,
    today: date | None = None,
) -> ReturnRequest:
    """申请退办 within 7 working days (rule) of the assignment, with the reason."""
    today = today or timezone.localdate()
    if not (reason or "").strip():
        raise DomainError(_("请说明退办理由。"), field="reason")
    rules = rules_for(assignment.suggestion.congress)
    limit = return_request_limit(assignment)
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
    *, request: ReturnRequest, approve: bool, note: str = "", actor: User | None
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
    actor: User | None,
) -> Contact:
    """Record a contact with the deputy (面商) — required before replying."""
    if method not in Contact.Method.values:
        raise DomainError(_("沟通方式不正确。"), field="method")
    if not (summary or "").strip():
        raise DomainError(_("请填写沟通情况。"), field="summary")
    if date > timezone.localdate():
        raise DomainError(_("沟通日期不能晚于今天。"), field="date")
    if date < assignment.assigned_on:
        raise DomainError(
            _("沟通日期不能早于交办日期（%(day)s）。")
            % {"day": assignment.assigned_on.isoformat()},
            field="date",
        )
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
            note=str(Contact.Method(method).label),
            unit=locked.unit,
        )
    return contact


def assignment_reveal_contact(
    *, assignment: Assignment, actor: User, ip_address: str | None = None
) -> None:
    """The unit's staff see the lead deputy's full mobile for 面商 (issue 18):
    one ``personal_data.reveal`` audit row — who, which deputy, when, from
    where, and for which assignment (个人信息保护法; the roster's reveal)."""
    lead = assignment.suggestion.lead
    if lead is None:
        raise DomainError(_("该件没有领衔代表。"))
    if (
        assignment.status not in Assignment.OPEN_STATES
        or assignment.suggestion.status not in Suggestion.HANDLING_STATES
    ):
        raise TransitionError(
            _("该交办当前状态为“%(status)s”，办理期间才能查看代表的完整联系方式。")
            % {"status": assignment.get_status_display()}
        )
    personal_data_reveals_record(
        actor=actor,
        reveals=[
            RevealedDeputy(lead.pk, lead.person.name, assignment.suggestion.region_path)
        ],
        ip_address=ip_address,
        reason=_("面商：%(unit)s办理“%(title)s”（交办编号%(pk)s）")
        % {
            "unit": assignment.unit.name,
            "title": assignment.suggestion.title,
            "pk": assignment.pk,
        },
    )


def assignment_request_extension(
    *,
    assignment: Assignment,
    new_due_date: date,
    reason: str,
    actor: User | None,
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
        transaction.on_commit(lambda: _tell_deputies_of_extension(request.pk))
    return request


def _tell_deputies_of_extension(request_id: int) -> None:
    """The handling body explains a delay to the deputies (代表法第四十九条: what
    cannot be answered within three months is explained to the deputy;
    全国人民代表大会代表建议、批评和意见处理办法): when a unit asks for more
    time and when the staff decide, with the unit's reason (and the staff's
    note). In-app, once per request and step (after commit, re-read)."""
    request = ExtensionRequest.objects.select_related(
        "assignment__unit", "assignment__suggestion__lead__person__user"
    ).get(pk=request_id)
    assignment = request.assignment
    suggestion = assignment.suggestion
    values = {
        "unit": assignment.unit.name,
        "title": suggestion.title,
        "due": request.new_due_date.isoformat(),
        "current": assignment.due_date.isoformat(),
        "reason": request.reason,
        "note": request.decision_note,
    }
    if request.status == ExtensionRequest.Status.PENDING:
        msgid = gettext_noop("%(unit)s申请将“%(title)s”的办理期限延至%(due)s")
    elif request.status == ExtensionRequest.Status.APPROVED:
        msgid = gettext_noop(
            "“%(title)s”的办理期限已延至%(due)s（%(unit)s申请，已同意）"
        )
    else:
        msgid = gettext_noop(
            "%(unit)s对“%(title)s”的延期申请未获同意，办理期限仍为%(current)s"
        )
    title = Message(msgid, values)
    step = "requested" if request.status == request.Status.PENDING else request.status
    body = Message(gettext_noop("延期理由：%(reason)s"), values)
    if request.decision_note:
        # Two sentences, each translated (the joint carries no words).
        body = Message(
            "%(reason_line)s\n%(note_line)s",
            {
                "reason_line": body,
                "note_line": Message(gettext_noop("审批意见：%(note)s"), values),
            },
        )
    _notify(
        deputy_users(suggestion),
        kind=f"extension.{step}",
        key=f"extension-{step}:{request.pk}",
        title=title,
        body=body,
        target=suggestion,
        url=reverse("proposals:detail", args=[suggestion.pk]),
    )


def extension_decide(
    *,
    request: ExtensionRequest,
    approve: bool,
    note: str = "",
    actor: User | None,
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
        transaction.on_commit(lambda: _tell_deputies_of_extension(request.pk))
    return request


def co_unit_opinion_send(
    *, assignment: Assignment, text: str, actor: User | None
) -> CoUnitOpinion:
    """A co-unit sends its opinion to the lead unit, once per handling round: due
    1 month (rule) after the assignment, and again in a rehandling round (due
    within that round)."""
    if assignment.role != Assignment.Role.CO:
        raise DomainError(_("只有协办单位需要提出协办意见。"))
    if not (text or "").strip():
        raise DomainError(_("请填写协办意见。"), field="text")
    with transaction.atomic():
        locked = _lock_assignment(assignment)
        if locked.co_opinions.filter(round=locked.round).exists():
            raise TransitionError(_("本轮协办意见已提交。"))
        due = co_opinion_due_date(locked)
        opinion = CoUnitOpinion.objects.create(
            assignment=locked,
            round=locked.round,
            text=text.strip(),
            sent_by=actor,
            due_date=due,
        )
        _event(
            assignment.suggestion,
            "co_opinion",
            actor,
            unit=assignment.unit,
            internal=True,
            note=text.strip(),
        )
        _tasks_done(locked, ANSWER_TASK_KINDS)
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
    outcome_type: str = "",
    outcome_document: str = "",
    actor: User | None,
    today: date | None = None,
) -> Reply:
    """答复 by a lead or split unit: needs a recorded contact with the deputy this
    round; categories come from the rule set, and those in progress or planned
    (B, C) carry commitments with due dates. The unit may record what the answer
    produced (办理一件、解决一类: a case, a policy or a mechanism). Once every
    answering unit replied, the reply awaits the staff's disclosure review
    within the rule's working days."""
    today = today or timezone.localdate()
    commitments = commitments or []
    rules = rules_for(assignment.suggestion.congress)
    if category not in rules.reply_categories:
        raise DomainError(_("答复类别不正确。"), field="category")
    if not (text or "").strip():
        raise DomainError(_("请填写答复内容。"), field="text")
    if outcome_type and outcome_type not in Suggestion.Outcome.values:
        raise DomainError(_("办理成果类型不正确。"), field="outcome_type")
    if not assignment.answers:
        raise DomainError(_("协办单位不直接答复代表，请向主办单位提出协办意见。"))
    if categories.needs_commitments(rules, category) and not commitments:
        codes = categories.codes_with(rules, *categories.WITH_COMMITMENTS)
        raise DomainError(
            _("%(codes)s答复须写明承诺事项和完成时限。")
            % {"codes": "、".join(_("%(code)s类") % {"code": c} for c in codes)},
            field="commitments",
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
        _tasks_done(locked, ANSWER_TASK_KINDS)
        if outcome_type:
            _set_outcome(suggestion, outcome_type, outcome_document, actor)
        answering = suggestion.assignments.live().filter(role__in=["lead", "split"])
        if not answering.exclude(status=A.REPLIED).exists():
            now = timezone.now()
            fields: dict[str, Any] = {
                "first_replied_at": suggestion.first_replied_at or now
            }
            # Nothing is public before the staff's review (public interest,
            # personal data and third parties removed): it is due within the
            # rule's working days (portal/workdays.py).
            if suggestion.is_public:
                fields["disclosure_due_on"] = add_working_days(
                    today, rules.disclosure_working_days
                )
            _move(suggestion, S.REPLIED, actor, action="replied", **fields)
            transaction.on_commit(
                lambda: _notify(
                    deputy_users(suggestion),
                    kind="suggestion.replied",
                    key=f"replied:{suggestion.pk}:{suggestion.round}",
                    title=Message(
                        gettext_noop("您的%(kind)s“%(title)s”已答复，请评价"),
                        {
                            "kind": choice_label(suggestion, "kind"),
                            "title": suggestion.title,
                        },
                    ),
                    target=suggestion,
                )
            )
    return reply


def _set_outcome(
    suggestion: Suggestion, outcome_type: str, outcome_document: str, actor
) -> None:
    suggestion.outcome_type = outcome_type
    suggestion.outcome_document = (outcome_document or "").strip()[:200]
    suggestion.save(update_fields=["outcome_type", "outcome_document"])
    _event(
        suggestion,
        "outcome",
        actor,
        note=str(Suggestion.Outcome(outcome_type).label),
    )


def suggestion_record_outcome(
    *,
    suggestion: Suggestion,
    outcome_type: str,
    outcome_document: str = "",
    actor: User | None,
) -> Suggestion:
    """Congress staff record (or correct) what the handling produced
    (办理一件、解决一类: a case solved, a policy issued, a mechanism set up), once
    the suggestion has been answered."""
    if outcome_type not in Suggestion.Outcome.values:
        raise DomainError(_("办理成果类型不正确。"), field="outcome_type")
    if outcome_type != Suggestion.Outcome.CASE and not (outcome_document or "").strip():
        raise DomainError(
            _("出台政策或建立机制的，请填写成果文件名称或文号。"),
            field="outcome_document",
        )
    with transaction.atomic():
        locked = _lock(suggestion)
        if locked.first_replied_at is None:
            raise TransitionError(_("该建议尚未答复，不能记录办理成果。"))
        if (
            locked.outcome_type == outcome_type
            and locked.outcome_document == (outcome_document or "").strip()
        ):
            return locked
        _set_outcome(locked, outcome_type, outcome_document, actor)
    return locked
