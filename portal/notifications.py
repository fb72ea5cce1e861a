"""Reminders and notifications (DESIGN.md §7): exactly once, then delivered.

Every reminder becomes one ``Notification`` row per channel with a unique key
(kind, object, recipient, milestone, channel), inserted **before** anything is
sent; a duplicate insert means "already sent". E-mail and SMS are delivered by
a Celery task after commit, retried with backoff, and a delivered row is never
sent again. Daily jobs live in each app's ``reminders.py`` and register with
``portal.registry.register_reminder_job``.

Every job is a **catch-up**: ``collect(day)`` yields each milestone that is due
*on or before* ``day`` and still current (never "due in exactly N days"), and
the unique key turns a second yield into a no-op. So a run after the worker or
the beat was down for days sends what was missed, once, and running the same
day again sends nothing new. When several milestones of one item passed unseen,
a job yields only the tightest one reached (``tightest_milestone``), worded with
the real remaining days; the looser ones are never sent afterwards.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import JobRun, Notification, NotificationPreference, Role, User
from .notification_text import Message
from .registry import reminder_jobs
from .services import notification_create

logger = logging.getLogger("portal.notifications")
Channel = Notification.Channel


@dataclass(frozen=True)
class Reminder:
    """One reminder a job wants sent (before it becomes notification rows)."""

    kind: str
    recipient: User
    target: object
    milestone: str
    # A Message (shown in the reader's language) or plain text (issue 18).
    title: str | Message
    body: str | Message = ""
    url: str = ""


def tightest_milestone(days_left: int, milestones: Iterable[int]) -> int | None:
    """The tightest of ``milestones`` (days before a deadline) that ``days_left``
    has reached, or None while none is reached.

    A milestone is due from its day on, so a run after a gap still finds it.
    When the gap swallowed several (15 and 5 days before, the run comes 3 days
    before), only the tightest (5) is sent, with the real days left in its text,
    and the looser one (15) is never sent later: days left only shrink, so it is
    never the tightest again. A deadline moved (an extension) starts new keys.
    """
    reached = [m for m in milestones if days_left <= m]
    return min(reached) if reached else None


def users_with_role(role: str, **scope) -> list[User]:
    """Active users holding ``role`` in the given scope (congress=, unit=, station_id=)."""
    filters = {f"grants__{k}": v for k, v in scope.items()}
    return list(
        User.objects.filter(is_active=True, grants__role=role, **filters).distinct()
    )


def congress_staff(congress) -> list[User]:
    return users_with_role(Role.CONGRESS_STAFF, congress=congress)


def unit_staff(unit) -> list[User]:
    return users_with_role(Role.UNIT_STAFF, unit=unit)


def preference_for(user: User) -> NotificationPreference:
    pref = getattr(user, "_notification_preference", None)
    if pref is None:
        pref = NotificationPreference.objects.filter(
            user=user
        ).first() or NotificationPreference(user=user)
        user._notification_preference = pref
    return pref


def channels_for(user: User) -> list[str]:
    pref = preference_for(user)
    channels = [Channel.IN_APP]
    if pref.email and user.email:
        channels.append(Channel.EMAIL)
    if pref.sms and user.mobile:
        channels.append(Channel.SMS)
    return channels


def base_key(reminder: Reminder) -> str:
    content_type = ContentType.objects.get_for_model(reminder.target)
    return f"{reminder.kind}:{content_type.pk}:{reminder.target.pk}:{reminder.recipient.pk}:{reminder.milestone}"


def already_sent(reminder: Reminder) -> bool:
    return Notification.objects.filter(
        key=f"{base_key(reminder)}:{Channel.IN_APP}"
    ).exists()


def notify(reminder: Reminder) -> int:
    """Create the reminder's notifications once; returns how many rows were new."""
    key = base_key(reminder)
    created = 0
    digest = preference_for(reminder.recipient).daily_digest
    for channel in channels_for(reminder.recipient):
        notification = notification_create(
            recipient=reminder.recipient,
            kind=reminder.kind,
            key=f"{key}:{channel}",
            title=reminder.title,
            body=reminder.body,
            target=reminder.target,
            url=reminder.url,
            channel=channel,
            actor=None,
        )
        if notification is None:
            continue
        created += 1
        if channel != Channel.IN_APP and not digest:
            from .tasks import deliver_notification

            deliver_notification.delay_on_commit(notification.pk)
    return created


