"""Qualification transitions (代表法第四十九、五十条) and the shared 'may act' check."""

from datetime import date

import pytest

from deputies import services
from deputies.models import Mandate, QualificationEvent
from portal.models import AuditEvent
from portal.services import DomainError, TransitionError
from tests.factories import CongressFactory, make_mandate

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 20)
DOC = "县人大常委会公告〔2026〕第3号"


@pytest.fixture
def congress(world):
    return CongressFactory(
        region=world.township2, term_number=19, term_start=date(2026, 9, 25)
    )


@pytest.fixture
def mandate(congress):
    return make_mandate(congress, "王小明")


def test_suspend_records_event_and_audit(mandate, personas):
    result = services.mandate_suspend(
        mandate=mandate,
        ground="detained",
        on=DAY,
        document_number=DOC,
        actor=personas.county_staff,
    )
    assert result.status == Mandate.Status.SUSPENDED
    event = QualificationEvent.objects.get(mandate=mandate)
    assert (event.kind, event.ground, event.from_state, event.to_state) == (
        "suspend",
        "detained",
        "active",
        "suspended",
    )
    audit = AuditEvent.objects.get(action="mandate.suspend")
    assert audit.actor == personas.county_staff
    assert (audit.from_state, audit.to_state) == ("active", "suspended")


def test_suspend_twice_is_a_no_op(mandate):
    services.mandate_suspend(mandate=mandate, ground="detained", on=DAY, actor=None)
    services.mandate_suspend(mandate=mandate, ground="detained", on=DAY, actor=None)
    assert QualificationEvent.objects.filter(mandate=mandate).count() == 1


def test_suspend_needs_a_legal_ground(mandate):
    with pytest.raises(DomainError, match="暂停执行代表职务的法定事由不正确"):
        services.mandate_suspend(mandate=mandate, ground="resigned", on=DAY, actor=None)
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.ACTIVE


def test_restore_after_suspension(mandate):
    services.mandate_suspend(
        mandate=mandate, ground="serving_sentence", on=DAY, actor=None
    )
    restored = services.mandate_restore(
        mandate=mandate, on=date(2026, 12, 1), actor=None
    )
    assert restored.status == Mandate.Status.ACTIVE
    assert list(QualificationEvent.objects.values_list("kind", flat=True)) == [
        "suspend",
        "restore",
    ]


def test_restore_of_an_active_mandate_is_a_no_op(mandate):
    services.mandate_restore(mandate=mandate, on=DAY, actor=None)
    assert not QualificationEvent.objects.exists()


def test_terminate_needs_the_announcement_number(mandate):
    with pytest.raises(DomainError, match="代表资格终止须填写公告编号"):
        services.mandate_terminate(
            mandate=mandate, ground="resigned", on=DAY, document_number=" ", actor=None
        )


def test_terminate_needs_one_of_seven_grounds(mandate):
    with pytest.raises(DomainError, match="代表资格终止的法定事由不正确"):
        services.mandate_terminate(
            mandate=mandate, ground="detained", on=DAY, document_number=DOC, actor=None
        )


@pytest.mark.parametrize("start", ["active", "suspended"])
def test_terminate_from_active_or_suspended(mandate, start):
    if start == "suspended":
        services.mandate_suspend(mandate=mandate, ground="detained", on=DAY, actor=None)
    result = services.mandate_terminate(
        mandate=mandate, ground="moved_away", on=DAY, document_number=DOC, actor=None
    )
    assert result.status == Mandate.Status.TERMINATED
    assert result.ended_on == DAY
    assert QualificationEvent.objects.filter(
        kind="terminate", document_number=DOC
    ).exists()


def test_a_terminated_mandate_cannot_be_suspended_or_restored(mandate):
    services.mandate_terminate(
        mandate=mandate, ground="recalled", on=DAY, document_number=DOC, actor=None
    )
    with pytest.raises(TransitionError, match="代表资格已终止，不能暂停执行代表职务"):
        services.mandate_suspend(mandate=mandate, ground="detained", on=DAY, actor=None)
    with pytest.raises(TransitionError, match="不能恢复执行代表职务"):
        services.mandate_restore(mandate=mandate, on=DAY, actor=None)


def test_an_expired_mandate_cannot_be_terminated(mandate):
    services.mandate_expire(mandate=mandate, on=DAY, actor=None)
    with pytest.raises(TransitionError, match="代表任期已届满，不能再变更"):
        services.mandate_terminate(
            mandate=mandate, ground="resigned", on=DAY, document_number=DOC, actor=None
        )


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("schedule", "安排接待"),
        ("submit", "提交议案建议"),
        ("co_sign", "联名"),
        ("vote", "参加表决"),
    ],
)
def test_suspended_deputy_may_not_act(mandate, action, label):
    services.ensure_mandate_can(mandate, action)  # active: allowed
    services.mandate_suspend(mandate=mandate, ground="detained", on=DAY, actor=None)
    mandate.refresh_from_db()
    with pytest.raises(DomainError, match=f"王小明已暂停执行代表职务，不能{label}"):
        services.ensure_mandate_can(mandate, action)


def test_terminated_deputy_may_not_vote(mandate):
    services.mandate_terminate(
        mandate=mandate, ground="resigned", on=DAY, document_number=DOC, actor=None
    )
    mandate.refresh_from_db()
    with pytest.raises(DomainError, match="王小明的代表资格已终止，不能参加表决"):
        services.ensure_mandate_can(mandate, "vote")
