"""The public page and the anonymous API read one projection, scrubbed once."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import services

from .conftest import assigned, publish

PHONE = "13912345678"
ID_NUMBER = "430102199001011234"
LANDLINE = "0731-84561234"

pytestmark = pytest.mark.django_db


def _published_with_personal_data(pw, world):
    suggestion = assigned(
        pw,
        world,
        title=f"关于村道养护的建议（联系人{PHONE}）",
        problem=f"村民张某（身份证{ID_NUMBER}）反映路面坑洼，电话{LANDLINE}",
        proposals=f"请交通局联系{PHONE}核实",
    )
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead,
        method="meeting",
        date=timezone.localdate(),
        summary="面商",
        actor=None,
    )
    services.assignment_reply(
        assignment=lead,
        category="A",
        text=f"已修复，如有问题请拨打{PHONE}或{LANDLINE}，经办人身份证{ID_NUMBER}",
        commitments=[],
        actor=None,
    )
    suggestion.refresh_from_db()
    # Published as the unit wrote it: the public projection must still scrub it.
    suggestion = publish(suggestion)
    assert suggestion.published_at is not None
    return suggestion


@pytest.mark.parametrize("secret", [PHONE, ID_NUMBER, LANDLINE])
def test_public_api_hides_phone_and_id_numbers_typed_into_text(
    api, pw, world, personas, secret
):
    _published_with_personal_data(pw, world)
    body = api.get("/api/v1/public/suggestions/").content.decode()
    assert "已修复" in body
    assert secret not in body


@pytest.mark.parametrize("secret", [PHONE, ID_NUMBER, LANDLINE])
def test_public_pages_hide_the_same_numbers(client, pw, world, personas, secret):
    suggestion = _published_with_personal_data(pw, world)
    listing = client.get(reverse("proposals:public_list")).content.decode()
    detail = client.get(
        reverse("proposals:public_detail", args=[suggestion.pk])
    ).content.decode()
    assert "已修复" in detail
    assert secret not in listing
    assert secret not in detail


def test_page_and_api_show_the_same_reply_text(api, client, pw, world, personas):
    suggestion = _published_with_personal_data(pw, world)
    row = api.get("/api/v1/public/suggestions/").json()["results"][0]
    detail = client.get(
        reverse("proposals:public_detail", args=[suggestion.pk])
    ).content.decode()
    assert row["replies"][0]["text"] in detail.replace("&#x27;", "'")
