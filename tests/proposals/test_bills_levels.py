"""Bills decided by the presidium, statutory per-level thresholds, congresses of
different levels that supervise but do not act for each other, and forwarding a
suggestion up (issue 13 §1–2)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from deputies.models import Delegation
from portal import services as portal_services
from portal.models import Congress, Region, Role, RuleSet, Session
from portal.rules import rules_for
from portal.scoping import forget_scope, scope_for
from portal.services import DomainError, TransitionError
from proposals import services
from proposals.models import Suggestion, SuggestionEvent
from tests.factories import CongressFactory, RegionFactory, UserFactory, make_mandate

from .conftest import draft as _conftest_draft

S = Suggestion.Status
NOTE = {
    "research_activities": [],
    "research_note": "走访农户二十户",
    "research_place": "桃花村",
    "research_people": "村民、村干部",
}


def draft(pw, **extra):
    """A draft whose research basis is a complete research note."""
    return _conftest_draft(
        pw, **{**NOTE, "research_date": timezone.localdate(), **extra}
    )


def registered(pw, **extra):
    suggestion = draft(pw, **extra)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    return services.suggestion_register(suggestion=suggestion, actor=None)


def _bill(pw, n_cosigners=9, **extra):
    cosigners = pw.cosigners[:n_cosigners]
    bill = draft(pw, kind="bill", session=pw.session, co_signers=cosigners, **extra)
    for c in bill.cosigners.select_related("mandate__person"):
        c.mandate.person.user = c.mandate.person.user or UserFactory()
        c.mandate.person.save()
        services.cosigner_respond(cosigner=c, accept=True, actor=c.mandate.person.user)
    return bill


def _submitted_bill(pw, **extra):
    bill = _bill(pw, **extra)
    return services.suggestion_submit(suggestion=bill, actor=None)


# --- statutory thresholds ----------------------------------------------------------


def test_statutory_bill_threshold_per_level(world):
    national = CongressFactory(
        region=RegionFactory(name="中华人民共和国", level=Region.Level.NATIONAL),
        level=Congress.Level.NATIONAL,
    )
    assert rules_for(national).bill_min_cosigners == 30
    assert rules_for(world.province_congress).bill_min_cosigners == 10
    assert rules_for(world.county_congress).bill_min_cosigners == 10
    assert rules_for(world.township_congress).bill_min_cosigners == 5
    assert rules_for(world.township_congress).bill_delegation_may_submit is False
    assert rules_for(world.county_congress).bill_delegation_may_submit is True


def test_an_ancestor_rule_set_cannot_change_a_lower_levels_statutory_value(world):
    # Written directly (as an old row or a migration might have): ignored.
    RuleSet.objects.create(
        congress=world.county_congress,
        name="县规则",
        values={"bill_min_cosigners": 3, "assignment_due_months": 2},
    )
    assert rules_for(world.township_congress).bill_min_cosigners == 5
    assert rules_for(world.county_congress).bill_min_cosigners == 10
    # Non-statutory values are still inherited from the congress above.
    assert rules_for(world.township_congress).assignment_due_months == 2


def test_statutory_values_are_refused_when_editing_a_rule_set(world):
    rule_set = RuleSet.objects.create(congress=world.county_congress, name="县规则")
    with pytest.raises(ValidationError) as exc:
        portal_services.rule_set_update(
            rule_set=rule_set, values={"bill_min_cosigners": 8}, actor=None
        )
    assert "bill_min_cosigners" in exc.value.error_dict
    assert "法定" in str(exc.value.error_dict["bill_min_cosigners"])
    portal_services.rule_set_update(
        rule_set=rule_set, values={"assignment_due_months": 2}, actor=None
    )


def test_township_bill_needs_five_deputies(pw, world):
    township = world.township_congress
    session = Session.objects.create(
        term=pw.township_lead.term,
        number=1,
        start_date=pw.session.start_date,
        end_date=pw.session.end_date,
        bill_deadline=pw.session.bill_deadline,
    )
    cosigners = [make_mandate(township, f"乡附议{n}") for n in range(4)]
    bill = services.suggestion_create(
        lead=pw.township_lead,
        kind="bill",
        session=session,
        title="关于修订乡规的议案",
        problem="问题",
        analysis="分析",
        proposals="方案",
        research_note="走访",
        research_date=timezone.localdate(),
        research_place="桃花村",
        research_people="村民",
        co_signers=cosigners[:3],
        actor=None,
    )
    for c in bill.cosigners.all():
        c.status = "confirmed"
        c.save()
    with pytest.raises(DomainError) as exc:
        services.suggestion_submit(suggestion=bill, actor=None)
    assert "5名以上" in exc.value.message
    services.suggestion_invite_cosigners(
        suggestion=bill, mandates=[cosigners[3]], actor=None
    )
    bill.cosigners.update(status="confirmed")
    assert services.suggestion_submit(suggestion=bill, actor=None).status == S.SUBMITTED
    # Townships have no special committees: the presidium decides directly.
    with pytest.raises(DomainError):
        services.bill_decide(suggestion=bill, decision="committee", actor=None)
    assert (
        services.bill_decide(suggestion=bill, decision="agenda", actor=None).status
        == S.ON_AGENDA
    )


# --- the presidium decides ----------------------------------------------------------


def test_register_and_assign_on_an_undecided_bill_are_conflicts(
    pw, world, api_as, personas
):
    bill = _submitted_bill(pw)
    client = api_as(personas.county_staff)
    response = client.post(f"/api/v1/suggestions/{bill.pk}/register/")
    assert response.status_code == 409, response.content
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/assign/",
        {"units": [{"unit": world.unit.pk, "role": "lead"}]},
        format="json",
    )
    assert response.status_code == 409
    bill.refresh_from_db()
    assert bill.status == S.SUBMITTED and bill.number is None


def test_bill_on_the_agenda_is_voted(pw, api_as, personas):
    bill = _submitted_bill(pw)
    client = api_as(personas.county_staff)
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/bill-decision/",
        {"decision": "agenda", "document_number": "主席团〔2026〕1号"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "on_agenda"
    assert body["bill_decision"] == "agenda"
    assert body["bill_document_number"] == "主席团〔2026〕1号"
    assert body["number"] is not None
    # Registration points for a bill once, to the lead.
    assert pw.lead.ledger.filter(kind="bill_registered").count() == 1
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/bill-result/",
        {"result": "adopted"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "adopted"
    # Final: a second result is refused.
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/bill-result/",
        {"result": "not_adopted"},
        format="json",
    )
    assert response.status_code == 409


def test_committee_review_then_a_second_decision(pw, api_as, personas):
    bill = _submitted_bill(pw)
    client = api_as(personas.county_staff)
    url = f"/api/v1/suggestions/{bill.pk}/bill-decision/"
    assert (
        client.post(url, {"decision": "committee"}, format="json").json()["status"]
        == "committee_review"
    )
    assert client.post(url, {"decision": "committee"}, format="json").status_code == 409
    assert (
        client.post(url, {"decision": "agenda"}, format="json").json()["status"]
        == "on_agenda"
    )


def test_not_on_the_agenda_the_same_record_becomes_a_suggestion(
    pw, world, api_as, personas
):
    bill = _submitted_bill(pw)
    client = api_as(personas.county_staff)
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/bill-decision/",
        {"decision": "not_agenda", "note": "作为建议处理"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == bill.pk
    assert (body["kind"], body["status"]) == ("suggestion", "registered")
    assert body["converted_from_bill"] is True
    # History kept: creation and submission as a bill, then the decision.
    actions = list(
        SuggestionEvent.objects.filter(suggestion=bill).values_list("action", flat=True)
    )
    assert actions[:1] == ["create"] and "submit" in actions
    assert actions[-1] == "bill_not_agenda"
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/assign/",
        {"units": [{"unit": world.unit.pk, "role": "lead"}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "assigned"


def test_lead_withdraws_a_bill_before_the_vote(pw, api_as, personas):
    bill = _submitted_bill(pw)
    services.bill_decide(suggestion=bill, decision="agenda", actor=None)
    response = api_as(personas.deputy).post(f"/api/v1/suggestions/{bill.pk}/withdraw/")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


def test_bill_decision_bad_input_and_wrong_kind(pw, api_as, personas):
    bill = _submitted_bill(pw)
    client = api_as(personas.county_staff)
    url = f"/api/v1/suggestions/{bill.pk}/bill-decision/"
    response = client.post(url, {"decision": "maybe"}, format="json")
    assert response.status_code == 400 and "decision" in response.json()
    response = client.post(url, {}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/suggestions/{bill.pk}/bill-result/",
        {"result": "adopted"},
        format="json",
    )
    assert response.status_code == 409  # not on the agenda yet
    suggestion = registered(pw)
    response = client.post(
        f"/api/v1/suggestions/{suggestion.pk}/bill-decision/",
        {"decision": "agenda"},
        format="json",
    )
    assert response.status_code == 409


def test_only_the_bills_own_congress_decides(pw, api_as, personas):
    bill = _submitted_bill(pw)
    url = f"/api/v1/suggestions/{bill.pk}/bill-decision/"
    assert (
        api_as(personas.province_staff)
        .post(url, {"decision": "agenda"}, format="json")
        .status_code
        == 403
    )
    assert (
        api_as(personas.other_county_staff)
        .post(url, {"decision": "agenda"}, format="json")
        .status_code
        == 404
    )
    assert (
        api_as(personas.deputy)
        .post(url, {"decision": "agenda"}, format="json")
        .status_code
        == 403
    )
    # The province reads it.
    assert (
        api_as(personas.province_staff)
        .get(f"/api/v1/suggestions/{bill.pk}/")
        .status_code
        == 200
    )


def test_delegation_bill_needs_no_cosigners(pw, api_as, personas):
    delegation = Delegation.objects.create(
        congress=pw.congress, term=pw.term, name="城关镇代表团"
    )
    pw.lead.delegation = delegation
    pw.lead.save(update_fields=["delegation"])
    client = api_as(personas.deputy)
    response = client.post(
        "/api/v1/suggestions/",
        {
            "kind": "bill",
            "congress": pw.congress.pk,
            "session": pw.session.pk,
            "delegation": delegation.pk,
            "title": "关于制定农村公路条例的议案",
            "problem": "问题",
            "analysis": "分析",
            "proposals": "方案",
            "research_basis": {
                "note": "走访",
                "date": timezone.localdate().isoformat(),
                "place": "城关镇",
                "people": "居民",
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["proposer"] == "delegation"
    pk = response.json()["id"]
    response = client.post(f"/api/v1/suggestions/{pk}/submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    # Another delegation's name cannot be used.
    other = Delegation.objects.create(
        congress=pw.congress, term=pw.term, name="河西代表团"
    )
    response = client.post(
        "/api/v1/suggestions/",
        {
            "kind": "bill",
            "congress": pw.congress.pk,
            "delegation": other.pk,
            "title": "标题",
            "problem": "问题",
            "analysis": "",
            "proposals": "",
        },
        format="json",
    )
    assert response.status_code == 400 and "delegation" in response.json()
    response = client.post(
        "/api/v1/suggestions/",
        {
            "kind": "bill",
            "congress": pw.congress.pk,
            "delegation": 10**30,
            "title": "标题",
            "problem": "问题",
            "analysis": "",
            "proposals": "",
        },
        format="json",
    )
    assert response.status_code == 400


def test_bill_decision_page_for_the_congress_staff(pw, client, personas):
    bill = _submitted_bill(pw)
    client.force_login(personas.county_staff)
    page = client.get(reverse("proposals:detail", args=[bill.pk]))
    assert "记录主席团决定" in page.content.decode()
    assert 'value="committee"' in page.content.decode()
    response = client.post(
        reverse("proposals:bill_decision", args=[bill.pk]),
        {"decision": "agenda", "document_number": "1号"},
    )
    assert response.status_code == 302
    bill.refresh_from_db()
    assert bill.status == S.ON_AGENDA
    page = client.get(reverse("proposals:detail", args=[bill.pk]))
    assert "记录表决结果" in page.content.decode()
    client.force_login(personas.province_staff)
    page = client.get(reverse("proposals:detail", args=[bill.pk]))
    assert page.status_code == 200 and "记录表决结果" not in page.content.decode()
    response = client.post(
        reverse("proposals:bill_result", args=[bill.pk]), {"result": "adopted"}
    )
    assert response.status_code == 403


def test_sessions_api_lists_a_congress_sessions(pw, api_as, personas, api):
    response = api_as(personas.deputy).get(
        f"/api/v1/sessions/?congress={pw.congress.pk}"
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [pw.session.pk]
    assert rows[0]["bill_deadline"] and rows[0]["congress"] == pw.congress.pk
    assert (
        api_as(personas.deputy)
        .get(f"/api/v1/sessions/?congress={pw.township_congress.pk}")
        .json()["results"]
        == []
    )
    assert (
        api_as(personas.deputy).get("/api/v1/sessions/?congress=abc").status_code == 400
    )


# --- levels: upper congresses supervise, do not act --------------------------------


def test_upper_congress_reads_but_does_not_act(pw, world, api_as, personas):
    suggestion = services.suggestion_submit(suggestion=draft(pw), actor=None)
    for user in (personas.province_staff,):
        client = api_as(user)
        assert client.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200
        response = client.post(f"/api/v1/suggestions/{suggestion.pk}/register/")
        assert response.status_code == 403
        assert "上级人大" in response.json()["detail"]
        response = client.post(
            f"/api/v1/suggestions/{suggestion.pk}/return/",
            {"reason": "x"},
            format="json",
        )
        assert response.status_code == 403
    assert (
        api_as(personas.county_staff)
        .post(f"/api/v1/suggestions/{suggestion.pk}/register/")
        .status_code
        == 200
    )
    response = api_as(personas.province_staff).post(
        f"/api/v1/suggestions/{suggestion.pk}/assign/",
        {"units": [{"unit": world.unit.pk, "role": "lead"}]},
        format="json",
    )
    assert response.status_code == 403


def _township_suggestion(pw):
    lead = pw.township_lead
    suggestion = services.suggestion_create(
        lead=lead,
        title="关于县道改造的建议",
        problem="县道破损",
        analysis="车流大",
        proposals="列入县交通计划",
        research_note="走访",
        research_date=timezone.localdate(),
        research_place="桃花村",
        research_people="村民",
        actor=None,
    )
    services.suggestion_submit(suggestion=suggestion, actor=None)
    return suggestion


def test_county_staff_cannot_register_a_township_suggestion(pw, api_as, personas):
    suggestion = _township_suggestion(pw)
    county = api_as(personas.county_staff)
    assert county.get(f"/api/v1/suggestions/{suggestion.pk}/").status_code == 200
    assert (
        county.post(f"/api/v1/suggestions/{suggestion.pk}/register/").status_code == 403
    )
    township = api_as(personas.township_staff)
    assert (
        township.post(f"/api/v1/suggestions/{suggestion.pk}/register/").status_code
        == 200
    )


def test_forward_up_the_county_assigns_and_the_township_deputy_rates(
    pw, world, api_as, personas, django_capture_on_commit_callbacks
):
    suggestion = _township_suggestion(pw)
    services.suggestion_register(suggestion=suggestion, actor=None)
    township = api_as(personas.township_staff)
    # A township cannot give a county department the suggestion directly.
    with pytest.raises(DomainError):
        services.suggestion_assign(
            suggestion=suggestion, units=[(world.unit, "lead")], actor=None
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = township.post(
            f"/api/v1/suggestions/{suggestion.pk}/forward/",
            {"note": "属县交通运输局职责"},
            format="json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["handling_congress"] == world.county_congress.pk
    # Forwarded once.
    again = township.post(f"/api/v1/suggestions/{suggestion.pk}/forward/")
    assert again.status_code == 409  # already forwarded: a refused transition
    # The township no longer acts; the county does.
    response = api_as(personas.township_staff).post(
        f"/api/v1/suggestions/{suggestion.pk}/assign/",
        {"units": [{"unit": world.unit.pk, "role": "lead"}]},
        format="json",
    )
    assert response.status_code == 403
    county = api_as(personas.county_staff)
    listed = county.get("/api/v1/suggestions/?status=registered").json()["results"]
    assert suggestion.pk in [r["id"] for r in listed]
    response = county.post(
        f"/api/v1/suggestions/{suggestion.pk}/assign/",
        {"units": [{"unit": world.unit.pk, "role": "lead"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    # The county staff's to-do and the staff notification name it.
    assert personas.county_staff.notifications.filter(
        kind="suggestion.forwarded"
    ).exists()
    # The reply goes back to the township deputy, who rates it.
    assignment = suggestion.assignments.get()
    services.assignment_contact(
        assignment=assignment,
        method="phone",
        date=timezone.localdate(),
        summary="电话沟通",
        actor=None,
    )
    services.assignment_reply(
        assignment=assignment, category="A", text="已列入计划", actor=None
    )
    suggestion.refresh_from_db()
    assert suggestion.status == S.REPLIED
    from proposals.policies import SuggestionPolicy

    user = UserFactory(username="taohua_deputy")
    lead = pw.township_lead
    lead.person.user = user
    lead.person.save(update_fields=["user"])
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    assert "evaluate" in SuggestionPolicy.actions_for(user, suggestion)


def test_forward_refused_for_bills_and_unregistered_items(pw):
    bill = _submitted_bill(pw)
    with pytest.raises(TransitionError):
        services.suggestion_forward(suggestion=bill, actor=None)
    suggestion = services.suggestion_submit(suggestion=draft(pw), actor=None)
    with pytest.raises(TransitionError):
        services.suggestion_forward(suggestion=suggestion, actor=None)


def test_to_dos_are_for_the_acting_congress(pw, personas):
    from proposals.selectors.todos import staff_todos

    suggestion = _township_suggestion(pw)
    titles = [t.title for t in staff_todos(personas.township_staff)]
    assert any(suggestion.title in t for t in titles)
    titles = [t.title for t in staff_todos(personas.county_staff)]
    assert not any(suggestion.title in t for t in titles)


# --- sub-district (街道) scope -------------------------------------------------------


def test_subdistrict_staff_act_for_their_subdistrict_only(world):
    street = RegionFactory(
        name="城关街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    other_street = RegionFactory(
        name="河西街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    user = UserFactory(username="jiedao_staff")
    portal_services.role_grant_create(
        user=user, role=Role.CONGRESS_STAFF, region=street, actor=None
    )
    forget_scope(user)
    scope = scope_for(user)
    county_id = world.county_congress.pk
    assert scope.acts_for(county_id, street.path + "000099/")
    assert not scope.acts_for(county_id, other_street.path)
    assert not scope.acts_for(county_id, world.county.path)
    assert not scope.acts_for(world.township_congress.pk, world.township.path)
    assert scope.manages_path(street.path) and not scope.manages_path(world.county.path)
    # A township region grant for congress staff is refused (grant the congress).
    with pytest.raises(DomainError):
        portal_services.role_grant_create(
            user=user, role=Role.CONGRESS_STAFF, region=world.township, actor=None
        )


def test_admin_refuses_a_statutory_value_with_a_field_error(client, world, personas):
    client.force_login(personas.admin)
    response = client.post(
        reverse("admin:portal_ruleset_add"),
        {
            "name": "湘源县规则",
            "congress": world.county_congress.pk,
            "level": "",
            "values": '{"bill_min_cosigners": 3}',
        },
    )
    assert response.status_code == 200
    assert "法定数值" in response.content.decode()
    assert not RuleSet.objects.filter(congress=world.county_congress).exists()
    response = client.post(
        reverse("admin:portal_ruleset_add"),
        {
            "name": "湘源县规则",
            "congress": world.county_congress.pk,
            "level": "",
            "values": '{"assignment_due_months": 2}',
        },
    )
    assert response.status_code == 302


def test_bill_decision_page_without_a_choice_is_a_form_error(pw, client, personas):
    bill = _submitted_bill(pw)
    client.force_login(personas.county_staff)
    response = client.post(reverse("proposals:bill_decision", args=[bill.pk]), {})
    assert response.status_code == 400
    assert "请按提示修改后再提交" in response.content.decode()
    bill.refresh_from_db()
    assert bill.status == S.SUBMITTED and bill.bill_decision == ""
