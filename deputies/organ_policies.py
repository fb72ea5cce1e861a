"""Who may do what with state organs' contacts and standing-committee meetings
(issue 16; see deputies/policies.py for the shape).

An organ's staff (a unit grant) plan and record their own organ's contacts.
Congress staff of the congress whose deputies an organ contacts may do the same
for it (a township's 人大专干 records the township government's 走访), and read
the coverage; a congress above reads. The standing committee's meetings and
invitations are the acting congress's staff's; a deputy answers their own
invitations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, HandlingUnit, User
from portal.policies import Policy
from portal.scoping import scope_for

from .organ_models import (
    ORGAN_KINDS,
    MeetingInvitation,
    MeetingOpinion,
    OrganContactPlan,
    StandingMeeting,
)
from .policies import managed_congresses

if TYPE_CHECKING:
    from portal.scoping import UserScope

__all__ = [
    "InvitationPolicy",
    "MeetingPolicy",
    "OpinionPolicy",
    "OrganPlanPolicy",
    "OrganWorkspacePolicy",
    "plannable_units",
]


def plannable_units(user: User) -> QuerySet[HandlingUnit]:
    """Organs whose contact plans ``user`` may make: their own organs (a unit
    grant), and the organs in the region of a congress they act for."""
    scope = scope_for(user)
    units = HandlingUnit.objects.filter(kind__in=ORGAN_KINDS, is_active=True)
    if scope.is_admin:
        return units.select_related("region").order_by("region__path", "name")
    congress_regions = managed_congresses(user).values("region_id")
    return (
        units.filter(
            Q(pk__in=sorted(scope.unit_ids)) | Q(region_id__in=congress_regions)
        )
        .select_related("region")
        .order_by("region__path", "name")
    )


def _plan_acts(scope: UserScope, user: User, plan: OrganContactPlan) -> bool:
    """The organ's own staff, or staff acting for the plan's congress."""
    return plan.unit_id in scope.unit_ids or scope.acts_for(
        plan.congress_id, plan.unit.region.path
    )


_NOT_OWN_ORGAN = _(
    "只有本机关的工作人员或本级人大常委会代表工作机构可以登记本机关联系代表的情况。"
)
_NOT_OWN_MEETING = _(
    "只有本级人大常委会的工作人员可以邀请代表列席、登记出席和代表意见；"
    "上级人大可以查阅和监督。"
)


class OrganWorkspacePolicy(Policy):
    """The organ-contact and 列席 pages as a whole (no object)."""

    checks = {
        "browse_plans": lambda scope, user, obj: (
            scope.governs_any or scope.works_in_unit
        ),
        "create_plan": lambda scope, user, obj: plannable_units(user).exists(),
        "coverage": lambda scope, user, obj: scope.governs_any,
        "browse_meetings": lambda scope, user, obj: scope.governs_any,
        # Township congresses have no standing committee (地方组织法).
        "create_meeting": lambda scope, user, obj: (
            managed_congresses(user).exclude(level=Congress.Level.TOWNSHIP).exists()
        ),
    }
    reasons = {
        "create_plan": _("您没有可以制定联系代表计划的国家机关。"),
        "create_meeting": _("只有县级以上人大常委会的工作人员可以登记常委会会议。"),
    }


class OrganPlanPolicy(Policy):
    """An organ's plan: its deputies and its contacts."""

    checks = {"manage": _plan_acts, "record_contact": _plan_acts}
    reasons = {"manage": _NOT_OWN_ORGAN, "record_contact": _NOT_OWN_ORGAN}


class OrganContactPolicy(Policy):
    """One contact: closing its follow-up."""

    checks = {
        "follow_up": lambda scope, user, contact: (
            _plan_acts(scope, user, contact.plan) and contact.follow_up_open
        ),
    }
    reasons = {"follow_up": _NOT_OWN_ORGAN}


def _meeting_acts(scope: UserScope, user: User, meeting: StandingMeeting) -> bool:
    return scope.acts_for(meeting.congress_id, meeting.congress.region.path)


def _may_become(status: str):
    def check(scope: UserScope, user: User, invitation: MeetingInvitation) -> bool:
        return _meeting_acts(
            scope, user, invitation.meeting
        ) and status in MeetingInvitation.TRANSITIONS.get(invitation.status, set())

    return check


def _own_open(scope: UserScope, user: User, invitation: MeetingInvitation) -> bool:
    """The deputy's own invitation, before the meeting, not yet attended."""
    return (
        invitation.mandate.person.user_id == user.pk
        and invitation.meeting.date >= timezone.localdate()
        and invitation.status
        in (
            MeetingInvitation.Status.INVITED,
            MeetingInvitation.Status.ACCEPTED,
            MeetingInvitation.Status.DECLINED,
        )
    )


class MeetingPolicy(Policy):
    """A standing-committee meeting: invitations, attendance, opinions."""

    checks = {"manage": _meeting_acts}
    reasons = {"manage": _NOT_OWN_MEETING}


class InvitationPolicy(Policy):
    """One invitation: the deputy answers, the staff record attendance."""

    checks = {
        "respond": _own_open,
        "mark_attended": _may_become(MeetingInvitation.Status.ATTENDED),
        "mark_absent": _may_become(MeetingInvitation.Status.ABSENT),
        "record_opinion": lambda scope, user, invitation: (
            _meeting_acts(scope, user, invitation.meeting)
            and invitation.status == MeetingInvitation.Status.ATTENDED
        ),
    }
    reasons = {
        "respond": _("只能答复本人尚未开会的列席邀请。"),
        "mark_attended": _NOT_OWN_MEETING,
        "mark_absent": _NOT_OWN_MEETING,
        "record_opinion": _NOT_OWN_MEETING,
    }


def _opinion_acts(scope: UserScope, user: User, opinion: MeetingOpinion) -> bool:
    return _meeting_acts(scope, user, opinion.invitation.meeting)


class OpinionPolicy(Policy):
    """An opinion given while attending: taken up for follow-up, closed."""

    checks: dict[str, Any] = {
        "follow_up": lambda scope, user, opinion: (
            _opinion_acts(scope, user, opinion)
            and opinion.status == MeetingOpinion.Status.RECORDED
        ),
        "close": lambda scope, user, opinion: (
            _opinion_acts(scope, user, opinion)
            and opinion.status != MeetingOpinion.Status.CLOSED
        ),
    }
    reasons = {"follow_up": _NOT_OWN_MEETING, "close": _NOT_OWN_MEETING}
