"""Public stations pages: finder, station page with the duty calendar, the
"我要反映" form (challenge, size limits, rate limit) and "进度查询"."""

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import RuleSet
from portal.services import rule_set_update
from stations import services
from stations.forms import OpinionForm
from stations.models import Opinion, Station

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def opinion_data(station, **overrides):
    """A valid submission whose form was served 10 s ago (past the minimum fill time)."""
    data = {
        "name": "张三",
        "phone": "13812345678",
        "category": "transport",
        "content": "村口道路坑洼，雨天积水严重，请尽快修复。",
        "website": "",
        "token": OpinionForm.form_token(station.pk, issued_at=time.time() - 10),
    }
    data.update(overrides)
    return data


def publish_day(station, members, days_ahead, slot="morning", topic=""):
    day = services.duty_day_create(
        station=station,
        date=timezone.localdate() + timedelta(days=days_ahead),
        slot=slot,
        deputies=members,
        topic=topic,
        actor=None,
    )
    return services.duty_day_publish(duty_day=day, actor=None)


# --- finder --------------------------------------------------------------------------


def test_finder_lists_counties_and_asks_to_choose(client, sw, world):
    response = client.get(reverse("stations:finder"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "查找代表联络站" in html
    assert "湘源县" in html and "云溪县" in html
    assert "桃花乡代表联络站" not in html  # nothing listed before a county is chosen


def test_finder_lists_a_countys_stations_with_next_published_duty_day(
    client, sw, world
):
    publish_day(sw.station, sw.members[:1], 10, slot="afternoon")
    first = publish_day(sw.station, sw.members[:1], 5)
    response = client.get(reverse("stations:finder"), {"county": world.county.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "桃花乡代表联络站" in html
    assert "桃花乡政府一楼" in html
    assert "白沙镇代表联络站" not in html
    assert f"{first.date.year}年{first.date.month}月{first.date.day}日" in html
    assert "桃花乡" in html  # the township choice appears once a county is chosen


def test_finder_unpublished_duty_day_is_not_announced(client, sw, world):
    services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() + timedelta(days=6),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    response = client.get(reverse("stations:finder"), {"county": world.county.pk})
    assert "暂未公布" in response.content.decode()


def test_finder_filters_by_township_and_ignores_a_township_of_another_county(
    client, sw, world
):
    services.station_create(
        name="李家镇代表联络站",
        code="LJ01",
        kind=Station.Kind.TOWNSHIP,
        region=world.township2,
        tracking_prefix="LJ",
        actor=None,
    )
    html = client.get(
        reverse("stations:finder"),
        {"county": world.county.pk, "township": world.township2.pk},
    ).content.decode()
    assert "李家镇代表联络站" in html and "桃花乡代表联络站" not in html
    html = client.get(
        reverse("stations:finder"),
        {"county": world.county.pk, "township": world.other_township.pk},
    ).content.decode()
    assert "李家镇代表联络站" in html and "桃花乡代表联络站" in html


def test_finder_hides_inactive_stations(client, sw, world):
    Station.objects.filter(pk=sw.station.pk).update(status=Station.Status.INACTIVE)
    html = client.get(
        reverse("stations:finder"), {"county": world.county.pk}
    ).content.decode()
    assert "桃花乡代表联络站" not in html


def test_finder_refuses_post(client, sw):
    assert client.post(reverse("stations:finder")).status_code == 405


def _add_stations(world, sw, count, start):
    for i in range(start, start + count):
        station = services.station_create(
            name=f"桃花村联络点{i}",
            code=f"P{i:03d}",
            kind=Station.Kind.POINT,
            region=world.village,
            tracking_prefix=f"P{i}",
            actor=None,
        )
        services.station_add_member(
            station=station,
            mandate=sw.members[0],
            start_date=timezone.localdate(),
            actor=None,
        )
        publish_day(station, sw.members[:1], 7 + i % 5)


def test_finder_query_count_is_constant(client, sw, world, django_assert_num_queries):
    url = reverse("stations:finder")
    params = {"county": world.county.pk}
    _add_stations(world, sw, 2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    _add_stations(world, sw, 6, 2)
    with django_assert_num_queries(len(few)):
        response = client.get(url, params)
    assert response.content.decode().count("桃花村联络点") >= 8


# --- station page -------------------------------------------------------------------------


def test_station_page_shows_details_and_published_duty_days_only(client, sw):
    Station.objects.filter(pk=sw.station.pk).update(
        phone="0731-12345678", latitude="28.123456", longitude="112.654321"
    )
    publish_day(sw.station, sw.members[:2], 5, topic="乡村道路建设")
    services.duty_day_create(
        station=sw.station,
        date=timezone.localdate() + timedelta(days=8),
        slot="morning",
        deputies=sw.members[2:],
        topic="未公布的安排",
        actor=None,
    )
    publish_day(sw.station, sw.members[2:], 40, topic="五周以后")
    response = client.get(reverse("stations:station", args=[sw.station.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "桃花乡代表联络站" in html and "每月10日、25日上午" in html
    assert "0731-12345678" in html
    # A map marker and a "navigate" link, not raw coordinates (issue 18).
    assert "北纬" not in html
    assert "https://uri.amap.com/marker?position=112.654321%2C28.123456" in html
    assert "https://uri.amap.com/navigation?to=112.654321%2C28.123456" in html
    assert "乡村道路建设" in html
    assert "丁一" in html and "王五" in html
    assert "桃花乡人大代表" in html
    assert "未公布的安排" not in html and "五周以后" not in html
    assert "13800138000" not in html  # deputies' mobiles never appear
    assert reverse("stations:opinion_new", args=[sw.station.pk]) in html


def test_station_page_of_an_inactive_station_is_404(client, sw):
    Station.objects.filter(pk=sw.station.pk).update(status=Station.Status.INACTIVE)
    response = client.get(reverse("stations:station", args=[sw.station.pk]))
    assert response.status_code == 404


def test_station_page_refuses_post(client, sw):
    response = client.post(reverse("stations:station", args=[sw.station.pk]))
    assert response.status_code == 405


def test_station_page_query_count_is_constant(client, sw, django_assert_num_queries):
    url = reverse("stations:station", args=[sw.station.pk])
    publish_day(sw.station, sw.members[:1], 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for offset, slot in [(6, "morning"), (7, "afternoon"), (9, "evening")]:
        publish_day(sw.station, sw.members, offset, slot=slot)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("李四") == 3


# --- "我要反映" ------------------------------------------------------------------------------


def test_opinion_form_renders_with_challenge(client, sw):
    response = client.get(reverse("stations:opinion_new", args=[sw.station.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "我要反映" in html
    assert 'name="token"' in html and 'name="website"' in html
    assert 'enctype="multipart/form-data"' in html


def test_opinion_submission_shows_the_tracking_code(client, sw):
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    response = client.post(url, opinion_data(sw.station), follow=True)
    opinion = Opinion.objects.get()
    assert response.status_code == 200
    html = response.content.decode()
    assert "提交成功" in html
    assert opinion.tracking_code in html
    assert f"?code={opinion.tracking_code}" in html
    assert opinion.submitter_name == "张三"
    assert opinion.submitted_ip == "127.0.0.1"
    assert opinion.source == Opinion.Source.ONLINE


def test_confirmation_needs_a_signed_code(client, sw):
    url = reverse("stations:opinion_sent", args=[sw.station.pk]) + "?t=TH-2026-0001"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("stations:track")


def test_confirmation_refuses_post(client, sw):
    url = reverse("stations:opinion_sent", args=[sw.station.pk])
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "请输入有效的11位大陆手机号码。"),
        ("phone", "", "请填写手机号码。"),
        ("name", "", "请填写姓名。"),
        ("content", "", "请填写反映内容。"),
        ("content", "短", "请具体描述您反映的问题（至少5个字）。"),
        ("content", "长" * 2001, "反映内容不能超过2000个字。"),
    ],
)
def test_invalid_submission_is_400_with_chinese_errors_and_keeps_input(
    client, sw, field, value, message
):
    data = opinion_data(sw.station, **{field: value})
    response = client.post(reverse("stations:opinion_new", args=[sw.station.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "已填写的内容都还在" in html
    for kept in ("name", "phone", "content"):
        if kept != field and data[kept]:
            assert data[kept] in html
    assert not Opinion.objects.exists()


def test_every_mistake_is_shown_at_once(client, sw):
    data = opinion_data(sw.station, phone="1381234", content="路灯")
    response = client.post(reverse("stations:opinion_new", args=[sw.station.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "请输入有效的11位大陆手机号码。" in html
    assert "请具体描述您反映的问题（至少5个字）。" in html


def test_honeypot_is_refused(client, sw):
    data = opinion_data(sw.station, website="http://spam.example")
    response = client.post(reverse("stations:opinion_new", args=[sw.station.pk]), data)
    assert response.status_code == 400
    assert "提交未成功" in response.content.decode()
    assert not Opinion.objects.exists()


def test_too_fast_submission_is_refused_and_can_be_resent(client, sw, monkeypatch):
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    data = opinion_data(sw.station, token=OpinionForm.form_token(sw.station.pk))
    response = client.post(url, data)
    assert response.status_code == 400
    assert "提交太快了" in response.content.decode()
    assert not Opinion.objects.exists()
    # The same stamp is kept; a few seconds later the resend goes through.
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 5)
    assert client.post(url, data).status_code == 302
    assert Opinion.objects.count() == 1


def test_forged_or_foreign_token_is_refused(client, sw):
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    for token in (
        "forged",
        OpinionForm.form_token(sw.other_station.pk, issued_at=time.time() - 10),
    ):
        response = client.post(url, opinion_data(sw.station, token=token))
        assert response.status_code == 400
        assert "页面已过期" in response.content.decode()
    assert not Opinion.objects.exists()


def test_rate_limit_answers_429_past_the_rule(client, sw, world):
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=world.township_congress, name="x"),
        values={"public_submissions_per_hour": 2},
        actor=None,
    )
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    assert client.post(url, opinion_data(sw.station)).status_code == 302
    assert client.post(url, opinion_data(sw.station)).status_code == 302
    response = client.post(url, opinion_data(sw.station))
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()
    assert Opinion.objects.count() == 2
    # Another address with another mobile is not affected; the same mobile from
    # another address is (one budget per address and per mobile, issue 15).
    other = client.post(
        url,
        {**opinion_data(sw.station), "phone": "13900001111"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302
    same_mobile = client.post(url, opinion_data(sw.station), REMOTE_ADDR="10.0.0.8")
    assert same_mobile.status_code == 429


def test_photo_is_stored_under_a_random_name(client, sw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("张三家门口.jpg", JPEG, content_type="image/jpeg")
    data = opinion_data(sw.station, photo=photo)
    response = client.post(reverse("stations:opinion_new", args=[sw.station.pk]), data)
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.photo.name.endswith(".jpg")
    assert "张三" not in opinion.photo.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.gif", b"GIF89a" + b"\x00" * 10, "只能上传 JPG 或 PNG 文件。"),
        ("a.png", JPEG, "文件内容与扩展名不符"),
        ("a.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "文件不能超过 5 MB。"),
    ],
)
def test_bad_photo_is_refused(client, sw, name, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = opinion_data(sw.station, photo=SimpleUploadedFile(name, content))
    response = client.post(reverse("stations:opinion_new", args=[sw.station.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Opinion.objects.exists()


def test_opinion_form_of_an_inactive_station_is_404(client, sw):
    Station.objects.filter(pk=sw.station.pk).update(status=Station.Status.INACTIVE)
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, opinion_data(sw.station)).status_code == 404


def test_opinion_form_refuses_put(client, sw):
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    assert client.put(url).status_code == 405


# --- "进度查询" ------------------------------------------------------------------------------


def _submitted(sw, **extra):
    fields = {
        "station": sw.station,
        "name": "李秘密",
        "phone": "13912345678",
        "content": "这是只有工作人员能看到的反映内容。",
        "category": "transport",
    }
    fields.update(extra)
    return services.opinion_submit(**{"actor": None, **fields})


def test_track_shows_status_and_published_reply_never_personal_data(client, sw):
    opinion = _submitted(sw)
    services.opinion_triage(
        opinion=opinion,
        outcome="answered_on_site",
        note="已协调交通站修复路面。",
        actor=None,
    )
    response = client.get(reverse("stations:track"), {"code": opinion.tracking_code})
    html = response.content.decode()
    assert response.status_code == 200
    assert opinion.tracking_code in html
    assert "当场答复" in html and "已协调交通站修复路面" in html
    assert "交通出行" in html and "桃花乡代表联络站" in html
    for secret in ("李秘密", "13912345678", "139****5678", "只有工作人员能看到"):
        assert secret not in html


def test_track_accepts_lower_case_and_spaces(client, sw):
    opinion = _submitted(sw)
    response = client.get(
        reverse("stations:track"), {"code": f"  {opinion.tracking_code.lower()} "}
    )
    assert response.status_code == 200
    assert "已受理" in response.content.decode()


def test_track_unknown_code_is_a_friendly_404(client, sw):
    response = client.get(reverse("stations:track"), {"code": "TH-2026-9999"})
    assert response.status_code == 404
    assert "未找到" in response.content.decode()


def test_track_form_without_code(client):
    response = client.get(reverse("stations:track"))
    assert response.status_code == 200
    assert "进度查询" in response.content.decode()


def test_track_lookups_are_rate_limited(client, sw, monkeypatch):
    from stations import selectors

    monkeypatch.setattr(selectors, "TRACK_LOOKUPS_PER_HOUR", 3)
    url = reverse("stations:track")
    for n in range(3):
        assert client.get(url, {"code": f"TH-2026-{n:04d}"}).status_code == 404
    assert client.get(url, {"code": "TH-2026-0005"}).status_code == 429


def test_track_refuses_post(client):
    assert client.post(reverse("stations:track")).status_code == 405
