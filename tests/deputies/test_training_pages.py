"""Training pages (issue 16): courses, enrolment and attendance (staff), my
training (deputy); scoping and constant queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deputies import session_services as ss
from deputies.models import Enrolment, LedgerEntry, TrainingCourse

pytestmark = pytest.mark.django_db


def _course(congress, title="专题培训", start=None):
    start = start or timezone.localdate()
    return ss.course_create(
        congress=congress, title=title, kind="topical", organiser="县人大常委会",
        start_date=start, end_date=start, hours=Decimal("6"), half_days=2, actor=None,
    )  # fmt: skip


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_course_list_scoped_and_constant(client, personas, world, deputies):
    client.force_login(personas.county_staff)
    url = reverse("deputies:course_list")
    _course(world.county_congress)
    one = _queries(client, url)
    for i in range(3):
        _course(world.county_congress, f"培训{i}")
    assert _queries(client, url) == one
    client.force_login(personas.other_county_staff)
    assert "专题培训" not in client.get(url).content.decode()
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403


def test_create_enrol_and_record_through_the_pages(client, personas, world, deputies):
    client.force_login(personas.county_staff)
    today = timezone.localdate()
    response = client.post(
        reverse("deputies:course_create") + f"?congress={world.county_congress.pk}",
        {
            "title": "初任培训", "kind": "initial", "organiser": "县人大常委会选联工委",
            "start_date": today.isoformat(), "end_date": today.isoformat(),
            "hours": "6", "half_days": "2",
        },
    )  # fmt: skip
    assert response.status_code == 302
    course = TrainingCourse.objects.get()
    client.post(
        reverse("deputies:course_enrol", args=[course.pk]),
        {"mandates": [deputies.own.pk, deputies.county[0].pk]},
    )
    assert course.enrolments.count() == 2
    mine = course.enrolments.get(mandate=deputies.own)
    other = course.enrolments.get(mandate=deputies.county[0])
    client.post(
        reverse("deputies:course_attendance", args=[course.pk]),
        {f"s_{mine.pk}": "attended", f"h_{mine.pk}": "2",
         f"s_{other.pk}": "absent", f"h_{other.pk}": "0"},
    )  # fmt: skip
    assert LedgerEntry.objects.get(kind="training_half_day").points == 2
    # The deputy sees the course with their own enrolment only.
    client.force_login(personas.deputy)
    page = client.get(
        reverse("deputies:course_detail", args=[course.pk])
    ).content.decode()
    assert "张桂英" in page and "王建国" not in page
    assert (
        client.post(reverse("deputies:course_enrol", args=[course.pk])).status_code
        == 403
    )
    assert "初任培训" in client.get(reverse("deputies:my_training")).content.decode()
    client.force_login(personas.other_deputy)
    assert (
        client.get(reverse("deputies:course_detail", args=[course.pk])).status_code
        == 404
    )
    client.force_login(personas.other_county_staff)
    assert (
        client.post(reverse("deputies:course_attendance", args=[course.pk])).status_code
        == 404
    )


def test_course_detail_constant_queries(client, personas, world, deputies):
    course = _course(
        world.county_congress, start=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(personas.county_staff)
    url = reverse("deputies:course_detail", args=[course.pk])
    ss.course_enrol(course=course, mandates=deputies.county[:1], actor=None)
    one = _queries(client, url)
    ss.course_enrol(course=course, mandates=deputies.county[1:4], actor=None)
    assert _queries(client, url) == one
    assert Enrolment.objects.count() == 4
