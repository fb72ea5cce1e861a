"""Implementation pages (政府办) for the township government and the implementing
unit, and deliberation (代表议) for deputies and staff."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from deputies.services import group_add_members, group_create
from livelihood_votes import services
from livelihood_votes.models import ChangeRequest, DeliberationComment, Project
from tests.livelihood_votes.conftest import cast_votes, open_evaluation, open_round

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def projects(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return list(Project.objects.order_by("candidate__order"))


def _project(project):
    return reverse("livelihood:project", args=[project.pk])


def _plan(project):
    return services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )


# --- list and detail ------------------------------------------------------------------------------


def test_township_gov_sees_its_projects_with_flags(client, projects, personas):
    from portal.registry import nav_for

    client.force_login(personas.township_gov)
    response = client.get(reverse("livelihood:project_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("我单位实施") == 7 and "lv-flag--" in html
    assert "民生实事" in [str(i.label) for i in nav_for(personas.township_gov)]
    assert client.post(reverse("livelihood:project_list")).status_code == 405


def test_project_list_refused_to_deputy(client, lw, projects):
    client.force_login(lw.users[0])
    assert client.get(reverse("livelihood:project_list")).status_code == 403


@pytest.mark.parametrize("count", [2, 6])
def test_project_list_query_count_is_constant(
    client, lw, personas, django_assert_num_queries, count
):
    services.programme_set_seats(programme=lw.programme, seats=count, actor=None)
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, list(range(count)))])
    services.round_close(vote_round=vote_round, actor=None)
    client.force_login(personas.township_gov)
    client.get(reverse("livelihood:project_list"))
    with django_assert_num_queries(7):
        client.get(reverse("livelihood:project_list"))


def test_project_detail_permissions(client, lw, projects, personas):
    url = _project(projects[0])
    client.force_login(personas.other_unit_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(lw.users[0])  # a deputy: sees the programme, may not work on it
    assert client.get(url).status_code == 403
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 200
    client.force_login(personas.township_gov)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


def test_implementing_unit_staff_works_on_their_project(client, lw, personas, world):
    candidate = lw.candidates[0]
    candidate.lead_unit = world.unit  # 湘源县交通运输局 leads the road project
    candidate.save(update_fields=["lead_unit"])
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.get(candidate=candidate)
    client.force_login(personas.unit_staff)
    assert client.get(_project(project)).status_code == 200
    client.post(
        reverse("livelihood:project_plan", args=[project.pk]),
        {
            "plan": "县交通局组织施工",
            "start_date": "2026-12-01",
            "planned_end": "2027-05-31",
        },
    )
    project.refresh_from_db()
    assert project.plan_submitted_at is not None
    other = Project.objects.exclude(pk=project.pk).first()
    assert client.get(_project(other)).status_code == 404
    client.force_login(personas.township_gov)  # not this project's implementer
    response = client.post(
        reverse("livelihood:project_plan", args=[project.pk]),
        {"plan": "x", "start_date": "2026-12-01", "planned_end": "2027-05-31"},
    )
    assert response.status_code == 403


# --- plan, progress, change, answers --------------------------------------------------------------


def test_plan_then_progress_with_photo(client, projects, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = projects[0]
    client.force_login(personas.township_gov)
    bad = client.post(
        reverse("livelihood:project_plan", args=[project.pk]),
        {"plan": "计划", "start_date": "2027-01-01", "planned_end": "2026-12-01"},
    )
    assert (
        bad.status_code == 400 and "计划完成日期应晚于开工日期" in bad.content.decode()
    )
    client.post(
        reverse("livelihood:project_plan", args=[project.pk]),
        {"plan": "计划", "start_date": "2026-12-01", "planned_end": "2027-06-30"},
    )
    url = reverse("livelihood:project_progress", args=[project.pk])
    response = client.post(
        url,
        {
            "date": "2027-01-05",
            "progress": 35,
            "money_paid": "18.5",
            "note": "路基完成",
            "photo": SimpleUploadedFile("现场.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    report = project.reports.get()
    assert (project.progress, project.money_paid) == (35, Decimal("18.5"))
    assert report.photo.name.endswith(".png") and "现场" not in report.photo.name
    assert "路基完成" in client.get(_project(project)).content.decode()


def test_progress_photo_is_checked(client, projects, personas):
    project = _plan(projects[0])
    client.force_login(personas.township_gov)
    url = reverse("livelihood:project_progress", args=[project.pk])
    data = {"date": "2027-01-05", "progress": 35, "money_paid": "18.5", "note": "x"}
    fake = client.post(
        url,
        data
        | {
            "photo": SimpleUploadedFile(
                "a.jpg", b"GIF89a....", content_type="image/jpeg"
            )
        },
    )
    assert fake.status_code == 400 and "文件内容与扩展名不符" in fake.content.decode()
    big = SimpleUploadedFile(
        "a.png", PNG + b"\x00" * (5 * 1024 * 1024), content_type="image/png"
    )
    response = client.post(url, data | {"photo": big})
    assert response.status_code in (400, 413)
    over = client.post(url, data | {"progress": 120})
    assert over.status_code == 400 and "进度应在0到100之间" in over.content.decode()
    assert project.reports.count() == 0


def test_progress_needs_a_plan(client, projects, personas):
    client.force_login(personas.township_gov)
    response = client.post(
        reverse("livelihood:project_progress", args=[projects[0].pk]),
        {"date": "2027-01-05", "progress": 10, "money_paid": "1", "note": "x"},
    )
    assert (
        response.status_code == 400 and "请先提交实施计划" in response.content.decode()
    )


def test_change_request_and_answer_to_supervision(client, projects, personas):
    project = _plan(projects[0])
    visit = services.supervision_visit_record(
        project=project,
        date=date(2027, 1, 10),
        findings="进度滞后",
        suggestion="增加施工人员",
        actor=None,
    )
    client.force_login(personas.township_gov)
    client.post(
        reverse("livelihood:project_change", args=[project.pk]),
        {
            "kind": "change",
            "reason": "原址地质条件不符",
            "proposed_change": "改址到村东",
        },
    )
    assert ChangeRequest.objects.get().status == "pending"
    again = client.post(
        reverse("livelihood:project_change", args=[project.pk]),
        {"kind": "terminate", "reason": "x"},
    )
    assert (
        again.status_code == 400 and "已有待主席团审议的申请" in again.content.decode()
    )
    answer_url = reverse("livelihood:visit_answer", args=[visit.pk])
    empty = client.post(answer_url, {f"v{visit.pk}-answer": ""})
    assert empty.status_code == 400
    client.post(answer_url, {f"v{visit.pk}-answer": "已增加两个施工班组"})
    visit.refresh_from_db()
    assert visit.answer == "已增加两个施工班组"
    client.force_login(
        personas.township_staff
    )  # staff record visits, they do not answer them
    assert client.post(answer_url, {f"v{visit.pk}-answer": "x"}).status_code == 403


def test_gov_todos_plan_due_and_progress_due(lw, projects, personas):
    from portal.registry import todo_items

    Project.objects.filter(pk=projects[0].pk).update(
        plan_due=timezone.localdate() + timedelta(days=3)
    )
    items = todo_items(personas.township_gov)
    plans = [i for i in items if i.kind == "livelihood.plan"]
    assert len(plans) == 1 and projects[0].candidate.title in plans[0].title
    _plan(projects[1])
    Project.objects.filter(pk=projects[1].pk).update(
        plan_submitted_at=timezone.now() - timedelta(days=40)
    )
    progress = [
        i for i in todo_items(personas.township_gov) if i.kind == "livelihood.progress"
    ]
    assert len(progress) == 1 and projects[1].candidate.title in progress[0].title
    services.progress_report(
        project=Project.objects.get(pk=projects[1].pk),
        date=timezone.localdate(),
        progress=20,
        money_paid=Decimal(5),
        note="x",
        actor=None,
    )
    assert not [
        i for i in todo_items(personas.township_gov) if i.kind == "livelihood.progress"
    ]
    assert not [
        i
        for i in todo_items(personas.other_unit_staff)
        if i.kind.startswith("livelihood")
    ]


# --- deliberation ---------------------------------------------------------------------------------------


@pytest.fixture
def deliberating(lw):
    programme = lw.programme
    while programme.phase != "deliberation":
        programme = services.programme_advance(programme=programme, actor=None)
    group = group_create(
        congress=lw.congress, name="桃花村代表小组", kind="regional", actor=None
    )
    group_add_members(group=group, mandates=lw.deputies[:5], actor=None)
    return programme


def test_deputy_comments_and_staff_reads_by_group(client, lw, deliberating, personas):
    url = reverse("livelihood:deliberation", args=[deliberating.pk])
    client.force_login(lw.users[0])
    page = client.get(url)
    assert page.status_code == 200 and "候选项目1" in page.content.decode()
    comment_url = reverse("livelihood:comment", args=[lw.candidates[0].pk])
    prefix = f"c{lw.candidates[0].pk}"
    empty = client.post(comment_url, {f"{prefix}-text": ""})
    assert empty.status_code == 400 and "请填写审议意见" in empty.content.decode()
    client.post(comment_url, {f"{prefix}-text": "建议优先硬化通组路"})
    client.force_login(lw.users[10])  # not in any group
    client.post(comment_url, {f"{prefix}-text": "同意"})
    assert DeliberationComment.objects.count() == 2
    client.force_login(personas.township_staff)
    html = client.get(url).content.decode()
    assert (
        "桃花村代表小组" in html
        and "未编入代表小组" in html
        and "建议优先硬化通组路" in html
    )
    client.post(
        reverse("livelihood:summarise", args=[deliberating.pk]),
        {"summary": "代表普遍赞成道路项目"},
    )
    deliberating.refresh_from_db()
    assert deliberating.deliberation_summary == "代表普遍赞成道路项目"


def test_deliberation_permissions(client, lw, deliberating, personas):
    url = reverse("livelihood:deliberation", args=[deliberating.pk])
    comment_url = reverse("livelihood:comment", args=[lw.candidates[0].pk])
    client.force_login(personas.township_gov)
    assert client.get(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    assert (
        client.post(comment_url, {f"c{lw.candidates[0].pk}-text": "x"}).status_code
        == 404
    )
    client.force_login(personas.township_staff)  # staff do not comment as deputies
    response = client.post(comment_url, {f"c{lw.candidates[0].pk}-text": "x"})
    assert response.status_code == 403
    assert client.post(url).status_code == 405
    client.force_login(lw.users[0])
    assert (
        client.post(
            reverse("livelihood:summarise", args=[deliberating.pk]), {"summary": "x"}
        ).status_code
        == 403
    )
    assert DeliberationComment.objects.count() == 0


# --- 整改 follow-up ------------------------------------------------------------------


def _dissatisfied(project, lw):
    evaluation = open_evaluation(lw, mode="paper")
    counts = {p.pk: (40, 0, 0) for p in Project.objects.filter(programme=lw.programme)}
    counts[project.pk] = (5, 5, 40)
    services.evaluation_enter_paper(
        evaluation=evaluation, returned=50, counts=counts, actor=None
    )
    services.evaluation_close(evaluation=evaluation, actor=None)
    project.refresh_from_db()
    assert project.grade == "dissatisfied"
    return services.project_rectify(
        project=project,
        explanation="资金未到位",
        due=timezone.localdate() + timedelta(days=60),
        actor=None,
    )


def test_rectification_report_then_reevaluation_pages(client, projects, lw, personas):
    project = _dissatisfied(projects[0], lw)
    url = reverse("livelihood:project_rectification", args=[project.pk])
    # The congress's staff cannot re-evaluate before the implementer reports.
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 403
    assert "录入再次测评结果" not in client.get(_project(project)).content.decode()
    client.force_login(personas.township_gov)  # the township government implements
    page = client.get(_project(project)).content.decode()
    assert "报告整改情况" in page
    empty = client.post(url, {"report": ""})
    assert empty.status_code == 400 and "请填写整改情况" in empty.content.decode()
    done = client.post(url, {"report": "资金已到位，已完工"}, follow=True)
    assert "整改情况已报告" in done.content.decode()
    client.force_login(personas.township_staff)
    assert "资金已到位，已完工" in client.get(url).content.decode()
    too_many = client.post(url, {"satisfied": 40, "basically": 10, "dissatisfied": 9})
    assert too_many.status_code == 400
    assert "不能超过全体代表人数" in too_many.content.decode()
    client.post(url, {"satisfied": 30, "basically": 10, "dissatisfied": 5})
    project.refresh_from_db()
    assert project.regrade == "satisfied"
    # Out of scope: another township's staff get 404.
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
