"""Activity-fund pages (issue 17): who sees and acts on budgets (another
county 404, a station only its own), the list with constant queries, 万元."""

import pytest
from django.urls import reverse
from django.utils import timezone

from stations import funds_services as services
from stations import services as st_services
from stations.models import Station

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _budget(sw, station=None, amount_fen=1_234_567):
    return services.budget_create(
        congress=sw.congress,
        year=TODAY.year,
        holder="station",
        station=station or sw.station,
        amount_fen=amount_fen,
        actor=None,
    )


def test_list_shows_wan_yuan_with_constant_queries(
    client, sw, personas, world, django_assert_max_num_queries
):
    _budget(sw)
    client.force_login(personas.township_staff)
    url = reverse("stations:fund_list")
    client.get(url)
    with django_assert_max_num_queries(14) as first:
        body = client.get(url).content.decode()
    assert "1.23" in body and "桃花乡代表联络站" in body
    for n in range(4):
        extra = st_services.station_create(
            name=f"桃花村联络点{n}",
            code=f"THP{n}",
            kind=Station.Kind.POINT,
            region=world.township,
            tracking_prefix="TP",
            actor=None,
        )
        _budget(sw, station=extra)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_station_staff_see_only_their_own_station(client, sw, personas, world):
    budget = _budget(sw)
    client.force_login(sw.station_staff)
    assert client.get(reverse("stations:fund_list")).status_code == 200
    assert (
        client.get(reverse("stations:fund_detail", args=[budget.pk])).status_code == 200
    )
    client.force_login(sw.other_station_staff)
    assert (
        client.get(reverse("stations:fund_detail", args=[budget.pk])).status_code == 404
    )
    body = client.get(reverse("stations:fund_list")).content.decode()
    assert "桃花乡代表联络站" not in body


@pytest.mark.parametrize("who", ["other_county_staff", "unit_staff", "deputy"])
def test_others_get_404(client, sw, personas, who):
    budget = _budget(sw)
    client.force_login(getattr(personas, who))
    assert (
        client.get(reverse("stations:fund_detail", args=[budget.pk])).status_code == 404
    )
    assert (
        client.post(reverse("stations:fund_approve", args=[budget.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("who", ["unit_staff", "deputy", "nobody", "township_gov"])
def test_list_forbidden_to_non_staff(client, sw, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("stations:fund_list")).status_code == 403


def test_approval_by_own_congress_only_and_spending_by_the_station(
    client, sw, personas
):
    budget = _budget(sw)
    approve = reverse("stations:fund_approve", args=[budget.pk])
    for who in (personas.county_staff, personas.leader, sw.station_staff):
        client.force_login(who)
        assert client.post(approve).status_code == 403
    client.force_login(personas.township_staff)
    assert client.get(approve).status_code == 405
    assert client.post(approve).status_code == 302
    budget.refresh_from_db()
    assert budget.status == "approved"
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:fund_spending", args=[budget.pk]),
        {"date": TODAY.isoformat(), "amount_yuan": "1200.50", "purpose": "接待日资料"},
    )
    assert response.status_code == 302
    spending = budget.spendings.get()
    assert spending.amount_fen == 120050
    decide = reverse("stations:fund_spending_decide", args=[spending.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.force_login(personas.township_staff)
    client.post(decide, {"decision": "approve"})
    spending.refresh_from_db()
    assert spending.status == "approved"
    client.force_login(sw.other_station_staff)
    assert client.post(decide, {"decision": "approve"}).status_code == 404


def test_create_page(client, sw, personas):
    client.force_login(personas.township_staff)
    url = reverse("stations:fund_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"congress": sw.congress.pk, "year": TODAY.year, "holder": "congress"},
    )
    assert response.status_code == 302
    client.force_login(sw.station_staff)
    assert client.get(url).status_code == 403
