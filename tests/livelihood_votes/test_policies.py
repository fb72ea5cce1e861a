"""Who may and who may NOT take each action (livelihood_votes/policies.py): the
user's scope joined with the programme's phase, the round's and the project's
state. County staff manage the townships below them; leaders only read."""

from datetime import date

import pytest

from livelihood_votes import services
from livelihood_votes.models import EvaluationRound, Programme, Project, VoteRound
from livelihood_votes.policies import (
    EvaluationPolicy,
    ProgrammePolicy,
    ProjectPolicy,
    RoundPolicy,
    implements_any,
    township_gov_only,
    voter,
)
from portal.models import HandlingUnit
from portal.policies import Forbidden
from tests.livelihood_votes.conftest import cast_votes, open_round, sign_in

pytestmark = pytest.mark.django_db

MANAGERS = ["admin", "township_staff"]
# Govern the township from above: read (and supervise), never act in its vote —
# upper and lower congresses have no leadership relation.
READERS = ["leader", "county_staff", "province_staff"]
OUTSIDERS = [
    "other_county_staff",
    "township_gov",
    "unit_staff",
    "deputy",
    "other_deputy",
    "nobody",
]


def _user(personas, lw, who):
    if who == "township_deputy":
        return lw.users[0]
    return getattr(personas, who)


def _advance_to(programme, phase):
    while programme.phase != phase:
        programme = services.programme_advance(programme=programme, actor=None)
    return programme


def _fresh(programme):
    """The programme as the pages fetch it (with the policy's facts)."""
    return Programme.objects.with_policy_facts().get(pk=programme.pk)


