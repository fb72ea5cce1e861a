"""Stations fixtures: the 李家镇 station with members, a unit and its staff."""

from dataclasses import dataclass
from datetime import date

import pytest

from portal.models import Role, Term
from portal.services import role_grant_create
from stations import services
from stations.models import Station
from tests.factories import HandlingUnitFactory, UserFactory, make_mandate


@dataclass
class StationWorld:
    station: object
    other_station: object
    congress: object
    members: list
    outsider: object
    station_staff: object
    other_station_staff: object
    # The township's own units (the township congress assigns to these; county
    # departments go through the county congress, world.unit and world.other_unit).
    unit: object = None
    other_unit: object = None
    unit_staff: object = None
    other_unit_staff: object = None


@pytest.fixture
def sw(world, personas):
    congress = world.township_congress
    other_congress = world.other_township_congress
    for c in (congress, other_congress):
        Term.objects.create(
            congress=c,
            number=19,
            start_date=date(2026, 9, 25),
            end_date=date(2031, 9, 24),
            is_current=True,
        )
    station = services.station_create(
        name="桃花乡代表联络站",
        code="TH01",
        kind=Station.Kind.TOWNSHIP,
        region=world.township,
        tracking_prefix="TH",
        address="桃花乡政府一楼",
        opening_hours="每月10日、25日上午",
        actor=None,
    )
    other_station = services.station_create(
        name="白沙镇代表联络站",
        code="BS01",
        kind=Station.Kind.TOWNSHIP,
        region=world.other_township,
        tracking_prefix="BS",
        actor=None,
    )
    members = [make_mandate(congress, name) for name in ["丁一", "王五", "李四"]]
    for mandate in members:
        services.station_add_member(
            station=station, mandate=mandate, start_date=date(2026, 10, 1), actor=None
        )
    station_staff = UserFactory(username="station_staff_p")
    services.station_staff_grant(user=station_staff, station=station, actor=None)
    other_station_staff = UserFactory(username="other_station_staff_p")
    services.station_staff_grant(
        user=other_station_staff, station=other_station, actor=None
    )
    outsider = make_mandate(other_congress, "赵外")
    unit = HandlingUnitFactory(name="桃花乡人民政府", region=world.township)
    other_unit = HandlingUnitFactory(name="桃花乡农业综合服务站", region=world.township)
    unit_staff = UserFactory(username="township_unit_p")
    role_grant_create(user=unit_staff, role=Role.UNIT_STAFF, unit=unit, actor=None)
    other_unit_staff = UserFactory(username="township_other_unit_p")
    role_grant_create(
        user=other_unit_staff, role=Role.UNIT_STAFF, unit=other_unit, actor=None
    )
    return StationWorld(
        station,
        other_station,
        congress,
        members,
        outsider,
        station_staff,
        other_station_staff,
        unit,
        other_unit,
        unit_staff,
        other_unit_staff,
    )
