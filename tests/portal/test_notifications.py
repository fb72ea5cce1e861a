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
