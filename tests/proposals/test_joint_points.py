"""Points for joint work (issue 19): co-signing (联名、附议) a registered bill or
suggestion, and leading a suggestion merged (并案) into a registered one — from
the points table, each once, written where the lead's registration points are."""

import pytest
from django.utils import timezone

from deputies.models import LedgerEntry
from portal.models import RuleSet
from portal.services import rule_set_update
from proposals import services
from proposals.models import Suggestion
from tests.factories import UserFactory

from .conftest import draft, registered

pytestmark = pytest.mark.django_db


def ledger(mandate) -> list[tuple[str, int]]:
    return sorted(
        LedgerEntry.objects.filter(mandate=mandate).values_list("kind", "points")
    )


def confirmed(suggestion, mandates):
    for c in suggestion.cosigners.select_related("mandate__person"):
        if c.mandate in mandates:
            c.mandate.person.user = c.mandate.person.user or UserFactory()
            c.mandate.person.save()
            services.cosigner_respond(
                cosigner=c, accept=True, actor=c.mandate.person.user
            )


def submitted(pw, **extra):
    suggestion = draft(pw, **extra)
    return services.suggestion_submit(suggestion=suggestion, actor=None)


def by_other(**extra):
    """Fields of a suggestion by ``pw.other_deputy``, based on a research note."""
    return {
        "research_activities": [],
        "research_note": "走访农户二十户",
        "research_date": timezone.localdate(),
        "research_place": "桃花村",
        "research_people": "村民、村干部",
        **extra,
    }


def test_confirmed_cosigners_of_a_registered_suggestion_earn_points(pw):
    signers = pw.cosigners[:3]
    suggestion = draft(pw, co_signers=signers)
    confirmed(suggestion, signers[:2])  # the third never confirms
    services.suggestion_submit(suggestion=suggestion, actor=None)
    assert not LedgerEntry.objects.exists()  # nothing before registration
    services.suggestion_register(suggestion=suggestion, actor=None)
    assert ledger(pw.lead) == [("suggestion_registered", 3)]
    assert ledger(signers[0]) == [("suggestion_cosigned", 1)]
    assert ledger(signers[1]) == [("suggestion_cosigned", 1)]
    assert ledger(signers[2]) == []
    entry = LedgerEntry.objects.get(mandate=signers[0])
    assert entry.object_id == str(suggestion.pk)
    assert entry.occurred_on == timezone.localdate()


def test_registering_again_writes_nothing_more(pw):
    signers = pw.cosigners[:2]
    suggestion = draft(pw, co_signers=signers)
    confirmed(suggestion, signers)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)  # the no-op
    assert LedgerEntry.objects.count() == 3


def test_cosigners_points_come_from_the_congress_table(pw):
    rule_set = RuleSet.objects.create(congress=pw.congress, name="县规则")
    rule_set_update(
        rule_set=rule_set, values={"points": {"suggestion_cosigned": 2}}, actor=None
    )
    signers = pw.cosigners[:1]
    suggestion = draft(pw, co_signers=signers)
    confirmed(suggestion, signers)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    assert ledger(signers[0]) == [("suggestion_cosigned", 2)]
    # The override changed one item; the lead's keeps its default.
    assert ledger(pw.lead) == [("suggestion_registered", 3)]


def test_cosigners_of_a_bill_on_the_agenda_earn_the_bill_points(pw):
    from .test_bills_levels import _submitted_bill

    bill = _submitted_bill(pw)
    services.bill_decide(suggestion=bill, decision="agenda", actor=None)
    assert ledger(pw.lead) == [("bill_registered", 5)]
    assert {tuple(ledger(m)) for m in pw.cosigners[:9]} == {(("bill_cosigned", 2),)}
    services.bill_decide(suggestion=bill, decision="agenda", actor=None)
    assert LedgerEntry.objects.count() == 10


def test_a_bill_handled_as_a_suggestion_earns_the_suggestion_points(pw):
    from .test_bills_levels import _submitted_bill

    bill = _submitted_bill(pw)
    services.bill_decide(suggestion=bill, decision="not_agenda", actor=None)
    assert ledger(pw.lead) == [("suggestion_registered", 3)]
    assert ledger(pw.cosigners[0]) == [("suggestion_cosigned", 1)]


