"""Report pages: who may read, generate and download (scoping: out of scope → 404,
not a reader → 403), the wrong method, and a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import GeneratedReport
from portal.reports import service
from portal.reports.periods import year_period

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")
VIEW = reverse("reports:view")
GENERATE = reverse("reports:generate")


def view_url(congress, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"congress": congress.pk, **params}.items())
    return f"{VIEW}?{query}"


def read_report(client, url, capture):
    """The report page once its background computation has run (eager Celery):
    the first visit starts it, the reload shows the result."""
    with capture(execute=True):
        first = client.get(url)
    assert first.status_code == 200
    return client.get(url)


# --- reading -----------------------------------------------------------------------------


def test_index_lists_the_congresses_in_scope(client, personas, world):
    client.force_login(personas.county_staff)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert world.county_congress.name in html and world.township_congress.name in html
    assert (
        world.other_county_congress.name not in html
        and world.province_congress.name not in html
    )


@pytest.mark.parametrize("persona", ["unit_staff", "deputy", "township_gov", "nobody"])
def test_who_reads_no_reports_gets_403(client, personas, world, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(INDEX).status_code == 403
    assert client.get(view_url(world.county_congress)).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(view_url(world.county_congress))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_county_staff_read_their_county_and_below(
    client,
    personas,
    world,
    suggestions,
    period,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    client.force_login(personas.county_staff)

    response = read_report(
        client,
        view_url(
            world.county_congress, start=period.start, end=period.end, period="range"
        ),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{world.county_congress.name}" in html and "代表工作监督报告" in html
    assert (
        "统计范围" in html
        and "生成人" in html
        and personas.county_staff.get_full_name() in html
    )
    assert 'data-metric="reply_rate"' in html and "75.0%" in html
    assert client.get(view_url(world.township_congress)).status_code == 200


@pytest.mark.parametrize(
    "congress",
    ["other_county_congress", "province_congress", "other_township_congress"],
)
def test_other_congresses_are_404_for_county_staff(client, personas, world, congress):
    client.force_login(personas.county_staff)

    assert client.get(view_url(getattr(world, congress))).status_code == 404
    assert (
        client.get(f"{INDEX}?congress={getattr(world, congress).pk}").status_code == 404
    )


def test_leaders_read_reports(client, personas, world):
    client.force_login(personas.leader)

    assert client.get(view_url(world.county_congress)).status_code == 200


def test_a_bad_period_goes_back_to_the_form_with_the_reason(client, personas, world):
    client.force_login(personas.county_staff)

    response = client.get(
        view_url(
            world.county_congress, period="range", start="2026-06-01", end="2026-01-01"
        ),
        follow=True,
    )

    assert "结束日期不能早于开始日期" in response.content.decode()


def test_only_sections_asked_for_are_shown(
    client, personas, world, eager_celery, django_capture_on_commit_callbacks
):
    client.force_login(personas.county_staff)

    html = read_report(
        client,
        view_url(world.county_congress, sections="stations"),
        django_capture_on_commit_callbacks,
    ).content.decode()

    assert 'id="sec-stations"' in html and 'id="sec-suggestions"' not in html


def test_wrong_methods(client, personas, world):
    client.force_login(personas.county_staff)

    assert client.post(INDEX).status_code == 405
    assert client.post(view_url(world.county_congress)).status_code == 405
    assert client.get(GENERATE).status_code == 405


def test_navigation_shows_reports_to_readers_only(client, personas):
    client.force_login(personas.county_staff)
    assert INDEX in client.get(reverse("staff:dashboard")).content.decode()
    client.force_login(personas.unit_staff)
    assert INDEX not in client.get(reverse("staff:dashboard")).content.decode()


def test_the_report_page_runs_a_fixed_number_of_queries(
    client,
    personas,
    world,
    suggestions,
    stations,
    period,
    eager_celery,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    from tests.reports.conftest import add_replied_suggestion

    client.force_login(personas.county_staff)
    url = view_url(
        world.county_congress, start=period.start, end=period.end, period="range"
    )
    read_report(client, url, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for n in range(4):
        add_replied_suggestion(suggestions, world, personas, n)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    # The page shows the computation made before the new suggestions.
    assert response.status_code == 200 and "增补建议" not in response.content.decode()
    assert len(first.captured_queries) < 15


# --- generating and downloading ----------------------------------------------------------


def _generate(client, congress, **extra):
    return client.post(
        GENERATE, {"congress": congress.pk, "period": "year", "year": "2026", **extra}
    )


def _done_job(world, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = service.generated_report_create(
            congress=world.county_congress,
            period=year_period(2026),
            actor=personas.county_staff,
        )
    job.refresh_from_db()
    assert job.status == GeneratedReport.Status.DONE, job.error
    return job


def test_county_staff_generate_files_in_the_background(
    client,
    personas,
    world,
    suggestions,
    media,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    client.force_login(personas.county_staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = _generate(
            client, world.county_congress, sections=["suggestions", "stations"]
        )

    job = GeneratedReport.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reports:job", args=[job.pk]
    )
    assert (job.status, job.progress, job.sections) == (
        "done",
        100,
        ["suggestions", "stations"],
    )
    assert (
        job.region_path == world.county.path and job.created_by == personas.county_staff
    )
    assert job.period_label == "2026年度" and job.finished_at is not None
    page = client.get(response.url).content.decode()
    for fmt in ("pdf", "xlsx", "html"):
        assert reverse("reports:download", args=[job.pk, fmt]) in page
    download = client.get(reverse("reports:download", args=[job.pk, "pdf"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "filename*=utf-8''" in download["Content-Disposition"]


def test_the_progress_page_polls_a_json_status(client, personas, world):
    job = GeneratedReport.objects.create(
        congress=world.county_congress,
        scope_description="湘源县",
        region_path=world.county.path,
        period_start=year_period(2026).start,
        period_end=year_period(2026).end,
        period_label="2026年度",
        status=GeneratedReport.Status.RUNNING,
        progress=40,
        created_by=personas.county_staff,
    )
    client.force_login(personas.county_staff)

    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()

    assert (
        'data-job-status-url="' in page
        and 'value="40"' in page
        and "js/job-progress.js" in page
    )
    assert status == {
        "status": "running",
        "status_label": "正在生成",
        "running": True,
        "percent": 40,
        "progress_text": "已完成 40%",
    }
    assert (
        client.get(reverse("reports:download", args=[job.pk, "pdf"])).status_code == 404
    )


def test_leaders_download_but_do_not_generate(
    client, personas, world, media, eager_celery, django_capture_on_commit_callbacks
):
    job = _done_job(world, personas, django_capture_on_commit_callbacks)
    client.force_login(personas.leader)

    assert _generate(client, world.county_congress).status_code == 403
    assert (
        client.get(reverse("reports:download", args=[job.pk, "xlsx"])).status_code
        == 200
    )


def test_generated_reports_are_404_out_of_scope(
    client, personas, world, media, eager_celery, django_capture_on_commit_callbacks
):
    job = _done_job(world, personas, django_capture_on_commit_callbacks)
    client.force_login(personas.other_county_staff)

    for url in (
        reverse("reports:job", args=[job.pk]),
        reverse("reports:job_status", args=[job.pk]),
        reverse("reports:download", args=[job.pk, "pdf"]),
    ):
        assert client.get(url).status_code == 404, url
    # The other county's list does not link to the job (its id alone could be
    # any number on the page: the unread count, a year).
    listing = client.get(INDEX).content.decode().split("已生成的报告")[1]
    assert reverse("reports:job", args=[job.pk]) not in listing
    assert reverse("reports:download", args=[job.pk, "pdf"]) not in listing
    assert _generate(client, world.county_congress).status_code == 404
    client.force_login(personas.unit_staff)
    assert (
        client.get(reverse("reports:download", args=[job.pk, "pdf"])).status_code == 403
    )
    client.force_login(personas.province_staff)
    assert (
        client.get(reverse("reports:download", args=[job.pk, "html"])).status_code
        == 200
    )
    assert (
        client.get(reverse("reports:download", args=[job.pk, "doc"])).status_code == 404
    )
    assert (
        client.post(reverse("reports:download", args=[job.pk, "pdf"])).status_code
        == 405
    )
