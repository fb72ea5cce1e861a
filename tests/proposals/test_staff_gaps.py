"""Issue 18, the staff workflow gaps: the 待交办 queue with a suggested unit and
the date to assign by, staff to-dos with their rule deadlines, the deputy's
mobile for 面商 (masked, a logged reveal), withdrawal explained after 交办,
confirmations, the reply file kept across an error, and notifications read
once their task is done."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Notification
from portal.registry import todo_items
from portal.rules import rules_for
from portal.workdays import add_working_days
from proposals import selectors, services
from proposals.deadlines import assign_by_date
from proposals.models import Assignment, Reply
from tests.proposals.conftest import assigned, registered, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUEUE = "proposals:assign_queue"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _on_commit_now(monkeypatch):
    """Notifications are sent after the commit: here, at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **k: func())


def _history(pw, world, category, unit, n):
    """``n`` earlier suggestions of ``category`` assigned to ``unit`` (lead)."""
    for i in range(n):
        assigned(
            pw,
            world,
            units=[(unit, "lead")],
            title=f"关于{category}{unit.pk}第{i}件的建议",
            category=category,
        )


# --- 1. the 待交办 queue -------------------------------------------------------------


def test_queue_lists_registered_suggestions_oldest_first_with_suggested_unit(
    client, pw, world, personas
):
    _history(pw, world, "transport", world.unit, 2)
    _history(pw, world, "transport", world.other_unit, 1)
    first = registered(pw, title="关于先立案的建议", category="transport")
    second = registered(pw, title="关于后立案的建议", category="education")
    client.force_login(personas.county_staff)
    response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(first.title) < html.index(second.title)
    # Transport went to 交通运输局 twice, to 住建局 once: the former is suggested.
    assert f"建议承办单位：{world.unit.name}" in html
    assert f"?unit={world.unit.pk}" in html
    # Education was never assigned: the staff choose.
    assert "同类建议近期没有交办记录" in html
    due = assign_by_date(first)
    assert f"应于 {due.year}年{due.month}月{due.day}日 前交办" in html
    # Assigned ones are not in the queue.
    assert "第0件" not in html


def test_suggested_unit_is_the_most_assigned_of_the_category(pw, world):
    _history(pw, world, "transport", world.other_unit, 1)
    _history(pw, world, "transport", world.unit, 2)
    pending = registered(pw, title="关于新的交通建议", category="transport")
    units = selectors.suggested_units([pending])
    assert units[pending.pk].pk == world.unit.pk


def test_queue_is_scoped_like_the_staff_list(client, pw, world, personas):
    suggestion = registered(pw, title="关于本县立案的建议")
    client.force_login(personas.other_county_staff)
    assert suggestion.title not in client.get(reverse(QUEUE)).content.decode()
    # A congress above reads but does not assign here.
    client.force_login(personas.province_staff)
    html = client.get(reverse(QUEUE)).content.decode()
    assert suggestion.title in html
    assert reverse("proposals:assign", args=[suggestion.pk]) not in html


@pytest.mark.parametrize("who", ["deputy", "unit_staff", "nobody"])
def test_queue_is_refused_to_non_staff(client, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(reverse(QUEUE)).status_code == 403


def test_queue_wants_login_and_get(client, pw, personas):
    assert client.get(reverse(QUEUE)).status_code == 302
    client.force_login(personas.county_staff)
    assert client.post(reverse(QUEUE)).status_code == 405


def test_queue_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    _history(pw, world, "transport", world.unit, 1)
    registered(pw, title="关于第一件的建议", category="transport")
    client.force_login(personas.county_staff)
    client.get(reverse(QUEUE))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(QUEUE)).status_code == 200
    for n, category in enumerate(["education", "transport", "health"]):
        registered(pw, title=f"关于另{n}件的建议", category=category)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse(QUEUE))
    assert response.content.decode().count("p-queue__item") == 4


