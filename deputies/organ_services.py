"""Every write of state organs' contacts and of standing-committee meetings
(issue 16, items 1–2), with the house transition shape (STYLE.md).

Points go to the ledger through ``deputies.services.ledger_record`` (rule
``points``: ``organ_contact`` per deputy and contact, ``standing_meeting_attended``
per attended invitation); nothing here computes points.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal import workflow
from portal.models import Congress, HandlingUnit, User
from portal.notification_text import Message
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record

from .models import Mandate
from .organ_models import (
    ORGAN_KINDS,
    InvitationEvent,
    MeetingInvitation,
    MeetingOpinion,
    MeetingOpinionEvent,
    OrganContact,
    OrganContactPlan,
    StandingMeeting,
)
from .services import ledger_record

__all__ = [
    "invitation_mark",
    "invitation_respond",
    "meeting_invite",
    "opinion_close",
    "opinion_follow_up",
    "opinion_record",
    "organ_congress",
    "organ_contact_follow_up_done",
    "organ_contact_record",
    "organ_plan_create",
    "organ_plan_set_deputies",
    "standing_meeting_create",
]


# --- organ contact plans and contacts -------------------------------------------------


def organ_congress(unit: HandlingUnit) -> Congress | None:
    """The congress whose deputies an organ contacts: that of its region (or the
    nearest above, for an organ of a sub-district)."""
    return Congress.objects.nearest(unit.region)


def _check_deputies(congress: Congress, mandates: Iterable[Mandate]) -> list[Mandate]:
    mandates = list(mandates)
    wrong = [m for m in mandates if m.congress_id != congress.pk]
    if wrong:
        raise DomainError(
            _("联系的代表必须是%(congress)s的代表。") % {"congress": congress.name},
            field="deputies",
        )
    inactive = [m for m in mandates if m.status != Mandate.Status.ACTIVE]
    if inactive:
        raise DomainError(
            _("%(name)s不是正常履职的代表，不能列入联系计划。")
            % {"name": inactive[0].person.name},
            field="deputies",
        )
    return mandates


def organ_plan_create(
    *,
    unit: HandlingUnit,
    year: int,
    deputies: Iterable[Mandate],
    actor: User | None,
    contacts_per_deputy: int | None = None,
    note: str = "",
) -> OrganContactPlan:
    """An organ's contact plan for ``year``: which deputies, how often (default:
    rule ``organ_contacts_per_deputy`` of the congress)."""
    if unit.kind not in ORGAN_KINDS:
        raise DomainError(
            _("只有“一府一委两院”及政府部门可以制定联系代表计划。"), field="unit"
        )
    congress = organ_congress(unit)
    if congress is None:
        raise DomainError(_("该机关所在区划没有人民代表大会。"), field="unit")
    mandates = _check_deputies(congress, deputies)
    if contacts_per_deputy is None:
        contacts_per_deputy = rules_for(congress).organ_contacts_per_deputy
    if contacts_per_deputy < 1:
        raise DomainError(_("每名代表每年至少联系一次。"), field="contacts_per_deputy")
    try:
        with transaction.atomic():
            plan = OrganContactPlan.objects.create(
                unit=unit,
                congress=congress,
                year=year,
                contacts_per_deputy=contacts_per_deputy,
                note=note,
                created_by=actor if actor and actor.is_authenticated else None,
            )
            plan.deputies.set(mandates)
            audit_record(
                actor=actor,
                action="organ_plan.create",
                target=plan,
                data={"deputies": len(mandates), "year": year},
                region_path=unit.region.path,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("%(unit)s已有%(year)s年的联系代表计划。")
            % {"unit": unit.name, "year": year},
            field="year",
        ) from exc
    return plan


def organ_plan_set_deputies(
    *, plan: OrganContactPlan, deputies: Iterable[Mandate], actor: User | None
) -> OrganContactPlan:
    """Replace the deputies of a plan (contacts already recorded stay)."""
    mandates = _check_deputies(plan.congress, deputies)
    with transaction.atomic():
        plan.deputies.set(mandates)
        audit_record(
            actor=actor,
            action="organ_plan.set_deputies",
            target=plan,
            data={"deputies": len(mandates)},
            region_path=plan.unit.region.path,
        )
    return plan


def organ_contact_record(
    *,
    plan: OrganContactPlan,
    kind: str,
    date: date,
    subject: str,
    participants: Iterable[Mandate],
    actor: User | None,
    summary: str = "",
    follow_up: str = "",
) -> OrganContact:
    """Record a contact of the plan's organ with deputies; each participant
    earns the ``organ_contact`` points once for it."""
    if kind not in OrganContact.Kind.values:
        raise DomainError(_("联系方式不正确。"), field="kind")
    if date.year != plan.year:
        raise DomainError(
            _("联系日期应在计划年度（%(year)s年）内。") % {"year": plan.year},
            field="date",
        )
    if date > timezone.localdate():
        raise DomainError(_("不能登记今后日期的联系。"), field="date")
    mandates = list(participants)
    if not mandates:
        raise DomainError(_("请选择参加的代表。"), field="participants")
    wrong = [m for m in mandates if m.congress_id != plan.congress_id]
    if wrong:
        raise DomainError(
            _("参加的代表必须是%(congress)s的代表。")
            % {"congress": plan.congress.name},
            field="participants",
        )
    if not subject.strip():
        raise DomainError(_("请填写联系主题。"), field="subject")
    with transaction.atomic():
        contact = OrganContact.objects.create(
            plan=plan,
            kind=kind,
            date=date,
            subject=subject.strip(),
            summary=summary,
            follow_up=follow_up,
            created_by=actor if actor and actor.is_authenticated else None,
        )
        contact.participants.set(mandates)
        for mandate in mandates:
            ledger_record(
                mandate=mandate,
                kind="organ_contact",
                occurred_on=date,
                source=contact,
                note=f"{plan.unit.name}：{contact.subject}",
                actor=actor,
            )
        audit_record(
            actor=actor,
            action="organ_contact.record",
            target=contact,
            data={"participants": len(mandates), "kind": kind},
            region_path=plan.unit.region.path,
        )
    return contact


def organ_contact_follow_up_done(
    *, contact: OrganContact, result: str, actor: User | None
) -> OrganContact:
    """Close the follow-up of a contact with its result (idempotent)."""
    with transaction.atomic():
        locked = (
            OrganContact.objects.select_for_update()
            .select_related("plan__unit__region")
            .get(pk=contact.pk)
        )
        if locked.follow_up_done_at is not None:
            return locked
        if not locked.follow_up.strip():
            raise TransitionError(_("这次联系没有需跟进的事项。"))
        if not result.strip():
            raise DomainError(_("请填写跟进结果。"), field="result")
        locked.follow_up_done_at = timezone.now()
        locked.follow_up_result = result.strip()
        locked.save(update_fields=["follow_up_done_at", "follow_up_result"])
        audit_record(
            actor=actor,
            action="organ_contact.follow_up_done",
            target=locked,
            reason=locked.follow_up_result,
            region_path=locked.plan.unit.region.path,
        )
    return locked


# --- standing-committee meetings and invitations ---------------------------------------


def standing_meeting_create(
    *,
    congress: Congress,
    number: int,
    date: date,
    actor: User | None,
    location: str = "",
    agenda: str = "",
) -> StandingMeeting:
    """A meeting of the congress's standing committee, in its current term."""
    if congress.level == Congress.Level.TOWNSHIP:
        raise DomainError(
            _("乡镇人民代表大会不设常务委员会，不能登记常委会会议。"), field="congress"
        )
    term = congress.current_term()
    if term is None:
        raise DomainError(_("该人民代表大会没有本届任期。"), field="congress")
    try:
        with transaction.atomic():
            meeting = StandingMeeting.objects.create(
                congress=congress,
                term=term,
                number=number,
                date=date,
                location=location,
                agenda=agenda,
                created_by=actor if actor and actor.is_authenticated else None,
            )
            audit_record(
                actor=actor,
                action="standing_meeting.create",
                target=meeting,
                region_path=congress.region.path,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("本届已登记第%(number)s次常委会会议。") % {"number": number},
            field="number",
        ) from exc
    return meeting


