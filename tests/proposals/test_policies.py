"""proposals.policies: who may take which action on a suggestion, an assignment
and a key item, and in which states it is offered (read off the models'
allowed-transitions maps). ``require`` answers *who* (403); the state is the
service's refusal."""

import pytest
from django.utils import timezone

from portal.models import Role, RuleSet
from portal.policies import Forbidden
from portal.services import role_grant_create, rule_set_update
from proposals import policies, services
from proposals.models import Assignment, CoSigner, Suggestion
from proposals.policies import (
    AssignmentPolicy,
    DeskPolicy,
    KeyItemPolicy,
    SuggestionPolicy,
)
from tests.factories import UserFactory, make_mandate
from tests.proposals.conftest import assigned, draft, registered, replied

pytestmark = pytest.mark.django_db
S = Suggestion.Status
A = Assignment.Status


@pytest.fixture
def cosigner(pw):
    """A deputy of the same congress with a login, invited to co-sign."""
    user = UserFactory(username="cosigner_p")
    role_grant_create(user=user, role=Role.DEPUTY, congress=pw.congress, actor=None)
    return user, make_mandate(pw.congress, "附议甲", user=user)


def fresh(suggestion):
    return Suggestion.objects.select_related("lead__person", "congress__region").get(
        pk=suggestion.pk
    )


# --- phases come from the transitions maps -----------------------------------------


def test_phases_are_read_off_the_transitions_maps():
    expected = {
        "EDITABLE": {S.DRAFT, S.RETURNED},
        "UNDER_REVIEW": {S.SUBMITTED},
        "COSIGNABLE": {S.DRAFT, S.RETURNED, S.SUBMITTED},
        "MERGEABLE": {S.SUBMITTED, S.REGISTERED},
        "ASSIGNABLE": {S.REGISTERED},
        "RATEABLE": {S.REPLIED},
        "WORKING": {A.PENDING, A.ACCEPTED},
        "ACCEPTABLE": {A.PENDING},
        "REASSIGNABLE": {A.RETURNED},
    }
    assert {name: getattr(policies, name) for name in expected} == expected


# --- the lead deputy: edit, submit, withdraw ---------------------------------------


def test_lead_may_edit_submit_and_withdraw_a_draft(pw, personas):
    suggestion = fresh(draft(pw))
    actions = SuggestionPolicy.actions_for(personas.deputy, suggestion)
    assert {"edit", "submit", "withdraw"} <= actions
    assert not actions & {"register", "return", "reject", "merge", "assign"}


@pytest.mark.parametrize(
    "persona", ["other_deputy", "county_staff", "leader", "unit_staff", "nobody"]
)
def test_nobody_else_may_edit_submit_or_withdraw(pw, personas, persona):
    suggestion = fresh(draft(pw))
    user = getattr(personas, persona)
    assert not SuggestionPolicy.actions_for(user, suggestion) & {
        "edit",
        "submit",
        "withdraw",
    }
    for action in ("edit", "submit", "withdraw"):
        with pytest.raises(Forbidden, match="只有领衔代表本人可以执行此操作"):
            SuggestionPolicy.require(user, action, suggestion)


def test_after_submission_editing_is_not_offered_but_the_lead_is_not_refused(
    pw, personas
):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    suggestion = fresh(suggestion)
    assert not SuggestionPolicy.allows(personas.deputy, "edit", suggestion)
    assert SuggestionPolicy.allows(personas.deputy, "withdraw", suggestion)
    # The state is the service's to refuse, with its reason (not a 403).
    SuggestionPolicy.require(personas.deputy, "edit", suggestion)


def test_withdrawing_ends_with_the_first_reply(pw, world, personas):
    assert SuggestionPolicy.allows(
        personas.deputy, "withdraw", fresh(assigned(pw, world))
    )
    assert not SuggestionPolicy.allows(
        personas.deputy, "withdraw", fresh(replied(pw, world, personas))
    )


# --- co-signers --------------------------------------------------------------------


def test_an_invited_cosigner_may_cosign_until_review_is_over(pw, personas, cosigner):
    user, mandate = cosigner
    suggestion = draft(pw, co_signers=[mandate])
    assert SuggestionPolicy.allows(user, "cosign", fresh(suggestion))
    services.suggestion_submit(suggestion=suggestion, actor=None)
    assert SuggestionPolicy.allows(user, "cosign", fresh(suggestion))
    services.suggestion_register(suggestion=suggestion, actor=None)
    assert not SuggestionPolicy.allows(user, "cosign", fresh(suggestion))
    SuggestionPolicy.require(user, "cosign", fresh(suggestion))  # still a co-signer


def test_a_confirmed_cosigner_is_not_asked_again(pw, cosigner):
    user, mandate = cosigner
    suggestion = draft(pw, co_signers=[mandate])
    services.cosigner_respond(
        cosigner=CoSigner.objects.get(suggestion=suggestion), accept=True, actor=user
    )
    assert not SuggestionPolicy.allows(user, "cosign", fresh(suggestion))


