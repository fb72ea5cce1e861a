"""The vote (大会决): secrecy, eligibility, majority of ALL deputies, ties, paper mode, locking."""

import contextlib
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from deputies.services import mandate_suspend
from livelihood_votes import selectors, services
from livelihood_votes.models import (
    Ballot,
    Participation,
    Project,
    RoundResult,
    VoteRound,
)
from portal.models import Term
from portal.services import DomainError, Forbidden, TransitionError
from tests.factories import make_mandate
from tests.livelihood_votes.conftest import (
    cast_votes,
    open_round,
    sign_in,
    to_deliberation,
)

pytestmark = pytest.mark.django_db


def test_one_programme_per_congress_and_year(lw):
    with pytest.raises(ValidationError, match="2026年的民生实事项目计划已存在"):
        services.programme_create(congress=lw.congress, year=2026, seats=5, actor=None)


def test_round_needs_more_candidates_than_seats(lw):
    to_deliberation(lw)
    services.programme_set_seats(programme=lw.programme, seats=10, actor=None)
    with pytest.raises(TransitionError, match="候选项目数（10）应多于票决项目数（10）"):
        services.round_create(programme=lw.programme, mode="electronic", actor=None)


def test_quorum_is_counted_from_the_sign_in(lw):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    assert sign_in(vote_round, lw, 34) == 34
    with pytest.raises(TransitionError, match="已签到代表34人，不足全体代表52人的2/3"):
        services.round_open(vote_round=vote_round, actor=None)
    assert sign_in(vote_round, lw, 35) == 35  # idempotent for the first 34
    opened = services.round_open(vote_round=vote_round, actor=None)
    assert (opened.status, opened.eligible, opened.present) == ("open", 52, 35)
    assert opened.rules["seats"] == 7 and len(opened.rules["candidates"]) == 10


def test_rules_are_locked_once_voting_opens(lw):
    open_round(lw)
    with pytest.raises(TransitionError, match="规则已锁定"):
        services.programme_set_seats(programme=lw.programme, seats=5, actor=None)
    with pytest.raises(TransitionError, match="不能再增加候选项目"):
        services.candidate_create(
            programme=lw.programme,
            title="新项目",
            description="x",
            estimated_cost=Decimal(1),
            actor=None,
        )


def test_ballot_rules(lw):
    vote_round = open_round(lw)
    ids = [c.pk for c in lw.candidates]
    with pytest.raises(DomainError, match="赞成的项目不能超过7个"):
        services.ballot_cast(vote_round=vote_round, actor=lw.users[0], approve=ids[:8])
    with pytest.raises(DomainError, match="只能标记一次"):
        services.ballot_cast(
            vote_round=vote_round, actor=lw.users[0], approve=[ids[0], ids[0]]
        )
    receipt = services.ballot_cast(
        vote_round=vote_round, actor=lw.users[0], approve=ids[:7]
    )
    assert len(receipt) == 10
    with pytest.raises(TransitionError, match="您已经投过票"):
        services.ballot_cast(vote_round=vote_round, actor=lw.users[0], approve=ids[:1])
    assert Ballot.objects.count() == Participation.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "other_congress", "suspended"])
def test_only_active_deputies_of_the_congress_vote(lw, personas, world, who):
    vote_round = open_round(lw)
    if who == "staff":
        user = personas.township_staff
        message = "只有本级人民代表大会的代表可以参加"
    elif who == "other_congress":
        user = personas.other_deputy
        Term.objects.create(
            congress=world.other_township_congress,
            number=19,
            start_date=date(2026, 9, 25),
            end_date=date(2031, 9, 24),
            is_current=True,
        )
        make_mandate(world.other_township_congress, "外乡代表", user=user)
        message = "只有本级人民代表大会的代表可以参加"
    else:
        mandate_suspend(
            mandate=lw.deputies[0], ground="detained", on=date(2026, 11, 1), actor=None
        )
        user = lw.users[0]
        message = "已暂停执行代表职务，不能参加表决"
    with pytest.raises(Forbidden, match=message):
        services.ballot_cast(
            vote_round=vote_round, actor=user, approve=[lw.candidates[0].pk]
        )
    assert not Ballot.objects.exists()


def test_ballot_only_while_open(lw):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    with pytest.raises(TransitionError, match="本轮票决未在进行中"):
        services.ballot_cast(vote_round=vote_round, actor=lw.users[0], approve=[])