def notification_deliver(notification_id: int) -> str:
    """Send one e-mail or SMS notification; a sent one is never sent again.

    The row is claimed under a lock before sending, so a duplicate task (a
    redelivery, the sweeper) skips it while another worker is sending. Raises
    on a failed send (the task retries with backoff); the row keeps the error
    and the number of attempts for the staff page.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status == Notification.Status.SENT:
            return "skipped"
        if notification.claimed_at is not None and notification.claimed_at > stale:
            return "in-flight"
        notification.attempts += 1
        notification.claimed_at = now
        notification.save(update_fields=["attempts", "claimed_at"])
    try:
        _send(notification)
    except Exception as exc:
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.FAILED, error=str(exc)[:2000], claimed_at=None
        )
        raise
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        error="",
        claimed_at=None,
    )
    return "sent"


def requeue_undelivered(limit: int = 500) -> int:
    """Outbox sweep: enqueue again e-mail/SMS rows that are still undelivered
    (a worker died, a broker lost the task) — never one being sent right now."""
    from .tasks import deliver_notification

    stale = timezone.now() - timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    digest_users = NotificationPreference.objects.filter(daily_digest=True).values(
        "user_id"
    )
    ids = list(
        Notification.objects.filter(
            status__in=[Notification.Status.PENDING, Notification.Status.FAILED],
            attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS,
            created_at__lt=stale,
        )
        .exclude(channel=Channel.IN_APP)
        .exclude(recipient_id__in=digest_users)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)


def _send(notification: Notification) -> None:
    recipient = notification.recipient
    if notification.channel == Channel.EMAIL:
        context = {
            "notification": notification,
            "user": recipient,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("emails/reminder_subject.txt", context).strip()
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/reminder_body.txt", context),
            to=[recipient.email],
            headers={"X-Portal-Notification": notification.key},
        )
        message.attach_alternative(
            render_to_string("emails/reminder_body.html", context), "text/html"
        )
        message.send()
    elif notification.channel == Channel.SMS:
        from .sms import get_backend

        get_backend().send(
            phone=recipient.mobile,
            text=f"【人大代表工作平台】{notification.title}",
            message_id=notification.key,
        )


def run_reminders(
    day: date | None = None, *, dry_run: bool = False, jobs: Iterable[str] | None = None
) -> Counter:
    """Run every reminder job for ``day``; returns what was (or would be) sent per kind."""
    day = day or timezone.localdate()
    totals: Counter = Counter()
    for job in reminder_jobs():
        if jobs is not None and job.name not in jobs:
            continue
        counts: Counter = Counter()
        run = None if dry_run else JobRun.objects.create(name=job.name, run_date=day)
        for reminder in job.collect(day):
            if dry_run:
                counts[reminder.kind] += 0 if already_sent(reminder) else 1
                continue
            with transaction.atomic():
                if notify(reminder):
                    counts[reminder.kind] += 1
        if run is not None:
            run.counts = dict(counts)
            run.finished_at = timezone.now()
            run.save(update_fields=["counts", "finished_at"])
        totals.update(counts)
    return totals


def send_daily_digests(day: date | None = None) -> int:
    """One e-mail a day with the pending notifications of users who chose a digest."""
    day = day or timezone.localdate()
    sent = 0
    for pref in NotificationPreference.objects.filter(daily_digest=True).select_related(
        "user"
    ):
        user = pref.user
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(
                    recipient=user,
                    status=Notification.Status.PENDING,
                    channel__in=[Channel.EMAIL, Channel.SMS],
                )
                .order_by("created_at")
            )
            if not pending:
                continue
            if user.email:
                context = {
                    "user": user,
                    "notifications": [n for n in pending if n.channel == Channel.EMAIL]
                    or pending,
                    "day": day,
                    "site_url": settings.SITE_URL,
                }
                message = EmailMultiAlternatives(
                    subject=render_to_string(
                        "emails/digest_subject.txt", context
                    ).strip(),
                    body=render_to_string("emails/digest_body.txt", context),
                    to=[user.email],
                )
                message.attach_alternative(
                    render_to_string("emails/digest_body.html", context), "text/html"
                )
                message.send()
                sent += 1
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                status=Notification.Status.SENT, sent_at=timezone.now(), error=""
            )
    return sent
