"""Township congress staff pages: programmes as a phase stepper, screening,
candidates, rounds, paper counts, change requests, supervision, evaluation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from livelihood_votes import services
from livelihood_votes.models import (
    Candidate,
    ChangeRequest,
    Idea,
    Programme,
    Project,
    RoundResult,
    SupervisionGroup,
    VoteRound,
)
from tests.livelihood_votes.conftest import (
    cast_votes,
    open_evaluation,
    open_round,
    sign_in,
    to_deliberation,
)

pytestmark = pytest.mark.django_db


def _detail(programme):
    return reverse("livelihood:programme", args=[programme.pk])


def _advance_to(programme, phase):
    while programme.phase != phase:
        programme = services.programme_advance(programme=programme, actor=None)
    return programme


def _idea(programme, title="修建村道路灯"):
    return services.idea_submit(
        programme=programme,
        title=title,
        description="村道晚上没有路灯，群众出行不便。",
        actor=None,
    )


@pytest.fixture
def implementing(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return list(Project.objects.order_by("candidate__order"))


# --- list and create ---------------------------------------------------------------------------


def test_programme_list_for_staff(client, lw, personas):
    client.force_login(personas.township_staff)
    response = client.get(reverse("livelihood:programme_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(lw.programme) in html and "新建年度计划" in html


def test_programme_list_of_other_county_staff_is_empty(client, lw, personas):
    client.force_login(personas.other_county_staff)
    response = client.get(reverse("livelihood:programme_list"))
    assert response.status_code == 200
    assert str(lw.programme) not in response.content.decode()


@pytest.mark.parametrize("who", ["deputy", "township_gov"])
def test_programme_list_refused_to_non_staff(client, lw, personas, who):
    user = lw.users[0] if who == "deputy" else personas.township_gov
    client.force_login(user)
    assert client.get(reverse("livelihood:programme_list")).status_code == 403


def test_staff_pages_send_anonymous_to_login(client, lw):
    for url in (
        reverse("livelihood:programme_list"),
        _detail(lw.programme),
        reverse("livelihood:programme_create"),
        reverse("livelihood:project_list"),
    ):
        response = client.get(url)
        assert (
            response.status_code == 302 and "/accounts/login/" in response["Location"]
        )


def test_programme_list_wrong_method(client, personas):
    client.force_login(personas.township_staff)
    assert client.post(reverse("livelihood:programme_list")).status_code == 405


def test_programme_create(client, lw, personas):
    client.force_login(personas.township_staff)
    url = reverse("livelihood:programme_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {"congress": lw.congress.pk, "year": 2027, "seats": 6})
    programme = Programme.objects.get(year=2027)
    assert response.status_code == 302 and response["Location"] == _detail(programme)
    assert programme.seats == 6 and programme.phase == "collecting"
    again = client.post(url, {"congress": lw.congress.pk, "year": 2027, "seats": 6})
    assert (
        again.status_code == 400
        and "2027年的民生实事项目计划已存在" in again.content.decode()
    )


def test_programme_create_refused_to_deputy_and_other_congress(
    client, lw, personas, world
):
    client.force_login(lw.users[0])
    assert client.get(reverse("livelihood:programme_create")).status_code == 403
    client.force_login(personas.other_county_staff)
    response = client.post(
        reverse("livelihood:programme_create"),
        {"congress": lw.congress.pk, "year": 2027, "seats": 6},
    )
    assert (
        response.status_code == 400 and not Programme.objects.filter(year=2027).exists()
    )
    assert client.delete(reverse("livelihood:programme_create")).status_code == 405


# --- the stepper page ---------------------------------------------------------------------------


def test_detail_shows_the_stepper_and_phase_actions(client, lw, personas):
    idea = _idea(lw.programme)
    client.force_login(personas.township_staff)
    response = client.get(_detail(lw.programme))
    assert response.status_code == 200
    html = response.content.decode()
    for label in [
        "征集",
        "初筛",
        "论证",
        "候选项目",
        "代表议",
        "大会决",
        "政府办",
        "人大督",
        "代表评",
        "归档",
    ]:
        assert f'<span class="lv-step__label">{label}</span>' in html
    assert 'lv-step--current" aria-current="step"' in html
    assert idea.title in html and "负面清单" in html
    assert "结束征集，进入初筛" in html


def test_detail_permissions(client, lw, personas):
    client.force_login(personas.other_county_staff)
    assert client.get(_detail(lw.programme)).status_code == 404
    client.force_login(lw.users[0])  # a deputy of the congress
    assert client.get(_detail(lw.programme)).status_code == 403
    client.force_login(personas.township_gov)
    assert client.get(_detail(lw.programme)).status_code == 403
    client.force_login(personas.county_staff)
    assert client.get(_detail(lw.programme)).status_code == 200
    assert client.post(_detail(lw.programme)).status_code == 405


def test_leader_reads_but_cannot_act(client, lw, personas):
    client.force_login(personas.leader)
    response = client.get(_detail(lw.programme))
    assert (
        response.status_code == 200
        and "结束征集，进入初筛" not in response.content.decode()
    )
    assert (
        client.post(
            reverse("livelihood:programme_advance", args=[lw.programme.pk])
        ).status_code
        == 403
    )


def _make_detail_rows(lw, n):
    for i in range(n):
        _idea(lw.programme, title=f"建议{i}")
        services.candidate_create(
            programme=lw.programme,
            title=f"追加候选{i}",
            description="x",
            estimated_cost=Decimal(5),
            actor=None,
        )


@pytest.mark.parametrize("n", [2, 6])
def test_detail_query_count_is_constant_while_collecting(
    client, lw, personas, django_assert_num_queries, n
):
    _make_detail_rows(lw, n)
    client.force_login(personas.township_staff)
    client.get(_detail(lw.programme))
    # +2: the congress's rules (consenting body, deliberation) for the header.
    with django_assert_num_queries(16):
        response = client.get(_detail(lw.programme))
    assert response.status_code == 200


@pytest.mark.parametrize("seats", [2, 6])
def test_detail_query_count_is_constant_while_implementing(
    client, lw, personas, django_assert_num_queries, seats
):
    services.programme_set_seats(programme=lw.programme, seats=seats, actor=None)
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, list(range(seats)))])
    services.round_close(vote_round=vote_round, actor=None)
    for project in Project.objects.all():
        services.change_request_create(
            project=project, kind="change", reason="调整选址", actor=None
        )
    services.supervision_group_create(
        programme=lw.programme,
        name="第一监督小组",
        members=lw.deputies[:3],
        projects=list(Project.objects.all()),
        actor=None,
    )
    client.force_login(personas.township_staff)
    client.get(_detail(lw.programme))
    # +2: the congress's rules (consenting body, deliberation) for the header.
    with django_assert_num_queries(16):
        response = client.get(_detail(lw.programme))
    assert response.status_code == 200
    assert response.content.decode().count("lv-flag--") >= seats


# --- screening and candidates ------------------------------------------------------------------


def test_screening_accept_and_reject_with_reason(client, lw, personas):
    accepted, rejected = (
        _idea(lw.programme, "修路"),
        _idea(lw.programme, "修建乡政府办公楼"),
    )
    client.force_login(personas.township_staff)
    url = reverse("livelihood:idea_screen", args=[accepted.pk])
    response = client.post(url, {"decision": "accept"}, follow=True)
    assert "初筛通过，进入论证" in response.content.decode()
    refused = client.post(
        reverse("livelihood:idea_screen", args=[rejected.pk]),
        {"decision": "reject"},
        follow=True,
    )
    assert "初筛不通过须写明理由" in refused.content.decode()
    client.post(
        reverse("livelihood:idea_screen", args=[rejected.pk]),
        {"decision": "reject", "reason": "属于楼堂馆所，列入负面清单"},
    )
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.status == "accepted"
    assert (rejected.status, rejected.screening_reason) == (
        "screened_out",
        "属于楼堂馆所，列入负面清单",
    )


def test_screening_permissions(client, lw, personas):
    idea = _idea(lw.programme)
    url = reverse("livelihood:idea_screen", args=[idea.pk])
    client.force_login(personas.other_county_staff)
    assert client.post(url, {"decision": "accept"}).status_code == 404
    client.force_login(lw.users[0])
    assert client.post(url, {"decision": "accept"}).status_code == 403
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 405
    idea.refresh_from_db()
    assert idea.status == "submitted"


def test_promote_accepted_idea_to_candidate(client, lw, personas, world):
    idea = _idea(lw.programme, "修建文化广场")
    services.idea_screen(idea=idea, accept=True, actor=None)
    programme = _advance_to(lw.programme, "assessing")
    client.force_login(personas.township_staff)
    detail = client.get(_detail(programme)).content.decode()
    assert "列为候选项目" in detail
    url = reverse("livelihood:candidate_new", args=[programme.pk])
    form = client.get(url + f"?idea={idea.pk}")
    assert "修建文化广场" in form.content.decode()
    response = client.post(
        url,
        {
            "title": "修建文化广场",
            "description": "800平方米",
            "estimated_cost": "120.5",
            "fund_source": "乡财政",
            "lead_unit": world.unit.pk,
            "idea": idea.pk,
            "responsible_leader": "张副乡长",
        },
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get(title="修建文化广场")
    assert candidate.idea == idea and candidate.estimated_cost == Decimal("120.5")
    assert candidate.lead_unit == world.unit
    idea.refresh_from_db()
    assert idea.status == "candidate"


def test_candidate_form_shows_service_errors(client, lw, personas, world):
    client.force_login(personas.township_staff)
    url = reverse("livelihood:candidate_new", args=[lw.programme.pk])
    response = client.post(
        url, {"title": "修路", "description": "x", "estimated_cost": "0"}
    )
    assert (
        response.status_code == 400
        and "估算投资应大于0（万元）" in response.content.decode()
    )
    other = client.post(
        url,
        {
            "title": "修路",
            "description": "x",
            "estimated_cost": "5",
            "lead_unit": world.other_county_unit.pk,
        },
    )
    assert (
        other.status_code == 400
    )  # not a choice: units of another county are not offered


def test_advance_phase_needs_the_confirmation_naming_the_next_phase(
    client, lw, personas
):
    client.force_login(personas.township_staff)
    html = client.get(_detail(lw.programme)).content.decode()
    assert 'name="to" value="screening"' in html
    assert "确认进入下一阶段：初筛" in html
    url = reverse("livelihood:programme_advance", args=[lw.programme.pk])
    unconfirmed = client.post(url, {"to": "screening"}, follow=True)
    assert "请勾选确认进入下一阶段" in unconfirmed.content.decode()
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "collecting"
    done = client.post(url, {"to": "screening", "confirm": "on"}, follow=True)
    assert "已进入下一阶段：初筛" in done.content.decode()
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "screening"
    # The same page sent twice moves nothing further; skipping is refused.
    client.post(url, {"to": "screening", "confirm": "on"})
    skip = client.post(url, {"to": "candidates", "confirm": "on"}, follow=True)
    assert "不能跳过阶段" in skip.content.decode()
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "screening"
    _advance_to(lw.programme, "deliberation")
    response = client.post(url, {"to": "voting", "confirm": "on"}, follow=True)
    assert "请创建票决轮次进入大会票决阶段" in response.content.decode()


def test_pooled_opinion_becomes_an_idea(client, lw, personas, world):
    from stations import services as station_services
    from stations.models import Station

    station = station_services.station_create(
        name="桃花乡代表联络站",
        code="TH01",
        kind=Station.Kind.TOWNSHIP,
        region=world.township,
        tracking_prefix="TH",
        actor=None,
    )
    opinion = station_services.opinion_submit(
        station=station,
        name="王大妈",
        phone="13800138000",
        content="希望在村口建一个公交候车亭，方便老人出行。",
        actor=None,
    )
    station_services.opinion_triage(opinion=opinion, outcome="pooled", actor=None)
    client.force_login(personas.township_staff)
    assert opinion.tracking_code in client.get(_detail(lw.programme)).content.decode()
    client.post(reverse("livelihood:idea_pool", args=[lw.programme.pk, opinion.pk]))
    assert Idea.objects.get(opinion=opinion).source == "station"


# --- seats and rounds ----------------------------------------------------------------------------------


def test_change_seats_then_refused_once_locked(client, lw, personas):
    client.force_login(personas.township_staff)
    url = reverse("livelihood:programme_seats", args=[lw.programme.pk])
    client.post(url, {"seats": 6})
    lw.programme.refresh_from_db()
    assert lw.programme.seats == 6
    open_round(lw)
    response = client.post(url, {"seats": 5}, follow=True)
    assert "票决已开始，规则已锁定，不能再修改票决项目数" in response.content.decode()
    lw.programme.refresh_from_db()
    assert lw.programme.seats == 6


def _open_url(vote_round):
    return reverse("livelihood:round_open", args=[vote_round.pk])


def _close_url(vote_round):
    return reverse("livelihood:round_close", args=[vote_round.pk])


def test_create_sign_in_open_and_close_an_electronic_round(client, lw, personas):
    programme = _advance_to(lw.programme, "deliberation")
    client.force_login(personas.township_staff)
    detail = client.get(_detail(programme)).content.decode()
    assert "创建票决轮次" in detail
    client.post(
        reverse("livelihood:round_create", args=[programme.pk]), {"mode": "electronic"}
    )
    vote_round = VoteRound.objects.get()
    assert vote_round.programme.phase == "voting"
    detail = client.get(_detail(programme)).content.decode()
    assert vote_round.check_in_code in detail
    assert "签到 0 人 / 全体代表 52 人，法定人数 35 人" in detail  # by the button
    assert "未达到法定人数" in detail
    assert "我已核对签到人数，确认开始投票" in detail
    assert 'name="present"' not in detail  # the count is never typed
    sign_in(vote_round, lw, 20)
    low = client.post(_open_url(vote_round), {"confirm": "on"}, follow=True)
    assert "已签到代表20人，不足全体代表52人的2/3" in low.content.decode()
    sign_in(vote_round, lw, 50)
    client.post(_open_url(vote_round), {"confirm": "on"})
    vote_round.refresh_from_db()
    assert (vote_round.status, vote_round.present) == ("open", 50)
    cast_votes(vote_round, lw, [(40, [0, 1, 2, 3, 4, 5, 6])])
    detail = client.get(_detail(programme)).content.decode()
    assert "已签到 <strong>50</strong> 人 · 全体代表 52 人 · 法定人数 35 人" in detail
    assert "已收到选票 40 张" in detail
    assert "已签到50人，只收到40张选票。" in detail  # the warning before closing
    assert "确认结束本轮投票并计票" in detail
    client.post(_close_url(vote_round), {"confirm": "on"})
    vote_round.refresh_from_db()
    assert vote_round.status == "closed" and Project.objects.count() == 7


def test_open_without_confirmation_is_refused(client, lw, personas):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    sign_in(vote_round, lw)
    client.force_login(personas.township_staff)
    response = client.post(_open_url(vote_round), {}, follow=True)
    assert "请先核对签到人数，并勾选确认后再开始投票" in response.content.decode()
    vote_round.refresh_from_db()
    assert vote_round.status == "draft"


def test_close_without_confirmation_is_refused(client, lw, personas):
    vote_round = open_round(lw)
    client.force_login(personas.township_staff)
    response = client.post(_close_url(vote_round), follow=True)
    assert "请勾选确认后再结束本轮投票" in response.content.decode()
    vote_round.refresh_from_db()
    assert vote_round.status == "open"


def test_no_warning_when_every_signed_in_deputy_voted(client, lw, personas):
    vote_round = open_round(lw, present=40)
    cast_votes(vote_round, lw, [(40, [0])])
    client.force_login(personas.township_staff)
    detail = client.get(_detail(lw.programme)).content.decode()
    assert "已收到选票 40 张" in detail and "只收到" not in detail


def test_round_actions_permissions(client, lw, personas):
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    sign_in(vote_round, lw)
    url = _open_url(vote_round)
    client.force_login(personas.other_county_staff)
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(lw.users[0])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    client.force_login(personas.leader)
    assert client.post(url, {"confirm": "on"}).status_code == 403
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 405
    vote_round.refresh_from_db()
    assert vote_round.status == "draft"


# --- seats left unfilled: a further round or the end of the vote ------------------------------


@pytest.fixture
def unfilled(lw):
    """Round 1 closed with 3 of 7 seats filled (the others short of a majority)."""
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(30, [0, 1, 2]), (22, [3])])
    services.round_close(vote_round=vote_round, actor=None)
    return vote_round


def test_unfilled_seats_show_a_further_round_and_concluding(
    client, lw, personas, unfilled
):
    client.force_login(personas.township_staff)
    html = client.get(_detail(lw.programme)).content.decode()
    assert "尚有 4 个票决项目空缺" in html
    assert "已进行 1 轮票决，议事规则允许最多 3 轮" in html
    assert "再次表决" in html and "确认对未当选的候选项目再次表决" in html
    assert (
        "结束票决" in html
        and reverse("livelihood:programme_conclude", args=[lw.programme.pk]) in html
    )
    client.force_login(personas.leader)
    read_only = client.get(_detail(lw.programme)).content.decode()
    assert "尚有 4 个票决项目空缺" in read_only
    assert 'name="confirm"' not in read_only


def test_further_round_needs_confirmation(client, lw, personas, unfilled):
    client.force_login(personas.township_staff)
    url = reverse("livelihood:round_create", args=[lw.programme.pk])
    refused = client.post(url, {"mode": "electronic"}, follow=True)
    assert "请勾选确认再次表决" in refused.content.decode()
    assert VoteRound.objects.count() == 1
    client.post(url, {"mode": "electronic", "confirm": "on"})
    further = VoteRound.objects.get(number=2)
    assert further.seats == 4 and further.candidates.count() == 7
    assert further.attendances.count() == 52  # the sign-in carries over
    html = client.get(_detail(lw.programme)).content.decode()
    assert "尚有 4 个票决项目空缺" not in html
    assert further.check_in_code in html


def test_conclude_vote_needs_confirmation(client, lw, personas, unfilled):
    client.force_login(personas.township_staff)
    url = reverse("livelihood:programme_conclude", args=[lw.programme.pk])
    refused = client.post(url, follow=True)
    assert "请勾选确认后再结束票决" in refused.content.decode()
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "voting"
    done = client.post(url, {"confirm": "on"}, follow=True)
    assert "票决已结束" in done.content.decode()
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "implementing" and Project.objects.count() == 3


def test_conclude_vote_permissions(client, lw, personas, unfilled):
    url = reverse("livelihood:programme_conclude", args=[lw.programme.pk])
    client.force_login(personas.other_county_staff)
    assert client.post(url, {"confirm": "on"}).status_code == 404
    client.force_login(lw.users[0])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 405
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "voting"


def test_nothing_selected_cannot_be_concluded(client, lw, personas):
    vote_round = open_round(lw)
    services.round_close(vote_round=vote_round, actor=None)  # no ballots
    client.force_login(personas.township_staff)
    html = client.get(_detail(lw.programme)).content.decode()
    assert "尚无项目当选，不能结束票决，请再次表决" in html
    assert reverse("livelihood:programme_conclude", args=[lw.programme.pk]) not in html
    response = client.post(
        reverse("livelihood:programme_conclude", args=[lw.programme.pk]),
        {"confirm": "on"},
        follow=True,
    )
    assert "尚无项目获得全体代表过半数赞成，不能结束票决" in response.content.decode()


def test_paper_counts_show_field_errors_then_close(client, lw, personas):
    vote_round = open_round(lw, mode="paper")
    client.force_login(personas.township_staff)
    url = reverse("livelihood:paper_counts", args=[vote_round.pk])
    page = client.get(url)
    assert page.status_code == 200 and "候选项目10" in page.content.decode()
    approvals = {f"c{c.pk}": (40 if i < 7 else 10) for i, c in enumerate(lw.candidates)}
    bad = client.post(
        url, {"issued": 50, "returned": 51, "valid": 45, "void": 2, **approvals}
    )
    html = bad.content.decode()
    assert bad.status_code == 400
    assert (
        "收回选票数不能多于发出选票数" in html
        and "有效票与无效票之和应等于收回选票数" in html
    )
    good = client.post(
        url, {"issued": 52, "returned": 52, "valid": 50, "void": 2, **approvals}
    )
    assert good.status_code == 302
    assert RoundResult.objects.filter(round=vote_round).count() == 10
    client.post(_close_url(vote_round), {"confirm": "on"})
    vote_round.refresh_from_db()
    assert vote_round.status == "closed"
    assert Candidate.objects.filter(status="selected").count() == 7


def test_paper_counts_permissions(client, lw, personas):
    vote_round = open_round(lw, mode="paper")
    url = reverse("livelihood:paper_counts", args=[vote_round.pk])
    client.force_login(lw.users[0])
    assert client.get(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.township_staff)
    assert client.put(url).status_code == 405


# --- implementation, supervision, evaluation -----------------------------------------------------------


def test_change_request_decision_by_presidium(client, lw, personas, implementing):
    project = implementing[0]
    request = services.change_request_create(
        project=project, kind="terminate", reason="选址无法落实", actor=None
    )
    client.force_login(personas.township_staff)
    assert "选址无法落实" in client.get(_detail(lw.programme)).content.decode()
    client.post(
        reverse("livelihood:change_decide", args=[request.pk]), {"decision": "consent"}
    )
    request.refresh_from_db()
    project.refresh_from_db()
    assert request.status == "consented" and project.status == "terminated"


def test_change_request_decision_permissions(client, lw, personas, implementing):
    request = services.change_request_create(
        project=implementing[0], kind="change", reason="x", actor=None
    )
    url = reverse("livelihood:change_decide", args=[request.pk])
    client.force_login(personas.township_gov)
    assert client.post(url, {"decision": "consent"}).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.post(url, {"decision": "consent"}).status_code == 404
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 405
    assert ChangeRequest.objects.get().status == "pending"


def test_supervision_group_and_visit(client, lw, personas, implementing):
    client.force_login(personas.township_staff)
    url = reverse("livelihood:supervision_group_new", args=[lw.programme.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "第一监督小组",
            "members": [m.pk for m in lw.deputies[:3]],
            "projects": [implementing[0].pk],
        },
    )
    assert response.status_code == 302
    group = SupervisionGroup.objects.get()
    assert group.members.count() == 3
    visit_url = reverse("livelihood:visit_new", args=[implementing[0].pk])
    missing = client.post(visit_url, {"date": "2026-12-01", "group": group.pk})
    assert (
        missing.status_code == 400
        and "请填写视察发现的情况" in missing.content.decode()
    )
    client.post(
        visit_url,
        {
            "date": "2026-12-01",
            "group": group.pk,
            "findings": "进度滞后",
            "suggestion": "加快施工",
        },
    )
    assert implementing[0].visits.get().group == group


def test_evaluation_open_paper_close_and_rectify(client, lw, personas, implementing):
    client.force_login(personas.township_staff)
    created = client.post(
        reverse("livelihood:evaluation_create", args=[lw.programme.pk]),
        {"mode": "paper"},
    )
    evaluation = lw.programme.evaluation_round
    attendance = reverse("livelihood:evaluation_attendance", args=[evaluation.pk])
    assert created.status_code == 302 and created["Location"] == attendance
    assert evaluation.status == "draft"
    # Below quorum (2/3 of 52 = 35) the evaluation does not open.
    client.post(attendance, {"present": [m.pk for m in lw.deputies[:30]]})
    client.post(reverse("livelihood:evaluation_open", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"
    client.post(attendance, {"present": [m.pk for m in lw.deputies[:50]]})
    client.post(reverse("livelihood:evaluation_open", args=[evaluation.pk]))
    evaluation.refresh_from_db()
    assert evaluation.status == "open" and evaluation.present == 50
    url = reverse("livelihood:evaluation_paper", args=[evaluation.pk])
    data = {"returned": 50}
    for i, project in enumerate(implementing):
        satisfied = 30 if i else 5
        data |= {
            f"p{project.pk}_satisfied": satisfied,
            f"p{project.pk}_basically_satisfied": 5,
            f"p{project.pk}_dissatisfied": 40 if not i else 5,
        }
    too_many = client.post(url, data | {f"p{implementing[1].pk}_satisfied": 45})
    assert too_many.status_code == 400
    assert "超过收回票数（50张）" in too_many.content.decode()
    over_sign_in = client.post(url, data | {"returned": 51})
    assert over_sign_in.status_code == 400
    assert "收回测评票51张，多于已签到代表50人" in over_sign_in.content.decode()
    assert client.post(url, data).status_code == 302
    client.post(reverse("livelihood:evaluation_close", args=[evaluation.pk]))
    lw.programme.refresh_from_db()
    first = Project.objects.get(pk=implementing[0].pk)
    assert lw.programme.phase == "evaluated" and first.grade == "dissatisfied"
    detail = client.get(_detail(lw.programme)).content.decode()
    assert "提出整改" in detail
    rectify = reverse("livelihood:project_rectify", args=[first.pk])
    due = timezone.localdate() + timedelta(days=90)
    client.post(
        rectify, {"explanation": "资金未到位，延期实施", "due": due.isoformat()}
    )
    first.refresh_from_db()
    assert first.carried_over and first.rectification_due == due


def test_evaluation_pages_permissions(client, lw, personas, implementing):
    evaluation = open_evaluation(lw, mode="paper")
    url = reverse("livelihood:evaluation_paper", args=[evaluation.pk])
    client.force_login(lw.users[0])
    assert client.get(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.township_staff)
    assert (
        client.get(
            reverse("livelihood:evaluation_close", args=[evaluation.pk])
        ).status_code
        == 405
    )


def test_staff_todo_lists_pending_change_requests(lw, personas, implementing):
    from portal.registry import nav_for, todo_items

    services.change_request_create(
        project=implementing[0], kind="change", reason="调整", actor=None
    )
    items = [
        i for i in todo_items(personas.township_staff) if i.kind == "livelihood.change"
    ]
    assert len(items) == 1 and "项目变更待主席团审议" in items[0].title
    assert not [
        i
        for i in todo_items(personas.other_county_staff)
        if i.kind == "livelihood.change"
    ]
    assert "民生实事" in [str(i.label) for i in nav_for(personas.township_staff)]
