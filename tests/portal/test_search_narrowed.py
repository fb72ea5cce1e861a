"""``portal.search.narrowed`` (issue 14): every word of a keyword must occur; a
keyword in more rows than the cap is searched with the plain LIKE (the list walks
its order index), one in fewer through the bigram index; the count comes along."""

import pytest
from django.db.models import Q

from deputies.models import Person
from portal.counting import CappedCount
from portal.search import narrowed, words

pytestmark = pytest.mark.django_db


def name_has(word, lookup):
    return Q(**{f"name__{lookup}": word})


@pytest.fixture
def people():
    for name in ("张建国", "张建", "王建国", "李秀英"):
        Person.objects.create(name=name)


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_words_split_on_spaces_and_stop_at_five():
    assert words(" 卫生室  服务 ") == ["卫生室", "服务"]
    assert len(words("一 二 三 四 五 六")) == 5


def test_a_rare_keyword_uses_the_index_and_is_counted(people):
    found, count = narrowed(Person.objects.all(), name_has, "建国", cap=5)
    assert names(found) == {"张建国", "王建国"} and count == 2
    assert not isinstance(count, CappedCount)
    assert "has_text" in {c.lookup_name for c in found.query.where.children}


def test_a_common_keyword_uses_the_plain_like(people):
    found, count = narrowed(Person.objects.all(), name_has, "建国", cap=1)
    assert names(found) == {"张建国", "王建国"}
    assert isinstance(count, CappedCount) and str(count) == "1+"
    assert {c.lookup_name for c in found.query.where.children} == {"contains"}


def test_every_word_must_occur(people):
    assert names(narrowed(Person.objects.all(), name_has, "张 国")[0]) == {"张建国"}
    assert names(narrowed(Person.objects.all(), name_has, "王 英")[0]) == set()
