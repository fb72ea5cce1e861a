"""Read models of the session work (issue 16), shared by the HTML pages, the
API and the report: session lists, the attendance sheet, leave approvals,
speeches and their rates, courses and 培训覆盖率, the deputy's own pages and
the staff to-dos (leave to decide, the absence ground, initial training due).

Every rate is given with its numerator and denominator.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t

from portal.models import Congress, Session, User
from portal.policies import manages_any
from portal.registry import TODO_LIMIT, TodoItem
from portal.rules import rules_for, rules_for_many
from portal.scoping import governed_q
from portal.workdays import add_months

from .models import Mandate
from .policies import (
    AbsenceFlagPolicy,
    CoursePolicy,
    LeavePolicy,
    SessionPolicy,
    managed_congresses,
)
from .querysets import own_mandate_ids
from .session_models import (
    AbsenceFlag,
    DeliberationMeeting,
    Enrolment,
    LeaveRequest,
    SessionAttendance,
    Speech,
    TrainingCourse,
)
from .session_services import APPROVER_LABELS, leave_deadline


def absence_ground_text() -> str:
    """The legal text shown with the absence ground (to-do, flag page)."""
    return _t(
        "《全国人民代表大会和地方各级人民代表大会代表法》第五十条第一款第三项："
        "代表未经批准两次不出席本级人民代表大会会议的，其代表资格终止。"
        "县级以上由代表资格审查委员会报本级人大常委会予以公告；"
        "乡镇由代表资格审查委员会报本级人民代表大会予以公告。"
    )


def rate(numerator: int, denominator: int) -> dict[str, Any]:
    """A rate with both terms (None when there is nothing to divide by)."""
    return {
        "numerator": numerator,
        "denominator": denominator,
        "percent": round(100 * numerator / denominator, 1) if denominator else None,
    }


# --- sessions ------------------------------------------------------------------------


def session_list(user: User) -> QuerySet[Session]:
    """Sessions of the congresses the user governs, newest first, with counts."""
    return (
        Session.objects.filter(governed_q(user, "term__congress__region__path"))
        .select_related("term__congress")
        .annotate(
            present=Count(
                "deputy_attendances",
                filter=Q(deputy_attendances__status="present"),
                distinct=True,
            ),
            on_leave=Count(
                "deputy_attendances",
                filter=Q(deputy_attendances__status="leave"),
                distinct=True,
            ),
            absent=Count(
                "deputy_attendances",
                filter=Q(deputy_attendances__status="absent"),
                distinct=True,
            ),
            pending_leave=Count(
                "leave_requests",
                filter=Q(leave_requests__status="pending"),
                distinct=True,
            ),
        )
        .order_by("-start_date", "-id")
    )


def session_get(user: User, pk: int) -> Session:
    """A session the user governs (else 404)."""
    return get_object_or_404(
        Session.objects.filter(
            governed_q(user, "term__congress__region__path")
        ).select_related("term__congress__region"),
        pk=pk,
    )


def _term_mandates(session: Session) -> QuerySet[Mandate]:
    """The deputies expected at the session: mandates of its term holding their
    seat (active or suspended: a suspended deputy is recorded as not attending)."""
    return (
        Mandate.objects.filter(
            term_id=session.term_id,
            status__in=[Mandate.Status.ACTIVE, Mandate.Status.SUSPENDED],
        )
        .select_related("person", "delegation")
        .order_by("name_stroke_key", "id")
    )


def attendance_sheet(user: User, session: Session) -> dict[str, Any]:
    """Every expected deputy with their attendance and approved leave (3 queries)."""
    mandates = list(_term_mandates(session))
    recorded = dict(
        SessionAttendance.objects.filter(session=session).values_list(
            "mandate_id", "status"
        )
    )
    leaves = dict(
        LeaveRequest.objects.filter(session=session)
        .exclude(status=LeaveRequest.Status.WITHDRAWN)
        .values_list("mandate_id", "status")
    )
    rows = [
        {"mandate": m, "status": recorded.get(m.pk, ""), "leave": leaves.get(m.pk, "")}
        for m in mandates
    ]
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in recorded.values()}
    total = len(rows)
    return {
        **SessionPolicy.flags(user, session),
        "session": session,
        "rows": rows,
        "total": total,
        "present": rate(counts.get("present", 0), total),
        "on_leave": counts.get("leave", 0),
        "absent": counts.get("absent", 0),
        "unrecorded": total - sum(counts.values()),
        "leave_deadline": leave_deadline(session),
        "approver": APPROVER_LABELS.get(
            rules_for(session.term.congress).session_leave_approver, ""
        ),
        "pre_session": session.pre_session_activities.order_by("date", "id"),
        "meetings": session.deliberation_meetings.select_related(
            "delegation", "group"
        ).annotate(speech_count=Count("speeches")),
    }


# --- leave ---------------------------------------------------------------------------------


def leave_list(user: User) -> QuerySet[LeaveRequest]:
    """Leave requests the user may see, pending first, then newest."""
    return (
        LeaveRequest.objects.visible_to(user)
        .select_related("session__term__congress__region", "mandate__person")
        .order_by(
            # pending before decided
            "-status",
            "-submitted_at",
            "-id",
        )
    )


def leave_get(user: User, pk: int) -> LeaveRequest:
    return get_object_or_404(
        LeaveRequest.objects.visible_to(user).select_related(
            "session__term__congress__region", "mandate__person"
        ),
        pk=pk,
    )


def leave_rows(user: User, leaves) -> list[dict[str, Any]]:
    return [
        {
            "leave": leave,
            "approver": APPROVER_LABELS.get(leave.approver, leave.approver),
            **LeavePolicy.flags(user, leave),
        }
        for leave in leaves
    ]


# --- meetings and speeches ----------------------------------------------------------------------


def meeting_get(user: User, pk: int) -> DeliberationMeeting:
    return get_object_or_404(
        DeliberationMeeting.objects.visible_to(user).select_related(
            "session__term__congress__region", "delegation", "group"
        ),
        pk=pk,
    )


def meeting_detail(user: User, meeting: DeliberationMeeting) -> dict[str, Any]:
    return {
        **SessionPolicy.flags(user, meeting.session),
        "meeting": meeting,
        "session": meeting.session,
        "speeches": meeting.speeches.select_related(
            "mandate__person", "research_activity"
        ).order_by("id"),
    }


def speech_get(user: User, pk: int) -> Speech:
    return get_object_or_404(
        Speech.objects.visible_to(user).select_related(
            "meeting__session__term__congress__region", "mandate__person"
        ),
        pk=pk,
    )


def speaking_report(session: Session) -> dict[str, Any]:
    """Speaking rate per delegation or group (speakers ÷ members), deputies
    without a speech at the session and over the term, adoption rate."""
    speeches = Speech.objects.filter(meeting__session=session)
    speakers = set(speeches.values_list("mandate_id", flat=True))
    mandates = list(_term_mandates(session).filter(status=Mandate.Status.ACTIVE))
    bodies: list[dict[str, Any]] = []
    delegations: dict[int, list[Mandate]] = {}
    for m in mandates:
        if m.delegation_id:
            delegations.setdefault(m.delegation_id, []).append(m)
    names = {m.delegation.pk: m.delegation.name for m in mandates if m.delegation}
    for pk, members in sorted(delegations.items(), key=lambda kv: names[kv[0]]):
        spoke = sum(1 for m in members if m.pk in speakers)
        bodies.append({"name": names[pk], **rate(spoke, len(members))})
    groups = (
        session.deliberation_meetings.filter(group__isnull=False)
        .values_list("group_id", "group__name")
        .distinct()
    )
    active_ids = {m.pk for m in mandates}
    for group_id, group_name in groups:
        from .models import GroupMembership

        members_ids = (
            set(
                GroupMembership.objects.filter(group_id=group_id).values_list(
                    "mandate_id", flat=True
                )
            )
            & active_ids
        )
        bodies.append(
            {"name": group_name, **rate(len(members_ids & speakers), len(members_ids))}
        )
    term_speakers = set(
        Speech.objects.filter(meeting__session__term_id=session.term_id).values_list(
            "mandate_id", flat=True
        )
    )
    totals = speeches.aggregate(
        n=Count("pk"),
        adopted=Count("pk", filter=Q(outcome__in=Speech.ADOPTED_OUTCOMES)),
    )
    return {
        "bodies": bodies,
        "speaking": rate(len(speakers & active_ids), len(mandates)),
        "adoption": rate(totals["adopted"], totals["n"]),
        "silent_session": [m for m in mandates if m.pk not in speakers],
        "silent_term": [m for m in mandates if m.pk not in term_speakers],
    }


# --- training -----------------------------------------------------------------------------------


def course_list(user: User) -> QuerySet[TrainingCourse]:
    return (
        TrainingCourse.objects.visible_to(user)
        .select_related("congress")
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            attended=Count(
                "enrolments", filter=Q(enrolments__status="attended"), distinct=True
            ),
        )
        .order_by("-start_date", "-id")
    )


def course_get(user: User, pk: int) -> TrainingCourse:
    return get_object_or_404(
        TrainingCourse.objects.visible_to(user).select_related("congress__region"),
        pk=pk,
    )


def course_detail(user: User, course: TrainingCourse) -> dict[str, Any]:
    flags = CoursePolicy.flags(user, course)
    enrolments = course.enrolments.select_related(
        "mandate__person", "mandate__congress"
    )
    if not flags["can_view_enrolments"]:
        # A deputy sees the course and their own enrolment only.
        enrolments = enrolments.filter(mandate_id__in=own_mandate_ids(user))
    return {
        **flags,
        "course": course,
        "enrolments": list(enrolments.order_by("mandate__name_stroke_key", "pk")),
        "points_per_half_day": rules_for(course.congress).points["training_half_day"],
    }


def training_coverage(user: User) -> list[dict[str, Any]]:
    """培训覆盖率 per congress (its current term) in the user's region:
    active deputies who attended at least one course ÷ active deputies,
    ordered by level then region; one query."""
    trained = Enrolment.objects.filter(
        mandate=OuterRef("pk"), status=Enrolment.Status.ATTENDED
    )
    rows = (
        Mandate.objects.filter(
            governed_q(user, "congress__region__path"),
            term__is_current=True,
            status=Mandate.Status.ACTIVE,
        )
        .annotate(trained=Exists(trained))
        .values("congress__name", "congress__level", "term__number")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(trained=True)))
        .order_by("congress__level", "congress__name")
    )
    levels = dict(Congress.Level.choices)
    return [
        {
            "congress": r["congress__name"],
            "level": levels.get(r["congress__level"], r["congress__level"]),
            "term": r["term__number"],
            **rate(r["done"], r["total"]),
        }
        for r in rows
    ]


def initial_training_overdue(
    congresses, today: date | None = None
) -> QuerySet[Mandate]:
    """First-term deputies (no mandate of an earlier term of the same congress)
    of ``congresses`` who did not attend an initial course (初任培训) within
    ``initial_training_months`` (rule) of their election or the term's start."""
    today = today or timezone.localdate()
    congresses = list(congresses)
    # One condition per distinct rule value (not per congress: a province's
    # staff see thousands of congresses, nearly all with the default).
    by_months: dict[int, list[int]] = {}
    for pk, rules in rules_for_many(congresses).items():
        by_months.setdefault(rules.initial_training_months, []).append(pk)
    q = Q(pk__in=[])
    for months, ids in by_months.items():
        cutoff = add_months(today, -months)
        q |= Q(congress_id__in=ids) & (
            Q(elected_on__lt=cutoff)
            | Q(elected_on__isnull=True, term__start_date__lt=cutoff)
        )
    earlier = Mandate.objects.filter(
        person=OuterRef("person"),
        congress=OuterRef("congress"),
        term__number__lt=OuterRef("term__number"),
    )
    initial = Enrolment.objects.filter(
        mandate=OuterRef("pk"),
        status=Enrolment.Status.ATTENDED,
        course__kind=TrainingCourse.Kind.INITIAL,
    )
    return (
        Mandate.objects.filter(q, term__is_current=True, status=Mandate.Status.ACTIVE)
        .filter(~Exists(earlier), ~Exists(initial))
        .select_related("person", "congress")
        .order_by("congress_id", "name_stroke_key", "id")
    )