def test_the_lead_of_a_suggestion_merged_into_a_registered_one_earns_points(pw):
    into = registered(pw, title="关于农村公路养护的建议")
    child = submitted(pw, **by_other(lead=pw.other_deputy))
    services.suggestion_merge(suggestion=child, into=into, actor=None)
    assert ledger(pw.other_deputy) == [("suggestion_merged", 2)]
    services.suggestion_merge(suggestion=child, into=into, actor=None)  # the no-op
    assert ledger(pw.other_deputy) == [("suggestion_merged", 2)]
    assert into.events.filter(action="merge_in").count() == 1


def test_merged_into_a_submitted_one_earns_when_it_is_registered(pw):
    into = submitted(pw)
    child = submitted(pw, **by_other(lead=pw.other_deputy))
    services.suggestion_merge(suggestion=child, into=into, actor=None)
    assert ledger(pw.other_deputy) == []
    services.suggestion_register(suggestion=into, actor=None)
    assert ledger(pw.other_deputy) == [("suggestion_merged", 2)]
    assert ledger(pw.lead) == [("suggestion_registered", 3)]


def test_merged_into_one_never_registered_earns_nothing(pw):
    into = submitted(pw)
    child = submitted(pw, **by_other(lead=pw.other_deputy))
    services.suggestion_merge(suggestion=child, into=into, actor=None)
    services.suggestion_reject(suggestion=into, reason="不属于本级职权", actor=None)
    assert ledger(pw.other_deputy) == []


def test_a_registered_suggestion_merged_later_keeps_only_its_registration_points(pw):
    into = registered(pw)
    child = registered(pw, **by_other(lead=pw.other_deputy))
    services.suggestion_merge(suggestion=child, into=into, actor=None)
    assert ledger(pw.other_deputy) == [("suggestion_registered", 3)]


def test_withdrawal_after_registration_takes_no_points_back(pw):
    """No transition undoes a registration: withdrawing (the lead's own act)
    leaves the points the registration earned, the lead's as the co-signers'."""
    signers = pw.cosigners[:1]
    suggestion = draft(pw, co_signers=signers)
    confirmed(suggestion, signers)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_withdraw(suggestion=suggestion, actor=None)
    assert Suggestion.objects.get(pk=suggestion.pk).status == "withdrawn"
    assert ledger(signers[0]) == [("suggestion_cosigned", 1)]
    registered_from = {
        state
        for state, following in Suggestion.TRANSITIONS.items()
        if Suggestion.Status.REGISTERED in following
    }
    assert registered_from == {"submitted", "committee_review"}


def test_points_of_an_old_rule_set_without_the_new_items(pw, world):
    """A rule set saved before the new items existed (its whole table written
    out, as the national row was seeded) still awards them from the defaults."""
    national = RuleSet.objects.get(congress=None, level="")
    old_table = {
        k: v
        for k, v in national.values["points"].items()
        if k not in ("suggestion_cosigned", "bill_cosigned", "suggestion_merged")
    }
    RuleSet.objects.filter(pk=national.pk).update(
        values={**national.values, "points": old_table}
    )
    signers = pw.cosigners[:1]
    suggestion = draft(pw, co_signers=signers)
    confirmed(suggestion, signers)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    assert ledger(signers[0]) == [("suggestion_cosigned", 1)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_at_once_award_each_cosigner_once(pw):
    """Two staff members register the same suggestion at the same moment: the
    row lock makes the second a no-op, and the ledger keys keep every award
    single (ON CONFLICT DO NOTHING for the co-signers' bulk insert)."""
    import threading

    from django.db import connection

    signers = pw.cosigners[:5]
    suggestion = draft(pw, co_signers=signers)
    confirmed(suggestion, signers)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def register():
        barrier.wait(timeout=10)
        try:
            services.suggestion_register(suggestion=suggestion, actor=None)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert LedgerEntry.objects.filter(kind="suggestion_cosigned").count() == 5
    assert LedgerEntry.objects.filter(kind="suggestion_registered").count() == 1
    assert Suggestion.objects.get(pk=suggestion.pk).number is not None
