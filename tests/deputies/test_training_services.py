"""Training (大培训, issue 16): courses, enrolment, attendance points per
half-day, coverage and initial training overdue."""

from datetime import date
from decimal import Decimal

import pytest

from deputies import session_selectors as selectors
from deputies import session_services as ss
from deputies.models import LedgerEntry, Mandate
from portal.models import RuleSet
from portal.services import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world, terms):
    return ss.course_create(
        congress=world.county_congress,
        title="初任培训",
        kind="initial",
        organiser="县人大常委会选联工委",
        start_date=date(2026, 11, 3),
        end_date=date(2026, 11, 4),
        hours=Decimal("12"),
        half_days=4,
        actor=None,
    )


def test_attendance_points_per_half_day_from_the_rule_set(course, deputies, world):
    RuleSet.objects.create(
        congress=world.county_congress, values={"points": {"training_half_day": 3}}
    )
    ss.course_enrol(course=course, mandates=deputies.county[:2], actor=None)
    a, b = course.enrolments.order_by("pk")
    ss.enrolment_record(
        course=course,
        changes=[(a, "attended", 3), (b, "absent", 2)],
        actor=None,
        today=date(2026, 11, 4),
    )
    assert list(
        LedgerEntry.objects.filter(kind="training_half_day").values_list(
            "points", flat=True
        )
    ) == [9]
    b.refresh_from_db()
    assert b.half_days_attended == 0
    # A correction replaces the points.
    a.refresh_from_db()
    ss.enrolment_record(
        course=course, changes=[(a, "attended", 4)], actor=None, today=date(2026, 11, 4)
    )
    assert list(
        LedgerEntry.objects.filter(kind="training_half_day").values_list(
            "points", flat=True
        )
    ) == [12]


def test_half_days_beyond_the_course_are_refused(course, deputies):
    ss.course_enrol(course=course, mandates=deputies.county[:1], actor=None)
    enrolment = course.enrolments.get()
    with pytest.raises(DomainError) as exc:
        ss.enrolment_record(
            course=course, changes=[(enrolment, "attended", 5)], actor=None,
            today=date(2026, 11, 4),
        )  # fmt: skip
    assert exc.value.message == "王建国的参训半天数应在1至4之间。"


def test_enrolment_limited_to_the_region(course, deputies):
    with pytest.raises(DomainError) as exc:
        ss.course_enrol(course=course, mandates=[deputies.other_county], actor=None)
    assert exc.value.message == "陈飞不是本级或下级人大的代表。"
    # A township deputy below the county may attend the county's course.
    assert ss.course_enrol(course=course, mandates=[deputies.township], actor=None) == 1


def test_coverage_by_congress(course, deputies, personas):
    ss.course_enrol(course=course, mandates=deputies.county[:3], actor=None)
    changes = [(e, "attended", 4) for e in course.enrolments.all()]
    ss.enrolment_record(
        course=course, changes=changes, actor=None, today=date(2026, 11, 4)
    )
    rows = {
        r["congress"]: (r["numerator"], r["denominator"])
        for r in selectors.training_coverage(personas.county_staff)
    }
    county = course.congress.name
    assert rows[county] == (3, 6)


def test_initial_training_overdue_after_the_rule_months(course, deputies, world):
    congress = world.county_congress
    # Term started 2026-10-20; 12 months later nobody trained is overdue.
    late = selectors.initial_training_overdue([congress], today=date(2027, 11, 1))
    assert late.count() == 6
    assert (
        selectors.initial_training_overdue([congress], today=date(2027, 1, 1)).count()
        == 0
    )
    ss.course_enrol(course=course, mandates=[deputies.own], actor=None)
    ss.enrolment_record(
        course=course, changes=[(course.enrolments.get(), "attended", 4)], actor=None,
        today=date(2026, 11, 4),
    )  # fmt: skip
    late = selectors.initial_training_overdue([congress], today=date(2027, 11, 1))
    assert deputies.own.pk not in set(late.values_list("pk", flat=True))
    RuleSet.objects.create(congress=congress, values={"initial_training_months": 24})
    assert (
        selectors.initial_training_overdue([congress], today=date(2027, 11, 1)).count()
        == 0
    )
    assert Mandate.objects.filter(congress=congress).count() == 6