@pytest.mark.parametrize("persona", ["deputy", "other_deputy", "county_staff"])
def test_who_is_not_a_cosigner_may_not_cosign(pw, personas, persona, cosigner):
    suggestion = fresh(draft(pw, co_signers=[cosigner[1]]))
    with pytest.raises(Forbidden, match="您不是该议案建议的联名代表"):
        SuggestionPolicy.require(getattr(personas, persona), "cosign", suggestion)


# --- rating ------------------------------------------------------------------------


def test_the_lead_rates_a_reply_once(pw, world, personas):
    suggestion = replied(pw, world, personas)
    assert SuggestionPolicy.allows(personas.deputy, "evaluate", fresh(suggestion))
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    assert not SuggestionPolicy.allows(personas.deputy, "evaluate", fresh(suggestion))


@pytest.mark.parametrize("persona", ["county_staff", "unit_staff", "other_deputy"])
def test_staff_units_and_other_deputies_never_rate(pw, world, personas, persona):
    suggestion = fresh(replied(pw, world, personas))
    with pytest.raises(Forbidden, match="只有领衔代表本人可以评价办理结果"):
        SuggestionPolicy.require(getattr(personas, persona), "evaluate", suggestion)


def test_a_confirmed_cosigner_rates_only_when_the_rule_allows(
    pw, world, personas, cosigner
):
    user, mandate = cosigner
    suggestion = draft(pw, co_signers=[mandate])
    services.cosigner_respond(
        cosigner=CoSigner.objects.get(suggestion=suggestion), accept=True, actor=user
    )
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_assign(
        suggestion=suggestion, units=[(world.unit, "lead")], actor=None
    )
    part = suggestion.assignments.get()
    services.assignment_contact(
        assignment=part,
        method="phone",
        date=timezone.localdate(),
        summary="电话",
        actor=None,
    )
    services.assignment_reply(assignment=part, category="A", text="已解决", actor=None)
    assert not SuggestionPolicy.allows(user, "evaluate", fresh(suggestion))
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=pw.congress, name="县"),
        values={"cosigners_may_rate": True},
        actor=None,
    )
    assert SuggestionPolicy.allows(user, "evaluate", fresh(suggestion))
    assert policies.rating_mandate(user, fresh(suggestion)) == mandate


# --- congress staff: review, merge, assign -----------------------------------------


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("county_staff", True),
        # The congress above reads and supervises but does not act (issue 13 §2).
        ("province_staff", False),
        ("admin", True),
        ("leader", False),  # leaders read, they do not act
        ("other_county_staff", False),
        ("township_staff", False),
        ("deputy", False),
        ("unit_staff", False),
    ],
)
def test_review_matrix(pw, personas, persona, allowed):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    user = getattr(personas, persona)
    actions = SuggestionPolicy.actions_for(user, fresh(suggestion))
    assert ({"register", "return", "reject", "merge"} <= actions) is allowed
    if not allowed:
        with pytest.raises(Forbidden, match="只有本级人大工作人员可以执行此操作"):
            SuggestionPolicy.require(user, "register", fresh(suggestion))


def test_assign_and_merge_follow_the_state(pw, world, personas):
    staff = personas.county_staff
    suggestion = fresh(registered(pw))
    assert {"assign", "merge"} <= SuggestionPolicy.actions_for(staff, suggestion)
    assert "register" not in SuggestionPolicy.actions_for(staff, suggestion)
    suggestion = fresh(assigned(pw, world))
    assert not SuggestionPolicy.actions_for(staff, suggestion) & {"assign", "merge"}


# --- assignments -------------------------------------------------------------------


def parts(pw, world):
    suggestion = assigned(pw, world)
    lead = Assignment.objects.select_related("suggestion__lead__person").get(
        suggestion=suggestion, role="lead"
    )
    co = Assignment.objects.select_related("suggestion__lead__person").get(
        suggestion=suggestion, role="co"
    )
    return lead, co


def test_the_lead_unit_accepts_and_replies_the_co_unit_sends_its_opinion(
    pw, world, personas
):
    lead, co = parts(pw, world)
    lead_actions = AssignmentPolicy.actions_for(personas.unit_staff, lead)
    assert {"accept", "contact", "request_extension", "request_return", "reply"} <= (
        lead_actions
    )
    assert "co_opinion" not in lead_actions
    co_actions = AssignmentPolicy.actions_for(personas.other_unit_staff, co)
    assert {"accept", "co_opinion"} <= co_actions
    assert "reply" not in co_actions  # co-units answer the lead unit, not the deputy


@pytest.mark.parametrize(
    "persona", ["other_unit_staff", "county_staff", "deputy", "leader"]
)
def test_only_the_units_staff_act_on_its_part(pw, world, personas, persona):
    lead, _co = parts(pw, world)
    user = getattr(personas, persona)
    for action in ("accept", "contact", "reply", "request_extension"):
        with pytest.raises(Forbidden, match="只有承办单位工作人员可以执行此操作"):
            AssignmentPolicy.require(user, action, lead)


