"""Who may do what with activity funds and legislative consultation (issue 17;
see portal/policies.py). Visibility is the querysets' ``visible_to`` (404);
these say what a user in scope may do (403 otherwise).

Funds: the budget's own congress's staff approve budgets and spending and
close the year; the station's own staff (and those congress staff) record a
station budget's spending. Consultation: the publishing congress's staff run
the draft and decide the comments; a station's staff and the congress staff
managing its region record the comments it collects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from portal.models import Congress
from portal.policies import Policy, scope_for

from .consultation_models import LegislativeDraft
from .models import Station

if TYPE_CHECKING:
    from portal.scoping import UserScope

_FUND_OWN = _("只有本级人大常委会工作人员可以审批代表活动经费。")
_DRAFT_OWN = _("只有发布草案的人大常委会工作人员可以办理。")


def _acts(scope: UserScope, user: Any, obj: Any) -> bool:
    return obj is not None and scope.acts_for(obj.congress_id, obj.region_path)


def _state(check, *states: str):
    def inner(scope: UserScope, user: Any, obj: Any) -> bool:
        return check(scope, user, obj) and obj.status in states

    return inner


def _records_spending(scope: UserScope, user: Any, budget: Any) -> bool:
    return _acts(scope, user, budget) or (
        budget.station_id is not None and budget.station_id in scope.station_ids
    )


class FundPolicy(Policy):
    checks = {
        "manage": _records_spending,
        "act": _acts,
        "approve": _state(_acts, "draft"),
        "close": _state(_acts, "approved"),
        "decide": _state(_acts, "approved"),
        "record_spending": _state(_records_spending, "approved"),
    }
    reasons = {
        "manage": _("只有本站工作人员或本级人大工作人员可以登记支出。"),
        "act": _FUND_OWN,
        "approve": _FUND_OWN,
        "close": _FUND_OWN,
        "decide": _FUND_OWN,
        "record_spending": _("只有本站工作人员或本级人大工作人员可以登记支出。"),
    }


def _reads_desk(scope: UserScope, user: Any, obj: Any) -> bool:
    return scope.governs_any or scope.works_in_station


def _acting_any(scope: UserScope, user: Any, obj: Any) -> bool:
    return scope.is_admin or bool(scope.acting_congress_ids)


def _acts_for_a_legislature(scope: UserScope, user: Any, obj: Any) -> bool:
    """Staff of a congress that makes local regulations (province, city)."""
    return scope.is_admin or (
        bool(scope.acting_congress_ids)
        and acting_congresses(user, *LegislativeDraft.LEVELS).exists()
    )


class IncentiveDeskPolicy(Policy):
    checks = {
        "read_funds": _reads_desk,
        "create_budget": _acting_any,
        "read_consultation": _reads_desk,
        "create_draft": _acts_for_a_legislature,
    }
    reasons = {
        "read_funds": _("只有人大和联络站工作人员可以查看代表活动经费。"),
        "create_budget": _("只有人大常委会工作人员可以编制预算。"),
        "read_consultation": _("只有人大和联络站工作人员可以查看立法征求意见。"),
        "create_draft": _("只有省、市人大常委会工作人员可以发布法规草案。"),
    }


def collects_at(user: Any, station: Station) -> bool:
    """Station staff of ``station`` and congress staff managing its region."""
    scope = scope_for(user)
    return station.pk in scope.station_ids or scope.manages_path(station.region_path)


def _collects(scope: UserScope, user: Any, draft: Any) -> bool:
    return draft.status == LegislativeDraft.Status.OPEN and any(
        s.pk in scope.station_ids or scope.manages_path(s.region_path)
        for s in draft.stations.all()
    )


class DraftPolicy(Policy):
    checks = {
        "manage": _acts,
        "open": _state(_acts, "draft"),
        "close": _state(_acts, "open"),
        "decide": _state(_acts, "closed", "summarised"),
        "summarise": _state(_acts, "closed"),
        "feedback": _state(_acts, "summarised"),
        "collect": _collects,
    }
    reasons = {
        **dict.fromkeys(["manage", "open", "close", "decide", "summarise"], _DRAFT_OWN),
        "feedback": _DRAFT_OWN,
        "collect": _("只有征求意见点的工作人员可以在征求意见期间登记意见。"),
    }


def acting_congresses(user: Any, *levels: str) -> QuerySet[Congress]:
    """Congresses the user acts for (optionally of ``levels`` only)."""
    scope = scope_for(user)
    rows = Congress.objects.select_related("region")
    if not scope.is_admin:
        rows = rows.filter(pk__in=sorted(scope.acting_congress_ids))
    if levels:
        rows = rows.filter(level__in=levels)
    return rows.order_by("region__path")


def collecting_stations(user: Any, draft: Any) -> list[Station]:
    """The draft's stations at which the user records comments."""
    return [s for s in draft.stations.all() if collects_at(user, s)]


def reads_incentives(user: Any) -> bool:
    """The funds and consultation pages' navigation: congress staff, leaders
    and station staff."""
    scope = scope_for(user)
    return scope.governs_any or scope.works_in_station
