"""原选举单位 and 选区: where a mandate was won, who elected it, and what the
electing congress's staff may do with the deputies it elected (DESIGN.md §3, §11)."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from deputies import services
from deputies.models import Constituency, GroupMembership, Mandate
from deputies.policies import GroupPolicy, MandatePolicy
from portal import services as portal_services
from portal.models import Congress, Role, Term
from portal.services import DomainError
from portal.workdays import add_months
from tests.factories import CongressFactory, UserFactory, make_mandate

from . import test_roster_support as support

pytestmark = pytest.mark.django_db
rw = support.rw
media = support.media

START = date(2023, 1, 10)


def current_term(congress, number=14):
    return Term.objects.create(
        congress=congress,
        number=number,
        start_date=START,
        end_date=add_months(START, 60),
        is_current=True,
    )


def staff_of(congress):
    user = UserFactory()
    portal_services.role_grant_create(
        user=user, role=Role.CONGRESS_STAFF, congress=congress, actor=None
    )
    return user


@dataclass
class Upper:
    city: Congress
    city_staff: object
    province_deputy: Mandate  # elected by the city congress
    army_deputy: Mandate  # elected by the army's electoral unit


@pytest.fixture
def upper(world, personas, terms) -> Upper:
    city = CongressFactory(region=world.city)
    current_term(city)
    current_term(world.province_congress, number=14)
    return Upper(
        city=city,
        city_staff=staff_of(city),
        province_deputy=make_mandate(
            world.province_congress, "周建华", electing_congress=city
        ),
        army_deputy=make_mandate(world.province_congress, "吴强", elected_by_army=True),
    )


def register(congress, **fields):
    person = services.person_create(name="新代表", gender="male", actor=None)
    return services.mandate_create(
        person=person,
        congress=congress,
        term=congress.current_term(),
        card_number=fields.pop("card_number", "N-1"),
        actor=None,
        **fields,
    )


# --- validation in the services -------------------------------------------------------


def test_a_province_mandate_needs_an_electing_unit(world, upper):
    with pytest.raises(ValidationError) as refused:
        register(world.province_congress)
    assert refused.value.message_dict["electing_congress"] == [
        "设区的市级以上人大代表须填写原选举单位（下一级人民代表大会或解放军选举单位）。"
    ]


def test_the_electing_congress_is_the_one_level_below(world, upper):
    # The county is two levels below the province: it elects city deputies.
    with pytest.raises(ValidationError) as refused:
        register(world.province_congress, electing_congress=world.county_congress)
    assert refused.value.message_dict["electing_congress"] == [
        "湘源县人民代表大会不是湖南省人民代表大会下一级的人民代表大会。"
    ]
    mandate = register(world.province_congress, electing_congress=upper.city)
    assert mandate.electing_congress == upper.city
    assert mandate.electing_unit_name == "潇湘市人民代表大会"
    city_deputy = register(
        upper.city, electing_congress=world.county_congress, card_number="C-1"
    )
    assert city_deputy.electing_congress == world.county_congress


def test_the_army_is_an_electing_unit_but_not_beside_a_congress(world, upper):
    assert upper.army_deputy.elected_by_army
    assert upper.army_deputy.electing_unit_name == "中国人民解放军选举单位"
    with pytest.raises(ValidationError) as refused:
        register(
            world.province_congress, electing_congress=upper.city, elected_by_army=True
        )
    assert "只能是" in refused.value.message_dict["electing_congress"][0]


def test_county_and_township_mandates_need_a_constituency(world, terms):
    for congress in (world.county_congress, world.township_congress):
        with pytest.raises(ValidationError) as refused:
            register(congress)
        assert refused.value.message_dict["constituency"] == [
            "县、乡两级人大代表须填写选区。"
        ]
    with pytest.raises(ValidationError) as refused:
        register(
            world.county_congress,
            constituency=Constituency.objects.create(
                congress=world.county_congress, name="城关选区"
            ),
            electing_congress=world.township_congress,
        )
    assert refused.value.message_dict["electing_congress"] == [
        "县、乡两级人大代表由选民直接选举，没有原选举单位。"
    ]
    other = Constituency.objects.create(
        congress=world.other_county_congress, name="云溪选区"
    )
    with pytest.raises(ValidationError) as refused:
        register(world.county_congress, constituency=other)
    assert refused.value.message_dict["constituency"] == ["选区不属于该人民代表大会。"]


# --- the electing congress reads and supervises ------------------------------------------


def test_city_staff_see_the_province_deputies_the_city_elected(client, upper):
    client.force_login(upper.city_staff)
    html = client.get(reverse("deputies:list")).content.decode()
    assert "周建华" in html
    assert "吴强" not in html  # elected by the army, not by the city
    detail = client.get(reverse("deputies:detail", args=[upper.province_deputy.pk]))
    assert detail.status_code == 200
    assert "潇湘市人民代表大会" in detail.content.decode()  # 原选举单位
    assert (
        client.get(reverse("deputies:detail", args=[upper.army_deputy.pk])).status_code
        == 404
    )


def test_city_staff_see_them_in_the_api(api_as, upper):
    api = api_as(upper.city_staff)
    rows = api.get("/api/v1/deputies/").json()["results"]
    by_name = {r["name"]: r for r in rows}
    assert by_name["周建华"]["electing_congress"] == upper.city.pk
    assert by_name["周建华"]["electing_unit_name"] == "潇湘市人民代表大会"
    assert "吴强" not in by_name
    url = f"/api/v1/deputies/{upper.province_deputy.pk}/"
    assert api.get(url).status_code == 200
    assert api.get(f"/api/v1/deputies/{upper.army_deputy.pk}/").status_code == 404


def test_the_county_below_does_not_see_what_the_city_elected(client, personas, upper):
    client.force_login(personas.county_staff)
    url = reverse("deputies:detail", args=[upper.province_deputy.pk])
    assert client.get(url).status_code == 404


def test_the_electing_congress_supervises_but_does_not_edit_the_mandate(client, upper):
    mandate = upper.province_deputy
    actions = MandatePolicy.actions_for(upper.city_staff, mandate)
    assert actions == {"view_timeline"}
    client.force_login(upper.city_staff)
    response = client.post(
        reverse("deputies:terminate", args=[mandate.pk]),
        {"ground": "resigned", "on": "2026-11-03", "document_number": "公告第1号"},
    )
    assert response.status_code == 403
    assert (
        client.get(reverse("deputies:person_edit", args=[mandate.pk])).status_code
        == 403
    )
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE


# --- deputy groups: any level elected in or living in the region -----------------------


def test_a_city_group_takes_the_province_deputies_the_city_elected(
    world, personas, upper
):
    group = services.group_create(
        congress=upper.city, name="潇湘市代表小组", kind="regional", actor=None
    )
    assert GroupPolicy.allows(upper.city_staff, "manage", group)
    assert not GroupPolicy.allows(personas.province_staff, "manage", group)
    county_deputy = make_mandate(world.county_congress, "郑红")
    added = services.group_add_members(
        group=group,
        mandates=[upper.province_deputy, county_deputy],
        actor=upper.city_staff,
    )
    assert added == 2
    with pytest.raises(DomainError) as refused:
        services.group_add_members(
            group=group, mandates=[upper.army_deputy], actor=upper.city_staff
        )
    assert refused.value.message == (
        "吴强不是在本行政区域选出或居住的代表，不能加入该小组。"
    )


def test_a_group_takes_deputies_of_other_levels_living_in_its_region(
    world, personas, upper
):
    group = services.group_create(
        congress=world.township_congress, name="桃花乡小组", kind="regional", actor=None
    )
    county_deputy = make_mandate(world.county_congress, "郑红")
    with pytest.raises(DomainError):
        services.group_add_members(group=group, mandates=[county_deputy], actor=None)
    services.person_update(
        person=county_deputy.person, residence_region=world.village, actor=None
    )
    services.group_add_members(group=group, mandates=[county_deputy], actor=None)
    assert GroupMembership.objects.filter(group=group, mandate=county_deputy).exists()


def test_the_group_page_offers_the_province_deputies_the_city_elected(client, upper):
    group = services.group_create(
        congress=upper.city, name="潇湘市代表小组", kind="regional", actor=None
    )
    client.force_login(upper.city_staff)
    html = client.get(reverse("deputies:group_detail", args=[group.pk])).content
    html = html.decode()
    assert "周建华（湖南省人民代表大会）" in html
    assert "吴强" not in html
    response = client.post(
        reverse("deputies:group_add_members", args=[group.pk]),
        {"mandates": [upper.province_deputy.pk]},
    )
    assert response.status_code == 302
    assert group.members.get() == upper.province_deputy


# --- the roster import resolves the 选区（选举单位）column the same way ---------------------


def test_roster_rows_above_the_county_name_their_electing_unit(client, world, rw):
    from deputies.models import RosterImport

    from .test_roster_import import latest_job, post_file
    from .test_roster_support import row

    city = CongressFactory(region=world.city)
    current_term(city, number=19)
    staff = staff_of(city)
    city_row = {"人民代表大会": "潇湘市人民代表大会"}
    rows = [
        row(1, **city_row, **{"选区（选举单位）": "湘源县"}),  # the region's name
        row(2, **city_row, **{"选区（选举单位）": "云溪县人民代表大会"}),
        row(3, **city_row, **{"选区（选举单位）": "中国人民解放军"}),
        row(4, **city_row, **{"选区（选举单位）": "桃花乡"}),  # two levels below
        row(5, **city_row, **{"选区（选举单位）": ""}),
    ]
    post_file(client, staff, rows)
    job = latest_job()
    assert job.status == RosterImport.Status.INVALID
    assert job.errors == [
        {
            "row": 5,
            "message": "原选举单位“桃花乡”不是潇湘市人民代表大会下一级的人民代表大会。",
        },
        {
            "row": 6,
            "message": "设区的市级以上人大代表须填写原选举单位"
            "（下一级人民代表大会或解放军选举单位）。",
        },
    ]
    post_file(client, staff, rows[:3])
    job = latest_job()
    assert job.status == RosterImport.Status.VALID, job.errors
    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))
    imported = {
        m.card_number: (m.electing_congress, m.elected_by_army, m.constituency)
        for m in Mandate.objects.filter(congress=city)
    }
    assert imported == {
        "T00001": (world.county_congress, False, None),
        "T00002": (world.other_county_congress, False, None),
        "T00003": (None, True, None),
    }
