"""Background generation (Celery task, idempotent, failures recorded), the CLI,
and the province-wide report on the demo data in all three formats."""

from __future__ import annotations

import io
import time

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import tasks
from portal.models import AuditEvent, Congress
from portal.reports import service
from portal.reports.periods import year_period

pytestmark = pytest.mark.django_db


def _queue(world, personas, **kwargs):
    return service.generated_report_create(
        congress=world.county_congress,
        period=year_period(2026),
        actor=personas.county_staff,
        **kwargs,
    )


def test_the_task_generates_the_three_files_once(world, personas, suggestions, media):
    job = _queue(world, personas)
    assert (job.status, job.progress) == ("queued", 0)

    tasks.generate_report(job.pk)
    job.refresh_from_db()
    names = (job.html_file.name, job.xlsx_file.name, job.pdf_file.name)
    tasks.generate_report(job.pk)  # a redelivered message
    job.refresh_from_db()

    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert (job.html_file.name, job.xlsx_file.name, job.pdf_file.name) == names
    assert job.pdf_file.open("rb").read(4) == b"%PDF"
    book = openpyxl.load_workbook(io.BytesIO(job.xlsx_file.open("rb").read()))
    assert book.sheetnames[0] == "封面"
    assert (
        "湘源县人民代表大会2026年度代表工作监督报告"
        in job.html_file.open("rb").read().decode()
    )
    assert job.sections == [
        "suggestions",
        "deputies",
        "commendations",  # issue 17
        "stations",
        "station_networks",  # issue 17
        "activity_funds",  # issue 17
        "legislative_consultation",  # issue 17
        "livelihood",
    ]
    audit = AuditEvent.objects.get(action="report.generate")
    assert audit.actor == personas.county_staff and audit.object_id == str(job.pk)


def test_a_gone_job_is_ignored(db):
    assert tasks.generate_report(987654) is None


def test_a_failure_is_recorded_on_the_job(world, personas, media, monkeypatch):
    job = _queue(world, personas)

    def broken(report, fmt):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(service, "render", broken)
    tasks.generate_report(job.pk)
    job.refresh_from_db()

    assert (
        job.status == "failed"
        and "字体缺失" in job.error
        and job.finished_at is not None
    )


def test_only_congress_staff_of_the_region_may_queue(world, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        service.generated_report_create(
            congress=world.county_congress,
            period=year_period(2026),
            actor=personas.leader,
        )
    with pytest.raises(PermissionDenied):
        service.generated_report_create(
            congress=world.province_congress,
            period=year_period(2026),
            actor=personas.county_staff,
        )


def test_cli_writes_a_file(world, suggestions, tmp_path):
    output = tmp_path / "out" / "湘源县.xlsx"

    call_command(
        "supervision_report",
        "--congress",
        str(world.county_congress.pk),
        "--year",
        "2026",
        "--format",
        "xlsx",
        "--output",
        str(output),
    )

    book = openpyxl.load_workbook(output)
    assert book["封面"]["A1"].value == "湘源县人民代表大会2026年度代表工作监督报告"
    assert "系统定时任务" in [cell.value for cell in book["封面"]["B"]]


def test_cli_takes_a_date_range_and_refuses_bad_input(world, tmp_path):
    output = tmp_path / "r.html"
    call_command(
        "supervision_report",
        "--congress",
        str(world.county_congress.pk),
        "--start",
        "2026-01-01",
        "--end",
        "2026-06-30",
        "--format",
        "html",
        "--output",
        str(output),
        "--sections",
        "stations",
    )
    html = output.read_text(encoding="utf-8")
    assert (
        "2026年1月1日至2026年6月30日" in html
        and 'id="sec-stations"' in html
        and "sec-deputies" not in html
    )

    with pytest.raises(CommandError, match="没有编号为"):
        call_command(
            "supervision_report", "--congress", "999999", "--output", str(output)
        )
    with pytest.raises(CommandError, match="结束日期不能早于开始日期"):
        call_command(
            "supervision_report",
            "--congress",
            str(world.county_congress.pk),
            "--start",
            "2026-06-30",
            "--end",
            "2026-01-01",
            "--output",
            str(output),
        )


def test_province_report_on_the_demo_data(tmp_path):
    call_command("seed_demo")
    province = Congress.objects.get(level="province")
    from django.utils import timezone

    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        report = service.build_report(
            congress=province, period=year_period(timezone.localdate().year), user=None
        )
    built = time.monotonic() - started
    files = {fmt: service.render(report, fmt) for fmt in service.FORMATS}
    elapsed = time.monotonic() - started

    print(
        f"\nprovince report: {len(queries.captured_queries)} queries, built in {built:.2f}s, "
        f"with files in {elapsed:.2f}s"
    )
    # Issues 16 and 17's rates and sections add a few constant queries each.
    assert len(queries.captured_queries) < 110
    assert elapsed < 60
    assert files["pdf"].startswith(b"%PDF") and files["xlsx"].startswith(b"PK")
    assert "湖南省人民代表大会" in files["html"].decode()
    suggestions = report.section("suggestions")
    assert (
        suggestions.metric("received").value > 0
        and suggestions.metric("handled").value > 0
    )
    assert report.section("deputies").metric("deputies").value > 100
    assert report.section("livelihood").metric("projects").value > 0
