"""The 履职档案 across levels: rankings within the congress, groups and liaison
stations, never mixing deputies whose points tables differ; one page for a
person with mandates at several levels."""

from datetime import date

import pytest
from django.urls import reverse

from deputies import services
from deputies.archive import performance_archive
from deputies.models import Constituency
from portal.models import RuleSet
from portal.rules import rules_for, rules_for_many
from portal.services import rule_set_update
from stations import services as station_services
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db

ME = reverse("deputies:my_performance")
YEAR = 2026


def points(mandate, kind: str, n: int = 1, day: date = date(2026, 11, 5)):
    for i in range(n):
        services.ledger_record(
            mandate=mandate,
            kind=kind,
            occurred_on=day,
            key=f"t:{mandate.pk}:{kind}:{i}",
            actor=None,
        )


@pytest.fixture
def township_table(world):
    """The township congress counts research at 10 points: its table differs."""
    rule_set = RuleSet.objects.create(congress=world.township_congress, name="乡规则")
    rule_set_update(rule_set=rule_set, values={"points": {"research": 10}}, actor=None)
    return rule_set


@pytest.fixture
def both(world, personas, deputies, terms):
    """personas.deputy holds a county mandate (deputies.own) and a township one."""
    township = services.mandate_create(
        person=deputies.own.person,
        congress=world.township_congress,
        term=terms["township_congress"],
        card_number="TH-100",
        constituency=Constituency.objects.get_or_create(
            congress=world.township_congress, name="第一选区"
        )[0],
        actor=None,
    )
    return deputies.own, township


@pytest.fixture
def station(world, deputies, both):
    """桃花乡代表联络站 with three county deputies and two township deputies."""
    county_own, township_own = both
    station = station_services.station_create(
        name="桃花乡代表联络站",
        code="TH-ST",
        kind="township",
        region=world.township,
        tracking_prefix="TH",
        actor=None,
    )
    for mandate in (
        county_own,
        deputies.county[0],
        deputies.county[1],
        township_own,
        deputies.township,
    ):
        station_services.station_add_member(
            station=station, mandate=mandate, start_date=date(2026, 10, 25), actor=None
        )
    return station


def ranking(archive, kind):
    return next(r for r in archive.rankings if r.kind == kind)


def test_partial_points_override_keeps_the_other_items(world, township_table):
    table = rules_for(world.township_congress).points
    assert table["research"] == 10
    # Items the override does not name, new ones included, keep their defaults.
    assert table["inspection"] == 3 and table["suggestion_cosigned"] == 1
    assert rules_for(world.county_congress).points["research"] == 3


def test_rules_for_many_agrees_with_rules_for(world, township_table):
    from portal.models import Congress

    congresses = Congress.objects.select_related("region")
    many = rules_for_many(congresses)
    for congress in congresses:
        assert many[congress.pk].as_dict() == rules_for(congress).as_dict()


def test_station_ranking_keeps_deputies_of_the_same_points_table(
    world, deputies, both, station, township_table
):
    county_own, township_own = both
    points(deputies.county[0], "inspection", 2)  # 6 points
    points(county_own, "inspection", 1)  # 3 points
    points(deputies.township, "research", 3)  # 30 points on the township table
    points(township_own, "research", 1)  # 10

    county = ranking(performance_archive(county_own, YEAR), "station")
    assert (county.scope_name, county.rank, county.size, county.excluded) == (
        "桃花乡代表联络站",
        2,
        3,
        2,
    )
    township = ranking(performance_archive(township_own, YEAR), "station")
    assert (township.rank, township.size, township.excluded) == (2, 2, 3)


def test_station_ranks_every_level_together_when_the_tables_agree(
    world, deputies, both, station
):
    county_own, township_own = both
    points(deputies.township, "research", 3)  # 9
    points(county_own, "inspection", 2)  # 6
    points(township_own, "research", 1)  # 3
    county = ranking(performance_archive(county_own, YEAR), "station")
    assert (county.rank, county.size, county.excluded) == (2, 5, 0)
    township = ranking(performance_archive(township_own, YEAR), "station")
    assert (township.rank, township.size, township.excluded) == (3, 5, 0)


