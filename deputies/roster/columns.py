"""The roster's columns and code lists: the exchange format itself.

The column headers are what staff type in Excel, so they are plain Chinese
strings, never translated; ``_labels`` reads the choices' Chinese labels
whatever language the request or worker runs in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from ..choices import ETHNICITIES, Education, Gender, Occupation, Party

SHEET_TITLE = "代表名册"


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


def _all_labels() -> dict[str, dict[str, str]]:
    return {
        "gender": _labels(Gender),
        "party": _labels(Party),
        "education": _labels(Education),
        "occupation": _labels(Occupation),
    }


def _value_labels() -> dict[str, dict[str, str]]:
    return {
        key: {v: k for k, v in labels.items()} for key, labels in _all_labels().items()
    }


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
