"""Issue 16 (organs): the API reads — scoped like the pages (an organ's staff
their organ's, another county nothing, a deputy their own) and constant queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deputies import organ_services as services
from portal.models import HandlingUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organ_world(world, deputies):
    today = timezone.localdate()
    plan = services.organ_plan_create(
        unit=world.unit,
        year=today.year,
        deputies=[deputies.own, *deputies.county[:2]],
        actor=None,
    )
    services.organ_contact_record(
        plan=plan,
        kind="visit",
        date=today,
        subject="走访",
        participants=[deputies.own],
        actor=None,
    )
    services.organ_contact_record(
        plan=plan,
        kind="briefing",
        date=today,
        subject="通报",
        participants=deputies.county[:2],
        actor=None,
    )
    meeting = services.standing_meeting_create(
        congress=world.county_congress,
        number=2,
        date=today + timedelta(days=3),
        actor=None,
    )
    services.meeting_invite(
        meeting=meeting,
        mandates=[deputies.own, *deputies.county[:2]],
        topic="报告",
        actor=None,
    )
    return plan, meeting


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_unit_staff_see_their_organs_plan_and_contacts(api_as, personas, organ_world):
    plan, _meeting = organ_world
    client = api_as(personas.unit_staff)
    [row] = rows(client.get("/api/v1/organ-plans/"))
    assert row["id"] == plan.pk and row["deputy_count"] == 3 and row["done"] == 3
    assert len(rows(client.get("/api/v1/organ-contacts/"))) == 2
    assert rows(client.get("/api/v1/standing-meetings/")) == []
    other = api_as(personas.other_unit_staff)
    assert rows(other.get("/api/v1/organ-plans/")) == []
    assert other.get(f"/api/v1/organ-plans/{plan.pk}/").status_code == 404


def test_other_county_sees_nothing(api_as, personas, organ_world):
    plan, meeting = organ_world
    client = api_as(personas.other_county_staff)
    for path in ("organ-plans", "organ-contacts", "standing-meetings"):
        assert rows(client.get(f"/api/v1/{path}/")) == []
    assert client.get(f"/api/v1/standing-meetings/{meeting.pk}/").status_code == 404


def test_deputy_sees_own_contacts_and_invitation(api_as, personas, organ_world):
    _plan, meeting = organ_world
    client = api_as(personas.deputy)
    assert rows(client.get("/api/v1/organ-plans/")) == []
    [contact] = rows(client.get("/api/v1/organ-contacts/"))
    assert contact["subject"] == "走访"
    [invitation] = rows(client.get("/api/v1/meeting-invitations/"))
    assert invitation["name"] == "张桂英"
    [shown] = rows(client.get("/api/v1/standing-meetings/"))
    assert shown["id"] == meeting.pk


def test_lists_keep_constant_queries(
    api_as, personas, world, deputies, organ_world, django_assert_max_num_queries
):
    client = api_as(personas.county_staff)
    client.get("/api/v1/organ-plans/")  # warm the scope of this user object
    counts = {}
    for path in ("organ-plans", "organ-contacts", "meeting-invitations"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            rows(client.get(f"/api/v1/{path}/"))
        counts[path] = len(ctx.captured_queries)
    unit = HandlingUnit.objects.create(
        name="湘源县人民法院", region=world.county, kind="court"
    )
    plan = services.organ_plan_create(
        unit=unit,
        year=timezone.localdate().year,
        deputies=deputies.county[:4],
        actor=None,
    )
    for n in range(3):
        services.organ_contact_record(
            plan=plan,
            kind="visit",
            date=timezone.localdate(),
            subject=f"走访{n}",
            participants=deputies.county[n : n + 2],
            actor=None,
        )
    for path, count in counts.items():
        with django_assert_max_num_queries(count):
            rows(client.get(f"/api/v1/{path}/"))