def test_a_station_left_before_the_year_does_not_rank(world, deputies, both, station):
    county_own, _township_own = both
    membership = station.memberships.get(mandate=county_own)
    station_services.station_end_membership(
        membership=membership, end_date=date(2026, 12, 1), actor=None
    )
    assert ranking(performance_archive(county_own, YEAR), "station").size == 5
    assert not [
        r for r in performance_archive(county_own, 2027).rankings if r.kind == "station"
    ]


def test_group_of_several_levels_ranks_by_points_table(
    world, deputies, both, township_table
):
    county_own, township_own = both
    group = services.group_create(
        congress=world.county_congress,
        name="桃花片区代表小组",
        kind="regional",
        actor=None,
    )
    services.group_add_members(
        group=group,
        mandates=[county_own, deputies.county[2], township_own, deputies.township],
        actor=None,
    )
    points(deputies.county[2], "training", 1)  # 2
    points(county_own, "training", 2)  # 4
    points(deputies.township, "research", 1)  # 10 on the township table
    county = ranking(performance_archive(county_own, YEAR), "group")
    assert (county.scope_name, county.rank, county.size, county.excluded) == (
        "桃花片区代表小组",
        1,
        2,
        2,
    )
    congress = performance_archive(county_own, YEAR).rankings[0]
    assert (congress.kind, congress.scope_name, congress.excluded) == (
        "congress",
        "湘源县人民代表大会",
        0,
    )


def test_one_page_with_a_section_per_mandate_and_level(
    client, personas, world, deputies, both, station, township_table
):
    county_own, township_own = both
    points(county_own, "inspection")
    points(township_own, "research")
    client.force_login(personas.deputy)
    html = client.get(ME, {"year": YEAR}).content.decode()
    assert "湘源县人民代表大会第十九届代表" in html
    assert "桃花乡人民代表大会第十九届代表" in html
    assert html.count("桃花乡代表联络站排名") == 2
    assert '<span class="tag">县级</span>' in html
    assert '<span class="tag">乡镇级</span>' in html
    assert "另有2名代表所在人大的积分表不同，未参与比较" in html
    assert "另有3名代表所在人大的积分表不同，未参与比较" in html
    # Each section's points are its own level's.
    assert '<span class="stat__value">3</span>' in html
    assert '<span class="stat__value">10</span>' in html


def test_nobody_else_sees_the_archive(client, personas, deputies, both, station):
    client.force_login(personas.other_deputy)
    html = client.get(ME, {"year": YEAR}).content.decode()
    assert "桃花乡代表联络站排名" not in html
    assert "张桂英" not in html


def test_archive_query_count_does_not_grow_with_ledger_or_levels(
    client,
    personas,
    world,
    deputies,
    both,
    station,
    township_table,
    django_assert_num_queries,
):
    county_own, township_own = both
    group = services.group_create(
        congress=world.county_congress,
        name="桃花片区代表小组",
        kind="regional",
        actor=None,
    )
    services.group_add_members(
        group=group, mandates=[county_own, deputies.township], actor=None
    )
    client.force_login(personas.deputy)
    points(county_own, "inspection", 2)
    client.get(ME, {"year": YEAR})
    with django_assert_num_queries(QUERIES):
        client.get(ME, {"year": YEAR})
    points(county_own, "research", 5)
    points(township_own, "research", 5)
    for i in range(3):
        extra = make_mandate(world.township_congress, f"乡代表{i}")
        station_services.station_add_member(
            station=station, mandate=extra, start_date=date(2026, 11, 1), actor=None
        )
        points(extra, "research", i + 1)
    with django_assert_num_queries(QUERIES):
        client.get(ME, {"year": YEAR})


# session, user, grants, mandates, unread count, to-confirm list; per mandate:
# ledger, totals by kind, congress ranking, memberships, stations; the county
# mandate's group: levels in it, points tables of its congresses (2: congresses,
# rule sets), ranking; each mandate's station: levels, ranking (the tables are
# read once per page).
QUERIES = 6 + 2 * 5 + 4 + 2 + 2
