"""Read models of deputies, shared by the HTML pages and the API: list rows,
detail contexts, the deputy's own performance pages, the public directory, the
roster import pages and the to-do lists.

Lookups go through the querysets' ``visible_to`` (out of scope → 404); what the
user may do with a record comes from ``deputies.policies`` as ``can_*`` flags.
Public projections pass ``portal.privacy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from itertools import chain
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from portal.chinese import mask_id_number, mask_mobile
from portal.models import AuditEvent, Congress, User
from portal.policies import manages_any
from portal.privacy import scrub_public
from portal.registry import TODO_LIMIT, TodoItem, audit_action_label
from portal.rules import rules_for_many
from portal.workdays import add_working_days

from .archive import PointsTables, performance_archive
from .filters import MandateFilter
from .models import (
    Activity,
    Attendance,
    Delegation,
    DeputyGroup,
    GroupMembership,
    Mandate,
    QualificationEvent,
    RosterImport,
)
from .policies import (
    ActivityPolicy,
    AttendancePolicy,
    GroupPolicy,
    MandatePolicy,
    RosterPolicy,
)
from .querysets import MandateQuerySet, own_mandate_ids

# Audit rows shown on a detail page (newest first).
AUDIT_LIMIT = 100

STATUS_BADGES: dict[str, str] = {
    Mandate.Status.ACTIVE: "ok",
    Mandate.Status.SUSPENDED: "warn",
    Mandate.Status.TERMINATED: "danger",
    Mandate.Status.EXPIRED: "muted",
}
REVIEW_BADGES: dict[str, str] = {
    Activity.Review.PENDING: "warn",
    Activity.Review.APPROVED: "ok",
    Activity.Review.RETURNED: "danger",
}

# Ledger kinds are the rule set's points-table keys (other apps add theirs).
LEDGER_KIND_LABELS = {
    **dict(Activity.Kind.choices),
    "station_duty_half_day": _("联络站接待（半天）"),
    "suggestion_registered": _("建议被立案"),
    "bill_registered": _("议案被立案"),
    "suggestion_cosigned": _("联名（附议）的建议被立案"),
    "bill_cosigned": _("联名的议案被列入会议议程"),
    "suggestion_merged": _("领衔的建议并案办理"),
    "reply_rated_a": _("建议答复为A类（已解决）"),
    "key_supervision_selected": _("建议列为重点督办"),
    "opinion_closed": _("群众意见办结"),
    "unexcused_absence": _("无故缺席"),
    # issue 16: organs
    "standing_meeting_attended": _("列席常委会会议"),
    "organ_contact": _("国家机关联系代表"),
    # end issue 16: organs
    # issue 16: sessions
    "session_leave": _("大会请假（已批准）"),
    "session_absence": _("未经批准缺席大会"),
    "deliberation_speech": _("审议发言"),
    "speech_adopted": _("审议发言被采纳"),
    "training_half_day": _("参加培训（按半天）"),
}

GROUND_LABELS = dict(QualificationEvent.GROUND_CHOICES)

AUDIT_ACTION_LABELS = {
    "mandate.create": _("登记代表资格"),
    "mandate.suspend": _("暂停执行代表职务"),
    "mandate.restore": _("恢复执行代表职务"),
    "mandate.terminate": _("代表资格终止"),
    "mandate.expire": _("任期届满"),
    "person.update": _("修改个人信息"),
    "personal_data.reveal": _("查看完整手机号码和身份证号码"),
    "activity.create": _("登记活动"),
    "activity.review": _("审核活动"),
    "activity.evidence_add": _("上传佐证材料"),
    "ledger.revoke": _("撤销履职积分"),
    # issue 16: sessions
    "absence_flag.raise": _("提示：未经批准两次不出席本级人民代表大会会议"),
    "absence_flag.dismiss": _("研究后不启动代表资格终止程序"),
}

RUNNING_IMPORTS = (
    RosterImport.Status.UPLOADED,
    RosterImport.Status.VALIDATING,
    RosterImport.Status.IMPORTING,
)


def _badge(status: str) -> str:
    return STATUS_BADGES.get(status, "muted")


def timeline_rows(events: Iterable[AuditEvent]) -> list[dict[str, Any]]:
    """Audit rows with a readable action and reason (a legal ground's label)."""
    return [
        {
            "event": e,
            "label": AUDIT_ACTION_LABELS.get(e.action) or audit_action_label(e.action),
            "note": GROUND_LABELS.get(e.reason, e.reason),
        }
        for e in events
    ]


def ledger_rows(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """Ledger entries with the label of their kind."""
    return [
        {"entry": e, "label": LEDGER_KIND_LABELS.get(e.kind, e.kind)} for e in entries
    ]


def _audit_of(obj: Any) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.for_object(obj)
        .select_related("actor")
        .order_by("-created_at", "-id")[:AUDIT_LIMIT]
    )


# --- the deputy list ----------------------------------------------------------------------


def visible_mandates(user: User) -> MandateQuerySet:
    """The mandates the user may see, with what a list row shows."""
    return Mandate.objects.visible_to(user).with_list_related()


def mandate_search(
    user: User, params: Mapping[str, Any], queryset: QuerySet[Mandate] | None = None
) -> MandateFilter:
    """The deputy list's filter set over ``queryset`` (default: the mandates the
    user may see), shared by the list page, its Excel export and the API."""
    if queryset is None:
        queryset = visible_mandates(user)
    return MandateFilter(params, queryset=queryset, user=user)


def mandate_rows(mandates: Iterable[Mandate]) -> list[dict[str, Any]]:
    """Rows of the deputy list: masked mobile, status badge."""
    return [
        {
            "mandate": m,
            "mobile": mask_mobile(m.person.mobile),
            "badge": _badge(m.status),
        }
        for m in mandates
    ]


def group_ids_of(mandates) -> dict[int, list[int]]:
    """``{mandate id: [group id, …]}`` for a page of mandates, the groups in
    their own order (``DeputyGroup.Meta.ordering``), as ``mandate.groups.all()``
    gives them."""
    ids = [m.pk for m in mandates]
    found: dict[int, list[int]] = {}
    rows = (
        GroupMembership.objects.filter(mandate_id__in=ids)
        .order_by(
            *[f"group__{f}" for f in DeputyGroup._meta.ordering or ()], "group_id"
        )
        .values_list("mandate_id", "group_id")
    )
    for mandate_id, group_id in rows:
        found.setdefault(mandate_id, []).append(group_id)
    return found


# --- one mandate ----------------------------------------------------------------------------


def mandate_get(user: User, pk: int) -> Mandate:
    """The mandate with what its pages show; 404 when out of the user's scope."""
    return get_object_or_404(
        Mandate.objects.visible_to(user).select_related(
            "person",
            "congress__region",
            "term",
            "constituency__region",
            "delegation__term",
            "electing_congress__region",
        ),
        pk=pk,
    )


def mandate_detail(
    user: User, mandate: Mandate, *, revealed: bool = False
) -> dict[str, Any]:
    """The detail page of a mandate: the person (mobile and ID masked unless
    ``revealed``), the other mandates, qualification events, the audit timeline
    (for those who govern the region), groups, this year's ledger, and the
    ``can_*`` flags of ``MandatePolicy``."""
    person = mandate.person
    flags = MandatePolicy.flags(user, mandate)
    year = timezone.localdate().year
    ledger = list(mandate.ledger.for_year(year).order_by("-occurred_on", "-id"))
    history = (
        Mandate.objects.visible_to(user)
        .filter(person=person)
        .select_related("congress", "term")
        .order_by("-term__start_date", "congress__region__path")
    )
    timeline = []
    if flags["can_view_timeline"]:
        events = chain.from_iterable(_audit_of(obj) for obj in (mandate, person))
        newest_first = sorted(events, key=lambda e: (e.created_at, e.pk), reverse=True)
        timeline = timeline_rows(newest_first[:AUDIT_LIMIT])
    return {
        **flags,
        "mandate": mandate,
        "person": person,
        "badge": _badge(mandate.status),
        "mobile": person.mobile if revealed else mask_mobile(person.mobile),
        "id_number": person.id_number if revealed else mask_id_number(person.id_number),
        "revealed": revealed,
        "history": [{"mandate": m, "badge": _badge(m.status)} for m in history],
        "events": mandate.events.select_related("actor").order_by("date", "id"),
        "timeline": timeline,
        "groups": mandate.groups.order_by("name"),
        "ledger_year": year,
        "ledger": ledger_rows(ledger),
        "ledger_total": sum(e.points for e in ledger),
    }


# --- groups and delegations -------------------------------------------------------------------


def groups_with_counts(user: User) -> QuerySet[DeputyGroup]:
    """The groups the user may see with their congress, leader and member count
    (the group list page and the API)."""
    return (
        DeputyGroup.objects.visible_to(user)
        .select_related("congress", "leader__person")
        .annotate(member_count=Count("memberships"))
    )


def group_list(user: User, congress: Congress | None = None) -> QuerySet[DeputyGroup]:
    """The group list page: by region, then name; one congress when given."""
    groups = groups_with_counts(user).order_by("congress__region__path", "name")
    if congress is not None:
        groups = groups.filter(congress=congress)
    return groups


def group_get(user: User, pk: int) -> DeputyGroup:
    """A group the user may see (else 404)."""
    return get_object_or_404(
        DeputyGroup.objects.visible_to(user).select_related(
            "congress__region", "leader__person"
        ),
        pk=pk,
    )


def group_detail(user: User, group: DeputyGroup) -> dict[str, Any]:
    """Members (in name order, with their status), recent activities, flags."""
    memberships = group.memberships.select_related(
        "mandate__person", "mandate__constituency"
    ).order_by("mandate__name_stroke_key", "mandate_id")
    return {
        **GroupPolicy.flags(user, group),
        "group": group,
        "memberships": [
            {"membership": ms, "badge": _badge(ms.mandate.status)} for ms in memberships
        ],
        "activities": group.activities.order_by("-date", "-id")[:10],
    }


def delegation_list(
    user: User, congress: Congress | None = None
) -> QuerySet[Delegation]:
    """Delegations of the congresses the user governs, with head and member count."""
    delegations = (
        Delegation.objects.visible_to(user)
        .select_related("congress", "term", "head__person")
        .annotate(member_count=Count("members"))
        .order_by("congress__region__path", "-term__number", "name")
    )
    if congress is not None:
        delegations = delegations.filter(congress=congress)
    return delegations


# --- activities ---------------------------------------------------------------------------------


def activity_list(user: User) -> QuerySet[Activity]:
    """Activities the user may see, newest first, with their participant count."""
    return (
        Activity.objects.visible_to(user)
        .select_related("congress", "group")
        .annotate(participant_count=Count("attendances"))
        .order_by("-date", "-id")
    )


def activity_rows(activities: Iterable[Activity]) -> list[dict[str, Any]]:
    return [
        {"activity": a, "badge": REVIEW_BADGES.get(a.review_status, "muted")}
        for a in activities
    ]


def activities_with_attendances(user: User) -> QuerySet[Activity]:
    """Activities the user may see with every attendance and its deputy (API)."""
    return Activity.objects.visible_to(user).prefetch_related(
        Prefetch(
            "attendances",
            queryset=Attendance.objects.select_related("mandate__person"),
        )
    )


def activity_get(user: User, pk: int) -> Activity:
    """An activity the user may see (else 404)."""
    return get_object_or_404(
        Activity.objects.visible_to(user).select_related(
            "congress__region", "group", "created_by"
        ),
        pk=pk,
    )


def activity_detail(user: User, activity: Activity) -> dict[str, Any]:
    """Participants in name order, evidence, the audit timeline (for those who
    govern the region) and the ``can_*`` flags of ``ActivityPolicy``."""
    flags = ActivityPolicy.flags(user, activity)
    attendances = list(
        activity.attendances.select_related("mandate__person").order_by(
            "mandate__name_stroke_key", "mandate_id"
        )
    )
    timeline = []
    if flags["can_view_timeline"]:
        timeline = timeline_rows(_audit_of(activity))
    return {
        **flags,
        "activity": activity,
        "badge": REVIEW_BADGES.get(activity.review_status, "muted"),
        "attendances": attendances,
        "evidence": activity.evidence.select_related("uploaded_by").order_by(
            "uploaded_at"
        ),
        "timeline": timeline,
    }


# --- the deputy's own pages -----------------------------------------------------------------


def my_mandates(user: User) -> list[Mandate]:
    """The user's own mandates, current terms first."""
    return list(
        Mandate.objects.of_user(user)
        .select_related(
            "congress__region", "term", "constituency", "delegation", "person"
        )
        .order_by("-term__is_current", "-term__start_date", "congress__region__path")
    )


def performance_years(mandates: list[Mandate], today: date | None = None) -> list[int]:
    """The years a deputy may look back on: this year down to their first term's."""
    today = today or timezone.localdate()
    first = min([m.term.start_date.year for m in mandates] or [today.year])
    return list(range(today.year, first - 1, -1))


def my_performance(user: User, mandates: list[Mandate], year: int) -> dict[str, Any]:
    """我的履职 of ``year``: one page across the person's mandates (a section per
    mandate of a term covering the year, each level ranked by its own points
    table), with the ledger, points by kind and rankings; the activities waiting
    for the deputy's confirmation."""
    archives = []
    tables = PointsTables()
    for m in mandates:
        if not m.term.start_date.year <= year <= m.term.end_date.year:
            continue
        archive = performance_archive(m, year, tables=tables)
        archives.append(
            {
                "mandate": m,
                "archive": archive,
                "ledger": ledger_rows(archive.entries),
                "by_kind": [
                    {**row, "label": LEDGER_KIND_LABELS.get(row["kind"], row["kind"])}
                    for row in archive.by_kind
                ],
            }
        )
    attendances = (
        Attendance.objects.filter(mandate__person__user=user, confirmed_at__isnull=True)
        .select_related("activity", "mandate__congress", "mandate__person")
        .order_by("activity__date", "activity_id")
    )
    # The policy decides whether 确认参加 is offered; an activity already
    # approved (points counted) shows its state instead.
    to_confirm = [
        {
            "attendance": a,
            "counted": a.activity.review_status == Activity.Review.APPROVED,
            **AttendancePolicy.flags(user, a),
        }
        for a in attendances
    ]
    return {
        "mandates": [{"mandate": m, "badge": _badge(m.status)} for m in mandates],
        "archives": archives,
        "year": year,
        "to_confirm": to_confirm,
    }


def own_attendance_get(user: User, pk: int) -> Attendance:
    """One of the user's own attendance records (anyone else's is a 404)."""
    return get_object_or_404(
        Attendance.objects.select_related("activity", "mandate__person"),
        pk=pk,
        mandate__person__user=user,
    )


# --- public directory -----------------------------------------------------------------------


def public_directory(congress: Congress, q: str = "") -> QuerySet[Mandate]:
    """代表名录 of one congress: its current, active deputies in 姓氏笔画 order,
    loading only the public fields; ``q`` narrows to names containing it
    (through the bigram index of ``portal.search``, as the roster's search; a
    card number is never searched in public)."""
    found = Mandate.objects.public().filter(congress=congress)
    q = "".join(q.split())[:20]
    if q:
        from .models import Person

        found = found.filter(
            person__in=Person.objects.filter(name__has_text=q).values("pk")
        )
    return (
        found.select_related("person", "constituency")
        .only(
            "id",
            "name_stroke_key",
            "congress",
            "constituency",
            "person__name",
            "person__photo",
            "person__biography",
            "constituency__name",
        )
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=DeputyGroup.objects.only("id", "name").order_by("name"),
            )
        )
        .order_by_name("stroke")
    )


