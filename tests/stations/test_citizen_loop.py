"""Issue 18, the citizen's loop: the tracking code by text message, the
timeline on the tracking page (public wording only), the citizen's rating of
the reply, the duplicate hint, the station page's map links and hours, and
the public deputy page with the directory's name search."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies import services as deputy_services
from deputies.models import Mandate
from portal.services import DomainError, TransitionError
from stations import services
from stations.models import OpinionEvent, OpinionSms, Station
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db

TRACK = "stations:track"


def submit(sw, content="村口道路坑洼，雨天积水严重。", **extra):
    return services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content=content,
        category="transport",
        actor=None,
        **extra,
    )


def replied(sw, staff_note="内部：请李科长跟进"):
    opinion = services.opinion_assign(
        opinion=submit(sw), unit=sw.unit, actor=sw.station_staff, note=staff_note
    )
    return services.opinion_reply(
        opinion=opinion, text="已安排修复。", actor=sw.unit_staff
    )


# --- SMS with the tracking code -------------------------------------------------------


class RecordingSms:
    sent: list[dict] = []

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        RecordingSms.sent.append({"phone": phone, "text": text, "id": message_id})


def test_the_citizen_gets_the_tracking_code_by_text_once_after_commit(
    sw, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.stations.test_citizen_loop.RecordingSms"
    RecordingSms.sent = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        opinion = submit(sw)
    assert RecordingSms.sent == []
    for callback in callbacks:
        callback()
    assert len(RecordingSms.sent) == 1
    assert opinion.tracking_code in RecordingSms.sent[0]["text"]
    assert RecordingSms.sent[0]["phone"] == "13812345678"
    row = OpinionSms.objects.get(key=f"opinion.received:{opinion.pk}:citizen")
    assert row.sent_at is not None


# --- timeline -------------------------------------------------------------------------


def test_the_tracking_page_shows_the_steps_without_staff_names_or_notes(client, sw):
    sw.station_staff.first_name = "赵站长"
    sw.station_staff.save()
    opinion = replied(sw)
    html = client.get(reverse(TRACK), {"code": opinion.tracking_code}).content
    html = html.decode()
    assert "办理过程" in html
    for step in ("联络站收到您的意见", "交有关单位办理", "有关单位作出答复"):
        assert step in html
    assert "李科长" not in html and "赵站长" not in html
    assert "13812345678" not in html and "张三" not in html


# --- rating ---------------------------------------------------------------------------


def rate(client, opinion, **data):
    return client.post(
        reverse("stations:opinion_rate"),
        {"code": opinion.tracking_code, "phone_last4": "5678", **data},
    )


def test_the_citizen_rates_the_reply_once(client, sw):
    opinion = replied(sw)
    page = client.get(reverse(TRACK), {"code": opinion.tracking_code}).content
    assert "评价答复" in page.decode()
    response = rate(client, opinion, rating="basically_satisfied")
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.citizen_rating == "basically_satisfied"
    event = OpinionEvent.objects.filter(opinion=opinion).last()
    assert event.from_state == event.to_state == "replied"
    assert "群众评价：基本满意" in event.note
    page = client.get(reverse(TRACK), {"code": opinion.tracking_code}).content
    page = page.decode()
    assert "您的评价：基本满意" in page and "提交评价" not in page
    # the same rating again is a no-op; another one is refused
    services.opinion_rate_by_citizen(
        opinion=opinion, rating="basically_satisfied", phone_last4="5678", actor=None
    )
    with pytest.raises(TransitionError, match="不能重复评价"):
        services.opinion_rate_by_citizen(
            opinion=opinion, rating="satisfied", phone_last4="5678", actor=None
        )


def test_the_rating_shows_on_the_staff_page(client, sw):
    opinion = replied(sw)
    services.opinion_rate_by_citizen(
        opinion=opinion,
        rating="dissatisfied",
        reason="路面仍有积水",
        phone_last4="5678",
        actor=None,
    )
    client.force_login(sw.station_staff)
    html = client.get(reverse("stations:opinion", args=[opinion.pk])).content
    html = html.decode()
    assert "群众评价：不满意" in html and "路面仍有积水" in html


def test_a_rating_needs_the_phone_digits_and_a_reason_when_dissatisfied(client, sw):
    opinion = replied(sw)
    response = rate(client, opinion, rating="satisfied", phone_last4="0000")
    assert response.status_code == 400
    assert "手机号码后四位不正确。" in response.content.decode()
    response = rate(client, opinion, rating="dissatisfied", reason="")
    assert response.status_code == 400
    assert "选择“不满意”时请写明原因。" in response.content.decode()
    response = rate(client, opinion, rating="satisfied", phone_last4="12a4")
    assert "请输入4位数字。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.citizen_rating == ""
    with pytest.raises(DomainError, match="写明原因"):
        services.opinion_rate_by_citizen(
            opinion=opinion, rating="dissatisfied", phone_last4="5678", actor=None
        )


def test_no_rating_before_a_reply_and_404_for_an_unknown_code(client, sw):
    opinion = submit(sw)
    html = client.get(reverse(TRACK), {"code": opinion.tracking_code}).content
    assert "提交评价" not in html.decode()
    response = rate(client, opinion, rating="satisfied")
    assert response.status_code == 400
    assert "答复后才能评价" in response.content.decode()
    response = client.post(
        reverse("stations:opinion_rate"),
        {"code": "TH-0000-0000-00", "phone_last4": "5678", "rating": "satisfied"},
    )
    assert response.status_code == 404
    assert client.get(reverse("stations:opinion_rate")).status_code == 405


def test_rating_attempts_are_rate_limited(client, sw):
    opinion = replied(sw)
    for _ in range(10):
        rate(client, opinion, rating="satisfied", phone_last4="0000")
    assert rate(client, opinion, rating="satisfied").status_code == 429


# --- the duplicate hint ---------------------------------------------------------------


def test_similar_open_opinions_are_hinted_without_their_text(client, sw):
    for _ in range(3):
        submit(sw, content="桃花村村口道路坑洼不平，雨天积水严重，出行困难。")
    submit(sw, content="学校门口缺少红绿灯，孩子上学过马路不安全。")
    closed = submit(sw, content="桃花村村口道路坑洼不平，雨天积水严重。")
    services.opinion_triage(
        opinion=closed, outcome="answered_on_site", note="已修", actor=None
    )
    url = reverse("stations:opinion_similar", args=[sw.station.pk])
    response = client.get(url, {"text": "村口道路坑洼，下雨积水严重"})
    rows = response.json()["results"]
    assert response.status_code == 200 and len(rows) == 3
    assert {r["status_label"] for r in rows} == {"已受理"}
    assert "content" not in rows[0] and "坑洼" not in response.content.decode()
    assert client.get(url, {"text": "图书馆开放时间"}).json()["results"] == []
    other = reverse("stations:opinion_similar", args=[sw.other_station.pk])
    assert client.get(other, {"text": "村口道路坑洼，下雨积水严重"}).json() == {
        "results": []
    }
    assert client.post(url).status_code == 405
    Station.objects.filter(pk=sw.station.pk).update(status="inactive")
    assert client.get(url, {"text": "x"}).status_code == 404


def test_the_form_shows_the_hint_again_when_sent_back(client, sw):
    from tests.stations.test_pages_public import opinion_data

    submit(sw, content="桃花村村口道路坑洼不平，雨天积水严重，出行困难。")
    response = client.post(
        reverse("stations:opinion_new", args=[sw.station.pk]),
        opinion_data(sw.station, phone="123", content="村口道路坑洼不平，雨天积水严重"),
    )
    assert response.status_code == 400
    assert "类似意见正在办理" in response.content.decode()


# --- station page ----------------------------------------------------------------------


def test_opening_hours_follow_the_published_roster(client, sw):
    from tests.stations.test_pages_public import publish_day

    day = publish_day(sw.station, sw.members[:1], 5)
    html = client.get(reverse("stations:station", args=[sw.station.pk])).content
    html = html.decode()
    assert "日常开放时间" in html and "每月10日、25日上午" in html
    assert "以公布的接待日为准" in html
    assert f'datetime="{day.date:%Y-%m-%d}"' in html
    assert "坐标" not in html


# --- public deputy page and the directory ------------------------------------------------


def test_the_public_deputy_page_shows_public_fields_and_next_duty_day(
    client, sw, django_assert_num_queries
):
    from tests.stations.test_pages_public import publish_day

    mandate = sw.members[0]
    day = publish_day(sw.station, [mandate], 6, slot="afternoon")
    activity = deputy_services.activity_create(
        congress=sw.congress,
        kind="research",
        title="乡村道路调研",
        date=date(2026, 11, 5),
        participants=[mandate],
        actor=None,
    )
    deputy_services.attendance_set(
        activity=activity, mandate=mandate, status="attended", actor=None
    )
    deputy_services.activity_review(activity=activity, approve=True, actor=None)
    url = reverse("stations:deputy", args=[mandate.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "丁一" in html and "桃花乡代表联络站" in html
    assert f'datetime="{day.date:%Y-%m-%d}"' in html and "下午" in html
    assert "乡村道路调研" in html
    assert "13800138000" not in html and mandate.person.id_number not in html
    assert mandate.card_number not in html
    assert len(queries) < 15
    assert client.post(url).status_code == 405


def test_an_ended_mandate_has_no_public_page(client, sw):
    mandate = sw.members[1]
    deputy_services.mandate_terminate(
        mandate=mandate,
        ground="resigned",
        on=date(2026, 11, 1),
        document_number="公告〔2026〕第2号",
        actor=None,
    )
    assert client.get(reverse("stations:deputy", args=[mandate.pk])).status_code == 404
    assert client.get(reverse("stations:deputy", args=[999999])).status_code == 404


def test_the_directory_searches_names_and_links_each_card(
    client, sw, django_assert_num_queries
):
    for name in ("王小明", "王大海", "刘备用"):
        make_mandate(sw.congress, name)
    url = reverse("deputies:public_directory")
    client.get(url, {"congress": sw.congress.pk})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"congress": sw.congress.pk, "q": "王"})
    more = [make_mandate(sw.congress, f"王{n}号") for n in "一二三四"]
    with django_assert_num_queries(len(few)):
        html = client.get(url, {"congress": sw.congress.pk, "q": "王"}).content
    html = html.decode()
    assert "王小明" in html and "王大海" in html and "王五" in html
    assert "刘备用" not in html and "丁一" not in html
    assert reverse("stations:deputy", args=[more[0].pk]) in html
    html = client.get(url, {"congress": sw.congress.pk, "q": "小明"}).content
    assert "王小明" in html.decode() and "王大海" not in html.decode()
    html = client.get(url, {"congress": sw.congress.pk, "q": "无此人"}).content
    assert "没有姓名含“无此人”的代表" in html.decode()
    assert Mandate.objects.public().filter(congress=sw.congress).count() == 10
