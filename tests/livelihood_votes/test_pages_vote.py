"""The deputies' pages: 我的票决, the phone ballot, the evaluation ballot, and
the hall screen."""

from datetime import date

import pytest
from django.urls import reverse

from deputies.services import mandate_suspend
from livelihood_votes import services
from livelihood_votes.models import Ballot, Participation, Project
from portal.models import Role
from portal.services import role_grant_create
from tests.livelihood_votes.conftest import (
    cast_votes,
    open_evaluation,
    open_round,
    sign_in,
    to_deliberation,
)

pytestmark = pytest.mark.django_db


def _vote_url(vote_round):
    return reverse("livelihood:vote", args=[vote_round.pk])


def _ids(lw, *indexes):
    return [str(lw.candidates[i].pk) for i in indexes]


@pytest.fixture
def voting(lw):
    return open_round(lw)


# --- the ballot ---------------------------------------------------------------------------


def test_deputy_sees_the_ballot_with_candidates_and_counter(client, lw, voting):
    client.force_login(lw.users[0])
    response = client.get(_vote_url(voting))
    assert response.status_code == 200
    html = response.content.decode()
    assert "候选项目1" in html and "候选项目10" in html
    assert "估算投资 50.00 万元" in html
    assert 'data-lv-max="7"' in html and "data-lv-counter" in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "<script>" not in html and "style=" not in html


