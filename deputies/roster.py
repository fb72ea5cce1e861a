"""Roster import and export (DESIGN.md §3 "Roster import").

Staff keep their deputies in an Excel roster with the columns of ``COLUMNS``.
An upload becomes a ``RosterImport`` job:

1. ``roster_import_create`` checks the file (format, header, row count) and
   validates it at once when it is small, else in Celery.
2. ``roster_import_validate`` parses every row (no queries), then checks the
   rows against the database with a constant number of batched queries
   (``Lookups``), and stores all row-numbered errors and a preview.
3. ``roster_import_confirm`` starts the commit; ``roster_import_commit`` parses
   again, re-checks against the database inside one transaction and writes
   every row or none (bulk inserts).

``export_mandates`` writes the same columns, so an edited export can be
imported again (e.g. into the next term). The column headers are the exchange
format itself, so they are plain Chinese strings, never translated.
"""

from __future__ import annotations

import logging
import re
import tempfile
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

import cn2an
import openpyxl
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from portal.chinese import (
    chinese_numeral,
    mask_id_number,
    mask_mobile,
    validate_mobile,
    validate_resident_id,
)
from portal.models import Congress, Term, User
from portal.names import pinyin_sort_key, stroke_sort_key
from portal.scoping import UserScope, scope_for
from portal.services import DomainError, audit_record

from .choices import ETHNICITIES, Education, Gender, Occupation, Party
from .models import (
    Constituency,
    Delegation,
    DeputyGroup,
    GroupMembership,
    Mandate,
    Person,
    RosterImport,
)

logger = logging.getLogger(__name__)

# Files up to this many data rows are validated and committed in the request;
# larger ones in Celery with a progress bar (DESIGN.md §7).
SYNC_ROW_LIMIT = 500
MAX_ROWS = 10_000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PREVIEW_ROWS = 50
PROGRESS_EVERY = 200
SHEET_TITLE = "代表名册"
GROUP_SEPARATORS = re.compile(r"[、，,;；/\s]+")
_BLANK = "\u3000\xa0\t\r\n "


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None
    width: int = 12
    example: str = ""
    rule: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "姓名",
        required=True,
        max_length=50,
        width=10,
        example="王建国",
        rule="必填。姓名中的空格会被去掉。",
    ),
    Column(
        "gender",
        "性别",
        required=True,
        width=6,
        example="男",
        rule="必填，“男”或“女”。",
    ),
    Column(
        "ethnicity",
        "民族",
        width=10,
        example="汉族",
        rule="56个民族之一，不填视为汉族。",
    ),
    Column(
        "birth_date",
        "出生日期",
        width=12,
        example="1975-03-02",
        rule="日期格式，如 1975-03-02、1975/3/2、1975年3月2日；不填时取身份证号码中的出生日期。",
    ),
    Column("party", "政治面貌", width=12, example="中共党员", rule="见“代码表”。"),
    Column("education", "学历", width=12, example="大学本科", rule="见“代码表”。"),
    Column(
        "employer", "工作单位", max_length=100, width=24, example="桃花村村民委员会"
    ),
    Column("post", "职务", max_length=100, width=16, example="村党支部书记"),
    Column(
        "occupation",
        "代表构成",
        width=14,
        example="农民",
        rule="见“代码表”，不填视为“其他”。",
    ),
    Column(
        "is_frontline",
        "一线代表（是/否）",
        aliases=("一线代表",),
        width=10,
        example="是",
        rule="“是”或“否”，不填视为“否”。",
    ),
    Column(
        "mobile",
        "手机号码",
        aliases=("手机", "手机号", "联系电话"),
        width=14,
        example="13812345678",
        rule="11位大陆手机号码；请设为文本格式。",
    ),
    Column(
        "id_number",
        "身份证号码",
        aliases=("身份证号", "公民身份号码"),
        width=21,
        example="430102197503021234",
        rule="18位居民身份证号码，系统核对校验位；请设为文本格式，以免后几位变成0。"
        "已登记的人员按身份证号码匹配，不重复建档。",
    ),
    Column(
        "congress",
        "人民代表大会",
        aliases=("人大",),
        required=True,
        width=22,
        example="湘源县人民代表大会",
        rule="必填，须为您所管理的人民代表大会的全称，见“代码表”。",
    ),
    Column(
        "term",
        "届次",
        aliases=("届别", "届"),
        required=True,
        width=10,
        example="第十九届",
        rule="必填，如“第十九届”或“19”，须为该人大已设立的届次。",
    ),
    Column(
        "card_number",
        "代表证号",
        aliases=("代表证编号",),
        required=True,
        max_length=30,
        width=12,
        example="XY19-001",
        rule="必填，同一届内不得重复。",
    ),
    Column(
        "constituency",
        "选区（选举单位）",
        aliases=("选区", "选举单位"),
        width=18,
        example="第一选区",
        rule="须为该人大已登记的选区或选举单位。",
    ),
    Column(
        "delegation",
        "代表团",
        width=16,
        example="桃花乡代表团",
        rule="须为该届已设立的代表团（县级以上）。",
    ),
    Column(
        "groups",
        "代表小组",
        aliases=("所在代表小组",),
        width=24,
        example="农业农村专业代表小组",
        rule="可填多个，用“、”或“，”分隔；须为该人大已设立的代表小组。",
    ),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
