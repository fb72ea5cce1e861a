"""Tracking codes (查询码) of opinions: unguessable and easy to read out.

A code is the station's prefix and 50 random bits in Crockford base32 (digits
and letters without I, L, O, U), grouped for the phone: ``TH-7K3M-9QXF-2W``.
No code can be derived from another (API.md). A lookup forgives case, spaces,
dashes, and the letters people confuse with digits (O → 0, I/L → 1); the
station prefix may be left out.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARS = 10  # 10 × 5 = 50 random bits
GROUPS = (4, 4, 2)
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_key() -> str:
    """Ten random Crockford base32 characters (50 bits from ``secrets``)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))


def format_code(prefix: str, key: str) -> str:
    """``TH`` and ``7K3M9QXF2W`` → ``TH-7K3M-9QXF-2W``."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(key[start : start + size])
        start += size
    return "-".join([prefix, *parts]) if prefix else "-".join(parts)


def parse(raw: str) -> tuple[str, str] | None:
    """What someone typed → (prefix, key), or None when it cannot be a code."""
    compact = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    if len(compact) < RANDOM_CHARS or not compact.isascii():
        return None
    prefix, key = compact[:-RANDOM_CHARS], compact[-RANDOM_CHARS:]
    key = key.translate(_CONFUSED)
    if any(ch not in ALPHABET for ch in key):
        return None
    return prefix, key


def prefix_matches(typed: str, prefix: str) -> bool:
    """A typed prefix matches the station's (or was left out)."""
    if not typed:
        return True
    return typed.translate(_CONFUSED) == (prefix or "").upper().translate(_CONFUSED)
