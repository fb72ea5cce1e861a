"""Reading an uploaded roster: the workbook, the header, every row cleaned on its
own (formats, code lists). No database access here; ``lookups`` checks the rows
against the database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import cn2an
import openpyxl
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from portal.chinese import validate_mobile, validate_resident_id
from portal.models import Congress, Term
from portal.services import DomainError

from ..choices import ETHNICITIES, Gender
from ..models import Constituency, Delegation, DeputyGroup
from .columns import (
    _COLUMNS_BY_KEY,
    _EDUCATION_ALIASES,
    _HEADER_LOOKUP,
    _NO,
    _OCCUPATION_ALIASES,
    _PARTY_ALIASES,
    _YES,
    COLUMN_KEYS,
    COLUMNS,
    TEMPLATE_EXAMPLE,
    _all_labels,
    _normalize_header,
)

MAX_ROWS = 10_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 200
GROUP_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_BLANK = "\u3000\xa0\t\r\n "


class RosterFileError(DomainError):
    """The file as a whole cannot be read (format, header, size)."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass
class ParsedRow:
    """One data row: the cell texts as read, the cleaned values and the errors."""

    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Resolved against the database by ``Lookups.check``.
    congress: Congress | None = None
    term: Term | None = None
    constituency: Constituency | None = None
    # 原选举单位 of a city-level-and-above row (the same column as 选区).
    electing_congress: Congress | None = None
    elected_by_army: bool = False
    delegation: Delegation | None = None
    groups: list[DeputyGroup] = field(default_factory=list)
    person_id: int | None = None

    def error(self, message: str) -> None:
        self.errors.append(message)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip(_BLANK)


def _open_workbook(fileobj: IO[bytes]):
    try:
        return openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # any failure to open means "not a valid .xlsx"
        raise RosterFileError(
            _(
                "文件不是有效的 .xlsx 格式，请在 Excel 中另存为“Excel 工作簿（*.xlsx）”后上传。"
            )
        ) from exc


def _header_index(header: Iterable[Any]) -> dict[str, int]:
    index: dict[str, int] = {}
    for position, value in enumerate(header):
        key = _HEADER_LOOKUP.get(_normalize_header(value))
        if key and key not in index:
            index[key] = position
    missing = [c.header for c in COLUMNS if c.required and c.key not in index]
    if missing:
        raise RosterFileError(
            _("第1行（表头）缺少以下列：%(columns)s。请使用名册模板。")
            % {"columns": "、".join(missing)}
        )
    return index


