"""Chinese search and scope queries that use an index (issue 14).

``has_text`` (``portal.search``) finds substrings of two characters and more on
every database; on PostgreSQL the bigram GIN indexes serve it, and the deputy
list's scope is a semi-join on the mandate's own columns, so the name order's
index can serve the list. EXPLAIN is read with sequential scans and sorts
priced out (``enable_seqscan``/``enable_sort`` off): on a test database of a
few rows the planner would rightly scan, but an index that *can* serve the query
is then chosen, and one that can't is not.
"""

import pytest
from django.db import connection, transaction

from deputies.models import Mandate, Person
from portal.search import bigrams
from tests.factories import UserFactory


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_bigrams_are_the_distinct_lowercase_pairs():
    assert bigrams("张建国") == ["建国", "张建"]
    assert bigrams("AbAb") == ["ab", "ba"]
    assert bigrams("张") == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("张建", {"张建国", "张建"}),
        ("建国", {"张建国", "王建国"}),
        ("张建国", {"张建国"}),
        ("张国", set()),  # both bigrams absent as a run: not a substring
        ("国", {"张建国", "王建国"}),  # one character: the plain LIKE
        ("%", set()),  # LIKE wildcards are literal
        ("_建", set()),
    ],
)
def test_has_text_finds_substrings(db, query, found):
    for name in ("张建国", "张建", "王建国", "李秀英"):
        Person.objects.create(name=name)
    assert (
        set(Person.objects.filter(name__has_text=query).values_list("name", flat=True))
        == found
    )


def test_deputy_search_by_name_and_card_number(deputies):
    everyone = Mandate.objects.all()
    assert set(everyone.search("建国")) == {deputies.county[0]}
    assert set(everyone.search("xy-100")) == {deputies.own}
    assert set(everyone.search("  ")) == set(everyone)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Person.objects.filter(name__has_text="张建"), "person_name_bigrams"),
        (
            lambda: __import__("proposals.models").models.Suggestion.objects.filter(
                title__has_text="公路养护"
            ),
            "suggestion_title_bigrams",
        ),
        (
            lambda: __import__("proposals.models").models.Suggestion.objects.filter(
                problem__has_text="路面"
            ),
            "suggestion_problem_bigrams",
        ),
        (
            lambda: __import__("stations.models").models.Opinion.objects.filter(
                content__has_text="路灯不亮"
            ),
            "opinion_content_bigrams",
        ),
    ],
)
def test_chinese_search_uses_the_bigram_index(db, queryset, index):
    assert f"Bitmap Index Scan on {index}" in _plan(queryset().order_by())


@pytest.mark.postgres
def test_deputy_search_finds_people_through_the_index(deputies, personas):
    plan = _plan(
        Mandate.objects.visible_to(personas.county_staff)
        .search("张建")
        .order_by_name("stroke")
    )
    assert "person_name_bigrams" in plan


@pytest.mark.postgres
def test_scoped_deputy_list_walks_the_name_order_index(deputies, personas):
    """No join to the region in the scope: the stroke order's index serves the
    page under the scope's filter (hashed semi-joins), for staff and for the
    deputy's own mandates alike."""
    for user in (personas.county_staff, personas.deputy, UserFactory()):
        queryset = Mandate.objects.visible_to(user).order_by_name("stroke")
        sql = str(queryset.query)
        assert "portal_region" not in sql.split(" WHERE ")[0]
        plan = _plan(queryset[:50])
        assert "deputies_ma_name_st" in plan, plan
