"""Shared fixtures: a small region tree and the named personas of STYLE.md."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from portal import services
from portal.models import Region, Role

from .factories import CongressFactory, HandlingUnitFactory, RegionFactory, UserFactory

# The Schemathesis gate's counts, summed over xdist workers (tests/api_contract).
pytest_plugins = ["tests.api_contract.report"]


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only and browser tests need parts a bare laptop may lack: they are
    deselected loudly, never skipped silently. CI has both and runs everything."""
    import shutil

    from django.conf import settings
    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append(("postgres", "PostgreSQL"))
    if not shutil.which("chromium"):
        missing.append(("browser", "Chromium"))
    elif not (settings.BASE_DIR / "node_modules" / "axe-core").is_dir():
        missing.append(("browser", "axe-core（npm ci）"))
    for marker, what in missing:
        unable = [item for item in items if item.get_closest_marker(marker)]
        if unable:
            items[:] = [item for item in items if not item.get_closest_marker(marker)]
            config.hook.pytest_deselected(items=unable)
            print(f"\n注意：{len(unable)} 个需要 {what} 的测试未运行（CI 会运行）。")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """A request in English must not leave English active for the next test."""
    translation.activate("zh-hans")
    yield
    translation.deactivate()


@dataclass
class World:
    """A province with two counties; each county has townships; one city."""

    province: Region
    city: Region
    county: Region
    other_county: Region
    township: Region
    township2: Region
    other_township: Region
    village: Region
    province_congress: object
    county_congress: object
    other_county_congress: object
    township_congress: object
    other_township_congress: object
    unit: object
    other_unit: object
    other_county_unit: object


@pytest.fixture
def world(db) -> World:
    province = RegionFactory(name="湖南省", level=Region.Level.PROVINCE)
    city = RegionFactory(name="潇湘市", level=Region.Level.CITY, parent=province)
    county = RegionFactory(name="湘源县", level=Region.Level.COUNTY, parent=city)
    other_county = RegionFactory(name="云溪县", level=Region.Level.COUNTY, parent=city)
    township = RegionFactory(name="桃花乡", level=Region.Level.TOWNSHIP, parent=county)
    township2 = RegionFactory(name="李家镇", level=Region.Level.TOWNSHIP, parent=county)
    other_township = RegionFactory(
        name="白沙镇", level=Region.Level.TOWNSHIP, parent=other_county
    )
    village = RegionFactory(name="桃花村", level=Region.Level.VILLAGE, parent=township)
    return World(
        province=province,
        city=city,
        county=county,
        other_county=other_county,
        township=township,
        township2=township2,
        other_township=other_township,
        village=village,
        province_congress=CongressFactory(region=province),
        county_congress=CongressFactory(region=county),
        other_county_congress=CongressFactory(region=other_county),
        township_congress=CongressFactory(region=township),
        other_township_congress=CongressFactory(region=other_township),
        unit=HandlingUnitFactory(name="湘源县交通运输局", region=county),
        other_unit=HandlingUnitFactory(name="湘源县住房和城乡建设局", region=county),
        other_county_unit=HandlingUnitFactory(
            name="云溪县交通运输局", region=other_county
        ),
    )


@dataclass
class Personas:
    admin: object
    province_staff: object
    county_staff: object
    other_county_staff: object
    township_staff: object
    leader: object
    deputy: object
    other_deputy: object
    unit_staff: object
    other_unit_staff: object
    township_gov: object
    nobody: object


@pytest.fixture
def personas(world) -> Personas:
    def grant(username, role, **scope):
        user = UserFactory(username=username)
        services.role_grant_create(user=user, role=role, **scope, actor=None)
        return user

    admin = UserFactory(username="admin_p", is_superuser=True, is_staff=True)
    services.role_grant_create(user=admin, role=Role.ADMIN, actor=None)
    return Personas(
        admin=admin,
        province_staff=grant(
            "province_staff", Role.CONGRESS_STAFF, congress=world.province_congress
        ),
        county_staff=grant(
            "county_staff", Role.CONGRESS_STAFF, congress=world.county_congress
        ),
        other_county_staff=grant(
            "other_county_staff",
            Role.CONGRESS_STAFF,
            congress=world.other_county_congress,
        ),
        township_staff=grant(
            "township_staff", Role.CONGRESS_STAFF, congress=world.township_congress
        ),
        leader=grant("leader_p", Role.LEADER, congress=world.county_congress),
        deputy=grant("deputy_p", Role.DEPUTY, congress=world.county_congress),
        other_deputy=grant(
            "other_deputy_p", Role.DEPUTY, congress=world.other_county_congress
        ),
        unit_staff=grant("unit_staff_p", Role.UNIT_STAFF, unit=world.unit),
        other_unit_staff=grant(
            "other_unit_staff_p", Role.UNIT_STAFF, unit=world.other_unit
        ),
        township_gov=grant("township_gov_p", Role.TOWNSHIP_GOV, region=world.township),
        nobody=UserFactory(username="nobody"),
    )


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(api):
    def login(user):
        api.force_authenticate(user=user)
        return api

    return login
