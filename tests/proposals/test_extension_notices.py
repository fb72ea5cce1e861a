"""The deputies are told when a unit asks for more time and when the staff
decide, with the unit's reason (代表法第四十九条; 全国人民代表大会代表建议、批评和
意见处理办法: the handling body explains a delay to the deputy)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portal.models import Notification
from proposals import services
from proposals.models import CoSigner
from tests.factories import UserFactory, make_mandate
from tests.proposals.conftest import assigned, draft

pytestmark = pytest.mark.django_db


def ask(lead, days=30, reason="需协调省级资金，三个月内无法完成"):
    return services.assignment_request_extension(
        assignment=lead,
        new_due_date=lead.due_date + timedelta(days=days),
        reason=reason,
        actor=None,
    )


def notes(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


def test_the_lead_deputy_is_told_of_the_request_with_the_reason(
    pw, world, personas, django_capture_on_commit_callbacks
):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(lead)
    note = notes(personas.deputy, "extension.requested").get()
    assert note.title == (
        "湘源县交通运输局申请将“关于加强农村公路养护的建议”的办理期限延至"
        f"{request.new_due_date.isoformat()}"
    )
    assert note.body == "延期理由：需协调省级资金，三个月内无法完成"
    assert note.url == reverse("proposals:detail", args=[suggestion.pk])
    assert note.channel == "in_app"


def test_approval_and_its_note_reach_the_deputy(
    pw, world, personas, django_capture_on_commit_callbacks
):
    lead = assigned(pw, world).assignments.get(role="lead")
    request = ask(lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_decide(
            request=request, approve=True, note="同意，请按期办结", actor=None
        )
    note = notes(personas.deputy, "extension.approved").get()
    assert f"办理期限已延至{request.new_due_date.isoformat()}" in note.title
    assert "（湘源县交通运输局申请，已同意）" in note.title
    assert note.body == (
        "延期理由：需协调省级资金，三个月内无法完成\n审批意见：同意，请按期办结"
    )


def test_refusal_says_the_due_date_stays(
    pw, world, personas, django_capture_on_commit_callbacks
):
    lead = assigned(pw, world).assignments.get(role="lead")
    request = ask(lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.extension_decide(request=request, approve=False, actor=None)
    note = notes(personas.deputy, "extension.rejected").get()
    assert note.title.endswith(f"延期申请未获同意，办理期限仍为{lead.due_date}")
    assert note.body == "延期理由：需协调省级资金，三个月内无法完成"


def test_confirmed_cosigners_are_told_too_not_those_who_declined(
    pw, world, personas, django_capture_on_commit_callbacks
):
    joined, declined = UserFactory(), UserFactory()
    yes = make_mandate(pw.congress, "联名甲", user=joined)
    no = make_mandate(pw.congress, "联名乙", user=declined)
    suggestion = draft(pw, co_signers=[yes, no])
    for mandate, user, accept in ((yes, joined, True), (no, declined, False)):
        services.cosigner_respond(
            cosigner=CoSigner.objects.get(suggestion=suggestion, mandate=mandate),
            accept=accept,
            actor=user,
        )
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_assign(
        suggestion=suggestion, units=[(world.unit, "lead")], actor=None
    )
    lead = suggestion.assignments.get(role="lead")
    with django_capture_on_commit_callbacks(execute=True):
        ask(lead)
    told = set(
        Notification.objects.filter(kind="extension.requested").values_list(
            "recipient", flat=True
        )
    )
    assert told == {personas.deputy.pk, joined.pk}


def test_each_step_is_told_once(
    pw, world, personas, django_capture_on_commit_callbacks
):
    from proposals.services.handling import _tell_deputies_of_extension

    lead = assigned(pw, world).assignments.get(role="lead")
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(lead)
    _tell_deputies_of_extension(request.pk)  # a repeated callback
    assert notes(personas.deputy, "extension.requested").count() == 1


def test_nothing_is_told_when_the_request_is_refused_outright(
    pw, world, personas, django_capture_on_commit_callbacks
):
    lead = assigned(pw, world).assignments.get(role="lead")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.DomainError),
    ):
        ask(lead, days=400)
    assert not Notification.objects.filter(kind__startswith="extension.").exists()


def test_the_unit_requests_on_its_page_and_the_deputy_is_told(
    client, pw, world, personas, django_capture_on_commit_callbacks
):
    lead = assigned(pw, world).assignments.get(role="lead")
    client.force_login(personas.unit_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("proposals:assignment_extension", args=[lead.pk]),
            {
                "new_due_date": (lead.due_date + timedelta(days=20)).isoformat(),
                "reason": "涉及征地，需延期",
            },
        )
    assert response.status_code == 302
    assert notes(personas.deputy, "extension.requested").get().body == (
        "延期理由：涉及征地，需延期"
    )
