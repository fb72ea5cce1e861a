"""Name order of official lists (DESIGN.md §3, §14).

By default names are ordered by surname strokes (姓氏笔画), the way people's
congresses print their lists (按姓名笔画: every character counts in turn, a
single-character given name is not padded with a blank as party congresses do):

1. the stroke count of the character (Unihan kTotalStrokes, zh-Hans value);
2. within one count, the character's stroke sequence in the five basic strokes
   横、竖、撇、点、折 of the GB13000.1 笔顺规范 (data/stroke_order.tsv, built from
   cnchar-order by data/build_stroke_order.py), so 王 1121 < 毛 3115 < 方 4153 <
   尹 5113 < 孔 5215 and 李 < 杨 < 吴 < 张 < 陈;
3. then the following characters the same way; the code point breaks the
   remaining ties (characters of one sequence, e.g. 己已巳) deterministically.

Characters without a known sequence (rare ones outside GB 2312) follow the known
ones of the same count. Pinyin order (pypinyin) is the alternative. Both keys are
plain strings stored beside the name, so the database sorts and indexes them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "unihan_strokes.tsv"
_ORDER = Path(__file__).with_name("data") / "stroke_order.tsv"
# A character missing from Unihan sorts after every known one.
_UNKNOWN = "99"
# Separators inside names (阿卜杜·热合曼) take no part in the order.
_SEPARATORS = frozenset("·•・.．‧ 　")

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
def _counts() -> dict[str, int]:
    counts: dict[str, int] = {}
    with _DATA.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            char, strokes, _radical, _residual = line.rstrip("\n").split("\t")
            counts[char] = int(strokes)
    return counts


@lru_cache(maxsize=1)
def _sequences() -> dict[str, str]:
    sequences: dict[str, str] = {}
    with _ORDER.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            char, sequence = line.rstrip("\n").split("\t")
            sequences[char] = sequence
    return sequences


def stroke_count(char: str) -> int | None:
    """Total strokes of one character (zh-Hans), or None when unknown."""
    return _counts().get(char)


def stroke_sequence(char: str) -> str:
    """The character's strokes as digits 1–5 (横竖撇点折, GB13000.1), or ""."""
    return _sequences().get(char, "")


@lru_cache(maxsize=8192)
def _char_key(char: str) -> str:
    count = _counts().get(char)
    if count is None:
        return _UNKNOWN + f"{ord(char):06x}"
    # Same count → same length, so the keys of following characters line up;
    # "6" puts an unknown sequence after the known ones of that count.
    sequence = _sequences().get(char) or "6" * count
    return f"{count:02d}{sequence}{ord(char):06x}"


def stroke_sort_key(name: str) -> str:
    """A string key that sorts names in 姓氏笔画 order (see the module docstring)."""
    return "".join(_char_key(char) for char in name.strip() if char not in _SEPARATORS)[
        :255
    ]


def pinyin_sort_key(name: str) -> str:
    """A string key that sorts names in pinyin order (surname readings respected)."""
    name = name.strip()
    if not name:
        return ""
    # Imported here: pypinyin's dictionaries take ~56 MB, loaded only by the
    # processes that write names (imports, forms), not by every web worker.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL)
    if name[0] in _SURNAME_READINGS and syllables:
        syllables[0] = _SURNAME_READINGS[name[0]]
    return " ".join(syllables)[:255]
