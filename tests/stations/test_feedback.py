"""我收集的群众意见 (issue 13): a deputy sees the opinions they received, with the
status and the reply; the deputy (in-app) and the citizen (SMS) hear when a
reply is given and when the opinion is closed, exactly once per event."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Notification, Role
from portal.services import role_grant_create
from stations import services
from stations.models import OpinionSms
from tests.factories import UserFactory, make_mandate

pytestmark = pytest.mark.django_db

API = "/api/v1/opinions/"


class RecordingSms:
    """An SMS backend that keeps what it was asked to send."""

    sent: list[dict] = []

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        RecordingSms.sent.append({"phone": phone, "text": text, "id": message_id})


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "tests.stations.test_feedback.RecordingSms"
    RecordingSms.sent = []
    return RecordingSms.sent


def deputy_member(sw, name="钱代表", username="qian_deputy"):
    """A township deputy with an account, grouped into the station."""
    user = UserFactory(username=username)
    role_grant_create(user=user, role=Role.DEPUTY, congress=sw.congress, actor=None)
    mandate = make_mandate(sw.congress, name, user=user)
    services.station_add_member(
        station=sw.station, mandate=mandate, start_date=date(2026, 10, 1), actor=None
    )
    return user, mandate


def submit(sw, deputies=(), **extra):
    fields = {
        "station": sw.station,
        "name": "张三",
        "phone": "13812345678",
        "content": "村口道路坑洼，雨天积水严重。",
        "category": "transport",
        "deputies": list(deputies),
    }
    fields.update(extra)
    return services.opinion_submit(**{"actor": None, **fields})


def reply_and_close(sw, opinion, capture):
    with capture(execute=True):
        opinion = services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
        opinion = services.opinion_reply(
            opinion=opinion, text="已安排修补路面。", actor=sw.unit_staff
        )
        services.opinion_reply(opinion=opinion, text="已安排修补路面。", actor=None)
        opinion = services.opinion_visit(
            opinion=opinion, result="satisfied", actor=None
        )
        opinion = services.opinion_close(opinion=opinion, actor=None)
        services.opinion_close(opinion=opinion, actor=None)
    return opinion


# --- the deputy's page and the API ------------------------------------------------------


def test_a_deputy_sees_the_opinions_they_received_with_status_and_reply(
    client, sw, django_capture_on_commit_callbacks
):
    user, mandate = deputy_member(sw)
    other_user, other = deputy_member(sw, "孙代表", "sun_deputy")
    mine = submit(sw, deputies=[mandate])
    theirs = submit(sw, deputies=[other])
    reply_and_close(sw, mine, django_capture_on_commit_callbacks)
    client.force_login(user)
    response = client.get(reverse("stations:my_opinions"))
    assert response.status_code == 200
    html = response.content.decode()
    assert mine.tracking_code in html and theirs.tracking_code not in html
    assert "已办结" in html and "已安排修补路面。" in html
    # The nav leads there.
    assert (
        reverse("stations:my_opinions")
        in client.get(reverse("staff:dashboard")).content.decode()
    )


def test_the_deputy_page_needs_a_login_and_shows_nothing_to_others(
    client, sw, personas
):
    _user, mandate = deputy_member(sw)
    opinion = submit(sw, deputies=[mandate])
    url = reverse("stations:my_opinions")
    assert client.get(url).status_code == 302
    client.force_login(personas.deputy)
    assert opinion.tracking_code not in client.get(url).content.decode()


def test_the_deputy_page_query_count_is_constant(client, sw, django_assert_num_queries):
    user, mandate = deputy_member(sw)
    submit(sw, deputies=[mandate])
    client.force_login(user)
    url = reverse("stations:my_opinions")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(6):
        services.opinion_assign(
            opinion=submit(sw, deputies=[mandate]), unit=sw.unit, actor=None
        )
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("桃花乡人民政府") == 6


def test_api_mine_lists_the_deputys_opinions_with_the_number_masked(api_as, sw):
    user, mandate = deputy_member(sw)
    _other_user, other = deputy_member(sw, "孙代表", "sun_deputy")
    mine = submit(sw, deputies=[mandate])
    submit(sw, deputies=[other])
    submit(sw)
    client = api_as(user)
    rows = client.get(f"{API}?mine=true").json()["results"]
    assert [o["id"] for o in rows] == [mine.pk]
    assert rows[0]["submitter_phone"] == "138****5678"
    assert rows[0]["status"] == "received"
    assert [o["id"] for o in client.get(API).json()["results"]] == [mine.pk]
    detail = client.get(f"{API}{mine.pk}/")
    assert detail.status_code == 200 and "13812345678" not in detail.content.decode()
    # A deputy takes no step of the loop.
    response = client.post(f"{API}{mine.pk}/triage/", {"outcome": "pooled"})
    assert response.status_code == 403
    # Staff read it masked too (they reveal it with a logged action); mine=true
    # is empty for them.
    staff = api_as(sw.station_staff)
    assert staff.get(f"{API}{mine.pk}/").json()["submitter_phone"] == "138****5678"
    assert staff.get(f"{API}?mine=true").json()["results"] == []


def test_another_deputy_gets_404(api_as, sw, personas):
    _user, mandate = deputy_member(sw)
    opinion = submit(sw, deputies=[mandate])
    assert api_as(personas.deputy).get(f"{API}{opinion.pk}/").status_code == 404


def test_api_mine_query_count_is_constant(api_as, sw, django_assert_num_queries):
    user, mandate = deputy_member(sw)
    for _ in range(2):
        submit(sw, deputies=[mandate])
    client = api_as(user)
    client.get(f"{API}?mine=true")
    with django_assert_num_queries(1):
        client.get(f"{API}?mine=true")
    for _ in range(8):
        submit(sw, deputies=[mandate])
    with django_assert_num_queries(1):
        assert len(client.get(f"{API}?mine=true").json()["results"]) == 10


# --- notifications -------------------------------------------------------------------------


def test_the_deputy_is_notified_once_of_the_reply_and_once_of_the_closing(
    sw, sms, django_capture_on_commit_callbacks
):
    user, mandate = deputy_member(sw)
    opinion = reply_and_close(
        sw, submit(sw, deputies=[mandate]), django_capture_on_commit_callbacks
    )
    notes = Notification.objects.filter(recipient=user).order_by("id")
    assert [(n.kind, n.title) for n in notes] == [
        ("opinion.replied", f"您收集的群众意见 {opinion.tracking_code} 已有答复"),
        ("opinion.closed", f"您收集的群众意见 {opinion.tracking_code} 已办结"),
    ]
    assert not Notification.objects.filter(recipient=sw.station_staff).filter(
        kind__in=["opinion.replied", "opinion.closed"]
    )


def test_the_citizen_gets_one_text_per_event(
    sw, sms, django_capture_on_commit_callbacks
):
    opinion = reply_and_close(sw, submit(sw), django_capture_on_commit_callbacks)
    assert [m["phone"] for m in sms] == ["13812345678", "13812345678"]
    assert "已有答复" in sms[0]["text"] and opinion.tracking_code in sms[0]["text"]
    assert "已办结" in sms[1]["text"]
    assert (
        OpinionSms.objects.filter(opinion=opinion, sent_at__isnull=False).count() == 2
    )


def test_the_citizens_text_is_chinese_when_staff_work_in_english(
    sw, sms, django_capture_on_commit_callbacks
):
    from django.utils import translation

    opinion = submit(sw)
    with translation.override("en"):
        reply_and_close(sw, opinion, django_capture_on_commit_callbacks)
    texts = [m["text"] for m in sms if "查询码" in m["text"]]
    assert any("已有答复" in t for t in texts) and any("已办结" in t for t in texts)
    assert not any("reply" in t.lower() for t in texts)


def test_nothing_is_sent_before_commit(sw, sms, django_capture_on_commit_callbacks):
    user, mandate = deputy_member(sw)
    opinion = services.opinion_assign(
        opinion=submit(sw, deputies=[mandate]), unit=sw.unit, actor=None
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.opinion_reply(opinion=opinion, text="已处理", actor=None)
    assert sms == [] and not Notification.objects.filter(recipient=user).exists()
    for callback in callbacks:
        callback()
    assert len(sms) == 1 and Notification.objects.filter(recipient=user).count() == 1
    # A second run of the same event's delivery sends nothing more.
    for callback in callbacks:
        callback()
    assert len(sms) == 1 and Notification.objects.filter(recipient=user).count() == 1


def test_a_second_round_reply_is_a_new_event(
    sw, sms, django_capture_on_commit_callbacks
):
    user, mandate = deputy_member(sw)
    with django_capture_on_commit_callbacks(execute=True):
        opinion = services.opinion_assign(
            opinion=submit(sw, deputies=[mandate]), unit=sw.unit, actor=None
        )
        opinion = services.opinion_reply(opinion=opinion, text="第一轮", actor=None)
        opinion = services.opinion_visit(
            opinion=opinion, result="dissatisfied", actor=None
        )
        opinion = services.opinion_assign(
            opinion=opinion, unit=sw.other_unit, actor=None
        )
        services.opinion_reply(opinion=opinion, text="第二轮", actor=None)
    assert (
        Notification.objects.filter(recipient=user, kind="opinion.replied").count() == 2
    )
    # The tracking code on submission (issue 18), then one per reply.
    assert [m["id"].split(":")[0] for m in sms] == [
        "opinion.received",
        "opinion.replied",
        "opinion.replied",
    ]


def test_a_failing_gateway_does_not_undo_the_reply(
    sw, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.stations.test_feedback.BrokenSms"
    opinion = services.opinion_assign(opinion=submit(sw), unit=sw.unit, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        opinion = services.opinion_reply(opinion=opinion, text="已处理", actor=None)
    opinion.refresh_from_db()
    assert opinion.status == "replied"
    assert (
        OpinionSms.objects.get(
            opinion=opinion, key__startswith="opinion.replied"
        ).sent_at
        is None
    )


class BrokenSms:
    def send(self, *, phone: str, text: str, message_id: str) -> None:
        raise ConnectionError("gateway down")
