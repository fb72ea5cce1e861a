"""End to end with a real Redis broker and Celery worker processes (CI: PostgreSQL + Redis).

1. A reminder job run by a worker creates the notifications and the worker
   delivers the SMS.
2. A worker killed (SIGKILL) in the middle of deliveries and restarted leaves no
   duplicate and loses nothing (acks_late + reject_on_worker_lost; the row is the
   exactly-once guard; the SMS file backend stands for a gateway that accepts a
   client message id).
"""

import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.models import Notification, NotificationPreference, Role
from portal.services import role_grant_create
from portal.tasks import run_reminders
from proposals import services as proposal_services
from proposals.models import Assignment
from tests.factories import HandlingUnitFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _queue():
    """A queue of this test's own, so parallel test workers never take each other's tasks."""
    return f"e2e-{os.getpid()}"


def _worker(tmp_path, name, delay="0"):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "PORTAL_TESTING": "1",
        "SMS_BACKEND": "portal.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms"),
        "SMS_FILE_DELAY": delay,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "NOTIFICATION_CLAIM_SECONDS": "3",
        "CELERY_TASK_DEFAULT_QUEUE": _queue(),
        "CACHE_KEY_PREFIX": _queue(),  # its own run lock, apart from parallel test workers
    }
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "-n",
            f"{name}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
            "-Q",
            _queue(),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(predicate, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def due_assignments(world, personas):
    assert settings.REDIS_URL, "these tests need REDIS_URL (CI sets it)"
    from deputies.services import activity_create
    from portal.models import Term
    from tests.factories import make_mandate

    congress = world.county_congress
    Term.objects.create(
        congress=congress,
        number=19,
        start_date=date(2026, 10, 20),
        end_date=date(2031, 10, 19),
        is_current=True,
    )
    lead = make_mandate(congress, "丁一", user=personas.deputy)
    activity = activity_create(
        congress=congress,
        kind="research",
        title="调研",
        date=date(2026, 11, 1),
        participants=[lead],
        actor=None,
    )
    from deputies.services import attendance_set

    attendance_set(activity=activity, mandate=lead, status="attended", actor=None)
    users = []
    for n in range(6):
        unit = HandlingUnitFactory(name=f"单位{n}", region=world.county)
        user = UserFactory(
            username=f"unit{n}", mobile=f"1380000000{n}", email=f"unit{n}@example.org"
        )
        role_grant_create(user=user, role=Role.UNIT_STAFF, unit=unit, actor=None)
        NotificationPreference.objects.create(user=user, email=False, sms=True)
        suggestion = proposal_services.suggestion_create(
            lead=lead,
            title=f"建议{n}",
            problem="问题",
            analysis="分析",
            proposals="建议",
            research_activities=[activity],
            actor=None,
        )
        proposal_services.suggestion_submit(suggestion=suggestion, actor=None)
        proposal_services.suggestion_register(suggestion=suggestion, actor=None)
        proposal_services.suggestion_assign(
            suggestion=suggestion, units=[(unit, "lead")], actor=None
        )
        users.append(user)
    day = date(2027, 1, 10)
    Assignment.objects.update(due_date=day + timedelta(days=5), status="accepted")
    return day, users


def test_a_reminder_goes_end_to_end_through_redis(tmp_path, due_assignments):
    day, users = due_assignments
    worker = _worker(tmp_path, "e2e")
    try:
        run_reminders.apply_async((day.isoformat(),), queue=_queue())
        ok = _wait(
            lambda: (
                Notification.objects.filter(channel="sms", status="sent").count() == 6
            )
        )
        assert ok, str(
            sorted(
                Notification.objects.exclude(channel="in_app").values_list(
                    "kind", "channel", "status", "error"
                )
            )
        )
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    assert (
        Notification.objects.filter(kind="assignment.due", channel="in_app").count()
        == 6
    )
    assert len(list((tmp_path / "sms").iterdir())) == 6


def test_a_worker_killed_mid_task_leaves_no_duplicate_and_loses_nothing(
    tmp_path, due_assignments
):
    day, users = due_assignments
    worker = _worker(tmp_path, "victim", delay="1.5")
    try:
        run_reminders.apply_async((day.isoformat(),), queue=_queue())
        assert _wait(
            lambda: (
                Notification.objects.filter(channel="sms", status="sent").count() >= 1
            ),
            timeout=60,
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
    sent_before = Notification.objects.filter(channel="sms", status="sent").count()
    assert sent_before < 6, "the worker was killed before finishing"
    # The beat runs the job again later; its outbox sweep re-enqueues what the dead
    # worker left undelivered, and a restarted worker finishes the deliveries.
    time.sleep(3.5)
    run_reminders.apply_async((day.isoformat(),), queue=_queue())
    survivor = _worker(tmp_path, "survivor")
    try:
        ok = _wait(
            lambda: (
                Notification.objects.filter(channel="sms", status="sent").count() == 6
            ),
            timeout=90,
        )
        assert ok, str(
            sorted(
                Notification.objects.exclude(channel="in_app").values_list(
                    "channel", "status", "attempts"
                )
            )
        )
    finally:
        survivor.terminate()
        survivor.wait(timeout=20)
    assert (
        Notification.objects.filter(kind="assignment.due").count() == 12
    )  # 6 in-app + 6 SMS, once each
    assert len(list((tmp_path / "sms").iterdir())) == 6