@pytest.fixture
def projects(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return list(
        Project.objects.with_policy_facts()
        .select_related("implementing_unit__region")
        .order_by("candidate__order")
    )


# --- programmes: who ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", MANAGERS)
def test_managers_view_and_manage_the_programme(lw, personas, who):
    user = _user(personas, lw, who)
    allowed = ProgrammePolicy.actions_for(user, _fresh(lw.programme))
    assert {"browse", "view", "manage", "advance", "screen_ideas"} <= allowed
    ProgrammePolicy.require(user, "manage", lw.programme)


@pytest.mark.parametrize("who", READERS)
def test_leader_reads_but_may_not_act(lw, personas, who):
    user = _user(personas, lw, who)
    allowed = ProgrammePolicy.actions_for(user, _fresh(lw.programme))
    assert allowed == {"browse", "view", "read_deliberation"}
    with pytest.raises(Forbidden) as refused:
        ProgrammePolicy.require(user, "manage", lw.programme)
    assert str(refused.value).startswith("只有本级人大工作人员可以执行此操作")


@pytest.mark.parametrize("who", [*OUTSIDERS, "township_deputy"])
def test_others_may_not_view_or_act_on_the_programme(lw, personas, who):
    user = _user(personas, lw, who)
    allowed = ProgrammePolicy.actions_for(user, _fresh(lw.programme))
    assert allowed - {"browse"} == set()
    with pytest.raises(Forbidden):
        ProgrammePolicy.require(user, "view", lw.programme)


def test_browse_is_for_congress_staff_and_leaders(lw, personas):
    assert ProgrammePolicy.allows(personas.other_county_staff, "browse")
    assert ProgrammePolicy.allows(personas.leader, "browse")
    for who in ["township_gov", "unit_staff", "deputy", "nobody"]:
        assert not ProgrammePolicy.allows(getattr(personas, who), "browse"), who
    assert not ProgrammePolicy.allows(lw.users[0], "browse")
    with pytest.raises(Forbidden) as refused:
        ProgrammePolicy.require(personas.township_gov, "browse")
    assert str(refused.value) == "只有人大工作人员可以查看民生实事项目计划。"


def test_anonymous_may_do_nothing(lw):
    from django.contrib.auth.models import AnonymousUser

    assert ProgrammePolicy.actions_for(AnonymousUser(), _fresh(lw.programme)) == set()


# --- programmes: when (the phase map) -------------------------------------------------------


def test_actions_follow_the_phase_map(lw, personas):
    staff = personas.township_staff
    programme = lw.programme

    def allowed():
        return ProgrammePolicy.actions_for(staff, _fresh(programme))

    assert {"advance", "screen_ideas", "pool_opinions", "set_seats"} <= allowed()
    assert not {"add_candidate", "create_round", "create_evaluation"} & allowed()

    programme = _advance_to(programme, "assessing")
    assert {"advance", "add_candidate", "set_seats"} <= allowed()
    assert not {"screen_ideas", "pool_opinions", "create_round"} & allowed()

    programme = _advance_to(programme, "deliberation")
    assert {"add_candidate", "create_round", "set_seats"} <= allowed()
    assert "advance" not in allowed()  # voting begins with the first round

    vote_round = services.round_create(
        programme=programme, mode="electronic", actor=None
    )
    # The first round moves the programme to voting; a draft round locks nothing.
    assert {"set_seats"} <= allowed()
    assert not {"create_round", "add_candidate", "advance"} & allowed()
    sign_in(vote_round, lw)
    services.round_open(vote_round=vote_round, actor=None)
    assert not {"add_candidate", "set_seats", "advance"} & allowed()
    assert not {"create_further_round", "conclude_vote"} & allowed()


def test_create_round_needs_more_candidates_than_seats(lw, personas):
    programme = _advance_to(lw.programme, "deliberation")
    services.programme_set_seats(programme=programme, seats=10, actor=None)
    assert not ProgrammePolicy.allows(
        personas.township_staff, "create_round", _fresh(programme)
    )
    services.programme_set_seats(programme=programme, seats=9, actor=None)
    assert ProgrammePolicy.allows(
        personas.township_staff, "create_round", _fresh(programme)
    )


FURTHER = {"create_further_round", "conclude_vote"}


def test_unfilled_seats_offer_a_further_round_or_concluding(lw, personas):
    staff = personas.township_staff
    vote_round = open_round(lw)
    # Three candidates pass half of all 52 deputies; four seats stay unfilled.
    cast_votes(vote_round, lw, [(30, [0, 1, 2]), (22, [3])])
    services.round_close(vote_round=vote_round, actor=None)
    programme = _fresh(lw.programme)
    assert programme.phase == "voting"
    assert ProgrammePolicy.actions_for(staff, programme) >= FURTHER
    assert not FURTHER & ProgrammePolicy.actions_for(personas.leader, programme)
    assert not FURTHER & ProgrammePolicy.actions_for(lw.users[0], programme)
    plain = Programme.objects.get(pk=programme.pk)
    assert ProgrammePolicy.actions_for(staff, plain) == (
        ProgrammePolicy.actions_for(staff, programme)
    )
    services.round_create(programme=programme, mode="electronic", actor=None)
    # The further round waits as a draft: nothing to decide meanwhile.
    assert not FURTHER & ProgrammePolicy.actions_for(staff, _fresh(programme))


def test_nothing_selected_allows_only_a_further_round_up_to_the_limit(lw, personas):
    staff = personas.township_staff
    vote_round = open_round(lw)
    for number in (1, 2, 3):  # livelihood_max_rounds: 3 by default
        services.round_close(vote_round=vote_round, actor=None)  # no ballot at all
        actions = ProgrammePolicy.actions_for(staff, _fresh(lw.programme))
        assert "conclude_vote" not in actions
        assert ("create_further_round" in actions) == (number < 3)
        if number < 3:
            vote_round = services.round_create(
                programme=lw.programme, mode="electronic", actor=None
            )
            vote_round = services.round_open(vote_round=vote_round, actor=None)


def test_evaluation_opens_once_while_implementing(lw, personas, projects):
    staff = personas.township_staff
    programme = _fresh(lw.programme)
    assert {"create_evaluation", "form_supervision_group", "decide_changes"} <= (
        ProgrammePolicy.actions_for(staff, programme)
    )
    assert not ProgrammePolicy.allows(personas.leader, "create_evaluation", programme)
    services.evaluation_create(programme=programme, mode="paper", actor=None)
    assert not ProgrammePolicy.allows(staff, "create_evaluation", _fresh(programme))


def test_facts_from_the_query_agree_with_the_fallback(lw, personas):
    staff = personas.township_staff
    programme = lw.programme = _advance_to(lw.programme, "deliberation")
    open_round(lw)
    plain = Programme.objects.get(pk=programme.pk)
    annotated = _fresh(programme)
    assert ProgrammePolicy.actions_for(staff, plain) == ProgrammePolicy.actions_for(
        staff, annotated
    )


def test_annotated_facts_cost_no_query(lw, personas, django_assert_num_queries):
    staff = personas.township_staff
    programme = _fresh(_advance_to(lw.programme, "deliberation"))
    ProgrammePolicy.flags(staff, programme)  # the scope is read once per request
    with django_assert_num_queries(0):
        ProgrammePolicy.flags(staff, programme)


# --- rounds and evaluations ---------------------------------------------------------------------


def test_round_actions_follow_its_status(lw, personas):
    staff, leader = personas.township_staff, personas.leader
    programme = _advance_to(lw.programme, "deliberation")
    vote_round = services.round_create(programme=programme, mode="paper", actor=None)
    assert RoundPolicy.actions_for(staff, vote_round) == {
        "manage",
        "open",
        "record_attendance",
    }
    assert RoundPolicy.actions_for(leader, vote_round) == set()
    sign_in(vote_round, lw)
    vote_round = services.round_open(vote_round=vote_round, actor=None)
    assert RoundPolicy.actions_for(staff, vote_round) == {
        "manage",
        "close",
        "enter_counts",
        "record_attendance",
    }
    for who in ["leader", "other_county_staff", "township_gov", "deputy"]:
        assert RoundPolicy.actions_for(getattr(personas, who), vote_round) == set()
    assert RoundPolicy.actions_for(lw.users[0], vote_round) == set()


def test_electronic_round_has_no_paper_counts(lw, personas):
    vote_round = open_round(lw)
    assert RoundPolicy.actions_for(personas.township_staff, vote_round) == {
        "manage",
        "close",
        "record_attendance",
    }
    assert RoundPolicy.actions_for(personas.county_staff, vote_round) == set()
    with pytest.raises(Forbidden):
        RoundPolicy.require(personas.leader, "manage", vote_round)


def test_evaluation_actions(lw, personas, projects):
    evaluation = services.evaluation_create(
        programme=lw.programme, mode="paper", actor=None
    )
    staff = personas.township_staff
    assert EvaluationPolicy.actions_for(staff, evaluation) == {
        "manage",
        "record_attendance",
        "open",
    }
    assert EvaluationPolicy.actions_for(personas.county_staff, evaluation) == set()
    services.evaluation_attendance_record(
        evaluation=evaluation, mandates=lw.deputies, actor=None
    )
    evaluation = services.evaluation_open(evaluation=evaluation, actor=None)
    assert EvaluationPolicy.actions_for(staff, evaluation) == {
        "manage",
        "record_attendance",
        "close",
        "enter_counts",
    }
    assert EvaluationPolicy.actions_for(personas.leader, evaluation) == set()
    assert EvaluationPolicy.actions_for(lw.users[0], evaluation) == set()
    services.evaluation_enter_paper(
        evaluation=evaluation,
        returned=40,
        counts={p.pk: (30, 5, 5) for p in projects},
        actor=None,
    )
    services.evaluation_close(evaluation=evaluation, actor=None)
    evaluation = EvaluationRound.objects.get(pk=evaluation.pk)
    assert EvaluationPolicy.actions_for(staff, evaluation) == {"manage"}


# --- deputies ------------------------------------------------------------------------------------


def test_only_deputies_of_the_congress_may_vote(lw, personas):
    mandate, reason = voter(lw.users[0], lw.congress)
    assert mandate == lw.deputies[0] and reason == ""
    for user in (personas.deputy, personas.township_staff, personas.nobody):
        mandate, reason = voter(user, lw.congress)
        assert mandate is None
        assert reason == "只有桃花乡人民代表大会的代表可以参加表决。"


def test_a_suspended_deputy_may_not_vote(lw):
    from deputies.services import mandate_suspend

    mandate_suspend(
        mandate=lw.deputies[0], ground="detained", on=date(2026, 11, 1), actor=None
    )
    mandate, reason = voter(lw.users[0], lw.congress)
    assert mandate is None and reason


# --- projects ---------------------------------------------------------------------------------


def test_implementer_works_on_the_project_staff_supervise(lw, personas, projects):
    project = projects[0]
    gov = ProjectPolicy.actions_for(personas.township_gov, project)
    assert gov == {
        "browse",
        "view",
        "implement",
        "submit_plan",
        "request_change",
        "answer_visits",
    }
    staff = ProjectPolicy.actions_for(personas.township_staff, project)
    assert staff == {"browse", "view", "manage", "record_visit", "decide_changes"}
    assert ProjectPolicy.actions_for(personas.leader, project) == {"browse", "view"}
    for who in ["other_county_staff", "unit_staff", "other_unit_staff"]:
        assert "view" not in ProjectPolicy.actions_for(getattr(personas, who), project)
    assert ProjectPolicy.actions_for(lw.users[0], project) == set()
    with pytest.raises(Forbidden) as refused:
        ProjectPolicy.require(personas.township_staff, "implement", project)
    assert str(refused.value) == "只有项目实施单位可以执行此操作。"


def test_the_implementing_unit_acts_on_its_own_project_only(lw, personas, world):
    unit_candidate = lw.candidates[0]
    unit_candidate.lead_unit = world.unit
    unit_candidate.save(update_fields=["lead_unit"])
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    mine = Project.objects.get(candidate=unit_candidate)
    other = Project.objects.exclude(pk=mine.pk).first()
    assert mine.implementing_unit == world.unit
    assert ProjectPolicy.allows(personas.unit_staff, "implement", mine)
    assert not ProjectPolicy.allows(personas.unit_staff, "implement", other)
    assert not ProjectPolicy.allows(personas.other_unit_staff, "implement", mine)
    assert implements_any(personas.unit_staff) and implements_any(personas.township_gov)
    assert not implements_any(personas.township_staff)


def test_project_actions_follow_its_state(lw, personas, projects):
    gov = personas.township_gov
    project = projects[0]
    services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )
    project = Project.objects.with_policy_facts().get(pk=project.pk)
    assert {"amend_plan", "report_progress", "request_change"} <= (
        ProjectPolicy.actions_for(gov, project)
    )
    assert "submit_plan" not in ProjectPolicy.actions_for(gov, project)
    services.change_request_create(
        project=project, kind="change", reason="调整选址", actor=gov
    )
    project = Project.objects.with_policy_facts().get(pk=project.pk)
    assert project.has_pending_change
    assert "request_change" not in ProjectPolicy.actions_for(gov, project)
    plain = Project.objects.get(pk=project.pk)
    assert "request_change" not in ProjectPolicy.actions_for(gov, plain)
    project.status = Project.Status.TERMINATED  # as the presidium's consent leaves it
    assert not {"amend_plan", "report_progress", "request_change"} & (
        ProjectPolicy.actions_for(gov, project)
    )
    assert "answer_visits" in ProjectPolicy.actions_for(gov, project)