def test_majority_of_all_deputies_not_of_voters(lw):
    vote_round = open_round(lw, present=40)
    # 40 deputies vote: candidates 0-5 get 40 approvals, candidate 6 gets 25 (not > 52/2), 7 gets 15.
    cast_votes(
        vote_round, lw, [(25, [0, 1, 2, 3, 4, 5, 6]), (15, [0, 1, 2, 3, 4, 5, 7])]
    )
    services.round_close(vote_round=vote_round, actor=None)
    results = {r.candidate_id: r for r in RoundResult.objects.filter(round=vote_round)}
    assert results[lw.candidates[6].pk].approvals == 25
    assert not results[
        lw.candidates[6].pk
    ].selected  # within k=7 but 25 is not more than half of 52
    assert sum(r.selected for r in results.values()) == 6
    # One seat unfilled: the programme stays in voting until staff decide.
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "voting" and not Project.objects.exists()
    services.programme_conclude_vote(programme=lw.programme, actor=None)
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "implementing"
    assert Project.objects.count() == 6
    assert set(lw.programme.candidates.values_list("status", flat=True)) == {
        "selected",
        "reserve",
    }


def test_a_three_way_tie_at_the_cut_off_goes_to_a_second_round(lw):
    services.programme_set_seats(programme=lw.programme, seats=2, actor=None)
    vote_round = open_round(lw)
    # 17 vote {0,1}, 17 vote {1,2}, 17 vote {0,2}, 1 votes nothing: 34 each, all above 26
    cast_votes(vote_round, lw, [(17, [0, 1]), (17, [1, 2]), (17, [0, 2]), (1, [])])
    services.round_close(vote_round=vote_round, actor=None)
    results = selectors.round_results(vote_round)
    top = results["candidates"][:3]
    assert [r["approvals"] for r in top] == [34, 34, 34]
    assert not any(r["selected"] for r in results["candidates"])
    assert all(r["tied"] for r in top)
    second = VoteRound.objects.get(programme=lw.programme, number=2)
    assert second.seats == 2 and second.candidates.count() == 3
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "voting" and not Project.objects.exists()


def test_candidates_ranked_within_k_above_majority_are_all_selected(lw):
    vote_round = open_round(lw)
    cast_votes(
        vote_round, lw, [(30, [0, 1, 2, 3, 4, 5, 6]), (22, [0, 1, 2, 3, 4, 5, 8])]
    )
    services.round_close(vote_round=vote_round, actor=None)
    results = {
        r["candidate"]: r for r in selectors.round_results(vote_round)["candidates"]
    }
    assert (
        results[lw.candidates[6].pk]["approvals"] == 30
        and results[lw.candidates[6].pk]["selected"]
    )
    assert not results[lw.candidates[8].pk][
        "selected"
    ]  # 22, not a majority of all deputies
    assert results[lw.candidates[0].pk]["approvals"] == 52


def test_paper_round_tie_creates_second_round_and_checks_totals(lw):
    services.programme_set_seats(programme=lw.programme, seats=3, actor=None)
    vote_round = open_round(lw, mode="paper", present=50)
    ids = [c.pk for c in lw.candidates]
    approvals = dict.fromkeys(ids, 0)
    approvals.update({ids[0]: 45, ids[1]: 40, ids[2]: 28, ids[3]: 28})
    with pytest.raises(ValidationError) as exc:
        services.paper_counts_enter(
            vote_round=vote_round,
            issued=50,
            returned=51,
            valid=49,
            void=2,
            approvals=approvals,
            actor=None,
        )
    assert set(exc.value.message_dict) == {"returned"}
    with pytest.raises(ValidationError) as exc:
        services.paper_counts_enter(
            vote_round=vote_round,
            issued=50,
            returned=49,
            valid=46,
            void=2,
            approvals=approvals,
            actor=None,
        )
    assert "有效票与无效票之和应等于收回选票数" in exc.value.message_dict["valid"][0]
    with pytest.raises(ValidationError, match="不能超过有效票数"):
        services.paper_counts_enter(
            vote_round=vote_round,
            issued=50,
            returned=49,
            valid=47,
            void=2,
            approvals={**approvals, ids[5]: 48},
            actor=None,
        )
    with pytest.raises(ValidationError, match="发出选票数不能超过出席代表人数"):
        services.paper_counts_enter(
            vote_round=vote_round,
            issued=51,
            returned=49,
            valid=47,
            void=2,
            approvals=approvals,
            actor=None,
        )
    services.paper_counts_enter(
        vote_round=vote_round,
        issued=50,
        returned=49,
        valid=47,
        void=2,
        approvals=approvals,
        actor=None,
    )
    services.round_close(vote_round=vote_round, actor=None)
    results = selectors.round_results(vote_round)
    assert (results["ballots"], results["void"]) == (49, 2)
    selected = [r["candidate"] for r in results["candidates"] if r["selected"]]
    tied = [r["candidate"] for r in results["candidates"] if r["tied"]]
    assert selected == [ids[0], ids[1]] and sorted(tied) == sorted([ids[2], ids[3]])
    second = VoteRound.objects.get(programme=lw.programme, number=2)
    assert second.seats == 1 and set(
        second.candidates.values_list("pk", flat=True)
    ) == {ids[2], ids[3]}
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "voting"
    # The second round is held in the same sitting: the sign-in carries over.
    assert second.attendances.count() == 50
    second = services.round_open(vote_round=second, actor=None)
    services.paper_counts_enter(
        vote_round=second,
        issued=50,
        returned=50,
        valid=50,
        void=0,
        approvals={ids[2]: 31, ids[3]: 19},
        actor=None,
    )
    services.round_close(vote_round=second, actor=None)
    assert selectors.round_results(second)["candidates"][0]["selected"]
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "implementing"
    assert set(Project.objects.values_list("candidate_id", flat=True)) == {
        ids[0],
        ids[1],
        ids[2],
    }


