"""Who may do what with commendations and 零履职 steps (see portal/policies.py).

Visibility is ``Campaign.objects.visible_to`` (congress staff and leaders of the
region and below; 404 otherwise). Acting on a campaign — opening, nominating,
reviewing, approving, publishing — belongs to the staff of the campaign's own
congress (``UserScope.acts_for``); staff of a congress above read it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import Congress
from portal.policies import Policy, scope_for

if TYPE_CHECKING:
    from portal.scoping import UserScope

_OWN_CONGRESS = _("只有本级人大常委会工作人员可以办理本级的评选表彰。")


def _acts(scope: UserScope, user: Any, obj: Any) -> bool:
    return obj is not None and scope.acts_for(obj.congress_id, obj.region_path)


def _status_in(*states: str):
    def check(scope: UserScope, user: Any, obj: Any) -> bool:
        return _acts(scope, user, obj) and obj.status in states

    return check


class CampaignPolicy(Policy):
    checks = {
        "manage": _acts,
        "open": _status_in("draft", "reviewing"),
        "nominate": _status_in("nominating"),
        "close_nominations": _status_in("nominating"),
        "review": _status_in("reviewing"),
        "approve": _status_in("reviewing"),
        "publish": _status_in("approved"),
        "cancel": _status_in("draft", "nominating", "reviewing"),
    }
    reasons = dict.fromkeys(checks, _OWN_CONGRESS)


class CommendationDeskPolicy(Policy):
    checks = {
        "read": lambda scope, user, obj: scope.governs_any,
        "create": lambda scope, user, obj: (
            scope.is_admin or bool(scope.acting_congress_ids)
        ),
        "read_zero_performance": lambda scope, user, obj: scope.governs_any,
    }
    reasons = {
        "read": _("只有人大工作人员和领导可以查看评选表彰。"),
        "create": _("只有人大常委会工作人员可以发起评选。"),
        "read_zero_performance": _("只有人大工作人员和领导可以查看零履职代表。"),
    }


class ZeroStepPolicy(Policy):
    """``obj`` is the mandate: its own congress's staff record the talks."""

    checks = {
        "record": lambda scope, user, obj: (
            obj is not None
            and scope.acts_for(obj.congress_id, obj.congress.region.path)
        ),
    }
    reasons = {"record": _("只有代表所在人大的工作人员可以记录提醒、诫勉谈话。")}


def acting_congresses(user: Any) -> QuerySet[Congress]:
    """The congresses whose campaigns the user may set up."""
    scope = scope_for(user)
    if scope.is_admin:
        return Congress.objects.all()
    return Congress.objects.filter(pk__in=sorted(scope.acting_congress_ids))
