"""Who may do what with deputies' records (deputies.policies), persona by persona."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from deputies import services
from deputies.models import Activity, RosterImport
from deputies.policies import (
    ActivityPolicy,
    CongressPolicy,
    GroupPolicy,
    MandatePolicy,
    RosterPolicy,
    WorkspacePolicy,
)
from portal.policies import Forbidden

pytestmark = pytest.mark.django_db


def who(personas, policy, action, obj=None) -> set[str]:
    """The personas (and "anonymous") allowed ``action`` on ``obj``."""
    people = {name: getattr(personas, name) for name in vars(personas)}
    people["anonymous"] = AnonymousUser()
    return {name for name, user in people.items() if policy.allows(user, action, obj)}


# --- the workspace --------------------------------------------------------------------------


def test_staff_and_leaders_browse_the_workspace(personas, terms):
    assert who(personas, WorkspacePolicy, "browse") == {
        "admin",
        "province_staff",
        "county_staff",
        "other_county_staff",
        "township_staff",
        "leader",
    }


def test_only_congress_staff_create_records_and_leaders_only_read(personas, terms):
    assert who(personas, WorkspacePolicy, "create") == {
        "admin",
        "province_staff",
        "county_staff",
        "other_county_staff",
        "township_staff",
    }


def test_township_staff_cannot_create_delegations(personas, terms):
    allowed = who(personas, WorkspacePolicy, "create_delegation")
    assert "county_staff" in allowed
    assert "township_staff" not in allowed  # township congresses have none
    assert "leader" not in allowed


# --- mandates -------------------------------------------------------------------------------


def test_county_staff_manage_their_counties_mandates_only(personas, deputies):
    mandate = deputies.county[0]
    # Upper and lower congresses have no leadership relation (DESIGN.md §11):
    # the province supervises the county's deputies but does not act for them.
    assert who(personas, MandatePolicy, "manage", mandate) == {"admin", "county_staff"}
    assert who(personas, MandatePolicy, "terminate", mandate) == {
        "admin",
        "county_staff",
    }
    # Reading (full personal data, the timeline) stays with the congresses above.
    assert who(personas, MandatePolicy, "reveal", mandate) == {
        "admin",
        "province_staff",
        "county_staff",
    }
    assert "province_staff" in who(personas, MandatePolicy, "view_timeline", mandate)
    # Never the township's deputies from the county, a sibling or the region above.
    assert not MandatePolicy.allows(personas.county_staff, "manage", deputies.township)
    assert MandatePolicy.allows(personas.township_staff, "manage", deputies.township)
    assert not MandatePolicy.allows(personas.township_staff, "manage", mandate)
    assert not MandatePolicy.allows(
        personas.county_staff, "manage", deputies.other_county
    )


def test_leaders_see_the_timeline_but_change_nothing(personas, deputies):
    mandate = deputies.county[0]
    assert MandatePolicy.actions_for(personas.leader, mandate) == {"view_timeline"}
    assert MandatePolicy.actions_for(personas.other_county_staff, mandate) == set()


def test_a_deputy_may_not_change_their_own_mandate(personas, deputies):
    assert MandatePolicy.actions_for(personas.deputy, deputies.own) == set()


def test_qualification_actions_follow_the_allowed_transitions(personas, deputies):
    staff, mandate = personas.county_staff, deputies.county[0]
    flags = MandatePolicy.flags(staff, mandate)
    assert (flags["can_suspend"], flags["can_restore"], flags["can_terminate"]) == (
        True,
        False,
        True,
    )

    services.mandate_suspend(
        mandate=mandate, ground="detained", on=date(2026, 11, 2), actor=staff
    )
    flags = MandatePolicy.flags(staff, mandate)
    assert (flags["can_suspend"], flags["can_restore"], flags["can_terminate"]) == (
        False,
        True,
        True,
    )

    services.mandate_terminate(
        mandate=mandate,
        ground="resigned",
        on=date(2026, 11, 3),
        document_number="湘源县人大常委会公告〔2026〕第1号",
        actor=staff,
    )
    flags = MandatePolicy.flags(staff, mandate)
    assert (flags["can_suspend"], flags["can_restore"], flags["can_terminate"]) == (
        False,
        False,
        False,
    )
    assert flags["can_manage"]  # the person's data may still be corrected


def test_revealable_keeps_the_mandates_the_user_manages(personas, deputies):
    mandates = [deputies.county[0], deputies.other_county, deputies.township]
    assert MandatePolicy.revealable(personas.county_staff, mandates) == [
        deputies.county[0],
        deputies.township,
    ]
    assert MandatePolicy.revealable(personas.leader, mandates) == []
    assert MandatePolicy.revealable(personas.county_staff, []) == []


def test_require_raises_forbidden(personas, deputies):
    with pytest.raises(Forbidden):
        MandatePolicy.require(personas.leader, "manage", deputies.county[0])
    MandatePolicy.require(personas.county_staff, "manage", deputies.county[0])


# --- activities and groups ------------------------------------------------------------------


@pytest.fixture
def activity(deputies, world, personas):
    return services.activity_create(
        congress=world.county_congress,
        kind="research",
        title="调研",
        date=date(2026, 11, 5),
        participants=deputies.county[:2],
        actor=personas.county_staff,
    )


def test_activity_actions_while_pending(personas, activity):
    assert ActivityPolicy.actions_for(personas.county_staff, activity) == {
        "manage",
        "review",
        "record_attendance",
        "add_evidence",
        "view_timeline",
    }
    assert ActivityPolicy.actions_for(personas.leader, activity) == {"view_timeline"}
    assert ActivityPolicy.actions_for(personas.other_county_staff, activity) == set()
    assert ActivityPolicy.actions_for(personas.deputy, activity) == set()


def test_an_approved_activity_is_no_longer_reviewed_or_attended(personas, activity):
    staff = personas.county_staff
    services.activity_review(activity=activity, approve=True, actor=staff)
    activity.refresh_from_db()
    assert activity.review_status == Activity.Review.APPROVED
    assert ActivityPolicy.actions_for(staff, activity) == {
        "manage",
        "add_evidence",
        "view_timeline",
    }


def test_a_returned_activity_may_still_be_approved(personas, activity):
    staff = personas.county_staff
    services.activity_review(
        activity=activity, approve=False, note="缺少签到表", actor=staff
    )
    activity.refresh_from_db()
    assert ActivityPolicy.allows(staff, "review", activity)
    assert ActivityPolicy.allows(staff, "record_attendance", activity)


def test_activity_refusal_names_the_reason(personas, activity):
    with pytest.raises(Forbidden) as refused:
        ActivityPolicy.require(personas.leader, "manage", activity)
    assert str(refused.value) == (
        "只有组织活动的本级人大工作人员可以登记和审核活动；上级人大可以查阅和监督。"
    )


def test_activities_are_recorded_in_managed_congresses_only(personas, world, terms):
    assert CongressPolicy.allows(
        personas.county_staff, "record_activity", world.county_congress
    )
    # Not for the township below (it records its own) nor a sibling.
    assert not CongressPolicy.allows(
        personas.county_staff, "record_activity", world.township_congress
    )
    assert CongressPolicy.allows(
        personas.township_staff, "record_activity", world.township_congress
    )
    assert not CongressPolicy.allows(
        personas.county_staff, "record_activity", world.other_county_congress
    )
    assert not CongressPolicy.allows(
        personas.leader, "record_activity", world.county_congress
    )


def test_group_members_are_managed_by_the_groups_congress_staff(personas, world, terms):
    group = services.group_create(
        congress=world.county_congress, name="农业组", kind="professional", actor=None
    )
    assert who(personas, GroupPolicy, "manage", group) == {"admin", "county_staff"}


# --- roster import --------------------------------------------------------------------------


def test_only_managing_staff_import_rosters(personas, terms):
    assert who(personas, RosterPolicy, "import") == {
        "admin",
        "province_staff",
        "county_staff",
        "other_county_staff",
        "township_staff",
    }


def test_rows_may_name_only_congresses_the_user_manages(personas, world, terms):
    staff = personas.county_staff
    assert RosterPolicy.allows(staff, "import_into", world.county_congress)
    assert not RosterPolicy.allows(staff, "import_into", world.township_congress)
    assert not RosterPolicy.allows(staff, "import_into", world.other_county_congress)
    assert not RosterPolicy.allows(staff, "import_into", world.province_congress)


def test_only_a_valid_job_may_be_committed(personas, terms):
    staff = personas.county_staff
    job = RosterImport(status=RosterImport.Status.VALID)
    assert RosterPolicy.allows(staff, "commit", job)
    assert not RosterPolicy.allows(personas.leader, "commit", job)
    for status in (RosterImport.Status.INVALID, RosterImport.Status.DONE):
        assert not RosterPolicy.allows(staff, "commit", RosterImport(status=status))
