"""Shared helpers and fixtures of the roster tests (valid ID numbers, rows, .xlsx
files in memory, a county with terms, constituencies, a delegation and groups),
plus checks of the helpers themselves."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from deputies import services
from deputies.models import Constituency, Delegation, DeputyGroup, Mandate
from deputies.roster import HEADERS
from portal.chinese import id_check_digit, validate_resident_id
from portal.models import Term

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def id_number(seq: int, *, birth: date = date(1975, 3, 2), male: bool = True) -> str:
    """A valid 18-digit ID number; ``seq`` keeps them distinct (up to 500,000)."""
    birth = birth + timedelta(days=seq // 500)
    order = (seq % 500) * 2 + (1 if male else 0)
    body = f"430102{birth:%Y%m%d}{order:03d}"
    return body + id_check_digit(body)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程欧阳"
GIVEN = "建国华明丽红英军平芳娟伟强磊洋勇艳杰娜涛秀兰霞敏静燕志刚文斌桂梅海波玉林春辉丹凤云飞宏"


def name(seq: int) -> str:
    surname = SURNAMES[seq % len(SURNAMES)]
    return (
        surname
        + GIVEN[(seq // len(SURNAMES)) % len(GIVEN)]
        + GIVEN[(seq // 7) % len(GIVEN)] * (seq % 2)
    )


def row(seq: int, **overrides) -> dict[str, object]:
    """A valid roster row for the county congress fixture, keyed by header."""
    values = {
        "姓名": name(seq),
        "性别": "男",
        "民族": "汉族",
        "出生日期": "",
        "政治面貌": "中共党员",
        "学历": "大学本科",
        "工作单位": "湘源县人民医院",
        "职务": "医生",
        "代表构成": "专业技术人员",
        "一线代表（是/否）": "是",
        "手机号码": f"138{seq:08d}",
        "身份证号码": id_number(seq),
        "人民代表大会": "湘源县人民代表大会",
        "届次": "第十九届",
        "代表证号": f"T{seq:05d}",
        "选区（选举单位）": "第一选区",
        "代表团": "",
        "代表小组": "",
    }
    values.update(overrides)
    return values


def workbook_bytes(rows: list[dict[str, object] | None], headers=HEADERS) -> bytes:
    """An .xlsx with ``headers`` in row 1 and one row per dict (None = a blank row)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("代表名册")
    sheet.append(list(headers))
    for values in rows:
        sheet.append([] if values is None else [values.get(h, "") for h in headers])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(rows, name="名册.xlsx", headers=HEADERS) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook_bytes(rows, headers), content_type=XLSX)


def read_xlsx(content: bytes) -> list[list[object]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


# --- shared fixtures (imported by the other roster test modules) ----------------------


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded rosters go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@dataclass
class RosterWorld:
    term: Term
    township_term: Term
    other_term: Term
    constituency: Constituency
    delegation: Delegation
    group: DeputyGroup
    other_group: DeputyGroup
    existing: Mandate


def _term(congress, number=19):
    return Term.objects.create(
        congress=congress,
        number=number,
        start_date=date(2026, 10, 20),
        end_date=date(2031, 10, 19),
        is_current=True,
    )


@pytest.fixture
def rw(world, media) -> RosterWorld:
    """Terms, a constituency, a delegation, groups and one existing mandate of the
    湘源县 congress (the county of ``personas.county_staff``)."""
    term = _term(world.county_congress)
    township_term = _term(world.township_congress)
    other_term = _term(world.other_county_congress)
    constituency = Constituency.objects.create(
        congress=world.county_congress, name="第一选区"
    )
    Constituency.objects.create(congress=world.county_congress, name="第二选区")
    Constituency.objects.create(
        congress=world.other_county_congress, name="云溪第一选区"
    )
    Constituency.objects.create(congress=world.township_congress, name="桃花村选区")
    delegation = services.delegation_create(
        congress=world.county_congress, term=term, name="桃花乡代表团", actor=None
    )
    person = services.person_create(
        name="李明",
        gender="male",
        id_number=id_number(499_999),
        mobile="13900000001",
        actor=None,
    )
    existing = services.mandate_create(
        person=person,
        congress=world.county_congress,
        term=term,
        card_number="XY19-900",
        constituency=constituency,
        actor=None,
    )
    group = services.group_create(
        congress=world.county_congress,
        name="农业农村专业代表小组",
        kind="professional",
        actor=None,
    )
    other_group = services.group_create(
        congress=world.county_congress,
        name="教育卫生行业代表小组",
        kind="industry",
        actor=None,
    )
    return RosterWorld(
        term=term,
        township_term=township_term,
        other_term=other_term,
        constituency=constituency,
        delegation=delegation,
        group=group,
        other_group=other_group,
        existing=existing,
    )


def test_helper_id_numbers_are_valid_and_distinct():
    numbers = {id_number(seq) for seq in range(5000)}
    assert len(numbers) == 5000
    for number in list(numbers)[:200]:
        validate_resident_id(number)


def test_helper_rows_round_trip_through_xlsx():
    content = workbook_bytes([row(1), None, row(2)])
    rows = read_xlsx(content)
    assert rows[0] == list(HEADERS)
    assert rows[1][0] == name(1)
    assert rows[3][12] == "湘源县人民代表大会"
