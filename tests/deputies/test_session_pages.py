"""Session pages (issue 16): scoping (other counties 404, deputies only their
own), the staff's sheet, leave approvals, speeches, the absence ground; the
deputy's pages; constant queries on lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import session_services as ss
from deputies.models import AbsenceFlag, LeaveRequest, SessionAttendance, Speech
from tests.deputies.conftest import messages_of
from tests.deputies.session_helpers import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(terms):
    return make_session(terms["county_congress"])


@pytest.fixture
def upcoming(terms):
    return make_session(
        terms["county_congress"], 2, start=timezone.localdate() + timedelta(days=10)
    )


def _queries(client, url) -> int:
    """Queries of a warm request (the first one of a client loads its session)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_session_list_scoped_and_constant(client, personas, terms, deputies):
    client.force_login(personas.county_staff)
    url = reverse("deputies:session_list")
    make_session(terms["county_congress"], 1)
    one = _queries(client, url)
    for n in (2, 3, 4):
        make_session(
            terms["county_congress"],
            n,
            start=timezone.localdate() + timedelta(days=30 * n),
        )
    assert _queries(client, url) == one
    client.force_login(personas.other_county_staff)
    assert "湘源县" not in client.get(url).content.decode()
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 405


def test_attendance_sheet_by_own_staff_only(client, personas, session, deputies):
    url = reverse("deputies:session_detail", args=[session.pk])
    post = reverse("deputies:session_attendance", args=[session.pk])
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.province_staff)
    page = client.get(url)
    assert page.status_code == 200 and "保存出席情况" not in page.content.decode()
    assert client.post(post, {}).status_code == 403
    client.force_login(personas.county_staff)
    assert "保存出席情况" in client.get(url).content.decode()
    a, b = deputies.county[:2]
    response = client.post(post, {f"m_{a.pk}": "present", f"m_{b.pk}": "absent"})
    assert response.status_code == 302
    assert dict(SessionAttendance.objects.values_list("mandate_id", "status")) == {
        a.pk: "present",
        b.pk: "absent",
    }
    assert "已保存2名代表的出席情况。" in messages_of(response)
    # A refused row refuses the sheet, with the service's reason.
    response = client.post(post, {f"m_{a.pk}": "leave"})
    assert "王建国没有经批准的请假，不能登记为请假。" in messages_of(response)


def test_sheet_queries_do_not_grow_with_deputies(
    client, personas, session, world, deputies
):
    from tests.factories import make_mandate

    client.force_login(personas.county_staff)
    url = reverse("deputies:session_detail", args=[session.pk])
    before = _queries(client, url)
    for i in range(3):
        make_mandate(world.county_congress, f"新代表{i}", card_number=f"N-{i}")
    assert _queries(client, url) == before


