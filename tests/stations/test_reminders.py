"""Station reminder jobs: tomorrow's duty deputies, overdue opinions."""

from datetime import date, timedelta

import pytest

from portal.models import Notification
from portal.notifications import run_reminders
from stations import services
from stations.models import Opinion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_duty_tomorrow_reaches_the_rostered_deputies_only(sw):
    user = UserFactory(username="duty_deputy")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = date(2026, 12, 9)
    services.duty_day_create(
        station=sw.station,
        date=day + timedelta(days=1),
        slot="morning",
        deputies=sw.members[:2],
        actor=None,
    )
    run_reminders(day - timedelta(days=1), jobs=["duty_days_tomorrow"])
    assert not Notification.objects.exists()
    run_reminders(day, jobs=["duty_days_tomorrow"])
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "duty_deputy"
    ]


def test_overdue_opinion_reaches_unit_and_station(sw, world, personas):
    opinion = services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    opinion = services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    Opinion.objects.filter(pk=opinion.pk).update(due_date=date(2026, 12, 31))
    run_reminders(date(2026, 12, 31), jobs=["opinions_overdue"])
    assert not Notification.objects.exists()
    run_reminders(date(2027, 1, 1), jobs=["opinions_overdue"])
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"township_unit_p", "station_staff_p"}
    run_reminders(date(2027, 1, 2), jobs=["opinions_overdue"])
    assert Notification.objects.count() == 2


def test_a_missed_day_before_still_reminds_on_the_duty_day_once(sw):
    user = UserFactory(username="duty_deputy")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = date(2026, 12, 10)
    services.duty_day_create(
        station=sw.station,
        date=day,
        slot="afternoon",
        deputies=sw.members[:1],
        actor=None,
    )
    run_reminders(day - timedelta(days=2), jobs=["duty_days_tomorrow"])
    assert not Notification.objects.exists()
    run_reminders(day, jobs=["duty_days_tomorrow"])  # the day before was missed
    run_reminders(day, jobs=["duty_days_tomorrow"])
    note = Notification.objects.get()
    assert note.title == "今天（2026-12-10下午）请到桃花乡代表联络站接待群众"
    run_reminders(day + timedelta(days=1), jobs=["duty_days_tomorrow"])
    assert Notification.objects.count() == 1


def test_a_duty_day_reminded_the_day_before_is_not_reminded_again(sw):
    user = UserFactory(username="duty_deputy")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = date(2026, 12, 10)
    services.duty_day_create(
        station=sw.station,
        date=day,
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    run_reminders(day - timedelta(days=1), jobs=["duty_days_tomorrow"])
    run_reminders(day, jobs=["duty_days_tomorrow"])
    assert Notification.objects.get().title.startswith("明天（2026-12-10上午）")


def test_a_past_duty_day_is_never_reminded(sw):
    user = UserFactory(username="duty_deputy")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = date(2026, 12, 10)
    services.duty_day_create(
        station=sw.station,
        date=day,
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    run_reminders(day + timedelta(days=1), jobs=["duty_days_tomorrow"])
    assert not Notification.objects.exists()


def test_an_overdue_opinion_found_after_a_gap_is_reminded_once(sw, world, personas):
    opinion = services.opinion_submit(
        station=sw.station,
        name="张三",
        phone="13812345678",
        content="反映内容一二三",
        actor=None,
    )
    opinion = services.opinion_assign(opinion=opinion, unit=sw.unit, actor=None)
    Opinion.objects.filter(pk=opinion.pk).update(due_date=date(2026, 12, 31))
    run_reminders(date(2027, 1, 9), jobs=["opinions_overdue"])
    run_reminders(date(2027, 1, 9), jobs=["opinions_overdue"])
    assert Notification.objects.count() == 2  # the unit and the station, once


@pytest.mark.postgres
def test_a_restart_after_downtime_reminds_todays_duty_once(sw):
    """Day D ran (the duty is on D+2); the worker was down on D+1 and comes back
    on D+2: the deputy is reminded once, and a second run sends nothing."""
    user = UserFactory(username="duty_deputy")
    sw.members[0].person.user = user
    sw.members[0].person.save()
    day = date(2026, 12, 8)
    services.duty_day_create(
        station=sw.station,
        date=day + timedelta(days=2),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    assert sum(run_reminders(day, jobs=["duty_days_tomorrow"]).values()) == 0
    back = run_reminders(day + timedelta(days=2), jobs=["duty_days_tomorrow"])
    assert back["duty.tomorrow"] == 1
    again = run_reminders(day + timedelta(days=2), jobs=["duty_days_tomorrow"])
    assert sum(again.values()) == 0
