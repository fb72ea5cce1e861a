"""Permissions are data scoping (DESIGN.md §11): who sees which regions, congresses, units."""

import pytest

from portal import services
from portal.models import Congress, HandlingUnit, Region
from portal.scoping import can_manage_region, scope_for

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_subtree_is_region_and_everything_below(world):
    assert names(Region.objects.subtree(world.county)) == {
        "湘源县",
        "桃花乡",
        "李家镇",
        "桃花村",
    }
    assert names(Region.objects.descendants(world.county)) == {
        "桃花乡",
        "李家镇",
        "桃花村",
    }


def test_ancestors_are_ordered_from_the_root(world):
    assert list(
        Region.objects.ancestors_of(world.village).values_list("name", flat=True)
    ) == [
        "湖南省",
        "潇湘市",
        "湘源县",
        "桃花乡",
    ]


def test_county_staff_see_their_county_and_its_townships_only(world, personas):
    visible = names(Region.objects.visible_to(personas.county_staff))
    assert visible == {"湘源县", "桃花乡", "李家镇", "桃花村"}
    assert "白沙镇" not in visible
    assert "云溪县" not in visible


def test_other_county_staff_do_not_see_this_county(world, personas):
    visible = names(Region.objects.visible_to(personas.other_county_staff))
    assert visible == {"云溪县", "白沙镇"}


def test_township_staff_see_only_their_township(world, personas):
    assert names(Region.objects.visible_to(personas.township_staff)) == {
        "桃花乡",
        "桃花村",
    }


def test_province_staff_see_the_whole_province(world, personas):
    assert Region.objects.visible_to(personas.province_staff).count() == 8


def test_admin_sees_everything_and_nobody_sees_nothing(world, personas):
    assert Region.objects.visible_to(personas.admin).count() == Region.objects.count()
    assert Region.objects.visible_to(personas.nobody).count() == 0
    assert HandlingUnit.objects.visible_to(personas.nobody).count() == 0


def test_congresses_follow_the_region_scope(world, personas):
    assert names(Congress.objects.visible_to(personas.county_staff)) == {
        "湘源县人民代表大会",
        "桃花乡人民代表大会",
    }


def test_unit_staff_see_their_own_unit_only(world, personas):
    assert names(HandlingUnit.objects.visible_to(personas.unit_staff)) == {
        "湘源县交通运输局"
    }


def test_county_staff_see_units_of_their_county_not_another(world, personas):
    assert names(HandlingUnit.objects.visible_to(personas.county_staff)) == {
        "湘源县交通运输局",
        "湘源县住房和城乡建设局",
    }
    assert names(HandlingUnit.objects.visible_to(personas.other_county_staff)) == {
        "云溪县交通运输局"
    }


def test_leader_reads_but_does_not_manage(world, personas):
    scope = scope_for(personas.leader)
    assert scope.governs_path(world.township.path)
    assert not can_manage_region(personas.leader, world.township)
    assert can_manage_region(personas.county_staff, world.township)
    assert not can_manage_region(personas.county_staff, world.other_township)


def test_deputy_governs_nothing(world, personas):
    assert not scope_for(personas.deputy).governs_path(world.county.path)
    assert HandlingUnit.objects.visible_to(personas.deputy).count() == 0


def test_nested_grants_collapse_to_the_outer_subtree(world, personas):
    services.role_grant_create(
        user=personas.county_staff,
        role="congress_staff",
        congress=world.township_congress,
        actor=None,
    )
    assert scope_for(personas.county_staff).governed_paths == (world.county.path,)


def test_region_move_rewrites_the_subtree(world):
    services.region_move(
        region=world.township, new_parent=world.other_county, actor=None
    )
    world.village.refresh_from_db()
    assert world.village.is_within(world.other_county)
    assert world.village.depth == 4
    assert "桃花村" not in names(Region.objects.subtree(world.county))


def test_region_cannot_move_below_itself(world):
    with pytest.raises(services.DomainError, match="不能把行政区划移动到它自己的下级"):
        services.region_move(region=world.county, new_parent=world.township, actor=None)


def test_role_needs_a_matching_scope(world):
    from tests.factories import UserFactory

    with pytest.raises(services.DomainError, match="不能以"):
        services.role_grant_create(
            user=UserFactory(),
            role="unit_staff",
            congress=world.county_congress,
            actor=None,
        )