def test_accepting_is_offered_once(pw, world, personas):
    lead, _co = parts(pw, world)
    services.assignment_accept(assignment=lead, actor=None)
    lead.refresh_from_db()
    actions = AssignmentPolicy.actions_for(personas.unit_staff, lead)
    assert "accept" not in actions and "reply" in actions


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("county_staff", True),
        ("deputy", True),  # the lead deputy
        ("leader", False),
        ("unit_staff", False),
        ("other_deputy", False),
    ],
)
def test_urge_matrix(pw, world, personas, persona, allowed):
    lead, _co = parts(pw, world)
    user = getattr(personas, persona)
    assert AssignmentPolicy.allows(user, "urge", lead) is allowed
    if not allowed:
        with pytest.raises(Forbidden, match="只有人大工作人员或领衔代表可以催办"):
            AssignmentPolicy.require(user, "urge", lead)


def test_a_replied_part_is_not_urged(pw, world, personas):
    suggestion = replied(pw, world, personas)
    lead = Assignment.objects.select_related("suggestion__lead__person").get(
        suggestion=suggestion, role="lead"
    )
    assert not AssignmentPolicy.allows(personas.county_staff, "urge", lead)


def test_a_returned_part_is_reassigned_by_staff(pw, world, personas):
    lead, _co = parts(pw, world)
    request = services.assignment_request_return(
        assignment=lead, reason="非本单位", actor=None
    )
    services.return_decide(request=request, approve=True, actor=None)
    lead.refresh_from_db()
    assert AssignmentPolicy.allows(personas.county_staff, "reassign", lead)
    assert not AssignmentPolicy.allows(personas.unit_staff, "reassign", lead)
    with pytest.raises(Forbidden):
        AssignmentPolicy.require(personas.leader, "decide", lead)


def test_commitments_are_completed_by_their_unit_or_staff(pw, world, personas):
    lead, _co = parts(pw, world)
    assert AssignmentPolicy.allows(personas.unit_staff, "complete_commitments", lead)
    assert AssignmentPolicy.allows(personas.county_staff, "complete_commitments", lead)
    for persona in ("other_unit_staff", "deputy", "leader"):
        with pytest.raises(Forbidden, match="只有承办单位或人大工作人员"):
            AssignmentPolicy.require(
                getattr(personas, persona), "complete_commitments", lead
            )


# --- key items and the desks -------------------------------------------------------


def test_key_item_is_supervised_by_its_leader_and_the_regions_staff(
    pw, world, personas
):
    suggestion = assigned(pw, world)
    item = services.key_item_create(
        congress=pw.congress,
        year=suggestion.year,
        title="农村公路重点督办",
        leader=personas.leader,
        suggestions=[suggestion],
        actor=None,
    )
    for persona in ("leader", "county_staff", "province_staff"):
        user = getattr(personas, persona)
        assert KeyItemPolicy.actions_for(user, item) == {"add_event", "evaluate"}
    other_leader = UserFactory(username="other_leader")
    role_grant_create(
        user=other_leader,
        role=Role.LEADER,
        congress=world.other_county_congress,
        actor=None,
    )
    for user in (other_leader, personas.other_county_staff, personas.unit_staff):
        with pytest.raises(Forbidden, match="牵头领导可以记录督办活动"):
            KeyItemPolicy.require(user, "add_event", item)


@pytest.mark.parametrize(
    "persona, staff_desk, acts, unit_desk",
    [
        ("admin", True, True, True),
        ("county_staff", True, True, False),
        ("leader", True, False, False),
        ("unit_staff", False, False, True),
        ("deputy", False, False, False),
        ("nobody", False, False, False),
    ],
)
def test_desks(pw, personas, persona, staff_desk, acts, unit_desk):
    user = getattr(personas, persona)
    assert DeskPolicy.allows(user, "read_staff_desk") is staff_desk
    assert DeskPolicy.allows(user, "act_on_staff_desk") is acts
    assert DeskPolicy.allows(user, "create_key_item") is acts
    assert DeskPolicy.allows(user, "read_unit_desk") is unit_desk


def test_only_deputies_with_a_current_mandate_draft(pw, personas):
    assert DeskPolicy.allows(personas.deputy, "draft")
    assert not DeskPolicy.allows(personas.county_staff, "draft")
    with pytest.raises(Forbidden, match="您没有本届代表资格"):
        DeskPolicy.require(personas.deputy, "draft", [])


def test_internal_notes_are_for_the_region_and_the_unit(pw, world, personas):
    lead, co = parts(pw, world)
    services.co_unit_opinion_send(assignment=co, text="内部意见", actor=None)
    event = lead.suggestion.events.get(internal=True)
    suggestion = fresh(lead.suggestion)

    def reads(user):
        return policies.event_readable(
            event,
            sees_all=policies.sees_internal_notes(user, suggestion),
            unit_ids=policies.own_unit_ids(user),
        )

    assert reads(personas.county_staff) and reads(personas.leader)
    assert reads(personas.other_unit_staff)  # the co-unit that wrote it
    assert not reads(personas.unit_staff) and not reads(personas.deputy)
