"""Activities: list, create with participants, attendance, review, evidence."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies import services
from deputies.models import Activity, ActivityEvidence, Attendance, LedgerEntry
from tests.deputies.conftest import messages_of

pytestmark = pytest.mark.django_db

LIST = reverse("deputies:activity_list")
NEW = reverse("deputies:activity_create")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def activity(deputies, world, personas):
    return services.activity_create(
        congress=world.county_congress,
        kind="research",
        title="全县农村公路养护情况专题调研",
        date=date(2026, 11, 5),
        participants=deputies.county[:3] + [deputies.own],
        actor=personas.county_staff,
    )


@pytest.fixture
def other_activity(deputies, world):
    return services.activity_create(
        congress=world.other_county_congress,
        kind="inspection",
        title="云溪县视察",
        date=date(2026, 11, 6),
        participants=[deputies.other_county],
        actor=None,
    )


def detail(activity):
    return reverse("deputies:activity_detail", args=[activity.pk])


def test_list_is_scoped_and_filtered(client, personas, activity, other_activity):
    client.force_login(personas.county_staff)
    html = client.get(LIST).content.decode()
    assert "全县农村公路养护情况专题调研" in html
    assert "云溪县视察" not in html
    html = client.get(LIST, {"kind": "inspection"}).content.decode()
    assert "全县农村公路养护情况专题调研" not in html
    html = client.get(LIST, {"review": "pending", "year": 2026}).content.decode()
    assert "全县农村公路养护情况专题调研" in html


def test_list_forbidden_and_method(client, personas, activity):
    assert client.get(LIST).status_code == 302
    client.force_login(personas.deputy)
    assert client.get(LIST).status_code == 403
    client.force_login(personas.county_staff)
    assert client.post(LIST).status_code == 405


def test_list_query_count_is_constant(
    client, personas, deputies, world, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            services.activity_create(
                congress=world.county_congress,
                kind="training",
                title=f"培训{i}",
                date=date(2026, 11, 1),
                participants=deputies.county,
                actor=None,
            )

    add(2)
    client.force_login(personas.county_staff)
    client.get(LIST)
    with django_assert_num_queries(ACTIVITY_LIST_QUERIES):
        client.get(LIST)
    add(6)
    with django_assert_num_queries(ACTIVITY_LIST_QUERIES):
        client.get(LIST)


# session, user, grants, count, page, congress select, "may create" check,
# unread count, session save (3).
ACTIVITY_LIST_QUERIES = 9


def test_create_with_participants_and_group(client, personas, deputies, world):
    group = services.group_create(
        congress=world.county_congress,
        name="教育卫生行业代表小组",
        kind="industry",
        actor=None,
    )
    services.group_add_members(group=group, mandates=deputies.county[3:5], actor=None)
    client.force_login(personas.county_staff)
    response = client.post(
        f"{NEW}?congress={world.county_congress.pk}",
        {
            "kind": "inspection",
            "title": "视察县人民医院",
            "date": "2026-11-12",
            "group": group.pk,
            "include_group_members": "on",
            "participants": [deputies.county[0].pk, deputies.county[3].pk],
            "organiser": "县人大常委会选联工委",
            "location": "湘源县人民医院",
        },
    )
    activity = Activity.objects.get(title="视察县人民医院")
    assert response.status_code == 302
    assert response.url == detail(activity)
    assert set(activity.participants.all()) == {
        deputies.county[0],
        deputies.county[3],
        deputies.county[4],
    }
    assert activity.created_by == personas.county_staff


def test_create_needs_participants(client, personas, deputies, world):
    client.force_login(personas.county_staff)
    response = client.post(
        f"{NEW}?congress={world.county_congress.pk}",
        {"kind": "inspection", "title": "视察", "date": "2026-11-12"},
    )
    assert response.status_code == 200
    assert "请选择参加代表，或邀请所选代表小组的全体成员。" in response.content.decode()
    assert not Activity.objects.exists()


def test_create_forbidden_and_method(client, personas, terms):
    client.force_login(personas.leader)
    assert client.get(NEW).status_code == 403
    client.force_login(personas.county_staff)
    assert client.patch(NEW).status_code == 405
    client.logout()
    assert client.get(NEW).status_code == 302


def test_detail_scoping(client, personas, activity):
    client.force_login(personas.county_staff)
    response = client.get(detail(activity))
    assert response.status_code == 200
    assert "保存出席情况" in response.content.decode()
    client.force_login(personas.deputy)  # a participant
    html = client.get(detail(activity)).content.decode()
    assert "保存出席情况" not in html and "审核通过" not in html
    client.force_login(personas.other_county_staff)
    assert client.get(detail(activity)).status_code == 404
    client.force_login(personas.county_staff)
    assert client.post(detail(activity)).status_code == 405


def test_attendance_then_approve_writes_the_ledger(
    client, personas, activity, deputies
):
    rows = {a.mandate_id: a for a in activity.attendances.all()}
    client.force_login(personas.county_staff)
    data = {f"status_{a.pk}": "attended" for a in rows.values()}
    data[f"status_{rows[deputies.county[2].pk].pk}"] = "absent"
    response = client.post(
        reverse("deputies:activity_attendance", args=[activity.pk]), data
    )
    assert response.status_code == 302
    assert Attendance.objects.get(pk=rows[deputies.county[2].pk].pk).status == "absent"

    response = client.post(
        reverse("deputies:activity_review", args=[activity.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.review_status == Activity.Review.APPROVED
    assert LedgerEntry.objects.get(mandate=deputies.county[0]).points == 3
    assert LedgerEntry.objects.get(mandate=deputies.county[2]).points == -5

    # Approved: attendance can no longer change, and the page shows no form.
    data[f"status_{rows[deputies.county[2].pk].pk}"] = "excused"
    response = client.post(
        reverse("deputies:activity_attendance", args=[activity.pk]), data
    )
    assert "活动已审核，不能再修改出席情况。" in messages_of(response)
    attendance_url = reverse("deputies:activity_attendance", args=[activity.pk])
    assert attendance_url not in client.get(detail(activity)).content.decode()


def test_return_needs_a_reason(client, personas, activity):
    url = reverse("deputies:activity_review", args=[activity.pk])
    client.force_login(personas.county_staff)
    response = client.post(url, {"decision": "return", "note": ""})
    assert messages_of(response) == ["退回须说明理由。"]
    activity.refresh_from_db()
    assert activity.review_status == Activity.Review.PENDING
    client.post(url, {"decision": "return", "note": "请补充调研报告。"})
    activity.refresh_from_db()
    assert activity.review_status == Activity.Review.RETURNED
    assert "请补充调研报告。" in client.get(detail(activity)).content.decode()


@pytest.mark.parametrize(
    "name", ["activity_attendance", "activity_review", "evidence_upload"]
)
def test_changes_forbidden(client, personas, activity, name):
    url = reverse(f"deputies:{name}", args=[activity.pk])
    client.force_login(personas.other_county_staff)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    for user in (personas.leader, personas.deputy):
        client.force_login(user)
        assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(personas.county_staff)
    assert client.get(url).status_code == 405
    activity.refresh_from_db()
    assert activity.review_status == Activity.Review.PENDING


def test_evidence_upload_and_download(client, personas, activity):
    client.force_login(personas.county_staff)
    upload = SimpleUploadedFile("调研报告.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("deputies:evidence_upload", args=[activity.pk]),
        {"file": upload, "description": "调研报告"},
    )
    assert response.status_code == 302
    evidence = ActivityEvidence.objects.get(activity=activity)
    assert evidence.uploaded_by == personas.county_staff
    url = reverse("deputies:evidence_download", args=[activity.pk, evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404


def test_evidence_type_and_size_are_checked(client, personas, activity):
    url = reverse("deputies:evidence_upload", args=[activity.pk])
    client.force_login(personas.county_staff)
    exe = SimpleUploadedFile(
        "报告.exe", b"MZ\x90\x00", content_type="application/octet-stream"
    )
    response = client.post(url, {"file": exe})
    assert "只能上传 PDF、JPG、PNG、DOCX 或 XLSX 文件。" in response.content.decode()
    fake_pdf = SimpleUploadedFile(
        "报告.pdf", b"MZ\x90\x00", content_type="application/pdf"
    )
    response = client.post(url, {"file": fake_pdf})
    assert "文件内容与扩展名不符" in response.content.decode()
    big = SimpleUploadedFile(
        "大文件.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(url, {"file": big})
    assert "文件不能超过 10 MB。" in response.content.decode()
    assert not ActivityEvidence.objects.exists()


def test_the_breadcrumb_leads_where_the_reader_may_go(client, personas, activity):
    """A participating deputy is sent to 我的履职, not to the staff's list (403)."""
    client.force_login(personas.deputy)
    html = client.get(detail(activity)).content.decode()
    assert reverse("deputies:my_performance") in html
    assert f'<a href="{reverse("deputies:activity_list")}">' not in html
    assert client.get(reverse("deputies:activity_list")).status_code == 403
    client.force_login(personas.county_staff)
    html = client.get(detail(activity)).content.decode()
    assert f'<a href="{reverse("deputies:activity_list")}">' in html
