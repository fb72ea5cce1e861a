"""The deputy detail page: masking, the audited reveal, history and timelines."""

from datetime import date

import pytest
from django.urls import reverse

from deputies import services
from deputies.models import Constituency, Mandate
from portal.models import AuditEvent
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db


def detail_url(mandate):
    return reverse("deputies:detail", args=[mandate.pk])


def reveal_url(mandate):
    return reverse("deputies:reveal", args=[mandate.pk])


def test_county_staff_sees_masked_personal_data(client, personas, deputies):
    mandate = deputies.own
    client.force_login(personas.county_staff)
    response = client.get(detail_url(mandate))
    assert response.status_code == 200
    html = response.content.decode()
    assert "张桂英" in html
    assert "139****5678" in html
    assert "13912345678" not in html
    assert mandate.person.id_number not in html
    assert (
        mandate.person.id_number[:6] + "********" + mandate.person.id_number[-4:]
        in html
    )
    assert "显示完整信息" in html


def test_township_deputy_is_visible_to_county_staff(client, personas, deputies):
    client.force_login(personas.county_staff)
    assert client.get(detail_url(deputies.township)).status_code == 200


def test_other_county_staff_gets_404(client, personas, deputies):
    client.force_login(personas.other_county_staff)
    assert client.get(detail_url(deputies.own)).status_code == 404
    assert client.post(reveal_url(deputies.own)).status_code == 404


def test_anonymous_is_sent_to_login(client, deputies):
    response = client.get(detail_url(deputies.own))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_wrong_methods(client, personas, deputies):
    client.force_login(personas.county_staff)
    assert client.post(detail_url(deputies.own)).status_code == 405
    assert client.get(reveal_url(deputies.own)).status_code == 405


def test_reveal_shows_full_values_and_is_audited(client, personas, deputies):
    mandate = deputies.own
    client.force_login(personas.county_staff)
    response = client.post(reveal_url(mandate), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    html = response.content.decode()
    assert "13912345678" in html
    assert mandate.person.id_number in html
    assert "no-store" in response.headers["Cache-Control"]
    audit = AuditEvent.objects.get(action="personal_data.reveal")
    assert audit.actor == personas.county_staff
    assert audit.object_id == str(mandate.pk)
    assert audit.ip_address == "10.1.2.3"
    # The next plain view is masked again, and the reveal shows in the timeline.
    html = client.get(detail_url(mandate)).content.decode()
    assert "13912345678" not in html
    assert "查看完整手机号码和身份证号码" in html


def test_leader_reads_but_may_not_reveal(client, personas, deputies):
    client.force_login(personas.leader)
    html = client.get(detail_url(deputies.own)).content.decode()
    assert "显示完整信息" not in html
    assert "暂停执行代表职务" not in html
    assert client.post(reveal_url(deputies.own)).status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_deputy_sees_own_page_without_staff_tools(client, personas, deputies):
    client.force_login(personas.deputy)
    html = client.get(detail_url(deputies.own)).content.decode()
    assert "139****5678" in html
    assert "显示完整信息" not in html
    assert "操作记录" not in html
    assert client.get(detail_url(deputies.county[0])).status_code == 404


def test_history_lists_the_persons_visible_mandates(client, personas, deputies, world):
    services.mandate_create(
        person=deputies.own.person,
        congress=world.township_congress,
        term=world.township_congress.current_term(),
        card_number="TH-900",
        constituency=Constituency.objects.create(
            congress=world.township_congress, name="桃花村选区"
        ),
        actor=None,
    )
    client.force_login(personas.county_staff)
    html = client.get(detail_url(deputies.own)).content.decode()
    assert "桃花乡人民代表大会第十九届" in html


def test_timelines_show_qualification_events(client, personas, deputies):
    mandate = deputies.county[0]
    services.mandate_suspend(
        mandate=mandate,
        ground="detained",
        on=date(2026, 11, 2),
        document_number="县人大常委会公告〔2026〕第12号",
        actor=personas.county_staff,
    )
    client.force_login(personas.county_staff)
    html = client.get(detail_url(mandate)).content.decode()
    assert "县人大常委会公告〔2026〕第12号" in html
    assert "因刑事案件被羁押正在受侦查、起诉、审判" in html
    assert "2026年11月2日" in html


def _grow(mandate, world, personas, n):
    """Add ledger rows, groups, audit rows and events to ``mandate``."""
    for i in range(n):
        services.ledger_record(
            mandate=mandate,
            kind="research",
            occurred_on=date(2026, 11, 1 + i),
            key=f"grow:{mandate.pk}:{i}:{n}",
            actor=None,
        )
        group = services.group_create(
            congress=world.county_congress,
            name=f"小组{n}-{i}",
            kind="regional",
            actor=None,
        )
        services.group_add_members(group=group, mandates=[mandate], actor=None)
        services.reveal_personal_data(actor=personas.county_staff, mandates=[mandate])
        services.person_update(
            person=mandate.person, actor=personas.county_staff, post=f"职务{i}"
        )
    services.mandate_suspend(
        mandate=mandate,
        ground="detained",
        on=date(2026, 11, 20),
        actor=personas.county_staff,
    )
    services.mandate_restore(
        mandate=mandate, on=date(2026, 11, 21), actor=personas.county_staff
    )


# session, user, grants, mandate, ledger, audit rows of the mandate and of the
# person, history, unread count, groups, qualification events, session save (3
# with its savepoint). What the user may do is decided from the grants
# (MandatePolicy), without a query of its own.
DETAIL_QUERIES = 11


def test_detail_query_count_is_constant(
    client, personas, world, terms, django_assert_num_queries
):
    mandate = make_mandate(world.county_congress, "周敏", card_number="XY-300")
    _grow(mandate, world, personas, 2)
    client.force_login(personas.county_staff)
    client.get(detail_url(mandate))
    with django_assert_num_queries(DETAIL_QUERIES):
        assert client.get(detail_url(mandate)).status_code == 200
    _grow(mandate, world, personas, 6)
    mandate = Mandate.objects.get(pk=mandate.pk)
    assert mandate.groups.count() == 8
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(detail_url(mandate))
    assert "小组6-5" in response.content.decode()


def test_the_photo_is_served_through_the_scope(
    client, personas, deputies, settings, tmp_path
):
    """Issue 15: in `make run` /media/ served every upload to anonymous users."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    person = deputies.county[0].person
    person.photo.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n0000"), save=True)
    url = f"/deputies/{deputies.county[0].pk}/photo/"
    client.force_login(personas.county_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    page = client.get(f"/deputies/{deputies.county[0].pk}/").content.decode()
    assert url in page and "/media/" not in page
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(personas.county_staff)
    assert client.get(f"/deputies/{deputies.county[1].pk}/photo/").status_code == 404