HEADERS = tuple(c.header for c in COLUMNS)
_COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}


def _normalize_header(value: Any) -> str:
    text = "" if value is None else str(value)
    text = text.replace("(", "（").replace(")", "）").replace("*", "").replace("＊", "")
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


_HEADER_LOOKUP = {
    _normalize_header(name): column.key
    for column in COLUMNS
    for name in (column.header, *column.aliases)
}


# --- code lists -----------------------------------------------------------------------

# Spellings staff commonly use besides the official labels.
_PARTY_ALIASES = {
    "中国共产党党员": Party.CPC,
    "共产党员": Party.CPC,
    "党员": Party.CPC,
    "中共": Party.CPC,
    "预备党员": Party.CPC_PROBATIONARY,
    "团员": Party.CYL,
    "民革": Party.RCCK,
    "民盟": Party.CDL,
    "民建": Party.CNDCA,
    "民进": Party.CAPD,
    "农工党": Party.CPWDP,
    "致公党": Party.CZGD,
    "九三学社": Party.JS,
    "台盟": Party.TDSGL,
    "无党派": Party.NON_PARTISAN,
    "无党派民主人士": Party.NON_PARTISAN,
}
_EDUCATION_ALIASES = {
    "本科": Education.BACHELOR,
    "大学": Education.BACHELOR,
    "研究生": Education.MASTER,
    "硕士": Education.MASTER,
    "博士": Education.DOCTOR,
    "高中": Education.SENIOR,
    "中专": Education.SENIOR,
    "专科": Education.JUNIOR_COLLEGE,
    "大学专科": Education.JUNIOR_COLLEGE,
}
_OCCUPATION_ALIASES = {
    "党政干部": Occupation.OFFICIAL,
    "领导干部": Occupation.OFFICIAL,
    "专业技术": Occupation.PROFESSIONAL,
    "解放军": Occupation.MILITARY,
    "军人": Occupation.MILITARY,
    "企业": Occupation.ENTERPRISE,
}
_YES = {"是", "Y", "YES", "TRUE", "1", "√", "✓"}
_NO = {"否", "N", "NO", "FALSE", "0", "×", ""}


