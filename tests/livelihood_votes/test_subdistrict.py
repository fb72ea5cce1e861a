"""A sub-district (街道) programme: organised by the county congress's 街道工委
staff (a CONGRESS_STAFF grant on the sub-district region), voted on by the
county deputies elected in that sub-district; one per congress, sub-district
and year."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deputies.models import Constituency
from livelihood_votes import services
from livelihood_votes.policies import ProgrammePolicy
from livelihood_votes.selectors import electorate
from portal.models import HandlingUnit, Region, Role, Term
from portal.services import DomainError, Forbidden, role_grant_create
from tests.factories import RegionFactory, UserFactory, make_mandate

pytestmark = pytest.mark.django_db


@pytest.fixture
def streets(world):
    Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    east = RegionFactory(
        name="城东街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    west = RegionFactory(
        name="城西街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    deputies = {}
    for street in (east, west):
        constituency = Constituency.objects.create(
            congress=world.county_congress, name=f"{street.name}选区", region=street
        )
        users = [UserFactory() for _ in range(3)]
        deputies[street.name] = [
            make_mandate(
                world.county_congress,
                f"{street.name}代表{n}",
                user=u,
                constituency=constituency,
            )
            for n, u in enumerate(users)
        ]
    staff = UserFactory(username="chengdong_gongwei")
    role_grant_create(user=staff, role=Role.CONGRESS_STAFF, region=east, actor=None)
    return east, west, deputies, staff


def test_subdistrict_programme_lies_in_the_subdistrict(world, streets):
    east, west, _deputies, staff = streets
    programme = services.programme_create(
        congress=world.county_congress,
        subdistrict=east,
        year=2027,
        seats=1,
        actor=staff,
    )
    assert programme.region_path == east.path and programme.subdistrict == east
    assert str(programme) == "城东街道2027年民生实事项目"
    # One per congress, sub-district and year; the county's own and another
    # street's programme of the same year are separate.
    with pytest.raises(ValidationError) as exc:
        services.programme_create(
            congress=world.county_congress,
            subdistrict=east,
            year=2027,
            seats=1,
            actor=staff,
        )
    assert exc.value.message_dict["year"] == ["该街道2027年的民生实事项目计划已存在。"]
    services.programme_create(
        congress=world.county_congress, subdistrict=west, year=2027, seats=1, actor=None
    )
    services.programme_create(
        congress=world.county_congress, year=2027, seats=3, actor=None
    )


def test_subdistrict_must_belong_to_the_county_congress(world, streets):
    east, *_ = streets
    with pytest.raises(ValidationError) as exc:
        services.programme_create(
            congress=world.township_congress,
            subdistrict=east,
            year=2027,
            seats=1,
            actor=None,
        )
    assert "subdistrict" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.programme_create(
            congress=world.county_congress,
            subdistrict=world.township,
            year=2027,
            seats=1,
            actor=None,
        )


def test_street_staff_run_their_street_only(world, streets):
    east, west, _deputies, staff = streets
    mine = services.programme_create(
        congress=world.county_congress, subdistrict=east, year=2027, seats=1, actor=None
    )
    theirs = services.programme_create(
        congress=world.county_congress, subdistrict=west, year=2027, seats=1, actor=None
    )
    assert ProgrammePolicy.allows(staff, "advance", mine)
    assert not ProgrammePolicy.allows(staff, "advance", theirs)


def test_voters_are_the_county_deputies_elected_in_the_street(world, streets):
    east, _west, deputies, staff = streets
    programme = services.programme_create(
        congress=world.county_congress,
        subdistrict=east,
        year=2027,
        seats=1,
        actor=staff,
    )
    assert set(electorate(programme)) == set(deputies["城东街道"])
    unit = HandlingUnit.objects.create(name="城东街道办事处", kind="other", region=east)
    for n in (1, 2):
        services.candidate_create(
            programme=programme,
            title=f"街道项目{n}",
            description="建设内容",
            estimated_cost=Decimal("20.00"),
            lead_unit=unit,
            actor=staff,
        )
    for _ in range(4):
        programme = services.programme_advance(programme=programme, actor=staff)
    vote_round = services.round_create(
        programme=programme, mode="electronic", actor=staff
    )
    outsider = deputies["城西街道"][0]
    with pytest.raises(DomainError, match="不是本次会议表决的在任代表"):
        services.round_attendance_record(
            vote_round=vote_round, mandates=[outsider], actor=staff
        )
    with pytest.raises(Forbidden, match="您不是本次会议表决的代表"):
        services.round_check_in(
            vote_round=vote_round,
            code=vote_round.check_in_code,
            actor=outsider.person.user,
        )
    services.round_attendance_record(
        vote_round=vote_round, mandates=deputies["城东街道"], actor=staff
    )
    opened = services.round_open(vote_round=vote_round, actor=staff)
    assert (opened.eligible, opened.present) == (3, 3)


def test_street_staff_create_their_street_programme_by_api(world, streets, api_as):
    east, west, _deputies, staff = streets
    client = api_as(staff)
    payload = {"congress": world.county_congress.pk, "year": 2027, "seats": 2}
    response = client.post(
        "/api/v1/livelihood/programs/",
        payload | {"subdistrict": east.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["subdistrict"] == east.pk
    again = client.post(
        "/api/v1/livelihood/programs/",
        payload | {"subdistrict": east.pk},
        format="json",
    )
    assert again.status_code == 400 and "year" in again.json()
    other = client.post(
        "/api/v1/livelihood/programs/",
        payload | {"subdistrict": west.pk},
        format="json",
    )
    assert other.status_code in (403, 404)
    wrong = client.post(
        "/api/v1/livelihood/programs/",
        payload | {"subdistrict": world.township.pk},
        format="json",
    )
    assert wrong.status_code in (400, 403, 404)
