"""Handling units' pages: my assignments by due date, the assignment page with
accept, return request, contact, extension and co-unit opinion, and the reply
form with its category table, commitments and attachment."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Assignment, Commitment, Reply, Suggestion, SuggestionEvent
from tests.proposals.conftest import assigned, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded reply documents go to a temporary folder, not the project's media."""
    settings.MEDIA_ROOT = tmp_path


def page(assignment):
    return reverse("proposals:assignment", args=[assignment.pk])


def action(assignment, name):
    return reverse(f"proposals:assignment_{name}", args=[assignment.pk])


def lead_of(suggestion):
    return suggestion.assignments.get(role="lead")


def contacted(assignment):
    services.assignment_contact(
        assignment=assignment,
        method="phone",
        date=TODAY(),
        summary="电话沟通",
        actor=None,
    )
    return assignment


def reply_data(**extra):
    data = {
        "category": "A",
        "text": "已完成村道修补。",
        "document_number": "湘源交复〔2026〕12号",
        "signer": "赵志刚",
        "c-TOTAL_FORMS": "3",
        "c-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


# --- my assignments ---------------------------------------------------------------------------------


def test_list_shows_only_the_units_assignments_by_due_date(client, pw, world, personas):
    later = assigned(pw, world, title="关于期限较晚的建议")
    sooner = assigned(pw, world, title="关于期限较早的建议")
    Assignment.objects.filter(suggestion=sooner).update(
        due_date=TODAY() + timedelta(days=10)
    )
    elsewhere = assigned(
        pw, world, units=[(world.other_unit, "lead")], title="关于别的单位的建议"
    )
    client.force_login(personas.unit_staff)
    html = client.get(reverse("proposals:assignments")).content.decode()
    assert html.index(sooner.title) < html.index(later.title)
    assert elsewhere.title not in html
    assert "10 天" in html


def test_list_highlights_overdue(client, pw, world, personas):
    suggestion = assigned(pw, world)
    Assignment.objects.filter(suggestion=suggestion).update(
        due_date=TODAY() - timedelta(days=4)
    )
    client.force_login(personas.unit_staff)
    html = client.get(reverse("proposals:assignments")).content.decode()
    assert 'class="is-overdue"' in html and "逾期 4 天" in html


def test_list_is_for_unit_staff(client, pw, personas):
    url = reverse("proposals:assignments")
    assert client.get(url).status_code == 302
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403
    client.force_login(personas.unit_staff)
    assert client.post(url).status_code == 405


def test_list_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    client.force_login(personas.unit_staff)
    url = reverse("proposals:assignments")
    assigned(pw, world, title="关于第一件事的建议")
    client.get(url)  # warm the session (renewed at most once a minute)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(2):
        assigned(pw, world, title=f"关于另{n}件事的建议")
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count('class="p-title-cell"') == 3


# --- the assignment page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("unit_staff", 200),
        ("county_staff", 200),
        ("deputy", 200),
        ("other_unit_staff", 404),
        ("other_county_staff", 404),
        ("other_deputy", 404),
    ],
)
def test_assignment_page_scoping(client, pw, world, personas, persona, code):
    lead = lead_of(assigned(pw, world))
    client.force_login(getattr(personas, persona))
    assert client.get(page(lead)).status_code == code