def test_rectify_only_a_dissatisfied_project(lw, personas, projects):
    project = projects[0]
    assert not ProjectPolicy.allows(personas.township_staff, "rectify", project)
    project.grade = "dissatisfied"
    assert ProjectPolicy.allows(personas.township_staff, "rectify", project)
    assert not ProjectPolicy.allows(personas.leader, "rectify", project)
    assert not ProjectPolicy.allows(personas.township_gov, "rectify", project)


def test_project_browse_and_navigation(lw, personas):
    for who in ["township_gov", "unit_staff", "leader", "township_staff", "admin"]:
        assert ProjectPolicy.allows(getattr(personas, who), "browse"), who
    assert not ProjectPolicy.allows(lw.users[0], "browse")
    assert not ProjectPolicy.allows(personas.nobody, "browse")
    assert township_gov_only(personas.township_gov)
    assert not township_gov_only(personas.township_staff)
    assert HandlingUnit.objects.filter(kind="township_gov").exists()


def test_vote_round_lookup_is_scoped(lw, personas):
    vote_round = open_round(lw)
    assert VoteRound.objects.visible_to(personas.township_staff).filter(
        pk=vote_round.pk
    )
    assert VoteRound.objects.visible_to(lw.users[0]).filter(pk=vote_round.pk)
    assert not VoteRound.objects.visible_to(personas.other_county_staff).filter(
        pk=vote_round.pk
    )
