"""Who may do what with deputies' records (DESIGN.md §3, §11; see portal/policies.py).

The only module of deputies that reads the user's scope to decide an action.
Congress staff *act* (register, change qualification, edit, record activities
and groups) only for their own congress (``acts_for``): upper and lower
congresses have no leadership relation (DESIGN.md §11), so staff of a congress
above read and supervise what lies below (``manages_path``: the full personal
data, the timeline) but get a 403 for its mandates' changes. Congress staff and
leaders read what they govern (``governs_path``), and the electing congress
(原选举单位) reads the higher-level deputies it elected. Which records a user sees at all is the querysets'
``visible_to`` (out of scope → 404); these policies say what they may do with
what they see (else 403).

Where a model has an allowed-transitions map (``Mandate.TRANSITIONS``,
``Activity.REVIEW_TRANSITIONS``) an action is offered only when the map allows
it from the current state. Handlers of a transition require ``manage`` only, so
a refused or repeated transition gets the service's specific reason (or its
no-op) rather than a bare 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, User
from portal.policies import Policy
from portal.scoping import scope_for
from portal.services import DomainError

from .models import Activity, Attendance, Mandate, RosterImport

# What a deputy may be stopped from doing when the mandate is not active.
ACTIONS = {
    "schedule": _("安排接待"),
    "submit": _("提交议案建议"),
    "co_sign": _("联名提出议案建议"),
    "vote": _("参加表决"),
    "evaluate": _("评价办理结果"),
}


if TYPE_CHECKING:
    from portal.scoping import UserScope

__all__ = [
    "ActivityPolicy",
    "CongressPolicy",
    "GroupPolicy",
    "MandatePolicy",
    "RosterPolicy",
    "WorkspacePolicy",
    "managed_congresses",
]


def managed_congresses(user: User) -> QuerySet[Congress]:
    """Congresses whose records (deputies, groups, activities) the user may
    create or change, in region order: the congresses the user acts for (their
    own congress; a sub-district grant's county congress), all for admins."""
    scope = scope_for(user)
    congresses = Congress.objects.select_related("region").order_by("region__path")
    if scope.is_admin:
        return congresses
    ids = set(scope.acting_congress_ids)
    ids.update(cid for cid, _path in scope.acting_subdistricts)
    return congresses.filter(pk__in=ids)


def _path(obj: Any) -> str:
    """The region path a record belongs to (through its congress)."""
    return obj.congress.region.path


def _item_path(obj: Any) -> str:
    """The finest region of a record, for sub-district grants: a mandate's
    constituency when it has a region, else the congress's region."""
    constituency = getattr(obj, "constituency", None)
    if constituency is not None and constituency.region_id is not None:
        return constituency.region.path
    return _path(obj)


def _manages(scope: UserScope, user: User, obj: Any) -> bool:
    return scope.manages_path(_path(obj))


def _acts(scope: UserScope, user: User, obj: Any) -> bool:
    """Staff of the record's own congress (not of a congress above), admins."""
    return scope.acts_for(obj.congress_id, _item_path(obj))


def _governs(scope: UserScope, user: User, obj: Any) -> bool:
    return scope.governs_path(_path(obj))


def _governs_or_elected(scope: UserScope, user: User, mandate: Mandate) -> bool:
    """Governs the mandate's region, or that of its electing congress."""
    if _governs(scope, user, mandate):
        return True
    electing = mandate.electing_congress
    return electing is not None and scope.governs_path(electing.region.path)


_NOT_OWN_CONGRESS = _(
    "上下级人大之间没有领导关系：只有本级人大的工作人员可以办理本级代表的事项，"
    "上级人大可以查阅和监督。"
)


class WorkspacePolicy(Policy):
    """The staff workspace as a whole (no object): its lists, and new records."""

    checks = {
        # Lists of deputies, groups, delegations and activities.
        "browse": lambda scope, user, obj: scope.governs_any,
        # New deputies, groups, activities: some congress they manage exists.
        "create": lambda scope, user, obj: managed_congresses(user).exists(),
        # A full export (mobiles, ID numbers) is for staff who manage deputies:
        # the file then holds full data only for those they manage.
        "export_full": lambda scope, user, obj: scope.manages_any,
        # Township congresses have no delegations.
        "create_delegation": lambda scope, user, obj: (
            managed_congresses(user).exclude(level=Congress.Level.TOWNSHIP).exists()
        ),
    }
    reasons = {
        "export_full": _("只有管理代表的人大工作人员可以导出完整的身份证号和手机号。")
    }


def _may_become(status: str) -> Callable[[UserScope, User, Mandate], bool]:
    def check(scope: UserScope, user: User, mandate: Mandate) -> bool:
        return _acts(scope, user, mandate) and status in Mandate.TRANSITIONS.get(
            mandate.status, set()
        )

    return check


class MandatePolicy(Policy):
    """A mandate and the person holding it."""

    # The qualification changes offered on the detail page, by target status.
    TRANSITION_ACTIONS = {
        "suspend": Mandate.Status.SUSPENDED,
        "restore": Mandate.Status.ACTIVE,
        "terminate": Mandate.Status.TERMINATED,
    }

    checks = {
        # Edit the person, record qualification changes: the deputy's own
        # congress only (a congress above supervises, it does not act).
        "manage": _acts,
        # See the full mobile and ID number (each reveal is logged): staff of
        # the congress and of the congresses above, who supervise.
        "reveal": _manages,
        # The audit timeline of the mandate and the person; the electing
        # congress (原选举单位) supervises the deputies it elected.
        "view_timeline": _governs_or_elected,
        **{action: _may_become(to) for action, to in TRANSITION_ACTIONS.items()},
    }
    reasons = {
        "manage": _NOT_OWN_CONGRESS,
        **dict.fromkeys(TRANSITION_ACTIONS, _NOT_OWN_CONGRESS),
    }

    @classmethod
    def revealable(cls, user: User, mandates: list[Mandate]) -> list[Mandate]:
        """The mandates among ``mandates`` whose full personal data ``user`` may see
        (one query, so a page of mandates without their regions loaded costs one)."""
        if not mandates:
            return []
        allowed = set(
            Mandate.objects.manageable_by(user)
            .filter(pk__in=[m.pk for m in mandates])
            .values_list("pk", flat=True)
        )
        return [m for m in mandates if m.pk in allowed]


def _review_open(activity: Activity) -> bool:
    return bool(Activity.REVIEW_TRANSITIONS.get(activity.review_status))


_ACTIVITY_REFUSAL = _(
    "只有组织活动的本级人大工作人员可以登记和审核活动；上级人大可以查阅和监督。"
)


def _review_and_manage(scope: UserScope, user: User, activity: Activity) -> bool:
    return _acts(scope, user, activity) and _review_open(activity)


class ActivityPolicy(Policy):
    """A performance activity: review, attendance and evidence."""

    checks = {
        "manage": _acts,
        # Approve or return: while the review map allows a next state.
        "review": _review_and_manage,
        # Attendance is fixed once the review is final (points are awarded).
        "record_attendance": _review_and_manage,
        "add_evidence": _acts,
        "view_timeline": _governs,
    }
    reasons = {
        "manage": _ACTIVITY_REFUSAL,
        "review": _ACTIVITY_REFUSAL,
        "record_attendance": _ACTIVITY_REFUSAL,
        "add_evidence": _ACTIVITY_REFUSAL,
    }


def _may_confirm(scope: UserScope, user: User, attendance: Attendance) -> bool:
    """The deputy's own attendance, not confirmed yet, of an activity whose
    review is not final: once approved the points are counted and the
    attendance is what the review says (``services.attendance_confirm``)."""
    return (
        bool(user.is_authenticated)
        and attendance.mandate.person.user_id == user.pk
        and attendance.confirmed_at is None
        and attendance.activity.review_status != Activity.Review.APPROVED
    )


class AttendancePolicy(Policy):
    """A deputy's attendance of an activity (待确认的活动 on 我的履职)."""

    checks = {"confirm": _may_confirm}
    reasons = {"confirm": _("活动已审核，出席情况以审核结果为准。")}


class CongressPolicy(Policy):
    """New records in one congress (the API names the congress in the request)."""

    checks = {
        "record_activity": lambda scope, user, congress: scope.acts_for(
            congress.pk, congress.region.path
        ),
    }
    reasons = {"record_activity": _ACTIVITY_REFUSAL}


class GroupPolicy(Policy):
    """A deputy group: its members (the organising congress's staff)."""

    checks = {"manage": _acts}
    reasons = {"manage": _NOT_OWN_CONGRESS}


class RosterPolicy(Policy):
    """Roster import: congress staff who manage some region, and admins.

    ``import_into`` takes a congress named in a roster row; ``commit`` takes an
    import job.
    """

    checks = {
        "import": lambda scope, user, obj: scope.manages_any,
        "import_into": lambda scope, user, congress: scope.acts_for(
            congress.pk, congress.region.path
        ),
        "commit": lambda scope, user, job: (
            scope.manages_any and job.status == RosterImport.Status.VALID
        ),
    }
    reasons = {"import": _("您没有导入代表名册的权限。")}


def ensure_mandate_can(mandate: Mandate, action: str) -> None:
    """Refuse when the mandate is not active (suspended, terminated, expired).

    The one shared check that stations, proposals and livelihood votes call
    before scheduling, submitting, co-signing or voting.
    """
    if mandate.status == Mandate.Status.ACTIVE:
        return
    label = ACTIONS[action]
    messages: dict[str, str] = {
        Mandate.Status.SUSPENDED: gettext(
            "%(name)s已暂停执行代表职务，不能%(action)s。"
        ),
        Mandate.Status.TERMINATED: gettext(
            "%(name)s的代表资格已终止，不能%(action)s。"
        ),
        Mandate.Status.EXPIRED: gettext("%(name)s的代表任期已届满，不能%(action)s。"),
    }
    raise DomainError(
        messages[mandate.status] % {"name": mandate.person.name, "action": label}
    )


# --- issue 16: sessions — attendance, leave, speeches, training ------------------------

_SESSION_REFUSAL = _(
    "只有本级人大的工作人员可以办理本级人民代表大会会议的出席、请假、审议发言和"
    "培训事项；上级人大可以查阅和监督。"
)


def _session_congress_acts(scope: UserScope, session: Any) -> bool:
    congress = session.term.congress
    return scope.acts_for(congress.pk, congress.region.path)


class SessionPolicy(Policy):
    """A session of a congress: its attendance sheet, meetings and speeches."""

    checks = {
        "manage": lambda scope, user, session: _session_congress_acts(scope, session),
        "view": lambda scope, user, session: scope.governs_path(
            session.term.congress.region.path
        ),
    }
    reasons = {"manage": _SESSION_REFUSAL}


def _own(user: User, mandate: Mandate) -> bool:
    return bool(user.is_authenticated and mandate.person.user_id == user.pk)


class LeavePolicy(Policy):
    """A leave request: staff of the session's congress decide, the deputy withdraws."""

    checks = {
        "decide": lambda scope, user, leave: (
            _session_congress_acts(scope, leave.session) and leave.status == "pending"
        ),
        "withdraw": lambda scope, user, leave: (
            _own(user, leave.mandate) and leave.status == "pending"
        ),
        # The deputy's own request (the handler's check; the state is the service's).
        "own": lambda scope, user, leave: _own(user, leave.mandate),
    }
    reasons = {
        "decide": _SESSION_REFUSAL,
        "own": _("只能撤回本人的请假。"),
        "withdraw": _("只能撤回本人待批准的请假。"),
    }


class AbsenceFlagPolicy(Policy):
    """The termination ground reached by absences: staff of the deputy's congress decide."""

    checks = {
        "manage": lambda scope, user, flag: _acts(scope, user, flag.mandate),
        "decide": lambda scope, user, flag: (
            _acts(scope, user, flag.mandate) and flag.status == "open"
        ),
    }
    reasons = {"manage": _NOT_OWN_CONGRESS, "decide": _NOT_OWN_CONGRESS}


class CoursePolicy(Policy):
    """A training course: the organising congress's staff enrol and record attendance."""

    checks = {
        "manage": _acts,
        # Every enrolment (staff who govern the region); a deputy sees their own.
        "view_enrolments": _governs,
    }
    reasons = {"manage": _SESSION_REFUSAL}


def may_request_leave(user: User, mandate: Mandate, session: Any) -> bool:
    """The deputy themself (or staff of the congress) for an active mandate of
    the session's term."""
    if mandate.term_id != session.term_id or mandate.status != Mandate.Status.ACTIVE:
        return False
    return _own(user, mandate) or _session_congress_acts(scope_for(user), session)
