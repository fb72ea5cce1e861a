"""Regenerate unihan_strokes.tsv from the Unicode Han Database (Unihan).

Source: Debian's ``unicode-data`` package (Unicode 15.0), file
/usr/share/unicode/Unihan_IRGSources.txt.bz2, fields kTotalStrokes (first value:
the zh-Hans count) and kRSUnicode (radical.residual strokes). Unicode data is
under the Unicode License (https://www.unicode.org/license.txt).

Run: apt-get install unicode-data && python portal/data/build_unihan_strokes.py
"""

import bz2
import re
import sys
from pathlib import Path

SOURCE = Path("/usr/share/unicode/Unihan_IRGSources.txt.bz2")
TARGET = Path(__file__).with_name("unihan_strokes.tsv")
# CJK Unified Ideographs, Extension A, Compatibility Ideographs.
RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def main(source: Path = SOURCE) -> None:
    strokes: dict[int, int] = {}
    radicals: dict[int, tuple[int, int]] = {}
    with bz2.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            code, field, value = line.rstrip("\n").split("\t")
            point = int(code[2:], 16)
            if not any(lo <= point <= hi for lo, hi in RANGES):
                continue
            if field == "kTotalStrokes":
                strokes[point] = int(value.split()[0])
            elif field == "kRSUnicode":
                match = re.match(r"(\d+)'*\.(-?\d+)", value.split()[0])
                if match:
                    radicals[point] = (int(match.group(1)), int(match.group(2)))
    with TARGET.open("w", encoding="utf-8") as out:
        out.write(
            "# char\tstrokes\tradical\tresidual  (Unihan 15.0: kTotalStrokes, kRSUnicode)\n"
        )
        for point in sorted(strokes):
            radical, residual = radicals.get(point, (0, 0))
            out.write(f"{chr(point)}\t{strokes[point]}\t{radical}\t{residual}\n")
    print(f"{len(strokes)} characters → {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