def test_voting_through_the_page_shows_a_receipt_and_no_choices(client, lw, voting):
    client.force_login(lw.users[0])
    review = client.post(
        _vote_url(voting), {"approve": _ids(lw, 0, 2), "step": "review"}
    )
    assert review.status_code == 200
    assert "请核对您的选票" in review.content.decode()
    assert "候选项目3" in review.content.decode()
    assert Participation.objects.count() == 0  # reviewing casts nothing

    response = client.post(
        _vote_url(voting), {"approve": _ids(lw, 0, 2), "step": "cast"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    ballot = Ballot.objects.get()
    assert (
        f'您的投票已记录，回执号：<strong class="lv-mono lv-receipt__code">{ballot.receipt}</strong>'
        in html
    )
    for candidate in lw.candidates:
        assert candidate.title not in html
    assert ballot.receipt not in response.get("Location", "")
    assert ballot.approvals == sorted([lw.candidates[0].pk, lw.candidates[2].pk])
    assert Participation.objects.filter(round=voting, mandate=lw.deputies[0]).exists()
    # Nothing of the choice stays in the session: only the login's own keys.
    stored = list(client.session.keys())
    assert all(key.startswith(("_auth_user", "portal_")) for key in stored)
    assert "messages" not in response.cookies


def test_edit_step_keeps_the_choice_checked(client, lw, voting):
    client.force_login(lw.users[0])
    response = client.post(_vote_url(voting), {"approve": _ids(lw, 1), "step": "edit"})
    assert response.status_code == 200
    assert (
        f'value="{lw.candidates[1].pk}" id="c-{lw.candidates[1].pk}" checked'
        in response.content.decode()
    )
    assert Participation.objects.count() == 0


def test_second_vote_says_already_voted(client, lw, voting):
    client.force_login(lw.users[0])
    client.post(_vote_url(voting), {"approve": _ids(lw, 0), "step": "cast"})
    response = client.post(_vote_url(voting), {"approve": _ids(lw, 1), "step": "cast"})
    assert response.status_code == 409
    assert "您已投票" in response.content.decode()
    assert Ballot.objects.count() == 1
    again = client.get(_vote_url(voting))
    assert again.status_code == 200 and "您已投票" in again.content.decode()


def test_over_k_is_refused_with_an_error(client, lw, voting):
    client.force_login(lw.users[0])
    response = client.post(
        _vote_url(voting), {"approve": _ids(lw, *range(8)), "step": "cast"}
    )
    assert response.status_code == 400
    assert "最多只能赞成7个项目，您选择了8个" in response.content.decode()
    assert Ballot.objects.count() == 0 and Participation.objects.count() == 0


def test_candidate_of_another_round_is_refused(client, lw, voting, world):
    client.force_login(lw.users[0])
    response = client.post(_vote_url(voting), {"approve": ["999999"], "step": "cast"})
    assert response.status_code == 400
    assert Ballot.objects.count() == 0


def test_blank_ballot_is_allowed(client, lw, voting):
    client.force_login(lw.users[0])
    review = client.post(_vote_url(voting), {"step": "review"})
    assert "您没有赞成任何项目" in review.content.decode()
    response = client.post(_vote_url(voting), {"step": "cast"})
    assert response.status_code == 200 and Ballot.objects.get().approvals == []


def test_staff_cannot_vote(client, lw, voting, personas):
    client.force_login(personas.township_staff)
    response = client.get(_vote_url(voting))
    assert response.status_code == 403
    assert "只有桃花乡人民代表大会的代表可以参加表决" in response.content.decode()
    response = client.post(_vote_url(voting), {"approve": _ids(lw, 0), "step": "cast"})
    assert response.status_code == 403
    assert Ballot.objects.count() == 0


def test_suspended_deputy_sees_why(client, lw, voting):
    mandate_suspend(
        mandate=lw.deputies[0], ground="detained", on=date(2026, 11, 1), actor=None
    )
    client.force_login(lw.users[0])
    response = client.get(_vote_url(voting))
    assert response.status_code == 403
    assert "已暂停执行代表职务，不能参加表决" in response.content.decode()


def test_deputy_of_another_congress_does_not_see_the_round(client, voting, personas):
    client.force_login(personas.other_deputy)
    assert client.get(_vote_url(voting)).status_code == 404


def test_anonymous_is_sent_to_login(client, voting):
    response = client.get(_vote_url(voting))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_vote_wrong_method(client, lw, voting):
    client.force_login(lw.users[0])
    assert client.put(_vote_url(voting)).status_code == 405


def test_round_not_open_is_explained(client, lw):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    sign_in(vote_round, lw)
    client.force_login(lw.users[0])
    response = client.get(_vote_url(vote_round))
    html = response.content.decode()
    assert response.status_code == 200 and "票决尚未开始" in html
    assert "您已签到" in html
    opened = services.round_open(vote_round=vote_round, actor=None)
    services.round_close(vote_round=opened, actor=None)
    response = client.post(
        _vote_url(vote_round), {"approve": _ids(lw, 0), "step": "cast"}
    )
    assert response.status_code == 409 and "本轮票决已结束" in response.content.decode()


def test_paper_round_cannot_be_voted_online(client, lw):
    vote_round = open_round(lw, mode="paper")
    client.force_login(lw.users[0])
    response = client.get(_vote_url(vote_round))
    assert "本轮为纸质票表决" in response.content.decode()


# --- 我的票决 and to-do ---------------------------------------------------------------------------


def test_my_votes_lists_open_round_until_voted(client, lw, voting):
    user = lw.users[0]
    client.force_login(user)
    response = client.get(reverse("livelihood:my_votes"))
    assert response.status_code == 200
    assert reverse("livelihood:vote", args=[voting.pk]) in response.content.decode()
    services.ballot_cast(vote_round=voting, actor=user, approve=[])
    response = client.get(reverse("livelihood:my_votes"))
    assert "您已投票" in response.content.decode()


def test_my_votes_wrong_method(client, lw):
    client.force_login(lw.users[0])
    assert client.post(reverse("livelihood:my_votes")).status_code == 405


def test_deputy_todo_and_nav(client, lw, voting):
    from portal.registry import nav_for, todo_items

    user = lw.users[0]
    role_grant_create(user=user, role=Role.DEPUTY, congress=lw.congress, actor=None)
    items = [i for i in todo_items(user) if i.kind == "livelihood.vote"]
    assert [i.url for i in items] == [reverse("livelihood:vote", args=[voting.pk])]
    assert "我的票决" in [str(i.label) for i in nav_for(user)]
    services.ballot_cast(vote_round=voting, actor=user, approve=[])
    assert not [i for i in todo_items(user) if i.kind == "livelihood.vote"]


# --- the evaluation ballot --------------------------------------------------------------------


@pytest.fixture
def evaluation(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return open_evaluation(lw)


def test_evaluation_through_the_page(client, lw, evaluation):
    projects = list(Project.objects.order_by("candidate__order"))
    url = reverse("livelihood:evaluate", args=[evaluation.pk])
    client.force_login(lw.users[0])
    page = client.get(url)
    assert page.status_code == 200 and "基本满意" in page.content.decode()
    data = {f"p{p.pk}": "satisfied" for p in projects}
    incomplete = dict(data)
    incomplete.pop(f"p{projects[0].pk}")
    response = client.post(url, incomplete | {"step": "cast"})
    assert (
        response.status_code == 400
        and "请对本项目作出评价" in response.content.decode()
    )
    review = client.post(url, data | {"step": "review"})
    assert "请核对您的测评" in review.content.decode()
    response = client.post(url, data | {"step": "cast"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "您的测评已记录" in html and projects[0].candidate.title not in html
    again = client.post(url, data | {"step": "cast"})
    assert again.status_code == 409 and "您已参加测评" in again.content.decode()


def test_staff_cannot_evaluate(client, evaluation, personas):
    client.force_login(personas.township_staff)
    response = client.get(reverse("livelihood:evaluate", args=[evaluation.pk]))
    assert response.status_code == 403


def test_other_county_staff_does_not_see_evaluation(client, evaluation, personas):
    client.force_login(personas.other_county_staff)
    assert (
        client.get(reverse("livelihood:evaluate", args=[evaluation.pk])).status_code
        == 404
    )


# --- the hall screen ---------------------------------------------------------------------------


def _screen(vote_round):
    return reverse("livelihood:round_screen", args=[vote_round.pk])


def test_hall_shows_only_the_count_while_open(client, lw, voting, personas):
    cast_votes(voting, lw, [(3, [0, 1])])
    client.force_login(personas.township_staff)
    response = client.get(_screen(voting))
    html = response.content.decode()
    assert response.status_code == 200
    assert "投票进行中" in html and '<span class="lv-hall__big">3</span>' in html
    assert 'data-lv-refresh="5"' in html
    assert "候选项目1<" not in html  # no per-candidate anything while open


def test_hall_shows_results_after_close(client, lw, voting, personas):
    cast_votes(voting, lw, [(30, [0, 1, 2, 3, 4, 5, 6]), (22, [7])])
    services.round_close(vote_round=voting, actor=None)
    client.force_login(personas.township_staff)
    html = client.get(_screen(voting)).content.decode()
    assert "data-lv-refresh" not in html
    assert '<progress class="lv-bar lv-bar--hall" max="52" value="30">' in html
    assert html.count("is-selected") == 7
    assert "代表01" not in html


def test_hall_marks_ties_for_a_second_round(client, lw, voting, personas):
    # 5 clear winners; candidates 6, 7 and 8 tie (34 each) for the last 2 seats.
    cast_votes(
        voting,
        lw,
        [
            (17, [0, 1, 2, 3, 4, 5, 6]),
            (17, [0, 1, 2, 3, 4, 6, 7]),
            (17, [0, 1, 2, 3, 4, 5, 7]),
            (1, [0, 1, 2, 3, 4]),
        ],
    )
    services.round_close(vote_round=voting, actor=None)
    client.force_login(personas.township_staff)
    html = client.get(_screen(voting)).content.decode()
    assert html.count("is-tied") == 3 and html.count("is-selected") == 5
    assert "3 个项目得票相同，进行第二轮票决" in html


def test_hall_for_deputy_and_forbidden_personas(client, lw, voting, personas):
    client.force_login(lw.users[5])
    assert client.get(_screen(voting)).status_code == 200
    client.force_login(personas.other_county_staff)
    assert client.get(_screen(voting)).status_code == 404
    client.logout()
    assert client.get(_screen(voting)).status_code == 302
    client.force_login(personas.township_staff)
    assert client.post(_screen(voting)).status_code == 405


@pytest.mark.parametrize("extra", [0, 20])
def test_hall_query_count_is_constant(
    client, lw, personas, django_assert_num_queries, extra
):
    from decimal import Decimal

    for n in range(extra):
        services.candidate_create(
            programme=lw.programme,
            title=f"追加项目{n}",
            description="x",
            estimated_cost=Decimal(10),
            actor=None,
        )
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(30, [0, 1, 2, 3, 4, 5, 6]), (22, [7])])
    services.round_close(vote_round=vote_round, actor=None)
    client.force_login(personas.township_staff)
    client.get(_screen(vote_round))  # warm the session
    with django_assert_num_queries(8):
        client.get(_screen(vote_round))