def test_register_leads_to_the_queue(client, pw, personas):
    from tests.proposals.conftest import draft

    suggestion = draft(pw)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    client.force_login(personas.county_staff)
    response = client.post(reverse("proposals:register", args=[suggestion.pk]))
    assert response.status_code == 302 and response.url == reverse(QUEUE)
    html = client.get(response.url).content.decode()
    assert "该件已进入“待交办”" in html and suggestion.title in html


def test_the_subnav_links_to_the_queue(client, personas):
    client.force_login(personas.county_staff)
    html = client.get(reverse("proposals:manage")).content.decode()
    assert reverse(QUEUE) in html


def test_assign_page_preselects_the_suggested_unit(client, pw, world, personas):
    suggestion = registered(pw)
    client.force_login(personas.county_staff)
    url = reverse("proposals:assign", args=[suggestion.pk])
    html = client.get(f"{url}?unit={world.unit.pk}").content.decode()
    assert re.search(rf'<option value="{world.unit.pk}" selected>', html)


# --- 2. staff to-dos with their deadlines -------------------------------------------


def test_staff_todos_carry_their_rule_deadlines(pw, world, personas):
    from tests.proposals.conftest import draft

    submitted = draft(pw, title="关于待审查的建议")
    services.suggestion_submit(suggestion=submitted, actor=None)
    to_assign = registered(pw, title="关于待交办的建议")
    part = assigned(pw, world, title="关于申请延期的建议").assignments.get(role="lead")
    services.assignment_request_extension(
        assignment=part,
        new_due_date=part.due_date + timedelta(days=20),
        reason="需要协调资金",
        actor=None,
    )
    items = {i.kind: i for i in todo_items(personas.county_staff)}
    days = rules_for(pw.congress).recess_assignment_working_days
    submitted.refresh_from_db()
    assert submitted.session_id is None  # a recess suggestion: from submission
    assert items["proposals.review"].due_date == add_working_days(
        timezone.localdate(submitted.submitted_at), days
    )
    assert items["proposals.assign"].due_date == assign_by_date(to_assign)
    assert items["proposals.assign"].url == reverse(
        "proposals:assign", args=[to_assign.pk]
    )
    assert items["proposals.extension"].due_date == part.due_date
    undated = [
        i
        for i in todo_items(personas.county_staff)
        if i.kind.startswith("proposals.") and i.due_date is None
    ]
    assert not undated


def test_assign_by_counts_from_registration_or_the_sessions_close(pw):
    days = rules_for(pw.congress).recess_assignment_working_days
    recess = registered(pw, title="关于闭会期间的建议")
    assert assign_by_date(recess) == add_working_days(
        timezone.localdate(recess.registered_at), days
    )
    at_session = registered(pw, session=pw.session, title="关于大会期间的建议")
    assert assign_by_date(at_session) == add_working_days(pw.session.end_date, days)


def test_the_dashboard_shows_the_due_dates(client, pw, personas):
    registered(pw, title="关于待交办的建议")
    client.force_login(personas.county_staff)
    html = client.get(reverse("staff:dashboard")).content.decode()
    item = html[html.index("建议待交办：关于待交办的建议") :]
    item = item[: item.index("</li>")]
    assert "期限 " in item and "无期限" not in item


# --- 3. the deputy's mobile for 面商 -------------------------------------------------


def _lead_part(pw, world):
    pw.lead.person.mobile = "13812341234"
    pw.lead.person.save(update_fields=["mobile"])
    return assigned(pw, world).assignments.get(role="lead")


def test_unit_sees_the_mobile_masked_and_reveals_it_with_a_log_row(
    client, pw, world, personas
):
    part = _lead_part(pw, world)
    client.force_login(personas.unit_staff)
    html = client.get(reverse("proposals:assignment", args=[part.pk])).content.decode()
    assert "138****1234" in html and "13812341234" not in html
    url = reverse("proposals:assignment_reveal_contact", args=[part.pk])
    assert url in html
    response = client.post(url)
    assert response.status_code == 200
    assert "13812341234" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    row = AuditEvent.objects.get(action="personal_data.reveal")
    assert row.actor == personas.unit_staff
    assert row.object_id == str(pw.lead.pk) and row.object_repr == "丁一"
    assert "面商" in row.reason and str(part.pk) in row.reason
    assert row.created_at is not None


