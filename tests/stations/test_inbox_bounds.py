"""The inbox at province scale (issue 14): the status tabs read at most
``COUNT_CAP`` + 1 statuses, a keyword found in more than that many opinions is
searched with the plain LIKE so the page walks the inbox-order index, and a
keyword of several words finds the opinions holding all of them."""

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from stations import selectors, services
from stations.models import Opinion

pytestmark = pytest.mark.django_db


def submit(station, content):
    return services.opinion_submit(
        station=station,
        name="张三",
        phone="13812345678",
        content=content,
        category="transport",
        actor=None,
    )


@pytest.fixture
def five_roads(sw):
    for n in range(5):
        submit(sw.station, f"第{n}组村口道路坑洼，雨天积水严重。")
    submit(sw.station, "村小学门口缺少减速带。")
    return sw


def test_tabs_count_each_status_up_to_the_bound(client, five_roads):
    client.force_login(five_roads.station_staff)
    response = client.get(reverse("stations:inbox"))
    assert response.context["counted"] is True
    assert [t["count"] for t in response.context["status_counts"]] == [6]
    assert response.context["total"] == 6
    assert "各状态的数量不逐一统计" not in response.content.decode()


def test_beyond_the_bound_the_tabs_show_no_numbers(client, five_roads, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    client.force_login(five_roads.station_staff)
    response = client.get(reverse("stations:inbox"))
    tabs = response.context["status_counts"]
    assert response.context["counted"] is False
    assert [t["value"] for t in tabs] == list(Opinion.Status.values)
    assert all(t["count"] is None for t in tabs)
    assert str(response.context["total"]) == "3+"
    assert "各状态的数量不逐一统计" in response.content.decode()
    # A status tab still lists (and counts) its opinions.
    received = client.get(reverse("stations:inbox"), {"status": tabs[0]["value"]})
    assert received.context["page_obj"].paginator.count == 6


def test_a_common_keyword_finds_the_same_opinions(client, five_roads, monkeypatch):
    client.force_login(five_roads.station_staff)
    url = reverse("stations:inbox")
    found = {o.pk for o in client.get(url, {"q": "道路"}).context["page_obj"]}
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    common = {o.pk for o in client.get(url, {"q": "道路"}).context["page_obj"]}
    assert len(found) == 5 and common == found


def test_every_word_of_a_keyword_must_occur(client, five_roads):
    submit(five_roads.station, "道路两旁路灯不亮。")
    client.force_login(five_roads.station_staff)
    url = reverse("stations:inbox")
    both = client.get(url, {"q": "道路  积水"}).context["page_obj"]
    assert len(both) == 5
    assert all("积水" in o.content and "道路" in o.content for o in both)
    assert len(client.get(url, {"q": "道路 减速带"}).context["page_obj"]) == 0


@pytest.mark.postgres
def test_a_common_keyword_walks_the_inbox_order_index(five_roads, monkeypatch):
    today = timezone.localdate()
    user = five_roads.station_staff

    def plan(queryset):
        sql, params = queryset.query.sql_with_params()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

    rare, counts = selectors.inbox(user, {"q": "道路"}, today)
    # A rare keyword: the bigram condition (its GIN use is asserted in
    # tests/deputies/test_search_index.py).
    assert counts is not None and "portal_bigrams" in str(rare.query)
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    common, counts = selectors.inbox(user, {"q": "道路"}, today)
    common_plan = plan(common.values("pk")[:20])
    assert counts is None and "portal_bigrams" not in str(common.query)
    assert "opinion_content_bigrams" not in common_plan
    assert "opinion_inbox_order" in common_plan
