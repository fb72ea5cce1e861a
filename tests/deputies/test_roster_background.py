"""Large rosters: validated and committed in Celery with progress, and a
5,000-row file imported completely in reasonable time."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies import roster
from deputies.models import GroupMembership, Mandate, Person, RosterImport
from portal.celery import app

from . import test_roster_support as support
from .test_roster_support import (
    row,
    upload,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (see test_roster_support).
media = support.media
rw = support.rw


@pytest.fixture
def eager_celery():
    """Tasks run in-process (``delay_on_commit`` fires when the test's on-commit
    callbacks are executed)."""
    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True
        try:
            yield app
        finally:
            app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def progress_log(monkeypatch):
    """Every ``processed_rows`` value the jobs report while they run."""
    seen: list[int] = []
    real = roster.jobs._progress

    def recording(job):
        report = real(job)

        def wrapped(done: int) -> None:
            seen.append(done)
            report(done)

        return wrapped

    monkeypatch.setattr(roster.jobs, "_progress", recording)
    return seen


def status(client, job) -> dict:
    return client.get(reverse("deputies:roster_import_status", args=[job.pk])).json()


def test_large_file_is_validated_and_imported_in_the_background_with_progress(
    client, personas, rw, eager_celery, progress_log, django_capture_on_commit_callbacks
):
    rows = [
        row(i, 代表小组="农业农村专业代表小组" if i % 5 == 0 else "")
        for i in range(1, 601)
    ]
    client.force_login(personas.county_staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("deputies:roster_import"), {"file": upload(rows)})
        job = RosterImport.objects.latest("pk")
        # Queued: the page polls while the task has not run yet.
        queued = status(client, job)
        html = client.get(
            reverse("deputies:roster_import_detail", args=[job.pk])
        ).content.decode()
    assert len(callbacks) == 1
    assert queued["running"] is True and queued["status"] == "validating"
    assert queued["total_rows"] == 600
    assert (
        'data-job-status-url="{}"'.format(
            reverse("deputies:roster_import_status", args=[job.pk])
        )
        in html
    )
    assert "<progress" in html and "js/roster.js" in html

    validated = status(client, job)
    assert validated["status"] == "valid" and validated["running"] is False
    assert validated["percent"] == 100
    assert progress_log == [200, 400, 600]

    progress_log.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deputies:roster_import_commit", args=[job.pk]))
        importing = status(client, job)
    assert importing["status"] == "importing" and importing["running"] is True

    done = status(client, job)
    assert done["status"] == "done"
    assert done["percent"] == 100
    assert done["imported_count"] == 600
    assert progress_log == [200, 400, 600]
    assert Mandate.objects.filter(term=rw.term).count() == 601
    assert GroupMembership.objects.filter(group=rw.group).count() == 120


def test_background_commit_failure_leaves_nothing_and_marks_the_job_failed(
    client, personas, rw, eager_celery, monkeypatch, django_capture_on_commit_callbacks
):
    rows = [row(i) for i in range(1, 502)]
    client.force_login(personas.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deputies:roster_import"), {"file": upload(rows)})
    job = RosterImport.objects.latest("pk")
    assert job.status == RosterImport.Status.VALID

    def broken(*args, **kwargs):
        raise RuntimeError("连接中断")

    monkeypatch.setattr(GroupMembership.objects, "bulk_create", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("deputies:roster_import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == RosterImport.Status.FAILED
    assert job.errors == [
        {"row": None, "message": "导入时发生错误，未写入任何数据：连接中断"}
    ]
    assert Mandate.objects.filter(term=rw.term).count() == 1  # the one from before
    assert not Person.objects.filter(id_number=row(1)["身份证号码"]).exists()


def test_task_for_a_finished_or_missing_job_does_nothing(personas, rw):
    from deputies import tasks

    tasks.validate_roster_import(999_999)
    tasks.commit_roster_import(999_999, personas.county_staff.pk)
    job = RosterImport.objects.create(
        original_name="x.xlsx",
        status=RosterImport.Status.DONE,
        created_by=personas.county_staff,
    )
    tasks.validate_roster_import(job.pk)
    tasks.commit_roster_import(job.pk, personas.county_staff.pk)
    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE


def test_a_5000_row_roster_imports_completely(
    client, personas, rw, eager_celery, django_capture_on_commit_callbacks
):
    count = 5000
    rows = [
        row(
            i,
            代表小组="农业农村专业代表小组、教育卫生行业代表小组"
            if i % 10 == 0
            else "",
        )
        for i in range(1, count + 1)
    ]
    file = upload(rows)
    client.force_login(personas.county_staff)

    started = time.perf_counter()
    with (
        CaptureQueriesContext(connection) as validate_queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("deputies:roster_import"), {"file": file})
    validated = time.perf_counter()
    job = RosterImport.objects.latest("pk")
    assert job.status == RosterImport.Status.VALID, job.errors[:5]
    assert job.progress_percent == 100

    with (
        CaptureQueriesContext(connection) as commit_queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("deputies:roster_import_commit", args=[job.pk]))
    committed = time.perf_counter()

    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE, job.errors[:5]
    assert job.imported_count == count
    assert Mandate.objects.filter(term=rw.term).count() == count + 1
    assert (
        Person.objects.filter(id_number__in=[r["身份证号码"] for r in rows]).count()
        == count
    )
    assert (
        GroupMembership.objects.filter(mandate__term=rw.term).count() == count // 10 * 2
    )
    validate_s, commit_s = validated - started, committed - validated

    def kinds(captured) -> str:
        sqls = [q["sql"] for q in captured.captured_queries]
        counts = {
            "progress": sum(
                "processed_rows" in q and q.startswith("UPDATE") for q in sqls
            ),
            "person inserts": sum(
                q.startswith('INSERT INTO "deputies_person"') for q in sqls
            ),
            "mandate inserts": sum(
                q.startswith('INSERT INTO "deputies_mandate"') for q in sqls
            ),
            "membership inserts": sum(
                q.startswith('INSERT INTO "deputies_groupmembership"') for q in sqls
            ),
        }
        return ", ".join(f"{k} {v}" for k, v in counts.items() if v)

    print(
        f"\n5,000-row roster on {connection.vendor}: "
        f"upload+validate {validate_s:.1f} s ({len(validate_queries)} queries: "
        f"{kinds(validate_queries)}); "
        f"commit {commit_s:.1f} s ({len(commit_queries)} queries: {kinds(commit_queries)})"
    )
    assert validate_s + commit_s < 60
