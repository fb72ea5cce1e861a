"""Notifications exist once per key; only the recipient sees them."""

import pytest
from django.db import transaction

from portal import services
from portal.models import Notification

pytestmark = pytest.mark.django_db


def make(user, key="k1", **extra):
    return services.notification_create(
        recipient=user, kind="test", key=key, title="测试提醒", **extra, actor=None
    )


def test_a_key_creates_one_row_only(personas):
    first = make(personas.deputy)
    assert first is not None
    assert make(personas.deputy) is None
    assert Notification.objects.filter(key="k1").count() == 1


def test_a_duplicate_does_not_break_the_callers_transaction(personas):
    make(personas.deputy)
    with transaction.atomic():
        assert make(personas.deputy) is None
        second = make(personas.deputy, key="k2")
    assert second is not None
    assert Notification.objects.count() == 2


def test_in_app_is_sent_at_once_and_email_waits_for_sending(personas):
    assert make(personas.deputy).status == Notification.Status.SENT
    email = make(personas.deputy, key="k2", channel=Notification.Channel.EMAIL)
    assert email.status == Notification.Status.PENDING
    assert email.sent_at is None


def test_only_the_recipient_sees_a_notification(personas):
    make(personas.deputy)
    assert Notification.objects.visible_to(personas.deputy).count() == 1
    assert Notification.objects.visible_to(personas.other_deputy).count() == 0
    assert Notification.objects.visible_to(personas.admin).count() == 0


def test_mark_read_touches_only_the_users_own(personas):
    own = make(personas.deputy)
    other = make(personas.other_deputy, key="k2")
    assert (
        services.notification_mark_read(
            actor=personas.deputy, notification_ids=[own.pk, other.pk]
        )
        == 1
    )
    other.refresh_from_db()
    assert other.read_at is None
    assert Notification.objects.visible_to(personas.deputy).unread().count() == 0


def test_target_is_recorded(personas, world):
    note = make(personas.county_staff, target=world.county_congress)
    assert note.target == world.county_congress


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [(20, None), (16, None), (15, 15), (9, 15), (6, 15), (5, 5), (3, 5), (0, 5)],
)
def test_the_tightest_milestone_reached_is_the_one_to_send(days_left, expected):
    from portal.notifications import tightest_milestone

    assert tightest_milestone(days_left, [15, 5]) == expected
    assert tightest_milestone(days_left, [5, 15]) == expected  # any rule order


def test_notifications_about_a_target(personas, world):
    make(personas.deputy, key="a", target=world.county_congress)
    make(personas.leader, key="b", target=world.county_congress)
    make(personas.deputy, key="c", target=world.other_county_congress)
    about = Notification.objects.about(world.county_congress)
    assert sorted(about.values_list("key", flat=True)) == ["a", "b"]


def test_every_reminder_rule_cites_its_source():
    from portal.rules import SPECS

    reminders = [s for s in SPECS.values() if str(s.group) == "提醒"]
    assert {s.key for s in reminders} >= {"reminder_due_days", "visit_reminder_days"}
    assert all(str(s.source) for s in reminders)
    assert SPECS["visit_reminder_days"].default == 1


def test_a_notification_links_to_what_it_is_about(personas, world):
    """Without an explicit url, the target's page (issue 18: notifications had
    no link to the thing they are about)."""
    from datetime import date

    from deputies import services as deputy_services
    from portal.models import Term
    from tests.factories import make_mandate

    Term.objects.create(
        congress=world.county_congress,
        number=19,
        start_date=date(2026, 10, 20),
        end_date=date(2031, 10, 19),
        is_current=True,
    )
    activity = deputy_services.activity_create(
        congress=world.county_congress,
        kind="research",
        title="农村公路养护调研",
        date=date(2026, 11, 5),
        participants=[make_mandate(world.county_congress, "丁一")],
        actor=None,
    )
    note = make(personas.county_staff, target=activity)
    assert note.url == f"/deputies/activities/{activity.pk}/"
    explicit = make(personas.county_staff, key="k2", target=activity, url="/x/")
    assert explicit.url == "/x/"
    plain = make(personas.county_staff, key="k3", target=world.county_congress)
    assert plain.url == ""  # a congress has no page of its own
