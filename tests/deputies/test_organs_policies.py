"""Issue 16 (organs): who may plan and record for an organ, who acts on a
standing-committee meeting, and the catch-up of the meeting reminder."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deputies import organ_services as services
from deputies.organ_policies import (
    InvitationPolicy,
    MeetingPolicy,
    OrganPlanPolicy,
    OrganWorkspacePolicy,
    plannable_units,
)
from portal.models import HandlingUnit
from portal.notifications import run_reminders
from portal.policies import Forbidden

pytestmark = pytest.mark.django_db


@pytest.fixture
def township_gov_unit(world):
    return HandlingUnit.objects.create(
        name="桃花乡人民政府",
        region=world.township,
        kind=HandlingUnit.Kind.TOWNSHIP_GOVERNMENT,
    )


def test_township_staff_plan_for_their_township_government(
    personas, world, deputies, township_gov_unit
):
    units = set(plannable_units(personas.township_staff))
    assert township_gov_unit in units
    assert world.unit not in units  # the county's organs are the county's
    plan = services.organ_plan_create(
        unit=township_gov_unit,
        year=timezone.localdate().year,
        deputies=[deputies.township],
        actor=personas.township_staff,
    )
    assert plan.congress == world.township_congress
    assert OrganPlanPolicy.allows(personas.township_staff, "record_contact", plan)
    assert not OrganPlanPolicy.allows(personas.county_staff, "record_contact", plan)


def test_unit_staff_plan_only_for_their_own_organ(personas, world):
    assert list(plannable_units(personas.unit_staff)) == [world.unit]
    assert OrganWorkspacePolicy.allows(personas.unit_staff, "create_plan")
    assert not OrganWorkspacePolicy.allows(personas.deputy, "create_plan")
    assert not OrganWorkspacePolicy.allows(personas.unit_staff, "coverage")


def test_only_the_own_congress_acts_on_a_meeting(personas, world, deputies):
    meeting = services.standing_meeting_create(
        congress=world.county_congress,
        number=1,
        date=timezone.localdate() + timedelta(days=1),
        actor=None,
    )
    assert MeetingPolicy.allows(personas.county_staff, "manage", meeting)
    assert not MeetingPolicy.allows(personas.province_staff, "manage", meeting)
    with pytest.raises(Forbidden):
        MeetingPolicy.require(personas.leader, "manage", meeting)
    services.meeting_invite(
        meeting=meeting, mandates=[deputies.own], topic="t", actor=None
    )
    invitation = meeting.invitations.get()
    assert InvitationPolicy.allows(personas.deputy, "respond", invitation)
    assert not InvitationPolicy.allows(personas.county_staff, "respond", invitation)
    assert not OrganWorkspacePolicy.allows(personas.township_staff, "create_meeting")


def test_meeting_reminder_catches_up_on_the_day(personas, world, deputies):
    today = timezone.localdate()
    meeting = services.standing_meeting_create(
        congress=world.county_congress, number=1, date=today, actor=None
    )
    services.meeting_invite(
        meeting=meeting, mandates=[deputies.own], topic="t", actor=None
    )
    # The run of the day before was missed: today's run still reminds, once.
    assert run_reminders(today)["standing_meeting.tomorrow"] == 1
    assert run_reminders(today)["standing_meeting.tomorrow"] == 0
    # After the meeting nothing is sent.
    assert run_reminders(today + timedelta(days=1))["standing_meeting.tomorrow"] == 0
    note = personas.deputy.notifications.get(kind="standing_meeting.tomorrow")
    assert note.title.startswith("今天")