# --- the deputy's own pages -----------------------------------------------------------------


def my_sessions(user: User, today: date | None = None) -> dict[str, Any]:
    """My attendance, leave requests and speeches; sessions I may still ask leave for."""
    today = today or timezone.localdate()
    own = own_mandate_ids(user)
    upcoming = list(
        Session.objects.filter(
            term__mandates__in=own,
            term__mandates__status=Mandate.Status.ACTIVE,
            end_date__gte=today,
        )
        .select_related("term__congress__region")
        .distinct()
        .order_by("start_date")
    )
    congresses = {s.term.congress_id: s.term.congress for s in upcoming}
    rules = rules_for_many(congresses.values())
    return {
        "upcoming": [
            {
                "session": session,
                "leave_deadline": session.start_date
                - timedelta(
                    days=rules[session.term.congress_id].session_leave_days_before
                ),
            }
            for session in upcoming
        ],
        "attendance": SessionAttendance.objects.filter(mandate_id__in=own)
        .select_related("session__term__congress")
        .order_by("-session__start_date"),
        "leaves": leave_rows(
            user,
            LeaveRequest.objects.filter(mandate_id__in=own)
            .select_related("session__term__congress__region", "mandate__person")
            .order_by("-submitted_at", "-id"),
        ),
        "speeches": Speech.objects.filter(mandate_id__in=own)
        .select_related("meeting__session__term__congress", "research_activity")
        .order_by("-meeting__date", "-id"),
    }


