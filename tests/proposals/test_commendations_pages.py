"""Commendation pages (issue 17): who may see and act on campaigns, the public
notice, own awards, the staff-only 零履职 talks, constant queries on lists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.services import ledger_record
from proposals.commendations import services
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _campaign(pw, n=0, kind="excellent_deputy"):
    return services.campaign_create(
        congress=pw.congress,
        year=TODAY.year,
        kind=kind,
        title=f"优秀人大代表评选{n}",
        nomination_deadline=TODAY + timedelta(days=10),
        actor=None,
    )


def _awarded(pw, target=None):
    c = services.campaign_open(campaign=_campaign(pw), actor=None)
    n = services.nomination_add(
        campaign=c, target=target or pw.lead, reason="履职突出", actor=None
    )
    services.campaign_close_nominations(campaign=c, actor=None)
    services.nomination_review(nomination=n, accept=True, actor=None)
    services.campaign_approve(
        campaign=c,
        document_number="湘源人大常发〔2026〕8号",
        approved_on=TODAY,
        actor=None,
    )
    return services.campaign_publish(campaign=c, actor=None)


def test_list_for_staff_and_leader_with_constant_queries(
    client, pw, personas, django_assert_max_num_queries
):
    for n in range(4):
        _campaign(pw, n)
    client.force_login(personas.county_staff)
    url = reverse("proposals:commendation_list")
    client.get(url)
    with django_assert_max_num_queries(12) as first:
        response = client.get(url)
    assert response.status_code == 200
    assert "优秀人大代表评选3" in response.content.decode()
    for n in range(4, 10):
        _campaign(pw, n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200
    client.force_login(personas.leader)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["deputy", "unit_staff", "nobody", "township_gov"])
def test_list_is_forbidden_to_others(client, pw, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("proposals:commendation_list")).status_code == 403


def test_other_county_and_units_get_404_on_a_campaign(client, pw, personas):
    c = _campaign(pw)
    url = reverse("proposals:commendation_detail", args=[c.pk])
    for who in ("other_county_staff", "unit_staff", "deputy", "township_staff"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 404, who
        assert (
            client.post(reverse("proposals:commendation_open", args=[c.pk])).status_code
            == 404
        ), who
    client.force_login(personas.province_staff)
    assert client.get(url).status_code == 200


def test_staff_run_the_campaign_and_others_may_not(client, pw, personas):
    c = _campaign(pw)
    client.force_login(personas.leader)
    assert (
        client.post(reverse("proposals:commendation_open", args=[c.pk])).status_code
        == 403
    )
    client.force_login(personas.province_staff)
    assert (
        client.post(reverse("proposals:commendation_open", args=[c.pk])).status_code
        == 403
    )
    client.force_login(personas.county_staff)
    assert (
        client.get(reverse("proposals:commendation_open", args=[c.pk])).status_code
        == 405
    )
    response = client.post(reverse("proposals:commendation_open", args=[c.pk]))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.status == "nominating"
    response = client.post(
        reverse("proposals:commendation_nominate", args=[c.pk]),
        {"target": pw.lead.pk, "reason": "走访选民多"},
    )
    assert response.status_code == 302
    client.post(reverse("proposals:commendation_close", args=[c.pk]))
    nomination = c.nominations.get()
    client.post(
        reverse("proposals:commendation_review", args=[nomination.pk]),
        {"decision": "accept"},
    )
    response = client.post(
        reverse("proposals:commendation_approve", args=[c.pk]),
        {"document_number": "8号", "approved_on": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "文号格式" in response.content.decode()
    client.post(
        reverse("proposals:commendation_approve", args=[c.pk]),
        {
            "document_number": "湘源人大常发〔2026〕8号",
            "approved_on": TODAY.isoformat(),
        },
    )
    client.post(reverse("proposals:commendation_publish", args=[c.pk]))
    c.refresh_from_db()
    assert c.status == "published"
    page = client.get(reverse("proposals:commendation_detail", args=[c.pk]))
    assert "湘源人大常发〔2026〕8号" in page.content.decode()


def test_public_notice_and_own_awards(client, pw, personas):
    c = _awarded(pw)
    draft = _campaign(pw, 9)
    response = client.get(reverse("proposals:commendation_public_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert c.title in body and draft.title not in body
    detail = client.get(reverse("proposals:commendation_public_detail", args=[c.pk]))
    assert "丁一" in detail.content.decode()
    assert (
        client.get(
            reverse("proposals:commendation_public_detail", args=[draft.pk])
        ).status_code
        == 404
    )
    client.force_login(personas.deputy)
    mine = client.get(reverse("proposals:commendation_mine"))
    assert c.title in mine.content.decode()
    client.force_login(personas.other_deputy)
    assert (
        c.title
        not in client.get(reverse("proposals:commendation_mine")).content.decode()
    )


def test_units_see_only_their_own_awards(client, pw, world, personas):
    c = services.campaign_open(
        campaign=_campaign(pw, kind="excellent_unit"), actor=None
    )
    n = services.nomination_add(
        campaign=c, target=world.unit, reason="办理好", actor=None
    )
    services.campaign_close_nominations(campaign=c, actor=None)
    services.nomination_review(nomination=n, accept=True, actor=None)
    services.campaign_approve(
        campaign=c,
        document_number="湘源人大常发〔2026〕9号",
        approved_on=TODAY,
        actor=None,
    )
    services.campaign_publish(campaign=c, actor=None)
    client.force_login(personas.unit_staff)
    assert (
        "湘源县交通运输局"
        in client.get(reverse("proposals:commendation_mine")).content.decode()
    )
    client.force_login(personas.other_unit_staff)
    assert (
        "湘源县交通运输局"
        not in client.get(reverse("proposals:commendation_mine")).content.decode()
    )


def test_zero_performance_is_staff_only(
    client, pw, personas, django_assert_max_num_queries
):
    zero = make_mandate(pw.congress, "零代表")
    ledger_record(
        mandate=pw.lead, kind="training", occurred_on=TODAY, key="k", actor=None
    )
    client.force_login(personas.county_staff)
    url = reverse("proposals:zero_list")
    client.get(url)
    with django_assert_max_num_queries(14) as first:
        body = client.get(url).content.decode()
    assert "零代表" in body and "丁一" not in body
    for n in range(5):
        make_mandate(pw.congress, f"零{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)
    record = reverse("proposals:zero_record", args=[zero.pk])
    response = client.post(
        record,
        {
            "step": "talk",
            "held_on": TODAY.isoformat(),
            "held_by": "代表工委主任",
            "notes": "提醒履职",
        },
    )
    assert response.status_code == 302
    assert "提醒谈话" in client.get(url).content.decode()
    client.force_login(personas.leader)
    assert client.get(record).status_code == 200
    assert client.post(record, {"step": "talk"}).status_code == 403
    for who in ("deputy", "unit_staff", "nobody"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 403
        assert client.get(record).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.get(record).status_code == 404


def test_create_page(client, pw, personas):
    client.force_login(personas.county_staff)
    url = reverse("proposals:commendation_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "congress": pw.congress.pk,
            "kind": "excellent_suggestion",
            "year": TODAY.year,
            "title": "优秀代表建议评选",
            "nomination_deadline": (TODAY + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    client.force_login(personas.leader)
    assert client.get(url).status_code == 403
