"""Chinese substring search that uses an index (issue 14).

Chinese has no spaces between words, so PostgreSQL's word-based full-text search
does not fit, and ``pg_trgm`` needs three characters where a name search often
has two ("张建"). The portal indexes **character bigrams**: the IMMUTABLE SQL
function ``portal_bigrams(text)`` (``portal/migrations/0008_bigram_search.py``)
returns the lower-cased two-character substrings of a text (repeats and all: the
GIN index keeps each key once, and a plain array is 3.5× faster to build than a
DISTINCT one, 15 µs for a 40-character text), and a GIN index on
``portal_bigrams(column)`` holds them for each searched column.

Keep ``has_text`` out of an OR with other columns: PostgreSQL then has to
evaluate the function again for every candidate row (the index can't prove the
OR), which costs that 15 µs each; the callers decide in Python what a query
searches (a card number, a tracking code or the text).

``column__has_text="张建国"`` is then, on PostgreSQL,

    portal_bigrams(column) @> '{张建,建国}'::text[]   -- the GIN index finds candidates
    AND column::text LIKE '%张建国%'                     -- and the exact test keeps true ones

and a plain ``LIKE '%…%'`` (``contains``) on other databases (SQLite in a local
trial holds a county at most). A one-character query has no bigram: it is the
plain ``LIKE`` everywhere (kept, but not promised fast).

The indexed columns (each listed in the migration, the EXPLAIN of each asserted
in ``tests/test_search_index.py`` on PostgreSQL): person name, suggestion title
and problem, opinion content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db.models import CharField, Lookup, Q, QuerySet, TextField
from django.db.models.lookups import Contains

from portal.counting import COUNT_CAP, CappedCount, capped_count

BIGRAMS_SQL = """
CREATE OR REPLACE FUNCTION portal_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array(
        SELECT substr(l, i, 2)
        FROM (SELECT lower(t) AS l) AS lowered, generate_series(1, char_length(t) - 1) AS i
    )
$$
"""


def bigrams(text: str) -> list[str]:
    """The distinct lower-cased bigrams of ``text``, as ``portal_bigrams`` has them."""
    lowered = text.lower()
    return sorted({lowered[i : i + 2] for i in range(len(lowered) - 1)})


@CharField.register_lookup
@TextField.register_lookup
class HasText(Lookup):
    """``field__has_text=value``: ``contains`` that the bigram index serves."""

    lookup_name = "has_text"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return compiler.compile(Contains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        like_sql, like_params = self.as_sql(compiler, connection)
        grams = bigrams(self.rhs) if isinstance(self.rhs, str) else []
        if not grams:
            return like_sql, like_params
        column_sql, column_params = compiler.compile(self.lhs)
        return (
            f"(portal_bigrams({column_sql}) @> %s::text[] AND {like_sql})",
            (*column_params, grams, *like_params),
        )


def words(q: str) -> list[str]:
    """The words of a keyword (``卫生室 服务``: both must occur), at most five."""
    return q.split()[:5]


QS = TypeVar("QS", bound=QuerySet)


def narrowed(
    queryset: QS,
    condition: Callable[[str, str], Q],
    q: str,
    cap: int = COUNT_CAP,
) -> tuple[QS, int]:
    """``queryset`` narrowed to rows matching every word of ``q``, and its
    number (capped, ``portal.counting``), for a list's paginator.

    ``condition(word, lookup)`` says what a word matches, ``lookup`` being
    ``has_text`` or ``contains``. A keyword found in at most ``COUNT_CAP`` rows
    is searched through the bigram index (the matches are few, their sort is
    cheap). One found in more (公路 in 10% of a province's 100,000 titles) is
    searched with the plain ``LIKE``: the list then walks its order index and
    tests each row, reaching its page of 20 after ~200 rows, instead of
    fetching and sorting every match (EXPLAIN in docs/performance.md)."""

    def matching(lookup: str) -> QS:
        found = queryset
        for word in words(q):
            found = found.filter(condition(word, lookup))
        return found

    indexed = matching("has_text")
    count = capped_count(indexed, cap)
    if isinstance(count, CappedCount):
        return matching("contains"), count
    return indexed, count
