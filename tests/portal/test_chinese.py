"""Chinese conventions: ID numbers, mobiles, masking, numerals, working days."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from portal.chinese import (
    chinese_numeral,
    document_number,
    id_check_digit,
    mask_id_number,
    mask_mobile,
    mask_name,
    validate_mobile,
    validate_resident_id,
)
from portal.workdays import add_months, add_working_days, is_working_day

VALID_ID = "11010519491231002X"  # the GB 11643 example number


def test_valid_resident_id_passes():
    validate_resident_id(VALID_ID)
    validate_resident_id(VALID_ID.lower())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100", "18位"),
        ("", "18位"),
    ],
)
def test_bad_resident_ids_are_refused_with_a_reason(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_resident_id(value)


def test_check_digit():
    assert id_check_digit("11010519491231002") == "X"


@pytest.mark.parametrize("value", ["13812345678", "19912345678"])
def test_valid_mobiles(value):
    validate_mobile(value)


@pytest.mark.parametrize(
    "value", ["12812345678", "1381234567", "+8613812345678", "abc"]
)
def test_bad_mobiles(value):
    with pytest.raises(ValidationError, match="手机号码"):
        validate_mobile(value)


def test_masking():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("430102199001011234") == "430102********1234"
    assert mask_name("张三丰") == "张**"
    assert mask_mobile("") == ""


def test_numerals_and_document_numbers():
    assert chinese_numeral(18) == "十八"
    assert chinese_numeral(5) == "五"
    assert (
        document_number(2025, 3, "县人大常委会公告") == "县人大常委会公告〔2025〕第3号"
    )


def test_swapped_workdays_and_holidays():
    assert not is_working_day(date(2026, 10, 1))  # National Day
    assert is_working_day(date(2026, 10, 10))  # Saturday made a workday (调休)
    assert not is_working_day(date(2026, 11, 28))  # an ordinary Saturday


def test_add_working_days_skips_the_national_day_holiday():
    # 2026-09-30 (Wed) + 1 working day → the holiday runs 10-01..10-07.
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
