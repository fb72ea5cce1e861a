"""票决制 at every level of congress, run by the congress's own staff (issue 12/13)."""

import pytest
from django.core.exceptions import ValidationError

from livelihood_votes import services
from portal.models import Congress, Region
from tests.factories import CongressFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("attr", ["county_congress", "province_congress"])
def test_county_and_province_congresses_hold_a_vote(world, attr):
    congress = getattr(world, attr)
    programme = services.programme_create(
        congress=congress, year=2027, seats=5, actor=None
    )
    assert programme.congress == congress
    assert programme.region_path == congress.region.path


def test_the_national_congress_does_not(world):
    national = CongressFactory(
        region=RegionFactory(name="全国", level=Region.Level.NATIONAL),
        level=Congress.Level.NATIONAL,
    )
    with pytest.raises(ValidationError) as exc:
        services.programme_create(congress=national, year=2027, seats=5, actor=None)
    assert "congress" in exc.value.error_dict


def test_upper_staff_read_a_township_programme_but_do_not_run_it(lw, api_as, personas):
    url = f"/api/v1/livelihood/programs/{lw.programme.pk}/"
    for user in (personas.county_staff, personas.province_staff):
        client = api_as(user)
        assert client.get(url).status_code == 200
        response = client.post(f"{url}advance/", {"to": "screening"}, format="json")
        assert response.status_code == 403
    response = api_as(personas.township_staff).post(
        f"{url}advance/", {"to": "screening"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_county_staff_create_their_own_programme_by_api(world, api_as, personas):
    response = api_as(personas.county_staff).post(
        "/api/v1/livelihood/programs/",
        {"congress": world.county_congress.pk, "year": 2027, "seats": 6},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = api_as(personas.county_staff).post(
        "/api/v1/livelihood/programs/",
        {"congress": world.township_congress.pk, "year": 2027, "seats": 6},
        format="json",
    )
    assert response.status_code in (403, 404)


# --- every level: the same code, differing by rule values ---------------------------


def _county_deputies(world, n=9):
    from datetime import date

    from portal.models import Term
    from tests.factories import UserFactory, make_mandate

    Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    users = [UserFactory(username=f"xian{i:02d}") for i in range(n)]
    mandates = [
        make_mandate(world.county_congress, f"县代表{i:02d}", user=u)
        for i, u in enumerate(users)
    ]
    return users, mandates


def _walk_to_deliberation(programme, actor):
    for _ in range(4):
        programme = services.programme_advance(programme=programme, actor=actor)
    return programme


def test_county_programme_runs_end_to_end_with_lead_units(world, personas, client):
    from decimal import Decimal

    from django.urls import reverse

    from livelihood_votes.models import Project
    from portal.models import HandlingUnit

    staff = personas.county_staff
    users, mandates = _county_deputies(world)
    roads = HandlingUnit.objects.create(
        name="湘源县公路建设中心", kind="gov_dept", region=world.county
    )
    water = HandlingUnit.objects.create(
        name="湘源县农村供水站", kind="gov_dept", region=world.county
    )
    programme = services.programme_create(
        congress=world.county_congress, year=2027, seats=2, actor=staff
    )
    units = [roads, water, roads]
    for n, unit in enumerate(units, start=1):
        services.candidate_create(
            programme=programme,
            title=f"县级项目{n}",
            description="建设内容",
            estimated_cost=Decimal("300.00"),
            lead_unit=unit,
            actor=staff,
        )
    programme = _walk_to_deliberation(programme, staff)
    notes = dict(programme.phase_events.values_list("to_state", "note"))
    # County level: consented by the standing committee's chairpersons' council,
    # deliberated by delegations (the rule values of the level).
    assert notes["candidates"] == "候选项目经人大常委会主任会议审议同意后公布。"
    assert notes["deliberation"] == "代表审议方式：代表团审议。"
    client.force_login(staff)
    page = client.get(reverse("livelihood:programme", args=[programme.pk]))
    assert "候选项目由人大常委会主任会议审议同意后提交大会" in page.content.decode()
    assert "代表议：代表团审议" in page.content.decode()

    vote_round = services.round_create(
        programme=programme, mode="electronic", actor=staff
    )
    services.round_attendance_record(
        vote_round=vote_round, mandates=mandates, actor=staff
    )
    vote_round = services.round_open(vote_round=vote_round, actor=staff)
    ids = list(
        programme.candidates.order_by("order", "id").values_list("pk", flat=True)
    )
    for user in users[:6]:
        services.ballot_cast(vote_round=vote_round, actor=user, approve=ids[:2])
    for user in users[6:]:
        services.ballot_cast(vote_round=vote_round, actor=user, approve=ids[1:])
    services.round_close(vote_round=vote_round, actor=staff)
    programme.refresh_from_db()
    assert programme.phase == "implementing"
    projects = Project.objects.filter(programme=programme).order_by("candidate__order")
    assert [p.implementing_unit for p in projects] == [roads, water]
    assert all(p.region_path == world.county.path for p in projects)


def test_county_candidates_need_a_lead_unit_no_township_fallback(world, personas):
    from decimal import Decimal

    from portal.models import HandlingUnit

    staff = personas.county_staff
    _county_deputies(world, 3)
    # Even a "township government" unit filed under the county's region is not
    # a fallback: only township programmes fall back to their government.
    HandlingUnit.objects.create(
        name="误登记的乡镇政府", kind="township_gov", region=world.county
    )
    programme = services.programme_create(
        congress=world.county_congress, year=2027, seats=1, actor=staff
    )
    for n in (1, 2):
        services.candidate_create(
            programme=programme,
            title=f"县级项目{n}",
            description="建设内容",
            estimated_cost=Decimal("100.00"),
            lead_unit=None,
            actor=staff,
        )
    programme = _walk_to_deliberation(programme, staff)
    from portal.services import DomainError

    with pytest.raises(DomainError, match="请先为每个候选项目确定责任单位"):
        services.round_create(programme=programme, mode="paper", actor=staff)
    assert not programme.rounds.exists()


def test_township_steps_record_the_presidium_and_plenary(lw):
    from tests.livelihood_votes.conftest import to_deliberation

    programme = to_deliberation(lw)
    notes = dict(programme.phase_events.values_list("to_state", "note"))
    assert notes["candidates"] == "候选项目经人民代表大会主席团审议同意后公布。"
    assert notes["deliberation"] == "代表审议方式：大会全体会议审议。"


def test_township_consenting_body_and_deliberation_are_statutory(lw):
    from portal.models import RuleSet
    from portal.rules import rules_for, validate_values

    RuleSet.objects.create(
        congress=lw.congress,
        name="桃花乡规则",
        values={
            "livelihood_consenting_body": "standing_committee",
            "livelihood_deliberation_by": "delegations",
        },
    )
    rules = rules_for(lw.congress)
    assert rules.livelihood_consenting_body == "presidium"
    assert rules.livelihood_deliberation_by == "plenary"
    errors = validate_values(
        {"livelihood_deliberation_by": "delegations"}, level="township"
    )
    assert "livelihood_deliberation_by" in errors
    errors = validate_values({"livelihood_majority_base": "voters"})
    assert errors["livelihood_majority_base"] == ["取值应为以下之一：all、present。"]


def test_the_create_page_offers_own_congresses_and_subdistricts(
    client, world, personas
):
    from django.urls import reverse

    from portal import services as portal_services
    from portal.models import Role
    from tests.factories import UserFactory

    street = RegionFactory(
        name="城关街道", level=Region.Level.SUBDISTRICT, parent=world.county
    )
    client.force_login(personas.county_staff)
    page = client.get(reverse("livelihood:programme_create")).content.decode()
    assert world.county_congress.name in page and "城关街道" in page
    assert world.township_congress.name not in page  # a lower congress runs its own
    response = client.post(
        reverse("livelihood:programme_create"),
        {"congress": f"s{street.pk}", "year": 2027, "seats": 5},
    )
    assert response.status_code == 302
    programme = world.county_congress.programmes.get(subdistrict=street)
    assert programme.region_path == street.path
    # The 街道工委 staff see only their street.
    jiedao = UserFactory(username="jiedao_lv")
    portal_services.role_grant_create(
        user=jiedao, role=Role.CONGRESS_STAFF, region=street, actor=None
    )
    client.force_login(jiedao)
    page = client.get(reverse("livelihood:programme_create")).content.decode()
    assert "城关街道" in page and f'value="{world.county_congress.pk}"' not in page
    response = client.post(
        reverse("livelihood:programme_create"),
        {"congress": str(world.county_congress.pk), "year": 2028, "seats": 5},
    )
    assert response.status_code == 400
