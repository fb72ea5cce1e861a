"""Excel export of the filtered deputy list: same columns as the import, masking
by scope, reveal audit, constant queries, scoping, and a re-import round trip."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from deputies import services
from deputies.filters import MandateFilter
from deputies.models import Constituency, Mandate, MandateExport, Person, RosterImport
from deputies.roster import HEADERS
from portal.models import AuditEvent, Term

from . import test_roster_support as support
from .test_roster_support import (
    XLSX,
    id_number,
    name,
    read_xlsx,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (see test_roster_support).
media = support.media
rw = support.rw

COL = {header: index for index, header in enumerate(HEADERS)}


def add_deputies(rw, world, count: int, *, start: int = 0) -> list[Mandate]:
    made = []
    for seq in range(start, start + count):
        female = seq % 3 == 0
        person = services.person_create(
            name=name(seq),
            gender="female" if female else "male",
            ethnicity="土家族" if seq % 4 == 0 else "汉族",
            birth_date=date(1975, 3, 2),
            party="cpc",
            education="master",
            employer='=HYPERLINK("http://x")' if seq == start else "湘源县农业农村局",
            post="局长",
            occupation="official",
            is_frontline=seq % 2 == 0,
            mobile=f"137{seq:08d}",
            id_number=id_number(seq, male=not female),
            actor=None,
        )
        mandate = services.mandate_create(
            person=person,
            congress=world.county_congress,
            term=rw.term,
            card_number=f"E{seq:04d}",
            constituency=rw.constituency,
            delegation=rw.delegation,
            actor=None,
        )
        services.group_add_members(group=rw.group, mandates=[mandate], actor=None)
        if seq % 2:
            services.group_add_members(
                group=rw.other_group, mandates=[mandate], actor=None
            )
        made.append(mandate)
    return made


REASON = "换届选举资格审查"


def export(
    client, user, query: str = "", reason: str | None = None
) -> list[list[object]]:
    """The export as ``user`` downloads it: a GET (masked), or with a ``reason``
    the full export's POST."""
    client.force_login(user)
    if reason is None:
        response = client.get(reverse("deputies:export") + query)
    else:
        response = client.post(
            reverse("deputies:export"), {"query": query.lstrip("?"), "reason": reason}
        )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    return read_xlsx(b"".join(response.streaming_content))


def test_export_rows_equal_the_filtered_list_in_its_order(client, personas, rw, world):
    add_deputies(rw, world, 9)
    township_person = services.person_create(name="刘春", gender="female", actor=None)
    services.mandate_create(
        person=township_person,
        congress=world.township_congress,
        term=rw.township_term,
        card_number="TH-001",
        constituency=Constituency.objects.get(
            congress=world.township_congress, name="桃花村选区"
        ),
        actor=None,
    )
    query = "?gender=female&order=pinyin"

    rows = export(client, personas.county_staff, query)

    from django.http import QueryDict

    expected = MandateFilter(
        QueryDict(query[1:]),
        queryset=Mandate.objects.visible_to(personas.county_staff),
        user=personas.county_staff,
    ).qs
    assert rows[0] == list(HEADERS)
    assert [r[COL["代表证号"]] for r in rows[1:]] == [m.card_number for m in expected]
    assert len(rows) - 1 == expected.count() == 4
    first = next(r for r in rows[1:] if r[COL["代表证号"]] == "E0000")
    assert first[COL["性别"]] == "女"
    assert first[COL["民族"]] == "土家族"
    assert first[COL["出生日期"]].date() == date(1975, 3, 2)
    assert first[COL["政治面貌"]] == "中共党员"
    assert first[COL["学历"]] == "硕士研究生"
    assert first[COL["代表构成"]] == "党政领导干部"
    assert first[COL["一线代表（是/否）"]] == "是"
    assert first[COL["人民代表大会"]] == "湘源县人民代表大会"
    assert first[COL["届次"]] == "第十九届"
    assert first[COL["选区（选举单位）"]] == "第一选区"
    assert first[COL["代表团"]] == "桃花乡代表团"
    assert first[COL["代表小组"]] == "农业农村专业代表小组"
    # A cell typed as a formula is exported as text, never run by Excel.
    assert first[COL["工作单位"]] == '=HYPERLINK("http://x")'
    both = next(r for r in rows[1:] if r[COL["代表证号"]] == "E0003")
    assert both[COL["代表小组"]] == "农业农村专业代表小组、教育卫生行业代表小组"


def test_county_staff_get_full_numbers_and_each_reveal_is_audited(
    client, personas, rw, world
):
    mandates = add_deputies(rw, world, 3)

    rows = export(client, personas.county_staff, reason=REASON)

    by_card = {r[COL["代表证号"]]: r for r in rows[1:]}
    assert by_card["E0001"][COL["手机号码"]] == "13700000001"
    assert by_card["E0001"][COL["身份证号码"]] == id_number(1, male=True)
    reveals = AuditEvent.objects.filter(
        action="personal_data.reveal", actor=personas.county_staff
    )
    assert sorted(int(e.object_id) for e in reveals) == sorted(
        m.pk for m in [*mandates, rw.existing]
    )
    assert {e.region_path for e in reveals} == {world.county.path}
    # The reason is written with every deputy revealed.
    assert set(reveals.values_list("reason", flat=True)) == {REASON}