def own_session_mandate(user: User, session: Session) -> Mandate:
    """The user's active mandate of the session's term (else 404)."""
    return get_object_or_404(
        Mandate.objects.select_related("person", "congress"),
        pk__in=own_mandate_ids(user),
        term_id=session.term_id,
    )


def deputy_session_get(user: User, pk: int) -> Session:
    """A session of a term the user holds a mandate of (else 404)."""
    return get_object_or_404(
        Session.objects.select_related("term__congress__region"),
        pk=pk,
        term__mandates__in=own_mandate_ids(user),
    )


def my_training(user: User) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(mandate_id__in=own_mandate_ids(user))
        .select_related("course__congress")
        .order_by("-course__start_date", "-id")
    )


# --- to-dos --------------------------------------------------------------------------------


def session_todos(user: User) -> list[TodoItem]:
    """Congress staff: leave requests to decide, the absence termination ground
    reached (with the legal text; staff decide), first-term deputies without
    initial training past the rule's months."""
    if not user.is_authenticated or not manages_any(user):
        return []
    items: list[TodoItem] = []
    # The congresses the user acts for (their own; all for admins).
    congresses = managed_congresses(user)
    leaves = (
        LeaveRequest.objects.pending()
        .filter(session__term__congress__in=congresses)
        .select_related("session__term__congress", "mandate__person")
    )
    flags = (
        AbsenceFlag.objects.open()
        .filter(mandate__congress__in=congresses)
        .select_related("mandate__person")
    )
    for leave in leaves.order_by("session__start_date", "id")[:TODO_LIMIT]:
        items.append(
            TodoItem(
                title=_t("请假待批准：%(name)s（%(session)s）")
                % {"name": leave.mandate.person.name, "session": leave.session},
                url=reverse("deputies:leave_list"),
                due_date=leave.session.start_date,
                kind="deputies.leave_decide",
            )
        )
    for flag in flags[:TODO_LIMIT]:
        items.append(
            TodoItem(
                title=_t(
                    "%(name)s已%(n)s次未经批准不出席本级人民代表大会会议，"
                    "请研究是否依法终止代表资格。%(law)s"
                )
                % {
                    "name": flag.mandate.person.name,
                    "n": flag.absences,
                    "law": absence_ground_text(),
                },
                url=reverse("deputies:absence_flag", args=[flag.pk]),
                kind="deputies.absence_flag",
            )
        )
    count = initial_training_overdue(congresses).count()
    if count:
        items.append(
            TodoItem(
                title=_t("%(n)s名新任代表逾期未参加初任培训") % {"n": count},
                url=reverse("deputies:course_list") + "#initial-overdue",
                kind="deputies.initial_training",
            )
        )
    return items


def absence_flag_get(user: User, pk: int) -> AbsenceFlag:
    return get_object_or_404(
        AbsenceFlag.objects.visible_to(user).select_related(
            "mandate__person", "mandate__congress__region", "decided_by"
        ),
        pk=pk,
    )


def absence_flag_detail(user: User, flag: AbsenceFlag) -> dict[str, Any]:
    return {
        **AbsenceFlagPolicy.flags(user, flag),
        "flag": flag,
        "law": absence_ground_text(),
        "absences": SessionAttendance.objects.filter(
            mandate=flag.mandate, status=SessionAttendance.Status.ABSENT
        )
        .select_related("session__term__congress")
        .order_by("session__start_date"),
    }
