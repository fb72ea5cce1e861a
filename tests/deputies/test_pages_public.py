"""The public deputy directory: public fields only, current active deputies."""

from datetime import date

import pytest
from django.urls import reverse

from deputies import services
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db

URL = reverse("deputies:public_directory")


def test_directory_asks_for_a_congress(client, terms, world):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "代表名录" in html
    assert world.county_congress.name in html
    assert world.other_county_congress.name in html  # every congress, anonymous OK


def test_directory_shows_public_fields_only(client, deputies, world):
    person = deputies.own.person
    services.person_update(
        person=person, biography="长期扎根基层，热心为群众办实事。", actor=None
    )
    group = services.group_create(
        congress=world.county_congress,
        name="农业农村专业代表小组",
        kind="professional",
        actor=None,
    )
    services.group_add_members(group=group, mandates=[deputies.own], actor=None)
    response = client.get(URL, {"congress": world.county_congress.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "张桂英" in html
    assert "长期扎根基层，热心为群众办实事。" in html
    assert "农业农村专业代表小组" in html
    assert "县级" in html
    # Never personal data: no mobile (full or masked), no ID, no birth date.
    for mandate in [deputies.own, *deputies.county]:
        assert mandate.person.mobile not in html
        assert mandate.person.mobile[-4:] + "<" not in html
        assert mandate.person.id_number not in html
        assert mandate.person.id_number[:6] not in html
    assert "1975" not in html
    assert "陈飞" not in html  # another congress


def test_contact_data_typed_into_a_biography_is_scrubbed(client, deputies, world):
    services.person_update(
        person=deputies.own.person,
        biography="热心为群众办实事，联系电话13912345678，邮箱zhang@example.com。",
        actor=None,
    )
    html = client.get(URL, {"congress": world.county_congress.pk}).content.decode()
    assert "热心为群众办实事" in html
    assert "13912345678" not in html
    assert "zhang@example.com" not in html
    assert "联系电话＊＊＊" in html


def test_directory_lists_only_active_deputies_by_strokes(client, deputies, world):
    services.mandate_suspend(
        mandate=deputies.county[0], ground="detained", on=date(2026, 11, 2), actor=None
    )
    make_mandate(world.county_congress, "丁丽", card_number="XY-401")
    html = client.get(URL, {"congress": world.county_congress.pk}).content.decode()
    assert "王建国" not in html  # suspended
    order = ["丁一", "丁丽", "李秀英", "张桂英", "欧阳明", "谭红"]
    positions = [html.index(f'">{name}</a></h3>') for name in order]
    assert positions == sorted(positions)


def test_directory_is_anonymous_and_get_only(client, terms, world):
    assert client.get(URL, {"congress": world.county_congress.pk}).status_code == 200
    assert client.post(URL).status_code == 405


def test_unknown_congress_is_a_form_error_not_a_crash(client, terms):
    response = client.get(URL, {"congress": "999999"})
    assert response.status_code == 200


def test_query_count_is_constant(client, world, terms, django_assert_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            mandate = make_mandate(
                world.county_congress, f"公开{i:03d}", card_number=f"PUB{i:03d}"
            )
            group = services.group_create(
                congress=world.county_congress,
                name=f"组{i}",
                kind="regional",
                actor=None,
            )
            services.group_add_members(group=group, mandates=[mandate], actor=None)

    add(3, 0)
    client.get(URL, {"congress": world.county_congress.pk})
    with django_assert_num_queries(PUBLIC_QUERIES):
        client.get(URL, {"congress": world.county_congress.pk})
    add(9, 3)
    with django_assert_num_queries(PUBLIC_QUERIES):
        client.get(URL, {"congress": world.county_congress.pk})


# congress lookup, congress select, count, page, groups prefetch.
PUBLIC_QUERIES = 6