def public_card(mandate: Mandate) -> dict[str, Any]:
    """Only the public fields (DESIGN.md §3): never mobile, ID, birth date; the
    biography scrubbed of contact data typed into it."""
    person = mandate.person
    card = {
        "id": mandate.pk,
        "name": person.name,
        "photo_url": person.photo.url if person.photo else "",
        "initial": person.name[:1],
        "constituency": mandate.constituency.name if mandate.constituency else "",
        "groups": [g.name for g in mandate.groups.all()],
        "biography": person.biography,
    }
    return scrub_public(card, keep=("photo_url",))


# --- roster import ------------------------------------------------------------------------------


def roster_import_get(user: User, pk: int) -> RosterImport:
    """An import job the user may see (else 404)."""
    return get_object_or_404(RosterImport.objects.visible_to(user), pk=pk)


def recent_imports(user: User, limit: int = 10) -> QuerySet[RosterImport]:
    return RosterImport.objects.visible_to(user).select_related("created_by")[:limit]


def import_status(job: RosterImport) -> dict[str, Any]:
    """A job's progress (the detail page and the JSON that static/js/roster.js polls)."""
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.status in RUNNING_IMPORTS,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.progress_percent,
        "progress_text": _t("已处理 %(done)s / %(total)s 行（%(percent)s%%）")
        % {
            "done": job.processed_rows,
            "total": job.total_rows,
            "percent": job.progress_percent,
        },
        "error_count": len(job.errors),
        "imported_count": job.imported_count,
    }


