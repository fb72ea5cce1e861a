"""A callback (回访) that finds the deputy was not really satisfied (issue 19):
the rating is flagged (never changed), the item may be reopened for rehandling
by the staff of the congress acting on it, and nobody else may."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import LedgerEntry
from portal.models import AuditEvent, Notification, RuleSet
from portal.services import DomainError, TransitionError, rule_set_update
from proposals import services
from proposals.models import Assignment, Evaluation, Suggestion
from tests.deputies.conftest import messages_of

from .conftest import replied

pytestmark = pytest.mark.django_db

S = Suggestion.Status
NOT_SATISFIED = Evaluation.CallbackFinding.NOT_SATISFIED
CONFIRMED = Evaluation.CallbackFinding.CONFIRMED


def rated(pw, world, personas, category="A", **extra) -> Suggestion:
    """Answered and rated satisfied by the lead (closed, or tracked for B/C)."""
    suggestion = replied(pw, world, personas, category=category, **extra)
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    return Suggestion.objects.get(pk=suggestion.pk)


def called_back(suggestion, finding=NOT_SATISFIED, note="代表说其实问题没有解决"):
    services.evaluations_sample_for_callback(
        congress=suggestion.congress,
        year=suggestion.year,
        size=50,
        seed=1,
        actor=None,
    )
    evaluation = suggestion.evaluations.get(mandate=suggestion.lead)
    return services.evaluation_record_callback(
        evaluation=evaluation, note=note, finding=finding, actor=None
    )


# --- the finding ------------------------------------------------------------------


def test_a_finding_flags_the_rating_and_never_changes_it(pw, world, personas):
    suggestion = rated(pw, world, personas)
    evaluation = called_back(suggestion)
    evaluation.refresh_from_db()
    assert evaluation.callback_finding == NOT_SATISFIED
    assert evaluation.callback_at is not None
    assert (evaluation.result, evaluation.attitude) == ("satisfied", "satisfied")
    event = suggestion.events.get(action="callback")
    assert event.internal and event.note == "代表实际不满意：代表说其实问题没有解决"
    # The same finding again is a no-op; another one is refused.
    services.evaluation_record_callback(
        evaluation=evaluation,
        note="代表说其实问题没有解决",
        finding=NOT_SATISFIED,
        actor=None,
    )
    with pytest.raises(TransitionError, match="该评价的回访结论已记录，不能修改。"):
        services.evaluation_record_callback(
            evaluation=evaluation, note="代表满意", finding=CONFIRMED, actor=None
        )
    assert suggestion.events.filter(action="callback").count() == 1


def test_a_finding_needs_a_flagged_rating_a_note_and_a_known_value(pw, world, personas):
    suggestion = rated(pw, world, personas)
    evaluation = suggestion.evaluations.get()
    with pytest.raises(DomainError, match="该评价未被抽查回访。"):
        services.evaluation_record_callback(
            evaluation=evaluation, note="x", finding=CONFIRMED, actor=None
        )
    Evaluation.objects.filter(pk=evaluation.pk).update(callback_flagged=True)
    with pytest.raises(DomainError, match="请填写回访情况。"):
        services.evaluation_record_callback(
            evaluation=evaluation, note="  ", finding=CONFIRMED, actor=None
        )
    with pytest.raises(DomainError, match="回访结论不正确。"):
        services.evaluation_record_callback(
            evaluation=evaluation, note="x", finding="maybe", actor=None
        )


# --- reopening --------------------------------------------------------------------


def test_reopening_starts_the_next_round(
    pw, world, personas, django_capture_on_commit_callbacks
):
    suggestion = rated(pw, world, personas)
    assert suggestion.status == S.CLOSED
    assert LedgerEntry.objects.filter(mandate=pw.lead, kind="reply_rated_a").exists()
    called_back(suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        reopened = services.suggestion_rehandle_after_callback(
            suggestion=suggestion, reason="请重新核实", actor=personas.county_staff
        )
    assert (reopened.status, reopened.round, reopened.closed_at) == (
        S.REHANDLING,
        2,
        None,
    )
    due = timezone.localdate()
    lead = reopened.assignments.get(role="lead")
    assert lead.status == Assignment.Status.ACCEPTED and lead.round == 2
    assert lead.due_date > due and lead.due_date <= due + timedelta(days=31)
    event = reopened.events.get(action="rehandle_callback")
    assert (event.from_state, event.to_state, event.actor) == (
        S.CLOSED,
        S.REHANDLING,
        personas.county_staff,
    )
    assert event.note == (
        "回访发现代表实际不满意（代表说其实问题没有解决），重新办理：请重新核实"
    )
    assert AuditEvent.objects.filter(
        action="suggestion.rehandle_callback", object_id=str(suggestion.pk)
    ).exists()
    assert Notification.objects.filter(
        recipient=personas.unit_staff, kind="assignment.rehandling"
    ).exists()
    # The points the untrue rating earned are taken back, with an audit row.
    assert not LedgerEntry.objects.filter(kind="reply_rated_a").exists()
    revoked = AuditEvent.objects.get(action="ledger.revoke")
    assert revoked.data["kind"] == "reply_rated_a" and revoked.data["points"] == 1
    # Reopening again is a no-op.
    again = services.suggestion_rehandle_after_callback(
        suggestion=suggestion, actor=personas.county_staff
    )
    assert again.round == 2
    assert reopened.events.filter(action="rehandle_callback").count() == 1


def test_the_next_answer_is_rated_again_and_earns_the_points_again(pw, world, personas):
    suggestion = rated(pw, world, personas)
    called_back(suggestion)
    services.suggestion_rehandle_after_callback(suggestion=suggestion, actor=None)
    lead = suggestion.assignments.get(role="lead")
    services.assignment_contact(
        assignment=lead,
        method="site_visit",
        date=timezone.localdate(),
        summary="再次实地查看",
        actor=None,
    )
    services.assignment_reply(
        assignment=lead, category="A", text="已全部修复", actor=None
    )
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.round) == (S.CLOSED, 2)
    assert LedgerEntry.objects.filter(kind="reply_rated_a").count() == 1


def test_a_tracked_item_can_be_reopened(pw, world, personas):
    suggestion = rated(pw, world, personas, category="B")
    assert suggestion.status == S.TRACKING
    called_back(suggestion)
    reopened = services.suggestion_rehandle_after_callback(
        suggestion=suggestion, actor=None
    )
    assert reopened.status == S.REHANDLING


def test_reopening_is_refused_without_a_finding_against_the_rating(pw, world, personas):
    suggestion = rated(pw, world, personas)
    with pytest.raises(TransitionError) as refused:
        services.suggestion_rehandle_after_callback(suggestion=suggestion, actor=None)
    assert refused.value.message == (
        "只有回访发现领衔代表对本轮办理实际不满意的，才能重新办理；"
        "该建议没有这样的回访结论。"
    )
    called_back(suggestion, finding=CONFIRMED, note="代表确认满意")
    with pytest.raises(TransitionError, match="没有这样的回访结论"):
        services.suggestion_rehandle_after_callback(suggestion=suggestion, actor=None)
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.CLOSED


def test_reopening_is_refused_while_the_item_is_not_closed(pw, world, personas):
    suggestion = replied(pw, world, personas)
    with pytest.raises(TransitionError) as refused:
        services.suggestion_rehandle_after_callback(suggestion=suggestion, actor=None)
    assert refused.value.message == (
        "该建议当前状态为“已答复待评价”，只有已办结或跟踪落实中的可以根据回访结果"
        "重新办理。"
    )


def test_reopening_is_refused_beyond_the_last_round(pw, world, personas):
    rule_set = RuleSet.objects.create(congress=pw.congress, name="县规则")
    rule_set_update(rule_set=rule_set, values={"evaluation_max_rounds": 1}, actor=None)
    suggestion = rated(pw, world, personas)
    called_back(suggestion)
    with pytest.raises(TransitionError) as refused:
        services.suggestion_rehandle_after_callback(suggestion=suggestion, actor=None)
    assert refused.value.message == (
        "该建议已办理1轮，达到最多办理轮次（1轮），不能再重新办理，请转人大督办。"
    )


def test_a_cosigners_rating_does_not_reopen(pw, world, personas):
    """Only the lead's rating decides: a callback on another rater's is recorded
    but reopens nothing."""
    suggestion = rated(pw, world, personas)
    other = Evaluation.objects.create(
        suggestion=suggestion,
        round=1,
        mandate=pw.cosigners[0],
        result="satisfied",
        attitude="satisfied",
        callback_flagged=True,
    )
    services.evaluation_record_callback(
        evaluation=other, note="其实不满意", finding=NOT_SATISFIED, actor=None
    )
    with pytest.raises(TransitionError, match="没有这样的回访结论"):
        services.suggestion_rehandle_after_callback(suggestion=suggestion, actor=None)


# --- pages: who may and who may not -------------------------------------------------


def url(suggestion):
    return reverse("proposals:rehandle_after_callback", args=[suggestion.pk])


def test_staff_of_the_items_congress_reopen_it_from_the_detail_page(
    client, pw, world, personas
):
    suggestion = rated(pw, world, personas)
    called_back(suggestion)
    client.force_login(personas.county_staff)
    detail = reverse("proposals:detail", args=[suggestion.pk])
    html = client.get(detail).content.decode()
    assert "代表实际不满意" in html and url(suggestion) in html
    response = client.post(url(suggestion), {"reason": "请重新核实"})
    assert response.status_code == 302 and response["Location"] == detail
    assert messages_of(response) == ["已根据回访结果交承办单位重新办理（第2轮）。"]
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.REHANDLING
    # Not offered any more; posting again is the no-op.
    assert url(suggestion) not in client.get(detail).content.decode()
    assert client.post(url(suggestion)).status_code == 302
    assert client.get(url(suggestion)).status_code == 405


def test_a_refused_reopening_comes_back_as_a_message(client, pw, world, personas):
    suggestion = rated(pw, world, personas)
    client.force_login(personas.county_staff)
    assert (
        url(suggestion)
        not in client.get(
            reverse("proposals:detail", args=[suggestion.pk])
        ).content.decode()
    )
    response = client.post(url(suggestion))
    assert response.status_code == 302
    assert messages_of(response) == [
        "只有回访发现领衔代表对本轮办理实际不满意的，才能重新办理；"
        "该建议没有这样的回访结论。"
    ]
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.CLOSED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("province_staff", 403),  # a congress above supervises, does not act
        ("leader", 403),  # reads the item, takes no workflow step
        ("deputy", 403),  # the lead deputy rates, does not reopen
        ("unit_staff", 403),  # the unit handles what it is given
        ("other_county_staff", 404),  # another county: out of scope
        ("township_staff", 404),  # a congress below does not see the county's items
        ("other_deputy", 404),
        ("nobody", 404),
    ],
)
def test_nobody_else_may_reopen(client, pw, world, personas, who, status):
    suggestion = rated(pw, world, personas)
    called_back(suggestion)
    client.force_login(getattr(personas, who))
    assert client.post(url(suggestion)).status_code == status
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.CLOSED


def test_anonymous_is_sent_to_log_in(client, pw, world, personas):
    suggestion = rated(pw, world, personas)
    called_back(suggestion)
    response = client.post(url(suggestion))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_callbacks_page_records_the_finding(client, pw, world, personas):
    suggestion = rated(pw, world, personas)
    services.evaluations_sample_for_callback(
        congress=pw.congress, year=suggestion.year, size=5, actor=None
    )
    evaluation = suggestion.evaluations.get()
    client.force_login(personas.county_staff)
    page = client.get(reverse("proposals:callbacks")).content.decode()
    assert 'name="finding" value="not_satisfied"' in page
    record = reverse("proposals:callback_record", args=[evaluation.pk])
    response = client.post(record, {"note": "没有写结论"})
    assert messages_of(response) == ["请选择回访结论并填写回访情况。"]
    response = client.post(
        record, {"note": "代表说路还没修", "finding": "not_satisfied"}
    )
    assert messages_of(response)[-1:] == [
        "回访情况已记录：代表实际不满意，该评价已标记；"
        "本级人大工作人员可以在详情页安排重新办理。"
    ]
    evaluation.refresh_from_db()
    assert evaluation.callback_finding == NOT_SATISFIED
    page = client.get(reverse("proposals:callbacks")).content.decode()
    assert '<span class="badge badge--danger">代表实际不满意</span>' in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_staff_reopening_at_once_reopen_once(pw, world, personas):
    """The row lock: the second request waits, then finds the item reopened."""
    import threading

    from django.db import connection

    suggestion = rated(pw, world, personas)
    called_back(suggestion)
    barrier = threading.Barrier(2)
    outcomes: list[int] = []

    def reopen():
        barrier.wait(timeout=10)
        try:
            done = services.suggestion_rehandle_after_callback(
                suggestion=suggestion, actor=personas.county_staff
            )
            outcomes.append(done.round)
        finally:
            connection.close()

    threads = [threading.Thread(target=reopen) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == [2, 2]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.round) == (S.REHANDLING, 2)
    assert suggestion.events.filter(action="rehandle_callback").count() == 1
    assert suggestion.assignments.filter(round=2).count() == 2
    assert AuditEvent.objects.filter(action="ledger.revoke").count() == 1
