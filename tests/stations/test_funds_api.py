"""API reads of activity funds (issue 17): scoping and constant queries."""

import pytest
from django.utils import timezone

from stations import funds_services as services
from stations import services as st_services
from stations.models import Station

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _budget(sw, station):
    budget = services.budget_create(
        congress=sw.congress,
        year=TODAY.year,
        holder="station",
        station=station,
        amount_fen=1_000_000,
        actor=None,
    )
    budget = services.budget_approve(budget=budget, actor=None)
    spending = services.spending_create(
        budget=budget, date=TODAY, amount_fen=250_000, purpose="资料", actor=None
    )
    services.spending_decide(spending=spending, approve=True, actor=None)
    return budget


def test_budgets_in_scope_with_constant_queries(
    api_as, sw, world, personas, django_assert_max_num_queries
):
    budget = _budget(sw, sw.station)
    staff = api_as(personas.township_staff)
    staff.get("/api/v1/fund-budgets/")
    with django_assert_max_num_queries(6) as first:
        rows = staff.get("/api/v1/fund-budgets/").json()["results"]
    assert rows[0]["id"] == budget.pk
    assert rows[0]["amount_wan"] == "1.00" and rows[0]["spent_wan"] == "0.25"
    assert rows[0]["execution_percent"] == "25.0"
    for n in range(3):
        _budget(
            sw,
            st_services.station_create(
                name=f"联络点{n}",
                code=f"P{n}",
                kind=Station.Kind.POINT,
                region=world.township,
                tracking_prefix="PP",
                actor=None,
            ),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(staff.get("/api/v1/fund-budgets/").json()["results"]) == 4


def test_others_do_not_see_the_budget(api_as, sw, personas, api):
    budget = _budget(sw, sw.station)
    assert api.get("/api/v1/fund-budgets/").status_code == 401
    for who in (
        personas.other_county_staff,
        personas.unit_staff,
        sw.other_station_staff,
    ):
        client = api_as(who)
        assert client.get("/api/v1/fund-budgets/").json()["results"] == []
        assert client.get(f"/api/v1/fund-budgets/{budget.pk}/").status_code == 404
    own = api_as(sw.station_staff)
    assert own.get(f"/api/v1/fund-budgets/{budget.pk}/").status_code == 200