def test_accept_contact_and_reply(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = lead_of(suggestion)
    client.force_login(personas.unit_staff)
    html = client.get(page(lead)).content.decode()
    assert "签收" in html and "答复前须先与代表沟通" in html
    assert client.post(action(lead, "accept")).status_code == 302
    lead.refresh_from_db()
    assert lead.status == "accepted"
    response = client.post(
        action(lead, "contact"),
        {
            "method": "meeting",
            "date": TODAY().isoformat(),
            "summary": "当面听取代表意见",
        },
    )
    assert response.status_code == 302 and lead.contacts.count() == 1
    attachment = SimpleUploadedFile("答复.pdf", PDF, content_type="application/pdf")
    response = client.post(
        action(lead, "reply"), {**reply_data(), "attachment": attachment}
    )
    assert response.status_code == 302
    reply = Reply.objects.get(assignment=lead)
    assert (
        reply.category == "A"
        and reply.attachment
        and reply.document_number == "湘源交复〔2026〕12号"
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "replied"
    download = client.get(reverse("proposals:reply_file", args=[reply.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(personas.other_county_staff)
    assert (
        client.get(reverse("proposals:reply_file", args=[reply.pk])).status_code == 404
    )


def test_reply_before_contact_is_refused(client, pw, world, personas):
    lead = lead_of(assigned(pw, world))
    client.force_login(personas.unit_staff)
    response = client.post(action(lead, "reply"), reply_data())
    assert response.status_code == 400
    assert "该建议尚未记录与代表的沟通，不能答复。" in response.content.decode()
    assert not Reply.objects.exists()


def test_b_reply_needs_commitments(client, pw, world, personas):
    lead = contacted(lead_of(assigned(pw, world)))
    client.force_login(personas.unit_staff)
    response = client.post(action(lead, "reply"), reply_data(category="B"))
    assert response.status_code == 400
    assert "B类、C类答复须写明承诺事项和完成时限。" in response.content.decode()
    due = (TODAY() + timedelta(days=60)).isoformat()
    response = client.post(
        action(lead, "reply"),
        reply_data(category="B", **{"c-0-text": "年底前完成修补"}),
    )
    assert response.status_code == 400 and "请填写完成时限" in response.content.decode()
    response = client.post(
        action(lead, "reply"),
        reply_data(category="B", **{"c-0-text": "年底前完成修补", "c-0-due_date": due}),
    )
    assert response.status_code == 302
    assert Commitment.objects.get().text == "年底前完成修补"


def test_reply_categories_come_from_the_rule_set(client, pw, world, personas):
    from portal.models import RuleSet

    RuleSet.objects.create(
        congress=pw.congress,
        values={"reply_categories": {"A": "已解决", "B": "列入计划"}},
    )
    lead = lead_of(assigned(pw, world))
    client.force_login(personas.unit_staff)
    html = client.get(action(lead, "reply")).content.decode()
    assert "A 已解决" in html and "B 列入计划" in html and 'value="D"' not in html


def test_reply_attachment_must_be_a_document(client, pw, world, personas):
    lead = contacted(lead_of(assigned(pw, world)))
    client.force_login(personas.unit_staff)
    fake = SimpleUploadedFile("答复.pdf", b"not a pdf", content_type="application/pdf")
    response = client.post(action(lead, "reply"), {**reply_data(), "attachment": fake})
    assert (
        response.status_code == 400
        and "文件内容与扩展名不符" in response.content.decode()
    )
    exe = SimpleUploadedFile("答复.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(action(lead, "reply"), {**reply_data(), "attachment": exe})
    assert (
        response.status_code == 400
        and "只能上传 PDF、DOC 或 DOCX 文件。" in response.content.decode()
    )
    assert not Reply.objects.exists()


def test_unit_actions_are_the_units_own(client, pw, world, personas):
    lead = lead_of(assigned(pw, world))
    client.force_login(personas.county_staff)
    assert client.post(action(lead, "accept")).status_code == 403
    assert client.get(action(lead, "reply")).status_code == 403
    client.force_login(personas.other_unit_staff)
    assert client.post(action(lead, "accept")).status_code == 404
    client.force_login(personas.unit_staff)
    assert client.get(action(lead, "accept")).status_code == 405
    assert client.get(action(lead, "contact")).status_code == 405


def test_extension_beyond_six_months_is_refused(client, pw, world, personas):
    lead = lead_of(assigned(pw, world))
    client.force_login(personas.unit_staff)
    response = client.post(
        action(lead, "extension"),
        {
            "new_due_date": (TODAY() + timedelta(days=200)).isoformat(),
            "reason": "需协调资金",
        },
    )
    assert response.status_code == 400
    assert "延期后的办理期限不能超过交办之日起6个月" in response.content.decode()
    response = client.post(
        action(lead, "extension"),
        {
            "new_due_date": (lead.due_date + timedelta(days=20)).isoformat(),
            "reason": "需协调资金",
        },
    )
    assert response.status_code == 302 and lead.extension_requests.count() == 1


def test_return_request_and_its_time_limit(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = lead_of(suggestion)
    client.force_login(personas.unit_staff)
    Assignment.objects.filter(pk=lead.pk).update(
        assigned_on=TODAY() - timedelta(days=30)
    )
    html = client.get(page(lead)).content.decode()
    # Past the window the form is not offered; the page says why.
    assert action(lead, "return") not in html and "退办申请期限" in html
    response = client.post(action(lead, "return"), {"ret-reason": "不属于本单位职责"})
    assert response.status_code == 400 and "已超过期限" in response.content.decode()
    Assignment.objects.filter(pk=lead.pk).update(assigned_on=TODAY())
    html = client.get(page(lead)).content.decode()
    assert action(lead, "return") in html and "退办申请期限" not in html
    response = client.post(action(lead, "return"), {"ret-reason": "不属于本单位职责"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "return_requested"


def test_co_unit_sends_its_opinion_to_the_lead_unit(client, pw, world, personas):
    suggestion = assigned(pw, world)
    co = suggestion.assignments.get(role="co")
    client.force_login(personas.other_unit_staff)
    html = client.get(page(co)).content.decode()
    assert (
        "送主办单位" in html
        and reverse("proposals:assignment_reply", args=[co.pk]) not in html
    )
    response = client.post(action(co, "co_opinion"), {"text": "建议与住建项目同步实施"})
    assert response.status_code == 302
    client.force_login(personas.unit_staff)
    assert (
        "建议与住建项目同步实施"
        in client.get(page(lead_of(suggestion))).content.decode()
    )


def test_unit_sees_the_rating_only_once_submitted(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    lead = lead_of(suggestion)
    client.force_login(personas.unit_staff)
    assert 'id="eval-title"' not in client.get(page(lead)).content.decode()
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="basically_satisfied",
        attitude="satisfied",
        comment="还需加快进度",
    )
    html = client.get(page(lead)).content.decode()
    assert 'id="eval-title"' in html and "基本满意" in html and "还需加快进度" in html
    assert reverse("proposals:evaluate", args=[suggestion.pk]) not in html


def test_unit_does_not_see_other_units_internal_notes(client, pw, world, personas):
    suggestion = assigned(
        pw, world, units=[(world.unit, "split"), (world.other_unit, "split")]
    )
    other = suggestion.assignments.get(unit=world.other_unit)
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        action="contact",
        unit=world.other_unit,
        internal=True,
        note="住建局内部备注：资金缺口",
    )
    client.force_login(personas.unit_staff)
    html = client.get(
        reverse("proposals:detail", args=[suggestion.pk])
    ).content.decode()
    assert "资金缺口" not in html
    client.force_login(personas.other_unit_staff)
    assert "资金缺口" in client.get(page(other)).content.decode()


def test_commitment_done_by_its_unit(client, pw, world, personas):
    suggestion = replied(pw, world, personas, category="B")
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    commitment = Commitment.objects.get()
    url = reverse("proposals:commitment_done", args=[commitment.pk])
    client.force_login(personas.other_unit_staff)  # the co-unit cannot
    assert client.post(url).status_code in (403, 404)
    client.force_login(personas.unit_staff)
    assert client.post(url, {"note": "已完成"}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "done"
    suggestion.refresh_from_db()
    # Closing waits for the deputy's receipt (回执).
    assert suggestion.status == Suggestion.Status.TRACKING
