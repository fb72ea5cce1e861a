"""Who may do what with deputies' records (DESIGN.md §3, §11; see portal/policies.py).

The only module of deputies that reads the user's scope to decide an action.
Congress staff act on the records of their own region and the regions below
(``manages_path``); congress staff and leaders read what they govern
(``governs_path``). Which records a user sees at all is the querysets'
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
from portal.services import DomainError

from .models import Activity, Mandate, RosterImport

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
    create or change, in region order: congress staff of the region, admins."""
    return (
        Congress.objects.manageable_by(user)
        .select_related("region")
        .order_by("region__path")
    )


def _path(obj: Any) -> str:
    """The region path a record belongs to (through its congress)."""
    return obj.congress.region.path


def _manages(scope: UserScope, user: User, obj: Any) -> bool:
    return scope.manages_path(_path(obj))


def _governs(scope: UserScope, user: User, obj: Any) -> bool:
    return scope.governs_path(_path(obj))


class WorkspacePolicy(Policy):
    """The staff workspace as a whole (no object): its lists, and new records."""

    checks = {
        # Lists of deputies, groups, delegations and activities.
        "browse": lambda scope, user, obj: scope.governs_any,
        # New deputies, groups, activities: some congress they manage exists.
        "create": lambda scope, user, obj: managed_congresses(user).exists(),
        # Township congresses have no delegations.
        "create_delegation": lambda scope, user, obj: (
            managed_congresses(user).exclude(level=Congress.Level.TOWNSHIP).exists()
        ),
    }


def _may_become(status: str) -> Callable[[UserScope, User, Mandate], bool]:
    def check(scope: UserScope, user: User, mandate: Mandate) -> bool:
        return _manages(scope, user, mandate) and status in Mandate.TRANSITIONS.get(
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
        # Edit the person, add a mandate, record qualification changes.
        "manage": _manages,
        # See the full mobile and ID number (each reveal is logged).
        "reveal": _manages,
        # The audit timeline of the mandate and the person.
        "view_timeline": _governs,
        **{action: _may_become(to) for action, to in TRANSITION_ACTIONS.items()},
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


_ACTIVITY_REFUSAL = _("只有本级及上级人大工作人员可以登记和审核活动。")


def _review_and_manage(scope: UserScope, user: User, activity: Activity) -> bool:
    return _manages(scope, user, activity) and _review_open(activity)


class ActivityPolicy(Policy):
    """A performance activity: review, attendance and evidence."""

    checks = {
        "manage": _manages,
        # Approve or return: while the review map allows a next state.
        "review": _review_and_manage,
        # Attendance is fixed once the review is final (points are awarded).
        "record_attendance": _review_and_manage,
        "add_evidence": _manages,
        "view_timeline": _governs,
    }
    reasons = {
        "manage": _ACTIVITY_REFUSAL,
        "review": _ACTIVITY_REFUSAL,
        "record_attendance": _ACTIVITY_REFUSAL,
        "add_evidence": _ACTIVITY_REFUSAL,
    }


class CongressPolicy(Policy):
    """New records in one congress (the API names the congress in the request)."""

    checks = {
        "record_activity": lambda scope, user, congress: scope.manages_path(
            congress.region.path
        ),
    }
    reasons = {"record_activity": _ACTIVITY_REFUSAL}


class GroupPolicy(Policy):
    """A deputy group: its members."""

    checks = {"manage": _manages}


class RosterPolicy(Policy):
    """Roster import: congress staff who manage some region, and admins.

    ``import_into`` takes a congress named in a roster row; ``commit`` takes an
    import job.
    """

    checks = {
        "import": lambda scope, user, obj: scope.manages_any,
        "import_into": lambda scope, user, congress: scope.manages_path(
            congress.region.path
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
