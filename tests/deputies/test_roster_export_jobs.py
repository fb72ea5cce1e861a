"""Large exports of the deputy list: a background ``MandateExport`` job with
progress and a download link that only its owner may use; chunked reading with
a bounded number of queries; the bench command."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from deputies import roster
from deputies.models import MandateExport
from portal.models import AuditEvent

from . import test_roster_support as support
from .test_roster_background import eager_celery  # noqa: F401 - fixture
from .test_roster_export import COL, add_deputies
from .test_roster_support import XLSX, read_xlsx

pytestmark = pytest.mark.django_db

media = support.media
rw = support.rw


@pytest.fixture
def small_limit(monkeypatch):
    """Exports of more than 3 rows go to the background."""
    monkeypatch.setattr(roster.exports, "EXPORT_SYNC_ROW_LIMIT", 3)


@pytest.fixture
def small_chunks(monkeypatch):
    """Rows are read, audited and written 4 at a time."""
    monkeypatch.setattr(roster.excel, "EXPORT_CHUNK_ROWS", 4)


def start_export(client, user, query: str = "", capture=None, reason: str = ""):
    """Start a background export: from the confirm page (masked), or with a
    ``reason`` from the full export's form."""
    client.force_login(user)
    with capture(execute=True):
        if reason:
            response = client.post(
                reverse("deputies:export"), {"query": query, "reason": reason}
            )
        else:
            response = client.post(
                reverse("deputies:export_job_create"), {"query": query}
            )
    assert response.status_code == 302
    job = MandateExport.objects.latest("pk")
    assert response["Location"] == reverse("deputies:export_job", args=[job.pk])
    return job


def test_large_export_offers_the_background_and_a_get_starts_nothing(
    client, personas, rw, world, small_limit
):
    add_deputies(rw, world, 5)
    client.force_login(personas.county_staff)

    response = client.get(reverse("deputies:export") + "?order=pinyin")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "按当前筛选条件共有 6 名代表" in page
    assert 'value="order=pinyin"' in page
    assert reverse("deputies:export_job_create") in page
    assert not MandateExport.objects.exists()
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_small_export_is_still_answered_at_once(client, personas, rw, world):
    add_deputies(rw, world, 2)
    client.force_login(personas.county_staff)

    response = client.get(reverse("deputies:export"))

    assert response["Content-Type"] == XLSX
    assert response.streaming
    assert not MandateExport.objects.exists()


