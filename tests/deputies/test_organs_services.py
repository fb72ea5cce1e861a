"""Issue 16 (organs): services of organ contact plans and contacts, and of
standing-committee meetings, invitations and opinions — success, no-op,
refusal with its message, audit rows, ledger points."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deputies import organ_services as services
from deputies.models import LedgerEntry
from deputies.organ_models import MeetingInvitation, MeetingOpinion
from portal.models import AuditEvent, HandlingUnit, RuleSet
from portal.services import DomainError, TransitionError


@pytest.fixture
def plan(world, deputies):
    return services.organ_plan_create(
        unit=world.unit,
        year=timezone.localdate().year,
        deputies=[deputies.own, *deputies.county[:2]],
        actor=None,
    )


@pytest.fixture
def meeting(world, deputies):
    return services.standing_meeting_create(
        congress=world.county_congress,
        number=3,
        date=timezone.localdate(),
        actor=None,
    )


def test_plan_takes_the_rule_sets_frequency(world, deputies):
    RuleSet.objects.create(
        congress=world.county_congress,
        name="湘源县",
        values={"organ_contacts_per_deputy": 3},
    )
    plan = services.organ_plan_create(
        unit=world.unit, year=2026, deputies=deputies.county[:2], actor=None
    )
    assert plan.contacts_per_deputy == 3
    assert plan.congress == world.county_congress
    assert AuditEvent.objects.filter(action="organ_plan.create").count() == 1


def test_plan_refuses_an_enterprise_and_a_second_plan_of_the_year(
    world, deputies, plan
):
    world.other_unit.kind = HandlingUnit.Kind.ENTERPRISE
    world.other_unit.save()
    with pytest.raises(DomainError, match="一府一委两院"):
        services.organ_plan_create(
            unit=world.other_unit, year=plan.year, deputies=[], actor=None
        )
    with pytest.raises(DomainError, match="已有.*年的联系代表计划"):
        services.organ_plan_create(
            unit=world.unit, year=plan.year, deputies=[], actor=None
        )


def test_plan_refuses_deputies_of_another_congress(world, deputies):
    with pytest.raises(DomainError, match="必须是.*的代表"):
        services.organ_plan_create(
            unit=world.unit, year=2026, deputies=[deputies.other_county], actor=None
        )


def test_contact_awards_points_once_per_participant(plan, deputies, personas):
    contact = services.organ_contact_record(
        plan=plan,
        kind="visit",
        date=timezone.localdate(),
        subject="走访代表",
        participants=[deputies.own, deputies.county[0]],
        follow_up="年底前修补路面",
        actor=personas.unit_staff,
    )
    entries = LedgerEntry.objects.filter(kind="organ_contact")
    assert entries.count() == 2
    assert {e.points for e in entries} == {1}
    assert contact.follow_up_open
    done = services.organ_contact_follow_up_done(
        contact=contact, result="已修补", actor=personas.unit_staff
    )
    assert done.follow_up_done_at is not None
    again = services.organ_contact_follow_up_done(
        contact=contact, result="再次", actor=personas.unit_staff
    )
    assert again.follow_up_result == "已修补"  # no-op


def test_contact_refusals(plan, deputies):
    today = timezone.localdate()
    with pytest.raises(DomainError, match="请选择参加的代表"):
        services.organ_contact_record(
            plan=plan,
            kind="visit",
            date=today,
            subject="x",
            participants=[],
            actor=None,
        )
    with pytest.raises(DomainError, match="不能登记今后日期"):
        services.organ_contact_record(
            plan=plan,
            kind="visit",
            date=today + timedelta(days=1),
            subject="x",
            participants=[deputies.own],
            actor=None,
        )
    contact = services.organ_contact_record(
        plan=plan,
        kind="briefing",
        date=today,
        subject="通报",
        participants=[deputies.own],
        actor=None,
    )
    with pytest.raises(TransitionError, match="没有需跟进的事项"):
        services.organ_contact_follow_up_done(contact=contact, result="x", actor=None)


def test_township_congress_has_no_standing_meetings(world, deputies):
    with pytest.raises(DomainError, match="乡镇人民代表大会不设常务委员会"):
        services.standing_meeting_create(
            congress=world.township_congress,
            number=1,
            date=timezone.localdate(),
            actor=None,
        )


def test_invitation_workflow(
    meeting, deputies, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = services.meeting_invite(
            meeting=meeting,
            mandates=[deputies.own, deputies.county[0]],
            topic="农村公路报告",
            actor=personas.county_staff,
        )
    assert count == 2
    # The invited deputy with an account is told in-app after commit.
    assert (
        personas.deputy.notifications.filter(kind="standing_meeting.invited").count()
        == 1
    )
    assert (
        services.meeting_invite(
            meeting=meeting, mandates=[deputies.own], topic="again", actor=None
        )
        == 0
    )
    invitation = meeting.invitations.get(mandate=deputies.own)
    with pytest.raises(DomainError, match="婉辞邀请须说明理由"):
        services.invitation_respond(
            invitation=invitation, accept=False, actor=personas.deputy
        )
    with pytest.raises(DomainError, match="只能答复本人"):
        services.invitation_respond(
            invitation=invitation, accept=True, actor=personas.other_deputy
        )
    invitation = services.invitation_respond(
        invitation=invitation, accept=True, actor=personas.deputy
    )
    assert invitation.status == MeetingInvitation.Status.ACCEPTED
    assert invitation.events.count() == 2
    invitation = services.invitation_mark(
        invitation=invitation, attended=True, actor=personas.county_staff
    )
    assert invitation.status == MeetingInvitation.Status.ATTENDED
    entry = LedgerEntry.objects.get(kind="standing_meeting_attended")
    assert entry.points == 2 and entry.mandate == deputies.own
    # The same again is a no-op; going back is refused with the reason.
    services.invitation_mark(invitation=invitation, attended=True, actor=None)
    assert LedgerEntry.objects.filter(kind="standing_meeting_attended").count() == 1
    with pytest.raises(TransitionError, match="已登记列席，不能改为未到会"):
        services.invitation_mark(invitation=invitation, attended=False, actor=None)
    with pytest.raises(TransitionError, match="出席情况已登记"):
        services.invitation_respond(
            invitation=invitation, accept=False, reason="有事", actor=personas.deputy
        )
    assert AuditEvent.objects.filter(action="invitation.status").count() == 2


def test_opinion_follow_up_and_close(meeting, deputies):
    services.meeting_invite(
        meeting=meeting, mandates=[deputies.own], topic="t", actor=None
    )
    invitation = meeting.invitations.get()
    with pytest.raises(TransitionError, match="只有已列席会议的代表的意见"):
        services.opinion_record(invitation=invitation, text="x", actor=None)
    invitation = services.invitation_mark(
        invitation=invitation, attended=True, actor=None
    )
    opinion = services.opinion_record(
        invitation=invitation, text="建议加快", actor=None
    )
    opinion = services.opinion_follow_up(
        opinion=opinion, due_date=timezone.localdate() + timedelta(days=30), actor=None
    )
    assert opinion.status == MeetingOpinion.Status.FOLLOWING
    again = services.opinion_follow_up(  # the same state: a no-op
        opinion=opinion,
        due_date=timezone.localdate() + timedelta(days=60),
        actor=None,
    )
    assert again.due_date == timezone.localdate() + timedelta(days=30)
    with pytest.raises(DomainError, match="请填写办理结果"):
        services.opinion_close(opinion=opinion, result=" ", actor=None)
    opinion = services.opinion_close(opinion=opinion, result="已纳入预算", actor=None)
    assert opinion.status == MeetingOpinion.Status.CLOSED
    assert list(opinion.events.values_list("to_state", flat=True)) == [
        "recorded",
        "following",
        "closed",
    ]


def test_invitations_refused_after_the_meeting(meeting, deputies):
    meeting.date = timezone.localdate() - timedelta(days=1)
    meeting.save()
    with pytest.raises(TransitionError, match="会议已经召开"):
        services.meeting_invite(
            meeting=meeting, mandates=[deputies.own], topic="t", actor=None
        )
