"""The staff deputy list (代表名册): scoping, filters, order, paging, masking."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies import services
from deputies.models import Mandate
from portal.models import Term
from tests.factories import make_mandate

pytestmark = pytest.mark.django_db

URL = reverse("deputies:list")


def names_in(response) -> list[str]:
    html = response.content.decode()
    return re.findall(
        r'<th scope="row"><a href="/deputies/\d+/">([^<]+)</a></th>', html
    )


def test_county_staff_sees_their_region_and_below(client, personas, deputies):
    client.force_login(personas.county_staff)
    response = client.get(URL)
    assert response.status_code == 200
    names = names_in(response)
    assert "刘春" in names  # township below the county
    assert "王建国" in names
    assert "陈飞" not in names  # another county


def test_other_county_staff_sees_none_of_ours(client, personas, deputies):
    client.force_login(personas.other_county_staff)
    names = names_in(client.get(URL))
    assert names == ["陈飞"]


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_deputy_and_unit_staff_may_not_open_the_staff_list(client, personas, deputies):
    for user in (personas.deputy, personas.unit_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_post_is_not_allowed(client, personas):
    client.force_login(personas.county_staff)
    assert client.post(URL).status_code == 405


def test_default_order_is_surname_strokes(client, personas, deputies):
    client.force_login(personas.county_staff)
    names = names_in(client.get(URL, {"congress": deputies.county[0].congress_id}))
    # 李 and 张 both have 7 strokes; the first strokes decide (李 横 before 张 折),
    # as in the official lists (李、杨、吴、张、陈), not the radical.
    assert names == ["丁一", "王建国", "李秀英", "张桂英", "欧阳明", "谭红"]


def test_pinyin_order_is_an_option(client, personas, deputies):
    client.force_login(personas.county_staff)
    response = client.get(
        URL, {"congress": deputies.county[0].congress_id, "order": "pinyin"}
    )
    assert names_in(response) == [
        "丁一",
        "李秀英",
        "欧阳明",
        "谭红",
        "王建国",
        "张桂英",
    ]


def test_search_by_name_or_card_number(client, personas, deputies):
    client.force_login(personas.county_staff)
    assert names_in(client.get(URL, {"q": "秀英"})) == ["李秀英"]
    assert names_in(client.get(URL, {"q": "xy-005"})) == ["谭红"]


def test_filters_by_status_and_gender(client, personas, deputies, world):
    services.mandate_suspend(
        mandate=deputies.county[2],
        ground="detained",
        on=deputies.county[2].term.start_date,
        actor=None,
    )
    client.force_login(personas.county_staff)
    assert names_in(client.get(URL, {"status": "suspended"})) == ["李秀英"]
    make_mandate(world.county_congress, "孙丽", gender="female", card_number="XY-200")
    assert names_in(client.get(URL, {"gender": "female"})) == ["孙丽"]


def test_filter_choices_do_not_leak_other_congresses(client, personas, deputies, world):
    client.force_login(personas.county_staff)
    html = client.get(URL).content.decode()
    assert world.county_congress.name in html
    assert world.other_county_congress.name not in html
    assert "全部" in html and "---------" not in html


def test_mobile_is_masked(client, personas, deputies):
    client.force_login(personas.county_staff)
    html = client.get(URL).content.decode()
    assert "13900000001" not in html
    assert "139****0001" in html
    assert deputies.own.person.id_number not in html


def test_pages_keep_the_filters(client, personas, world, terms):
    for i in range(25):
        make_mandate(world.county_congress, f"王{i:02d}", card_number=f"P{i:03d}")
    client.force_login(personas.county_staff)
    response = client.get(URL, {"q": "王", "order": "pinyin"})
    assert len(names_in(response)) == 20  # portal.web.PAGE_SIZE
    html = response.content.decode()
    assert "?q=%E7%8E%8B&amp;order=pinyin&amp;page=2" in html
    second = client.get(URL, {"q": "王", "order": "pinyin", "page": 2})
    assert len(names_in(second)) == 5


def test_export_link_carries_the_query_string(client, personas, deputies):
    export = reverse("deputies:export")
    client.force_login(personas.county_staff)
    html = client.get(URL, {"status": "active", "page": "1"}).content.decode()
    assert f'href="{export}?status=active"' in html


def _add_county_deputies(world, n, start):
    for i in range(start, start + n):
        mandate = make_mandate(
            world.county_congress, f"测试{i:03d}", card_number=f"Q{i:03d}"
        )
        assert isinstance(mandate, Mandate)


def test_query_count_does_not_grow_with_rows(
    client, personas, world, terms, django_assert_num_queries
):
    client.force_login(personas.county_staff)
    _add_county_deputies(world, 5, 0)
    client.get(URL)  # warm caches (content types, rule sets)
    with django_assert_num_queries(LIST_QUERIES):
        assert client.get(URL).status_code == 200
    _add_county_deputies(world, 10, 5)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL)
    assert len(names_in(response)) == 15


# session, user, grants, count, page, "may create" check, unread count, session
# save (3 with its savepoint), and the rows' congress, term and constituency
# read by id (Mandate.with_list_related: seven joined tables cost PostgreSQL
# more to plan than three indexed reads). The 4 filter selects (congress, term,
# group, delegation) and the topmost congress level come from the cache after
# the first page (portal.web.choices).
LIST_QUERIES = 11


def test_filter_options_are_cached_and_follow_new_terms(client, personas, world, terms):
    """The filter selects are read once per scope (portal.web.choices); a new
    term is an option on the very next page (its save moves the version)."""
    client.force_login(personas.county_staff)
    first = client.get(URL)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as cached:
        client.get(URL)
    assert not [q for q in cached.captured_queries if "portal_term" in q["sql"]]
    new_term = Term.objects.create(
        congress=world.county_congress,
        number=99,
        start_date=datetime.date(2040, 1, 1),
        end_date=datetime.date(2044, 12, 31),
    )
    page = client.get(URL).content.decode()
    assert f'<option value="{new_term.pk}"' in page


def test_cached_filter_options_never_cross_scopes(client, personas, world, terms):
    """The options are cached per scope: another county's staff, served after
    this county's page put its options in the cache, see only their own."""

    def congress_options(html: str) -> set[str]:
        return set(
            re.findall(r"<option value=\"\d+\"[^>]*>([^<]*人民代表大会)</option>", html)
        )

    client.force_login(personas.county_staff)
    mine = congress_options(client.get(URL).content.decode())
    assert str(world.county_congress) in mine
    client.force_login(personas.other_county_staff)
    theirs = congress_options(client.get(URL).content.decode())
    assert str(world.other_county_congress) in theirs
    assert str(world.county_congress) not in theirs


def test_cached_options_are_per_user_even_within_one_scope(personas, world):
    """Two staff of the same congress have the same scope, but a queryset's
    ``visible_to`` may add a user's own rows (a deputy's own groups): the
    cache keeps options per user, never shared between two people."""
    from portal import services as portal_services
    from portal.models import Role
    from portal.scoping import scope_for
    from portal.web.choices import user_key
    from tests.factories import UserFactory

    colleague = UserFactory(username="county_staff_2")
    portal_services.role_grant_create(
        user=colleague,
        role=Role.CONGRESS_STAFF,
        congress=world.county_congress,
        actor=None,
    )
    mine, theirs = scope_for(personas.county_staff), scope_for(colleague)
    assert mine.governed_paths == theirs.governed_paths
    assert user_key(personas.county_staff) != user_key(colleague)