def test_leave_flow_through_the_pages(client, personas, upcoming, deputies):
    client.force_login(personas.deputy)
    new = reverse("deputies:my_leave_new", args=[upcoming.pk])
    assert client.get(new).status_code == 200
    response = client.post(new, {"reason": ""})
    assert "请填写请假事由。" in response.content.decode()
    response = client.post(new, {"reason": "赴外地参加培训"})
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    # Another deputy and another county never see it.
    client.force_login(personas.other_deputy)
    assert client.get(new).status_code == 404
    assert (
        client.post(reverse("deputies:my_leave_withdraw", args=[leave.pk])).status_code
        == 404
    )
    client.force_login(personas.other_county_staff)
    decide = reverse("deputies:leave_decide", args=[leave.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 404
    client.force_login(personas.leader)
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.force_login(personas.county_staff)
    listing = client.get(reverse("deputies:leave_list"))
    assert "赴外地参加培训" in listing.content.decode()
    response = client.post(decide, {"decision": "reject", "note": ""})
    assert "不予批准须说明理由。" in messages_of(response)
    client.post(decide, {"decision": "approve", "note": "同意"})
    leave.refresh_from_db()
    assert leave.status == "approved"
    client.force_login(personas.deputy)
    mine = client.get(reverse("deputies:my_sessions")).content.decode()
    assert "已批准" in mine


def test_leave_list_constant_queries(client, personas, upcoming, deputies):
    client.force_login(personas.county_staff)
    url = reverse("deputies:leave_list")
    ss.leave_request_submit(
        session=upcoming,
        mandate=deputies.county[0],
        reason="甲",
        actor=personas.county_staff,
    )
    one = _queries(client, url)
    for m in deputies.county[1:4]:
        ss.leave_request_submit(
            session=upcoming, mandate=m, reason="乙", actor=personas.county_staff
        )
    assert _queries(client, url) == one


def test_speeches_entry_and_outcome(client, personas, session, deputies):
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("deputies:meeting_create", args=[session.pk]),
        {"title": "审议计划报告", "date": session.start_date.isoformat()},
    )
    assert response.status_code == 302
    meeting = session.deliberation_meetings.get()
    detail = reverse("deputies:meeting_detail", args=[meeting.pk])
    response = client.post(
        reverse("deputies:speech_create", args=[meeting.pk]),
        {"mandate": deputies.own.pk, "topic": "农村饮水", "mode": "prepared"},
    )
    assert response.status_code == 302
    speech = Speech.objects.get()
    client.post(
        reverse("deputies:speech_outcome", args=[speech.pk]), {"outcome": "adopted"}
    )
    speech.refresh_from_db()
    assert speech.outcome == "adopted"
    # The deputy reads their own speech's meeting; another deputy gets a 404.
    client.force_login(personas.deputy)
    assert client.get(detail).status_code == 200
    assert (
        client.post(
            reverse("deputies:speech_outcome", args=[speech.pk]), {"outcome": "pending"}
        ).status_code
        == 403
    )
    client.force_login(personas.other_deputy)
    assert client.get(detail).status_code == 404
    client.force_login(personas.county_staff)
    report = client.get(reverse("deputies:session_report", args=[session.pk]))
    assert "（1 / 1）" in report.content.decode()


def test_absence_flag_page_and_dismissal(client, personas, terms, deputies):
    term = terms["county_congress"]
    mandate = deputies.county[0]
    for n in (1, 2):
        s = make_session(term, n, start=timezone.localdate() - timedelta(days=40 * n))
        ss.session_attendance_record(
            session=s, changes=[(mandate, "absent")], actor=None, today=s.end_date
        )
    flag = AbsenceFlag.objects.get()
    url = reverse("deputies:absence_flag", args=[flag.pk])
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 404
    client.force_login(personas.county_staff)
    page = client.get(url).content.decode()
    assert "第五十条第一款第三项" in page
    from portal.registry import todo_items

    assert any(
        t.kind == "deputies.absence_flag" for t in todo_items(personas.county_staff)
    )
    client.force_login(personas.province_staff)
    assert (
        client.post(
            reverse("deputies:absence_flag_dismiss", args=[flag.pk]), {"note": "x"}
        ).status_code
        == 403
    )
    client.force_login(personas.county_staff)
    client.post(
        reverse("deputies:absence_flag_dismiss", args=[flag.pk]), {"note": "已补办请假"}
    )
    flag.refresh_from_db()
    assert flag.status == "dismissed"


def test_my_sessions_constant_queries(client, personas, terms, deputies):
    client.force_login(personas.deputy)
    url = reverse("deputies:my_sessions")
    s1 = make_session(terms["county_congress"], 1)
    ss.session_attendance_record(
        session=s1, changes=[(deputies.own, "present")], actor=None
    )
    one = _queries(client, url)
    for n in (2, 3):
        s = make_session(
            terms["county_congress"],
            n,
            start=timezone.localdate() - timedelta(days=30 * n),
        )
        ss.session_attendance_record(
            session=s, changes=[(deputies.own, "present")], actor=None
        )
    assert _queries(client, url) == one


def test_archive_and_my_sessions_show_the_new_ledger_kinds(
    client, personas, terms, deputies
):
    s1 = make_session(terms["county_congress"], 1)
    ss.session_attendance_record(
        session=s1, changes=[(deputies.own, "present")], actor=None
    )
    meeting = ss.meeting_create(
        session=s1, title="审议", date=s1.start_date, actor=None
    )
    ss.speech_record(
        meeting=meeting, mandate=deputies.own, topic="饮水", mode="prepared", actor=None
    )
    client.force_login(personas.deputy)
    page = client.get(reverse("deputies:my_performance")).content.decode()
    assert "审议发言" in page and "出席人代会会议" in page
    url = reverse("deputies:my_sessions")
    make_session(
        terms["county_congress"], 2, start=timezone.localdate() + timedelta(days=20)
    )
    one = _queries(client, url)
    make_session(
        terms["county_congress"], 3, start=timezone.localdate() + timedelta(days=60)
    )
    assert _queries(client, url) == one
    assert "申请请假" in client.get(url).content.decode()


def test_pre_session_activity_links_to_the_session(
    client, personas, session, world, deputies
):
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("deputies:activity_create") + f"?congress={world.county_congress.pk}",
        {
            "kind": "inspection", "title": "会前视察城区道路", "date": session.start_date.isoformat(),
            "session": session.pk, "participants": [deputies.county[0].pk],
        },
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(
        reverse("deputies:session_detail", args=[session.pk])
    ).content.decode()
    assert "会前视察城区道路" in page
