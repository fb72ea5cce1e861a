"""融入基层治理 (issue 17): 政策宣讲/普法/调解 activities, mediation cases
linked to an opinion (parties masked), 社情民意 reports answered or forwarded
by the congress office they were sent to; the report section's rates."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification, Term
from portal.reports.model import ReportScope
from portal.reports.periods import year_period
from portal.services import DomainError, TransitionError
from stations.models import MediationCase, SocialReport, SocialReportEvent
from stations.network import reports, services
from tests.factories import make_mandate

from .test_feedback import submit

pytestmark = pytest.mark.django_db

CONTENT = "桃花社区主干道约800米无路灯，群众夜间出行不便。"


def _report(sw, **extra):
    return services.social_report_create(
        station=sw.station,
        title="夜间照明不足",
        content=CONTENT,
        category="construction",
        actor=sw.station_staff,
        **extra,
    )


# --- activities and mediation ---------------------------------------------------------


def test_activities_of_the_three_kinds(sw):
    today = timezone.localdate()
    for kind in ("policy_publicity", "law_publicity", "mediation"):
        services.activity_record(
            station=sw.station, kind=kind, date=today, title="活动", actor=None
        )
    with pytest.raises(DomainError, match="活动类型不正确"):
        services.activity_record(
            station=sw.station, kind="party", date=today, title="x", actor=None
        )


def test_a_mediation_closes_once_with_its_outcome(sw):
    opinion = submit(sw)
    case = services.mediation_open(
        opinion=opinion, parties="张德明、刘桂兰", subject="宅基地纠纷", actor=None
    )
    with pytest.raises(DomainError, match="请填写调解结果"):
        services.mediation_close(case=case, success=True, outcome="", actor=None)
    services.mediation_close(case=case, success=True, outcome="签订协议", actor=None)
    case.refresh_from_db()
    assert case.status == "mediated" and case.closed_at is not None
    same = services.mediation_close(
        case=case, success=True, outcome="签订协议", actor=None
    )
    assert same.events.count() == 2
    with pytest.raises(TransitionError, match="该调解已结案"):
        services.mediation_close(case=case, success=False, outcome="x", actor=None)


def test_parties_are_masked_on_pages_and_in_the_api(client, api_as, sw):
    case = services.mediation_open(
        opinion=submit(sw), parties="张德明、刘桂兰", subject="宅基地纠纷", actor=None
    )
    client.force_login(sw.station_staff)
    for url in (
        reverse("stations:mediation", args=[case.pk]),
        reverse("stations:mediation_list"),
        reverse("stations:network", args=[sw.station.pk]),
    ):
        body = client.get(url).content.decode()
        assert "张**、刘**" in body
        assert "张德明" not in body and "刘桂兰" not in body
    rows = api_as(sw.station_staff).get("/api/v1/mediation-cases/").json()["results"]
    assert rows[0]["parties"] == "张**、刘**"


def test_mediation_scoping(client, sw, personas):
    case = services.mediation_open(
        opinion=submit(sw), parties="张德明", subject="纠纷", actor=None
    )
    url = reverse("stations:mediation_close", args=[case.pk])
    data = {"success": "1", "outcome": "达成协议"}
    client.force_login(personas.other_county_staff)
    assert client.post(url, data).status_code == 404
    client.force_login(sw.other_station_staff)
    assert client.post(url, data).status_code == 404
    client.force_login(personas.leader)
    assert client.post(url, data).status_code == 403
    client.force_login(sw.station_staff)
    assert client.post(url, data).status_code == 302
    assert MediationCase.objects.get().status == "mediated"


def test_staff_record_an_activity_and_a_mediation_on_the_pages(client, sw):
    opinion = submit(sw)
    client.force_login(sw.station_staff)
    response = client.post(
        reverse("stations:activity_create", args=[sw.station.pk]),
        {
            "kind": "law_publicity",
            "date": timezone.localdate().isoformat(),
            "title": "民法典进村入户",
            "participants": 30,
            "deputies": [sw.members[0].pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("stations:mediation_create", args=[sw.station.pk]),
        {"opinion": opinion.pk, "parties": "张德明", "subject": "排水沟纠纷"},
    )
    assert response.status_code == 302
    assert (
        "民法典进村入户"
        in client.get(reverse("stations:activity_list")).content.decode()
    )


# --- 社情民意 ---------------------------------------------------------------------------


def test_a_station_report_goes_to_the_stations_congress(
    sw, personas, django_capture_on_commit_callbacks
):
    report = _report(sw)
    assert report.congress == sw.congress and report.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        services.social_report_submit(report=report, actor=sw.station_staff)
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at
    assert Notification.objects.filter(
        recipient=personas.township_staff, kind="social_report.submitted"
    ).exists()
    services.social_report_submit(report=report, actor=sw.station_staff)  # no-op
    assert SocialReportEvent.objects.filter(report=report).count() == 2


def test_the_office_answers_and_the_sender_is_told(
    sw, personas, django_capture_on_commit_callbacks
):
    report = _report(sw)
    services.social_report_submit(report=report, actor=None)
    with pytest.raises(DomainError, match="请填写答复内容"):
        services.social_report_answer(report=report, answer="", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.social_report_answer(
            report=report, answer="已安排增设路灯", actor=personas.township_staff
        )
    report.refresh_from_db()
    assert report.status == "answered"
    assert Notification.objects.filter(
        recipient=sw.station_staff, kind="social_report.answered"
    ).exists()
    with pytest.raises(TransitionError, match="该社情民意已答复办结"):
        services.social_report_forward(report=report, unit=sw.unit, actor=None)


def test_a_draft_cannot_be_answered(sw):
    with pytest.raises(TransitionError, match="该社情民意尚未报送"):
        services.social_report_answer(report=_report(sw), answer="x", actor=None)


def test_forward_to_a_unit_of_the_congress_region_only(sw, world):
    report = _report(sw)
    services.social_report_submit(report=report, actor=None)
    with pytest.raises(DomainError, match="只能转送本级人大所在区划的单位"):
        services.social_report_forward(report=report, unit=world.unit, actor=None)
    services.social_report_forward(
        report=report, unit=sw.unit, note="请办理", actor=None
    )
    report.refresh_from_db()
    assert report.status == "forwarded" and report.forwarded_to == sw.unit
    services.social_report_answer(report=report, answer="乡政府已答复", actor=None)
    assert SocialReport.objects.get().status == "answered"


def test_a_deputy_sends_a_report_to_their_congress(client, world, personas):
    Term.objects.create(
        congress=world.county_congress,
        number=19,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    make_mandate(world.county_congress, "李明", user=personas.deputy)
    client.force_login(personas.deputy)
    response = client.post(
        reverse("stations:social_report_create"),
        {"title": "学校周边交通拥堵", "category": "transport", "content": CONTENT},
    )
    report = SocialReport.objects.get()
    assert response["Location"] == reverse("stations:social_report", args=[report.pk])
    assert report.congress == world.county_congress and report.author is not None
    client.post(reverse("stations:social_report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "submitted"
    client.force_login(personas.other_deputy)
    assert (
        client.get(reverse("stations:social_report", args=[report.pk])).status_code
        == 404
    )


def test_social_report_scoping(client, sw, personas):
    report = _report(sw)
    services.social_report_submit(report=report, actor=None)
    detail = reverse("stations:social_report", args=[report.pk])
    answer = reverse("stations:social_report_answer", args=[report.pk])
    client.force_login(personas.other_county_staff)
    assert client.get(detail).status_code == 404
    assert client.post(answer, {"answer": "x"}).status_code == 404
    assert (
        "夜间照明不足"
        not in client.get(reverse("stations:social_report_list")).content.decode()
    )
    client.force_login(personas.county_staff)  # reads, the township answers
    assert client.get(detail).status_code == 200
    assert client.post(answer, {"answer": "x"}).status_code == 403
    client.force_login(sw.station_staff)
    assert client.post(answer, {"answer": "x"}).status_code == 403
    client.force_login(personas.township_staff)
    assert client.post(answer, {"answer": "已安排"}).status_code == 302
    assert SocialReport.objects.get().status == "answered"
    client.force_login(personas.unit_staff)
    assert client.get(reverse("stations:social_report_list")).status_code == 403


def test_the_list_has_constant_queries(client, sw, personas, django_assert_num_queries):
    client.force_login(personas.township_staff)
    url = reverse("stations:social_report_list")
    _report(sw)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        _report(sw)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("夜间照明不足") == 5


def test_the_api_lists_social_reports_in_scope(api_as, sw, personas):
    report = _report(sw)
    rows = api_as(personas.township_staff).get("/api/v1/social-reports/").json()
    assert [r["id"] for r in rows["results"]] == [report.pk]
    assert rows["results"][0]["sender"] == "桃花乡代表联络站"
    other = api_as(personas.other_county_staff)
    assert other.get(f"/api/v1/social-reports/{report.pk}/").status_code == 404


# --- the report section -------------------------------------------------------------------


def test_the_report_section_defines_every_rate(sw, world, personas):
    today = timezone.localdate()
    answered = _report(sw)
    services.social_report_submit(report=answered, actor=None)
    services.social_report_answer(report=answered, answer="已答复", actor=None)
    services.social_report_submit(report=_report(sw), actor=None)
    _report(sw)  # a draft is not counted
    case = services.mediation_open(
        opinion=submit(sw), parties="张三", subject="纠纷", actor=None
    )
    services.mediation_close(case=case, success=False, outcome="告知诉讼", actor=None)
    scope = ReportScope(world.county_congress, year_period(today.year), today)
    section = reports.build(scope)
    coverage = section.metric("assessment_coverage")
    assert (coverage.numerator, coverage.denominator) == (0, 1)
    duty = section.metric("duty_target_attainment")
    assert (duty.numerator, duty.denominator) == (0, 3)
    answered_rate = section.metric("social_report_answered_rate")
    assert (answered_rate.numerator, answered_rate.denominator) == (1, 2)
    success = section.metric("mediation_success_rate")
    assert (success.numerator, success.denominator) == (0, 1)
    for metric in section.metrics:
        if metric.kind == "rate":
            assert str(metric.definition)
    other = ReportScope(world.other_county_congress, year_period(today.year), today)
    assert reports.build(other).metric("social_reports").value == 0