def test_results_only_after_close(lw):
    vote_round = open_round(lw)
    with pytest.raises(TransitionError, match="票决结束后才能查看结果"):
        selectors.round_results(vote_round)


def test_no_table_links_a_deputy_to_a_choice():
    ballot_fields = {f.name: f for f in Ballot._meta.get_fields()}
    for field in ballot_fields.values():
        assert not isinstance(field, (models.DateTimeField, models.DateField)), (
            field.name
        )
        if field.is_relation:
            assert field.related_model is VoteRound, field.name
    assert isinstance(
        Ballot._meta.pk, models.UUIDField
    )  # no insertion order to correlate
    participation_relations = {
        f.related_model for f in Participation._meta.get_fields() if f.is_relation
    }
    assert Ballot not in participation_relations
    assert not any(
        isinstance(f, models.DateTimeField) for f in Participation._meta.get_fields()
    )


# --- sign-in (签到), phases, further rounds (issue 12) -----------------------------


def test_a_deputy_not_signed_in_cannot_vote(lw):
    vote_round = open_round(lw, present=40)  # the first 40 are signed in
    with pytest.raises(Forbidden, match="您尚未签到"):
        services.ballot_cast(
            vote_round=vote_round, actor=lw.users[45], approve=[lw.candidates[0].pk]
        )
    services.ballot_cast(
        vote_round=vote_round, actor=lw.users[0], approve=[lw.candidates[0].pk]
    )
    assert Ballot.objects.count() == Participation.objects.count() == 1


def test_ballots_never_exceed_the_sign_in(lw):
    vote_round = open_round(lw, present=35)
    for user in lw.users:
        with contextlib.suppress(Forbidden):
            services.ballot_cast(
                vote_round=vote_round, actor=user, approve=[lw.candidates[0].pk]
            )
    assert Ballot.objects.filter(round=vote_round).count() == 35
    assert vote_round.present == 35


def test_deputy_signs_in_with_the_hall_code(lw):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    assert len(vote_round.check_in_code) == 6 and vote_round.check_in_code.isdigit()
    wrong = "000000" if vote_round.check_in_code != "000000" else "111111"
    with pytest.raises(DomainError, match="签到码不正确") as exc:
        services.round_check_in(vote_round=vote_round, code=wrong, actor=lw.users[0])
    assert exc.value.field == "code"
    assert services.round_check_in(
        vote_round=vote_round, code=vote_round.check_in_code, actor=lw.users[0]
    )
    assert not services.round_check_in(
        vote_round=vote_round, code=vote_round.check_in_code, actor=lw.users[0]
    )
    assert vote_round.attendances.get().method == "code"


def test_staff_cannot_sign_in_someone_outside_the_congress(lw, world):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    outsider = make_mandate(world.county_congress, "县代表")
    with pytest.raises(DomainError, match="县代表不是本级人民代表大会在任的代表"):
        services.round_attendance_record(
            vote_round=vote_round, mandates=[lw.deputies[0], outsider], actor=None
        )
    assert not vote_round.attendances.exists()


@pytest.mark.parametrize("phase_steps", [0, 1, 2, 3])
def test_a_round_needs_publication_and_deliberation_first(lw, phase_steps):
    for _ in range(phase_steps):
        lw.programme = services.programme_advance(programme=lw.programme, actor=None)
    assert lw.programme.phase != "deliberation"
    with pytest.raises(TransitionError, match="须先公布并经代表审议"):
        services.round_create(programme=lw.programme, mode="electronic", actor=None)
    assert not VoteRound.objects.exists()


