"""Issue 18: a duty day is changed, cancelled (a public notice once published)
or deleted (drafts only); the lead time is refused up front; a deputy of
several levels is listed once; a weekly series is created all or nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies import services as deputy_services
from portal.models import AuditEvent, Notification, Term
from portal.services import DomainError, TransitionError
from stations import services
from stations.forms import DutyDayForm
from stations.models import DutyDay, DutyDayEvent
from tests.factories import UserFactory, make_mandate

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def day_ahead(sw, days, *, publish=False, deputies=None, slot="morning"):
    day = services.duty_day_create(
        station=sw.station,
        date=today() + timedelta(days=days),
        slot=slot,
        deputies=deputies or sw.members[:2],
        actor=None,
        today=today() - timedelta(days=10),
    )
    if publish:
        services.duty_day_publish(
            duty_day=day, actor=None, today=today() - timedelta(days=10)
        )
    return DutyDay.objects.select_related("station").get(pk=day.pk)


def manage(sw, name, day):
    return reverse(f"stations:duty_day_{name}", args=[sw.station.pk, day.pk])


# --- the lead-time rule, one rule for creating and publishing ----------------------


def test_the_create_form_refuses_what_publishing_would(client, sw):
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:duty_day_create", args=[sw.station.pk]),
        {
            "date": f"{today() + timedelta(days=2):%Y-%m-%d}",
            "slot": "morning",
            "deputies": [sw.members[0].pk],
        },
    )
    assert response.status_code == 400
    form = response.context["duty_day_form"]
    assert "接待日须至少提前3天向社会公布" in form.errors["date"][0]
    assert not DutyDay.objects.exists()


def test_the_rule_is_read_from_the_rule_set(sw):
    from portal.models import RuleSet
    from portal.services import rule_set_update

    rule_set = RuleSet.objects.create(congress=sw.congress)
    rule_set_update(
        rule_set=rule_set, values={"duty_publish_days_ahead": 7}, actor=None
    )
    with pytest.raises(DomainError, match="提前7天"):
        services.duty_day_create(
            station=sw.station,
            date=today() + timedelta(days=5),
            slot="morning",
            deputies=sw.members[:1],
            actor=None,
        )


def test_a_past_day_may_still_be_recorded_for_its_attendance(sw):
    day = services.duty_day_create(
        station=sw.station,
        date=today() - timedelta(days=3),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    assert day.status == "draft"
    with pytest.raises(DomainError, match="接待日须至少提前3天"):
        services.duty_day_publish(duty_day=day, actor=None)


# --- one person once in the picker ----------------------------------------------------


def test_a_deputy_of_two_levels_is_listed_once_by_the_station_level_mandate(sw, world):
    Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    county = make_mandate(world.county_congress, "周两级")
    township = deputy_services.mandate_create(
        person=county.person,
        congress=sw.congress,
        term=sw.congress.current_term(),
        card_number="T-ZLJ",
        constituency=sw.members[0].constituency,
        actor=None,
    )
    for mandate in (county, township):
        services.station_add_member(
            station=sw.station,
            mandate=mandate,
            start_date=date(2026, 10, 1),
            actor=None,
        )
    choices = list(DutyDayForm(station=sw.station).fields["deputies"].queryset)
    assert [m.pk for m in choices if m.person_id == county.person_id] == [township.pk]
    assert len(choices) == 4
    with pytest.raises(DomainError, match="周两级重复选择"):
        services.duty_day_create(
            station=sw.station,
            date=today() + timedelta(days=5),
            slot="morning",
            deputies=[county, township],
            actor=None,
        )


# --- edit -----------------------------------------------------------------------------


def test_a_coming_day_is_changed_with_a_row_and_the_deputies_told(
    sw, django_capture_on_commit_callbacks
):
    user = UserFactory(username="duty_told")
    sw.members[2].person.user = user
    sw.members[2].person.save()
    day = day_ahead(sw, 6, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.duty_day_update(
            duty_day=day,
            date=day.date + timedelta(days=1),
            slot="afternoon",
            deputies=[sw.members[0], sw.members[2]],
            topic="新主题",
            actor=sw.station_staff,
        )
    day.refresh_from_db()
    assert (day.slot, day.topic) == ("afternoon", "新主题")
    assert set(day.assignments.values_list("mandate_id", flat=True)) == {
        sw.members[0].pk,
        sw.members[2].pk,
    }
    event = DutyDayEvent.objects.filter(duty_day=day).last()
    assert event.from_state == event.to_state == "published"
    assert "修改安排" in event.note
    assert Notification.objects.filter(recipient=user, kind="duty_day.changed").count()


def test_the_same_change_again_is_a_no_op(sw):
    day = day_ahead(sw, 6)
    rows = DutyDayEvent.objects.count()
    services.duty_day_update(
        duty_day=day,
        date=day.date,
        slot=day.slot,
        deputies=sw.members[:2],
        topic="",
        actor=None,
    )
    assert DutyDayEvent.objects.count() == rows


def test_a_change_to_a_date_inside_the_notice_is_refused(sw):
    day = day_ahead(sw, 6)
    with pytest.raises(DomainError, match="接待日须至少提前3天") as caught:
        services.duty_day_update(
            duty_day=day,
            date=today() + timedelta(days=1),
            slot="morning",
            deputies=sw.members[:1],
            actor=None,
        )
    assert caught.value.field == "date"


def test_a_past_day_is_not_changed(sw):
    past = services.duty_day_create(
        station=sw.station,
        date=today() - timedelta(days=2),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    with pytest.raises(TransitionError, match="接待日已过，不能修改"):
        services.duty_day_update(
            duty_day=past,
            date=today() + timedelta(days=9),
            slot="morning",
            deputies=sw.members[:1],
            actor=None,
        )


def test_the_edit_page_for_staff_and_not_for_others(client, sw, personas):
    day = day_ahead(sw, 6)
    url = manage(sw, "edit", day)
    client.force_login(sw.station_staff)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "date": f"{day.date + timedelta(days=2):%Y-%m-%d}",
            "slot": "evening",
            "deputies": [sw.members[1].pk],
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.slot == "evening"
    response = client.post(url, {"date": "", "slot": "evening", "deputies": []})
    assert response.status_code == 400
    assert "请选择日期。" in response.content.decode()
    client.force_login(personas.leader)  # reads the station, may not change it
    assert client.get(url).status_code == 403
    client.force_login(sw.other_station_staff)  # another station: out of scope
    assert client.get(url).status_code == 404


# --- cancel ---------------------------------------------------------------------------


def test_a_published_day_is_cancelled_with_a_public_notice(
    client, sw, django_capture_on_commit_callbacks
):
    user = UserFactory(username="duty_cancel")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = day_ahead(sw, 6, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.duty_day_cancel(
            duty_day=day, reason="会场维修，改期另行公布", actor=sw.station_staff
        )
    day.refresh_from_db()
    assert day.status == "cancelled" and day.cancelled_at is not None
    event = DutyDayEvent.objects.filter(duty_day=day).last()
    assert (event.from_state, event.to_state, event.note) == (
        "published",
        "cancelled",
        "会场维修，改期另行公布",
    )
    assert AuditEvent.objects.filter(action="duty_day.cancel").count() == 1
    note = Notification.objects.get(recipient=user, kind="duty_day.cancelled")
    assert "已取消" in note.title
    html = client.get(reverse("stations:station", args=[sw.station.pk])).content
    html = html.decode()
    assert "接待日取消公告" in html and "会场维修，改期另行公布" in html
    assert not list(DutyDay.objects.public(today()))
    # idempotent: cancelling again changes nothing
    services.duty_day_cancel(duty_day=day, reason="再次", actor=None)
    assert DutyDayEvent.objects.filter(duty_day=day, to_state="cancelled").count() == 1


def test_a_cancellation_needs_a_reason_and_a_coming_day(client, sw):
    day = day_ahead(sw, 6)
    with pytest.raises(DomainError, match="请填写取消原因"):
        services.duty_day_cancel(duty_day=day, reason=" ", actor=None)
    client.force_login(sw.station_staff)
    response = client.post(manage(sw, "cancel", day), {"reason": ""})
    assert response.status_code == 400
    assert "请填写取消原因。" in response.content.decode()
    past = services.duty_day_create(
        station=sw.station,
        date=today() - timedelta(days=1),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    with pytest.raises(TransitionError, match="接待日已过，不能取消"):
        services.duty_day_cancel(duty_day=past, reason="x", actor=None)


def test_a_draft_cancelled_shows_no_public_notice(client, sw):
    day = day_ahead(sw, 6)
    services.duty_day_cancel(duty_day=day, reason="草稿不用了", actor=None)
    html = client.get(reverse("stations:station", args=[sw.station.pk])).content
    assert "草稿不用了" not in html.decode()


# --- delete ---------------------------------------------------------------------------


def test_only_a_draft_is_deleted(client, sw, personas):
    draft = day_ahead(sw, 6)
    published = day_ahead(sw, 7, publish=True)
    client.force_login(personas.leader)
    assert client.post(manage(sw, "delete", draft)).status_code == 403
    client.force_login(sw.other_station_staff)
    assert client.post(manage(sw, "delete", draft)).status_code == 404
    client.force_login(sw.station_staff)
    assert client.get(manage(sw, "delete", draft)).status_code == 405
    assert client.post(manage(sw, "delete", draft)).status_code == 302
    assert not DutyDay.objects.filter(pk=draft.pk).exists()
    assert AuditEvent.objects.filter(action="duty_day.delete").count() == 1
    assert client.post(manage(sw, "delete", published)).status_code == 403
    with pytest.raises(TransitionError, match="只能删除未公布的接待日"):
        services.duty_day_delete(duty_day=published, actor=None)
    assert DutyDay.objects.filter(pk=published.pk).exists()


# --- weekly series --------------------------------------------------------------------


def next_weekday(weekday, after):
    return after + timedelta(days=(weekday - after.weekday()) % 7)


def test_a_weekly_series_creates_every_day_and_skips_taken_slots(sw):
    start = today() + timedelta(days=5)
    first = next_weekday(2, start)
    taken = services.duty_day_create(
        station=sw.station,
        date=first + timedelta(weeks=1),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    created, skipped = services.duty_day_create_recurring(
        station=sw.station,
        weekday=2,
        slot="morning",
        start=start,
        end=first + timedelta(weeks=3),
        deputies=sw.members[:2],
        topic="每周三接待",
        actor=None,
    )
    assert [d.date for d in created] == [
        first,
        first + timedelta(weeks=2),
        first + timedelta(weeks=3),
    ]
    assert skipped == [taken.date]
    assert all(d.date.weekday() == 2 and d.status == "draft" for d in created)


def test_a_weekly_series_is_all_or_nothing(sw):
    with pytest.raises(DomainError, match="赵外未编入本联络站"):
        services.duty_day_create_recurring(
            station=sw.station,
            weekday=0,
            slot="morning",
            start=today() + timedelta(days=5),
            end=today() + timedelta(days=60),
            deputies=[sw.members[0], sw.outsider],
            actor=None,
        )
    with pytest.raises(DomainError, match="接待日须至少提前3天"):
        services.duty_day_create_recurring(
            station=sw.station,
            weekday=today().weekday(),
            slot="morning",
            start=today() + timedelta(days=7),
            end=today() + timedelta(days=60),
            deputies=sw.members[:1],
            actor=None,
            today=today() + timedelta(days=6),
        )
    with pytest.raises(DomainError, match="结束日期不能早于开始日期"):
        services.duty_day_create_recurring(
            station=sw.station,
            weekday=0,
            slot="morning",
            start=today() + timedelta(days=20),
            end=today() + timedelta(days=5),
            deputies=sw.members[:1],
            actor=None,
        )
    assert not DutyDay.objects.exists()


def test_the_weekly_form_for_staff_and_not_for_others(client, sw, personas):
    url = reverse("stations:duty_day_recurring", args=[sw.station.pk])
    data = {
        "weekday": "4",
        "slot": "afternoon",
        "start": f"{today() + timedelta(days=5):%Y-%m-%d}",
        "end": f"{today() + timedelta(days=40):%Y-%m-%d}",
        "deputies": [sw.members[0].pk],
    }
    client.force_login(personas.leader)
    assert client.post(url, data).status_code == 403
    client.force_login(sw.other_station_staff)
    assert client.post(url, data).status_code == 404
    client.force_login(sw.station_staff)
    assert client.get(url).status_code == 405
    response = client.post(url, {**data, "end": ""})
    assert response.status_code == 400
    assert "请选择结束日期。" in response.content.decode()
    response = client.post(url, data, follow=True)
    assert "已安排" in response.content.decode()
    assert DutyDay.objects.filter(station=sw.station, slot="afternoon").count() >= 5


# --- the workspace stays constant-query ------------------------------------------------


def test_the_workspace_roster_costs_the_same_for_more_days(
    client, sw, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(sw.station_staff)
    url = reverse("stations:manage", args=[sw.station.pk])
    day_ahead(sw, 6)
    client.get(url)  # warm the per-user caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(7, 12):
        day_ahead(sw, n, publish=n % 2 == 0)
    services.duty_day_cancel(
        duty_day=DutyDay.objects.get(date=today() + timedelta(days=8)),
        reason="改期",
        actor=None,
    )
    with django_assert_num_queries(len(few)):
        html = client.get(url).content.decode()
    assert "已取消" in html and "修改" in html


# --- the roster import is linked for those who may import ----------------------------


def test_the_roster_import_is_linked_for_congress_staff_only(client, sw, personas):
    link = reverse("deputies:roster_import")
    client.force_login(personas.county_staff)
    for url in (
        reverse("stations:manage", args=[sw.station.pk]),
        reverse("stations:manage_list"),
        reverse("deputies:list"),
    ):
        assert link in client.get(url).content.decode(), url
    client.force_login(sw.station_staff)
    html = client.get(reverse("stations:manage", args=[sw.station.pk])).content
    assert link not in html.decode()
