"""API: deputies/ (masking, reveal audit, scoping), deputy-groups/, activities/."""

from datetime import date

import pytest

from deputies import services
from portal import services as portal_services
from portal.models import AuditEvent, Role
from tests.factories import CongressFactory, UserFactory, make_mandate

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"


@pytest.fixture
def township_congress(world):
    return CongressFactory(
        region=world.township2, term_number=19, term_start=date(2026, 9, 25)
    )


@pytest.fixture
def mandates(township_congress, personas):
    own = make_mandate(township_congress, "丁一", user=personas.deputy, mobile=MOBILE)
    others = [
        make_mandate(township_congress, name, mobile=MOBILE)
        for name in ["王五", "李四"]
    ]
    return [own, *others]


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_county_staff_list_is_masked_by_default(api_as, personas, mandates):
    result = rows(api_as(personas.county_staff).get("/api/v1/deputies/"))
    assert [r["name"] for r in result] == ["丁一", "王五", "李四"]
    assert all(r["mobile"] == "139****5678" and r["masked"] for r in result)
    assert all("*" in r["id_number"] for r in result)
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_reveal_by_managing_staff_is_audited_per_deputy(api_as, personas, mandates):
    result = rows(
        api_as(personas.county_staff).get("/api/v1/deputies/", {"reveal": "1"})
    )
    assert all(r["mobile"] == MOBILE and not r["masked"] for r in result)
    events = AuditEvent.objects.filter(
        action="personal_data.reveal", actor=personas.county_staff
    )
    assert events.count() == 3


def test_a_revealing_answer_is_never_stored(api_as, personas, mandates):
    """Full values in an answer: ``Cache-Control: no-store`` (issue 15)."""
    client = api_as(personas.county_staff)
    detail = client.get(f"/api/v1/deputies/{mandates[1].pk}/", {"reveal": "1"})
    assert detail.json()["mobile"] == MOBILE
    assert "no-store" in detail["Cache-Control"]
    listed = client.get("/api/v1/deputies/", {"reveal": "1"})
    assert "no-store" in listed["Cache-Control"]
    masked = client.get("/api/v1/deputies/")
    assert "no-store" not in masked.get("Cache-Control", "")


def test_detail_is_masked_until_managing_staff_ask_to_reveal(
    api_as, personas, mandates
):
    client = api_as(personas.county_staff)
    url = f"/api/v1/deputies/{mandates[1].pk}/"
    masked = client.get(url)
    assert masked.json()["mobile"] == "139****5678" and masked.json()["masked"]
    assert "no-store" not in masked.get("Cache-Control", "")
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()
    body = client.get(url, {"reveal": "1"}).json()
    assert body["mobile"] == MOBILE
    assert (
        AuditEvent.objects.filter(
            action="personal_data.reveal", object_id=str(mandates[1].pk)
        ).count()
        == 1
    )


@pytest.mark.parametrize("persona", ["leader", "deputy"])
def test_readers_who_do_not_manage_never_see_full_values(
    api_as, personas, mandates, persona
):
    user = getattr(personas, persona)
    client = api_as(user)
    visible = rows(client.get("/api/v1/deputies/", {"reveal": "1"}))
    assert visible and all(
        r["masked"] and r["mobile"] == "139****5678" for r in visible
    )
    detail = client.get(f"/api/v1/deputies/{visible[0]['id']}/", {"reveal": "1"})
    assert detail.json()["masked"]
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_deputy_sees_only_own_mandate(api_as, personas, mandates):
    client = api_as(personas.deputy)
    assert [r["name"] for r in rows(client.get("/api/v1/deputies/"))] == ["丁一"]
    assert client.get(f"/api/v1/deputies/{mandates[1].pk}/").status_code == 404


@pytest.mark.parametrize(
    "persona", ["other_county_staff", "unit_staff", "other_deputy"]
)
def test_out_of_scope_is_404_and_empty(api_as, personas, mandates, persona):
    client = api_as(getattr(personas, persona))
    assert rows(client.get("/api/v1/deputies/")) == []
    assert client.get(f"/api/v1/deputies/{mandates[0].pk}/").status_code == 404


def test_anonymous_is_401(api, mandates):
    assert api.get("/api/v1/deputies/").status_code == 401


def test_filters_and_pinyin_order(api_as, personas, mandates):
    services.mandate_suspend(
        mandate=mandates[2], ground="detained", on=date(2026, 11, 1), actor=None
    )
    client = api_as(personas.county_staff)
    assert [
        r["name"]
        for r in rows(client.get("/api/v1/deputies/", {"status": "suspended"}))
    ] == ["李四"]
    assert [r["name"] for r in rows(client.get("/api/v1/deputies/", {"q": "王"}))] == [
        "王五"
    ]
    assert [
        r["name"] for r in rows(client.get("/api/v1/deputies/", {"order": "pinyin"}))
    ] == ["丁一", "李四", "王五"]
    assert client.get("/api/v1/deputies/", {"status": "nonsense"}).status_code == 400


