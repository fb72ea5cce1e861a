"""The one transition helper (portal.workflow), on a mandate and its qualification
events: allowed, the no-op, the refusal with its reason, the row, the fields."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from deputies.models import Mandate, QualificationEvent
from portal import workflow
from portal.services import TransitionError
from tests.factories import CongressFactory, UserFactory, make_mandate

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)
TERMINATED_REASON = gettext_lazy("代表资格已终止，不能再变更。")


@pytest.fixture
def mandate(db):
    congress = CongressFactory(term_number=19, term_start=date(2026, 9, 25))
    return make_mandate(congress, "王小明")


def _locked(mandate: Mandate) -> Mandate:
    return Mandate.objects.select_for_update().get(pk=mandate.pk)


def _move(locked: Mandate, to: str, actor=None, **kwargs) -> bool:
    kwargs.setdefault("refuse", lambda m, target: TERMINATED_REASON)
    return workflow.transition(
        locked,
        to=to,
        actor=actor,
        event_model=QualificationEvent,
        event_fields={
            "mandate": locked,
            "kind": "terminate",
            "ground": "resigned",
            "date": DAY,
        },
        **kwargs,
    )


def test_allowed_move_sets_the_state_and_writes_the_row(mandate):
    staff = UserFactory(username="county_staff")
    with transaction.atomic():
        locked = _locked(mandate)
        moved = _move(
            locked,
            Mandate.Status.TERMINATED,
            actor=staff,
            note="辞职被接受",
        )
    assert moved is True
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.TERMINATED
    event = QualificationEvent.objects.get(mandate=mandate)
    assert (event.from_state, event.to_state, event.actor, event.note) == (
        "active",
        "terminated",
        staff,
        "辞职被接受",
    )
    assert (event.kind, event.ground, event.date) == ("terminate", "resigned", DAY)
    assert event.created_at is not None


def test_timestamps_and_changes_are_saved_with_the_state(mandate):
    with transaction.atomic():
        locked = _locked(mandate)
        _move(
            locked,
            Mandate.Status.TERMINATED,
            timestamps={"ended_on": DAY},
            changes={"card_number": "C-END"},
        )
    mandate.refresh_from_db()
    assert (mandate.status, mandate.ended_on, mandate.card_number) == (
        "terminated",
        DAY,
        "C-END",
    )


def test_only_the_moved_fields_are_saved(mandate):
    with transaction.atomic():
        locked = _locked(mandate)
        locked.card_number = "not saved"
        _move(locked, Mandate.Status.SUSPENDED)
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.SUSPENDED
    assert mandate.card_number != "not saved"


def test_same_state_is_a_no_op_that_writes_nothing(mandate, django_assert_num_queries):
    with transaction.atomic():
        locked = _locked(mandate)
        with django_assert_num_queries(0):
            moved = _move(locked, Mandate.Status.ACTIVE)
    assert moved is False
    assert not QualificationEvent.objects.filter(mandate=mandate).exists()


def test_move_the_map_does_not_allow_is_refused_with_the_reason(mandate):
    with transaction.atomic():
        _move(_locked(mandate), Mandate.Status.TERMINATED)
    with (
        transaction.atomic(),
        pytest.raises(TransitionError, match="^代表资格已终止，不能再变更。$") as err,
    ):
        _move(_locked(mandate), Mandate.Status.SUSPENDED)
    assert err.value.conflict is True
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.TERMINATED
    assert QualificationEvent.objects.filter(mandate=mandate).count() == 1


def test_lazy_reason_is_rendered_in_the_request_language(mandate):
    with transaction.atomic():
        _move(_locked(mandate), Mandate.Status.TERMINATED)
    with (
        translation.override("en"),
        transaction.atomic(),
        pytest.raises(TransitionError) as err,
    ):
        _move(_locked(mandate), Mandate.Status.ACTIVE)
    assert err.value.message == (
        "The deputyship has been terminated and can no longer be changed."
    )


def test_without_a_reason_the_refusal_is_generic(mandate):
    with (
        transaction.atomic(),
        pytest.raises(TransitionError, match="^当前状态不允许此操作。$"),
    ):
        _move(
            _locked(mandate),
            Mandate.Status.EXPIRED,
            allowed={Mandate.Status.ACTIVE: {Mandate.Status.SUSPENDED}},
            refuse=None,
        )


def test_another_field_and_map(mandate):
    """``field`` and ``allowed`` name any state column and its map."""
    with transaction.atomic():
        locked = _locked(mandate)
        moved = _move(
            locked,
            "C2",
            field="card_number",
            allowed={locked.card_number: {"C2"}},
        )
    assert moved is True
    mandate.refresh_from_db()
    assert (mandate.card_number, mandate.status) == ("C2", Mandate.Status.ACTIVE)
    event = QualificationEvent.objects.get(mandate=mandate)
    assert event.to_state == "C2"


def test_anonymous_actor_is_recorded_as_nobody(mandate):
    with transaction.atomic():
        _move(_locked(mandate), Mandate.Status.SUSPENDED, actor=AnonymousUser())
    assert QualificationEvent.objects.get(mandate=mandate).actor is None


def test_check_says_whether_a_move_is_needed(mandate):
    assert workflow.check(mandate, to=Mandate.Status.SUSPENDED) is True
    assert workflow.check(mandate, to=Mandate.Status.ACTIVE) is False
    with pytest.raises(TransitionError, match="^暂停 refused from active$"):
        workflow.check(
            mandate,
            to=Mandate.Status.SUSPENDED,
            allowed={Mandate.Status.ACTIVE: set()},
            refuse=lambda m, target: f"暂停 refused from {m.status}",
        )
    assert not QualificationEvent.objects.filter(mandate=mandate).exists()


@pytest.mark.django_db(transaction=True)
def test_outside_the_callers_transaction_nothing_moves():
    congress = CongressFactory(term_number=19, term_start=date(2026, 9, 25))
    mandate = make_mandate(congress, "李四")
    with pytest.raises(RuntimeError, match="transaction"):
        _move(mandate, Mandate.Status.SUSPENDED)
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE
    assert not QualificationEvent.objects.filter(mandate=mandate).exists()
