"""Chinese official conventions: numerals, document numbers, ID numbers, mobiles,
masking and name order (DESIGN.md §14)."""

from __future__ import annotations

import re
from datetime import date

import cn2an
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def chinese_numeral(number: int) -> str:
    """18 → 十八 (as in 第十八届)."""
    return cn2an.an2cn(number)


def localized_numeral(number: int) -> str:
    """Chinese numerals in Chinese (第十九届), digits in other languages (Term 19)."""
    from django.utils.translation import get_language

    if (get_language() or "zh-hans").startswith("zh"):
        return chinese_numeral(number)
    return str(number)


def document_number(year: int, number: int, prefix: str = "") -> str:
    """The official form of a document number: ``〔2026〕第3号``."""
    return f"{prefix}〔{year}〕第{number}号"


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str) -> None:
    """Validate an 18-digit resident ID number (GB 11643): format, birth date, check digit."""
    value = (value or "").strip().upper()
    if not _ID_RE.match(value):
        raise ValidationError(
            _("身份证号码应为18位，前17位为数字，最后一位为数字或X。"), code="format"
        )
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("身份证号码中的出生日期无效。"), code="birth_date"
        ) from exc
    if id_check_digit(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确。"), code="check_digit")


def validate_mobile(value: str) -> None:
    """Validate a mainland China mobile number (11 digits starting 13–19)."""
    if not _MOBILE_RE.match((value or "").strip()):
        raise ValidationError(_("请输入有效的11位大陆手机号码。"), code="mobile")


def mask_mobile(value: str) -> str:
    """13812345678 → 138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return f"{value[:3]}****{value[-4:]}"


def mask_id_number(value: str) -> str:
    """430102199001011234 → 430102********1234."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_name(value: str) -> str:
    """张三丰 → 张**: the public never sees a citizen's full name."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)
