"""政府办、人大督、代表评: plans, progress, consent for changes, flags, evaluation grades."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from livelihood_votes import services
from livelihood_votes.models import Project
from portal.services import DomainError, Forbidden, TransitionError
from tests.livelihood_votes.conftest import cast_votes, open_evaluation, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return list(Project.objects.order_by("candidate__order"))


def test_selected_candidates_become_projects_with_a_plan_due_in_a_month(projects):
    assert len(projects) == 7
    assert projects[0].plan_due > timezone.localdate()
    assert projects[0].budget == Decimal("50.00")


def test_progress_needs_a_plan_and_sane_values(projects):
    project = projects[0]
    with pytest.raises(TransitionError, match="请先提交实施计划"):
        services.progress_report(
            project=project,
            date=date.today(),
            progress=10,
            money_paid=Decimal(1),
            note="x",
            actor=None,
        )
    services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )
    with pytest.raises(DomainError, match="进度应在0到100之间"):
        services.progress_report(
            project=project,
            date=date.today(),
            progress=120,
            money_paid=Decimal(1),
            note="x",
            actor=None,
        )
    services.progress_report(
        project=project,
        date=date.today(),
        progress=100,
        money_paid=Decimal("48.5"),
        note="完工",
        actor=None,
    )
    project.refresh_from_db()
    assert project.status == "completed" and project.money_paid == Decimal("48.5")


def test_flags(projects):
    project = projects[0]
    today = date(2027, 3, 1)
    assert (
        services.progress_flag(project, project.plan_due + timedelta(days=1)) == "red"
    )  # no plan, late
    services.project_submit_plan(
        project=project,
        plan="计划",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 1),
        actor=None,
    )
    project.progress = 40
    assert services.progress_flag(project, today) == "green"  # ~50% expected
    project.progress = 30
    assert services.progress_flag(project, today) == "amber"
    project.progress = 5
    assert services.progress_flag(project, today) == "red"
    assert services.progress_flag(project, date(2027, 6, 2)) == "red"


def test_termination_needs_presidium_consent(projects, personas):
    project = projects[0]
    request = services.change_request_create(
        project=project, kind="terminate", reason="选址无法落实", actor=None
    )
    with pytest.raises(TransitionError, match="已有待主席团审议的申请"):
        services.change_request_create(
            project=project, kind="change", reason="x", actor=None
        )
    project.refresh_from_db()
    assert project.status == "planning"
    services.change_request_decide(
        request=request, consent=True, actor=personas.township_staff
    )
    project.refresh_from_db()
    assert project.status == "terminated"


def test_supervision_visit_and_answer(projects, lw):
    group = services.supervision_group_create(
        programme=lw.programme,
        name="第一监督小组",
        members=lw.deputies[:5],
        projects=projects[:2],
        actor=None,
    )
    visit = services.supervision_visit_record(
        project=projects[0],
        group=group,
        date=date.today(),
        findings="进度滞后",
        suggestion="加快施工",
        actor=None,
    )
    services.supervision_visit_answer(visit=visit, answer="已增加施工人员", actor=None)
    visit.refresh_from_db()
    assert visit.answered_at is not None


def test_grading_rule():
    assert services.grade(27, 0, 52) == "satisfied"
    assert services.grade(26, 1, 52) == "basically_satisfied"
    assert services.grade(10, 16, 52) == "dissatisfied"


def test_secret_evaluation_and_rectification(projects, lw):
    evaluation = open_evaluation(lw)
    ids = [p.pk for p in projects]
    with pytest.raises(DomainError, match="请对每个项目作出评价"):
        services.evaluation_cast(
            evaluation=evaluation, actor=lw.users[0], choices={ids[0]: "satisfied"}
        )
    for n, user in enumerate(lw.users):
        choice = "satisfied" if n < 30 else "dissatisfied"
        choices = dict.fromkeys(ids, choice)
        choices[ids[-1]] = "dissatisfied"
        services.evaluation_cast(evaluation=evaluation, actor=user, choices=choices)
    with pytest.raises(TransitionError, match="您已经参加过本次测评"):
        services.evaluation_cast(
            evaluation=evaluation,
            actor=lw.users[0],
            choices=dict.fromkeys(ids, "satisfied"),
        )
    services.evaluation_close(evaluation=evaluation, actor=None)
    grades = dict(Project.objects.values_list("pk", "grade"))
    assert grades[ids[0]] == "satisfied" and grades[ids[-1]] == "dissatisfied"
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "evaluated"
    bad = Project.objects.get(pk=ids[-1])
    with pytest.raises(DomainError, match="请填写书面说明"):
        services.project_rectify(
            project=bad,
            explanation="",
            due=date.today() + timedelta(days=30),
            actor=None,
        )
    services.project_rectify(
        project=bad,
        explanation="资金未及时到位",
        due=date.today() + timedelta(days=90),
        actor=None,
    )
    bad.refresh_from_db()
    assert bad.carried_over

    # 整改 follow-up before archiving: report, then the deputies evaluate again.
    with pytest.raises(TransitionError, match="须整改、报告整改情况并经代表再次测评"):
        services.programme_advance(programme=lw.programme, actor=None)
    with pytest.raises(TransitionError, match="实施单位报告整改情况后才能再次测评"):
        services.project_reevaluate(
            project=bad, satisfied=40, basically=0, dissatisfied=0, actor=None
        )
    with pytest.raises(DomainError, match="请填写整改情况"):
        services.project_rectification_report(project=bad, report=" ", actor=None)
    bad = services.project_rectification_report(
        project=bad, report="资金已到位，工程已完工", actor=None
    )
    assert bad.rectified_at is not None
    with pytest.raises(DomainError, match="不能超过全体代表人数（52）"):
        services.project_reevaluate(
            project=bad, satisfied=40, basically=10, dissatisfied=10, actor=None
        )
    bad = services.project_reevaluate(
        project=bad, satisfied=30, basically=10, dissatisfied=5, actor=None
    )
    assert bad.regrade == "satisfied"
    with pytest.raises(TransitionError, match="整改后已再次测评"):
        services.project_rectification_report(project=bad, report="x", actor=None)
    archived = services.programme_advance(
        programme=lw.programme, to="archived", actor=None
    )
    assert archived.phase == "archived"


def test_deliberation_by_deputies_only(lw, personas):
    lw.programme.phase = "deliberation"
    lw.programme.save()
    comment = services.deliberation_comment(
        candidate=lw.candidates[0], actor=lw.users[0], text="建议优先实施"
    )
    assert comment.mandate == lw.deputies[0]
    with pytest.raises(Forbidden):
        services.deliberation_comment(
            candidate=lw.candidates[0], actor=personas.township_staff, text="x"
        )


def test_screening_records_the_reason(lw):
    lw.programme.phase = "collecting"
    lw.programme.save()
    idea = services.idea_submit(
        programme=lw.programme,
        title="新建乡政府办公楼",
        description="改善办公条件的项目",
        actor=None,
    )
    with pytest.raises(DomainError, match="负面清单"):
        services.idea_screen(idea=idea, accept=False, actor=None)
    services.idea_screen(
        idea=idea, accept=False, reason="属于负面清单：楼堂馆所", actor=None
    )
    idea.refresh_from_db()
    assert idea.status == "screened_out"


def test_phase_advance_checks_the_candidate_margin(lw):
    lw.programme.phase = "assessing"
    lw.programme.save()
    services.programme_set_seats(programme=lw.programme, seats=10, actor=None)
    with pytest.raises(TransitionError, match="至少需要11个，目前10个"):
        services.programme_advance(programme=lw.programme, actor=None)
    services.programme_set_seats(programme=lw.programme, seats=7, actor=None)
    assert (
        services.programme_advance(programme=lw.programme, actor=None).phase
        == "candidates"
    )
    assert lw.programme.phase_events.filter(to_state="candidates").exists()
