"""The public page of one adopted livelihood project (issue 18): description,
congress, the vote's aggregate result, the implementing unit, progress history
and the deputies' evaluation once published; 404 for any project that is not
public; the same for every visitor, scrubbed, constant queries, cacheable."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from livelihood_votes import services
from livelihood_votes.models import (
    Ballot,
    Candidate,
    Participation,
    Programme,
    Project,
)
from tests.livelihood_votes.conftest import cast_votes, open_evaluation, open_round

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _url(project):
    return reverse("livelihood:public_project", args=[project.pk])


@pytest.fixture
def voted(lw):
    """7 of 10 candidates adopted: 30 deputies approve 0–6, 22 approve 7."""
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(30, [0, 1, 2, 3, 4, 5, 6]), (22, [7])])
    services.round_close(vote_round=vote_round, actor=None)
    return vote_round


@pytest.fixture
def project(voted):
    return Project.objects.order_by("candidate__order").first()


def _report(project, day, progress, note, photo=None):
    return services.progress_report(
        project=project,
        date=day,
        progress=progress,
        money_paid=Decimal(progress) / 2,
        note=note,
        photo=photo,
        actor=None,
    )


def _start(project):
    services.project_submit_plan(
        project=project,
        plan="分两期建设",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )


def test_the_programme_page_links_each_project_to_its_page(client, lw, project):
    html = client.get(
        reverse("livelihood:public_programme", args=[lw.programme.pk])
    ).content.decode()
    for adopted in Project.objects.all():
        assert _url(adopted) in html


def test_project_page_shows_facts_vote_and_progress_history(
    client, lw, project, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _start(project)
    first = _report(project, date(2026, 12, 20), 20, "完成路线勘测和招标")
    second = _report(
        project,
        date(2027, 1, 25),
        45,
        "路基完成，开始铺设路面",
        photo=SimpleUploadedFile("a.png", PNG, content_type="image/png"),
    )
    response = client.get(_url(project))
    assert response.status_code == 200
    html = response.content.decode()
    assert "候选项目1" in html and "建设内容" in html
    assert "桃花乡人民代表大会" in html and "桃花乡人民政府" in html
    # The vote: aggregate counts of the round, nothing of a ballot.
    assert "第1轮（电子表决）" in html and '<td class="num">30</td>' in html
    assert '<td class="num">52</td>' in html and 'badge--ok">当选' in html
    for receipt in Ballot.objects.values_list("receipt", flat=True):
        assert receipt not in html
    for mandate in lw.deputies:
        assert mandate.person.name not in html
    # Progress history: every report, newest first, with its date and %.
    assert html.index("路基完成") < html.index("完成路线勘测")
    assert "2026年12月20日" in html and "进度 20%" in html and "进度 45%" in html
    assert reverse("livelihood:report_photo", args=[second.pk]) in html
    assert reverse("livelihood:report_photo", args=[first.pk]) not in html
    # Before the evaluation: no grade.
    assert "代表测评结果公布后在这里显示" in html


def test_evaluation_result_once_published(client, lw, project):
    evaluation = open_evaluation(lw, mode="paper")
    projects = list(Project.objects.all())
    counts = {p.pk: (40, 10, 2) for p in projects}
    counts[project.pk] = (10, 12, 30)
    services.evaluation_enter_paper(
        evaluation=evaluation, returned=52, counts=counts, actor=None
    )
    # Entered but not closed: not published.
    html = client.get(_url(project)).content.decode()
    assert "代表测评结果公布后在这里显示" in html and "测评结果：" not in html
    services.evaluation_close(evaluation=evaluation, actor=None)
    project.refresh_from_db()
    services.project_rectify(
        project=project, explanation="进度滞后", due=date(2099, 6, 30), actor=None
    )
    html = client.get(_url(project)).content.decode()
    assert "测评结果：" in html and 'badge--danger">不满意' in html
    assert '<span class="lv-stats__value">30</span>' in html
    assert "整改并结转下年" in html and "整改期限：2099年6月30日" in html
    other = next(p for p in projects if p.pk != project.pk)
    assert 'badge--ok">满意' in client.get(_url(other)).content.decode()


def test_not_public_projects_are_404(client, lw, voted):
    # A reserve candidate has no project; an unknown id neither.
    reserve = Candidate.objects.filter(status="reserve").first()
    assert reserve is not None
    assert (
        client.get(reverse("livelihood:public_project", args=[999999])).status_code
        == 404
    )
    # A project row whose programme has not finished the vote (or whose
    # candidate is not adopted) is not public, whoever asks.
    project = Project.objects.order_by("candidate__order").first()
    Programme.objects.filter(pk=project.programme_id).update(phase="voting")
    assert client.get(_url(project)).status_code == 404
    client.force_login(lw.users[0])
    assert client.get(_url(project)).status_code == 404
    Programme.objects.filter(pk=project.programme_id).update(phase="implementing")
    assert client.get(_url(project)).status_code == 200
    Candidate.objects.filter(pk=project.candidate_id).update(status="reserve")
    assert client.get(_url(project)).status_code == 404


def test_everyone_sees_the_same_page_and_it_is_cacheable(client, lw, project, personas):
    anonymous = client.get(_url(project))
    assert anonymous.status_code == 200
    cache_control = anonymous.get("Cache-Control", "")
    assert "no-store" not in cache_control and "private" not in cache_control
    assert "sessionid" not in anonymous.cookies
    for user in (lw.users[0], personas.county_staff, personas.unit_staff):
        client.force_login(user)
        response = client.get(_url(project))
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
        client.logout()
    assert client.post(_url(project)).status_code == 405


def test_free_text_is_scrubbed(client, lw, project):
    _start(project)
    _report(project, date(2027, 1, 5), 30, "联系人王师傅13912345678，邮箱a@b.cn")
    Candidate.objects.filter(pk=project.candidate_id).update(
        description="咨询电话13800138000"
    )
    html = client.get(_url(project)).content.decode()
    assert "13912345678" not in html and "13800138000" not in html
    assert "a@b.cn" not in html


def test_participation_and_sign_in_are_never_read(client, project):
    """The page reads no ballot, participation or sign-in rows at all."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert Participation.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(project)).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("ballot", "participation", "attendance", "receipt"):
        assert f"livelihood_votes_{table}" not in sql


@pytest.mark.parametrize("reports", [1, 12])
def test_query_count_is_constant(
    client, lw, project, django_assert_num_queries, reports
):
    _start(project)
    for n in range(reports):
        _report(project, date(2027, 1, 1 + n), 5 + n, f"第{n}次进展")
    evaluation = open_evaluation(lw, mode="paper")
    services.evaluation_enter_paper(
        evaluation=evaluation,
        returned=52,
        counts={p.pk: (40, 10, 2) for p in Project.objects.all()},
        actor=None,
    )
    services.evaluation_close(evaluation=evaluation, actor=None)
    with django_assert_num_queries(4):
        response = client.get(_url(project))
    assert response.status_code == 200
