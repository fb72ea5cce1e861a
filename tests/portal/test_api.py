"""API skeleton: token auth and lockout, /me/, scoped read endpoints, error format."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.demo import ACCOUNTS, DEMO_PASSWORD
from portal.models import Region
from tests.factories import TEST_PASSWORD, RegionFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_token_for_good_credentials(api, personas):
    response = api.post(
        TOKEN_URL, {"username": "county_staff", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "county_staff"


def test_bad_credentials_are_400_in_chinese(api, personas):
    response = api.post(TOKEN_URL, {"username": "county_staff", "password": "wrong"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["用户名或密码不正确。"]}


def test_missing_fields_are_field_errors(api):
    response = api.post(TOKEN_URL, {"username": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"username", "password"}


def test_error_messages_in_english_on_request(api, personas):
    response = api.post(
        TOKEN_URL,
        {"username": "county_staff", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Incorrect username or password."]}


def test_lockout_after_five_failures_also_blocks_the_right_password(api, personas):
    for _ in range(4):
        assert (
            api.post(
                TOKEN_URL, {"username": "county_staff", "password": "x"}
            ).status_code
            == 400
        )
    fifth = api.post(TOKEN_URL, {"username": "county_staff", "password": "x"})
    assert fifth.status_code == 429
    locked = api.post(
        TOKEN_URL, {"username": "county_staff", "password": TEST_PASSWORD}
    )
    assert locked.status_code == 429
    assert "锁定" in locked.json()["detail"]


def test_lockout_of_one_user_does_not_lock_another(api, personas):
    for _ in range(5):
        api.post(TOKEN_URL, {"username": "county_staff", "password": "x"})
    ok = api.post(TOKEN_URL, {"username": "township_staff", "password": TEST_PASSWORD})
    assert ok.status_code == 200


def test_inactive_account_gets_no_token(api, personas):
    personas.nobody.is_active = False
    personas.nobody.save()
    response = api.post(TOKEN_URL, {"username": "nobody", "password": TEST_PASSWORD})
    assert response.status_code == 400


def test_every_demo_account_obtains_a_token(api):
    call_command("seed_demo")
    usernames = [a[0] for a in ACCOUNTS] + [f"taohua{n:02d}" for n in range(1, 53)]
    for username in usernames:
        response = api.post(
            TOKEN_URL, {"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, username


def test_me_lists_roles_with_scopes(api_as, personas, world):
    body = api_as(personas.county_staff).get("/api/v1/me/").json()
    assert body["roles"] == [
        {
            "role": "congress_staff",
            "scope_type": "congress",
            "scope_id": world.county_congress.pk,
            "scope_name": "湘源县人民代表大会",
        }
    ]


def test_anonymous_gets_401(api, world):
    for url in [
        "/api/v1/me/",
        "/api/v1/regions/",
        "/api/v1/congresses/",
        "/api/v1/handling-units/",
    ]:
        assert api.get(url).status_code == 401, url


def test_regions_are_scoped_for_county_staff(api_as, personas, world):
    body = api_as(personas.county_staff).get("/api/v1/regions/").json()
    assert {r["name"] for r in body["results"]} == {
        "湘源县",
        "桃花乡",
        "李家镇",
        "桃花村",
    }
    assert set(body) >= {"next", "previous", "results"}


def test_region_out_of_scope_is_404_not_403(api_as, personas, world):
    client = api_as(personas.county_staff)
    assert client.get(f"/api/v1/regions/{world.township.pk}/").status_code == 200
    response = client.get(f"/api/v1/regions/{world.other_township.pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_region_filters(api_as, personas, world):
    client = api_as(personas.province_staff)
    townships = client.get("/api/v1/regions/", {"level": "township"}).json()["results"]
    assert {r["name"] for r in townships} == {"桃花乡", "李家镇", "白沙镇"}
    within = client.get("/api/v1/regions/", {"within": world.other_county.pk}).json()[
        "results"
    ]
    assert {r["name"] for r in within} == {"云溪县", "白沙镇"}
    search = client.get("/api/v1/regions/", {"q": "桃花"}).json()["results"]
    assert {r["name"] for r in search} == {"桃花乡", "桃花村"}


def test_bad_filter_value_is_400_not_500(api_as, personas):
    response = api_as(personas.province_staff).get(
        "/api/v1/regions/", {"within": "abc"}
    )
    assert response.status_code == 400
    assert "within" in response.json()


def test_unit_staff_see_their_unit_only(api_as, personas):
    body = api_as(personas.unit_staff).get("/api/v1/handling-units/").json()
    assert [u["name"] for u in body["results"]] == ["湘源县交通运输局"]


def test_other_unit_detail_is_404_for_unit_staff(api_as, personas, world):
    client = api_as(personas.unit_staff)
    assert (
        client.get(f"/api/v1/handling-units/{world.other_unit.pk}/").status_code == 404
    )


def test_congresses_scoped(api_as, personas):
    body = api_as(personas.other_county_staff).get("/api/v1/congresses/").json()
    assert {c["name"] for c in body["results"]} == {
        "云溪县人民代表大会",
        "白沙镇人民代表大会",
    }


def test_read_only_endpoints_refuse_writes(api_as, personas):
    response = api_as(personas.admin).post("/api/v1/regions/", {"name": "x"})
    assert response.status_code == 405


def test_region_list_query_count_is_constant(
    api_as, personas, world, django_assert_num_queries
):
    client = api_as(personas.province_staff)
    client.get("/api/v1/regions/")  # warm the scope
    with django_assert_num_queries(2):  # count + page
        client.get("/api/v1/regions/")
    for n in range(20):
        RegionFactory(
            name=f"新村{n}", level=Region.Level.VILLAGE, parent=world.township2
        )
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/regions/").json()["results"]) == 28


def test_unit_list_query_count_is_constant(
    api_as, personas, world, django_assert_num_queries
):
    from tests.factories import HandlingUnitFactory

    client = api_as(personas.county_staff)
    client.get("/api/v1/handling-units/")  # warm the scope
    with django_assert_num_queries(2):  # count + page (region joined)
        client.get("/api/v1/handling-units/")
    HandlingUnitFactory.create_batch(15, region=world.township)
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/handling-units/").json()["results"]) == 17


def test_openapi_schema_and_docs(client):
    schema = client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/v1/regions/" in schema.content
    assert client.get(reverse("api-docs")).status_code == 200


def test_notifications_are_the_callers_own(api_as, personas):
    from portal import services

    services.notification_create(
        recipient=personas.deputy, kind="t", key="k1", title="提醒一", actor=None
    )
    services.notification_create(
        recipient=personas.other_deputy, kind="t", key="k2", title="提醒二", actor=None
    )
    client = api_as(personas.deputy)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [r["title"] for r in rows] == ["提醒一"]
    assert client.post(
        "/api/v1/notifications/mark_read/", {}, format="json"
    ).json() == {"marked": 1}
    assert client.get("/api/v1/notifications/", {"unread": "1"}).json()["results"] == []
    other = (
        api_as(personas.other_deputy).get("/api/v1/notifications/").json()["results"]
    )
    assert [r["title"] for r in other] == ["提醒二"]
    assert (
        client.post(
            "/api/v1/notifications/mark_read/", {"ids": ["x"]}, format="json"
        ).status_code
        == 400
    )


@pytest.mark.parametrize("value", ["1.5", "1e999", "0", "9223372036854775808"])
def test_id_filters_take_whole_numbers_only(api_as, personas, world, value):
    """An id filter is a whole number in 1 … 2⁶³−1 (issue 15, Schemathesis):
    ``?parent=1.5`` looked up region 1, ``1e999`` an overflowing number."""
    client = api_as(personas.province_staff)
    for name in ("parent", "within"):
        response = client.get("/api/v1/regions/", {name: value})
        assert response.status_code == 400, (name, value)
        assert name in response.json()
    assert client.get("/api/v1/sessions/", {"congress": value}).status_code == 400
    within = client.get("/api/v1/regions/", {"within": str(world.county.pk)})
    assert within.status_code == 200


def test_notification_ids_beyond_a_bigint_are_400_not_500(api_as, personas):
    """SQLite cannot bind such a number: it was a 500, and in a transaction every
    later query failed with TransactionManagementError (issue 15)."""
    client = api_as(personas.deputy)
    for ids in ([2**63], [-(2**70)], [0]):
        response = client.post(
            "/api/v1/notifications/mark_read/", {"ids": ids}, format="json"
        )
        assert response.status_code == 400, ids
        assert "ids" in response.json()
    assert client.post(
        "/api/v1/notifications/mark_read/", {"ids": [2**63 - 1]}, format="json"
    ).json() == {"marked": 0}


def test_the_schema_documents_429_and_409_where_they_are_answered(client):
    """Limits counted by hand (portal.ratelimit) and a GET refused by the
    object's state are documented (issue 15, Schemathesis)."""
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/auth/token/", "post"),
        ("/api/v1/public/opinions/", "post"),
        ("/api/v1/public/opinions/{tracking_code}/", "get"),
        ("/api/v1/public/livelihood-ideas/", "post"),
        ("/api/v1/livelihood/rounds/{id}/check-in/", "post"),
    ]:
        assert "429" in paths[path][method]["responses"], (path, method)
    assert "429" not in paths["/api/v1/auth/token/"]["delete"]["responses"]
    assert "409" in paths["/api/v1/livelihood/rounds/{id}/results/"]["get"]["responses"]
    parent = next(
        p
        for p in paths["/api/v1/regions/"]["get"]["parameters"]
        if p["name"] == "parent"
    )
    assert parent["schema"]["type"] == "integer"
    assert parent["schema"]["minimum"] == 1