def test_background_export_writes_the_filtered_list_with_progress_and_audit(
    client,
    personas,
    rw,
    world,
    small_limit,
    small_chunks,
    eager_celery,  # noqa: F811
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    mandates = add_deputies(rw, world, 9)
    progress: list[int] = []
    real_set = roster.exports._set

    def recording_set(job, **fields):
        if "processed_rows" in fields:
            progress.append(fields["processed_rows"])
        real_set(job, **fields)

    monkeypatch.setattr(roster.exports, "_set", recording_set)
    # The three rows of the filter go to the background too.
    monkeypatch.setattr(roster.exports, "EXPORT_SYNC_ROW_LIMIT", 2)

    job = start_export(
        client,
        personas.county_staff,
        "gender=female&order=pinyin",
        django_capture_on_commit_callbacks,
        reason="代表履职培训报名",
    )

    job.refresh_from_db()
    assert job.reason == "代表履职培训报名"
    assert job.status == MandateExport.Status.DONE
    assert job.created_by == personas.county_staff
    assert job.total_rows == job.processed_rows == 3  # E0000, E0003, E0006
    assert progress == [0, 3, 3]  # the start, one chunk of 3, the end
    status = client.get(reverse("deputies:export_job_status", args=[job.pk])).json()
    assert status["running"] is False
    assert status["percent"] == 100
    page = client.get(reverse("deputies:export_job", args=[job.pk])).content.decode()
    assert reverse("deputies:export_job_download", args=[job.pk]) in page

    response = client.get(reverse("deputies:export_job_download", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(b"".join(response.streaming_content))
    by_card = {r[COL["代表证号"]]: r for r in rows[1:]}
    assert sorted(by_card) == ["E0000", "E0003", "E0006"]
    assert by_card["E0003"][COL["手机号码"]] == "13700000003"
    assert by_card["E0000"][COL["工作单位"]] == '=HYPERLINK("http://x")'
    reveals = AuditEvent.objects.filter(action="personal_data.reveal")
    assert sorted(int(e.object_id) for e in reveals) == sorted(
        m.pk for m in mandates if m.card_number in by_card
    )
    assert {e.actor for e in reveals} == {personas.county_staff}
    assert {e.ip_address for e in reveals} == {"127.0.0.1"}
    assert {e.reason for e in reveals} == {"代表履职培训报名"}


def test_background_export_of_a_leader_is_masked_and_audits_nothing(
    client,
    personas,
    rw,
    world,
    small_limit,
    eager_celery,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    add_deputies(rw, world, 5)

    job = start_export(client, personas.leader, "", django_capture_on_commit_callbacks)

    rows = read_xlsx(
        b"".join(
            client.get(
                reverse("deputies:export_job_download", args=[job.pk])
            ).streaming_content
        )
    )
    by_card = {r[COL["代表证号"]]: r for r in rows[1:]}
    assert by_card["E0001"][COL["手机号码"]] == "137****0001"
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_nobody_else_sees_or_downloads_an_export(
    client,
    personas,
    rw,
    world,
    small_limit,
    eager_celery,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    add_deputies(rw, world, 5)
    job = start_export(
        client, personas.county_staff, "", django_capture_on_commit_callbacks
    )
    urls = [
        reverse(name, args=[job.pk])
        for name in (
            "deputies:export_job",
            "deputies:export_job_status",
            "deputies:export_job_download",
        )
    ]

    # Even the province's staff, who see these deputies, get a 404.
    for other in (personas.province_staff, personas.other_county_staff):
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_export_job_views_refuse_the_wrong_method_and_a_bad_filter(
    client, personas, rw, world
):
    client.force_login(personas.county_staff)
    assert client.get(reverse("deputies:export_job_create")).status_code == 405

    response = client.post(
        reverse("deputies:export_job_create"), {"query": "congress=999999"}
    )

    assert response.status_code == 400
    assert "筛选条件不正确" in response.content.decode()
    assert not MandateExport.objects.exists()
    job = MandateExport.objects.create(created_by=personas.county_staff)
    for name in ("deputies:export_job", "deputies:export_job_download"):
        assert client.post(reverse(name, args=[job.pk])).status_code == 405


def test_download_of_an_unfinished_export_is_404(client, personas, rw):
    job = MandateExport.objects.create(created_by=personas.county_staff)
    client.force_login(personas.county_staff)

    assert client.get(reverse("deputies:export_job", args=[job.pk])).status_code == 200
    status = client.get(reverse("deputies:export_job_status", args=[job.pk])).json()
    assert status["running"] is True
    assert (
        client.get(reverse("deputies:export_job_download", args=[job.pk])).status_code
        == 404
    )


def test_export_whose_filter_no_longer_holds_fails_and_reveals_nothing(
    personas, rw, world
):
    add_deputies(rw, world, 2)
    job = MandateExport.objects.create(
        created_by=personas.county_staff, query=f"group={rw.group.pk}"
    )
    rw.group.delete()

    job = roster.mandate_export_run(job=job)

    assert job.status == MandateExport.Status.FAILED
    assert job.error == "筛选条件已不再有效，请回到代表名单重新导出。"
    assert not job.file
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()
    # Run again (a redelivered task): a done job is left alone, a failed one retried.
    assert roster.mandate_export_run(job=job).status == MandateExport.Status.FAILED


def test_a_done_export_is_not_written_again(personas, rw, world):
    add_deputies(rw, world, 2)
    job = roster.mandate_export_run(
        job=MandateExport.objects.create(
            created_by=personas.county_staff, reason="核对代表信息"
        )
    )
    assert job.status == MandateExport.Status.DONE
    name = job.file.name

    again = roster.mandate_export_run(job=job)

    assert again.file.name == name
    assert AuditEvent.objects.filter(action="personal_data.reveal").count() == 3


def test_export_reads_in_chunks_with_a_bounded_number_of_queries(
    personas, rw, world, small_chunks, django_assert_max_num_queries
):
    from deputies import selectors

    add_deputies(rw, world, 11)  # 12 rows with the existing mandate: 3 chunks
    output = io.BytesIO()

    # The scope and the filter's choices (4), the savepoint pair and the rows'
    # cursor (3), then per chunk of 4 its group names and its audit insert (the
    # content type is cached): 2 queries a chunk, never one per row.
    with django_assert_max_num_queries(4 + 3 + 2 * 3):
        filterset = selectors.mandate_search(personas.county_staff, {})
        assert filterset.is_valid()
        written = roster.write_mandates(
            filterset.qs, user=personas.county_staff, output=output
        )

    assert written == 12
    rows = read_xlsx(output.getvalue())
    assert len(rows) == 13
    both = next(r for r in rows[1:] if r[COL["代表证号"]] == "E0003")
    assert both[COL["代表小组"]] == "农业农村专业代表小组、教育卫生行业代表小组"


def test_bench_command_measures_an_export_and_leaves_no_audit(
    personas, rw, world, settings
):
    add_deputies(rw, world, 4)
    out = io.StringIO()

    call_command(
        "bench_export",
        "--user",
        personas.county_staff.username,
        "--in-process",
        stdout=out,
    )

    result = json.loads(out.getvalue())
    assert result["rows"] == 5
    assert result["mode"] == "immediate"
    assert result["seconds"] >= 0
    assert result["peak_rss_mb"] >= result["baseline_rss_mb"] > 0
    assert result["bytes"] > 0
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_a_background_export_from_the_confirm_page_is_masked(
    client,
    personas,
    rw,
    world,
    small_limit,
    eager_celery,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    add_deputies(rw, world, 9)
    job = start_export(
        client, personas.county_staff, "", django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert job.status == MandateExport.Status.DONE and job.reason == ""
    response = client.get(reverse("deputies:export_job_download", args=[job.pk]))
    rows = read_xlsx(b"".join(response.streaming_content))
    by_card = {r[COL["代表证号"]]: r for r in rows[1:]}
    assert by_card["E0003"][COL["手机号码"]] == "137****0003"
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()
