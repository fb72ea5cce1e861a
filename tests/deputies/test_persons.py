"""Persons and mandates: Chinese validation, name order, uniqueness."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from deputies import services
from deputies.models import Mandate, Person
from portal.names import stroke_count
from tests.factories import CongressFactory, make_mandate, valid_id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(world):
    return CongressFactory(
        region=world.township2, term_number=19, term_start=date(2026, 9, 25)
    )


def test_stroke_counts_come_from_unihan():
    assert [stroke_count(c) for c in "丁王李欧谭"] == [2, 4, 7, 8, 14]


def test_list_is_ordered_by_surname_strokes(congress):
    for name in ["谭明", "欧阳娜", "李四", "王五", "丁一"]:
        make_mandate(congress, name)
    names = [
        m.person.name
        for m in Mandate.objects.filter(congress=congress)
        .order_by_name("stroke")
        .select_related("person")
    ]
    assert names == ["丁一", "王五", "李四", "欧阳娜", "谭明"]


def test_pinyin_order_is_available(congress):
    for name in ["谭明", "欧阳娜", "李四", "王五", "丁一"]:
        make_mandate(congress, name)
    names = [
        m.person.name
        for m in Mandate.objects.filter(congress=congress)
        .order_by_name("pinyin")
        .select_related("person")
    ]
    assert names == ["丁一", "李四", "欧阳娜", "谭明", "王五"]


def test_renaming_a_person_reorders_their_mandates(congress):
    first = make_mandate(congress, "丁一")
    make_mandate(congress, "王五")
    services.person_update(person=first.person, name="谭一", actor=None)
    names = [
        m.person.name
        for m in Mandate.objects.filter(congress=congress)
        .order_by_name()
        .select_related("person")
    ]
    assert names == ["王五", "谭一"]


def test_bad_id_number_and_mobile_are_refused_in_chinese():
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            name="张三",
            gender="male",
            id_number="110105194912310021",
            mobile="123",
            actor=None,
        )
    assert exc.value.message_dict["id_number"] == ["身份证号码校验位不正确。"]
    assert exc.value.message_dict["mobile"] == ["请输入有效的11位大陆手机号码。"]
    assert not Person.objects.exists()


def test_id_number_is_unique():
    number = valid_id_number()
    services.person_create(name="张三", gender="male", id_number=number, actor=None)
    with pytest.raises(ValidationError, match="该身份证号码已登记"):
        services.person_create(
            name="李四", gender="male", id_number=number.lower(), actor=None
        )


def test_card_number_unique_within_a_term(congress):
    make_mandate(congress, "张三", card_number="T-001")
    with pytest.raises(ValidationError) as exc:
        make_mandate(congress, "李四", card_number="T-001")
    assert "代表证号“T-001”已被使用。" in exc.value.message_dict["card_number"]


def test_one_mandate_per_person_and_term(congress):
    mandate = make_mandate(congress, "张三")
    with pytest.raises(ValidationError, match="该人员在本届已有代表资格"):
        services.mandate_create(
            person=mandate.person,
            congress=congress,
            term=mandate.term,
            card_number="X-2",
            actor=None,
        )


def test_one_person_may_hold_mandates_at_two_levels(world, congress):
    mandate = make_mandate(congress, "张桂英")
    county = CongressFactory(
        region=world.city, term_number=10, term_start=date(2026, 10, 20)
    )
    services.mandate_create(
        person=mandate.person,
        congress=county,
        term=county.current_term(),
        card_number="Y-1",
        electing_congress=world.county_congress,  # 原选举单位: the county below
        actor=None,
    )
    assert mandate.person.mandates.count() == 2
