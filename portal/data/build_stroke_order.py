"""Regenerate stroke_order.tsv: each character's stroke sequence in the five
basic strokes of the GB13000.1 笔顺规范 (1 横, 2 竖, 3 撇, 4 点, 5 折).

Source: the npm package ``cnchar-order`` 3.2.6 (MIT, github.com/theajack/cnchar),
whose bundle carries a table ``{char: letters}`` of 6,939 characters (GB 2312 and
common extras), one letter per stroke naming one of its 26 stroke shapes. The
shapes fold into the five basic strokes as the standard does: 提 is a 横, 竖钩
a 竖, 捺 and the short dots 点; every bent stroke (横折, 竖弯钩, 斜钩…) is a 折.

Run: npm pack cnchar-order@3.2.6 && python portal/data/build_stroke_order.py \
    cnchar-order-3.2.6.tgz
"""

import json
import re
import sys
import tarfile
from pathlib import Path

TARGET = Path(__file__).with_name("stroke_order.tsv")
# The counts portal/names.py uses (build_unihan_strokes.py): a sequence whose
# length disagrees (囍 24 for 21, 皙 12 for 13) is dropped, the count wins.
UNIHAN = Path(__file__).with_name("unihan_strokes.tsv")
MEMBER = "package/cnchar.order.min.js"

# cnchar's stroke letters (its stroke-table.json: letter → shape, name) → GB13000.1.
FIVE_STROKES = {
    "j": "1",  # 横
    "i": "1",  # 提 (㇀)
    "f": "2",  # 竖
    "g": "2",  # 竖钩 (亅)
    "s": "3",  # 撇
    "k": "4",  # 点
    "d": "4",  # 点 (the left dot of 心, drawn ㇀)
    "l": "4",  # 捺
    **dict.fromkeys("abcehmnopqrtuvwxyz", "5"),  # 横折, 竖弯钩, 斜钩…
}


def main(tarball: Path) -> None:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{MEMBER} not found in {tarball}")
        bundle = member.read().decode("utf-8")
    tables = [
        json.loads(raw)
        for raw in re.findall(r"JSON\.parse\('(.*?)'\)", bundle, flags=re.DOTALL)
    ]
    orders = max(tables, key=len)  # the character table; the other is the letters
    unknown = {c for letters in orders.values() for c in letters} - set(FIVE_STROKES)
    if unknown:
        raise SystemExit(f"unmapped stroke letters: {sorted(unknown)}")
    counts = {}
    with UNIHAN.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith("#"):
                char, strokes, *_rest = line.rstrip("\n").split("\t")
                counts[char] = int(strokes)
    dropped = []
    with TARGET.open("w", encoding="utf-8") as out:
        out.write(
            "# char\tstrokes in GB13000.1 order: 1横 2竖 3撇 4点 5折"
            "  (cnchar-order 3.2.6, MIT)\n"
        )
        for char in sorted(orders):
            sequence = "".join(FIVE_STROKES[c] for c in orders[char])
            if counts.get(char) != len(sequence):
                dropped.append(char)
                continue
            out.write(f"{char}\t{sequence}\n")
    print(f"{len(orders) - len(dropped)} characters → {TARGET}")
    print(f"dropped (count differs from Unihan): {''.join(dropped)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
