"""seed_demo builds the fictional province once and only in demo mode."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from portal.models import Congress, HandlingUnit, Region, RoleGrant, User

pytestmark = pytest.mark.django_db


def counts():
    return (
        Region.objects.count(),
        Congress.objects.count(),
        HandlingUnit.objects.count(),
        User.objects.count(),
        RoleGrant.objects.count(),
    )


def test_seed_is_idempotent():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first[3] == 12 + 52


def test_demo_province_has_what_the_api_contract_names():
    call_command("seed_demo")
    for name in ["湖南省", "潇湘市", "湘源县", "云溪县", "桃花乡"]:
        assert Region.objects.filter(name=name).exists(), name
    for name in ["湘源县交通运输局", "湘源县住房和城乡建设局", "桃花乡人民政府"]:
        assert HandlingUnit.objects.filter(name=name).exists(), name
    for level in ["national", "province", "city", "county", "township"]:
        assert Congress.objects.filter(level=level).exists(), level
    county = Congress.objects.get(name="湘源县人民代表大会")
    assert county.current_term().sessions.exists()
    daibiao02 = User.objects.get(username="daibiao02")
    assert daibiao02.grants.count() == 2


def test_seed_if_empty_skips_a_used_database(personas):
    call_command("seed_demo", "--if-empty")
    assert not User.objects.filter(username="xian_staff").exists()


@override_settings(DEMO_MODE=False)
def test_seed_refuses_outside_demo_mode():
    with pytest.raises(CommandError, match="演示模式"):
        call_command("seed_demo")
    assert User.objects.count() == 0