def test_the_plain_export_is_masked_for_everyone_and_logs_nothing(
    client, personas, rw, world
):
    """Full mobiles and ID numbers only with a reason (issue 15)."""
    add_deputies(rw, world, 2)

    rows = export(client, personas.county_staff)

    by_card = {r[COL["代表证号"]]: r for r in rows[1:]}
    assert by_card["E0001"][COL["手机号码"]] == "137****0001"
    assert by_card["E0001"][COL["身份证号码"]].count("*") == 8
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_a_full_export_without_a_reason_is_a_form_error(client, personas, rw, world):
    add_deputies(rw, world, 1)
    client.force_login(personas.county_staff)
    page = client.get(reverse("deputies:export") + "?full=1&gender=female")
    assert page.status_code == 200
    assert 'name="query" value="gender=female"' in page.content.decode()
    for reason in ("", "  ", "看看"):
        response = client.post(
            reverse("deputies:export"), {"query": "gender=female", "reason": reason}
        )
        assert response.status_code == 400
        assert 'id="id_reason_error"' in response.content.decode()
        # What was chosen is kept.
        assert 'value="gender=female"' in response.content.decode()
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


@pytest.mark.parametrize("name", ["leader", "deputy", "unit_staff", "nobody"])
def test_who_does_not_manage_deputies_may_not_ask_for_the_full_export(
    client, personas, rw, name
):
    client.force_login(getattr(personas, name))
    assert client.get(reverse("deputies:export") + "?full=1").status_code == 403
    response = client.post(reverse("deputies:export"), {"query": "", "reason": REASON})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_leader_who_governs_but_does_not_manage_gets_masked_numbers(
    client, personas, rw, world
):
    add_deputies(rw, world, 3)

    rows = export(client, personas.leader)

    by_card = {r[COL["代表证号"]]: r for r in rows[1:]}
    assert set(by_card) == {"E0000", "E0001", "E0002", "XY19-900"}
    assert by_card["E0001"][COL["手机号码"]] == "137****0001"
    assert (
        by_card["E0001"][COL["身份证号码"]]
        == id_number(1)[:6] + "********" + id_number(1)[-4:]
    )
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


def test_other_countys_staff_export_nothing_of_this_county(client, personas, rw, world):
    add_deputies(rw, world, 2)

    rows = export(client, personas.other_county_staff, reason=REASON)

    assert rows == [list(HEADERS)]


@pytest.mark.parametrize("name", ["deputy", "unit_staff", "township_gov", "nobody"])
def test_who_may_not_open_the_roster_may_not_export_it(client, personas, rw, name):
    """The export follows the list page (403), neither an empty file nor a
    background job for anyone signed in (issue 15)."""
    client.force_login(getattr(personas, name))
    assert client.get(reverse("deputies:list")).status_code == 403
    assert client.get(reverse("deputies:export")).status_code == 403
    job = client.post(reverse("deputies:export_job_create"), {"query": ""})
    assert job.status_code == 403
    assert not MandateExport.objects.exists()


def test_export_runs_a_constant_number_of_queries(client, personas, rw, world):
    client.force_login(personas.county_staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("deputies:export") + f"?group={rw.group.pk}")
            b"".join(response.streaming_content)
        return len(captured)

    add_deputies(rw, world, 3)
    queries()  # warm the session (renewed at most once a minute)
    few = queries()
    add_deputies(rw, world, 12, start=3)
    assert queries() == few


def test_export_needs_login(client, personas, rw):
    response = client.get(reverse("deputies:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("deputies:export"), {"reason": REASON})
    assert response.status_code == 302


def test_export_with_a_bad_filter_is_refused(client, personas, rw):
    client.force_login(personas.county_staff)

    response = client.get(reverse("deputies:export") + "?congress=999999")

    assert response.status_code == 400
    assert "筛选条件不正确" in response.content.decode()


def test_an_export_edited_into_the_next_term_imports_again(client, personas, rw, world):
    add_deputies(rw, world, 4)
    Term.objects.create(
        congress=world.county_congress,
        number=20,
        start_date=date(2031, 10, 20),
        end_date=date(2036, 10, 19),
    )
    persons = Person.objects.count()
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("deputies:export"), {"query": "", "reason": "下一届代表名册导入"}
    )
    content = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    for line in sheet.iter_rows(min_row=2):
        line[COL["届次"]].value = "第二十届"
        line[COL["代表团"]].value = None  # delegations are per term
        line[COL["职务"]].value = "副局长"
    edited = io.BytesIO()
    workbook.save(edited)

    client.post(
        reverse("deputies:roster_import"),
        {"file": SimpleUploadedFile("导出.xlsx", edited.getvalue(), content_type=XLSX)},
    )
    job = RosterImport.objects.latest("pk")
    assert job.status == RosterImport.Status.VALID, job.errors
    client.post(reverse("deputies:roster_import_commit", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == RosterImport.Status.DONE
    assert job.imported_count == 5
    assert Person.objects.count() == persons  # everyone matched by ID number
    new_term = Mandate.objects.filter(term__number=20)
    assert new_term.count() == 5
    assert set(new_term.values_list("person__post", flat=True)) == {"副局长"}
    assert new_term.get(card_number="E0001").groups.count() == 2
