"""Roster import: upload, row-numbered errors (one test per kind), preview,
commit all or nothing, scoping and methods."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies import roster
from deputies.models import GroupMembership, Mandate, Person, RosterImport
from portal.models import AuditEvent, User

from . import test_roster_support as support
from .test_roster_support import (
    XLSX,
    id_number,
    row,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (see test_roster_support).
media = support.media
rw = support.rw


def post_file(client, user, rows, **kwargs):
    client.force_login(user)
    return client.post(
        reverse("deputies:roster_import"), {"file": upload(rows, **kwargs)}
    )


def latest_job() -> RosterImport:
    return RosterImport.objects.latest("pk")


def page(client, job) -> str:
    return client.get(
        reverse("deputies:roster_import_detail", args=[job.pk])
    ).content.decode()


# --- the happy path ----------------------------------------------------------------


def test_small_file_is_validated_at_once_and_previewed(client, personas, rw):
    response = post_file(
        client,
        personas.county_staff,
        [row(1), row(2, 性别="女", 身份证号码=id_number(2, male=False))],
    )

    job = latest_job()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "deputies:roster_import_detail", args=[job.pk]
    )
    assert job.status == RosterImport.Status.VALID
    assert (job.total_rows, job.processed_rows, job.errors) == (2, 2, [])
    html = page(client, job)
    assert "校验通过" in html
    assert "确认导入" in html
    assert row(1)["姓名"] in html
    # Personal numbers are masked in the stored preview.
    assert id_number(1) not in html and "138****0001" in html
    assert "style=" not in html and "<script>" not in html


def test_commit_imports_every_row_with_persons_groups_and_one_audit_row(
    client, personas, rw, world
):
    reused = Person.objects.create(
        name=row(3)["姓名"],
        gender="male",
        id_number=id_number(3),
        employer="旧单位",
        name_stroke_key="x",
        name_pinyin="x",
    )
    rows = [
        row(
            1,
            代表小组="农业农村专业代表小组、教育卫生行业代表小组",
            代表团="桃花乡代表团",
        ),
        row(2, 出生日期=date(1975, 3, 2), 身份证号码=id_number(2)),
        row(3, 工作单位="湘源县第一中学"),
        row(
            4,
            身份证号码="",
            手机号码="",
            民族="苗",
            政治面貌="",
            学历="本科",
            **{"一线代表（是/否）": "否"},
        ),
    ]
    post_file(client, personas.county_staff, rows)
    job = latest_job()

    response = client.post(reverse("deputies:roster_import_commit", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE
    assert job.imported_count == 4
    assert job.finished_at is not None
    assert not job.file  # the uploaded file (personal data) is not kept
    mandates = Mandate.objects.filter(term=rw.term).exclude(pk=rw.existing.pk)
    assert mandates.count() == 4
    first = mandates.get(card_number="T00001")
    assert first.person.name == row(1)["姓名"]
    assert first.person.gender == "male"
    assert first.person.birth_date == date(1975, 3, 2)  # from the ID number
    assert first.person.party == "cpc" and first.person.education == "bachelor"
    assert first.person.occupation == "professional" and first.person.is_frontline
    assert first.person.name_stroke_key and first.person.name_pinyin
    assert first.constituency == rw.constituency and first.delegation == rw.delegation
    assert set(first.groups.values_list("name", flat=True)) == {
        "农业农村专业代表小组",
        "教育卫生行业代表小组",
    }
    assert first.status == Mandate.Status.ACTIVE
    # A person matched by ID number is reused and brought up to date.
    third = mandates.get(card_number="T00003")
    assert third.person_id == reused.pk
    reused.refresh_from_db()
    assert reused.employer == "湘源县第一中学"
    fourth = mandates.get(card_number="T00004").person
    assert (
        fourth.ethnicity,
        fourth.education,
        fourth.is_frontline,
        fourth.id_number,
    ) == ("苗族", "bachelor", False, "")
    audit = AuditEvent.objects.filter(action="roster.import")
    assert audit.count() == 1
    assert audit[0].data["mandates"] == 4
    assert (
        audit[0].data["persons_created"] == 3 and audit[0].data["persons_reused"] == 1
    )
    assert audit[0].region_path == world.county.path
    assert audit[0].actor == personas.county_staff
    assert "已导入 4 名代表" in page(client, job)


def test_the_same_new_person_may_hold_mandates_of_two_levels_in_one_file(
    client, personas, rw
):
    rows = [
        row(1),
        row(
            1,
            人民代表大会="桃花乡人民代表大会",
            代表证号="TH-1",
            **{"选区（选举单位）": "桃花村选区"},
        ),
    ]

    # The county's staff import their own congress only (the township keeps its
    # roster); an administrator may import both levels at once.
    post_file(client, personas.county_staff, rows)
    assert latest_job().status == RosterImport.Status.INVALID
    post_file(client, personas.admin, rows)
    job = latest_job()
    assert job.status == RosterImport.Status.VALID, job.errors
    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))

    person = Person.objects.get(id_number=id_number(1))
    assert person.mandates.count() == 2


def test_double_commit_imports_once(client, personas, rw):
    post_file(client, personas.county_staff, [row(1)])
    job = latest_job()
    url = reverse("deputies:roster_import_commit", args=[job.pk])

    client.post(url)
    client.post(url)

    assert Mandate.objects.filter(card_number="T00001").count() == 1
    assert AuditEvent.objects.filter(action="roster.import").count() == 1


def test_excel_dates_and_text_dates_and_term_numbers_are_read():
    assert roster.parse_date(date(1975, 3, 2)) == date(1975, 3, 2)
    for text in ("1975-03-02", "1975/3/2", "1975年3月2日", "1975.3.2", "19750302"):
        assert roster.parse_date(text) == date(1975, 3, 2)
    assert roster.parse_date(27455) == date(1975, 3, 2)  # an Excel serial number
    for value in ("第十九届", "十九", "19", 19, "第19届", " 第 十九 届 "):
        assert roster.parse_term_number(value) == 19
    assert roster.parse_term_number("第x届") is None


def test_row_numbers_are_excel_row_numbers_with_blank_rows_counted(
    client, personas, rw
):
    post_file(client, personas.county_staff, [row(1), None, None, row(2, 性别="未知")])

    job = latest_job()
    assert job.errors == [{"row": 5, "message": "性别应填写“男”或“女”。"}]
    assert "第5行：性别应填写“男”或“女”。" in page(client, job)


def test_headers_are_matched_by_name_in_any_order(client, personas, rw):
    headers = list(reversed(roster.HEADERS))
    post_file(client, personas.county_staff, [row(1)], headers=headers)

    assert latest_job().status == RosterImport.Status.VALID


# --- every kind of row error -----------------------------------------------------------

ROW_ERRORS = {
    "missing_name": ({"姓名": ""}, "未填写姓名。"),
    "missing_gender": ({"性别": ""}, "未填写性别。"),
    "missing_congress": ({"人民代表大会": ""}, "未填写人民代表大会。"),
    "missing_term": ({"届次": ""}, "未填写届次。"),
    "missing_card_number": ({"代表证号": ""}, "未填写代表证号。"),
    "bad_gender": ({"性别": "M"}, "性别应填写“男”或“女”。"),
    "bad_id_check_digit": (
        {"身份证号码": id_number(3)[:17] + ("0" if id_number(3)[17] != "0" else "1")},
        "身份证号码校验位不正确。",
    ),
    "bad_id_format": (
        {"身份证号码": "43010219750302"},
        "身份证号码应为18位，前17位为数字，最后一位为数字或X。",
    ),
    "id_stored_as_number": (
        {"身份证号码": 430102197503020000},
        "身份证号码被 Excel 存成了数字，后几位已丢失。请把该列设为文本格式后重新填写。",
    ),
    "masked_id": (
        {"身份证号码": "430102********0013"},
        "身份证号码含“*”号，是脱敏后的号码，不能导入。",
    ),
    "bad_mobile": (
        {"手机号码": "12345678901"},
        "手机号码“12345678901”不是有效的11位大陆手机号码。",
    ),
    "bad_birth_date": (
        {"出生日期": "三月二日"},
        "出生日期“三月二日”无法识别，请按 1975-03-02 的格式填写。",
    ),
    "birth_date_differs_from_id": (
        {"出生日期": "1980-01-01"},
        "出生日期与身份证号码中的出生日期不一致。",
    ),
    "gender_differs_from_id": ({"性别": "女"}, "性别与身份证号码不一致。"),
    "unknown_party": ({"政治面貌": "共产主义者"}, "政治面貌“共产主义者”不在代码表中。"),
    "unknown_ethnicity": ({"民族": "火星族"}, "民族“火星族”不是56个民族的规范名称。"),
    "bad_frontline": ({"一线代表（是/否）": "也许"}, "一线代表应填写“是”或“否”。"),
    "unknown_congress": (
        {"人民代表大会": "不存在县人民代表大会"},
        "未知或无权管理的人民代表大会“不存在县人民代表大会”。",
    ),
    "congress_out_of_scope": (
        {"人民代表大会": "云溪县人民代表大会", "选区（选举单位）": "云溪第一选区"},
        "未知或无权管理的人民代表大会“云溪县人民代表大会”。",
    ),
    "unknown_term": ({"届次": "第二十届"}, "湘源县人民代表大会没有第二十届。"),
    "bad_term": ({"届次": "本届"}, "届次“本届”无法识别，请填写如“第十九届”或“19”。"),
    "unknown_constituency": (
        {"选区（选举单位）": "第九选区"},
        "选区“第九选区”不是湘源县人民代表大会已登记的选区。",
    ),
    "missing_constituency": (
        {"选区（选举单位）": ""},
        "县、乡两级人大代表须填写选区。",
    ),
    "unknown_delegation": (
        {"代表团": "火星代表团"},
        "湘源县人民代表大会第十九届没有代表团“火星代表团”。",
    ),
    "unknown_group": (
        {"代表小组": "农业农村专业代表小组，火星小组"},
        "代表小组“火星小组”不是湘源县人民代表大会的代表小组。",
    ),
    "duplicate_card_in_file": ({"代表证号": "T00001"}, "代表证号“T00001”与第2行重复。"),
    "card_already_used_in_term": (
        {"代表证号": "XY19-900"},
        "代表证号“XY19-900”在湘源县人民代表大会第十九届已被使用。",
    ),
    "duplicate_id_in_file": ({"身份证号码": id_number(1)}, "身份证号码与第2行重复。"),
    "person_already_holds_mandate_in_term": (
        {"姓名": "李明", "身份证号码": id_number(499_999), "手机号码": ""},
        "该人员在湘源县人民代表大会第十九届已有代表资格。",
    ),
    "id_registered_under_another_name": (
        {
            "姓名": "张三",
            "身份证号码": id_number(499_999),
            "人民代表大会": "桃花乡人民代表大会",
            "选区（选举单位）": "",
        },
        "该身份证号码已登记为“李明”，与本行姓名不一致。",
    ),
    "template_example_row": (
        {"姓名": "王建国", "代表证号": "示例-001"},
        "这是模板中的示例行，请删除后再上传。",
    ),
}


@pytest.mark.parametrize("kind", list(ROW_ERRORS))
def test_bad_row_imports_nothing_and_is_listed_with_its_number(
    client, personas, rw, kind
):
    overrides, message = ROW_ERRORS[kind]
    # Row 2 and row 4 are good; row 3 carries the error.
    post_file(client, personas.county_staff, [row(1), row(3, **overrides), row(2)])
    job = latest_job()

    assert job.status == RosterImport.Status.INVALID
    assert {"row": 3, "message": message} in job.errors
    assert {e["row"] for e in job.errors} == {3}
    html = page(client, job)
    assert f"第3行：{message}" in html
    assert "确认导入" not in html

    mandates_before = Mandate.objects.count()
    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))
    assert Mandate.objects.count() == mandates_before
    assert not Person.objects.filter(
        name=row(1)["姓名"], id_number=id_number(1)
    ).exists()
    job.refresh_from_db()
    assert job.status == RosterImport.Status.INVALID


def test_all_errors_of_a_row_are_listed(client, personas, rw):
    bad = row(
        2,
        身份证号码=id_number(2)[:17] + "Y",
        手机号码="1234",
        代表证号="",
        **{"选区（选举单位）": "第九选区"},
    )
    post_file(client, personas.county_staff, [row(1), row(3), row(4), bad])

    html = page(client, latest_job())
    for message in (
        "第5行：未填写代表证号。",
        "第5行：身份证号码应为18位，前17位为数字，最后一位为数字或X。",
        "第5行：手机号码“1234”不是有效的11位大陆手机号码。",
        "第5行：选区“第九选区”不是湘源县人民代表大会已登记的选区。",
    ):
        assert message in html


# --- the file as a whole -----------------------------------------------------------------


def test_upload_rejects_other_formats_with_chinese_errors(client, personas, rw):
    client.force_login(personas.county_staff)
    url = reverse("deputies:roster_import")
    cases = [
        (SimpleUploadedFile("名册.xls", b"\xd0\xcf\x11\xe0"), "不支持旧版 .xls 文件"),
        (
            SimpleUploadedFile("名册.csv", "姓名\n".encode()),
            "只能上传 XLSX 文件。",
        ),
        (SimpleUploadedFile("名册.xlsx", b"not a zip"), "文件内容与扩展名不符"),
        (
            SimpleUploadedFile("名册.xlsx", b"0" * (10 * 1024 * 1024 + 1), XLSX),
            "文件不能超过 10 MB。",
        ),
        (
            upload([row(1)], headers=["姓名", "性别"]),
            "第1行（表头）缺少以下列：人民代表大会、届次、代表证号。",
        ),
        (upload([]), "文件中没有数据行。"),
    ]
    for file, message in cases:
        response = client.post(url, {"file": file})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_too_many_rows_are_refused(client, personas, rw, monkeypatch):
    monkeypatch.setattr(roster.parsing, "MAX_ROWS", 3)
    response = post_file(client, personas.county_staff, [row(i) for i in range(4)])

    assert "文件超过 3 行，请分成几个文件导入。" in response.content.decode()


# --- all or nothing ----------------------------------------------------------------------


def test_failure_mid_commit_writes_nothing_and_shows_the_reason(
    client, personas, rw, monkeypatch
):
    post_file(
        client, personas.county_staff, [row(1, 代表小组="农业农村专业代表小组"), row(2)]
    )
    job = latest_job()
    persons, mandates, memberships = (
        Person.objects.count(),
        Mandate.objects.count(),
        GroupMembership.objects.count(),
    )

    def broken_audit(**kwargs):
        # Persons, mandates and memberships are written by now.
        assert Mandate.objects.filter(card_number="T00002").exists()
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(roster.jobs, "audit_record", broken_audit)
    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == RosterImport.Status.FAILED
    assert (
        Person.objects.count(),
        Mandate.objects.count(),
        GroupMembership.objects.count(),
    ) == (
        persons,
        mandates,
        memberships,
    )
    assert job.errors == [
        {"row": None, "message": "导入时发生错误，未写入任何数据：磁盘已满"}
    ]
    html = page(client, job)
    assert "导入失败" in html and "磁盘已满" in html


def test_commit_checks_the_database_again(client, personas, rw):
    post_file(client, personas.county_staff, [row(1), row(2)])
    job = latest_job()
    # Someone registers card T00002 between the preview and the commit.
    other = Person.objects.create(
        name="赵六", gender="male", name_stroke_key="x", name_pinyin="x"
    )
    Mandate.objects.create(
        person=other, congress=rw.term.congress, term=rw.term, card_number="T00002"
    )

    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == RosterImport.Status.FAILED
    assert {
        "row": 3,
        "message": "代表证号“T00002”在湘源县人民代表大会第十九届已被使用。",
    } in job.errors
    assert not Mandate.objects.filter(card_number="T00001").exists()
    assert "第3行：代表证号“T00002”在湘源县人民代表大会第十九届已被使用。" in page(
        client, job
    )


# --- permissions, scoping, methods ---------------------------------------------------------


def test_anonymous_is_sent_to_login(client, rw):
    for name in ("deputies:roster_import", "deputies:roster_template"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["leader", "deputy", "unit_staff", "nobody"])
def test_only_congress_staff_may_import(client, personas, rw, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(reverse("deputies:roster_import")).status_code == 403
    assert (
        client.post(
            reverse("deputies:roster_import"), {"file": upload([row(1)])}
        ).status_code
        == 403
    )
    assert client.get(reverse("deputies:roster_template")).status_code == 403
    assert not RosterImport.objects.exists()


def test_another_countys_staff_get_404_on_the_job(client, personas, rw):
    post_file(client, personas.county_staff, [row(1)])
    job = latest_job()
    client.force_login(personas.other_county_staff)

    assert (
        client.get(reverse("deputies:roster_import_detail", args=[job.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("deputies:roster_import_status", args=[job.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("deputies:roster_import_commit", args=[job.pk])).status_code
        == 404
    )
    assert not Mandate.objects.filter(card_number="T00001").exists()
    assert (
        job.original_name
        not in client.get(reverse("deputies:roster_import")).content.decode()
    )


def test_staff_above_see_the_job_and_township_staff_below_do_not(client, personas, rw):
    post_file(client, personas.county_staff, [row(1)])
    job = latest_job()
    url = reverse("deputies:roster_import_detail", args=[job.pk])

    client.force_login(personas.province_staff)
    assert client.get(url).status_code == 200
    client.force_login(personas.township_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.leader)
    assert client.get(url).status_code == 404


def test_staff_cannot_import_into_a_congress_outside_their_region(client, personas, rw):
    rows = [row(1, 人民代表大会="云溪县人民代表大会", **{"选区（选举单位）": ""})]
    post_file(client, personas.county_staff, rows)

    job = latest_job()
    assert job.status == RosterImport.Status.INVALID
    assert job.errors == [
        {"row": 2, "message": "未知或无权管理的人民代表大会“云溪县人民代表大会”。"}
    ]
    # Township staff cannot import into their county's congress either.
    post_file(client, personas.township_staff, [row(1)])
    assert latest_job().errors == [
        {"row": 2, "message": "未知或无权管理的人民代表大会“湘源县人民代表大会”。"}
    ]


def test_wrong_methods_answer_405(client, personas, rw):
    post_file(client, personas.county_staff, [row(1)])
    job = latest_job()

    assert (
        client.get(reverse("deputies:roster_import_commit", args=[job.pk])).status_code
        == 405
    )
    assert (
        client.post(reverse("deputies:roster_import_status", args=[job.pk])).status_code
        == 405
    )
    assert (
        client.post(reverse("deputies:roster_import_detail", args=[job.pk])).status_code
        == 405
    )
    assert client.post(reverse("deputies:roster_template")).status_code == 405
    assert client.put(reverse("deputies:roster_import")).status_code == 405


def test_status_endpoint_reports_progress_as_json(client, personas, rw):
    post_file(client, personas.county_staff, [row(1), row(2)])
    job = latest_job()

    data = client.get(reverse("deputies:roster_import_status", args=[job.pk])).json()

    assert data == {
        "status": "valid",
        "status_label": "校验通过，待导入",
        "running": False,
        "total_rows": 2,
        "processed_rows": 2,
        "percent": 100,
        "progress_text": "已处理 2 / 2 行（100%）",
        "error_count": 0,
        "imported_count": 0,
    }


# --- the template ------------------------------------------------------------------------


def test_template_has_headers_example_code_lists_and_dropdowns(client, personas, rw):
    client.force_login(personas.county_staff)

    response = client.get(reverse("deputies:roster_template"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["代表名册"]
    assert [c.value for c in sheet[1]] == list(roster.HEADERS)
    assert sheet["A2"].value == "王建国"
    assert sheet["M2"].value == "湘源县人民代表大会"
    codes = workbook["代码表"]
    columns = {
        codes.cell(1, i).value: [
            c.value for c in codes[codes.cell(1, i).column_letter][1:] if c.value
        ]
        for i in range(1, codes.max_column + 1)
    }
    assert columns["性别"] == ["男", "女"]
    assert len(columns["民族"]) == 56
    assert (
        "中共党员" in columns["政治面貌"]
        and "大学本科" in columns["学历"]
        and "农民" in columns["代表构成"]
    )
    # Staff import into their own congress only: the townships below keep theirs.
    assert set(columns["人民代表大会"]) == {"湘源县人民代表大会"}
    ranges = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"B2", "C2", "E2", "F2", "I2", "J2", "M2"} <= ranges
    assert "填写说明" in workbook.sheetnames


def test_the_unchanged_template_is_refused_because_of_its_example_row(
    client, personas, rw
):
    client.force_login(personas.county_staff)
    content = client.get(reverse("deputies:roster_template")).content

    client.post(
        reverse("deputies:roster_import"),
        {"file": SimpleUploadedFile("模板.xlsx", content, content_type=XLSX)},
    )

    assert {
        "row": 2,
        "message": "这是模板中的示例行，请删除后再上传。",
    } in latest_job().errors


# --- batched lookups ------------------------------------------------------------------------


def test_validation_runs_a_constant_number_of_queries(personas, rw):
    def queries_for(count: int) -> int:
        content = workbook_bytes(
            [row(i, 代表小组="农业农村专业代表小组") for i in range(count)]
        )
        rows = roster.parse_file(io.BytesIO(content))
        user = User.objects.get(pk=personas.county_staff.pk)  # no cached scope
        with CaptureQueriesContext(connection) as captured:
            roster.validate_rows(rows, user)
        assert all(not r.errors for r in rows)
        return len(captured)

    # The user's scope, then congresses, terms, constituencies, delegations, groups,
    # the mandates of those terms and the persons with those ID numbers.
    assert queries_for(10) == queries_for(300) == 8


def test_rows_blank_in_the_roster_columns_are_skipped_and_names_unpadded(
    client, personas, rw
):
    headers = [*roster.HEADERS, "备注"]
    rows = [row(1, 姓名="王  明"), {"备注": "以下为补选代表"}, row(2)]

    post_file(client, personas.county_staff, rows, headers=headers)

    job = latest_job()
    assert job.status == RosterImport.Status.VALID, job.errors
    assert job.total_rows == 2
    assert [line["row"] for line in job.preview] == [2, 4]
    assert job.preview[0]["cells"][0] == "王明"


# --- people registered elsewhere (issue 15) ---------------------------------------


@pytest.mark.parametrize("given_name", ["李明", "王五"])
def test_an_id_number_registered_in_another_county_is_a_row_error_revealing_nothing(
    client, personas, rw, given_name
):
    """Another county's staff learned the registered name from the error, and
    committing overwrote that person's mobile and employer."""
    known = Person.objects.get(id_number=id_number(499_999))
    mobile, employer = known.mobile, known.employer
    post_file(
        client,
        personas.other_county_staff,
        [
            row(
                7,
                姓名=given_name,
                身份证号码=id_number(499_999),
                手机号码="13700000000",
                工作单位="云溪县某公司",
                人民代表大会="云溪县人民代表大会",
                **{"选区（选举单位）": "云溪第一选区"},
            )
        ],
    )
    job = latest_job()
    assert job.status == RosterImport.Status.INVALID
    assert [e["row"] for e in job.errors] == [2]
    assert "不在您的管理范围内" in job.errors[0]["message"]
    assert "李明" not in str(job.errors)
    if given_name != "李明":  # the page shows the importer's own row, never theirs
        assert "李明" not in page(client, job)
    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))
    known.refresh_from_db()
    assert (known.mobile, known.employer) == (mobile, employer)
    assert not Mandate.objects.filter(
        person=known, congress__name="云溪县人民代表大会"
    ).exists()


def test_staff_of_the_region_still_match_their_own_people(client, personas, rw):
    known = Person.objects.get(id_number=id_number(499_999))
    post_file(
        client,
        personas.county_staff,
        [row(8, 姓名="李明", 身份证号码=id_number(499_999), 代表证号="T09999")],
    )
    job = latest_job()
    assert not any("管理范围" in e["message"] for e in job.errors)
    # Matched to the person: who already holds this term's mandate.
    assert any("已有代表资格" in e["message"] for e in job.errors), job.errors
    assert Mandate.objects.filter(person=known).count() == 1
