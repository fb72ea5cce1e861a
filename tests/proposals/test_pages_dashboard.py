"""Navigation and the dashboard's to-do items of each role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.registry import nav_for, todo_items
from proposals import services
from tests.proposals.conftest import assigned, draft, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def nav_keys(user):
    return {item.key for item in nav_for(user)}


def test_navigation_per_role(pw, personas):
    assert "my_suggestions" in nav_keys(personas.deputy)
    assert {"suggestions"} <= nav_keys(personas.county_staff)
    assert "suggestions" in nav_keys(personas.leader)
    assert "assignments" in nav_keys(personas.unit_staff)
    assert not {"my_suggestions", "suggestions", "assignments"} & nav_keys(
        personas.township_gov
    )
    assert not {"suggestions", "assignments"} & nav_keys(personas.deputy)


def test_deputy_todos(pw, world, personas):
    from portal.models import Role
    from portal.services import role_grant_create
    from tests.factories import UserFactory, make_mandate

    co_user = UserFactory()
    role_grant_create(user=co_user, role=Role.DEPUTY, congress=pw.congress, actor=None)
    co_mandate = make_mandate(pw.congress, "附议人", user=co_user)
    invited = draft(pw, co_signers=[co_mandate])
    titles = [item.title for item in todo_items(co_user)]
    assert any(invited.title in t and "邀请您联名" in t for t in titles)
    to_rate = replied(pw, world, personas, title="关于待评价的建议")
    items = todo_items(personas.deputy)
    assert any(
        "答复待您评价" in i.title
        and i.url == reverse("proposals:detail", args=[to_rate.pk])
        for i in items
    )
    services.suggestion_evaluate(
        suggestion=to_rate,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    assert not any("答复待您评价" in i.title for i in todo_items(personas.deputy))


def test_staff_unit_and_leader_todos(pw, world, personas):
    submitted = draft(pw, title="关于待审查的建议")
    services.suggestion_submit(suggestion=submitted, actor=None)
    handling = assigned(pw, world, title="关于办理中的建议")
    lead = handling.assignments.get(role="lead")
    services.assignment_request_extension(
        assignment=lead,
        new_due_date=lead.due_date + timedelta(days=10),
        reason="需要时间",
        actor=None,
    )
    staff = [i.title for i in todo_items(personas.county_staff)]
    assert any("待审查" in t and submitted.title in t for t in staff)
    assert any("延期申请待审批" in t for t in staff)
    assert not todo_items(personas.other_county_staff)
    unit = todo_items(personas.unit_staff)
    assert any(handling.title in i.title and i.due_date == lead.due_date for i in unit)
    assert not any(handling.title in i.title for i in todo_items(personas.township_gov))
    services.key_item_create(
        congress=pw.congress,
        year=handling.year,
        title="农村公路督办",
        leader=personas.leader,
        suggestions=[handling],
        actor=None,
    )
    assert any("农村公路督办" in i.title for i in todo_items(personas.leader))


def test_dashboard_renders_the_proposals_todos(client, pw, world, personas):
    assigned(pw, world, title="关于办理中的建议")
    client.force_login(personas.unit_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    assert "交办待签收：关于办理中的建议" in html
    assert reverse("proposals:assignments") in html
