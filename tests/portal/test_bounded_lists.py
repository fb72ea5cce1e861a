"""Bounded lists (issue 14): capped counts, bounded pages, nearby choices."""

from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from portal.counting import CappedCount, capped_count
from portal.models import Region
from portal.web.pagination import BoundedPaginator, paginate
from tests.factories import RegionFactory


def test_capped_count_prints_a_plus_and_counts_as_an_int():
    count = CappedCount(5000)
    assert count == 5000 and count + 1 == 5001
    assert str(count) == "5,000+"
    rendered = Template(
        "{% load i18n %}{% blocktranslate count total=n %}共 {{ total }} 件"
        "{% plural %}共 {{ total }} 件{% endblocktranslate %}"
    ).render(Context({"n": count}))
    assert rendered == "共 5,000+ 件"


def test_count_stops_at_the_cap(db):
    for n in range(7):
        RegionFactory(name=f"区{n}", level=Region.Level.COUNTY)
    regions = Region.objects.order_by("path")
    assert capped_count(regions, 10) == 7
    assert not isinstance(capped_count(regions, 10), CappedCount)
    assert capped_count(regions, 5) == CappedCount(5)
    paginator = BoundedPaginator(regions, per_page=2, max_pages=2)
    assert paginator.capped and paginator.num_pages == 2
    # A page beyond the bound is the last one offered, not a 404 or an OFFSET 10,000.
    assert paginator.get_page(99).number == 2
    assert not BoundedPaginator(regions, per_page=2, max_pages=10).capped


def test_pagination_says_when_the_list_is_longer_than_its_pages(db):
    for n in range(5):
        RegionFactory(name=f"区{n}", level=Region.Level.COUNTY)
    paginator = BoundedPaginator(Region.objects.order_by("path"), 2, max_pages=2)
    page = paginator.get_page(2)
    html = Template(
        '{% include "components/pagination.html" with page_obj=page page_range=r %}'
    ).render(
        RequestContext(
            RequestFactory().get("/?page=2"),
            {"page": page, "r": paginator.get_elided_page_range(2)},
        )
    )
    assert "结果多于 4 条" in html
    assert "下一页" not in html


def test_list_pages_are_bounded(db):
    page, _range = paginate(RequestFactory().get("/?page=100000"), Region.objects.all())
    assert page.number == 1


def test_a_count_beyond_its_cap_is_remembered_and_an_exact_one_is_not(
    db, django_assert_num_queries
):
    """Beyond the cap the count is not read again for a few minutes (the same
    SQL, the same scope); below it every page counts afresh (issue 14)."""
    for _ in range(6):
        RegionFactory()
    regions = Region.objects.all()
    assert capped_count(regions, 5) == CappedCount(5)
    with django_assert_num_queries(0):
        assert isinstance(capped_count(regions, 5), CappedCount)
    exact = capped_count(regions, 100)
    with django_assert_num_queries(1):
        assert capped_count(regions, 100) == exact
    RegionFactory()
    assert capped_count(regions, 100) == exact + 1
    # Another scope (another SQL) is counted on its own.
    with django_assert_num_queries(1):
        capped_count(regions.filter(depth__gte=0), 5)


def test_a_page_reads_its_rows_by_id_without_the_scope_again(db):
    """The page's second read (the rows of its ids) does not repeat the list's
    filters, the ids came through them a moment ago, but keeps its joins."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        RegionFactory()
    scoped = Region.objects.filter(depth__gte=0).select_related("parent")
    paginator = BoundedPaginator(scoped.order_by("pk"), 2)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(1)
    expected = list(scoped.order_by("pk").values_list("pk", flat=True)[:2])
    assert [r.pk for r in page.object_list] == expected
    ids_read, rows_read = (q["sql"] for q in queries.captured_queries[-2:])
    assert '"depth" >=' in ids_read
    assert '"depth" >=' not in rows_read
    assert "JOIN" in rows_read  # select_related kept
