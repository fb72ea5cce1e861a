"""A unit's extension or return request is between that unit and the congress
(issue 15): the other unit on the same suggestion, and the deputies, see that
it happened in the timeline, never the reason."""

from datetime import timedelta

import pytest
from django.urls import reverse

from proposals import services
from tests.proposals.conftest import assigned

pytestmark = pytest.mark.django_db

REASON = "需要等待省厅批复资金，原因甲"
RETURN_REASON = "不属于本单位职责，原因乙"


@pytest.fixture
def shared(pw, world):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    co = suggestion.assignments.get(role="co")
    services.assignment_request_extension(
        assignment=lead,
        new_due_date=lead.due_date + timedelta(days=30),
        reason=REASON,
        actor=None,
    )
    services.assignment_request_return(assignment=co, reason=RETURN_REASON, actor=None)
    return suggestion


def page_of(client, user, suggestion):
    client.force_login(user)
    response = client.get(reverse("proposals:detail", args=[suggestion.pk]))
    assert response.status_code == 200
    return response.content.decode()


def api_of(api_as, user, suggestion):
    response = api_as(user).get(f"/api/v1/suggestions/{suggestion.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_other_unit_sees_the_event_not_the_reason(client, api_as, shared, personas):
    html = page_of(client, personas.other_unit_staff, shared)
    assert "申请延期" in html and REASON not in html
    assert RETURN_REASON in html  # its own request
    body = api_of(api_as, personas.other_unit_staff, shared)
    assert REASON not in body and RETURN_REASON in body
    lead_html = page_of(client, personas.unit_staff, shared)
    assert REASON in lead_html and RETURN_REASON not in lead_html


def test_the_deputy_sees_neither_reason(client, api_as, shared, personas):
    html = page_of(client, personas.deputy, shared)
    assert REASON not in html and RETURN_REASON not in html
    body = api_of(api_as, personas.deputy, shared)
    assert REASON not in body and RETURN_REASON not in body


def test_congress_staff_see_both_reasons(client, api_as, shared, personas):
    html = page_of(client, personas.county_staff, shared)
    assert REASON in html and RETURN_REASON in html
    body = api_of(api_as, personas.county_staff, shared)
    assert REASON in body and RETURN_REASON in body
