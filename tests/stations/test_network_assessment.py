"""The annual 建管用 assessment of a station (issue 17): draft → submitted →
approved by the congress above the station, or refused with a reason; the
checklist and grades from the rule set; shown on the public station page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEvent, RuleSet
from portal.services import DomainError, TransitionError
from stations.models import AssessmentEvent, Station, StationAssessment
from stations.network import services
from stations.network.selectors import assessment_items

pytestmark = pytest.mark.django_db

FULL = {
    "premises_site": 10,
    "premises_facilities": 10,
    "people_grouping": 10,
    "people_staff": 10,
    "rules_posted": 10,
    "rules_records": 10,
    "activities_duty": 9,
    "activities_governance": 9,
    "results_opinions": 9,
    "results_satisfaction": 9,
}


def _submitted(sw, scores=FULL, year=2026):
    a = services.assessment_create(station=sw.station, year=year, actor=None)
    services.assessment_score(assessment=a, scores=scores, evidence={}, actor=None)
    return services.assessment_submit(assessment=a, actor=sw.station_staff)


def test_the_assessor_is_the_congress_above_the_station(sw, world):
    a = services.assessment_create(station=sw.station, year=2026, actor=None)
    assert a.assessor == world.county_congress
    assert a.congress == world.township_congress
    assert a.status == "draft"
    assert len(a.checklist) == 10
    categories = {i["category"] for i in assessment_items(a)}
    assert categories == {"premises", "people", "rules", "activities", "results"}


def test_one_assessment_per_station_and_year(sw):
    services.assessment_create(station=sw.station, year=2026, actor=None)
    with pytest.raises(DomainError, match="已有2026年度的考评"):
        services.assessment_create(station=sw.station, year=2026, actor=None)


def test_submit_computes_score_and_grade_from_the_rules(sw):
    a = _submitted(sw)
    assert a.status == "submitted"
    assert a.score == Decimal("96.0")
    assert a.grade == "model"
    assert list(a.events.values_list("to_state", flat=True)) == [
        "draft",
        "",
        "submitted",
    ]
    assert AuditEvent.objects.filter(action="station_assessment.submit").count() == 1


def test_a_rule_set_changes_the_grade_thresholds(sw, world):
    RuleSet.objects.create(
        congress=world.county_congress,
        values={"station_model_min_score": 99, "station_star_thresholds": {"5": 95}},
    )
    a = _submitted(sw)
    assert a.grade == "5"


def test_submit_needs_every_item_scored(sw):
    a = services.assessment_create(station=sw.station, year=2026, actor=None)
    services.assessment_score(
        assessment=a, scores={"premises_site": 8}, evidence={}, actor=None
    )
    with pytest.raises(DomainError, match="还有9项未评分"):
        services.assessment_submit(assessment=a, actor=None)


def test_points_above_the_weight_are_refused(sw):
    from django.core.exceptions import ValidationError

    a = services.assessment_create(station=sw.station, year=2026, actor=None)
    with pytest.raises(ValidationError, match="得分应在0至10分之间"):
        services.assessment_score(
            assessment=a, scores={"premises_site": 11}, evidence={}, actor=None
        )


def test_approve_is_idempotent_and_designates_the_model_station(sw, personas):
    a = _submitted(sw)
    services.assessment_approve(assessment=a, actor=personas.county_staff)
    events = AssessmentEvent.objects.count()
    again = services.assessment_approve(assessment=a, actor=personas.county_staff)
    assert again.status == "approved"
    assert AssessmentEvent.objects.count() == events
    assert Station.objects.get(pk=sw.station.pk).is_model


def test_refuse_needs_a_reason_and_the_station_resubmits(sw, personas):
    a = _submitted(sw)
    with pytest.raises(DomainError, match="请填写退回理由"):
        services.assessment_refuse(assessment=a, reason=" ", actor=None)
    services.assessment_refuse(
        assessment=a, reason="佐证材料不全", actor=personas.county_staff
    )
    a.refresh_from_db()
    assert a.status == "refused" and a.refusal_reason == "佐证材料不全"
    services.assessment_score(
        assessment=a, scores=FULL, evidence={"rules_records": "台账"}, actor=None
    )
    services.assessment_submit(assessment=a, actor=None)
    a.refresh_from_db()
    assert a.status == "submitted" and a.refusal_reason == ""


def test_an_approved_assessment_cannot_change(sw, personas):
    a = _submitted(sw)
    services.assessment_approve(assessment=a, actor=personas.county_staff)
    with pytest.raises(TransitionError, match="考评已审定，不能再报送"):
        services.assessment_submit(assessment=a, actor=None)
    with pytest.raises(DomainError, match="考评已报送，不能修改得分"):
        services.assessment_score(assessment=a, scores=FULL, evidence={}, actor=None)


def test_a_draft_cannot_be_approved(sw):
    a = services.assessment_create(station=sw.station, year=2026, actor=None)
    with pytest.raises(TransitionError, match="考评尚未报送"):
        services.assessment_approve(assessment=a, actor=None)


# --- pages and scoping ------------------------------------------------------------------


def test_station_staff_fill_in_and_submit_on_the_page(client, sw):
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:assessment_create", args=[sw.station.pk]), {"year": 2026}
    )
    a = StationAssessment.objects.get()
    assert response["Location"] == reverse("stations:assessment", args=[a.pk])
    data = {f"score_{k}": v for k, v in FULL.items()}
    data["evidence_premises_site"] = "挂牌照片"
    url = reverse("stations:assessment", args=[a.pk])
    assert client.post(url, data).status_code == 302
    a.refresh_from_db()
    assert a.scores == FULL and a.evidence == {"premises_site": "挂牌照片"}
    client.post(reverse("stations:assessment_submit", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "submitted"
    # The station may not approve its own assessment.
    response = client.post(reverse("stations:assessment_approve", args=[a.pk]))
    assert response.status_code == 403


def test_only_the_congress_above_approves(client, sw, personas):
    a = _submitted(sw)
    url = reverse("stations:assessment_approve", args=[a.pk])
    client.force_login(personas.township_staff)
    assert client.post(url).status_code == 403
    client.force_login(personas.province_staff)
    assert client.post(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.post(url).status_code == 404
    client.force_login(personas.county_staff)
    assert client.post(url).status_code == 302
    a.refresh_from_db()
    assert a.status == "approved"


def test_another_county_and_another_station_may_not_see_it(client, sw, personas):
    a = _submitted(sw)
    for user in (personas.other_county_staff, sw.other_station_staff, personas.deputy):
        client.force_login(user)
        assert (
            client.get(reverse("stations:assessment", args=[a.pk])).status_code == 404
        )


def test_the_assessment_page_refuses_put(client, sw):
    a = services.assessment_create(station=sw.station, year=2026, actor=None)
    client.force_login(sw.station_staff)
    assert client.put(reverse("stations:assessment", args=[a.pk])).status_code == 405
    assert (
        client.get(reverse("stations:assessment_submit", args=[a.pk])).status_code
        == 405
    )


def test_the_public_station_page_shows_approved_grades(client, sw, personas):
    a = _submitted(sw)
    url = reverse("stations:station", args=[sw.station.pk])
    assert "2026年度" not in client.get(url).content.decode()
    services.assessment_approve(assessment=a, actor=personas.county_staff)
    body = client.get(url).content.decode()
    assert "2026年度：示范站（96.0分" in body


def test_the_list_has_constant_queries(client, sw, personas, django_assert_num_queries):
    client.force_login(personas.county_staff)
    url = reverse("stations:assessment_list")
    _submitted(sw, year=2024)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for year in (2023, 2025, 2026):
        _submitted(sw, year=year)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("桃花乡代表联络站") >= 4


def test_the_api_lists_assessments_in_scope(api_as, sw, personas):
    a = _submitted(sw)
    rows = api_as(personas.county_staff).get("/api/v1/station-assessments/").json()
    assert [r["id"] for r in rows["results"]] == [a.pk]
    assert rows["results"][0]["grade"] == "model"
    other = api_as(personas.other_county_staff)
    assert other.get("/api/v1/station-assessments/").json()["results"] == []
    assert other.get(f"/api/v1/station-assessments/{a.pk}/").status_code == 404
