"""Pages of the closed loop: the deputy's receipt of a commitment, the staff's
disclosure review and outcome record, the unit's outcome with its reply, and the
daily task for unrated answers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Commitment, Reply, Suggestion
from proposals.tasks import lapse_unrated_evaluations
from tests.proposals.conftest import assigned, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def tracked_with_done_commitment(pw, world, personas):
    suggestion = replied(pw, world, personas, category="B")
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    commitment = Commitment.objects.get()
    services.commitment_complete(commitment=commitment, actor=None)
    return suggestion, commitment


def test_deputy_confirms_a_commitment_from_the_detail_page(client, pw, world, personas):
    suggestion, commitment = tracked_with_done_commitment(pw, world, personas)
    client.force_login(personas.deputy)
    detail = client.get(reverse("proposals:detail", args=[suggestion.pk]))
    assert "待代表确认" in detail.content.decode()
    assert reverse("proposals:commitment_confirm", args=[commitment.pk]) in (
        detail.content.decode()
    )
    url = reverse("proposals:commitment_confirm", args=[commitment.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"accept": "yes", "note": ""})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "closed"


def test_dispute_without_a_reason_is_refused_with_the_message(
    client, pw, world, personas
):
    suggestion, commitment = tracked_with_done_commitment(pw, world, personas)
    client.force_login(personas.deputy)
    url = reverse("proposals:commitment_confirm", args=[commitment.pk])
    response = client.post(url, {"accept": "no", "note": ""}, follow=True)
    assert "请说明承诺事项尚未落实的情况" in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.confirmed_at is None


def test_only_the_lead_deputy_may_give_the_receipt(client, pw, world, personas):
    _suggestion, commitment = tracked_with_done_commitment(pw, world, personas)
    url = reverse("proposals:commitment_confirm", args=[commitment.pk])
    client.force_login(personas.unit_staff)  # sees it, may not confirm
    assert client.post(url, {"accept": "yes"}).status_code == 403
    client.force_login(personas.other_county_staff)  # out of scope
    assert client.post(url, {"accept": "yes"}).status_code == 404
    commitment.refresh_from_db()
    assert commitment.confirmed_at is None


def test_staff_review_publishes_the_edited_text(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    reply = Reply.objects.get()
    url = reverse("proposals:disclosure", args=[suggestion.pk])
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.county_staff)
    page = client.get(url)
    assert page.status_code == 200 and "已纳入计划" in page.content.decode()
    response = client.post(
        url, {"publish": "yes", f"text_{reply.pk}": "已纳入明年计划", "note": ""}
    )
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.public_text == "已纳入明年计划" and reply.published_at
    public = client.get(reverse("proposals:public_detail", args=[suggestion.pk]))
    assert "已纳入明年计划" in public.content.decode()
    # Reviewed: the page is no longer offered.
    assert client.get(url).status_code == 302


def test_withholding_without_a_reason_shows_the_error(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("proposals:disclosure", args=[suggestion.pk]),
        {"publish": "no", "note": ""},
    )
    assert response.status_code == 400
    assert "不予公开的，请说明理由" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.disclosure_due_on is not None


def test_staff_record_the_outcome_on_the_detail_page(client, pw, world, personas):
    suggestion = replied(pw, world, personas)
    url = reverse("proposals:record_outcome", args=[suggestion.pk])
    client.force_login(personas.deputy)
    assert client.post(url, {"outcome_type": "case"}).status_code == 403
    client.force_login(personas.county_staff)
    assert client.get(url).status_code == 405
    response = client.post(url, {"outcome_type": "policy", "outcome_document": ""})
    assert response.status_code == 400
    assert "请填写成果文件名称或文号" in response.content.decode()
    response = client.post(
        url, {"outcome_type": "policy", "outcome_document": "养护管理办法"}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.outcome_type == "policy"


def test_unit_records_the_outcome_with_its_reply(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead, method="meeting", date=TODAY(), summary="面商", actor=None
    )
    client.force_login(personas.unit_staff)
    response = client.post(
        reverse("proposals:assignment_reply", args=[lead.pk]),
        {
            "category": "A",
            "text": "已解决并建立巡查机制",
            "outcome_type": "mechanism",
            "outcome_document": "村道巡查制度",
            "c-TOTAL_FORMS": "0",
            "c-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.outcome_type, suggestion.outcome_document) == (
        "mechanism",
        "村道巡查制度",
    )


def test_the_daily_task_lapses_unrated_answers(pw, world, personas):
    suggestion = replied(pw, world, personas)
    assert lapse_unrated_evaluations() == 0
    later = TODAY() + timedelta(days=31)
    assert lapse_unrated_evaluations(later.isoformat()) == 1
    assert lapse_unrated_evaluations(later.isoformat()) == 0  # idempotent
    assert Suggestion.objects.get(pk=suggestion.pk).status == "closed"
