"""Uploaded rosters and written exports (personal data) are deleted after the
retention period by the daily job; the job rows stay (issue 15)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from deputies.models import MandateExport, RosterImport
from deputies.roster.retention import purge_personal_files
from deputies.tasks import purge_personal_files as purge_task

pytestmark = pytest.mark.django_db

ROW = "姓名,公民身份号码\n张三,430102198001011234\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PERSONAL_FILE_RETENTION_DAYS = 7


def _import(status, days_old, personas):
    job = RosterImport(
        original_name="名册.xlsx",
        status=status,
        created_by=personas.county_staff,
        preview=[{"name": "张三", "id_number": "430102198001011234"}],
    )
    job.file.save("roster.xlsx", ContentFile(ROW.encode()), save=False)
    job.save()
    RosterImport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    return job


def _export(status, days_old, personas):
    job = MandateExport(status=status, created_by=personas.county_staff)
    job.file.save("export.xlsx", ContentFile(ROW.encode()), save=False)
    job.save()
    MandateExport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    return job


def test_old_files_are_deleted_and_the_rows_kept(personas, settings):
    S = RosterImport.Status
    old_done = _import(S.DONE, 8, personas)
    old_invalid = _import(S.INVALID, 30, personas)
    old_valid = _import(S.VALID, 8, personas)
    busy = _import(S.IMPORTING, 8, personas)
    fresh = _import(S.INVALID, 2, personas)
    old_export = _export(MandateExport.Status.DONE, 8, personas)
    fresh_export = _export(MandateExport.Status.DONE, 1, personas)
    paths = {
        job.pk: Path(job.file.path)
        for job in (old_done, old_invalid, old_valid, busy, fresh)
    }

    assert purge_task() == {"imports": 3, "exports": 1}

    for job in (old_done, old_invalid, old_valid):
        job.refresh_from_db()
        assert not job.file and job.preview == []
        assert not paths[job.pk].exists()
    assert old_done.status == S.DONE and old_invalid.status == S.INVALID
    # A validated roster never imported: nothing to import from any more.
    assert old_valid.status == S.FAILED
    assert "超过保存期限" in old_valid.errors[0]["message"]
    for job in (busy, fresh):
        job.refresh_from_db()
        assert job.file and paths[job.pk].exists() and job.preview
    old_export.refresh_from_db()
    fresh_export.refresh_from_db()
    assert not old_export.file and fresh_export.file
    # Idempotent: a second run finds nothing.
    assert purge_personal_files() == (0, 0)


def test_the_job_is_on_the_beat_schedule(settings):
    from django.conf import settings as live

    tasks = {entry["task"] for entry in live.CELERY_BEAT_SCHEDULE.values()}
    assert "deputies.tasks.purge_personal_files" in tasks
