"""Every write of deputies' data and every qualification transition.

Other apps call ``ensure_mandate_can`` before letting a deputy act and
``ledger_record`` to award performance points; nothing else computes points.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import workflow
from portal.chinese import validate_mobile, validate_resident_id
from portal.models import AuditEvent, Congress, Session, Term, User
from portal.names import pinyin_sort_key, stroke_sort_key
from portal.rules import rules_for
from portal.services import DomainError, TransitionError, audit_record

from .choices import SuspensionGround, TerminationGround
from .models import (
    Activity,
    Attendance,
    Constituency,
    Delegation,
    DeputyGroup,
    GroupMembership,
    LedgerEntry,
    Mandate,
    Person,
    QualificationEvent,
    VoterReport,
)
from .policies import ensure_mandate_can  # noqa: F401  (callers import it from here)

# Ledger kinds of activity kinds where the points table names them differently.
ACTIVITY_LEDGER_KIND = {"station_duty": "station_duty_half_day"}

PERSON_FIELDS = {
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "employer",
    "post",
    "occupation",
    "is_frontline",
    "mobile",
    "id_number",
    "photo",
    "biography",
    "residence_region",
    "user",
}


# --- persons -------------------------------------------------------------------


def _clean_person(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = (fields.get("name") or "").strip()
    if "name" in fields:
        if not name:
            errors["name"] = [_("请填写姓名。")]
        fields["name"] = name
    if fields.get("id_number"):
        fields["id_number"] = fields["id_number"].strip().upper()
        try:
            validate_resident_id(fields["id_number"])
        except ValidationError as exc:
            errors["id_number"] = exc.messages
    if fields.get("mobile"):
        fields["mobile"] = fields["mobile"].strip()
        try:
            validate_mobile(fields["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return fields


def person_create(*, actor: User | None, **fields: Any) -> Person:
    """Create a person after validating ID number and mobile."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    fields = _clean_person(fields)
    if (
        fields.get("id_number")
        and Person.objects.filter(id_number=fields["id_number"]).exists()
    ):
        raise ValidationError({"id_number": [_("该身份证号码已登记。")]})
    person = Person(**fields)
    person.name_stroke_key = stroke_sort_key(person.name)
    person.name_pinyin = pinyin_sort_key(person.name)
    person.save()
    return person


