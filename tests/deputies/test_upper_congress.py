"""Upper and lower congresses have no leadership relation (DESIGN.md §11): staff of
a congress above read and supervise the deputies of the congresses below (200)
but do not register, change or record for them (403, ``UserScope.acts_for``)."""

from datetime import date

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import Activity, Mandate
from deputies.policies import MandatePolicy
from portal.policies import Forbidden
from tests.deputies.conftest import messages_of

pytestmark = pytest.mark.django_db

REFUSAL = "上下级人大之间没有领导关系"


def post(client, user, name, pk, data=None):
    client.force_login(user)
    return client.post(reverse(f"deputies:{name}", args=[pk]), data or {})


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("suspend", {"ground": "detained", "on": "2026-11-02"}),
        (
            "terminate",
            {"ground": "resigned", "on": "2026-11-02", "document_number": "第1号"},
        ),
        ("person_edit", {"name": "改名"}),
    ],
)
def test_province_staff_may_not_change_a_county_deputy(
    client, personas, deputies, name, data
):
    mandate = deputies.county[0]
    response = post(client, personas.province_staff, name, mandate.pk, data)
    assert response.status_code == 403
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE
    assert mandate.person.name == "王建国"
    # The county's own staff may.
    response = post(client, personas.county_staff, name, mandate.pk, data)
    assert response.status_code in (200, 302)


def test_the_refusal_names_the_reason(personas, deputies):
    with pytest.raises(Forbidden) as refused:
        MandatePolicy.require(personas.province_staff, "manage", deputies.county[0])
    assert str(refused.value).startswith(REFUSAL)


def test_county_staff_may_not_change_a_township_deputy(client, personas, deputies):
    mandate = deputies.township
    data = {"ground": "detained", "on": "2026-11-02"}
    response = post(client, personas.county_staff, "suspend", mandate.pk, data)
    assert response.status_code == 403
    response = post(client, personas.township_staff, "suspend", mandate.pk, data)
    assert response.status_code == 302
    assert "已登记刘春暂停执行代表职务。" in messages_of(response)


def test_upper_staff_still_read_the_deputies_below(client, api_as, personas, deputies):
    client.force_login(personas.province_staff)
    for mandate in (deputies.county[0], deputies.township):
        response = client.get(reverse("deputies:detail", args=[mandate.pk]))
        assert response.status_code == 200
    assert "王建国" in client.get(reverse("deputies:list")).content.decode()
    api = api_as(personas.province_staff)
    assert api.get(f"/api/v1/deputies/{deputies.township.pk}/").status_code == 200


def test_the_detail_page_offers_no_changes_to_upper_staff(client, personas, deputies):
    url = reverse("deputies:detail", args=[deputies.county[0].pk])
    client.force_login(personas.county_staff)
    own = client.get(url).content.decode()
    client.force_login(personas.province_staff)
    upper = client.get(url).content.decode()
    suspend = reverse("deputies:suspend", args=[deputies.county[0].pk])
    assert suspend in own
    assert suspend not in upper


def test_upper_staff_may_not_review_or_record_the_county_activities(
    client, personas, deputies
):
    activity = services.activity_create(
        congress=deputies.county[0].congress,
        kind="research",
        title="乡村道路调研",
        date=date(2026, 11, 5),
        participants=deputies.county[:2],
        actor=personas.county_staff,
    )
    response = post(
        client,
        personas.province_staff,
        "activity_review",
        activity.pk,
        {"approve": "1"},
    )
    assert response.status_code == 403
    client.force_login(personas.province_staff)
    detail = client.get(reverse("deputies:activity_detail", args=[activity.pk]))
    assert detail.status_code == 200
    activity.refresh_from_db()
    assert activity.review_status == Activity.Review.PENDING
    assert not deputies.county[0].ledger.exists()
