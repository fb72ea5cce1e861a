"""Qualification actions on the detail page: suspend, restore, terminate."""

from datetime import date

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import Mandate, QualificationEvent
from portal.models import AuditEvent
from tests.deputies.conftest import messages_of

pytestmark = pytest.mark.django_db

DOC = "湘源县人大常委会公告〔2026〕第13号"


def url(name, mandate):
    return reverse(f"deputies:{name}", args=[mandate.pk])


def test_suspend_then_restore(client, personas, deputies):
    mandate = deputies.county[0]
    client.force_login(personas.county_staff)
    response = client.post(
        url("suspend", mandate),
        {
            "ground": "serving_sentence",
            "on": "2026-11-02",
            "document_number": "县人大常委会公告〔2026〕第12号",
        },
    )
    assert response.status_code == 302
    assert response.url == url("detail", mandate)
    assert "已登记王建国暂停执行代表职务。" in messages_of(response)
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.SUSPENDED
    event = QualificationEvent.objects.get(mandate=mandate)
    assert (event.ground, event.date, event.actor) == (
        "serving_sentence",
        date(2026, 11, 2),
        personas.county_staff,
    )

    html = client.get(url("detail", mandate)).content.decode()
    assert "恢复执行代表职务" in html
    response = client.post(url("restore", mandate), {"on": "2026-11-20"})
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE
    assert AuditEvent.objects.filter(
        action="mandate.restore", actor=personas.county_staff
    ).exists()


def test_terminate_needs_the_announcement_number(client, personas, deputies):
    mandate = deputies.county[1]
    client.force_login(personas.county_staff)
    response = client.post(
        url("terminate", mandate), {"ground": "moved_away", "on": "2026-11-16"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "代表资格终止须填写公告编号。" in html
    assert '<details class="action-panel" open>' in html
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE
    assert not QualificationEvent.objects.exists()


def test_terminate(client, personas, deputies):
    mandate = deputies.county[1]
    client.force_login(personas.county_staff)
    response = client.post(
        url("terminate", mandate),
        {"ground": "moved_away", "on": "2026-11-16", "document_number": DOC},
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.TERMINATED
    assert mandate.ended_on == date(2026, 11, 16)
    html = client.get(url("detail", mandate)).content.decode()
    assert DOC in html
    assert "迁出或者调离本行政区域" in html
    assert 'action="' + url("suspend", mandate) not in html  # no more actions


def test_refused_transition_shows_the_reason_and_changes_nothing(
    client, personas, deputies
):
    mandate = deputies.county[2]
    services.mandate_terminate(
        mandate=mandate,
        ground="resigned",
        on=date(2026, 11, 10),
        document_number=DOC,
        actor=None,
    )
    client.force_login(personas.county_staff)
    response = client.post(
        url("suspend", mandate), {"ground": "detained", "on": "2026-11-20"}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["代表资格已终止，不能暂停执行代表职务。"]
    response = client.post(url("restore", mandate), {"on": "2026-11-20"})
    assert (
        messages_of(response)[-1]
        == "代表资格已终止或任期已届满，不能恢复执行代表职务。"
    )
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.TERMINATED
    assert QualificationEvent.objects.filter(mandate=mandate).count() == 1


def test_a_ground_of_the_wrong_kind_is_a_form_error(client, personas, deputies):
    mandate = deputies.county[0]
    client.force_login(personas.county_staff)
    response = client.post(
        url("suspend", mandate), {"ground": "resigned", "on": "2026-11-20"}
    )
    assert response.status_code == 200
    assert not QualificationEvent.objects.exists()


@pytest.mark.parametrize("action", ["suspend", "restore", "terminate"])
def test_permissions_and_method(client, personas, deputies, action):
    mandate = deputies.county[0]
    data = {"ground": "detained", "on": "2026-11-20", "document_number": DOC}
    client.force_login(personas.other_county_staff)
    assert client.post(url(action, mandate), data).status_code == 404
    client.force_login(personas.leader)
    assert client.post(url(action, mandate), data).status_code == 403
    client.force_login(personas.deputy)
    assert client.post(url(action, deputies.own), data).status_code == 403
    client.force_login(personas.county_staff)
    assert client.get(url(action, mandate)).status_code == 405
    client.logout()
    assert client.post(url(action, mandate), data).status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE
