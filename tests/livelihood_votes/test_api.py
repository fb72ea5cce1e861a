"""Livelihood API per API.md: ideas, programmes, candidates, rounds, ballots, results."""

import pytest

from livelihood_votes.models import Programme
from portal.models import RuleSet
from portal.services import rule_set_update

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
    assert (
        staff.post(f"{url}/open/", {"present": 30}, format="json").status_code == 409
    )  # below quorum
    assert staff.post(f"{url}/open/", {}, format="json").json()["status"] == "open"
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
    staff = api_as(personas.township_staff)
    round_id = staff.post(
        f"/api/v1/livelihood/programs/{lw.programme.pk}/rounds/",
        {"mode": "electronic"},
        format="json",
    ).json()["id"]
    staff.post(f"/api/v1/livelihood/rounds/{round_id}/open/", {}, format="json")
    api.force_authenticate(None)
    assert (
        api.post(
            f"/api/v1/livelihood/rounds/{round_id}/ballot/",
            {"approve": []},
            format="json",
        ).status_code
        == 401
    )
    assert (
        api_as(personas.deputy)
        .post(
            f"/api/v1/livelihood/rounds/{round_id}/ballot/",
            {"approve": []},
            format="json",
        )
        .status_code
        == 403
    )
