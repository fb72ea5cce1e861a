"""Issue 18, English: notifications are stored in Chinese (what the e-mail, the
SMS and the record say) and shown in the reader's language: the sentence is
kept as its msgid and parameters and translated when the page is rendered."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop

from portal import services
from portal.models import Notification
from portal.notification_text import Message
from portal.notifications import Reminder, notify, run_reminders
from stations import services as station_services
from tests.factories import UserFactory
from tests.portal.test_i18n import _require_compiled_catalogue
from tests.stations.conftest import sw  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
URGE = gettext_noop("催办：%(title)s")
REPLIED = gettext_noop("您的%(kind)s“%(title)s”已答复，请评价")


@pytest.fixture(autouse=True)
def _compiled():
    _require_compiled_catalogue()
    yield
    translation.deactivate()


def make(user, key="k1", **fields):
    fields.setdefault("title", Message(URGE, {"title": "修缮乡村道路"}))
    return services.notification_create(
        recipient=user, kind="assignment.urged", key=key, **fields, actor=None
    )


def page(client, user, headers):
    client.force_login(user)
    response = client.get(reverse("staff:notifications"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_stored_in_chinese_with_its_source(personas):
    note = make(personas.deputy)
    assert note.title == "催办：修缮乡村道路"
    assert note.title_msgid == URGE
    assert note.params == {"title": "修缮乡村道路"}


def test_stored_in_chinese_even_when_the_actor_reads_english(personas):
    with translation.override("en"):
        note = make(personas.deputy)
        assert note.display_title == "Urging: 修缮乡村道路"
    note.refresh_from_db()
    assert note.title == "催办：修缮乡村道路"  # the e-mail, the SMS, the record


def test_list_in_english_for_an_english_reader(client, personas):
    make(personas.deputy)
    html = page(client, personas.deputy, EN)
    # Only the sentence is translated; the suggestion's title is data.
    assert "Urging: 修缮乡村道路" in html
    assert "催办：" not in html


def test_list_in_chinese_for_a_chinese_reader(client, personas):
    make(personas.deputy)
    html = page(client, personas.deputy, ZH)
    assert "催办：修缮乡村道路" in html
    assert "Urging" not in html


def test_language_cookie_decides_too(client, personas):
    from django.conf import settings

    make(personas.deputy)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Urging: 修缮乡村道路" in page(client, personas.deputy, {})


def test_translatable_parameters_are_translated_with_the_sentence(personas):
    note = make(
        personas.deputy,
        title=Message(REPLIED, {"kind": gettext_lazy("建议"), "title": "修路"}),
    )
    assert note.title == "您的建议“修路”已答复，请评价"
    assert note.params["kind"] == {"msgid": "建议"}
    with translation.override("en"):
        assert note.display_title == (
            'Suggestion "修路" has been replied to. Please evaluate it'
        )


def test_body_as_a_message_and_dates_as_iso_strings(personas):
    due = date(2026, 12, 31)
    note = make(
        personas.deputy,
        title=Message(URGE, {"title": "修路"}),
        body=Message(
            gettext_noop("延期理由：%(reason)s"), {"reason": "雨季", "d": due}
        ),
    )
    assert note.body == "延期理由：雨季"
    assert note.body_msgid and note.params["d"] == "2026-12-31"
    with translation.override("en"):
        assert "雨季" in note.display_body
        assert "延期理由" not in note.display_body


def test_an_old_row_without_msgid_shows_its_stored_text(client, personas):
    old = make(personas.deputy, title="旧的提醒：修路", body="旧的内容")
    assert old.title_msgid == "" and old.params == {}
    with translation.override("en"):
        assert old.display_title == "旧的提醒：修路"
        assert old.display_body == "旧的内容"
    html = page(client, personas.deputy, EN)
    assert "旧的提醒：修路" in html and "旧的内容" in html


@pytest.mark.parametrize(
    "params",
    [{}, {"other": "x"}, ["not", "a", "dict"], {"title": {"msgid": 3}}, None],
)
def test_broken_params_fall_back_to_the_stored_text(client, personas, params):
    note = make(personas.deputy)
    Notification.objects.filter(pk=note.pk).update(params=params or {})
    if params is None:
        Notification.objects.filter(pk=note.pk).update(title_msgid="坏的%(")
    note.refresh_from_db()
    with translation.override("en"):
        shown = note.display_title
    assert "修缮乡村道路" in shown or shown == note.title
    html = page(client, personas.deputy, EN)  # never a 500
    assert "修缮乡村道路" in html


def test_broken_params_show_exactly_the_stored_text(personas):
    note = make(personas.deputy)
    Notification.objects.filter(pk=note.pk).update(params={"other": "x"})
    note.refresh_from_db()
    with translation.override("en"):
        assert note.display_title == "催办：修缮乡村道路"


def test_api_keeps_the_stored_text_and_adds_the_translated_one(api_as, personas):
    make(personas.deputy)
    client = api_as(personas.deputy)
    row = client.get("/api/v1/notifications/", **EN).json()["results"][0]
    assert row["title"] == "催办：修缮乡村道路"
    assert row["display_title"] == "Urging: 修缮乡村道路"
    row = client.get("/api/v1/notifications/", **ZH).json()["results"][0]
    assert row["display_title"] == "催办：修缮乡村道路"


def test_a_reminder_keeps_its_source_on_every_channel(personas):
    user = personas.deputy
    user.email = "deputy@example.org"
    user.save()
    created = notify(
        Reminder(
            kind="assignment.urged",
            recipient=user,
            target=user,
            milestone="m",
            title=Message(URGE, {"title": "修路"}),
        )
    )
    assert created == 2
    rows = Notification.objects.filter(recipient=user)
    assert {n.title for n in rows} == {"催办：修路"}  # the e-mail says it in Chinese
    assert {n.title_msgid for n in rows} == {URGE}


def test_duty_day_tomorrow_in_english(client, sw):  # noqa: F811
    user = UserFactory(username="duty_deputy_en")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = date(2026, 12, 9)
    station_services.duty_day_create(
        station=sw.station,
        date=day + timedelta(days=1),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    run_reminders(day, jobs=["duty_days_tomorrow"])
    note = Notification.objects.get(recipient=user, kind="duty.tomorrow")
    assert note.title.startswith("明天（2026-12-10上午）请到")
    html = page(client, user, EN)
    assert (
        f"Tomorrow (2026-12-10, Morning), please receive constituents at {sw.station.name}"
        in html
    )


def test_english_list_query_count_does_not_grow_with_rows(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page(client, personas.deputy, EN)
        return len(ctx.captured_queries)

    for i in range(2):
        make(personas.deputy, key=f"a{i}")
    count()  # warm the session
    few = count()
    for i in range(6):
        make(personas.deputy, key=f"b{i}")
    assert count() == few


def test_an_object_parameter_is_kept_as_its_site_language_text(personas):
    class Named:
        def __str__(self):
            return translation.gettext("建议")

    with translation.override("en"):
        note = make(personas.deputy, title=Message(URGE, {"title": Named()}))
        assert note.display_title == "Urging: 建议"
    assert note.title == "催办：建议"
    assert note.params == {"title": "建议"}
