"""The one privacy scrub for everything the public sees (DESIGN.md §3, §5, §11).

Public projections (public pages, anonymous API endpoints, public exports) are
built in the apps' ``selectors.py`` and pass their free text through
:func:`scrub_text`, or the whole projection through :func:`scrub_public`, so no
public surface can forget it. Personal data here means what PIPL and DESIGN.md
call sensitive or contact data that people type into free text: resident ID
numbers, mobile and landline numbers, e-mail addresses, and QQ/WeChat ids given
as contacts. Names are not scrubbed from free text (a deputy's name is public);
citizens' names are never put into a public projection in the first place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

# 18-digit resident ID (GB 11643), 15-digit legacy ID.
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")
# Mainland mobile, optionally with +86 / 86 and separators (138 1234 5678, 138-1234-5678).
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)")
# Landline with area code: 0731-12345678, (0731)1234567, 0731 1234 5678.
_LANDLINE = re.compile(
    r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# "微信：abc_123", "QQ 12345678", "qq号:12345".
_CONTACT_ID = re.compile(
    r"(?P<label>(?:微信|微信号|QQ|qq|QQ号|qq号|WeChat|wechat)\s*[:：]?\s*)"
    r"(?P<value>[A-Za-z0-9_-]{5,20})"
)

MASK = "＊＊＊"  # full-width, so it reads as a redaction in Chinese text


def scrub_text(text: str | None) -> str:
    """Replace ID numbers, phone numbers, e-mails and contact ids in ``text``."""
    if not text:
        return ""
    text = _ID_NUMBER.sub(MASK, text)
    text = _EMAIL.sub(MASK, text)
    text = _MOBILE.sub(MASK, text)
    text = _LANDLINE.sub(MASK, text)
    return _CONTACT_ID.sub(lambda m: m.group("label") + MASK, text)


def contains_personal_data(text: str | None) -> bool:
    """True when ``text`` still holds something :func:`scrub_text` would hide."""
    return bool(text) and scrub_text(text) != text


def scrub_public(value: Any, *, keep: Iterable[str] = ()) -> Any:
    """Scrub every string inside a public projection (dicts, lists, tuples).

    ``keep`` names keys whose values are identifiers that must stay as they are
    (a tracking code, a document number).
    """
    keep = frozenset(keep)
    return _scrub(value, keep)


def _scrub(value: Any, keep: frozenset[str]) -> Any:
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, Mapping):
        return {k: (v if k in keep else _scrub(v, keep)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_scrub(v, keep) for v in value)
    return value
