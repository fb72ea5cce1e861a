"""Station membership, the duty roster and its publication rule, attendance points."""

from datetime import date, timedelta

import pytest

from deputies.models import LedgerEntry
from deputies.services import mandate_suspend, mandate_terminate
from portal.services import DomainError
from stations import services
from stations.models import DutyDay

pytestmark = pytest.mark.django_db


def test_deputies_of_any_level_are_grouped_and_scheduled(sw, world):
    day = services.duty_day_create(
        station=sw.station,
        date=date(2026, 12, 10),
        slot="morning",
        deputies=sw.members[:2],
        actor=None,
    )
    assert set(day.deputies.all()) == set(sw.members[:2])


def test_a_deputy_outside_the_station_cannot_be_scheduled(sw):
    with pytest.raises(DomainError, match="赵外未编入本联络站"):
        services.duty_day_create(
            station=sw.station,
            date=date(2026, 12, 10),
            slot="morning",
            deputies=[sw.outsider],
            actor=None,
        )


@pytest.mark.parametrize("change", ["suspend", "terminate"])
def test_suspended_or_terminated_mandate_cannot_be_scheduled(sw, change):
    mandate = sw.members[0]
    if change == "suspend":
        mandate_suspend(
            mandate=mandate, ground="detained", on=date(2026, 11, 1), actor=None
        )
        message = "丁一已暂停执行代表职务，不能安排接待"
    else:
        mandate_terminate(
            mandate=mandate,
            ground="resigned",
            on=date(2026, 11, 1),
            document_number="公告〔2026〕第1号",
            actor=None,
        )
        message = "丁一的代表资格已终止，不能安排接待"
    with pytest.raises(DomainError, match=message):
        services.duty_day_create(
            station=sw.station,
            date=date(2026, 12, 10),
            slot="morning",
            deputies=[mandate],
            actor=None,
        )
    assert not DutyDay.objects.exists()


def test_publication_needs_three_days_notice(sw):
    """One rule for the lead time: the day is refused when created, as 公布
    would refuse it (issue 18: it used to be accepted, then never published)."""
    today = date(2026, 12, 1)
    with pytest.raises(DomainError, match="接待日须至少提前3天向社会公布") as caught:
        services.duty_day_create(
            station=sw.station,
            date=today + timedelta(days=2),
            slot="morning",
            deputies=sw.members[:1],
            actor=None,
            today=today,
        )
    assert caught.value.field == "date"
    assert "请选择2026-12-04及以后的日期" in caught.value.message
    later = services.duty_day_create(
        station=sw.station,
        date=today + timedelta(days=3),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
        today=today,
    )
    # Planned in time but published too late: the same rule refuses it.
    with pytest.raises(DomainError, match="接待日须至少提前3天向社会公布"):
        services.duty_day_publish(
            duty_day=later, today=today + timedelta(days=1), actor=None
        )
    assert services.duty_day_publish(
        duty_day=later, today=today, actor=None
    ).is_published
    assert list(DutyDay.objects.public(today)) == [later]


def test_two_slots_same_time_are_refused(sw):
    services.duty_day_create(
        station=sw.station,
        date=date(2026, 12, 10),
        slot="morning",
        deputies=sw.members[:1],
        actor=None,
    )
    with pytest.raises(DomainError, match="该时段已有接待安排"):
        services.duty_day_create(
            station=sw.station,
            date=date(2026, 12, 10),
            slot="morning",
            deputies=sw.members[1:2],
            actor=None,
        )


def test_attendance_earns_half_day_points_once(sw):
    day = services.duty_day_create(
        station=sw.station,
        date=date(2026, 12, 10),
        slot="full_day",
        deputies=sw.members[:2],
        actor=None,
    )
    assert (
        services.duty_day_record_attendance(
            duty_day=day, attended=[sw.members[0].pk], actor=None
        )
        == 1
    )
    services.duty_day_record_attendance(
        duty_day=day, attended=[sw.members[0].pk], actor=None
    )
    entry = LedgerEntry.objects.get()
    assert (entry.mandate, entry.kind, entry.points) == (
        sw.members[0],
        "station_duty_half_day",
        4,
    )


def test_reception_is_recorded(sw):
    reception = services.reception_create(
        station=sw.station,
        date=date(2026, 12, 10),
        mode="reception_day",
        deputies=sw.members[:2],
        visitor_count=7,
        actor=None,
    )
    assert reception.deputies.count() == 2
    with pytest.raises(DomainError, match="接待方式不正确"):
        services.reception_create(
            station=sw.station,
            date=date(2026, 12, 10),
            mode="x",
            deputies=[],
            actor=None,
        )
