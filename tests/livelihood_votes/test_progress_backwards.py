"""Progress lower than the last report needs an explicit confirmation (issue
18), and the progress photo is kept when the form comes back."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livelihood_votes import services
from livelihood_votes.models import Project
from portal.services import DomainError
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def project(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.order_by("candidate__order").first()
    services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )
    services.progress_report(
        project=project,
        date=date(2027, 1, 5),
        progress=60,
        money_paid=Decimal(10),
        note="路基完成",
        actor=None,
    )
    return project


def _report(project, **extra):
    return services.progress_report(
        **{
            "project": project,
            "date": date(2027, 2, 5),
            "progress": 40,
            "money_paid": Decimal(10),
            "note": "返工",
            "actor": None,
            **extra,
        }
    )


def test_lower_progress_is_refused_without_confirmation(project):
    with pytest.raises(
        DomainError, match="本次进度（40%）低于上次报告的进度（60%）"
    ) as exc:
        _report(project)
    assert exc.value.field == "confirm_lower"
    project.refresh_from_db()
    assert project.progress == 60 and project.reports.count() == 1


def test_lower_progress_with_confirmation_is_recorded(project):
    _report(project, confirm_lower=True)
    project.refresh_from_db()
    assert project.progress == 40 and project.reports.count() == 2


def test_same_or_higher_progress_needs_no_confirmation(project):
    _report(project, progress=60)
    _report(project, progress=70)
    project.refresh_from_db()
    assert project.progress == 70


def test_the_page_asks_for_the_checkbox_and_keeps_the_photo(
    client, project, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.township_gov)
    url = reverse("livelihood:project_progress", args=[project.pk])
    data = {"date": "2027-02-05", "progress": 40, "money_paid": "10", "note": "返工"}
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    first = client.post(url, {**data, "photo": photo})
    assert first.status_code == 400
    html = first.content.decode()
    assert "低于上次报告的进度（60%）" in html and 'name="confirm_lower"' in html
    assert "“现场.png”已保留" in html
    token = re.search(r'name="photo__kept" value="([^"]+)"', html).group(1)
    second = client.post(url, {**data, "confirm_lower": "on", "photo__kept": token})
    assert second.status_code == 302
    report = project.reports.order_by("-id").first()
    assert report.progress == 40 and report.photo.read() == PNG
