"""Delivery of e-mail and SMS notifications: after commit, retried, never twice."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from portal.models import Notification, NotificationPreference
from portal.notifications import (
    Reminder,
    notification_deliver,
    notify,
    send_daily_digests,
)

pytestmark = pytest.mark.django_db


def reminder(user, target, milestone="m1"):
    return Reminder(
        kind="test.kind",
        recipient=user,
        target=target,
        milestone=milestone,
        title="请办理测试事项",
        url="/staff/",
    )


@pytest.fixture
def user(personas):
    personas.deputy.email = "deputy@example.org"
    personas.deputy.mobile = "13812345678"
    personas.deputy.save()
    NotificationPreference.objects.create(user=personas.deputy, email=True, sms=True)
    return personas.deputy


def test_one_row_per_channel_and_delivery_after_commit(
    user, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notify(reminder(user, world.county_congress)) == 3
    assert len(callbacks) == 2  # e-mail and SMS deliveries wait for the commit
    assert notify(reminder(user, world.county_congress)) == 0
    assert Notification.objects.count() == 3


def test_a_rolled_back_transaction_enqueues_nothing(
    user, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                notify(reminder(user, world.county_congress))
                raise RuntimeError("boom")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()


def test_email_uses_the_chinese_templates(user, world):
    notify(reminder(user, world.county_congress))
    email = Notification.objects.get(channel="email")
    assert notification_deliver(email.pk) == "sent"
    assert mail.outbox[0].subject == "【人大代表工作平台】请办理测试事项"
    assert "您好" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert notification_deliver(email.pk) == "skipped"
    assert len(mail.outbox) == 1


@override_settings(SMS_BACKEND="portal.sms.FileSmsBackend")
def test_sms_file_backend_is_idempotent_per_message(user, world, tmp_path, settings):
    settings.SMS_FILE_PATH = str(tmp_path)
    notify(reminder(user, world.county_congress))
    sms = Notification.objects.get(channel="sms")
    notification_deliver(sms.pk)
    Notification.objects.filter(pk=sms.pk).update(
        status="pending"
    )  # as if the worker died before marking
    notification_deliver(sms.pk)
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and "请办理测试事项" in files[0].read_text(encoding="utf-8")


@override_settings(SMS_BACKEND="tests.portal.test_delivery.FailingSms")
def test_failed_send_is_recorded_then_retried(user, world):
    notify(reminder(user, world.county_congress))
    sms = Notification.objects.get(channel="sms")
    with pytest.raises(ConnectionError):
        notification_deliver(sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == ("failed", 1)
    assert "网关" in sms.error
    FailingSms.fail = False
    assert notification_deliver(sms.pk) == "sent"
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.error) == ("sent", 2, "")


class FailingSms:
    fail = True

    def send(self, *, phone, text, message_id):
        if FailingSms.fail:
            raise ConnectionError("短信网关超时")


def test_daily_digest_bundles_pending_messages(user, world):
    NotificationPreference.objects.filter(user=user).update(
        daily_digest=True, sms=False
    )
    notify(reminder(user, world.county_congress, "a"))
    notify(reminder(user, world.other_county_congress, "b"))
    assert send_daily_digests() == 1
    assert len(mail.outbox) == 1 and "今日提醒汇总（2条）" in mail.outbox[0].subject
    assert not Notification.objects.filter(status="pending").exists()
    assert send_daily_digests() == 0


def test_staff_log_page_is_scoped(client, personas, world, user):
    notify(reminder(user, world.county_congress))
    client.force_login(personas.county_staff)
    response = client.get("/staff/notifications/sent/")
    assert response.status_code == 200 and "请办理测试事项" in response.content.decode()
    client.force_login(personas.other_county_staff)
    assert (
        "请办理测试事项"
        not in client.get("/staff/notifications/sent/").content.decode()
    )
    client.force_login(personas.unit_staff)
    assert client.get("/staff/notifications/sent/").status_code == 403
    assert client.post("/staff/notifications/sent/").status_code == 405


def test_a_delivery_in_flight_is_not_sent_twice(user, world):
    from django.utils import timezone

    notify(reminder(user, world.county_congress))
    email = Notification.objects.get(channel="email")
    Notification.objects.filter(pk=email.pk).update(
        claimed_at=timezone.now()
    )  # another worker is sending
    assert notification_deliver(email.pk) == "in-flight"
    assert mail.outbox == []


def test_the_outbox_sweep_requeues_abandoned_deliveries(user, world, settings):
    from datetime import timedelta

    from django.utils import timezone

    from portal.notifications import requeue_undelivered

    settings.NOTIFICATION_CLAIM_SECONDS = 60
    settings.CELERY_TASK_ALWAYS_EAGER = True
    notify(reminder(user, world.county_congress))
    old = timezone.now() - timedelta(minutes=5)
    Notification.objects.exclude(channel="in_app").update(
        created_at=old, claimed_at=old, attempts=1
    )
    from portal.celery import app

    app.conf.task_always_eager = True
    try:
        assert requeue_undelivered() == 2
    finally:
        app.conf.task_always_eager = False
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1