def read_rows(fileobj: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(excel_row_number, {column key: cell value})`` for each non-blank row.

    Row 1 is the header (matched by name, so column order does not matter);
    row numbers are the ones staff see in Excel.
    """
    workbook = _open_workbook(fileobj)
    try:
        sheet = workbook.worksheets[0]
        # Some writers store no or a wrong dimension; read every row that exists.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise RosterFileError(_("文件是空的。"))
        index = _header_index(header)
        count = 0
        for number, cells in enumerate(rows, start=2):
            values = {
                key: cells[pos] if pos < len(cells) else None
                for key, pos in index.items()
            }
            # Blank in the roster's columns (a note in another column does not count).
            if not any(_text(v) for v in values.values()):
                continue
            count += 1
            if count > MAX_ROWS:
                raise RosterFileError(
                    _("文件超过 %(max)s 行，请分成几个文件导入。") % {"max": MAX_ROWS}
                )
            yield number, values
    finally:
        workbook.close()


def count_rows(fileobj: IO[bytes]) -> int:
    """The number of data rows; raises ``RosterFileError`` for an unusable file."""
    total = sum(1 for _row in read_rows(fileobj))
    if not total:
        raise RosterFileError(_("文件中没有数据行。"))
    return total


def estimate_rows(fileobj: IO[bytes]) -> int | None:
    """Check the header and return the number of data rows the sheet declares
    (its dimension: Excel writes it, an upper bound), or None when it declares
    none. Reads only the first row."""
    workbook = _open_workbook(fileobj)
    try:
        sheet = workbook.worksheets[0]
        declared = sheet.max_row
        sheet.reset_dimensions()
        header = next(sheet.iter_rows(max_row=1, values_only=True), None)
        if header is None:
            raise RosterFileError(_("文件是空的。"))
        _header_index(header)
    finally:
        workbook.close()
    return declared - 1 if declared else None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any) -> date | None:
    """An Excel date, an Excel serial number or text such as 1975-03-02, 1975/3/2,
    1975年3月2日; None when blank; ValueError when unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # A date cell formatted as a number: serials 7000-80000 are 1919-2119.
    # Other numbers (1975, 19750302) are read as text below.
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_number and 7000 <= value < 80000:
        return from_excel(value).date()
    text = _text(value).replace(" ", "")
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    raise ValueError(text)


def parse_term_number(value: Any) -> int | None:
    """第十九届 / 十九 / 19 / 第19届 → 19."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and value > 0 else None
    text = _text(value).replace(" ", "")
    text = text.removeprefix("第").removesuffix("届")
    if not text:
        return None
    if text.isdigit():
        return int(text) or None
    try:
        number = cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, TypeError):
        return None
    return int(number) if number and float(number).is_integer() else None


def _clean_name(value: str) -> str:
    # Rosters pad two-character names for alignment (王  明); CJK names carry no
    # spaces, names with a middle dot (阿依古丽·买买提) keep theirs too.
    if re.search(r"[\u4e00-\u9fff]", value):
        return re.sub(r"\s+", "", value)
    return re.sub(r"\s+", " ", value)


def _choice(
    row: ParsedRow,
    key: str,
    text: str,
    labels: dict[str, str],
    aliases: dict[str, str] | None = None,
) -> str | None:
    if not text:
        return None
    value = labels.get(text) or (aliases or {}).get(text)
    if value is None and text in labels.values():
        value = text
    if value is None:
        row.error(
            _("%(column)s“%(value)s”不在代码表中。")
            % {"column": _COLUMNS_BY_KEY[key].header, "value": text}
        )
    return value


def clean_row(
    number: int, cells: dict[str, Any], labels: dict[str, dict[str, str]]
) -> ParsedRow:
    """Check one row on its own (formats, code lists); no database access."""
    raw = {key: _text(cells.get(key)) for key in COLUMN_KEYS}
    row = ParsedRow(number=number, raw=raw)
    values = row.values

    for column in COLUMNS:
        if column.required and not raw[column.key]:
            row.error(_("未填写%(column)s。") % {"column": column.header})
        elif column.max_length and len(raw[column.key]) > column.max_length:
            row.error(
                _("%(column)s不能超过%(max)s个字。")
                % {"column": column.header, "max": column.max_length}
            )

    if (
        raw["name"] == TEMPLATE_EXAMPLE["name"]
        and raw["card_number"] == TEMPLATE_EXAMPLE["card_number"]
    ):
        row.error(_("这是模板中的示例行，请删除后再上传。"))
    values["name"] = _clean_name(raw["name"])
    gender = raw["gender"]
    values["gender"] = labels["gender"].get(gender) or (
        gender if gender in labels["gender"].values() else None
    )
    if gender and values["gender"] is None:
        row.error(_("性别应填写“男”或“女”。"))

    ethnicity = raw["ethnicity"]
    if ethnicity and ethnicity not in ETHNICITIES:
        ethnicity = ethnicity + "族" if ethnicity + "族" in ETHNICITIES else ethnicity
        if ethnicity not in ETHNICITIES:
            row.error(
                _("民族“%(value)s”不是56个民族的规范名称。")
                % {"value": raw["ethnicity"]}
            )
    values["ethnicity"] = ethnicity or None

    try:
        birth = parse_date(cells.get("birth_date"))
    except (ValueError, OverflowError):
        birth = None
        row.error(
            _("出生日期“%(value)s”无法识别，请按 1975-03-02 的格式填写。")
            % {"value": raw["birth_date"]}
        )
    else:
        if birth is not None and not date(1900, 1, 1) <= birth <= timezone.localdate():
            row.error(_("出生日期“%(value)s”不合理。") % {"value": birth.isoformat()})
            birth = None
    values["birth_date"] = birth

    values["party"] = _choice(
        row, "party", raw["party"], labels["party"], _PARTY_ALIASES
    )
    values["education"] = _choice(
        row, "education", raw["education"], labels["education"], _EDUCATION_ALIASES
    )
    values["employer"] = raw["employer"] or None
    values["post"] = raw["post"] or None
    values["occupation"] = _choice(
        row, "occupation", raw["occupation"], labels["occupation"], _OCCUPATION_ALIASES
    )
    frontline = raw["is_frontline"].upper()
    if frontline in _YES:
        values["is_frontline"] = True
    elif frontline in _NO:
        values["is_frontline"] = False if frontline else None
    else:
        values["is_frontline"] = None
        row.error(_("一线代表应填写“是”或“否”。"))

    mobile = re.sub(r"[\s\-]", "", raw["mobile"])
    if len(mobile) == 13 and mobile.startswith("86"):
        mobile = mobile[2:]
    mobile = mobile.removeprefix("+86")
    if "*" in mobile:
        row.error(_("手机号码含“*”号，是脱敏后的号码，不能导入。"))
    elif mobile:
        try:
            validate_mobile(mobile)
        except ValidationError:
            row.error(
                _("手机号码“%(value)s”不是有效的11位大陆手机号码。")
                % {"value": raw["mobile"]}
            )
    values["mobile"] = mobile or None

    id_cell = cells.get("id_number")
    id_number = re.sub(r"\s", "", raw["id_number"]).upper()
    if (
        isinstance(id_cell, int | float)
        and not isinstance(id_cell, bool)
        and abs(id_cell) >= 1e15
    ):
        row.error(
            _(
                "身份证号码被 Excel 存成了数字，后几位已丢失。请把该列设为文本格式后重新填写。"
            )
        )
        id_number = ""
    elif "*" in id_number:
        row.error(_("身份证号码含“*”号，是脱敏后的号码，不能导入。"))
        id_number = ""
    elif id_number:
        try:
            validate_resident_id(id_number)
        except ValidationError as exc:
            for message in exc.messages:
                row.error(message)
            id_number = ""
    values["id_number"] = id_number or None
    if id_number:
        id_birth = date(
            int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
        )
        if values["birth_date"] is None and not raw["birth_date"]:
            values["birth_date"] = id_birth
        elif values["birth_date"] is not None and values["birth_date"] != id_birth:
            row.error(_("出生日期与身份证号码中的出生日期不一致。"))
        id_gender = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
        if values["gender"] and values["gender"] != id_gender:
            row.error(_("性别与身份证号码不一致。"))

    values["congress"] = raw["congress"].replace(" ", "")
    values["term"] = None
    if raw["term"]:
        values["term"] = parse_term_number(cells.get("term"))
        if values["term"] is None:
            row.error(
                _("届次“%(value)s”无法识别，请填写如“第十九届”或“19”。")
                % {"value": raw["term"]}
            )
    values["card_number"] = raw["card_number"]
    values["constituency"] = raw["constituency"]
    values["delegation"] = raw["delegation"]
    values["groups"] = list(
        dict.fromkeys(g for g in GROUP_SEPARATORS.split(raw["groups"]) if g)
    )
    return row


def parse_file(
    fileobj: IO[bytes], *, on_progress: Callable[[int], None] | None = None
) -> list[ParsedRow]:
    """Read and clean every row, reporting progress every ``PROGRESS_EVERY`` rows."""
    labels = _all_labels()
    rows: list[ParsedRow] = []
    for number, cells in read_rows(fileobj):
        rows.append(clean_row(number, cells, labels))
        if on_progress is not None and len(rows) % PROGRESS_EVERY == 0:
            on_progress(len(rows))
    if not rows:
        raise RosterFileError(_("文件中没有数据行。"))
    return rows