def meeting_invite(
    *,
    meeting: StandingMeeting,
    mandates: Iterable[Mandate],
    topic: str,
    actor: User | None,
) -> int:
    """Invite deputies of the meeting's term to attend on ``topic``; deputies
    already invited are left as they are. Returns how many were new."""
    mandates = list(mandates)
    if not topic.strip():
        raise DomainError(_("请填写列席议题。"), field="topic")
    if not mandates:
        raise DomainError(_("请选择邀请的代表。"), field="mandates")
    wrong = [m for m in mandates if m.term_id != meeting.term_id]
    if wrong:
        raise DomainError(
            _("%(name)s不是本届本级人大代表，不能邀请列席。")
            % {"name": wrong[0].person.name},
            field="mandates",
        )
    inactive = [m for m in mandates if m.status != Mandate.Status.ACTIVE]
    if inactive:
        raise DomainError(
            _("%(name)s不是正常履职的代表，不能邀请列席。")
            % {"name": inactive[0].person.name},
            field="mandates",
        )
    if meeting.date < timezone.localdate():
        raise TransitionError(_("会议已经召开，不能再邀请代表列席。"))
    with transaction.atomic():
        existing = set(
            meeting.invitations.filter(mandate__in=mandates).values_list(
                "mandate_id", flat=True
            )
        )
        new = [m for m in mandates if m.pk not in existing]
        for mandate in new:
            invitation = MeetingInvitation.objects.create(
                meeting=meeting, mandate=mandate, topic=topic.strip()
            )
            workflow.record(
                InvitationEvent,
                actor=actor,
                to_state=invitation.status,
                event_fields={"invitation": invitation},
            )
        audit_record(
            actor=actor,
            action="standing_meeting.invite",
            target=meeting,
            data={"invited": len(new), "topic": topic.strip()},
            region_path=meeting.congress.region.path,
        )
        if new:
            transaction.on_commit(lambda: _notify_invited(meeting.pk, new))
    return len(new)


