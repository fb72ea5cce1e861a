"""API reads of commendations (issue 17): staff scoping, the public results."""

from datetime import timedelta

import pytest
from django.utils import timezone

from proposals.commendations import services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _published(pw, n=0):
    c = services.campaign_create(
        congress=pw.congress,
        year=TODAY.year,
        kind="excellent_deputy",
        title=f"优秀代表评选{n}",
        nomination_deadline=TODAY + timedelta(days=3),
        actor=None,
    )
    c = services.campaign_open(campaign=c, actor=None)
    nomination = services.nomination_add(
        campaign=c, target=pw.lead, reason="履职突出", actor=None
    )
    services.campaign_close_nominations(campaign=c, actor=None)
    services.nomination_review(nomination=nomination, accept=True, actor=None)
    services.campaign_approve(
        campaign=c,
        document_number=f"湘源人大常发〔2026〕{n + 1}号",
        approved_on=TODAY,
        actor=None,
    )
    return services.campaign_publish(campaign=c, actor=None)


def test_staff_list_and_scoping(api_as, pw, personas, django_assert_max_num_queries):
    c = _published(pw)
    staff = api_as(personas.county_staff)
    staff.get("/api/v1/commendations/")
    with django_assert_max_num_queries(5) as first:
        rows = staff.get("/api/v1/commendations/").json()["results"]
    assert rows[0]["nominations"][0]["name"] == "丁一"
    for n in range(1, 4):
        _published(pw, n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(staff.get("/api/v1/commendations/").json()["results"]) == 4
    for who in (personas.other_county_staff, personas.unit_staff, personas.deputy):
        client = api_as(who)
        assert client.get(f"/api/v1/commendations/{c.pk}/").status_code == 404


def test_public_results(api, pw):
    c = _published(pw)
    rows = api.get("/api/v1/public/commendations/").json()["results"]
    assert rows[0]["id"] == c.pk and rows[0]["awards"][0]["name"] == "丁一"
    assert "reason" not in str(rows)
