"""Proposals API per API.md, with the permission matrix of §11."""

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import Suggestion
from tests.proposals.conftest import assigned, draft, publish, registered, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def create_payload(pw, **extra):
    return {
        "kind": "suggestion",
        "congress": pw.congress.pk,
        "title": "关于加强农村公路养护的建议",
        "problem": "村道坑洼",
        "analysis": "资金不足",
        "proposals": "建立路长制",
        **extra,
    }


def test_deputy_creates_a_draft_then_submit_needs_research(api_as, pw, personas):
    client = api_as(personas.deputy)
    response = client.post("/api/v1/suggestions/", create_payload(pw), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["lead_name"] == "丁一"
    submit = client.post(f"/api/v1/suggestions/{body['id']}/submit/")
    assert submit.status_code == 400
    assert "无调研不建议" in submit.json()["research_basis"][0]
    patch = client.patch(
        f"/api/v1/suggestions/{body['id']}/",
        {"research_basis": {"activities": [pw.activity.pk]}},
        format="json",
    )
    assert patch.status_code == 200
    assert (
        client.post(f"/api/v1/suggestions/{body['id']}/submit/").json()["status"]
        == "submitted"
    )
    assert (
        client.patch(
            f"/api/v1/suggestions/{body['id']}/", {"title": "x"}, format="json"
        ).status_code
        == 409
    )


def test_create_validation_errors_are_400(api_as, pw, personas):
    client = api_as(personas.deputy)
    response = client.post("/api/v1/suggestions/", {"kind": "nonsense"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "congress", "title", "problem"}
    other = client.post(
        "/api/v1/suggestions/",
        create_payload(pw, congress=pw.township_congress.pk),
        format="json",
    )
    assert other.status_code == 400 and "congress" in other.json()


def test_non_deputy_cannot_create(api_as, pw, personas):
    assert (
        api_as(personas.county_staff)
        .post("/api/v1/suggestions/", create_payload(pw), format="json")
        .status_code
        == 400
    )


def test_drafts_are_the_leads_alone(api_as, pw, personas):
    suggestion = draft(pw)
    assert (
        api_as(personas.deputy).get(f"/api/v1/suggestions/{suggestion.pk}/").status_code
        == 200
    )
    for persona in ("county_staff", "leader", "admin", "other_deputy", "unit_staff"):
        assert (
            api_as(getattr(personas, persona))
            .get(f"/api/v1/suggestions/{suggestion.pk}/")
            .status_code
            == 404
        ), persona


MATRIX_READ = {
    "deputy": 200,
    "county_staff": 200,
    "leader": 200,
    "province_staff": 200,
    "admin": 200,
    "unit_staff": 200,
    "other_unit_staff": 200,  # co-unit
    "other_county_staff": 404,
    "other_deputy": 404,
    "township_staff": 404,
    "township_gov": 404,
}


@pytest.mark.parametrize(("persona", "code"), MATRIX_READ.items())
def test_read_matrix_of_an_assigned_suggestion(
    api_as, pw, world, personas, persona, code
):
    suggestion = assigned(pw, world)
    response = api_as(getattr(personas, persona)).get(
        f"/api/v1/suggestions/{suggestion.pk}/"
    )
    assert response.status_code == code


def test_anonymous_gets_401(api, pw):
    assert api.get("/api/v1/suggestions/").status_code == 401
    assert api.get("/api/v1/assignments/").status_code == 401


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("county_staff", 200),
        ("leader", 403),
        ("deputy", 403),
        ("other_county_staff", 404),
        ("unit_staff", 404),
    ],
)
def test_register_matrix(api_as, pw, personas, persona, code):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    response = api_as(getattr(personas, persona)).post(
        f"/api/v1/suggestions/{suggestion.pk}/register/"
    )
    assert response.status_code == code