def _notify_invited(meeting_id: int, mandates: list[Mandate]) -> None:
    """Tell the invited deputies in-app (after commit; once per invitation)."""
    from portal.services import notification_create

    meeting = StandingMeeting.objects.select_related("congress").get(pk=meeting_id)
    for invitation in meeting.invitations.filter(mandate__in=mandates).select_related(
        "mandate__person__user"
    ):
        user = invitation.mandate.person.user
        if user is None:
            continue
        notification_create(
            recipient=user,
            kind="standing_meeting.invited",
            key=f"standing_meeting.invited:{invitation.pk}:in_app",
            title=Message(
                gettext_noop("邀请您列席%(meeting)s（%(date)s）"),
                {"meeting": meeting, "date": meeting.date.isoformat()},
            ),
            body=invitation.topic,
            target=invitation,
            url="/deputies/organs/me/",
            actor=None,
        )


def _invitation_transition(
    *,
    invitation: MeetingInvitation,
    to: str,
    actor: User | None,
    refuse,
    note: str = "",
    changes: dict | None = None,
) -> tuple[MeetingInvitation, bool]:
    with transaction.atomic():
        locked = (
            MeetingInvitation.objects.select_for_update()
            .select_related("meeting__congress__region", "mandate__congress")
            .get(pk=invitation.pk)
        )
        from_state = locked.status
        moved = workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=InvitationEvent,
            event_fields={"invitation": locked},
            refuse=refuse,
            changes=changes,
            note=note,
        )
        if moved:
            audit_record(
                actor=actor,
                action="invitation.status",
                target=locked,
                from_state=from_state,
                to_state=to,
                reason=note,
                region_path=locked.meeting.congress.region.path,
            )
            if to == MeetingInvitation.Status.ATTENDED:
                ledger_record(
                    mandate=locked.mandate,
                    kind="standing_meeting_attended",
                    occurred_on=locked.meeting.date,
                    source=locked,
                    note=str(locked.meeting),
                    actor=actor,
                )
    return locked, moved


def invitation_respond(
    *,
    invitation: MeetingInvitation,
    accept: bool,
    actor: User,
    reason: str = "",
) -> MeetingInvitation:
    """The deputy accepts or declines (with a reason) their own invitation,
    until the day of the meeting."""
    if invitation.mandate.person.user_id != actor.pk:
        raise DomainError(_("只能答复本人的列席邀请。"))
    if invitation.meeting.date < timezone.localdate():
        raise TransitionError(_("会议已经召开，不能再答复邀请。"))
    if not accept and not reason.strip():
        raise DomainError(_("婉辞邀请须说明理由。"), field="reason")
    to = (
        MeetingInvitation.Status.ACCEPTED
        if accept
        else MeetingInvitation.Status.DECLINED
    )

    def refuse(obj: MeetingInvitation, target: str) -> str:
        return _("出席情况已登记（%(status)s），不能再答复邀请。") % {
            "status": obj.get_status_display()
        }

    locked, _moved = _invitation_transition(
        invitation=invitation,
        to=to,
        actor=actor,
        refuse=refuse,
        note=reason.strip(),
        changes={
            "responded_at": timezone.now(),
            "decline_reason": "" if accept else reason.strip(),
        },
    )
    return locked


