"""The Django admin and the logs keep to the same rules as the portal (issue 15):
citizens' numbers masked, deputies' ratings and the records they hang on never
deleted, the default SMS backend logging no full mobile."""

import logging

import pytest
from django.urls import reverse

from portal.sms import ConsoleSmsBackend
from stations import services as station_services
from stations.models import Station

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def opinion(world):
    station = station_services.station_create(
        name="桃花乡代表联络站",
        code="TH01",
        kind=Station.Kind.TOWNSHIP,
        region=world.township,
        tracking_prefix="TH",
        actor=None,
    )
    return station_services.opinion_submit(
        station=station,
        name="张三",
        phone=PHONE,
        content="村口道路坑洼，雨天积水。",
        category="transport",
        actor=None,
    )


def test_the_admin_opinion_page_masks_the_citizens_number(client, personas, opinion):
    client.force_login(personas.admin)
    html = client.get(
        reverse("admin:stations_opinion_change", args=[opinion.pk])
    ).content.decode()
    assert "138****5678" in html
    assert PHONE not in html


@pytest.mark.parametrize(
    "name",
    [
        "proposals_evaluation",
        "proposals_suggestion",
        "proposals_assignment",
        "stations_opinion",
    ],
)
def test_the_admin_offers_no_delete_of_records(client, personas, name):
    """A deputy's rating is theirs: neither it nor what it rates is deleted from
    the admin (the bulk action is gone too)."""
    client.force_login(personas.admin)
    page = client.get(reverse(f"admin:{name}_changelist"))
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    assert client.get(reverse(f"admin:{name}_delete", args=[1])).status_code in (
        403,
        404,
        302,
    )


def test_the_console_sms_backend_logs_the_number_masked():
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("portal.sms")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        ConsoleSmsBackend().send(
            phone=PHONE, text="您反映的问题已答复。", message_id="m1"
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    (record,) = records
    assert "138****5678" in record.getMessage()
    assert PHONE not in record.getMessage()
