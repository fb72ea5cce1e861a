"""Stations API: public opinions (create, track, throttle), stations and duty days,
opinions with transitions and scoping (API.md)."""

from datetime import date, timedelta

import pytest

from portal.models import RuleSet
from portal.services import rule_set_update
from stations import services
from stations.models import Opinion

pytestmark = pytest.mark.django_db

PUBLIC = "/api/v1/public/opinions/"


def payload(sw, **extra):
    return {
        "station": sw.station.pk,
        "name": "张三",
        "phone": "13812345678",
        "content": "村口道路坑洼，雨天积水严重。",
        "category": "transport",
        **extra,
    }


def test_citizen_submits_and_tracks(api, sw):
    response = api.post(PUBLIC, payload(sw), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "received"
    code = body["tracking_code"]
    tracked = api.get(f"{PUBLIC}{code}/").json()
    assert tracked["status"] == "received" and tracked["reply"] == ""
    text = str(tracked)
    assert "张三" not in text and "13812345678" not in text and "积水" not in text


def test_tracking_unknown_code_is_404(api, sw):
    assert api.get(f"{PUBLIC}TH-2026-9999/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"phone": "123"}, "phone", "请输入有效的11位大陆手机号码。"),
        ({"content": ""}, "content", None),
        ({"content": "长" * 2001}, "content", "反映内容不能超过2000个字。"),
        ({"category": "x"}, "category", None),
        ({"station": 999999}, "station", "联络站不存在或已停用。"),
    ],
)
def test_bad_submissions_are_400_with_field_errors(api, sw, change, field, message):
    response = api.post(PUBLIC, payload(sw, **change), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body
    if message:
        assert body[field] == [message]
    assert not Opinion.objects.exists()


def test_english_error_messages(api, sw):
    response = api.post(
        PUBLIC, payload(sw, phone="123"), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "mobile" in response.json()["phone"][0].lower()


def test_rate_limit_per_address_is_429(api, sw, world):
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.township_congress, name="乡"),
        values={"public_submissions_per_hour": 2},
        actor=None,
    )
    assert api.post(PUBLIC, payload(sw), format="json").status_code == 201
    assert api.post(PUBLIC, payload(sw), format="json").status_code == 201
    third = api.post(PUBLIC, payload(sw), format="json")
    assert third.status_code == 429
    assert "频繁" in third.json()["detail"]
    other_address = api.post(
        PUBLIC, payload(sw, phone="13912345678"), format="json", REMOTE_ADDR="10.1.2.3"
    )
    assert other_address.status_code == 201


def test_the_same_mobile_from_other_addresses_is_429_too(api, sw, world):
    """A sender who changes addresses is held by the mobile given (issue 15)."""
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.township_congress, name="乡"),
        values={"public_submissions_per_hour": 2},
        actor=None,
    )
    for n in range(2):
        response = api.post(
            PUBLIC, payload(sw), format="json", REMOTE_ADDR=f"10.9.0.{n}"
        )
        assert response.status_code == 201
    third = api.post(PUBLIC, payload(sw), format="json", REMOTE_ADDR="10.9.0.8")
    assert third.status_code == 429
    assert "频繁" in third.json()["detail"]


def test_the_form_and_the_api_share_one_budget(api, client, sw, world):
    """The API is no way around the form's limit (issue 15)."""
    from portal.web import form_token
    from stations.forms import OpinionForm

    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.township_congress, name="乡"),
        values={"public_submissions_per_hour": 2},
        actor=None,
    )
    import time

    token = form_token(OpinionForm.signing_salt, sw.station.pk, time.time() - 60)
    for _ in range(2):
        response = client.post(
            f"/stations/{sw.station.pk}/opinion/",
            {
                "name": "张三",
                "phone": "13812345678",
                "content": "村口道路坑洼，雨天积水严重。",
                "token": token,
                "website": "",
            },
        )
        assert response.status_code in (200, 302), response.status_code
    assert sw.station.opinions.count() == 2
    response = api.post(PUBLIC, payload(sw, phone="13700000000"), format="json")
    assert response.status_code == 429


def test_stations_list_public_and_scoped(api, api_as, sw):
    sw.other_station.status = "inactive"
    sw.other_station.save()
    assert [s["name"] for s in api.get("/api/v1/stations/").json()["results"]] == [
        "桃花乡代表联络站"
    ]
    names = [
        s["name"]
        for s in api_as(sw.other_station_staff)
        .get("/api/v1/stations/")
        .json()["results"]
    ]
    assert set(names) == {"桃花乡代表联络站", "白沙镇代表联络站"}


