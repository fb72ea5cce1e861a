"""The public list of published replies: only what the deputy agreed to publish,
searchable, never phone or ID numbers or contact records."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals import services
from proposals.models import Suggestion
from tests.proposals.conftest import assigned, publish, replied

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = "430102198001011234"


def published(pw, world, personas, **extra):
    return publish(replied(pw, world, personas, **extra))


def test_public_list_shows_published_replies_only(client, pw, world, personas):
    shown = published(pw, world, personas)
    private = published(pw, world, personas, title="关于不公开的建议", is_public=False)
    pending = assigned(pw, world, title="关于尚未答复的建议")
    response = client.get(reverse("proposals:public_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert shown.title in html and world.unit.name in html
    assert private.title not in html and pending.title not in html


def test_public_search_and_filters(client, pw, world, personas):
    road = published(pw, world, personas)
    school = published(
        pw, world, personas, title="关于改善学校食堂的建议", problem="食堂设施老旧"
    )
    url = reverse("proposals:public_list")
    html = client.get(url, {"q": "食堂"}).content.decode()
    assert school.title in html and road.title not in html
    html = client.get(
        url, {"congress": pw.congress.pk, "year": road.year}
    ).content.decode()
    assert school.title in html and road.title in html
    html = client.get(url, {"year": road.year + 5}).content.decode()
    assert "没有符合条件的公开答复" in html


def test_public_pages_never_show_phone_id_or_contacts(client, pw, world, personas):
    suggestion = assigned(
        pw, world, problem=f"村民张三（电话{PHONE}，身份证{ID_NUMBER}）反映村道坑洼"
    )
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead,
        method="phone",
        date=lead.assigned_on,
        summary=f"电话联系代表{PHONE}",
        actor=None,
    )
    services.assignment_reply(
        assignment=lead, category="A", text=f"已修复，联系电话{PHONE}", actor=None
    )
    suggestion.refresh_from_db()
    publish(suggestion)
    for url in (
        reverse("proposals:public_list"),
        reverse("proposals:public_detail", args=[suggestion.pk]),
    ):
        html = client.get(url).content.decode()
        assert PHONE not in html and ID_NUMBER not in html, url
        assert "电话联系代表" not in html
        assert pw.lead.person.mobile not in html
    detail = client.get(
        reverse("proposals:public_detail", args=[suggestion.pk])
    ).content.decode()
    assert "已修复" in detail and world.unit.name in detail


def test_public_detail_of_an_unpublished_one_is_404(client, pw, world, personas):
    private = published(pw, world, personas, is_public=False)
    pending = assigned(pw, world, title="关于尚未答复的建议")
    for suggestion in (private, pending):
        assert (
            client.get(
                reverse("proposals:public_detail", args=[suggestion.pk])
            ).status_code
            == 404
        )


def test_public_pages_refuse_post(client, pw, world, personas):
    shown = published(pw, world, personas)
    assert client.post(reverse("proposals:public_list")).status_code == 405
    assert (
        client.post(reverse("proposals:public_detail", args=[shown.pk])).status_code
        == 405
    )


def test_public_list_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    url = reverse("proposals:public_list")
    published(pw, world, personas, title="关于第一件事的建议")
    client.get(url)  # the filter's options are cached after the first page
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(2):
        published(pw, world, personas, title=f"关于另{n}件事的建议")
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('class="p-card"') == 3


def test_public_list_paginates_at_20(client, pw, world, personas):
    template = published(pw, world, personas)
    # Copies of the published row are enough to test the page size.
    rows = []
    for n in range(21):
        copy = Suggestion.objects.get(pk=template.pk)
        copy.pk = None
        copy.number = None
        copy.title = f"关于第{n}件事的建议"
        rows.append(copy)
    Suggestion.objects.bulk_create(rows)
    html = client.get(reverse("proposals:public_list")).content.decode()
    assert html.count('class="p-card"') == 20 and "?page=2" in html