def import_detail(user: User, job: RosterImport) -> dict[str, Any]:
    """Progress, then the file's errors and the row-numbered errors (rows in
    order), and whether the user may confirm the import."""
    errors = sorted(
        job.errors, key=lambda e: (e.get("row") is not None, e.get("row") or 0)
    )
    row_errors = [e for e in errors if e.get("row") is not None]
    return {
        "job": job,
        "running": job.status in RUNNING_IMPORTS,
        "status": import_status(job),
        "file_errors": [e for e in errors if e.get("row") is None],
        "row_errors": row_errors,
        "error_row_count": len({e["row"] for e in row_errors}),
        "can_commit": RosterPolicy.allows(user, "commit", job),
    }


# --- to-dos -------------------------------------------------------------------------------------


def deputy_todos(user: User) -> list[TodoItem]:
    """A deputy's activities awaiting confirmation; congress staff's activities
    awaiting review (regions they manage)."""
    if not user.is_authenticated:
        return []
    items = []
    mine = reverse("deputies:my_performance")
    # Someone with no mandate has nothing to confirm: one cached read, no join.
    mandate_ids = own_mandate_ids(user)
    to_confirm = (
        Attendance.objects.filter(
            mandate_id__in=mandate_ids,
            confirmed_at__isnull=True,
            activity__review_status="pending",
        )
        .select_related("activity")
        .order_by("activity__date", "activity_id")[:TODO_LIMIT]
        if mandate_ids
        else []
    )
    for attendance in to_confirm:
        items.append(
            TodoItem(
                title=_t("请确认参加履职活动：%(title)s")
                % {"title": attendance.activity.title},
                url=mine,  # an activity date is not a deadline: listed without one
                kind="deputies.attendance_confirm",
            )
        )
    if manages_any(user):
        pending = list(
            Activity.objects.manageable_by(user)
            .pending()
            .select_related("congress__region")
            .only("id", "title", "date", "congress__level", "congress__region")
            .order_by("date", "id")[: TODO_LIMIT + 1]
        )
        # Reviewed within the rule's working days of the activity (per congress).
        rules = rules_for_many({a.congress_id: a.congress for a in pending}.values())
        for activity in pending[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=_t("履职活动待审核：%(title)s") % {"title": activity.title},
                    url=reverse("deputies:activity_detail", args=[activity.pk]),
                    due_date=add_working_days(
                        activity.date,
                        rules[activity.congress_id].activity_review_working_days,
                    ),
                    kind="deputies.activity_review",
                )
            )
        if len(pending) > TODO_LIMIT:
            items.append(
                TodoItem(
                    title=_t("更多待审核的履职活动"),
                    url=reverse("deputies:activity_list") + "?review=pending",
                    kind="deputies.activity_review",
                )
            )
    return items
