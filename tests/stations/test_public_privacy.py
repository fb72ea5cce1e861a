"""The tracking page and the public tracking API read one projection, scrubbed
once (stations.selectors); so do a station's page and the stations API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stations import services
from stations.models import Station

PHONE = "13912345678"
ID_NUMBER = "430102199001011234"
LANDLINE = "0731-84561234"
SECRETS = [PHONE, ID_NUMBER, LANDLINE]

pytestmark = pytest.mark.django_db


def _submit(sw, content="村口道路坑洼，雨天积水严重。"):
    return services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content=content,
        category="transport",
        actor=None,
    )


def _replied_with_personal_data(sw, world):
    opinion = _submit(
        sw, content=f"我叫张三，身份证{ID_NUMBER}，电话{PHONE}，村口路面坑洼。"
    )
    opinion = services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    return services.opinion_reply(
        opinion=opinion,
        text=f"已修复，如有问题请拨打{PHONE}或{LANDLINE}，经办人身份证{ID_NUMBER}",
        actor=None,
    )


def _track_page(client, code):
    response = client.get(reverse("stations:track"), {"code": code})
    assert response.status_code == 200
    return response.content.decode()


def _track_api(api, code):
    response = api.get(f"/api/v1/public/opinions/{code}/")
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("secret", SECRETS)
def test_numbers_typed_into_a_reply_are_hidden_on_the_tracking_page(
    client, sw, world, secret
):
    opinion = _replied_with_personal_data(sw, world)
    html = _track_page(client, opinion.tracking_code)
    assert "已修复" in html
    assert secret not in html


@pytest.mark.parametrize("secret", SECRETS)
def test_numbers_typed_into_a_reply_are_hidden_in_the_public_api(
    api, sw, world, secret
):
    opinion = _replied_with_personal_data(sw, world)
    body = _track_api(api, opinion.tracking_code).content.decode()
    assert "已修复" in body
    assert secret not in body


@pytest.mark.parametrize("secret", SECRETS)
def test_numbers_in_an_answer_on_site_and_a_channel_are_hidden(api, client, sw, secret):
    on_site = services.opinion_triage(
        opinion=_submit(sw),
        outcome="answered_on_site",
        note=f"已当场答复，回访电话{PHONE}，{LANDLINE}，身份证{ID_NUMBER}",
        actor=None,
    )
    refused = services.opinion_triage(
        opinion=_submit(sw),
        outcome="not_accepted",
        note=f"请向人民法院起诉，承办法官电话{PHONE}，{LANDLINE}，{ID_NUMBER}",
        actor=None,
    )
    for opinion in (on_site, refused):
        html = _track_page(client, opinion.tracking_code)
        body = _track_api(api, opinion.tracking_code).content.decode()
        assert secret not in html
        assert secret not in body
    assert (
        "请向人民法院起诉" in _track_api(api, refused.tracking_code).json()["channel"]
    )


def test_page_and_api_show_the_same_reply_text(api, client, sw, world):
    opinion = _replied_with_personal_data(sw, world)
    reply = _track_api(api, opinion.tracking_code).json()["reply"]
    assert reply.startswith("已修复")
    assert reply in _track_page(client, opinion.tracking_code)


def test_the_tracking_code_and_status_are_not_scrubbed(api, sw, world):
    opinion = _replied_with_personal_data(sw, world)
    body = _track_api(api, opinion.tracking_code).json()
    assert body["tracking_code"] == opinion.tracking_code
    assert body["status"] == "replied"
    assert body["submitted_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("secret", SECRETS)
def test_numbers_typed_into_a_station_page_are_hidden_on_page_and_api(
    api, client, sw, secret
):
    Station.objects.filter(pk=sw.station.pk).update(
        phone="0731-12345678",
        description=f"站长电话{PHONE}，座机{LANDLINE}，身份证{ID_NUMBER}",
        address=f"桃花乡政府一楼（值班电话{PHONE}）",
    )
    day = services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() + timedelta(days=5),
        slot="morning",
        deputies=sw.members[:1],
        topic=f"道路建设，预约电话{PHONE}",
        actor=None,
    )
    services.duty_day_publish(duty_day=day, actor=None)
    html = client.get(reverse("stations:station", args=[sw.station.pk])).content
    finder = client.get(
        reverse("stations:finder"), {"county": sw.station.region.parent_id}
    ).content
    stations = api.get("/api/v1/stations/").content
    days = api.get(f"/api/v1/stations/{sw.station.pk}/duty-days/").content
    for body in (html, finder, stations, days):
        text = body.decode()
        assert secret not in text
    # The station's own contact line is public by design.
    assert "0731-12345678" in html.decode()
    assert "0731-12345678" in stations.decode()
    assert "道路建设" in html.decode() and "道路建设" in days.decode()