def invitation_mark(
    *, invitation: MeetingInvitation, attended: bool, actor: User | None
) -> MeetingInvitation:
    """Staff record whether the invited deputy attended (on or after the
    meeting's day); attendance earns the ``standing_meeting_attended`` points."""
    if invitation.meeting.date > timezone.localdate():
        raise TransitionError(_("会议尚未召开，不能登记出席情况。"))
    to = (
        MeetingInvitation.Status.ATTENDED
        if attended
        else MeetingInvitation.Status.ABSENT
    )

    def refuse(obj: MeetingInvitation, target: str) -> str:
        if obj.status == MeetingInvitation.Status.ATTENDED:
            return _("该代表已登记列席，不能改为未到会。")
        return _("该代表已婉辞邀请，不能登记为未到会。")

    locked, _moved = _invitation_transition(
        invitation=invitation, to=to, actor=actor, refuse=refuse
    )
    return locked


def opinion_record(
    *, invitation: MeetingInvitation, text: str, actor: User | None
) -> MeetingOpinion:
    """An opinion the deputy gave while attending the meeting."""
    if invitation.status != MeetingInvitation.Status.ATTENDED:
        raise TransitionError(_("只有已列席会议的代表的意见可以登记。"))
    if not text.strip():
        raise DomainError(_("请填写意见内容。"), field="text")
    with transaction.atomic():
        opinion = MeetingOpinion.objects.create(
            invitation=invitation, text=text.strip()
        )
        workflow.record(
            MeetingOpinionEvent,
            actor=actor,
            to_state=opinion.status,
            event_fields={"opinion": opinion},
        )
        audit_record(
            actor=actor,
            action="meeting_opinion.record",
            target=opinion,
            region_path=invitation.meeting.congress.region.path,
        )
    return opinion


def _opinion_transition(
    *,
    opinion: MeetingOpinion,
    to: str,
    actor: User | None,
    note: str,
    changes: dict,
) -> MeetingOpinion:
    def refuse(obj: MeetingOpinion, target: str) -> str:
        if obj.status == MeetingOpinion.Status.CLOSED:
            return _("该意见已办结。")
        return _("该意见已在跟踪办理中。")

    with transaction.atomic():
        locked = (
            MeetingOpinion.objects.select_for_update()
            .select_related("invitation__meeting__congress__region")
            .get(pk=opinion.pk)
        )
        from_state = locked.status
        if workflow.transition(
            locked,
            to=to,
            actor=actor,
            event_model=MeetingOpinionEvent,
            event_fields={"opinion": locked},
            refuse=refuse,
            changes=changes,
            note=note,
        ):
            audit_record(
                actor=actor,
                action="meeting_opinion.status",
                target=locked,
                from_state=from_state,
                to_state=to,
                reason=note,
                region_path=locked.invitation.meeting.congress.region.path,
            )
    return locked


def opinion_follow_up(
    *,
    opinion: MeetingOpinion,
    due_date: date,
    actor: User | None,
    unit: HandlingUnit | None = None,
    note: str = "",
) -> MeetingOpinion:
    """Take an opinion up for follow-up (跟踪办理): by a unit if named, by a due
    date; the staff's to-do lists it until it is closed."""
    if due_date < timezone.localdate():
        raise DomainError(_("办理期限不能早于今天。"), field="due_date")
    return _opinion_transition(
        opinion=opinion,
        to=MeetingOpinion.Status.FOLLOWING,
        actor=actor,
        note=note.strip(),
        changes={"due_date": due_date, "unit": unit, "follow_up_note": note.strip()},
    )


def opinion_close(
    *, opinion: MeetingOpinion, result: str, actor: User | None
) -> MeetingOpinion:
    """Close an opinion with what became of it (also one never followed up:
    explained at the meeting)."""
    if not result.strip() and opinion.status != MeetingOpinion.Status.CLOSED:
        raise DomainError(_("请填写办理结果。"), field="result")
    return _opinion_transition(
        opinion=opinion,
        to=MeetingOpinion.Status.CLOSED,
        actor=actor,
        note=result.strip(),
        changes={"result": result.strip()},
    )
