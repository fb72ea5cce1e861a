"""Workbooks the roster pages hand out: the export of the deputy list (in the
import columns, so an edited export imports again) and the blank template.

The export is written with XlsxWriter in ``constant_memory`` mode: at province
scale (145,000 rows) it writes about twice as fast as openpyxl's write-only
mode in flat memory. The template, small and styled, stays with openpyxl.
"""

from __future__ import annotations

import io
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from typing import IO

import openpyxl
import xlsxwriter
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Value
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.chinese import chinese_numeral, mask_id_number, mask_mobile
from portal.models import User

from ..models import ARMY_ELECTORAL_UNIT, GroupMembership, Mandate
from ..policies import managed_congresses
from ..services import RevealedDeputy, personal_data_reveals_record
from .columns import (
    COLUMN_KEYS,
    COLUMNS,
    HEADERS,
    SHEET_TITLE,
    TEMPLATE_EXAMPLE,
    _value_labels,
    code_lists,
)
from .parsing import MAX_ROWS

# Rows are read, audited and written this many at a time: memory stays flat
# whatever the number of deputies, and the queries are two per chunk.
EXPORT_CHUNK_ROWS = 2000

# What a row of the export reads, as plain values (no model instances: at
# province scale building 145,000 x 7 objects costs more than writing the file).
_EXPORT_FIELDS = (
    "pk",
    "person__name",
    "person__gender",
    "person__ethnicity",
    "person__birth_date",
    "person__party",
    "person__education",
    "person__employer",
    "person__post",
    "person__occupation",
    "person__is_frontline",
    "person__mobile",
    "person__id_number",
    "congress__name",
    "congress__region__path",
    "term__number",
    "card_number",
    "constituency__name",
    "elected_by_army",
    "electing_congress__name",
    "delegation__name",
    "full_personal_data",
)


def _setup_roster_sheet(sheet) -> None:
    for position, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = "A2"


def _chunks(rows: Iterator[tuple], size: int) -> Iterator[list[tuple]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _group_names(mandate_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    memberships = GroupMembership.objects.filter(mandate_id__in=mandate_ids)
    for mandate_id, name in memberships.order_by("group__name").values_list(
        "mandate_id", "group__name"
    ):
        names[mandate_id].append(name)
    return names


def write_mandates(
    queryset: QuerySet[Mandate],
    *,
    user: User,
    output: IO[bytes],
    ip_address: str | None = None,
    reason: str = "",
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write the mandates of ``queryset`` (in its order) to ``output`` as an
    .xlsx roster in the import columns; returns the number of rows.

    Mobile and ID number are masked unless the export gives a ``reason`` (a full
    export must say why: PIPL 第五十一条, necessity), and then written in full
    only for mandates the user manages (``Mandate.objects.manageable_by``),
    masked for the rest; every full value written is logged, with the reason,
    through ``personal_data_reveals_record``, in the same
    transaction (an export that fails logs nothing). The rows are read with a
    server-side cursor ``EXPORT_CHUNK_ROWS`` at a time, each chunk with one
    query for its group names and one audit insert, and the sheet is written
    row by row to a temporary file (XlsxWriter ``constant_memory``): memory does
    not grow with the number of rows. Text is never written as a formula (a
    name or unit typed as "=…" must not run in Excel). ``on_progress`` gets the
    number of rows written after each chunk.
    """
    reason = (reason or "").strip()
    manageable = Mandate.objects.manageable_by(user).filter(pk=OuterRef("pk"))
    full = Exists(manageable) if reason else Value(False)
    rows = (
        queryset.annotate(full_personal_data=full)
        .values_list(*_EXPORT_FIELDS)
        .iterator(chunk_size=EXPORT_CHUNK_ROWS)
    )
    labels = _value_labels()
    gender, party, education, occupation = (
        labels[key] for key in ("gender", "party", "education", "occupation")
    )
    army_unit = str(ARMY_ELECTORAL_UNIT)
    term_titles: dict[int, str] = {}
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "tmpdir": tempfile.gettempdir(),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    sheet = workbook.add_worksheet(SHEET_TITLE)
    for position, column in enumerate(COLUMNS):
        sheet.set_column(position, position, column.width)
    sheet.freeze_panes(1, 0)
    sheet.write_row(0, 0, HEADERS, workbook.add_format({"bold": True}))

    written = 0
    with transaction.atomic():
        for chunk in _chunks(rows, EXPORT_CHUNK_ROWS):
            groups = _group_names([row[0] for row in chunk])
            reveals: list[RevealedDeputy] = []
            for (
                pk,
                name,
                gender_value,
                ethnicity,
                birth_date,
                party_value,
                education_value,
                employer,
                post,
                occupation_value,
                is_frontline,
                mobile,
                id_number,
                congress_name,
                region_path,
                term_number,
                card_number,
                constituency_name,
                elected_by_army,
                electing_congress_name,
                delegation_name,
                full_personal_data,
            ) in chunk:
                if full_personal_data:
                    if mobile or id_number:
                        reveals.append(RevealedDeputy(pk, name, region_path))
                else:
                    mobile, id_number = mask_mobile(mobile), mask_id_number(id_number)
                term = term_titles.get(term_number)
                if term is None:
                    term = term_titles[term_number] = (
                        f"第{chinese_numeral(term_number)}届"
                    )
                if constituency_name:
                    electing_unit = constituency_name
                elif elected_by_army:
                    electing_unit = army_unit
                else:
                    electing_unit = electing_congress_name or ""
                written += 1
                sheet.write_row(
                    written,
                    0,
                    (
                        name,
                        gender.get(gender_value, gender_value),
                        ethnicity,
                        birth_date,
                        party.get(party_value, party_value),
                        education.get(education_value, education_value),
                        employer,
                        post,
                        occupation.get(occupation_value, occupation_value),
                        "是" if is_frontline else "否",
                        mobile,
                        id_number,
                        congress_name,
                        term,
                        card_number,
                        electing_unit,
                        delegation_name or "",
                        "、".join(groups.get(pk, ())),
                    ),
                )
            personal_data_reveals_record(
                actor=user, reveals=reveals, ip_address=ip_address, reason=reason
            )
            if on_progress is not None:
                on_progress(written)
        workbook.close()
    return written


def export_mandates(
    queryset: QuerySet[Mandate],
    *,
    user: User,
    ip_address: str | None = None,
    reason: str = "",
) -> IO[bytes]:
    """The mandates of ``queryset`` as an .xlsx roster (``write_mandates``), in
    a temporary file on disk positioned at its start, for a ``FileResponse``."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - returned open
    write_mandates(
        queryset, user=user, output=output, ip_address=ip_address, reason=reason
    )
    output.seek(0)
    return output


def template_workbook(user: User) -> bytes:
    """The roster template: the header, an example row, dropdowns, a code sheet
    (性别, 民族, 政治面貌, 学历, 代表构成 and the congresses the user manages) and a
    sheet of filling rules."""
    congresses = list(
        managed_congresses(user)
        .filter(terms__is_current=True)
        .order_by("region__path")[:1000]
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