def test_staff_review_actions(api_as, pw, world, personas):
    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    staff = api_as(personas.county_staff)
    assert (
        staff.post(
            f"/api/v1/suggestions/{suggestion.pk}/return/", {}, format="json"
        ).status_code
        == 400
    )
    body = staff.post(
        f"/api/v1/suggestions/{suggestion.pk}/return/",
        {"reason": "请补充分析"},
        format="json",
    ).json()
    assert body["status"] == "returned"
    assert (
        staff.post(f"/api/v1/suggestions/{suggestion.pk}/register/").status_code == 409
    )
    deputy = api_as(personas.deputy)
    assert (
        deputy.post(f"/api/v1/suggestions/{suggestion.pk}/submit/").status_code == 200
    )
    staff = api_as(personas.county_staff)
    assert (
        staff.post(f"/api/v1/suggestions/{suggestion.pk}/register/").json()["number"]
        == 1
    )
    response = staff.post(
        f"/api/v1/suggestions/{suggestion.pk}/assign/",
        {
            "units": [
                {"unit": world.unit.pk, "role": "lead"},
                {"unit": world.other_unit.pk, "role": "co"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    assert {a["role"] for a in response.json()["assignments"]} == {"lead", "co"}
    bad = staff.post(
        f"/api/v1/suggestions/{suggestion.pk}/assign/",
        {"units": [{"unit": 99999, "role": "lead"}]},
        format="json",
    )
    assert bad.status_code == 400


def test_unit_sees_only_its_assignments_and_replies_after_contact(
    api_as, pw, world, personas
):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    unit = api_as(personas.unit_staff)
    rows = unit.get("/api/v1/assignments/").json()["results"]
    assert [r["id"] for r in rows] == [lead.pk]
    assert rows[0]["status"] == "pending" and rows[0]["rating"] is None
    co = suggestion.assignments.get(role="co")
    assert unit.get(f"/api/v1/assignments/{co.pk}/").status_code == 404
    no_contact = unit.post(
        f"/api/v1/assignments/{lead.pk}/reply/",
        {"category": "A", "text": "已解决"},
        format="json",
    )
    assert no_contact.status_code == 400
    assert no_contact.json()["contact"] == ["该建议尚未记录与代表的沟通，不能答复。"]
    assert (
        unit.post(f"/api/v1/assignments/{lead.pk}/accept/").json()["status"]
        == "accepted"
    )
    contact = unit.post(
        f"/api/v1/assignments/{lead.pk}/contact/",
        {"method": "meeting", "date": TODAY().isoformat(), "summary": "面商"},
        format="json",
    )
    assert contact.status_code == 200
    reply = unit.post(
        f"/api/v1/assignments/{lead.pk}/reply/",
        {"category": "A", "text": "已解决"},
        format="json",
    )
    assert reply.json()["status"] == "replied"
    other_unit = api_as(personas.other_unit_staff)
    assert (
        other_unit.post(
            f"/api/v1/assignments/{lead.pk}/reply/",
            {"category": "A", "text": "x"},
            format="json",
        ).status_code
        == 404
    )


def test_rating_is_hidden_until_submitted_then_visible_to_unit(
    api_as, pw, world, personas
):
    suggestion = replied(pw, world, personas)
    lead = suggestion.assignments.get(role="lead")
    unit = api_as(personas.unit_staff)
    assert unit.get(f"/api/v1/assignments/{lead.pk}/").json()["rating"] is None
    assert (
        unit.post(
            f"/api/v1/suggestions/{suggestion.pk}/evaluate/",
            {"result": "satisfied", "attitude": "satisfied"},
            format="json",
        ).status_code
        == 403
    )
    deputy = api_as(personas.deputy)
    response = deputy.post(
        f"/api/v1/suggestions/{suggestion.pk}/evaluate/",
        {"result": "satisfied", "attitude": "basically_satisfied"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "closed"
    again = deputy.post(
        f"/api/v1/suggestions/{suggestion.pk}/evaluate/",
        {"result": "dissatisfied", "attitude": "dissatisfied"},
        format="json",
    )
    assert again.status_code == 409
    unit = api_as(personas.unit_staff)
    assert unit.get(f"/api/v1/assignments/{lead.pk}/").json()["rating"] == {
        "round": 1,
        "result": "satisfied",
        "attitude": "basically_satisfied",
    }


def test_bad_evaluation_values_are_400(api_as, pw, world, personas):
    suggestion = replied(pw, world, personas)
    response = api_as(personas.deputy).post(
        f"/api/v1/suggestions/{suggestion.pk}/evaluate/",
        {"result": "great"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()) == {
        "result",
        "attitude",
    }


def test_extension_request_and_decision(api_as, pw, world, personas):
    lead = assigned(pw, world).assignments.get(role="lead")
    unit = api_as(personas.unit_staff)
    too_far = unit.post(
        f"/api/v1/assignments/{lead.pk}/request_extension/",
        {"new_due_date": "2030-01-01", "reason": "资金"},
        format="json",
    )
    assert too_far.status_code == 400 and "new_due_date" in too_far.json()
    new_due = lead.due_date.replace(day=1) if lead.due_date.day > 1 else lead.due_date
    from portal.workdays import add_months

    new_due = add_months(lead.assigned_on, 5)
    ok = unit.post(
        f"/api/v1/assignments/{lead.pk}/request_extension/",
        {"new_due_date": new_due.isoformat(), "reason": "资金未到位"},
        format="json",
    )
    assert ok.status_code == 200
    request_id = lead.extension_requests.get().pk
    assert (
        api_as(personas.unit_staff)
        .post(
            f"/api/v1/extension-requests/{request_id}/decide/",
            {"approve": True},
            format="json",
        )
        .status_code
        == 404
    )
    decided = api_as(personas.county_staff).post(
        f"/api/v1/extension-requests/{request_id}/decide/",
        {"approve": True},
        format="json",
    )
    assert decided.json()["status"] == "approved"
    lead.refresh_from_db()
    assert lead.due_date == new_due


def test_withdraw_by_lead_only(api_as, pw, personas):
    suggestion = registered(pw)
    assert (
        api_as(personas.county_staff)
        .post(f"/api/v1/suggestions/{suggestion.pk}/withdraw/")
        .status_code
        == 403
    )
    assert (
        api_as(personas.deputy)
        .post(f"/api/v1/suggestions/{suggestion.pk}/withdraw/")
        .json()["status"]
        == "withdrawn"
    )


def test_internal_co_unit_notes_hidden_from_other_units(api_as, pw, world, personas):
    suggestion = assigned(pw, world)
    co = suggestion.assignments.get(role="co")
    services.co_unit_opinion_send(
        assignment=co, text="内部意见：建议交通局牵头", actor=None
    )
    lead_unit = (
        api_as(personas.unit_staff).get(f"/api/v1/suggestions/{suggestion.pk}/").json()
    )
    assert "内部意见" not in str(lead_unit["events"])
    co_unit = (
        api_as(personas.other_unit_staff)
        .get(f"/api/v1/suggestions/{suggestion.pk}/")
        .json()
    )
    assert "内部意见" in str(co_unit["events"])
    staff = (
        api_as(personas.county_staff)
        .get(f"/api/v1/suggestions/{suggestion.pk}/")
        .json()
    )
    assert "内部意见" in str(staff["events"])


def test_public_replies_searchable_without_personal_data(api, pw, world, personas):
    suggestion = publish(replied(pw, world, personas))
    draft(pw, title="未公开")
    rows = api.get("/api/v1/public/suggestions/", {"q": "农村公路"}).json()["results"]
    assert [r["id"] for r in rows] == [suggestion.pk]
    assert rows[0]["replies"][0]["text"] == "已纳入计划"
    assert "13800138000" not in str(rows)
    Suggestion.objects.filter(pk=suggestion.pk).update(is_public=False)
    assert api.get("/api/v1/public/suggestions/").json()["results"] == []


def test_similar_endpoint(api_as, pw, personas):
    registered(pw)
    response = api_as(personas.deputy).get(
        "/api/v1/suggestions/similar/",
        {"congress": pw.congress.pk, "text": "农村公路养护"},
    )
    assert (
        response.status_code == 200
        and response.json()[0]["title"] == "关于加强农村公路养护的建议"
    )
    assert (
        api_as(personas.deputy).get("/api/v1/suggestions/similar/").status_code == 400
    )


def test_similar_endpoint_is_scoped_like_the_write_form(api_as, pw, personas):
    """Issue 15: titles of another congress's suggestions to any logged-in user."""
    registered(pw)
    query = {"congress": pw.congress.pk, "text": "农村公路养护"}
    for outsider in (personas.other_county_staff, personas.unit_staff, personas.nobody):
        response = api_as(outsider).get("/api/v1/suggestions/similar/", query)
        assert response.status_code == 404, outsider
        assert "农村公路" not in response.content.decode()
    assert (
        api_as(personas.county_staff)
        .get("/api/v1/suggestions/similar/", query)
        .status_code
        == 200
    )


@pytest.mark.parametrize("congress", ["abc", "null", "-", "1.5"])
def test_similar_endpoint_refuses_a_bad_congress_with_400(
    api_as, pw, personas, congress
):
    response = api_as(personas.deputy).get(
        "/api/v1/suggestions/similar/", {"congress": congress, "text": "x"}
    )
    assert response.status_code == 400
    assert "congress" in response.json()


def test_list_query_counts_are_constant(
    api_as, pw, world, personas, django_assert_num_queries
):
    for n in range(2):
        assigned(pw, world, title=f"建议{n}")
    staff = api_as(personas.county_staff)
    unit = api_as(personas.unit_staff)
    staff.get("/api/v1/suggestions/")
    unit.get("/api/v1/assignments/")
    # Suggestions: the page and the congress read by id (with_list_related);
    # assignments: the page and the evaluations (a list prefetches no replies).
    with django_assert_num_queries(2):
        staff.get("/api/v1/suggestions/")
    with django_assert_num_queries(2):
        unit.get("/api/v1/assignments/")
    for n in range(2, 8):
        assigned(pw, world, title=f"建议{n}")
    with django_assert_num_queries(2):
        assert len(staff.get("/api/v1/suggestions/").json()["results"]) == 8
    with django_assert_num_queries(2):
        assert len(unit.get("/api/v1/assignments/").json()["results"]) == 8


@pytest.mark.parametrize("kind", ["extension-requests", "return-requests"])
def test_options_on_a_decision_describes_it_and_is_not_a_500(api_as, personas, kind):
    """The decision views had no serializer: OPTIONS answered 500 (issue 15)."""
    response = api_as(personas.county_staff).options(f"/api/v1/{kind}/1/decide/")
    assert response.status_code == 200
    assert "approve" in response.json()["actions"]["POST"]