def test_phases_advance_one_at_a_time(lw):
    with pytest.raises(TransitionError, match="不能跳过阶段"):
        services.programme_advance(
            programme=lw.programme, to="deliberation", actor=None
        )
    advanced = services.programme_advance(
        programme=lw.programme, to="screening", actor=None
    )
    assert advanced.phase == "screening"
    again = services.programme_advance(programme=advanced, to="screening", actor=None)
    assert again.phase == "screening"  # already there: a no-op


def test_no_project_elected_keeps_the_vote_open_for_a_further_round(lw):
    vote_round = open_round(lw, present=40)
    # 40 voters spread thin: nobody gets more than 26 approvals (half of 52).
    cast_votes(vote_round, lw, [(20, [0, 1, 2]), (20, [3, 4, 5])])
    services.round_close(vote_round=vote_round, actor=None)
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "voting" and not Project.objects.exists()
    with pytest.raises(TransitionError, match="尚无项目获得全体代表过半数赞成"):
        services.programme_conclude_vote(programme=lw.programme, actor=None)
    further = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    assert (further.number, further.seats, further.candidates.count()) == (2, 7, 10)
    assert further.attendances.count() == 40  # same sitting
    further = services.round_open(vote_round=further, actor=None)
    cast_votes(further, lw, [(30, [0, 1, 2, 3, 4, 5, 6]), (10, [7])])
    services.round_close(vote_round=further, actor=None)
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "implementing"
    assert Project.objects.count() == 7


def test_further_rounds_are_limited_by_the_rules(lw):
    from portal.models import RuleSet
    from portal.services import rule_set_update

    rule_set = RuleSet.objects.get_or_create(congress=lw.congress)[0]
    rule_set_update(rule_set=rule_set, values={"livelihood_max_rounds": 1}, actor=None)
    vote_round = open_round(lw, present=40)
    cast_votes(vote_round, lw, [(20, [0, 1, 2]), (20, [3, 4, 5])])
    services.round_close(vote_round=vote_round, actor=None)
    with pytest.raises(TransitionError, match="达到议事规则允许的最多轮次"):
        services.round_create(programme=lw.programme, mode="electronic", actor=None)


# --- budget (票决事和配置钱) and receipts ---------------------------------------------


def test_a_ballot_over_the_budget_is_refused_by_the_rule(lw):
    lw.programme.budget = Decimal("200")  # the 10 candidates cost 50 each
    lw.programme.save(update_fields=["budget"])
    vote_round = open_round(lw)
    ids = [c.pk for c in lw.candidates]
    with pytest.raises(
        DomainError, match="合计250.00万元，超出可用资金200.00万元"
    ) as exc:
        services.ballot_cast(vote_round=vote_round, actor=lw.users[0], approve=ids[:5])
    assert exc.value.field == "approve"
    assert services.ballot_cast(
        vote_round=vote_round, actor=lw.users[0], approve=ids[:4]
    )


def test_over_budget_only_warned_when_the_rule_says_so(lw):
    from portal.models import RuleSet
    from portal.services import rule_set_update

    rule_set = RuleSet.objects.get_or_create(congress=lw.congress)[0]
    rule_set_update(
        rule_set=rule_set, values={"livelihood_refuse_over_budget": False}, actor=None
    )
    lw.programme.budget = Decimal("200")
    lw.programme.save(update_fields=["budget"])
    vote_round = open_round(lw)
    ids = [c.pk for c in lw.candidates]
    cast_votes(vote_round, lw, [(40, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    budget = selectors.round_results(vote_round)["budget"]
    assert budget == {
        "available": "200.00",
        "from_upper": "0.00",
        "selected_cost": "350.00",
        "fits": False,
    }
    assert len(ids) == 10


def test_programme_budget_is_validated(lw):
    with pytest.raises(ValidationError) as exc:
        services.programme_create(
            congress=lw.congress,
            year=2027,
            seats=5,
            budget=Decimal("100"),
            budget_upper=Decimal("150"),
            actor=None,
        )
    assert set(exc.value.message_dict) == {"budget_upper"}


def test_the_receipt_proves_the_ballot_was_counted(lw, api):
    vote_round = open_round(lw)
    receipt = services.ballot_cast(
        vote_round=vote_round, actor=lw.users[0], approve=[lw.candidates[0].pk]
    )
    services.round_close(vote_round=vote_round, actor=None)
    url = f"/api/v1/public/livelihood-results/{vote_round.pk}/"
    assert api.get(url, {"receipt": receipt}).json()["receipt_counted"] is True
    assert api.get(url, {"receipt": "0000000000"}).json()["receipt_counted"] is False
    assert "receipt_counted" not in api.get(url).json()
