"""Workbooks the roster pages hand out: the export of the deputy list (in the
import columns, so an edited export imports again) and the blank template."""

from __future__ import annotations

import io
import tempfile
from collections import defaultdict
from typing import IO, Any

import openpyxl
from django.db.models import Exists, OuterRef, QuerySet
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from portal.chinese import chinese_numeral, mask_id_number, mask_mobile
from portal.models import User

from ..models import GroupMembership, Mandate
from ..policies import managed_congresses
from ..services import reveal_personal_data
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
    manageable = Mandate.objects.manageable_by(user).filter(pk=OuterRef("pk"))
    mandates = queryset.select_related(
        "person",
        "congress__region",
        "term",
        "constituency",
        "delegation",
        "electing_congress",
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
                    sheet,
                    mandate.constituency.name
                    if mandate.constituency
                    else mandate.electing_unit_name,
                ),
                _text_cell(
                    sheet, mandate.delegation.name if mandate.delegation else ""
                ),
                _text_cell(sheet, "、".join(group_names.get(mandate.pk, []))),
            ]
        )
    reveal_personal_data(actor=user, mandates=revealed, ip_address=ip_address)
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    workbook.save(output)
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
