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