def test_keyset_pages_walk_the_whole_list(api_as, personas, township_congress):
    for n in range(7):
        make_mandate(township_congress, f"代表{n}")
    client = api_as(personas.county_staff)
    seen, url = [], "/api/v1/deputies/?page_size=3"
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 7


def test_list_query_count_is_constant(
    api_as, personas, township_congress, django_assert_num_queries
):
    for n in range(3):
        make_mandate(township_congress, f"代表{n}")
    client = api_as(personas.county_staff)
    client.get("/api/v1/deputies/")
    # The page, the groups, and the congress, term and constituency read by id
    # (with_list_related; no delegation or electing congress here).
    with django_assert_num_queries(5):
        client.get("/api/v1/deputies/")
    for n in range(3, 15):
        make_mandate(township_congress, f"代表{n}")
    with django_assert_num_queries(5):
        assert len(rows(client.get("/api/v1/deputies/"))) == 15


def test_groups_api_is_scoped(api_as, personas, township_congress, mandates):
    services.group_create(
        congress=township_congress,
        name="第一小组",
        kind="regional",
        leader=mandates[0],
        actor=None,
    )
    assert [
        g["member_count"]
        for g in rows(api_as(personas.county_staff).get("/api/v1/deputy-groups/"))
    ] == [1]
    assert rows(api_as(personas.other_county_staff).get("/api/v1/deputy-groups/")) == []


def test_activity_create_review_and_confirm(
    api_as, personas, township_congress, mandates
):
    body = {
        "congress": township_congress.pk,
        "kind": "research",
        "title": "调研",
        "date": "2026-11-10",
        "participants": [m.pk for m in mandates],
    }
    # The county above supervises the township; it does not record for it.
    county = api_as(personas.county_staff)
    refused = county.post("/api/v1/activities/", body, format="json")
    assert refused.status_code == 403
    assert "上级人大可以查阅和监督" in refused.json()["detail"]
    township_staff = UserFactory()
    portal_services.role_grant_create(
        user=township_staff,
        role=Role.CONGRESS_STAFF,
        congress=township_congress,
        actor=None,
    )
    staff = api_as(township_staff)
    response = staff.post("/api/v1/activities/", body, format="json")
    assert response.status_code == 201, response.content
    activity_id = response.json()["id"]
    deputy = api_as(personas.deputy)
    assert deputy.post(f"/api/v1/activities/{activity_id}/confirm/").status_code == 200
    assert (
        api_as(personas.county_staff)
        .post(
            f"/api/v1/activities/{activity_id}/review/",
            {"approve": True},
            format="json",
        )
        .status_code
        == 403
    )
    staff = api_as(township_staff)
    response = staff.post(
        f"/api/v1/activities/{activity_id}/review/", {"approve": True}, format="json"
    )
    assert response.json()["review_status"] == "approved"
    again = staff.post(
        f"/api/v1/activities/{activity_id}/attendance/",
        {"mandate": mandates[1].pk, "status": "absent"},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["detail"] == "活动已审核，不能再修改出席情况。"


def test_activity_create_errors_are_400(api_as, personas, township_congress):
    staff = api_as(personas.county_staff)
    response = staff.post(
        "/api/v1/activities/",
        {"congress": township_congress.pk, "kind": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"kind", "title", "date", "participants"}
    leader = api_as(personas.leader)
    denied = leader.post(
        "/api/v1/activities/",
        {
            "congress": township_congress.pk,
            "kind": "research",
            "title": "t",
            "date": "2026-11-10",
            "participants": [],
        },
        format="json",
    )
    assert denied.status_code == 403
    other = api_as(personas.other_county_staff).post(
        "/api/v1/activities/",
        {
            "congress": township_congress.pk,
            "kind": "research",
            "title": "t",
            "date": "2026-11-10",
            "participants": [],
        },
        format="json",
    )
    assert other.status_code == 400


def test_a_deputy_without_a_birth_date_is_listed_with_null(
    api_as, personas, township_congress
):
    """A roster row without a birth date: null, which the schema allows (issue 15,
    Schemathesis: the schema said a date string)."""
    make_mandate(township_congress, "周七", birth_date=None)
    client = api_as(personas.county_staff)
    row = next(r for r in rows(client.get("/api/v1/deputies/")) if r["name"] == "周七")
    assert row["birth_date"] is None
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["Mandate"]["properties"]["birth_date"][
        "nullable"
    ]
