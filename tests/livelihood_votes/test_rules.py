"""The vote's figures are rule-set values (portal/rules.py), read through
``rules_for(programme.congress)``: the majority base (locked into the round at
open), the plan deadline and the progress flag's thresholds."""

from datetime import date

import pytest
from django.utils import timezone

from livelihood_votes import reports, services
from livelihood_votes.models import Candidate, Project
from livelihood_votes.selectors.common import majority_base_of
from portal.models import RuleSet
from portal.workdays import add_months
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db


def _rules(lw, **values):
    return RuleSet.objects.create(
        congress=lw.congress, name="桃花乡规则", values=values
    )


def test_majority_of_all_deputies_by_default(lw):
    vote_round = open_round(lw, present=40)
    assert vote_round.rules["majority_base"] == "all"
    assert vote_round.rules["majority"] == 52
    cast_votes(vote_round, lw, [(21, [0, 1, 2, 3, 4, 5, 6]), (19, [7, 8, 9])])
    services.round_close(vote_round=vote_round, actor=None)
    # 21 approvals do not exceed half of all 52 deputies.
    assert not Candidate.objects.filter(status="selected").exists()


def test_majority_of_those_present_when_the_rule_says_so_locked_at_open(lw):
    rule_set = _rules(lw, livelihood_majority_base="present")
    vote_round = open_round(lw, present=40)
    assert vote_round.rules["majority_base"] == "present"
    assert vote_round.rules["majority"] == 40
    # The rule set changes while the round is open: the round keeps its rules.
    rule_set.values = {"livelihood_majority_base": "all"}
    rule_set.save()
    cast_votes(vote_round, lw, [(21, [0, 1, 2, 3, 4, 5, 6]), (19, [7, 8, 9])])
    services.round_close(vote_round=vote_round, actor=None)
    selected = Candidate.objects.filter(status="selected")
    assert set(selected.values_list("pk", flat=True)) == {
        c.pk for c in lw.candidates[:7]
    }
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "implementing"
    result = majority_base_of(vote_round.__class__.objects.get(pk=vote_round.pk))
    assert result == 40


def test_plan_due_and_flag_thresholds_come_from_the_rules(lw):
    _rules(
        lw,
        livelihood_plan_due_months=2,
        livelihood_progress_amber_points=5,
        livelihood_progress_red_points=15,
    )
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.order_by("pk").first()
    assert project.plan_due == add_months(timezone.localdate(), 2)
    assert (project.flag_amber_points, project.flag_red_points) == (5, 15)
    services.project_submit_plan(
        project=project,
        plan="计划",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 1),
        actor=None,
    )
    day = date(2027, 3, 1)  # about 49% of the planned time
    for progress, flag in [(42, "amber"), (32, "red"), (47, "green")]:
        Project.objects.filter(pk=project.pk).update(progress=progress)
        project.refresh_from_db()
        assert services.progress_flag(project, day) == flag, progress
        # The report's SQL expression reads the same thresholds.
        sql = (
            Project.objects.filter(pk=project.pk)
            .annotate(flag=reports.progress_flag_expression(day))
            .values_list("flag", flat=True)
            .get()
        )
        assert sql == flag, progress


def test_default_thresholds_are_ten_and_thirty_points(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.order_by("pk").first()
    assert project.plan_due == add_months(timezone.localdate(), 1)
    assert (project.flag_amber_points, project.flag_red_points) == (10, 30)
