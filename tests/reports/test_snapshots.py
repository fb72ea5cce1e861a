"""The report page answers from the newest computation of the same report and
starts one background computation when there is none (or it is stale); it never
builds the report in the request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import GeneratedReport
from portal.reports import service
from portal.reports.html import render_standalone
from portal.reports.model import report_from_data, report_to_data

pytestmark = pytest.mark.django_db

VIEW = reverse("reports:view")


def url_for(congress, period) -> str:
    return (
        f"{VIEW}?congress={congress.pk}&period=range"
        f"&start={period.start}&end={period.end}"
    )


def _no_building(monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("the page must not build the report")

    monkeypatch.setattr(service, "build_report", refuse)


def _computed(client, world, period, capture, *, sections: str = "") -> GeneratedReport:
    """Open the page once and let its background computation run (eager Celery)."""
    with capture(execute=True):
        client.get(url_for(world.county_congress, period) + sections)
    return GeneratedReport.objects.get(with_files=False)


def test_a_fresh_computation_is_shown_without_building_the_report(
    client,
    personas,
    world,
    suggestions,
    period,
    eager_celery,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    monkeypatch,
):
    client.force_login(personas.county_staff)
    job = _computed(client, world, period, django_capture_on_commit_callbacks)
    assert job.status == GeneratedReport.Status.DONE and job.data, job.error
    _no_building(monkeypatch)

    with django_assert_max_num_queries(12):
        response = client.get(url_for(world.county_congress, period))

    html = response.content.decode()
    assert response.status_code == 200 and 'data-metric="reply_rate"' in html
    assert "本页数字统计于" in html and "data-job-status-url" not in html
    assert GeneratedReport.objects.count() == 1


def test_the_first_visit_starts_exactly_one_computation_and_shows_its_progress(
    client, personas, world, period, monkeypatch
):
    _no_building(monkeypatch)
    client.force_login(personas.county_staff)

    first = client.get(url_for(world.county_congress, period))
    client.force_login(personas.leader)
    second = client.get(url_for(world.county_congress, period))

    job = GeneratedReport.objects.get()
    assert (job.status, job.with_files, job.created_by) == (
        GeneratedReport.Status.QUEUED,
        False,
        personas.county_staff,
    )
    status_url = reverse("reports:job_status", args=[job.pk])
    for response in (first, second):
        html = response.content.decode()
        assert response.status_code == 200
        assert f'data-job-status-url="{status_url}"' in html
        assert "js/job-progress.js" in html and "正在统计" in html
    assert client.get(status_url).json()["running"] is True


def test_other_sections_or_periods_are_other_computations(
    client, personas, world, period, monkeypatch
):
    _no_building(monkeypatch)
    client.force_login(personas.county_staff)

    client.get(url_for(world.county_congress, period))
    client.get(url_for(world.county_congress, period) + "&sections=stations")
    client.get(f"{VIEW}?congress={world.county_congress.pk}&period=year&year=2025")

    assert GeneratedReport.objects.filter(with_files=False).count() == 3


def test_a_stale_computation_is_shown_while_a_new_one_runs(
    client,
    personas,
    world,
    period,
    eager_celery,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    client.force_login(personas.county_staff)
    old = _computed(client, world, period, django_capture_on_commit_callbacks)
    GeneratedReport.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - service.REPORT_FRESH_FOR - timedelta(minutes=1)
    )
    _no_building(monkeypatch)

    response = client.get(url_for(world.county_congress, period))
    client.get(url_for(world.county_congress, period))

    html = response.content.decode()
    new = GeneratedReport.objects.exclude(pk=old.pk).get()
    assert new.status == GeneratedReport.Status.QUEUED
    assert 'id="sec-suggestions"' in html and "正在更新统计数字" in html
    assert reverse("reports:job_status", args=[new.pk]) in html


def test_a_failed_computation_is_reported_and_not_retried_at_once(
    client,
    personas,
    world,
    period,
    eager_celery,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    def broken(**kwargs):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(service, "build_report", broken)
    client.force_login(personas.county_staff)
    job = _computed(client, world, period, django_capture_on_commit_callbacks)

    html = client.get(url_for(world.county_congress, period)).content.decode()

    assert job.status == GeneratedReport.Status.FAILED
    assert "生成失败" in html and "数据库不可用" in html
    assert "data-job-status-url" not in html
    assert GeneratedReport.objects.count() == 1


def test_a_dead_computation_is_replaced(client, personas, world, period, monkeypatch):
    _no_building(monkeypatch)
    client.force_login(personas.county_staff)
    client.get(url_for(world.county_congress, period))
    GeneratedReport.objects.update(created_at=timezone.now() - timedelta(hours=2))

    client.get(url_for(world.county_congress, period))

    assert sorted(GeneratedReport.objects.values_list("status", flat=True)) == [
        "failed",
        "queued",
    ]


def test_computations_are_not_listed_among_generated_files(
    client, personas, world, period, monkeypatch
):
    _no_building(monkeypatch)
    client.force_login(personas.county_staff)
    client.get(url_for(world.county_congress, period))
    job = GeneratedReport.objects.get()

    index = client.get(reverse("reports:index")).content.decode()

    assert reverse("reports:job", args=[job.pk]) not in index


def test_out_of_scope_is_404_and_non_readers_403_without_starting_anything(
    client, personas, world, period
):
    client.force_login(personas.county_staff)
    assert client.get(url_for(world.other_county_congress, period)).status_code == 404
    client.force_login(personas.unit_staff)
    assert client.get(url_for(world.county_congress, period)).status_code == 403

    assert not GeneratedReport.objects.exists()


def test_someone_out_of_scope_cannot_poll_a_computation(
    client, personas, world, period, monkeypatch
):
    _no_building(monkeypatch)
    client.force_login(personas.county_staff)
    client.get(url_for(world.county_congress, period))
    job = GeneratedReport.objects.get()

    client.force_login(personas.other_county_staff)
    status = reverse("reports:job_status", args=[job.pk])

    assert client.get(status).status_code == 404


def test_a_stored_report_reads_back_the_same(
    world, suggestions, stations, livelihood, period
):
    report = service.build_report(
        congress=world.county_congress, period=period, user=None
    )
    import json

    stored = json.loads(json.dumps(report_to_data(report)))

    assert render_standalone(report_from_data(stored)) == render_standalone(report)
