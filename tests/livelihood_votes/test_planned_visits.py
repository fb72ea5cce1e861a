"""Supervision visits planned ahead (人大督): the service, who may plan and
cancel on the project page (scoped like recording a visit), and the date."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from livelihood_votes import services
from livelihood_votes.models import PlannedVisit, Project
from portal.models import AuditEvent, Notification
from portal.notifications import run_reminders
from portal.services import DomainError, TransitionError
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def projects(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return list(Project.objects.order_by("candidate__order"))


@pytest.fixture
def group(lw, projects):
    return services.supervision_group_create(
        programme=lw.programme,
        name="第一监督小组",
        members=lw.deputies[:3],
        projects=[projects[0]],
        actor=None,
    )


def plan_url(project):
    return reverse("livelihood:visit_plan", args=[project.pk])


def later(days=7):
    return (TODAY() + timedelta(days=days)).isoformat()


# --- the service ------------------------------------------------------------------------


def test_a_visit_is_planned_on_a_later_day_with_an_audit_row(projects, group, personas):
    planned = services.supervision_visit_plan(
        project=projects[0],
        date=TODAY() + timedelta(days=3),
        purpose=" 查看施工质量 ",
        group=group,
        actor=personas.township_staff,
    )
    assert (planned.group, planned.purpose, planned.planned_by) == (
        group,
        "查看施工质量",
        personas.township_staff,
    )
    assert AuditEvent.objects.filter(
        action="project.plan_visit", object_id=str(projects[0].pk)
    ).exists()
    assert not projects[0].visits.exists()  # planned, not yet recorded


@pytest.mark.parametrize("days", [0, -1])
def test_today_or_a_past_date_is_refused(projects, days):
    with pytest.raises(DomainError) as refused:
        services.supervision_visit_plan(
            project=projects[0], date=TODAY() + timedelta(days=days), actor=None
        )
    assert refused.value.field == "date"
    assert refused.value.message == (
        f"计划日期应晚于今天（{TODAY().isoformat()}）；已经开展的视察请直接记录。"
    )


def test_a_group_that_does_not_supervise_the_project_is_refused(projects, group):
    with pytest.raises(DomainError, match="所选监督小组不监督该项目"):
        services.supervision_visit_plan(
            project=projects[1],
            date=TODAY() + timedelta(days=3),
            group=group,
            actor=None,
        )


def test_cancel_once_then_no_op_and_never_after_the_day(projects, personas):
    planned = services.supervision_visit_plan(
        project=projects[0], date=TODAY() + timedelta(days=2), actor=None
    )
    first = services.planned_visit_cancel(planned=planned, actor=None)
    again = services.planned_visit_cancel(planned=planned, actor=None)
    assert first.cancelled_at is not None and again.cancelled_at == first.cancelled_at
    assert AuditEvent.objects.filter(action="project.cancel_planned_visit").count() == 1
    other = services.supervision_visit_plan(
        project=projects[0], date=TODAY() + timedelta(days=2), actor=None
    )
    with pytest.raises(TransitionError) as refused:
        services.planned_visit_cancel(
            planned=other, actor=None, today=other.date + timedelta(days=1)
        )
    assert refused.value.message == "该监督视察的计划日期已过，不能取消。"


def test_those_already_reminded_are_told_of_a_cancellation(
    lw, projects, group, personas, django_capture_on_commit_callbacks
):
    planned = services.supervision_visit_plan(
        project=projects[0], date=TODAY() + timedelta(days=1), group=group, actor=None
    )
    run_reminders(TODAY(), jobs=["livelihood_planned_visits"])
    with django_capture_on_commit_callbacks(execute=True):
        services.planned_visit_cancel(planned=planned, actor=personas.township_staff)
    told = Notification.objects.filter(kind="livelihood.visit_cancelled")
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "th01",
        "th02",
        "th03",
        "township_staff",
    ]
    assert told.first().title == (
        f"{planned.date.isoformat()}对民生实事项目“候选项目1”的监督视察已取消"
    )


# --- the pages ---------------------------------------------------------------------------


def test_staff_plan_a_visit_on_the_project_page(client, projects, group, personas):
    client.force_login(personas.township_staff)
    project = projects[0]
    page = client.get(reverse("livelihood:project", args=[project.pk]))
    assert "安排监督视察" in page.content.decode()
    response = client.post(
        plan_url(project),
        {"date": later(), "group": group.pk, "purpose": "查看路面硬化质量"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#visits")
    planned = PlannedVisit.objects.get()
    assert (planned.group, planned.date.isoformat()) == (group, later())
    html = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert "查看路面硬化质量" in html and "取消计划" in html


def test_a_past_date_is_refused_in_chinese(client, projects, personas):
    client.force_login(personas.township_staff)
    response = client.post(plan_url(projects[0]), {"date": "2020-01-01"})
    assert response.status_code == 400
    assert "计划日期应晚于今天" in response.content.decode()
    missing = client.post(plan_url(projects[0]), {"date": ""})
    assert missing.status_code == 400 and "请填写计划日期" in missing.content.decode()
    assert not PlannedVisit.objects.exists()


def test_who_may_plan_a_visit(client, lw, projects, personas):
    url = plan_url(projects[0])
    for user in (personas.township_gov, lw.users[0], personas.leader):
        client.force_login(user)  # in scope (sees the project or programme), not staff
        assert client.post(url, {"date": later()}).status_code == 403
    for user in (personas.other_county_staff, personas.other_unit_staff):
        client.force_login(user)
        assert client.post(url, {"date": later()}).status_code == 404
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 405
    assert not PlannedVisit.objects.exists()


def test_who_may_cancel_a_planned_visit(client, lw, projects, personas):
    planned = services.supervision_visit_plan(
        project=projects[0], date=TODAY() + timedelta(days=4), actor=None
    )
    url = reverse("livelihood:planned_visit_cancel", args=[planned.pk])
    client.force_login(personas.township_gov)
    assert client.post(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.post(url).status_code == 404
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.cancelled_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "计划的监督视察已取消" in html and "没有计划中的监督视察" in html


def test_only_upcoming_plans_are_listed(client, projects, personas):
    project = projects[0]
    services.supervision_visit_plan(
        project=project,
        date=TODAY() + timedelta(days=2),
        purpose="将要视察",
        actor=None,
    )
    gone = services.supervision_visit_plan(
        project=project,
        date=TODAY() + timedelta(days=3),
        purpose="已取消的",
        actor=None,
    )
    services.planned_visit_cancel(planned=gone, actor=None)
    PlannedVisit.objects.create(
        project=project, date=date(2020, 1, 1), purpose="很早以前"
    )
    client.force_login(personas.township_staff)
    html = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert "将要视察" in html
    assert "已取消的" not in html and "很早以前" not in html


def test_the_implementing_unit_is_not_shown_planned_visits(client, projects, personas):
    project = projects[0]
    services.supervision_visit_plan(
        project=project,
        date=TODAY() + timedelta(days=2),
        purpose="暗访工地",
        actor=None,
    )
    client.force_login(personas.township_gov)  # implements the project
    html = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert "暗访工地" not in html and "计划中的监督视察" not in html
