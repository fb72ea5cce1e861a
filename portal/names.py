"""Name order of official lists (DESIGN.md §3, §14).

By default names are ordered by surname stroke count (姓氏笔画): the stroke count
of each character in turn, from Unihan's kTotalStrokes (zh-Hans value), with
the radical/residual strokes (kRSUnicode) and the code point breaking ties
deterministically. Pinyin order (pypinyin) is the alternative. Both keys are
plain strings stored beside the name, so the database sorts and indexes them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

_DATA = Path(__file__).with_name("data") / "unihan_strokes.tsv"
_UNKNOWN = "99999"

# Surnames read differently from the character's common reading (姓氏读音).
_SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "区": "ou",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "缪": "miao",
    "尉": "yu",
    "覃": "qin",
    "长": "chang",
    "种": "chong",
    "员": "yun",
}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    with _DATA.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            char, strokes, radical, residual = line.rstrip("\n").split("\t")
            table[char] = (
                f"{int(strokes):02d}{int(radical):03d}{int(residual) + 10:02d}"
            )
    return table


def stroke_count(char: str) -> int | None:
    """Total strokes of one character (zh-Hans), or None when unknown."""
    key = _table().get(char)
    return int(key[:2]) if key else None


def stroke_sort_key(name: str) -> str:
    """A string key that sorts names in 姓氏笔画 order."""
    table = _table()
    parts = []
    for char in name.strip():
        parts.append(table.get(char, _UNKNOWN) + f"{ord(char):06x}")
    return "".join(parts)[:255]


def pinyin_sort_key(name: str) -> str:
    """A string key that sorts names in pinyin order (surname readings respected)."""
    name = name.strip()
    if not name:
        return ""
    syllables = lazy_pinyin(name, style=Style.NORMAL)
    if name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return " ".join(syllables)[:255]