def test_duty_days_public_only_when_published(api, api_as, sw):
    today = date.today()
    published = services.duty_day_create(
        station=sw.station,
        date=today + timedelta(days=5),
        slot="morning",
        deputies=sw.members[:2],
        actor=None,
    )
    services.duty_day_publish(duty_day=published, actor=None)
    services.duty_day_create(
        station=sw.station,
        date=today + timedelta(days=6),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    url = f"/api/v1/stations/{sw.station.pk}/duty-days/"
    public = api.get(url).json()["results"]
    assert [d["id"] for d in public] == [published.pk]
    assert {d["name"] for d in public[0]["deputies"]} == {"丁一", "王五"}
    assert len(api_as(sw.station_staff).get(url).json()["results"]) == 2


def test_cancelled_day_leaves_the_public_list_and_managers_see_why(api, api_as, sw):
    today = date.today()
    day = services.duty_day_create(
        station=sw.station,
        date=today + timedelta(days=5),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    services.duty_day_publish(duty_day=day, actor=None)
    url = f"/api/v1/stations/{sw.station.pk}/duty-days/"
    assert [d["status"] for d in api.get(url).json()["results"]] == ["published"]
    services.duty_day_cancel(duty_day=day, reason="代表参加县人代会", actor=None)
    assert api.get(url).json()["results"] == []
    [row] = api_as(sw.station_staff).get(url).json()["results"]
    assert row["status"] == "cancelled"
    assert row["cancel_reason"] == "代表参加县人代会"
    assert row["cancelled_at"] is not None


def test_opinions_scoped_by_station_and_unit(api_as, sw, world, personas):
    mine = services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    services.opinion_submit(
        station=sw.other_station,
        name="李四",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    assert [
        o["id"]
        for o in api_as(sw.station_staff).get("/api/v1/opinions/").json()["results"]
    ] == [mine.pk]
    assert (
        api_as(sw.other_station_staff).get(f"/api/v1/opinions/{mine.pk}/").status_code
        == 404
    )
    assert api_as(sw.unit_staff).get("/api/v1/opinions/").json()["results"] == []
    services.opinion_assign(opinion=mine, unit=sw.unit, actor=None)
    assert [
        o["id"]
        for o in api_as(sw.unit_staff).get("/api/v1/opinions/").json()["results"]
    ] == [mine.pk]
    assert (
        api_as(sw.other_unit_staff).get(f"/api/v1/opinions/{mine.pk}/").status_code
        == 404
    )
    assert (
        len(api_as(personas.county_staff).get("/api/v1/opinions/").json()["results"])
        == 1
    )
    assert (
        api_as(personas.other_county_staff)
        .get(f"/api/v1/opinions/{mine.pk}/")
        .status_code
        == 404
    )


def test_transitions_over_the_api(api_as, sw, world, personas):
    opinion = services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    staff = api_as(sw.station_staff)
    base = f"/api/v1/opinions/{opinion.pk}"
    assert staff.post(f"{base}/reply/", {"text": "x"}, format="json").status_code == 409
    response = staff.post(f"{base}/assign/", {"unit": sw.unit.pk}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "assigned"
    unit = api_as(sw.unit_staff)
    assert (
        unit.post(f"{base}/visit/", {"result": "satisfied"}, format="json").status_code
        == 403
    )
    assert unit.post(f"{base}/reply/", {"text": ""}, format="json").status_code == 400
    assert (
        unit.post(f"{base}/reply/", {"text": "已修复"}, format="json").json()["status"]
        == "replied"
    )
    staff = api_as(sw.station_staff)
    assert (
        staff.post(f"{base}/visit/", {"result": "bad"}, format="json").status_code
        == 400
    )
    assert (
        staff.post(f"{base}/visit/", {"result": "satisfied"}, format="json").json()[
            "status"
        ]
        == "visited"
    )
    closed = staff.post(f"{base}/close/", {}, format="json").json()
    assert closed["status"] == "closed"
    assert [e["to_status"] for e in closed["events"]] == [
        "received",
        "assigned",
        "replied",
        "visited",
        "closed",
    ]
    again = staff.post(f"{base}/triage/", {"outcome": "pooled"}, format="json")
    assert again.status_code == 409
    assert "已办结" in again.json()["detail"]


def test_assign_refuses_units_of_another_county(api_as, sw, world):
    opinion = services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    response = api_as(sw.station_staff).post(
        f"/api/v1/opinions/{opinion.pk}/assign/",
        {"unit": world.other_county_unit.pk},
        format="json",
    )
    assert response.status_code == 400 and "unit" in response.json()


def test_convert_only_to_station_members(api_as, sw):
    opinion = services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    staff = api_as(sw.station_staff)
    assert (
        staff.post(
            f"/api/v1/opinions/{opinion.pk}/convert/",
            {"deputy": sw.outsider.pk},
            format="json",
        ).status_code
        == 400
    )
    response = staff.post(
        f"/api/v1/opinions/{opinion.pk}/convert/",
        {"deputy": sw.members[0].pk},
        format="json",
    )
    assert response.json()["status"] == "converted"


def test_opinion_list_query_count_is_constant(api_as, sw, django_assert_num_queries):
    for _ in range(3):
        services.opinion_submit(
            station=sw.station,
            name="张三",
            phone="13812345678",
            content="反映内容一二三",
            actor=None,
        )
    client = api_as(sw.station_staff)
    client.get("/api/v1/opinions/")
    with django_assert_num_queries(1):
        client.get("/api/v1/opinions/")
    for _ in range(12):
        services.opinion_submit(
            station=sw.station,
            name="张三",
            phone="13812345678",
            content="反映内容一二三",
            actor=None,
        )
    with django_assert_num_queries(1):
        assert len(client.get("/api/v1/opinions/").json()["results"]) == 15
