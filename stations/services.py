"""Every write of stations, rosters, receptions and opinions, and every opinion
transition (DESIGN.md §4). Performance points go through deputies.services."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deputies.models import Mandate
from deputies.services import ensure_mandate_can, ledger_record
from portal import workflow
from portal.chinese import validate_mobile
from portal.models import (
    HandlingUnit,
    Region,
    Role,
    RoleGrant,
    User,
)
from portal.notification_text import Message, choice_label
from portal.rules import rules_for
from portal.services import (
    DomainError,
    TransitionError,
    audit_record,
    notification_create,
)
from portal.workdays import add_working_days

from . import tracking
from .models import (
    DutyAssignment,
    DutyDay,
    DutyDayEvent,
    Opinion,
    OpinionAssignment,
    OpinionEvent,
    OpinionSms,
    Reception,
    Station,
    StationMembership,
)
from .policies import OpinionPolicy
from .selectors import (
    assignable_units,
    duty_notice_refusal,
    forward_label,
    handling_congress,
    opinion_rules,
    station_congress,
    station_rules,  # noqa: F401  (callers read the rules through services)
)

logger = logging.getLogger("stations.services")

CONTENT_MIN, CONTENT_MAX = 5, 2000


# --- stations and members ------------------------------------------------------------


def station_create(
    *,
    name: str,
    code: str,
    kind: str,
    region: Region,
    tracking_prefix: str,
    actor: User | None,
    **fields: Any,
) -> Station:
    """Create a station in ``region``."""
    if Station.objects.filter(code=code).exists():
        raise ValidationError({"code": [_("站点编码已被使用。")]})
    station = Station.objects.create(
        name=name,
        code=code,
        kind=kind,
        region=region,
        region_path=region.path,
        tracking_prefix=tracking_prefix.upper(),
        **fields,
    )
    audit_record(
        actor=actor, action="station.create", target=station, region_path=region.path
    )
    return station


def station_add_member(
    *,
    station: Station,
    mandate: Mandate,
    start_date: date,
    role: str = StationMembership.Role.RESIDENT,
    actor: User | None,
) -> StationMembership:
    """Group a deputy of any level into the station (进站编组)."""
    ensure_mandate_can(mandate, "schedule")
    existing = StationMembership.objects.filter(
        station=station, mandate=mandate, end_date__isnull=True
    ).first()
    if existing:
        return existing
    membership = StationMembership.objects.create(
        station=station, mandate=mandate, role=role, start_date=start_date
    )
    audit_record(
        actor=actor,
        action="station.member_add",
        target=station,
        data={"mandate": mandate.pk},
        region_path=station.region_path,
    )
    return membership


def station_end_membership(
    *, membership: StationMembership, end_date: date, actor: User | None
) -> None:
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action="station.member_end",
        target=membership.station,
        data={"mandate": membership.mandate_id},
        region_path=membership.station.region_path,
    )


# --- duty roster ----------------------------------------------------------------------

# A recurring series covers at most this many days (a year of weekly days).
RECURRING_MAX_DAYS = 366


def _ensure_schedulable(station: Station, deputies: list[Mandate]) -> None:
    """Only current members with an active mandate go on the roster."""
    members = set(
        StationMembership.objects.filter(
            station=station, end_date__isnull=True
        ).values_list("mandate_id", flat=True)
    )
    for mandate in deputies:
        ensure_mandate_can(mandate, "schedule")
        if mandate.pk not in members:
            raise DomainError(
                _("%(name)s未编入本联络站，不能安排接待。")
                % {"name": mandate.person.name},
                field="deputies",
            )


def _ensure_one_per_person(deputies: list[Mandate]) -> None:
    """A person with mandates at several levels is on duty once, not per mandate."""
    seen: set[int] = set()
    for mandate in deputies:
        if mandate.person_id in seen:
            raise DomainError(
                _("%(name)s重复选择，同一代表只能安排一次。")
                % {"name": mandate.person.name},
                field="deputies",
            )
        seen.add(mandate.person_id)


def _duty_event(
    day: DutyDay, actor: User | None, frm: str, to: str, note: str = ""
) -> None:
    workflow.record(
        DutyDayEvent,
        actor=actor,
        from_state=frm,
        to_state=to,
        note=note,
        event_fields={"duty_day": day},
    )


def duty_day_create(
    *,
    station: Station,
    date: date,
    slot: str,
    deputies: list[Mandate],
    topic: str = "",
    actor: User | None,
    today: date | None = None,
) -> DutyDay:
    """Put deputies on the roster: only current members with an active mandate,
    once per person, on a day the lead-time rule lets be published."""
    today = today or timezone.localdate()
    refusal = duty_notice_refusal(station=station, day=date, today=today)
    if refusal:
        raise DomainError(refusal, field="date")
    _ensure_schedulable(station, deputies)
    _ensure_one_per_person(deputies)
    if DutyDay.objects.filter(station=station, date=date, slot=slot).exists():
        raise DomainError(_("该时段已有接待安排。"), field="slot")
    with transaction.atomic():
        duty_day = _create_day(station, date, slot, deputies, topic, actor)
    return duty_day


def _create_day(
    station: Station,
    day: date,
    slot: str,
    deputies: list[Mandate],
    topic: str,
    actor: User | None,
) -> DutyDay:
    duty_day = DutyDay.objects.create(station=station, date=day, slot=slot, topic=topic)
    DutyAssignment.objects.bulk_create(
        [DutyAssignment(duty_day=duty_day, mandate=m) for m in deputies]
    )
    _duty_event(duty_day, actor, "", DutyDay.Status.DRAFT)
    audit_record(
        actor=actor,
        action="duty_day.create",
        target=duty_day,
        region_path=station.region_path,
    )
    return duty_day


def duty_day_create_recurring(
    *,
    station: Station,
    weekday: int,
    slot: str,
    start: date,
    end: date,
    deputies: list[Mandate],
    topic: str = "",
    actor: User | None,
    today: date | None = None,
) -> tuple[list[DutyDay], list[date]]:
    """Every week on ``weekday`` (0 = Monday), ``slot``, from ``start`` to ``end``:
    all the days in one transaction, or none. A date whose slot is already taken
    is skipped and reported (the second list); anything else wrong (a deputy, the
    lead time of the first day, the range) refuses the whole series."""
    today = today or timezone.localdate()
    if not 0 <= weekday <= 6:
        raise DomainError(_("星期不正确。"), field="weekday")
    if end < start:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end")
    if (end - start).days > RECURRING_MAX_DAYS:
        raise DomainError(
            _("一次最多安排%(days)s天以内的接待日。") % {"days": RECURRING_MAX_DAYS},
            field="end",
        )
    first = start + timedelta(days=(weekday - start.weekday()) % 7)
    dates = [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]
    if first > end or not dates:
        raise DomainError(_("所选期间没有这个星期几。"), field="end")
    if first < today:
        raise DomainError(_("周期安排只能从今后的日期开始。"), field="start")
    refusal = duty_notice_refusal(station=station, day=first, today=today)
    if refusal:
        raise DomainError(refusal, field="start")
    _ensure_schedulable(station, deputies)
    _ensure_one_per_person(deputies)
    created: list[DutyDay] = []
    with transaction.atomic():
        taken = set(
            DutyDay.objects.select_for_update()
            .filter(station=station, slot=slot, date__in=dates)
            .values_list("date", flat=True)
        )
        skipped = [d for d in dates if d in taken]
        for day in dates:
            if day not in taken:
                created.append(_create_day(station, day, slot, deputies, topic, actor))
    return created, skipped


def _lock_day(duty_day: DutyDay) -> DutyDay:
    return (
        DutyDay.objects.select_for_update(of=("self",))
        .select_related("station")
        .get(pk=duty_day.pk)
    )


def duty_day_update(
    *,
    duty_day: DutyDay,
    date: date,
    slot: str,
    deputies: list[Mandate],
    topic: str = "",
    actor: User | None,
    today: date | None = None,
) -> DutyDay:
    """Change a coming day's date, slot, deputies or topic (not a past or a
    cancelled one). A new date meets the same lead-time rule as a new day; the
    deputies taken off or put on a published day are told."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_day(duty_day)
        station = locked.station
        if locked.is_cancelled:
            raise TransitionError(_("接待日已取消，不能修改。"))
        if locked.date < today:
            raise TransitionError(_("接待日已过，不能修改。"))
        current = list(locked.assignments.values_list("mandate_id", flat=True))
        unchanged = (
            locked.date == date
            and locked.slot == slot
            and locked.topic == topic
            and set(current) == {m.pk for m in deputies}
        )
        if unchanged:
            return locked
        if date != locked.date:
            refusal = duty_notice_refusal(station=station, day=date, today=today)
            if refusal or date < today:
                raise DomainError(refusal or _("不能改到已过的日期。"), field="date")
        if not deputies and locked.is_published:
            raise DomainError(
                _("已公布的接待日至少要有一名值班代表。"), field="deputies"
            )
        _ensure_schedulable(station, deputies)
        _ensure_one_per_person(deputies)
        if (
            DutyDay.objects.filter(station=station, date=date, slot=slot)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise DomainError(_("该时段已有接待安排。"), field="slot")
        wanted = {m.pk for m in deputies}
        removed = set(current) - wanted
        added = wanted - set(current)
        old = f"{locked.date:%Y-%m-%d} {locked.get_slot_display()}"
        locked.date, locked.slot, locked.topic = date, slot, topic
        locked.save(update_fields=["date", "slot", "topic"])
        locked.assignments.filter(mandate_id__in=removed).delete()
        DutyAssignment.objects.bulk_create(
            [DutyAssignment(duty_day=locked, mandate_id=pk) for pk in sorted(added)]
        )
        note = _("修改安排（原为%(old)s）") % {"old": old}
        _duty_event(locked, actor, locked.status, locked.status, note)
        audit_record(
            actor=actor,
            action="duty_day.update",
            target=locked,
            data={"added": sorted(added), "removed": sorted(removed)},
            region_path=station.region_path,
        )
        if locked.is_published:
            everyone = sorted(set(current) | wanted)
            transaction.on_commit(
                lambda: _notify_duty(locked, everyone, event="changed")
            )
    return locked


def duty_day_cancel(
    *,
    duty_day: DutyDay,
    reason: str,
    actor: User | None,
    today: date | None = None,
) -> DutyDay:
    """Cancel a coming day, with a reason. A published one keeps a public notice
    on the station page ("接待日取消") and its deputies are told."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock_day(duty_day)
        if locked.is_cancelled:
            return locked
        if not reason:
            raise DomainError(_("请填写取消原因。"), field="reason")
        if locked.date < today:
            raise TransitionError(_("接待日已过，不能取消。"))
        workflow.transition(
            locked,
            to=DutyDay.Status.CANCELLED,
            actor=actor,
            event_model=DutyDayEvent,
            event_fields={"duty_day": locked},
            timestamps={"cancelled_at": timezone.now()},
            changes={"cancel_reason": reason},
            note=reason,
        )
        audit_record(
            actor=actor,
            action="duty_day.cancel",
            target=locked,
            reason=reason,
            region_path=locked.station.region_path,
        )
        if locked.is_published:
            mandates = list(locked.assignments.values_list("mandate_id", flat=True))
            transaction.on_commit(
                lambda: _notify_duty(locked, mandates, event="cancelled")
            )
    return locked


def duty_day_delete(*, duty_day: DutyDay, actor: User | None) -> None:
    """Delete a draft (never published, so nobody was told about it); a
    published day is cancelled instead, with its public notice."""
    with transaction.atomic():
        locked = DutyDay.objects.select_for_update().filter(pk=duty_day.pk).first()
        if locked is None:
            return
        if locked.status != DutyDay.Status.DRAFT or locked.is_published:
            raise TransitionError(
                _("只能删除未公布的接待日；已公布的接待日请取消并说明原因。")
            )
        if (
            locked.receptions.exists()
            or locked.assignments.filter(attended=True).exists()
        ):
            raise TransitionError(_("该接待日已有接待记录或到岗登记，不能删除。"))
        station = duty_day.station
        audit_record(
            actor=actor,
            action="duty_day.delete",
            target=locked,
            data={"date": f"{locked.date:%Y-%m-%d}", "slot": locked.slot},
            region_path=station.region_path,
        )
        locked.delete()


def _notify_duty(day: DutyDay, mandate_ids: list[int], *, event: str) -> None:
    """Tell the deputies (their user accounts) that a published day changed or
    was cancelled; once per day, event and change."""
    users = User.objects.filter(
        is_active=True, person__mandates__pk__in=mandate_ids
    ).distinct()
    values = {
        "station": day.station.name,
        "date": f"{day.date:%Y-%m-%d}",
        "slot": choice_label(day, "slot"),
    }
    if event == "cancelled":
        title = Message(
            gettext_noop("%(station)s %(date)s%(slot)s的接待日已取消"), values
        )
        body = day.cancel_reason
    else:
        title = Message(
            gettext_noop("%(station)s的接待日安排有变化，现为%(date)s%(slot)s"), values
        )
        body = ""
    stamp = day.events.order_by("-id").values_list("pk", flat=True).first()
    for user in users:
        notification_create(
            recipient=user,
            kind=f"duty_day.{event}",
            key=f"duty_day.{event}:{day.pk}:{stamp}:{user.pk}",
            title=title,
            body=body,
            url=reverse("stations:station", args=[day.station_id]),
            actor=None,
        )


def duty_day_publish(
    *, duty_day: DutyDay, actor: User | None, today: date | None = None
) -> DutyDay:
    """Publish a duty day to the public, at least N days ahead (rule)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock_day(duty_day)
        if locked.is_published and not locked.is_cancelled:
            return locked
        if locked.is_cancelled:
            raise TransitionError(_("接待日已取消，不能公布。"))
        refusal = duty_notice_refusal(
            station=locked.station, day=locked.date, today=today, allow_past=False
        )
        if refusal:
            raise DomainError(refusal)
        if not locked.assignments.exists():
            raise DomainError(_("接待日还没有安排代表，不能公布。"))
        workflow.transition(
            locked,
            to=DutyDay.Status.PUBLISHED,
            actor=actor,
            event_model=DutyDayEvent,
            event_fields={"duty_day": locked},
            timestamps={"published_at": timezone.now()},
            changes={"is_published": True},
        )
        audit_record(
            actor=actor,
            action="duty_day.publish",
            target=locked,
            region_path=locked.station.region_path,
        )
    duty_day.status, duty_day.is_published = locked.status, True
    duty_day.published_at = locked.published_at
    return locked


def duty_day_record_attendance(
    *, duty_day: DutyDay, attended: list[int], actor: User | None
) -> int:
    """Record who came on duty; each attendee earns the half-day points once."""
    with transaction.atomic():
        assignments = list(
            duty_day.assignments.select_related("mandate__congress", "mandate__person")
        )
        count = 0
        for assignment in assignments:
            present = assignment.mandate_id in attended
            if assignment.attended != present:
                assignment.attended = present
                assignment.save(update_fields=["attended"])
            if present:
                rules_points = rules_for(assignment.mandate.congress).points.get(
                    "station_duty_half_day", 0
                )
                ledger_record(
                    mandate=assignment.mandate,
                    kind="station_duty_half_day",
                    occurred_on=duty_day.date,
                    source=duty_day,
                    points=rules_points * duty_day.half_days,
                    note=str(duty_day.station),
                    actor=actor,
                )
                count += 1
        audit_record(
            actor=actor,
            action="duty_day.attendance",
            target=duty_day,
            data={"attended": sorted(attended)},
            region_path=duty_day.station.region_path,
        )
    return count


def reception_create(
    *,
    station: Station,
    date: date,
    mode: str,
    deputies: list[Mandate],
    visitor_count: int = 0,
    notes: str = "",
    duty_day: DutyDay | None = None,
    actor: User | None,
) -> Reception:
    """Record a reception (接待记录)."""
    if mode not in Reception.Mode.values:
        raise DomainError(_("接待方式不正确。"), field="mode")
    with transaction.atomic():
        reception = Reception.objects.create(
            station=station,
            date=date,
            mode=mode,
            visitor_count=visitor_count,
            notes=notes,
            duty_day=duty_day,
            recorded_by=actor,
        )
        reception.deputies.set(deputies)
        audit_record(
            actor=actor,
            action="reception.create",
            target=reception,
            region_path=station.region_path,
        )
    return reception


# --- opinions ----------------------------------------------------------------------


def _audit(
    opinion: Opinion,
    from_status: str,
    to_status: str,
    actor: User | None,
    note: str = "",
) -> None:
    audit_record(
        actor=actor,
        action="opinion.transition",
        target=opinion,
        from_state=from_status,
        to_state=to_status,
        reason=note,
        region_path=opinion.region_path,
    )


def opinion_contact_reveal(
    *, actor: User, opinion: Opinion, ip_address: str | None = None
) -> str:
    """The citizen's full mobile, for the unit replying or the staff steering
    the loop (``OpinionPolicy`` "reveal_contact", else ``PermissionDenied``);
    each reveal writes one ``personal_data.reveal`` audit row (个人信息保护法 §51)."""
    OpinionPolicy.require(actor, "reveal_contact", opinion)
    audit_record(
        actor=actor,
        action="personal_data.reveal",
        target=opinion,
        data={"field": "submitter_phone"},
        ip_address=ip_address,
        region_path=opinion.region_path,
    )
    return opinion.submitter_phone


def _clean_submission(
    name: str, phone: str, content: str, category: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("请填写姓名。")]
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    content = (content or "").strip()
    if len(content) < CONTENT_MIN:
        errors["content"] = [
            _("请具体描述您反映的问题（至少%(n)s个字）。") % {"n": CONTENT_MIN}
        ]
    elif len(content) > CONTENT_MAX:
        errors["content"] = [_("反映内容不能超过%(n)s个字。") % {"n": CONTENT_MAX}]
    if category and category not in Opinion.Category.values:
        errors["category"] = [_("类别不正确。")]
    return errors


def _tracking_key() -> str:
    """A fresh random key (50 bits); a clash with an existing one is drawn again
    (the unique constraint stays the last word)."""
    while True:
        key = tracking.new_key()
        if not Opinion.objects.filter(tracking_key=key).exists():
            return key


def opinion_submit(
    *,
    station: Station,
    name: str,
    phone: str,
    content: str,
    category: str = "",
    photo=None,
    source: str = Opinion.Source.ONLINE,
    reception: Reception | None = None,
    deputies: list[Mandate] | None = None,
    ip_address: str | None = None,
    actor: User | None,
) -> Opinion:
    """Receive an opinion (online from a citizen, or recorded by staff) with a tracking code."""
    if station.status != Station.Status.ACTIVE:
        raise DomainError(_("该联络站已停用，不能受理意见。"), field="station")
    errors = _clean_submission(name, phone, content, category)
    if errors:
        raise ValidationError(errors)
    key = _tracking_key()
    with transaction.atomic():
        opinion = Opinion.objects.create(
            station=station,
            congress=station_congress(station),
            tracking_key=key,
            tracking_code=tracking.format_code(station.tracking_prefix, key),
            source=source,
            reception=reception,
            submitter_name=name.strip(),
            submitter_phone=phone.strip(),
            content=content.strip(),
            category=category or Opinion.Category.OTHER,
            photo=photo or "",
            region_path=station.region_path,
            submitted_ip=ip_address,
        )
        if deputies:
            opinion.deputies.set(deputies)
        workflow.record(
            OpinionEvent,
            actor=actor,
            to_state=Opinion.Status.RECEIVED,
            event_fields={"opinion": opinion},
        )
        _audit(opinion, "", Opinion.Status.RECEIVED, actor)
        # issue 18: the citizen gets the tracking code by text message too.
        message, created = _sms_once(
            opinion,
            key=f"opinion.received:{opinion.pk}:citizen",
            text=_(
                "您的意见已由%(station)s受理，查询码%(code)s，"
                "可凭查询码在“进度查询”中查看办理进度。"
            )
            % {"station": station.name, "code": opinion.tracking_code},
        )
        if created:
            message_id, phone_number = message.pk, opinion.submitter_phone
            transaction.on_commit(lambda: _sms_send(message_id, phone_number))
    return opinion


RATING_REASON_MAX = 500


def opinion_rate_by_citizen(
    *,
    opinion: Opinion,
    rating: str,
    phone_last4: str,
    reason: str = "",
    actor: User | None,
) -> Opinion:
    """The citizen rates the reply (满意/基本满意/不满意), once, proving it is
    theirs with the last four digits of the mobile they gave; 不满意 needs a
    reason. Recorded on the opinion and as a row of its timeline (staff read it
    on the opinion's page; the public timeline leaves it out)."""
    from .selectors import rating_open

    reason = (reason or "").strip()
    if rating not in Opinion.VisitResult.values:
        raise DomainError(_("请选择评价结果。"), field="rating")
    if rating == Opinion.VisitResult.DISSATISFIED and not reason:
        raise DomainError(_("选择“不满意”时请写明原因。"), field="reason")
    if len(reason) > RATING_REASON_MAX:
        raise DomainError(
            _("原因不能超过%(n)s个字。") % {"n": RATING_REASON_MAX}, field="reason"
        )
    with transaction.atomic():
        locked = _lock(opinion)
        digits = "".join(ch for ch in locked.submitter_phone if ch.isdigit())
        if len(phone_last4) != 4 or not digits.endswith(phone_last4):
            raise DomainError(_("手机号码后四位不正确。"), field="phone_last4")
        if locked.citizen_rating:
            if locked.citizen_rating == rating:
                return locked
            raise TransitionError(_("您已经评价过该答复，不能重复评价。"))
        if not rating_open(locked):
            raise TransitionError(_("该意见还没有答复，答复后才能评价。"))
        locked.citizen_rating = rating
        locked.citizen_rating_reason = reason
        locked.citizen_rated_at = timezone.now()
        locked.save(
            update_fields=[
                "citizen_rating",
                "citizen_rating_reason",
                "citizen_rated_at",
            ]
        )
        label = Opinion.VisitResult(rating).label
        note = (
            _("群众评价：%(label)s。原因：%(reason)s")
            % {"label": label, "reason": reason}
            if reason
            else _("群众评价：%(label)s。") % {"label": label}
        )
        workflow.record(
            OpinionEvent,
            actor=actor,
            from_state=locked.status,
            to_state=locked.status,
            note=note,
            event_fields={"opinion": locked},
        )
        audit_record(
            actor=actor,
            action="opinion.citizen_rating",
            target=locked,
            data={"rating": rating},
            reason=reason,
            region_path=locked.region_path,
        )
    return locked


def _lock(opinion: Opinion) -> Opinion:
    return (
        # Lock the opinion row only: the congress joins are outer (nullable).
        Opinion.objects.select_for_update(of=("self",))
        .select_related("station__region", "congress__region", "escalated_to__region")
        .get(pk=opinion.pk)
    )


def _refusal(opinion: Opinion, to_status: str) -> str:
    return _("意见当前状态为“%(status)s”，不能转为“%(target)s”。") % {
        "status": opinion.get_status_display(),
        "target": Opinion.Status(to_status).label,
    }


def _check(opinion: Opinion, to_status: str) -> bool:
    """True when already in ``to_status`` (no-op); raise when not allowed."""
    return not workflow.check(opinion, to=to_status, refuse=_refusal)


def _set(opinion: Opinion, to_status: str, actor, note: str = "", **fields) -> Opinion:
    from_status = opinion.status
    if workflow.transition(
        opinion,
        to=to_status,
        actor=actor,
        event_model=OpinionEvent,
        event_fields={"opinion": opinion},
        refuse=_refusal,
        changes=fields,
        note=note,
    ):
        _audit(opinion, from_status, to_status, actor, note)
    return opinion


def opinion_triage(
    *, opinion: Opinion, outcome: str, note: str = "", actor: User | None
) -> Opinion:
    """Triage a received opinion: answered on site, not accepted (with the right
    channel), pooled into the livelihood-project collection, or escalated."""
    allowed = {
        Opinion.Status.ANSWERED_ON_SITE,
        Opinion.Status.NOT_ACCEPTED,
        Opinion.Status.POOLED,
        Opinion.Status.ESCALATED,
    }
    if outcome not in allowed:
        raise DomainError(_("分流结果不正确。"), field="outcome")
    note = (note or "").strip()
    if outcome == Opinion.Status.ANSWERED_ON_SITE and not note:
        raise DomainError(_("当场答复须填写答复内容。"), field="note")
    if outcome == Opinion.Status.NOT_ACCEPTED and not note:
        raise DomainError(
            _("不予受理须告知反映人依法解决的途径（如诉讼、仲裁、信访）。"),
            field="note",
        )
    with transaction.atomic():
        locked = _lock(opinion)
        if _check(locked, outcome):
            return locked
        fields: dict[str, Any] = {"outcome_note": note}
        parent = None
        if outcome == Opinion.Status.ESCALATED:
            congress = handling_congress(locked)
            parent = congress.parent_congress() if congress else None
            if parent is None:
                raise DomainError(_("没有上级人大可以上报。"))
            fields["escalated_to"] = parent
        if outcome == Opinion.Status.ANSWERED_ON_SITE:
            fields["public_reply"] = note
            fields["closed_at"] = timezone.now()
        _set(locked, outcome, actor, note, **fields)
        if outcome == Opinion.Status.ANSWERED_ON_SITE:
            _award_closure(locked)
        if parent is not None:
            congress_id = parent.pk
            transaction.on_commit(lambda: _notify_escalated(locked, congress_id))
    return locked


def _notify_escalated(opinion: Opinion, congress_id: int) -> None:
    """The staff of the congress an opinion was escalated to: it is theirs now."""
    users = User.objects.filter(
        is_active=True, grants__role=Role.CONGRESS_STAFF, grants__congress=congress_id
    ).distinct()
    for user in users:
        notification_create(
            recipient=user,
            kind="opinion.escalated",
            key=f"opinion.escalated:{opinion.pk}:{congress_id}:{user.pk}",
            title=Message(
                gettext_noop("%(station)s报送群众意见 %(code)s，请登记交办"),
                {"station": opinion.station.name, "code": opinion.tracking_code},
            ),
            target=opinion,
            actor=None,
        )


def _notify_unit(opinion: Opinion, unit: HandlingUnit, round_number: int) -> None:
    users = User.objects.filter(
        grants__role=Role.UNIT_STAFF, grants__unit=unit
    ).distinct()
    for user in users:
        notification_create(
            recipient=user,
            kind="opinion.assigned",
            key=f"opinion.assigned:{opinion.pk}:{round_number}:{user.pk}",
            title=Message(
                gettext_noop("新交办群众意见 %(code)s，请于%(due)s前答复"),
                {
                    "code": opinion.tracking_code,
                    "due": f"{opinion.due_date:%Y-%m-%d}",
                },
            ),
            target=opinion,
            actor=None,
        )


def _ensure_own_level_unit(opinion: Opinion, unit: HandlingUnit) -> None:
    """A congress assigns to the units of its own level and region only; a matter
    for a department above goes up through that congress's office
    (转县级人大办理), never straight from the station to the department."""
    if assignable_units(opinion).filter(pk=unit.pk).exists():
        return
    congress = handling_congress(opinion)
    if congress is None:
        raise DomainError(_("该意见没有所属人大，不能交办。"), field="unit")
    unit_path = unit.region.path
    if congress.region.path.startswith(unit_path):
        raise DomainError(
            _(
                "%(unit)s是上级部门，不能由%(congress)s直接交办。"
                "请选择“%(forward)s”，由上级人大常委会交办。"
            )
            % {
                "unit": unit.name,
                "congress": congress.name,
                "forward": forward_label(congress),
            },
            field="unit",
        )
    raise DomainError(
        _("%(unit)s不是%(congress)s本级的承办单位，不能交办。")
        % {"unit": unit.name, "congress": congress.name},
        field="unit",
    )


def opinion_assign(
    *,
    opinion: Opinion,
    unit: HandlingUnit,
    due_date: date | None = None,
    actor: User | None,
    note: str = "",
    today: date | None = None,
) -> Opinion:
    """Assign to a handling unit (round 1), or reassign after a dissatisfied visit
    (another round, up to the rule's maximum). Due date defaults to the rule."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(opinion)
        rules = opinion_rules(locked)
        target = (
            Opinion.Status.REASSIGNED
            if locked.status == Opinion.Status.VISITED
            else Opinion.Status.ASSIGNED
        )
        if locked.status in (Opinion.Status.ASSIGNED, Opinion.Status.REASSIGNED):
            if locked.current_unit_id == unit.pk:
                return locked
            raise TransitionError(
                _("意见已交办给%(unit)s，答复并回访后才能重新交办。")
                % {"unit": locked.current_unit}
            )
        _check(locked, target)
        _ensure_own_level_unit(locked, unit)
        if target == Opinion.Status.REASSIGNED:
            if locked.visit_result != Opinion.VisitResult.DISSATISFIED:
                raise TransitionError(
                    _("群众满意或基本满意的意见应当办结，不能重新交办。")
                )
            if locked.round >= rules.opinion_max_rounds:
                raise TransitionError(
                    _("已办理%(n)s轮，不能再重新交办，请办结并转人大督办。")
                    % {"n": locked.round}
                )
        due = due_date or add_working_days(today, rules.opinion_due_working_days)
        if due <= today:
            raise DomainError(_("办理期限应晚于今天。"), field="due_date")
        round_number = locked.round + 1
        OpinionAssignment.objects.create(
            opinion=locked, round=round_number, unit=unit, due_date=due
        )
        _set(
            locked,
            target,
            actor,
            note or unit.name,
            round=round_number,
            due_date=due,
            current_unit=unit,
            visit_result="",
        )
        transaction.on_commit(lambda: _notify_unit(locked, unit, round_number))
    return locked


def opinion_reply(
    *, opinion: Opinion, text: str, actor: User | None, publish: bool = True
) -> Opinion:
    """The unit's answer, fed back to the citizen (published) and the deputies."""
    text = (text or "").strip()
    if not text:
        raise DomainError(_("请填写答复内容。"), field="text")
    with transaction.atomic():
        locked = _lock(opinion)
        if _check(locked, Opinion.Status.REPLIED):
            return locked
        assignment = locked.assignments.get(round=locked.round)
        assignment.reply_text = text
        assignment.replied_at = timezone.now()
        assignment.replied_by = actor
        assignment.save(update_fields=["reply_text", "replied_at", "replied_by"])
        _set(
            locked,
            Opinion.Status.REPLIED,
            actor,
            public_reply=text,
            is_reply_published=publish,
        )
        _feed_back(locked, event="replied", milestone=str(locked.round))
    return locked


def opinion_visit(
    *, opinion: Opinion, result: str, note: str = "", actor: User | None
) -> Opinion:
    """Record the follow-up call with the citizen (满意/基本满意/不满意)."""
    if result not in Opinion.VisitResult.values:
        raise DomainError(_("回访结果不正确。"), field="result")
    with transaction.atomic():
        locked = _lock(opinion)
        if _check(locked, Opinion.Status.VISITED):
            return locked
        assignment = locked.assignments.get(round=locked.round)
        assignment.visit_result = result
        assignment.visit_note = note
        assignment.save(update_fields=["visit_result", "visit_note"])
        _set(locked, Opinion.Status.VISITED, actor, note, visit_result=result)
    return locked


def opinion_close(*, opinion: Opinion, actor: User | None, note: str = "") -> Opinion:
    """Close after the visit. A dissatisfied citizen gets another round while the rule
    allows; after the last round the opinion closes flagged for congress supervision."""
    with transaction.atomic():
        locked = _lock(opinion)
        if _check(locked, Opinion.Status.CLOSED):
            return locked
        needs_supervision = False
        if locked.visit_result == Opinion.VisitResult.DISSATISFIED:
            if locked.round < opinion_rules(locked).opinion_max_rounds:
                raise TransitionError(_("群众对办理结果不满意，应当重新交办。"))
            needs_supervision = True
        _set(
            locked,
            Opinion.Status.CLOSED,
            actor,
            note,
            closed_at=timezone.now(),
            needs_supervision=needs_supervision,
        )
        _award_closure(locked)
    return locked


def opinion_convert(
    *, opinion: Opinion, mandate: Mandate, actor: User | None, note: str = ""
) -> Opinion:
    """Convert into a draft suggestion for a deputy (the proposals app picks it up)."""
    ensure_mandate_can(mandate, "submit")
    with transaction.atomic():
        locked = _lock(opinion)
        if _check(locked, Opinion.Status.CONVERTED):
            return locked
        _set(
            locked,
            Opinion.Status.CONVERTED,
            actor,
            note or mandate.person.name,
            converted_for=mandate,
        )
    return locked


def _feed_back(opinion: Opinion, *, event: str, milestone: str = "") -> None:
    """Tell the deputies who received the opinion (in-app) and the citizen (a text
    message) that it was replied to or closed; once per event key, after commit.
    Whichever congress handled it, the outcome comes back down to them."""
    key = f"opinion.{event}:{opinion.pk}:{milestone}"
    values = {"code": opinion.tracking_code}
    # The citizen's text message is in the site's language, whatever the
    # language of the staff member whose step sent it.
    with translation.override(settings.LANGUAGE_CODE):
        if event == "replied":
            title = Message(gettext_noop("您收集的群众意见 %(code)s 已有答复"), values)
            sms = (
                _("您反映的意见（查询码%(code)s）已有答复，可在“进度查询”中查看。")
                % values
            )
        else:
            title = Message(gettext_noop("您收集的群众意见 %(code)s 已办结"), values)
            sms = _("您反映的意见（查询码%(code)s）已办结，感谢您的参与。") % values
    phone = (opinion.submitter_phone or "").strip()
    message = None
    if phone:
        message, created = _sms_once(opinion, key=f"{key}:citizen", text=sms)
        if not created:
            message = None
    recipients = list(
        User.objects.filter(
            is_active=True, person__mandates__opinions=opinion
        ).distinct()
    )

    def deliver() -> None:
        for user in recipients:
            notification_create(
                recipient=user,
                kind=f"opinion.{event}",
                key=f"{key}:{user.pk}",
                title=title,
                target=opinion,
                actor=None,
            )
        if message is not None:
            _sms_send(message.pk, phone)

    transaction.on_commit(deliver)


def _sms_once(opinion: Opinion, *, key: str, text: str) -> tuple[OpinionSms, bool]:
    """The message row for ``key``, inserted before anything is sent."""
    existing = OpinionSms.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return OpinionSms.objects.create(opinion=opinion, key=key, text=text), True
    except IntegrityError:
        return OpinionSms.objects.get(key=key), False


def _sms_send(message_id: int, phone: str) -> None:
    """Send one citizen message through the SMS backend, unless already sent."""
    from portal.sms import get_backend

    message = OpinionSms.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return
    try:
        get_backend().send(
            phone=phone,
            text=f"【人大代表工作平台】{message.text}",
            message_id=message.key,
        )
    except Exception:  # a gateway failure must not undo the transition
        logger.exception("SMS to the citizen failed: %s", message.key)
        return
    OpinionSms.objects.filter(pk=message.pk).update(sent_at=timezone.now())


def _award_closure(opinion: Opinion) -> None:
    """Each deputy who received the opinion earns the 'opinion closed' points once,
    and the deputies and the citizen hear that it was closed."""
    _feed_back(opinion, event="closed")
    on = timezone.localdate()
    for mandate in opinion.deputies.select_related("congress"):
        ledger_record(
            mandate=mandate,
            kind="opinion_closed",
            occurred_on=on,
            source=opinion,
            actor=None,
        )


def station_staff_grant(
    *, user: User, station: Station, actor: User | None
) -> RoleGrant:
    """Make ``user`` staff of ``station`` (station master or liaison officer)."""
    from portal.services import role_grant_create

    return role_grant_create(
        user=user, role=Role.STATION_STAFF, station_id=station.pk, actor=actor
    )