def _labels(choices) -> dict[str, str]:
    """Chinese label → value, whatever language the request or worker runs in."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in choices.choices}


def code_lists() -> dict[str, list[str]]:
    """The code lists staff fill in (also the template's second sheet)."""
    with translation.override("zh-hans"):
        return {
            "性别": [str(label) for label in Gender.labels],
            "民族": list(ETHNICITIES),
            "政治面貌": [str(label) for label in Party.labels],
            "学历": [str(label) for label in Education.labels],
            "代表构成": [str(label) for label in Occupation.labels],
            "一线代表（是/否）": ["是", "否"],
        }


# --- parsing -------------------------------------------------------------------------


class RosterFileError(DomainError):
    """The file as a whole cannot be read (format, header, size)."""


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


# --- row cleaning (no database) ---------------------------------------------------------

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


def _all_labels() -> dict[str, dict[str, str]]:
    return {
        "gender": _labels(Gender),
        "party": _labels(Party),
        "education": _labels(Education),
        "occupation": _labels(Occupation),
    }


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


# --- checks against the database (batched) ----------------------------------------------


def _congress_name_variants(name: str) -> list[str]:
    if name.endswith("人大"):
        return [name, name[:-2] + "人民代表大会"]
    return [name]


def _term_label(term: Term) -> str:
    return _("%(congress)s第%(number)s届") % {
        "congress": term.congress.name,
        "number": chinese_numeral(term.number),
    }


@dataclass
class Lookups:
    """Everything the rows are checked against, loaded in a fixed number of queries
    (congresses, terms, constituencies, delegations, groups, mandates of those
    terms, persons by ID number), whatever the number of rows."""

    scope: UserScope
    congresses: dict[str, list[Congress]]
    terms: dict[tuple[int, int], Term]
    constituencies: dict[tuple[int, str], Constituency]
    delegations: dict[tuple[int, str], Delegation]
    groups: dict[tuple[int, str], DeputyGroup]
    cards: set[tuple[int, str]]
    person_terms: set[tuple[int, int]]
    persons: dict[str, tuple[int, str]]

    @classmethod
    def load(cls, user: User, rows: list[ParsedRow]) -> Lookups:
        scope = scope_for(user)
        names = {
            v for row in rows for v in _congress_name_variants(row.values["congress"])
        }
        by_name: dict[str, list[Congress]] = defaultdict(list)
        for congress in Congress.objects.filter(name__in=names).select_related(
            "region"
        ):
            by_name[congress.name].append(congress)
        managed = [
            c
            for group in by_name.values()
            for c in group
            if scope.manages_path(c.region.path)
        ]
        terms = {
            (t.congress_id, t.number): t
            for t in Term.objects.filter(congress__in=managed).select_related(
                "congress"
            )
        }
        constituencies = {
            (c.congress_id, c.name): c
            for c in Constituency.objects.filter(congress__in=managed)
        }
        delegations = {
            (d.term_id, d.name): d
            for d in Delegation.objects.filter(term__in=terms.values())
        }
        groups = {
            (g.congress_id, g.name): g
            for g in DeputyGroup.objects.filter(congress__in=managed)
        }
        cards: set[tuple[int, str]] = set()
        person_terms: set[tuple[int, int]] = set()
        for term_id, card, person_id in Mandate.objects.filter(
            term__in=terms.values()
        ).values_list("term_id", "card_number", "person_id"):
            cards.add((term_id, card))
            person_terms.add((term_id, person_id))
        id_numbers = {
            row.values["id_number"] for row in rows if row.values.get("id_number")
        }
        persons = (
            {
                number: (pk, name)
                for pk, number, name in Person.objects.filter(
                    id_number__in=id_numbers
                ).values_list("pk", "id_number", "name")
            }
            if id_numbers
            else {}
        )
        return cls(
            scope=scope,
            congresses=by_name,
            terms=terms,
            constituencies=constituencies,
            delegations=delegations,
            groups=groups,
            cards=cards,
            person_terms=person_terms,
            persons=persons,
        )

    def congress_named(self, name: str) -> tuple[Congress | None, str]:
        found = [
            c for n in _congress_name_variants(name) for c in self.congresses.get(n, [])
        ]
        managed = [c for c in found if self.scope.manages_path(c.region.path)]
        if len(managed) == 1:
            return managed[0], ""
        if len(managed) > 1:
            return None, _("有多个名为“%(name)s”的人民代表大会，请联系系统管理员。") % {
                "name": name
            }
        return None, _("未知或无权管理的人民代表大会“%(name)s”。") % {"name": name}

    def check(self, rows: list[ParsedRow]) -> None:
        """Resolve names to rows of the database and add cross-row and database errors."""
        seen_cards: dict[tuple[Any, str], int] = {}
        seen_ids: dict[str, tuple[int, str]] = {}
        seen_id_terms: dict[tuple[Any, str], int] = {}
        for row in rows:
            values = row.values
            if values["congress"]:
                row.congress, message = self.congress_named(values["congress"])
                if message:
                    row.error(message)
            congress, number = row.congress, values["term"]
            if congress is not None and number is not None:
                row.term = self.terms.get((congress.pk, number))
                if row.term is None:
                    row.error(
                        _("%(congress)s没有第%(number)s届。")
                        % {"congress": congress.name, "number": chinese_numeral(number)}
                    )
            if congress is not None and values["constituency"]:
                row.constituency = self.constituencies.get(
                    (congress.pk, values["constituency"])
                )
                if row.constituency is None:
                    row.error(
                        _(
                            "选区（选举单位）“%(name)s”不是%(congress)s已登记的选区或选举单位。"
                        )
                        % {"name": values["constituency"], "congress": congress.name}
                    )
            if row.term is not None and values["delegation"]:
                row.delegation = self.delegations.get(
                    (row.term.pk, values["delegation"])
                )
                if row.delegation is None:
                    row.error(
                        _("%(term)s没有代表团“%(name)s”。")
                        % {"term": _term_label(row.term), "name": values["delegation"]}
                    )
            if congress is not None:
                for name in values["groups"]:
                    group = self.groups.get((congress.pk, name))
                    if group is None:
                        row.error(
                            _("代表小组“%(name)s”不是%(congress)s的代表小组。")
                            % {"name": name, "congress": congress.name}
                        )
                    else:
                        row.groups.append(group)

            card = values["card_number"]
            if card:
                key = (
                    row.term.pk if row.term else (values["congress"], values["term"]),
                    card,
                )
                if key in seen_cards:
                    row.error(
                        _("代表证号“%(card)s”与第%(row)s行重复。")
                        % {"card": card, "row": seen_cards[key]}
                    )
                else:
                    seen_cards[key] = row.number
                if row.term is not None and (row.term.pk, card) in self.cards:
                    row.error(
                        _("代表证号“%(card)s”在%(term)s已被使用。")
                        % {"card": card, "term": _term_label(row.term)}
                    )

            id_number = values["id_number"]
            if id_number:
                # One person may hold mandates at several levels, so the same ID
                # number may appear once per term, always with the same name.
                term_key = (
                    row.term.pk if row.term else (values["congress"], values["term"])
                )
                if (term_key, id_number) in seen_id_terms:
                    row.error(
                        _("身份证号码与第%(row)s行重复。")
                        % {"row": seen_id_terms[(term_key, id_number)]}
                    )
                else:
                    seen_id_terms[(term_key, id_number)] = row.number
                first = seen_ids.setdefault(id_number, (row.number, values["name"]))
                if first[1] != values["name"]:
                    row.error(
                        _("身份证号码与第%(row)s行相同，但姓名不一致。")
                        % {"row": first[0]}
                    )
                known = self.persons.get(id_number)
                if known is not None:
                    row.person_id, known_name = known
                    if values["name"] and known_name != values["name"]:
                        row.error(
                            _("该身份证号码已登记为“%(name)s”，与本行姓名不一致。")
                            % {"name": known_name}
                        )
                    if (
                        row.term is not None
                        and (row.term.pk, row.person_id) in self.person_terms
                    ):
                        row.error(
                            _("该人员在%(term)s已有代表资格。")
                            % {"term": _term_label(row.term)}
                        )


def validate_rows(rows: list[ParsedRow], user: User) -> Lookups:
    """Check parsed rows against the database; errors are added to the rows."""
    lookups = Lookups.load(user, rows)
    lookups.check(rows)
    return lookups


def collect_errors(rows: list[ParsedRow]) -> list[dict[str, Any]]:
    return [
        {"row": row.number, "message": message}
        for row in rows
        for message in row.errors
    ]


def _preview(rows: list[ParsedRow]) -> list[dict[str, Any]]:
    preview = []
    for row in rows[:PREVIEW_ROWS]:
        cells = dict(row.raw)
        # Show what will be stored where the import completes a cell (王  明 → 王明,
        # 苗 → 苗族, the birth date from the ID number).
        values = row.values
        cells["name"] = values.get("name") or cells["name"]
        cells["ethnicity"] = values.get("ethnicity") or cells["ethnicity"]
        if values.get("birth_date"):
            cells["birth_date"] = values["birth_date"].isoformat()
        # The preview is kept in the database: store no full personal numbers.
        cells["mobile"] = mask_mobile(cells["mobile"])
        cells["id_number"] = mask_id_number(cells["id_number"])
        preview.append(
            {
                "row": row.number,
                "cells": [cells[key] for key in COLUMN_KEYS],
                "has_errors": bool(row.errors),
            }
        )
    return preview


# --- the import job ---------------------------------------------------------------------


def can_import(user: User) -> bool:
    """Congress staff who manage some region (and admins) may import rosters."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.managed_paths)


def imports_visible_to(user: User) -> QuerySet[RosterImport]:
    """Import jobs the user may see: their own, and those uploaded within a region
    they manage; everyone else gets a 404."""
    scope = scope_for(user)
    if scope.is_admin:
        return RosterImport.objects.all()
    if not scope.is_authenticated:
        return RosterImport.objects.none()
    q = Q(created_by=user)
    for path in scope.managed_paths:
        q |= Q(region_path__startswith=path)
    return RosterImport.objects.filter(q)


def _common_path(paths: Iterable[str]) -> str:
    """The deepest region path above all ``paths`` ("" when they share none)."""
    split = [p.split("/")[:-1] for p in paths]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""


def _set(job: RosterImport, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    RosterImport.objects.filter(pk=job.pk).update(**fields)


def _progress(job: RosterImport) -> Callable[[int], None]:
    def report(done: int) -> None:
        RosterImport.objects.filter(pk=job.pk).update(processed_rows=done)

    return report


def roster_import_create(*, upload: UploadedFile, actor: User) -> RosterImport:
    """Store an uploaded roster as an import job and validate it (at once when it
    has at most ``SYNC_ROW_LIMIT`` rows, else in Celery).

    Raises ``RosterFileError`` (nothing stored) when the file as a whole is unusable.
    """
    if not can_import(actor):
        raise DomainError(_("您没有导入代表名册的权限。"))
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise RosterFileError(_("文件不能超过 10 MB。"))
    upload.seek(0)
    estimate = estimate_rows(upload)
    upload.seek(0)
    if estimate is None:
        estimate = count_rows(upload)
        upload.seek(0)
    rows = None
    if estimate <= SYNC_ROW_LIMIT:
        # Small: parsed now, so a file without data rows is refused on the form.
        rows = parse_file(upload)
        upload.seek(0)
    original_name = upload.name or "roster.xlsx"
    # Stored under a random name: file names often carry personal names.
    upload.name = f"{uuid.uuid4().hex}.xlsx"
    job = RosterImport.objects.create(
        file=upload,
        original_name=original_name[:200],
        total_rows=len(rows) if rows is not None else estimate,
        created_by=actor,
        region_path=_common_path(scope_for(actor).managed_paths),
    )
    if rows is not None:
        return _store_validation(job, rows, actor)
    from .tasks import validate_roster_import

    _set(job, status=RosterImport.Status.VALIDATING)
    validate_roster_import.delay_on_commit(job.pk)
    return job


def roster_import_validate(
    *, job: RosterImport, user: User | None = None
) -> RosterImport:
    """Parse and check every row; store all errors (with Excel row numbers) and a
    preview of the first rows. Status becomes ``valid`` or ``invalid``."""
    user = user or job.created_by
    _set(job, status=RosterImport.Status.VALIDATING, processed_rows=0)
    try:
        with job.file.open("rb") as handle:
            rows = parse_file(handle, on_progress=_progress(job))
    except RosterFileError as exc:
        _set(
            job,
            status=RosterImport.Status.INVALID,
            errors=[{"row": None, "message": exc.message}],
        )
        return job
    return _store_validation(job, rows, user)


def _store_validation(
    job: RosterImport, rows: list[ParsedRow], user: User
) -> RosterImport:
    validate_rows(rows, user)
    errors = collect_errors(rows)
    _set(
        job,
        status=RosterImport.Status.INVALID if errors else RosterImport.Status.VALID,
        total_rows=len(rows),
        processed_rows=len(rows),
        errors=errors,
        preview=_preview(rows),
    )
    return job


class _Rejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__("roster rejected")
        self.errors = errors


def roster_import_confirm(*, job: RosterImport, actor: User) -> RosterImport:
    """Start importing a validated job: small files at once, large ones in Celery.

    Only one request wins the ``valid`` → ``importing`` step, so a double click
    imports once.
    """
    if not can_import(actor):
        raise DomainError(_("您没有导入代表名册的权限。"))
    claimed = RosterImport.objects.filter(
        pk=job.pk, status=RosterImport.Status.VALID
    ).update(status=RosterImport.Status.IMPORTING, processed_rows=0)
    job.refresh_from_db()
    if not claimed:
        if job.status in (RosterImport.Status.IMPORTING, RosterImport.Status.DONE):
            return job
        raise DomainError(_("该名册尚未通过校验，不能导入。"), conflict=True)
    if job.total_rows <= SYNC_ROW_LIMIT:
        return roster_import_commit(job=job, actor=actor)
    from .tasks import commit_roster_import

    commit_roster_import.delay_on_commit(job.pk, actor.pk)
    return job


def roster_import_commit(*, job: RosterImport, actor: User) -> RosterImport:
    """Import every row or none.

    The file is parsed outside the transaction (with progress); inside one
    transaction the job is locked, the rows are checked again against the
    database as it is now, and persons, mandates and group memberships are
    written in bulk, with one audit row per congress. On any failure nothing
    is written and the job is ``failed`` with the reason.
    """
    if job.status == RosterImport.Status.DONE:
        return job
    try:
        with job.file.open("rb") as handle:
            rows = parse_file(handle, on_progress=_progress(job))
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=job.pk)
            if locked.status != RosterImport.Status.IMPORTING:
                return locked
            lookups = validate_rows(rows, actor)
            errors = collect_errors(rows)
            if errors:
                raise _Rejected(errors)
            count = _write(rows, lookups, actor=actor, job=locked)
            _set(
                locked,
                status=RosterImport.Status.DONE,
                processed_rows=len(rows),
                total_rows=len(rows),
                imported_count=count,
                errors=[],
                finished_at=timezone.now(),
            )
    except _Rejected as exc:
        _fail(
            job,
            [
                {"row": None, "message": _("导入前复核发现以下问题，未写入任何数据。")},
                *exc.errors,
            ],
        )
        return job
    except RosterFileError as exc:
        _fail(job, [{"row": None, "message": exc.message}])
        return job
    except Exception as exc:
        logger.exception("roster import %s failed", job.pk)
        _fail(
            job,
            [
                {
                    "row": None,
                    "message": _("导入时发生错误，未写入任何数据：%(error)s")
                    % {"error": exc},
                }
            ],
        )
        return job
    job.refresh_from_db()
    # The data is in the database now; keep no second copy of personal numbers.
    job.file.delete(save=False)
    RosterImport.objects.filter(pk=job.pk).update(file="")
    return job


def _fail(job: RosterImport, errors: list[dict[str, Any]]) -> None:
    # Conditional, so a late failure never overwrites a finished import.
    RosterImport.objects.filter(pk=job.pk).exclude(
        status=RosterImport.Status.DONE
    ).update(
        status=RosterImport.Status.FAILED, errors=errors, finished_at=timezone.now()
    )
    job.refresh_from_db()


def roster_import_fail(*, job: RosterImport, reason: str) -> RosterImport:
    """Give up on a job that can no longer run (e.g. its user was deactivated)."""
    _fail(job, [{"row": None, "message": reason}])
    return job


_PERSON_UPDATE_FIELDS = (
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "employer",
    "post",
    "occupation",
    "is_frontline",
    "mobile",
)
_NEW_PERSON_DEFAULTS: dict[str, Any] = {
    "ethnicity": "汉族",
    "birth_date": None,
    "party": "",
    "education": "",
    "employer": "",
    "post": "",
    "occupation": Occupation.OTHER,
    "is_frontline": False,
    "mobile": "",
}


def _write(
    rows: list[ParsedRow], lookups: Lookups, *, actor: User, job: RosterImport
) -> int:
    now = timezone.now()
    created: list[Person] = []
    new_person_of_row: dict[int, Person] = {}
    new_by_id_number: dict[str, Person] = {}
    # Known persons (matched by ID number): the roster's non-blank cells bring
    # their data up to date; blank cells keep what is stored.
    updates: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for row in rows:
        values = row.values
        given = {k: values[k] for k in _PERSON_UPDATE_FIELDS if values[k] is not None}
        if row.person_id is not None:
            updates[tuple(given)].append(
                Person(pk=row.person_id, updated_at=now, **given)
            )
            continue
        id_number = values["id_number"] or ""
        person = new_by_id_number.get(id_number) if id_number else None
        if person is None:
            # The same new person may appear once per level (county and city).
            person = Person(
                name=values["name"],
                name_stroke_key=stroke_sort_key(values["name"]),
                name_pinyin=pinyin_sort_key(values["name"]),
                id_number=id_number,
                **{**_NEW_PERSON_DEFAULTS, **given},
            )
            created.append(person)
            if id_number:
                new_by_id_number[id_number] = person
        new_person_of_row[row.number] = person

    if connection.features.can_return_rows_from_bulk_insert:
        Person.objects.bulk_create(created, batch_size=1000)
    else:  # pragma: no cover - backends that return no ids from bulk inserts
        for person in created:
            person.save()
    for row in rows:
        if row.number in new_person_of_row:
            row.person_id = new_person_of_row[row.number].pk
    for fields, persons in updates.items():
        Person.objects.bulk_update(persons, [*fields, "updated_at"], batch_size=500)

    mandates = [
        Mandate(
            person_id=row.person_id,
            congress=row.congress,
            term=row.term,
            card_number=row.values["card_number"],
            constituency=row.constituency,
            delegation=row.delegation,
            status=Mandate.Status.ACTIVE,
        )
        for row in rows
    ]
    Mandate.objects.bulk_create(mandates, batch_size=1000)
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=group, mandate=mandate)
            for row, mandate in zip(rows, mandates, strict=True)
            for group in row.groups
        ],
        batch_size=1000,
    )

    per_congress: dict[int, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        per_congress[row.congress.pk].append(row)
    for congress_rows in per_congress.values():
        congress = congress_rows[0].congress
        new = sum(1 for r in congress_rows if r.number in new_person_of_row)
        audit_record(
            actor=actor,
            action="roster.import",
            target=job,
            to_state=RosterImport.Status.DONE,
            data={
                "file": job.original_name,
                "congress": congress.name,
                "terms": sorted({r.term.number for r in congress_rows}),
                "mandates": len(congress_rows),
                "persons_created": new,
                "persons_reused": len(congress_rows) - new,
            },
            region_path=congress.region.path,
        )
    return len(mandates)


# --- export and template ------------------------------------------------------------------


def _value_labels() -> dict[str, dict[str, str]]:
    return {
        key: {v: k for k, v in labels.items()} for key, labels in _all_labels().items()
    }


def _text_cell(sheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        # Data, never a formula (a name or unit typed as "=…" must not run in Excel).
        cell.data_type = "s"
    return cell


def _setup_roster_sheet(sheet) -> None:
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"


def export_mandates(
    queryset: QuerySet[Mandate], *, user: User, ip_address: str | None = None
) -> IO[bytes]:
    """The mandates of ``queryset`` as an .xlsx roster in the import columns.

    Mobile and ID number are written in full only for mandates the user manages
    (``Mandate.objects.manageable_by``), masked otherwise; every full value
    written is logged through ``reveal_personal_data``. Three queries whatever
    the number of rows (mandates, group names, the audit insert).
    """
    from .services import reveal_personal_data

    manageable = Mandate.objects.manageable_by(user).filter(pk=OuterRef("pk"))
    mandates = queryset.select_related(
        "person", "congress__region", "term", "constituency", "delegation"
    ).annotate(full_personal_data=Exists(manageable))
    group_names: dict[int, list[str]] = defaultdict(list)
    memberships = GroupMembership.objects.filter(
        mandate__in=queryset.order_by().values("pk")
    ).order_by("group__name")
    for mandate_id, name in memberships.values_list("mandate_id", "group__name"):
        group_names[mandate_id].append(name)

    labels = _value_labels()
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    _setup_roster_sheet(sheet)
    bold = Font(bold=True)
    header = []
    for title in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    revealed: list[Mandate] = []
    for mandate in mandates.iterator(chunk_size=2000):
        person = mandate.person
        if mandate.full_personal_data:
            mobile, id_number = person.mobile, person.id_number
            if mobile or id_number:
                revealed.append(mandate)
        else:
            mobile, id_number = (
                mask_mobile(person.mobile),
                mask_id_number(person.id_number),
            )
        birth = WriteOnlyCell(sheet, value=person.birth_date)
        birth.number_format = "yyyy-mm-dd"
        sheet.append(
            [
                _text_cell(sheet, person.name),
                labels["gender"].get(person.gender, person.gender),
                person.ethnicity,
                birth,
                labels["party"].get(person.party, person.party),
                labels["education"].get(person.education, person.education),
                _text_cell(sheet, person.employer),
                _text_cell(sheet, person.post),
                labels["occupation"].get(person.occupation, person.occupation),
                "是" if person.is_frontline else "否",
                mobile,
                id_number,
                mandate.congress.name,
                f"第{chinese_numeral(mandate.term.number)}届",
                _text_cell(sheet, mandate.card_number),
                _text_cell(
                    sheet, mandate.constituency.name if mandate.constituency else ""
                ),
                _text_cell(
                    sheet, mandate.delegation.name if mandate.delegation else ""
                ),
                _text_cell(sheet, "、".join(group_names.get(mandate.pk, []))),
            ]
        )
    reveal_personal_data(user=user, mandates=revealed, ip_address=ip_address)
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    workbook.save(output)
    output.seek(0)
    return output


TEMPLATE_EXAMPLE = {
    "name": "王建国",
    "gender": "男",
    "ethnicity": "汉族",
    "birth_date": "1975-03-02",
    "party": "中共党员",
    "education": "大学本科",
    "employer": "桃花村村民委员会",
    "post": "村党支部书记",
    "occupation": "农民",
    "is_frontline": "是",
    "mobile": "13812345678",
    "id_number": "430102197503020012",
    "term": "第十九届",
    "card_number": "示例-001",
    "constituency": "第一选区",
    "delegation": "",
    "groups": "",
}


def template_workbook(user: User) -> bytes:
    """The roster template: the header, an example row, dropdowns, a code sheet
    (性别, 民族, 政治面貌, 学历, 代表构成 and the congresses the user manages) and a
    sheet of filling rules."""
    import io

    scope = scope_for(user)
    managed = Q()
    if not scope.is_admin:
        managed = Q(pk__in=[])
        for path in scope.managed_paths:
            managed |= Q(region__path__startswith=path)
    congresses = list(
        Congress.objects.filter(managed, terms__is_current=True).order_by(
            "region__path"
        )[:1000]
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    _setup_roster_sheet(sheet)
    header_fill = PatternFill("solid", fgColor="FBF0F0")
    required_font = Font(bold=True, color="A8171B")
    for position, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=position, value=column.header)
        cell.font = required_font if column.required else Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
        letter = get_column_letter(position)
        if column.key in ("mobile", "id_number", "card_number"):
            sheet.column_dimensions[letter].number_format = "@"
        if column.key == "birth_date":
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
    example = {
        **TEMPLATE_EXAMPLE,
        "congress": congresses[0].name if congresses else "湘源县人民代表大会",
    }
    grey = Font(color="59606A", italic=True)
    for position, key in enumerate(COLUMN_KEYS, start=1):
        cell = sheet.cell(row=2, column=position, value=example[key])
        cell.font = grey
        if key in ("mobile", "id_number", "card_number"):
            cell.number_format = "@"

    codes = workbook.create_sheet("代码表")
    lists = code_lists()
    lists["人民代表大会"] = [c.name for c in congresses]
    for position, (title, items) in enumerate(lists.items(), start=1):
        codes.cell(row=1, column=position, value=title).font = Font(bold=True)
        codes.column_dimensions[get_column_letter(position)].width = (
            22 if title == "人民代表大会" else 14
        )
        for offset, item in enumerate(items, start=2):
            codes.cell(row=offset, column=position, value=item)
    codes.freeze_panes = "A2"

    column_of = {c.header: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    last_row = MAX_ROWS + 1
    for position, (title, items) in enumerate(lists.items(), start=1):
        if not items:
            continue
        source = get_column_letter(position)
        validation = DataValidation(
            type="list",
            formula1=f"'代码表'!${source}$2:${source}${len(items) + 1}",
            allow_blank=True,
            # A warning, not a stop: the import also accepts common spellings (汉, 本科).
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle="不在代码表中",
            error="请从下拉列表中选择，或查看“代码表”。",
        )
        target = column_of[title]
        validation.add(f"{target}2:{target}{last_row}")
        sheet.add_data_validation(validation)

    rules = workbook.create_sheet("填写说明")
    for position, title in enumerate(("列名", "是否必填", "填写要求"), start=1):
        rules.cell(row=1, column=position, value=title).font = Font(bold=True)
    for offset, column in enumerate(COLUMNS, start=2):
        rules.cell(row=offset, column=1, value=column.header)
        rules.cell(row=offset, column=2, value="必填" if column.required else "")
        rules.cell(row=offset, column=3, value=column.rule)
    notes = (
        "第1行为表头，请勿修改列名；第2行是示例，导入前请删除。",
        "一个文件可包含多个人民代表大会、多个届次的代表；有任何一行出错时，整个文件都不会导入。",
        f"每个文件最多 {MAX_ROWS} 行、10 MB。",
    )
    for offset, note in enumerate(notes, start=len(COLUMNS) + 3):
        rules.cell(row=offset, column=1, value=note)
    rules.column_dimensions["A"].width = 18
    rules.column_dimensions["B"].width = 10
    rules.column_dimensions["C"].width = 90

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