def person_update(*, person: Person, actor: User | None, **fields: Any) -> Person:
    """Change a person's data; the name keys follow the name."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    fields = _clean_person(fields)
    if (
        fields.get("id_number")
        and Person.objects.filter(id_number=fields["id_number"])
        .exclude(pk=person.pk)
        .exists()
    ):
        raise ValidationError({"id_number": [_("该身份证号码已登记。")]})
    for key, value in fields.items():
        setattr(person, key, value)
    person.name_stroke_key = stroke_sort_key(person.name)
    person.name_pinyin = pinyin_sort_key(person.name)
    person.save()
    person.mandates.update(
        name_stroke_key=person.name_stroke_key, name_pinyin=person.name_pinyin
    )
    audit_record(
        actor=actor,
        action="person.update",
        target=person,
        data={"fields": sorted(fields)},
    )
    return person


# --- mandates and qualification ----------------------------------------------------


def deputy_register(
    *,
    person_fields: dict[str, Any],
    mandate_fields: dict[str, Any],
    actor: User | None,
) -> Mandate:
    """Register a new deputy: the person and the mandate, both or neither."""
    with transaction.atomic():
        person = person_create(actor=actor, **person_fields)
        return mandate_create(person=person, actor=actor, **mandate_fields)


DIRECTLY_ELECTED_LEVELS = frozenset({Congress.Level.COUNTY, Congress.Level.TOWNSHIP})


def _electoral_unit_errors(
    *,
    congress: Congress,
    constituency: Constituency | None,
    electing_congress: Congress | None,
    elected_by_army: bool,
) -> dict[str, list[str]]:
    """Where a mandate of ``congress`` was won (选举法): county and township
    deputies in a constituency (选区) of that congress; deputies of the city level
    and above by their electing unit (原选举单位), the congress one level below in
    the region (a province deputy elected by a city congress) or the army.

    Returns field errors (empty when right); the roster import checks the same
    rules row by row (roster/lookups.py).
    """
    errors: dict[str, list[str]] = {}
    if constituency is not None and constituency.congress_id != congress.pk:
        errors["constituency"] = [_("选区不属于该人民代表大会。")]
    if congress.level in DIRECTLY_ELECTED_LEVELS:
        if constituency is None:
            errors.setdefault("constituency", [_("县、乡两级人大代表须填写选区。")])
        if electing_congress is not None or elected_by_army:
            errors["electing_congress"] = [
                _("县、乡两级人大代表由选民直接选举，没有原选举单位。")
            ]
        return errors
    if electing_congress is not None and elected_by_army:
        errors["electing_congress"] = [
            _("原选举单位只能是下一级人民代表大会或解放军选举单位之一。")
        ]
    elif electing_congress is None and not elected_by_army:
        errors["electing_congress"] = [
            _(
                "设区的市级以上人大代表须填写原选举单位"
                "（下一级人民代表大会或解放军选举单位）。"
            )
        ]
    elif electing_congress is not None:
        parent = electing_congress.parent_congress()
        if parent is None or parent.pk != congress.pk:
            errors["electing_congress"] = [
                _("%(electing)s不是%(congress)s下一级的人民代表大会。")
                % {"electing": electing_congress.name, "congress": congress.name}
            ]
    return errors


def mandate_create(
    *,
    person: Person,
    congress: Congress,
    term: Term,
    card_number: str,
    constituency: Constituency | None = None,
    electing_congress: Congress | None = None,
    elected_by_army: bool = False,
    delegation: Delegation | None = None,
    elected_on: date | None = None,
    actor: User | None,
) -> Mandate:
    """Register a mandate of ``person`` in ``congress`` for ``term``, won in a
    constituency (county, township) or by an electing unit (city and above)."""
    card_number = card_number.strip()
    errors = _electoral_unit_errors(
        congress=congress,
        constituency=constituency,
        electing_congress=electing_congress,
        elected_by_army=elected_by_army,
    )
    if term.congress_id != congress.pk:
        errors["term"] = [_("届次不属于该人民代表大会。")]
    if not card_number:
        errors["card_number"] = [_("请填写代表证号。")]
    elif Mandate.objects.filter(term=term, card_number=card_number).exists():
        errors["card_number"] = [
            _("代表证号“%(number)s”已被使用。") % {"number": card_number}
        ]
    if delegation is not None and delegation.term_id != term.pk:
        errors["delegation"] = [_("代表团不属于该届人民代表大会。")]
    if Mandate.objects.filter(term=term, person=person).exists():
        errors["person"] = [_("该人员在本届已有代表资格。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        mandate = Mandate.objects.create(
            person=person,
            name_stroke_key=person.name_stroke_key,
            name_pinyin=person.name_pinyin,
            congress=congress,
            term=term,
            card_number=card_number,
            constituency=constituency,
            electing_congress=electing_congress,
            elected_by_army=elected_by_army,
            delegation=delegation,
            elected_on=elected_on,
        )
        audit_record(
            actor=actor,
            action="mandate.create",
            target=mandate,
            to_state=mandate.status,
            region_path=congress.region.path,
        )
    return mandate


# The statuses in which a mandate still runs (and so may end).
RUNNING_STATUSES = (Mandate.Status.ACTIVE, Mandate.Status.SUSPENDED)

_FINAL_STATE_MESSAGES: dict[str, Any] = {
    Mandate.Status.TERMINATED: gettext_lazy("代表资格已终止，不能再变更。"),
    Mandate.Status.EXPIRED: gettext_lazy("代表任期已届满，不能再变更。"),
}


def _transition(
    *,
    mandate: Mandate,
    kind: str,
    to_status: str,
    ground: str,
    on: date,
    document_number: str,
    actor: User | None,
    refusals: dict[str, str] | None = None,
) -> Mandate:
    """Lock, check, change, record (STYLE.md: a transition, always the same shape)."""
    reasons = {**_FINAL_STATE_MESSAGES, **(refusals or {})}
    with transaction.atomic():
        locked = (
            Mandate.objects.select_for_update()
            .select_related("congress__region", "person")
            .get(pk=mandate.pk)
        )
        from_status = locked.status
        ended = to_status in (Mandate.Status.TERMINATED, Mandate.Status.EXPIRED)
        if not workflow.transition(
            locked,
            to=to_status,
            actor=actor,
            event_model=QualificationEvent,
            event_fields={
                "mandate": locked,
                "kind": kind,
                "ground": ground,
                "date": on,
                "document_number": document_number,
            },
            refuse=lambda m, target: reasons.get(m.status),
            timestamps={"ended_on": on if ended else None},
        ):
            return locked
        audit_record(
            actor=actor,
            action=f"mandate.{kind}",
            target=locked,
            from_state=from_status,
            to_state=to_status,
            reason=ground,
            data={"document_number": document_number, "date": on.isoformat()},
            region_path=locked.congress.region.path,
        )
    mandate.status, mandate.ended_on = locked.status, locked.ended_on
    return locked


def mandate_suspend(
    *,
    mandate: Mandate,
    ground: str,
    on: date,
    document_number: str = "",
    actor: User | None,
) -> Mandate:
    """暂停执行代表职务 on one of the two grounds of 代表法第四十九条."""
    if ground not in SuspensionGround.values:
        raise DomainError(_("暂停执行代表职务的法定事由不正确。"), field="ground")
    return _transition(
        mandate=mandate,
        kind=QualificationEvent.Kind.SUSPEND,
        to_status=Mandate.Status.SUSPENDED,
        ground=ground,
        on=on,
        document_number=document_number,
        actor=actor,
        refusals={
            Mandate.Status.TERMINATED: _("代表资格已终止，不能暂停执行代表职务。"),
            Mandate.Status.EXPIRED: _("代表任期已届满，不能暂停执行代表职务。"),
        },
    )


def mandate_restore(
    *, mandate: Mandate, on: date, document_number: str = "", actor: User | None
) -> Mandate:
    """恢复执行代表职务 once the ground of the suspension has ended."""
    message = _("代表资格已终止或任期已届满，不能恢复执行代表职务。")
    return _transition(
        mandate=mandate,
        kind=QualificationEvent.Kind.RESTORE,
        to_status=Mandate.Status.ACTIVE,
        ground="ground_ended",
        on=on,
        document_number=document_number,
        actor=actor,
        refusals={Mandate.Status.TERMINATED: message, Mandate.Status.EXPIRED: message},
    )


def mandate_terminate(
    *,
    mandate: Mandate,
    ground: str,
    on: date,
    document_number: str,
    actor: User | None,
) -> Mandate:
    """代表资格终止 on one of the seven grounds of 代表法第五十条 or the deputy's
    death (死亡), with the announcement."""
    if ground not in TerminationGround.values:
        raise DomainError(_("代表资格终止的法定事由不正确。"), field="ground")
    if not (document_number or "").strip():
        raise DomainError(_("代表资格终止须填写公告编号。"), field="document_number")
    return _transition(
        mandate=mandate,
        kind=QualificationEvent.Kind.TERMINATE,
        to_status=Mandate.Status.TERMINATED,
        ground=ground,
        on=on,
        document_number=document_number.strip(),
        actor=actor,
    )


def mandate_expire(*, mandate: Mandate, on: date, actor: User | None) -> Mandate:
    """任期届满: the term ended."""
    return _transition(
        mandate=mandate,
        kind=QualificationEvent.Kind.EXPIRE,
        to_status=Mandate.Status.EXPIRED,
        ground="term_end",
        on=on,
        document_number="",
        actor=actor,
    )


def mandates_expire_for_new_term(
    *, term: Term, on: date, actor: User | None
) -> list[Mandate]:
    """任期届满 of the previous terms' deputies when ``term`` first meets on ``on``.

    A deputy's term runs from the first session of their congress's term to the
    first session of the next one (代表法: 代表的任期，从每届本级人民代表大会举行
    第一次会议开始，到下届本级人民代表大会举行第一次会议为止), not for a fixed five
    years: the mandates of earlier terms of the congress that are still running
    (active or suspended) expire on that date. The new term's mandates, often
    of the same persons, stay as they are. Idempotent: an expired mandate is
    not touched again.
    """
    expired = []
    for mandate in Mandate.objects.expiring_with(term).order_by("pk"):
        expired.append(mandate_expire(mandate=mandate, on=on, actor=actor))
    return expired


def mandates_expire_due(*, today: date, actor: User | None) -> int:
    """Expire every mandate whose congress's next term has held its first
    session (第一次会议) on or before ``today`` (the daily beat job). Returns the
    number of mandates expired; a second run the same day finds none."""
    first_sessions = (
        Session.objects.filter(number=1, start_date__lte=today)
        .select_related("term")
        .order_by("term__congress_id", "term__number")
    )
    running = Mandate.objects.filter(status__in=[*RUNNING_STATUSES]).filter(
        Exists(
            first_sessions.filter(
                term__congress_id=OuterRef("congress_id"),
                term__number__gt=OuterRef("term__number"),
            )
        )
    )
    due_congresses = set(running.values_list("congress_id", flat=True))
    count = 0
    for session in first_sessions.filter(term__congress_id__in=due_congresses):
        # Oldest new term first: a mandate ends at the first session after it.
        count += len(
            mandates_expire_for_new_term(
                term=session.term, on=session.start_date, actor=actor
            )
        )
    return count


def reveal_personal_data(
    *, actor: User, mandates: list[Mandate], ip_address: str | None = None
) -> None:
    """Log that ``user`` saw the full mobile and ID number of these deputies (PIPL)."""
    personal_data_reveals_record(
        actor=actor,
        reveals=[
            RevealedDeputy(m.pk, m.person.name, m.congress.region.path)
            for m in mandates
        ],
        ip_address=ip_address,
    )


class RevealedDeputy(NamedTuple):
    """What the audit row of one reveal names (the export reads these as plain
    values, without loading the mandate)."""

    mandate_id: int
    name: str
    region_path: str


def personal_data_reveals_record(
    *,
    actor: User,
    reveals: Iterable[RevealedDeputy],
    ip_address: str | None = None,
    reason: str = "",
) -> int:
    """One ``personal_data.reveal`` audit row per deputy in ``reveals``, in one
    insert; returns how many were written. ``reveal_personal_data`` and the
    export (a chunk of rows at a time) both log through here."""
    content_type = ContentType.objects.get_for_model(Mandate)  # cached after once
    events = [
        AuditEvent(
            actor=actor,
            action="personal_data.reveal",
            content_type=content_type,
            object_id=str(reveal.mandate_id),
            object_repr=reveal.name[:200],
            ip_address=ip_address,
            region_path=reveal.region_path,
            reason=reason,
        )
        for reveal in reveals
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
    return len(events)


# --- performance ledger ------------------------------------------------------------


def ledger_record(
    *,
    mandate: Mandate,
    kind: str,
    occurred_on: date,
    source=None,
    key: str = "",
    points: int | None = None,
    note: str = "",
    actor: User | None,
) -> LedgerEntry | None:
    """Award the points of ``kind`` (from the congress's rule set) once per source.

    Returns None when the event was already recorded (same key).
    """
    table = rules_for(mandate.congress).points
    if points is None:
        if kind not in table:
            raise DomainError(_("积分表中没有“%(kind)s”这一项。") % {"kind": kind})
        points = table[kind]
    if not key:
        if source is None:
            raise ValueError("ledger_record needs a source or a key")
        key = _ledger_key(kind, source, mandate)
    try:
        with transaction.atomic():
            return LedgerEntry.objects.create(
                mandate=mandate,
                kind=kind,
                points=points,
                occurred_on=occurred_on,
                year=occurred_on.year,
                key=key[:200],
                content_type=ContentType.objects.get_for_model(source)
                if source is not None
                else None,
                object_id=str(source.pk) if source is not None else "",
                note=note[:200],
            )
    except IntegrityError:
        return None


def _ledger_key(kind: str, source, mandate: Mandate) -> str:
    """The key ``ledger_record`` gives the points of ``kind`` for ``source``."""
    return f"{kind}:{source._meta.label_lower}:{source.pk}:{mandate.pk}"[:200]


def ledger_record_each(
    *,
    mandates: Iterable[Mandate],
    kind: str,
    occurred_on: date,
    source,
    actor: User | None,
) -> int:
    """Award the points of ``kind`` to each of ``mandates`` for ``source``, once
    each (the co-signers of a registered item): one read of each congress's
    points table and one insert; rows already recorded are left as they are.
    Returns the number of mandates asked for."""
    mandates = list(mandates)
    if not mandates:
        return 0
    congresses = {m.congress_id: m.congress for m in mandates}
    tables = {pk: rules_for(c).points for pk, c in congresses.items()}
    missing = [pk for pk, table in tables.items() if kind not in table]
    if missing:
        raise DomainError(_("积分表中没有“%(kind)s”这一项。") % {"kind": kind})
    content_type = ContentType.objects.get_for_model(source)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                mandate=m,
                kind=kind,
                points=tables[m.congress_id][kind],
                occurred_on=occurred_on,
                year=occurred_on.year,
                key=_ledger_key(kind, source, m),
                content_type=content_type,
                object_id=str(source.pk),
            )
            for m in mandates
        ],
        ignore_conflicts=True,
    )
    return len(mandates)


def ledger_revoke(*, key: str, reason: str, actor: User | None) -> bool:
    """Take back the points recorded under ``key`` when the event they counted
    no longer stands (a rating a callback found untrue): the row goes, so the
    event can count again if it happens again, and an audit row keeps what was
    taken back and why. False when nothing was recorded under ``key``."""
    with transaction.atomic():
        entry = (
            LedgerEntry.objects.select_for_update()
            .select_related("mandate__congress__region")
            .filter(key=key)
            .first()
        )
        if entry is None:
            return False
        audit_record(
            actor=actor,
            action="ledger.revoke",
            target=entry.mandate,
            reason=reason,
            data={
                "key": entry.key,
                "kind": entry.kind,
                "points": entry.points,
                "occurred_on": entry.occurred_on.isoformat(),
            },
            region_path=entry.mandate.congress.region.path,
        )
        entry.delete()
    return True


# --- groups and delegations --------------------------------------------------------


def group_create(
    *,
    congress: Congress,
    name: str,
    kind: str,
    leader: Mandate | None = None,
    annual_plan: str = "",
    actor: User | None,
) -> DeputyGroup:
    """Create a deputy group of ``congress``."""
    if DeputyGroup.objects.filter(congress=congress, name=name.strip()).exists():
        raise ValidationError({"name": [_("该人大已有同名代表小组。")]})
    group = DeputyGroup.objects.create(
        congress=congress,
        name=name.strip(),
        kind=kind,
        leader=leader,
        annual_plan=annual_plan,
    )
    if leader is not None:
        group_add_members(group=group, mandates=[leader], actor=actor)
    audit_record(
        actor=actor,
        action="group.create",
        target=group,
        region_path=congress.region.path,
    )
    return group


def group_add_members(
    *,
    group: DeputyGroup,
    mandates: list[Mandate],
    joined_on: date | None = None,
    actor: User | None,
) -> int:
    """Add deputies to a group (a deputy may be in several groups): of any level,
    when elected in or living in the region of the group's congress
    (``MandateQuerySet.eligible_for_group``)."""
    eligible = set(
        Mandate.objects.eligible_for_group(group)
        .filter(pk__in=[m.pk for m in mandates])
        .values_list("pk", flat=True)
    )
    wrong = [m for m in mandates if m.pk not in eligible]
    if wrong:
        raise DomainError(
            _("%(name)s不是在本行政区域选出或居住的代表，不能加入该小组。")
            % {"name": wrong[0].person.name}
        )
    created = GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=group, mandate=m, joined_on=joined_on)
            for m in mandates
        ],
        ignore_conflicts=True,
    )
    return len(created)


def group_remove_member(
    *, group: DeputyGroup, mandate: Mandate, actor: User | None
) -> None:
    GroupMembership.objects.filter(group=group, mandate=mandate).delete()
    if group.leader_id == mandate.pk:
        group.leader = None
        group.save(update_fields=["leader"])


def delegation_create(
    *,
    congress: Congress,
    term: Term,
    name: str,
    head: Mandate | None = None,
    actor: User | None,
) -> Delegation:
    """Create a delegation (county level and above)."""
    if congress.level == Congress.Level.TOWNSHIP:
        raise DomainError(_("乡镇人大不设代表团。"))
    if term.congress_id != congress.pk:
        raise DomainError(_("届次不属于该人民代表大会。"), field="term")
    if Delegation.objects.filter(term=term, name=name.strip()).exists():
        raise ValidationError({"name": [_("该届已有同名代表团。")]})
    return Delegation.objects.create(
        congress=congress, term=term, name=name.strip(), head=head
    )


# --- activities ---------------------------------------------------------------------


def activity_create(
    *,
    congress: Congress,
    kind: str,
    title: str,
    date: date,
    participants: list[Mandate],
    actor: User | None,
    group: DeputyGroup | None = None,
    organiser: str = "",
    location: str = "",
    description: str = "",
    session: Session | None = None,
) -> Activity:
    """Record an activity and invite its participants (attendance follows);
    ``session``: pre-session work (会前视察、集中学习) of one of its sessions."""
    if kind not in Activity.Kind.values:
        raise DomainError(_("活动类型不正确。"), field="kind")
    # issue 16: sessions
    if session is not None and session.term.congress_id != congress.pk:
        raise DomainError(_("所选会议不是本级人民代表大会的会议。"), field="session")
    with transaction.atomic():
        activity = Activity.objects.create(
            congress=congress,
            group=group,
            kind=kind,
            title=title.strip(),
            date=date,
            organiser=organiser,
            location=location,
            description=description,
            created_by=actor,
            session=session,
        )
        Attendance.objects.bulk_create(
            [Attendance(activity=activity, mandate=m) for m in participants],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            action="activity.create",
            target=activity,
            to_state=activity.review_status,
            region_path=congress.region.path,
        )
    return activity


def attendance_set(
    *, activity: Activity, mandate: Mandate, status: str, actor: User | None
) -> Attendance:
    """Record whether a participant attended (before the activity is approved)."""
    activity.refresh_from_db(fields=["review_status"])
    if activity.review_status == Activity.Review.APPROVED:
        raise TransitionError(_("活动已审核，不能再修改出席情况。"))
    if status not in Attendance.Status.values:
        raise DomainError(_("出席情况不正确。"), field="status")
    attendance, _created = Attendance.objects.update_or_create(
        activity=activity, mandate=mandate, defaults={"status": status}
    )
    return attendance


def attendance_set_many(
    *,
    activity: Activity,
    changes: Iterable[tuple[Mandate, str]],
    actor: User,
) -> int:
    """Record the attendance of several participants, all or none (the attendance
    table of the activity page). Returns the number of rows changed."""
    count = 0
    with transaction.atomic():
        for mandate, status in changes:
            attendance_set(
                activity=activity, mandate=mandate, status=status, actor=actor
            )
            count += 1
    return count


def attendance_confirm(*, attendance: Attendance, actor: User) -> Attendance:
    """The deputy confirms their own attendance (待确认的活动), before the review."""
    if attendance.mandate.person.user_id != actor.pk:
        raise DomainError(_("只能确认本人的出席记录。"))
    if (
        attendance.activity.review_status == Activity.Review.APPROVED
        and attendance.confirmed_at is None
    ):
        raise TransitionError(_("活动已审核，出席情况以审核结果为准。"))
    if attendance.confirmed_at is None:
        attendance.confirmed_at = timezone.now()
        if attendance.status == Attendance.Status.INVITED:
            attendance.status = Attendance.Status.ATTENDED
        attendance.save(update_fields=["confirmed_at", "status"])
    return attendance


def activity_review(
    *, activity: Activity, approve: bool, note: str = "", actor: User | None
) -> Activity:
    """Approve an activity (points for those who attended, a deduction for unexcused
    absence) or return it with a note."""
    target = Activity.Review.APPROVED if approve else Activity.Review.RETURNED
    with transaction.atomic():
        locked = (
            Activity.objects.select_for_update()
            .select_related("congress__region")
            .get(pk=activity.pk)
        )
        if not workflow.check(
            locked,
            to=target,
            field="review_status",
            allowed=Activity.REVIEW_TRANSITIONS,
            refuse=lambda activity, target: _("活动已审核通过，不能再退回。"),
        ):
            return locked
        if not approve and not note.strip():
            raise DomainError(_("退回须说明理由。"), field="note")
        from_status = locked.review_status
        locked.review_status = target
        locked.review_note = note
        locked.save(update_fields=["review_status", "review_note"])
        audit_record(
            actor=actor,
            action="activity.review",
            target=locked,
            from_state=from_status,
            to_state=target,
            reason=note,
            region_path=locked.congress.region.path,
        )
        if approve:
            for attendance in locked.attendances.select_related("mandate__congress"):
                if attendance.status == Attendance.Status.ATTENDED:
                    ledger_record(
                        mandate=attendance.mandate,
                        kind=ACTIVITY_LEDGER_KIND.get(locked.kind, locked.kind),
                        occurred_on=locked.date,
                        source=locked,
                        note=locked.title,
                        actor=actor,
                    )
                elif attendance.status == Attendance.Status.ABSENT:
                    ledger_record(
                        mandate=attendance.mandate,
                        kind="unexcused_absence",
                        occurred_on=locked.date,
                        source=locked,
                        note=locked.title,
                        actor=actor,
                    )
    return locked


def activity_evidence_add(
    *, activity: Activity, file, description: str = "", actor: User | None
):
    """Attach an evidence file (photo, minutes, report) to an activity."""
    from .models import ActivityEvidence

    with transaction.atomic():
        evidence = ActivityEvidence.objects.create(
            activity=activity, file=file, description=description, uploaded_by=actor
        )
        audit_record(
            actor=actor,
            action="activity.evidence_add",
            target=activity,
            data={
                "evidence": evidence.pk,
                "name": evidence.file.name.rsplit("/", 1)[-1],
            },
            region_path=activity.congress.region.path,
        )
    return evidence


def voter_report_create(
    *, mandate: Mandate, actor: User | None, **fields: Any
) -> VoterReport:
    """Record a report to voters (述职) and its points."""
    with transaction.atomic():
        report = VoterReport.objects.create(mandate=mandate, **fields)
        ledger_record(
            mandate=mandate,
            kind="report_to_voters",
            occurred_on=report.date,
            source=report,
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="voter_report.create",
            target=report,
            region_path=mandate.congress.region.path,
        )
    return report
