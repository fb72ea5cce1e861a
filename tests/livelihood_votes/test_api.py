"""Livelihood API per API.md: ideas, programmes, candidates, rounds, ballots, results."""

import pytest

from livelihood_votes.models import Programme
from portal.models import RuleSet
from portal.services import rule_set_update
from tests.livelihood_votes.conftest import open_round

pytestmark = pytest.mark.django_db


def test_public_idea_gets_a_tracking_code(api, lw):
    other = Programme.objects.create(
        congress=lw.congress, year=2027, seats=5, region_path=lw.congress.region.path
    )
    response = api.post(
        "/api/v1/public/livelihood-ideas/",
        {
            "congress": lw.congress.pk,
            "title": "修建村级文化广场",
            "description": "桃花村缺少群众活动场所",
            "phone": "13812345678",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["tracking_code"].startswith("MS2027-")
    assert other.ideas.count() == 1


def test_public_idea_validation_and_rate_limit(api, lw, world):
    Programme.objects.create(
        congress=lw.congress, year=2027, seats=5, region_path=lw.congress.region.path
    )
    bad = api.post(
        "/api/v1/public/livelihood-ideas/",
        {"congress": lw.congress.pk, "title": "", "description": "x", "phone": "1"},
        format="json",
    )
    assert bad.status_code == 400 and "title" in bad.json()
    rule_set_update(
        rule_set=RuleSet.objects.create(congress=lw.congress, name="乡"),
        values={"public_submissions_per_hour": 1},
        actor=None,
    )
    payload = {
        "congress": lw.congress.pk,
        "title": "修路",
        "description": "修建通组公路一条",
    }
    assert (
        api.post("/api/v1/public/livelihood-ideas/", payload, format="json").status_code
        == 201
    )
    assert (
        api.post("/api/v1/public/livelihood-ideas/", payload, format="json").status_code
        == 429
    )


def test_programme_create_once_per_year(api_as, lw, personas):
    staff = api_as(personas.township_staff)
    assert (
        staff.post(
            "/api/v1/livelihood/programs/",
            {"congress": lw.congress.pk, "year": 2026, "seats": 7},
            format="json",
        ).status_code
        == 400
    )
    created = staff.post(
        "/api/v1/livelihood/programs/",
        {"congress": lw.congress.pk, "year": 2027, "seats": 6},
        format="json",
    )
    assert created.status_code == 201 and created.json()["phase"] == "collecting"
    other = api_as(personas.other_county_staff).post(
        "/api/v1/livelihood/programs/",
        {"congress": lw.congress.pk, "year": 2028, "seats": 6},
        format="json",
    )
    assert other.status_code == 400
    leader = api_as(personas.leader).post(
        "/api/v1/livelihood/programs/",
        {"congress": lw.congress.pk, "year": 2028, "seats": 6},
        format="json",
    )
    assert leader.status_code == 403


def test_full_vote_over_the_api(api_as, lw, personas):
    staff = api_as(personas.township_staff)
    base = f"/api/v1/livelihood/programs/{lw.programme.pk}"
    added = staff.post(
        f"{base}/candidates/",
        {"title": "第11个", "description": "x", "estimated_cost": "12.5"},
        format="json",
    )
    assert added.status_code == 201
    assert (
        staff.post(
            f"{base}/candidates/",
            {"title": "x", "description": "x", "estimated_cost": "0"},
            format="json",
        ).status_code
        == 400
    )
    # Rounds only once the candidates are published and deliberated.
    assert (
        staff.post(f"{base}/rounds/", {"mode": "electronic"}, format="json").status_code
        == 409
    )
    skip = staff.post(f"{base}/advance/", {"to": "deliberation"}, format="json")
    assert skip.status_code == 409 and "不能跳过阶段" in str(skip.json())
    assert (
        staff.post(f"{base}/advance/", {"to": "nowhere"}, format="json").status_code
        == 400
    )
    for phase in ("screening", "assessing", "candidates", "deliberation"):
        moved = staff.post(f"{base}/advance/", {"to": phase}, format="json")
        assert moved.status_code == 200 and moved.json()["phase"] == phase
    round_response = staff.post(
        f"{base}/rounds/", {"mode": "electronic"}, format="json"
    )
    assert round_response.status_code == 201
    round_id = round_response.json()["id"]
    url = f"/api/v1/livelihood/rounds/{round_id}"
    deputy = api_as(lw.users[0])
    assert (
        deputy.post(f"{url}/ballot/", {"approve": []}, format="json").status_code == 409
    )  # not open yet
    staff = api_as(personas.township_staff)
    # Sign-in: 30 by staff is below the 2/3 quorum of 52.
    signed = staff.post(
        f"{url}/attendance/",
        {"present": [m.pk for m in lw.deputies[:30]]},
        format="json",
    )
    assert signed.status_code == 200 and signed.json() == {"signed_in": 30}
    assert staff.post(f"{url}/open/", {}, format="json").status_code == 409
    assert (
        staff.post(
            f"{url}/attendance/", {"present": [999999]}, format="json"
        ).status_code
        == 400
    )
    assert (
        staff.post(f"{url}/attendance/", {"present": "x"}, format="json").status_code
        == 400
    )
    # Five deputies sign themselves in with the hall code; a wrong code is a 400.
    from livelihood_votes.models import VoteRound

    code = VoteRound.objects.get(pk=round_id).check_in_code
    wrong = api_as(lw.users[30]).post(
        f"{url}/check-in/", {"code": "x" + code[1:]}, format="json"
    )
    assert wrong.status_code == 400 and "code" in wrong.json()
    for user in lw.users[30:35]:
        checked = api_as(user).post(f"{url}/check-in/", {"code": code}, format="json")
        assert checked.status_code == 200
        assert checked.json() == {"checked_in": True, "already": False}
    staff = api_as(personas.township_staff)  # api_as re-authenticates one client
    opened = staff.post(f"{url}/open/", {}, format="json").json()
    assert (opened["status"], opened["present"], opened["signed_in"]) == (
        "open",
        35,
        35,
    )
    not_signed_in = api_as(lw.users[40]).post(
        f"{url}/ballot/", {"approve": []}, format="json"
    )
    assert not_signed_in.status_code == 403 and "签到" in str(not_signed_in.json())
    assert staff.get(f"{url}/results/").status_code == 409
    ids = [c.pk for c in lw.candidates]
    deputy = api_as(lw.users[0])
    assert (
        deputy.post(f"{url}/ballot/", {"approve": ids[:8]}, format="json").status_code
        == 400
    )
    first = deputy.post(f"{url}/ballot/", {"approve": ids[:7]}, format="json")
    assert first.status_code == 201 and set(first.json()) == {"receipt"}
    assert (
        deputy.post(f"{url}/ballot/", {"approve": ids[:7]}, format="json").status_code
        == 409
    )
    for user in lw.users[1:30]:
        assert (
            api_as(user)
            .post(f"{url}/ballot/", {"approve": ids[:7]}, format="json")
            .status_code
            == 201
        )
    assert (
        api_as(personas.township_staff)
        .post(f"{url}/ballot/", {"approve": []}, format="json")
        .status_code
        == 403
    )
    staff = api_as(personas.township_staff)
    assert staff.post(f"{url}/close/").status_code == 200
    lw.programme.refresh_from_db()
    assert lw.programme.phase == "implementing"
    results = staff.get(f"{url}/results/").json()
    assert {k: results[k] for k in ("eligible", "participated", "ballots", "void")} == {
        "eligible": 52,
        "participated": 30,
        "ballots": 30,
        "void": 0,
    }
    assert [c["approvals"] for c in results["candidates"][:7]] == [30] * 7
    assert all(c["selected"] for c in results["candidates"][:7])
    assert set(results["candidates"][0]) == {
        "candidate",
        "title",
        "approvals",
        "selected",
        "tied",
    }
    text = str(results)
    assert not any(u.username in text for u in lw.users)
    public = api_as(personas.nobody)
    assert (
        public.get(f"/api/v1/public/livelihood-results/{round_id}/").status_code == 200
    )


def test_anonymous_and_outsiders_cannot_vote(api, api_as, lw, personas):
    vote_round = open_round(lw)
    round_id = vote_round.pk
    base = f"/api/v1/livelihood/rounds/{round_id}"
    api.force_authenticate(None)
    assert (
        api.post(f"{base}/ballot/", {"approve": []}, format="json").status_code == 401
    )
    # Outside the congress's scope: 404 on every round endpoint, so the round's
    # existence and state do not leak (not 403 or 409).
    for persona in (personas.deputy, personas.other_county_staff, personas.unit_staff):
        client = api_as(persona)
        for method, path, body in (
            ("get", "/", None),
            ("post", "/ballot/", {"approve": []}),
            ("post", "/check-in/", {"code": vote_round.check_in_code}),
            ("post", "/attendance/", {"present": [lw.deputies[0].pk]}),
            ("post", "/open/", {}),
            ("post", "/close/", {}),
            ("get", "/results/", None),
        ):
            response = getattr(client, method)(f"{base}{path}", body, format="json")
            assert response.status_code == 404, (persona, path, response.status_code)
    # In scope but not allowed: a deputy may not record attendance or close.
    deputy = api_as(lw.users[0])
    assert (
        deputy.post(
            f"{base}/attendance/", {"present": [lw.deputies[0].pk]}, format="json"
        ).status_code
        == 403
    )
    assert deputy.post(f"{base}/close/", {}, format="json").status_code == 403


def test_check_in_takes_full_width_digits_and_is_limited(api_as, lw, settings):
    from livelihood_votes import services
    from tests.livelihood_votes.conftest import to_deliberation

    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    url = f"/api/v1/livelihood/rounds/{vote_round.pk}/check-in/"
    full_width = vote_round.check_in_code.translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    deputy = api_as(lw.users[0])
    assert deputy.post(url, {"code": "１２３"}, format="json").status_code == 400
    assert deputy.post(url, {"code": full_width}, format="json").status_code == 200
    other = api_as(lw.users[1])
    statuses = [
        other.post(url, {"code": "999999x"}, format="json").status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_bad_input_on_the_new_endpoints_is_a_400_never_a_500(api_as, api, lw, personas):
    from livelihood_votes import services
    from tests.livelihood_votes.conftest import to_deliberation

    staff = api_as(personas.township_staff)
    created = staff.post(
        "/api/v1/livelihood/programs/",
        {
            "congress": lw.congress.pk,
            "year": 2027,
            "seats": 5,
            "budget": "100",
            "budget_upper": "150",
        },
        format="json",
    )
    assert created.status_code == 400 and "budget_upper" in created.json()
    assert (
        staff.post(
            "/api/v1/livelihood/programs/",
            {"congress": lw.congress.pk, "year": 2028, "seats": 5, "budget": "x"},
            format="json",
        ).status_code
        == 400
    )
    to_deliberation(lw)
    vote_round = services.round_create(
        programme=lw.programme, mode="electronic", actor=None
    )
    url = f"/api/v1/livelihood/rounds/{vote_round.pk}"
    staff = api_as(personas.township_staff)
    for body in ({"present": [10**30]}, {"present": [0]}, {"present": []}, {}):
        assert staff.post(f"{url}/attendance/", body, format="json").status_code == 400
    for body in ({"to": 5}, {"to": ""}, {}):
        assert (
            staff.post(
                f"/api/v1/livelihood/programs/{lw.programme.pk}/advance/",
                body,
                format="json",
            ).status_code
            == 400
        )
    deputy = api_as(lw.users[0])
    for body in ({"code": ["x"]}, {"code": "\x00\x00"}, {}):
        assert deputy.post(f"{url}/check-in/", body, format="json").status_code == 400
    services.round_attendance_record(
        vote_round=vote_round, mandates=lw.deputies, actor=None
    )
    services.round_open(vote_round=vote_round, actor=None)
    services.round_close(vote_round=vote_round, actor=None)
    api.force_authenticate(None)
    public = f"/api/v1/public/livelihood-results/{vote_round.pk}/"
    # A NUL anywhere in the query string is refused first (RejectNulMiddleware).
    assert api.get(public, {"receipt": "\x00"}).status_code == 400
    for receipt in ("x" * 500, "ABC'--"):
        response = api.get(public, {"receipt": receipt})
        assert response.status_code == 200
        assert response.json()["receipt_counted"] is False


def test_the_candidates_list_is_paginated_as_documented(api_as, lw, personas):
    """Like every list (API.md "Conventions") and as the schema said; it was a
    bare array (issue 15, Schemathesis)."""
    client = api_as(personas.township_staff)
    url = f"/api/v1/livelihood/programs/{lw.programme.pk}/candidates/"
    page = client.get(url).json()
    assert page["count"] == 10 and page["next"] is None
    assert [c["title"] for c in page["results"]][:2] == ["候选项目1", "候选项目2"]
    assert len(client.get(url, {"page_size": 3}).json()["results"]) == 3
