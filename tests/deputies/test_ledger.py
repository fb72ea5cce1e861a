"""The performance ledger: points from the rule set, once per event; archive and ranking."""

from datetime import date

import pytest

from deputies import services
from deputies.archive import performance_archive, zero_performance
from deputies.models import Attendance, LedgerEntry, Mandate
from portal.models import RuleSet
from portal.services import DomainError, TransitionError, rule_set_update
from tests.factories import CongressFactory, make_mandate

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress(world):
    return CongressFactory(
        region=world.township2, term_number=19, term_start=date(2026, 9, 25)
    )


@pytest.fixture
def deputies(congress):
    return [make_mandate(congress, name) for name in ["丁一", "王五", "李四"]]


def test_points_come_from_the_rule_set(deputies):
    entry = services.ledger_record(
        mandate=deputies[0],
        kind="research",
        occurred_on=date(2026, 11, 1),
        key="k",
        actor=None,
    )
    assert entry.points == 3
    assert entry.year == 2026


def test_a_congress_override_changes_the_points(congress, deputies):
    rule_set = RuleSet.objects.create(congress=congress, name="乡规则")
    rule_set_update(rule_set=rule_set, values={"points": {"research": 10}}, actor=None)
    entry = services.ledger_record(
        mandate=deputies[0],
        kind="research",
        occurred_on=date(2026, 11, 1),
        key="k",
        actor=None,
    )
    assert entry.points == 10


def test_the_same_event_counts_once(deputies):
    services.ledger_record(
        mandate=deputies[0],
        kind="research",
        occurred_on=date(2026, 11, 1),
        key="k",
        actor=None,
    )
    assert (
        services.ledger_record(
            mandate=deputies[0],
            kind="research",
            occurred_on=date(2026, 11, 1),
            key="k",
            actor=None,
        )
        is None
    )
    assert LedgerEntry.objects.count() == 1


def test_unknown_kind_is_refused(deputies):
    with pytest.raises(DomainError, match="积分表中没有"):
        services.ledger_record(
            mandate=deputies[0],
            kind="nonsense",
            occurred_on=date(2026, 11, 1),
            key="k",
            actor=None,
        )


def test_approving_an_activity_awards_attendees_and_deducts_unexcused_absence(
    congress, deputies, personas
):
    activity = services.activity_create(
        congress=congress,
        kind="inspection",
        title="视察",
        date=date(2026, 11, 3),
        participants=deputies,
        actor=None,
    )
    services.attendance_set(
        activity=activity,
        mandate=deputies[0],
        status=Attendance.Status.ATTENDED,
        actor=None,
    )
    services.attendance_set(
        activity=activity,
        mandate=deputies[1],
        status=Attendance.Status.EXCUSED,
        actor=None,
    )
    services.attendance_set(
        activity=activity,
        mandate=deputies[2],
        status=Attendance.Status.ABSENT,
        actor=None,
    )
    services.activity_review(
        activity=activity, approve=True, actor=personas.township_staff
    )
    points = dict(LedgerEntry.objects.values_list("mandate_id", "points"))
    assert points == {deputies[0].pk: 3, deputies[2].pk: -5}
    # approving again changes nothing
    services.activity_review(activity=activity, approve=True, actor=None)
    assert LedgerEntry.objects.count() == 2
    with pytest.raises(TransitionError, match="活动已审核"):
        services.attendance_set(
            activity=activity, mandate=deputies[1], status="attended", actor=None
        )


def test_returning_an_activity_needs_a_reason_and_awards_nothing(congress, deputies):
    activity = services.activity_create(
        congress=congress,
        kind="research",
        title="调研",
        date=date(2026, 11, 3),
        participants=deputies,
        actor=None,
    )
    with pytest.raises(DomainError, match="退回须说明理由"):
        services.activity_review(activity=activity, approve=False, actor=None)
    services.activity_review(
        activity=activity, approve=False, note="缺少佐证材料", actor=None
    )
    assert not LedgerEntry.objects.exists()


def test_deputy_confirms_only_own_attendance(congress, personas):
    own = make_mandate(congress, "赵六", user=personas.deputy)
    other = make_mandate(congress, "钱七")
    activity = services.activity_create(
        congress=congress,
        kind="training",
        title="培训",
        date=date(2026, 11, 3),
        participants=[own, other],
        actor=None,
    )
    mine = activity.attendances.get(mandate=own)
    services.attendance_confirm(attendance=mine, actor=personas.deputy)
    mine.refresh_from_db()
    assert mine.confirmed_at is not None and mine.status == "attended"
    with pytest.raises(DomainError, match="只能确认本人的出席记录"):
        services.attendance_confirm(
            attendance=activity.attendances.get(mandate=other), actor=personas.deputy
        )


def test_archive_totals_and_ranking(congress, deputies):
    a, b, c = deputies
    for kind, mandate in [("research", a), ("inspection", a), ("training", b)]:
        services.ledger_record(
            mandate=mandate,
            kind=kind,
            occurred_on=date(2026, 5, 1),
            key=f"{kind}{mandate.pk}",
            actor=None,
        )
    services.ledger_record(
        mandate=c, kind="research", occurred_on=date(2025, 5, 1), key="old", actor=None
    )
    archive = performance_archive(a, 2026)
    assert archive.total == 6
    assert archive.rankings[0].rank == 1 and archive.rankings[0].size == 3
    assert performance_archive(b, 2026).rankings[0].rank == 2
    assert performance_archive(c, 2026).is_zero_performance
    assert list(zero_performance(Mandate.objects.filter(congress=congress), 2026)) == [
        c
    ]


def test_voter_report_scores(deputies):
    services.voter_report_create(
        mandate=deputies[0],
        date=date(2026, 11, 22),
        venue="村委会",
        text="述职内容",
        satisfied=30,
        basically_satisfied=2,
        dissatisfied=1,
        actor=None,
    )
    assert LedgerEntry.objects.get().kind == "report_to_voters"