def test_only_the_assigned_unit_may_reveal(client, pw, world, personas):
    part = assigned(pw, world, units=[(world.unit, "lead")]).assignments.get()
    url = reverse("proposals:assignment_reveal_contact", args=[part.pk])
    client.force_login(personas.other_unit_staff)
    assert client.post(url).status_code == 404  # not their unit's part
    client.force_login(personas.other_county_staff)
    assert client.post(url).status_code == 404
    for who in ("county_staff", "deputy"):  # they see the part, may not reveal
        client.force_login(getattr(personas, who))
        assert client.post(url).status_code == 403
    client.force_login(personas.unit_staff)
    assert client.get(url).status_code == 405
    assert AuditEvent.objects.filter(action="personal_data.reveal").count() == 0


def test_no_reveal_once_the_part_is_answered(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    part = suggestion.assignments.get(role="lead")
    client.force_login(personas.unit_staff)
    url = reverse("proposals:assignment_reveal_contact", args=[part.pk])
    response = client.post(url, follow=True)
    assert "办理期间才能查看代表的完整联系方式" in response.content.decode()
    assert not AuditEvent.objects.filter(action="personal_data.reveal").exists()


# --- 4. withdrawal after 交办 ---------------------------------------------------------


def test_withdraw_after_assignment_is_explained_and_units_are_told(
    client, pw, world, personas
):
    suggestion = assigned(pw, world)
    client.force_login(personas.deputy)
    html = client.get(
        reverse("proposals:detail", args=[suggestion.pk])
    ).content.decode()
    assert f"该件已交办给{world.unit.name}、{world.other_unit.name}" in html
    assert "撤回后承办单位停止办理" in html
    with_unit = Notification.objects.filter(
        recipient=personas.unit_staff, kind="assignment.new"
    ).get()
    client.post(
        reverse("proposals:withdraw", args=[suggestion.pk]), {"reason": "已解决"}
    )
    told = Notification.objects.get(
        recipient=personas.unit_staff, kind="assignment.withdrawn"
    )
    assert "已撤回" in told.title and told.body == "已解决"
    assert told.url == reverse(
        "proposals:assignment", args=[suggestion.assignments.get(role="lead").pk]
    )
    with_unit.refresh_from_db()
    assert with_unit.read_at is not None  # nothing left to do


def test_after_a_reply_the_page_says_why_there_is_no_withdrawal(
    client, pw, world, personas
):
    suggestion = replied(pw, world, personas)
    client.force_login(personas.deputy)
    html = client.get(
        reverse("proposals:detail", args=[suggestion.pk])
    ).content.decode()
    assert "承办单位已经答复，不能再撤回" in html
    assert reverse("proposals:withdraw", args=[suggestion.pk]) not in html
    response = client.post(reverse("proposals:withdraw", args=[suggestion.pk]))
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "replied"


# --- 5. confirmations ------------------------------------------------------------------


def test_register_assign_and_reply_ask_for_confirmation(client, pw, world, personas):
    from tests.proposals.conftest import draft

    submitted = draft(pw)
    services.suggestion_submit(suggestion=submitted, actor=None)
    client.force_login(personas.county_staff)
    review = client.get(reverse("proposals:review")).content.decode()
    assert 'data-confirm="确定立案吗？' in review
    to_assign = registered(pw, title="关于另一件的建议")
    assign = client.get(reverse("proposals:assign", args=[to_assign.pk]))
    assert 'data-confirm="确定交办吗？' in assign.content.decode()
    part = assigned(pw, world, title="关于第三件的建议").assignments.get(role="lead")
    client.force_login(personas.unit_staff)
    reply = client.get(reverse("proposals:assignment_reply", args=[part.pk]))
    assert 'data-confirm="确定提交答复吗？' in reply.content.decode()


def test_portal_js_handles_data_confirm_without_inline_script():
    from django.contrib.staticfiles import finders

    with open(finders.find("js/portal.js"), encoding="utf-8") as handle:
        script = handle.read()
    assert "data-confirm" in script and "window.confirm" in script


# --- 6. the reply file kept across an error ----------------------------------------


def test_reply_file_is_kept_when_the_form_comes_back(client, pw, world, personas):
    part = assigned(pw, world).assignments.get(role="lead")
    services.assignment_contact(
        assignment=part, method="phone", date=TODAY(), summary="电话", actor=None
    )
    client.force_login(personas.unit_staff)
    url = reverse("proposals:assignment_reply", args=[part.pk])
    base = {
        "category": "A",
        "document_number": "湘源交复〔2026〕12号",
        "signer": "赵志刚",
        "c-TOTAL_FORMS": "3",
        "c-INITIAL_FORMS": "0",
    }
    attachment = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    first = client.post(url, {**base, "text": "", "attachment": attachment})
    assert first.status_code == 400
    html = first.content.decode()
    assert "答复文件“答复函.pdf”已保留" in html
    assert "已填写的内容都还在" not in html
    token = re.search(r'name="attachment__kept" value="([^"]+)"', html).group(1)
    second = client.post(
        url, {**base, "text": "已完成村道修补。", "attachment__kept": token}
    )
    assert second.status_code == 302
    reply = Reply.objects.get()
    assert reply.attachment and reply.attachment.read() == PDF


def test_a_forged_kept_token_attaches_nothing(client, pw, world, personas):
    part = assigned(pw, world).assignments.get(role="lead")
    services.assignment_contact(
        assignment=part, method="phone", date=TODAY(), summary="电话", actor=None
    )
    client.force_login(personas.unit_staff)
    client.post(
        reverse("proposals:assignment_reply", args=[part.pk]),
        {
            "category": "A",
            "text": "已完成",
            "c-TOTAL_FORMS": "3",
            "c-INITIAL_FORMS": "0",
            "attachment__kept": "forged:token",
        },
    )
    assert not Reply.objects.get().attachment


# --- 7. notifications: a link, and read once the task is done -------------------


def test_the_units_new_assignment_is_read_once_it_replies(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    lead = suggestion.assignments.get(role="lead")
    new = Notification.objects.get(recipient=personas.unit_staff, kind="assignment.new")
    assert new.read_at is not None
    assert new.url == reverse("proposals:assignment", args=[lead.pk])
    # The co-unit has not sent its opinion: still to do.
    co = Notification.objects.get(
        recipient=personas.other_unit_staff, kind="assignment.new"
    )
    assert co.read_at is None
    services.co_unit_opinion_send(
        assignment=suggestion.assignments.get(role="co"), text="同意", actor=None
    )
    co.refresh_from_db()
    assert co.read_at is not None


def test_the_deputys_please_rate_is_read_once_they_rate(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    ask = Notification.objects.get(recipient=personas.deputy, kind="suggestion.replied")
    assert ask.read_at is None
    client.force_login(personas.deputy)
    listing = client.get(reverse("staff:notifications")).content.decode()
    assert f'href="{reverse("proposals:detail", args=[suggestion.pk])}"' in listing
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    ask.refresh_from_db()
    assert ask.read_at is not None


def test_accepting_reads_the_unaccepted_reminder_only(pw, world, personas):
    from portal.services import notification_create

    part = assigned(pw, world).assignments.get(role="lead")
    notification_create(
        recipient=personas.unit_staff,
        kind="assignment.unaccepted",
        key="test-unaccepted",
        title="未签收",
        target=part,
        actor=None,
    )
    services.assignment_accept(assignment=part, actor=None)
    assert Notification.objects.get(key="test-unaccepted").read_at is not None
    new = Notification.objects.get(recipient=personas.unit_staff, kind="assignment.new")
    assert new.read_at is None
    assert Assignment.objects.get(pk=part.pk).status == "accepted"
