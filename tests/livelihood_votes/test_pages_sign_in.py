"""签到: the staff sign-in page and the hall screen's code and count, and the
deputy's check-in on the phone ballot page (wrong and right code, the ballot only
after it), the receipt in the POST body, and the vote to-do's local date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from deputies.models import Mandate
from livelihood_votes import services
from livelihood_votes.models import Ballot, Participation, RoundAttendance, VoteRound
from portal.models import Role, Term
from portal.services import role_grant_create
from tests.factories import CongressFactory, UserFactory, make_mandate
from tests.livelihood_votes.conftest import open_round, sign_in, to_deliberation

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def draft(lw):
    to_deliberation(lw)
    return services.round_create(programme=lw.programme, mode="electronic", actor=None)


def _attendance(vote_round):
    return reverse("livelihood:round_attendance", args=[vote_round.pk])


def _vote(vote_round):
    return reverse("livelihood:vote", args=[vote_round.pk])


def _check_in(vote_round):
    return reverse("livelihood:check_in", args=[vote_round.pk])


def _staff_of(congress, username):
    user = UserFactory(username=username)
    role_grant_create(
        user=user, role=Role.CONGRESS_STAFF, congress=congress, actor=None
    )
    return user


# --- the staff sign-in page ----------------------------------------------------------------


def test_staff_sees_the_code_the_count_and_the_deputies(client, lw, personas, draft):
    sign_in(draft, lw, 3)
    client.force_login(personas.township_staff)
    response = client.get(_attendance(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f'<p class="lv-code lv-code--large lv-mono">{draft.check_in_code}</p>' in html
    )
    assert '<span class="lv-signin-board__num">3</span>' in html  # signed in
    assert '<span class="lv-signin-board__num">52</span>' in html  # all deputies
    assert '<span class="lv-signin-board__num">35</span>' in html  # quorum (2/3)
    assert "还需 32 人签到" in html
    # Deputies in 姓氏笔画 order as elsewhere; the signed-in ones are marked.
    order = list(
        Mandate.objects.filter(congress=lw.congress)
        .order_by("name_stroke_key", "id")
        .values_list("person__name", flat=True)
    )
    positions = [html.index(f'lv-attendee__name">{name}<') for name in order]
    assert positions == sorted(positions)
    assert html.count('name="present"') == 49
    assert html.count("is-signed") == 3


def test_staff_signs_deputies_in(client, lw, personas, draft):
    client.force_login(personas.township_staff)
    chosen = [m.pk for m in lw.deputies[:36]]
    response = client.post(_attendance(draft), {"present": chosen})
    assert response.status_code == 302 and response["Location"] == _attendance(draft)
    assert RoundAttendance.objects.filter(round=draft, method="staff").count() == 36
    page = client.get(_attendance(draft)).content.decode()
    assert "已登记签到，目前已签到36人" in page
    assert "已达到法定人数，可以开始投票" in page
    # Twice the same list changes nothing (idempotent).
    client.post(_attendance(draft), {"present": chosen[:5]})
    assert RoundAttendance.objects.filter(round=draft).count() == 36


def test_sign_in_refuses_nothing_ticked_and_a_deputy_of_another_congress(
    client, lw, personas, draft, world
):
    Term.objects.create(
        congress=world.other_township_congress,
        number=19,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    stranger = make_mandate(world.other_township_congress, "外乡代表")
    client.force_login(personas.township_staff)
    empty = client.post(_attendance(draft), {})
    assert empty.status_code == 400 and "请勾选到会的代表" in empty.content.decode()
    other = client.post(_attendance(draft), {"present": [stranger.pk]})
    assert other.status_code == 400
    assert "所选代表不是本级人民代表大会在任的代表" in other.content.decode()
    assert not RoundAttendance.objects.exists()


@pytest.mark.parametrize("extra", [0, 15])
def test_sign_in_page_query_count_is_constant(
    client, lw, personas, draft, django_assert_num_queries, extra
):
    for n in range(extra):
        make_mandate(lw.congress, f"增补代表{n:02d}", user=UserFactory())
    sign_in(draft, lw, 10)
    client.force_login(personas.township_staff)
    client.get(_attendance(draft))  # warm the session
    with django_assert_num_queries(9):
        response = client.get(_attendance(draft))
    assert response.status_code == 200


def test_sign_in_page_of_another_township_is_not_found(
    client, lw, personas, draft, world
):
    neighbour = CongressFactory(region=world.township2)  # 李家镇, same county
    for user in (
        _staff_of(neighbour, "lijia_staff"),
        _staff_of(world.other_township_congress, "baisha_staff"),
        personas.other_county_staff,
    ):
        client.force_login(user)
        assert client.get(_attendance(draft)).status_code == 404
        assert (
            client.post(
                _attendance(draft), {"present": [lw.deputies[0].pk]}
            ).status_code
            == 404
        )
    assert not RoundAttendance.objects.exists()


def test_sign_in_page_is_forbidden_to_deputies(client, lw, personas, draft):
    for user in (lw.users[0], personas.leader):
        client.force_login(user)
        assert client.get(_attendance(draft)).status_code == 403
        response = client.post(_attendance(draft), {"present": [lw.deputies[0].pk]})
        assert response.status_code == 403
    client.logout()
    assert client.get(_attendance(draft)).status_code == 302
    assert not RoundAttendance.objects.exists()


def test_closed_round_shows_the_list_without_the_code(client, lw, personas):
    vote_round = open_round(lw, present=40)
    services.round_close(vote_round=vote_round, actor=None)
    client.force_login(personas.township_staff)
    html = client.get(_attendance(vote_round)).content.decode()
    assert "签到名单" in html and 'name="present"' not in html
    assert vote_round.check_in_code not in html
    response = client.post(_attendance(vote_round), {"present": [lw.deputies[45].pk]})
    assert response.status_code == 403


# --- the hall screen ---------------------------------------------------------------------------


def test_hall_shows_the_code_and_count_to_staff_before_voting(
    client, lw, personas, draft
):
    sign_in(draft, lw, 12)
    screen = reverse("livelihood:round_screen", args=[draft.pk])
    client.force_login(personas.township_staff)
    html = client.get(screen).content.decode()
    assert f'<p class="lv-hall__code lv-mono">{draft.check_in_code}</p>' in html
    assert (
        '<span class="lv-hall__signed">12</span><span class="lv-hall__of">/ 52</span>'
        in html
    )
    assert "签到达到 35 人后开始投票" in html and 'data-lv-refresh="5"' in html
    # A deputy may look at the screen, but must type the code seen in the hall.
    client.force_login(lw.users[30])
    deputy_view = client.get(screen).content.decode()
    assert draft.check_in_code not in deputy_view
    assert '<span class="lv-hall__signed">12</span>' in deputy_view


def test_hall_while_open_counts_ballots_against_the_sign_in(client, lw, personas):
    vote_round = open_round(lw, present=40)
    client.force_login(personas.township_staff)
    html = client.get(
        reverse("livelihood:round_screen", args=[vote_round.pk])
    ).content.decode()
    assert (
        '<span class="lv-hall__big">0</span><span class="lv-hall__of">/ 40</span>'
        in html
    )
    assert "已收到选票（张） / 已签到代表（人）" in html
    assert vote_round.check_in_code in html  # late arrivals may still sign in


# --- the deputy's check-in on the phone -------------------------------------------------------


@pytest.fixture
def voting_without_me(lw):
    """An open round: every deputy signed in but the first."""
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    services.round_attendance_record(
        vote_round=vote_round, mandates=lw.deputies[1:], actor=None
    )
    return services.round_open(vote_round=vote_round, actor=None)


def test_not_signed_in_deputy_sees_the_check_in_form_not_the_ballot(
    client, lw, voting_without_me
):
    client.force_login(lw.users[0])
    response = client.get(_vote(voting_without_me))
    assert response.status_code == 200
    html = response.content.decode()
    assert "请先签到" in html
    assert f'action="{_check_in(voting_without_me)}"' in html
    assert 'inputmode="numeric"' in html and 'name="code"' in html
    assert "data-lv-ballot" not in html and 'name="approve"' not in html
    assert "候选项目1<" not in html
    assert voting_without_me.check_in_code not in html
    assert "<script>" not in html and "style=" not in html


def test_not_signed_in_deputy_cannot_cast(client, lw, voting_without_me):
    client.force_login(lw.users[0])
    response = client.post(
        _vote(voting_without_me),
        {"approve": [str(lw.candidates[0].pk)], "step": "cast"},
    )
    assert response.status_code == 403
    assert 'name="code"' in response.content.decode()
    assert not Ballot.objects.exists() and not Participation.objects.exists()


def test_wrong_code_shows_a_chinese_field_error(client, lw, voting_without_me):
    code = voting_without_me.check_in_code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    client.force_login(lw.users[0])
    response = client.post(_check_in(voting_without_me), {"code": wrong})
    assert response.status_code == 400
    html = response.content.decode()
    assert "签到码不正确，请核对会场大屏上的签到码" in html
    assert 'aria-invalid="true"' in html
    short = client.post(_check_in(voting_without_me), {"code": "12a"})
    assert short.status_code == 400
    assert "签到码为6位数字，请核对会场大屏" in short.content.decode()
    empty = client.post(_check_in(voting_without_me), {"code": ""})
    assert "请输入签到码" in empty.content.decode()
    assert not RoundAttendance.objects.filter(mandate=lw.deputies[0]).exists()


def test_right_code_signs_in_and_comes_back_to_the_ballot(
    client, lw, voting_without_me
):
    client.force_login(lw.users[0])
    response = client.post(
        _check_in(voting_without_me), {"code": voting_without_me.check_in_code}
    )
    assert response.status_code == 302
    assert response["Location"] == _vote(voting_without_me)
    attendance = RoundAttendance.objects.get(mandate=lw.deputies[0])
    assert attendance.method == "code"
    ballot = client.get(_vote(voting_without_me)).content.decode()
    assert "签到成功" in ballot and "data-lv-ballot" in ballot


def test_code_typed_with_full_width_digits_and_spaces(client, lw, voting_without_me):
    code = voting_without_me.check_in_code
    typed = " ".join(chr(ord("０") + int(d)) for d in code)
    client.force_login(lw.users[0])
    response = client.post(_check_in(voting_without_me), {"code": typed})
    assert response.status_code == 302
    assert RoundAttendance.objects.filter(mandate=lw.deputies[0]).exists()


def test_guessing_the_code_is_limited(client, lw, voting_without_me):
    code = int(voting_without_me.check_in_code)
    client.force_login(lw.users[0])
    for n in range(1, 11):
        response = client.post(
            _check_in(voting_without_me), {"code": f"{(code + n) % 10**6:06d}"}
        )
        assert response.status_code == 400
    blocked = client.post(
        _check_in(voting_without_me), {"code": voting_without_me.check_in_code}
    )
    assert blocked.status_code == 429
    assert "签到码输错次数过多" in blocked.content.decode()
    assert not RoundAttendance.objects.filter(mandate=lw.deputies[0]).exists()


def test_check_in_before_voting_opens(client, lw, draft):
    client.force_login(lw.users[0])
    page = client.get(_vote(draft)).content.decode()
    assert (
        'name="code"' in page and "签到后，大会宣布开始投票时刷新本页即可投票" in page
    )
    client.post(_check_in(draft), {"code": draft.check_in_code})
    waiting = client.get(_vote(draft)).content.decode()
    assert "票决尚未开始" in waiting and "您已签到" in waiting
    my_votes = client.get(reverse("livelihood:my_votes")).content.decode()
    assert "您已签到，等待大会宣布开始投票" in my_votes


def test_my_votes_asks_to_sign_in(client, lw, draft):
    client.force_login(lw.users[0])
    html = client.get(reverse("livelihood:my_votes")).content.decode()
    assert "即将开始投票，请先签到" in html and _vote(draft) in html


def test_check_in_refused_to_others_and_after_close(
    client, lw, personas, voting_without_me
):
    url = _check_in(voting_without_me)
    code = voting_without_me.check_in_code
    client.force_login(personas.other_deputy)
    assert client.post(url, {"code": code}).status_code == 404
    client.force_login(personas.township_staff)
    assert client.post(url, {"code": code}).status_code == 403
    client.force_login(lw.users[0])
    assert client.get(url).status_code == 405
    services.round_close(vote_round=voting_without_me, actor=None)
    closed = client.post(url, {"code": code})
    assert closed.status_code == 409
    assert "本轮票决已结束，不能再签到" in closed.content.decode()
    assert not RoundAttendance.objects.filter(mandate=lw.deputies[0]).exists()


def test_receipt_is_in_the_body_of_the_cast_response(client, lw, voting_without_me):
    client.force_login(lw.users[0])
    client.post(_check_in(voting_without_me), {"code": voting_without_me.check_in_code})
    client.get(_vote(voting_without_me))  # the "签到成功" message is shown here
    approve = [str(lw.candidates[1].pk)]
    response = client.post(
        _vote(voting_without_me), {"approve": approve, "step": "cast"}
    )
    assert response.status_code == 200 and "Location" not in response
    ballot = Ballot.objects.get()
    html = response.content.decode()
    assert f'<strong class="lv-mono lv-receipt__code">{ballot.receipt}</strong>' in html
    assert lw.candidates[1].title not in html
    assert "messages" not in response.cookies
    stored = list(client.session.keys())
    assert all(key.startswith(("_auth_user", "portal_")) for key in stored)


# --- the vote to-do: due the local day the round opened ---------------------------------------


def test_vote_todo_due_date_is_the_local_day(lw, voting_without_me):
    from portal.registry import todo_items

    # 00:30 in Shanghai on 2 November is still 1 November in UTC.
    opened = datetime(2026, 11, 2, 0, 30, tzinfo=SHANGHAI)
    VoteRound.objects.filter(pk=voting_without_me.pk).update(opened_at=opened)
    user = lw.users[1]
    role_grant_create(user=user, role=Role.DEPUTY, congress=lw.congress, actor=None)
    (item,) = [i for i in todo_items(user) if i.kind == "livelihood.vote"]
    assert item.due_date == date(2026, 11, 2)
