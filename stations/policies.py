"""Who may do what in stations (see portal/policies.py).

The only module of the app that reads the user's scope to decide an action.
Views, API views and templates ask these policies (``actions_for``, ``flags``,
``require``); what a user may *see* at all is the querysets' ``visible_to``
(out of scope is a 404 before a policy is asked).

Two kinds of action per opinion:

- ``manage`` and ``answer`` say who takes part in the loop at all. A POST needs
  one of them (403 otherwise); a state the transitions map does not allow is
  then the service's refusal, with its reason (a message, or 409 in the API).
- ``triage``, ``assign``, ``reply``, ``visit``, ``close`` and ``convert`` are
  what is offered *now*: the part of the loop taking part allows, derived from
  ``Opinion.TRANSITIONS`` and the opinion's state.

Levels (DESIGN.md §11): an opinion's loop belongs to one congress, the congress
of the station's region, or, once escalated (报上级人大, 转县级人大办理), the
congress it went to. Only that congress's staff (``UserScope.acts_for``) and,
before any escalation, the station's own staff take its steps. Staff of the
congresses above read it and supervise; they do not act for the congress below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.policies import Forbidden, Policy, scope_for

from .models import Opinion, Station

if TYPE_CHECKING:
    from portal.scoping import UserScope

Status = Opinion.Status

# The outcomes a received opinion may be triaged into (assigning and converting
# have their own actions).
TRIAGE_OUTCOMES = frozenset(
    {Status.ANSWERED_ON_SITE, Status.NOT_ACCEPTED, Status.POOLED, Status.ESCALATED}
)
# The loop actions the opinion page offers, in the order of its panels.
OPINION_ACTIONS = ("triage", "assign", "reply", "visit", "close", "convert")

_MANAGERS_ONLY = _("只有本站工作人员或本级人大工作人员可以执行此操作。")
_SUPERVISE_ONLY = _(
    "上级人大常委会对下级人大的群众意见进行监督，不代为办理；"
    "请由负责办理的人大或联络站工作人员办理。"
)
_ESCALATED_AWAY = _("该意见已转%(congress)s办理，由其工作人员交办和办结。")


# --- predicates over a scope ------------------------------------------------------


def _manages(scope: UserScope, station: Station) -> bool:
    """Congress staff of the station's region (and above) and the station's own
    staff; leaders read but do not act, units only answer."""
    return scope.manages_path(station.region_path) or station.pk in scope.station_ids


def _handles(scope: UserScope, opinion: Opinion) -> bool:
    """The staff of the unit the opinion is currently assigned to."""
    return (
        opinion.current_unit_id is not None
        and opinion.current_unit_id in scope.unit_ids
    )


def _reads_every_round(scope: UserScope, opinion: Opinion) -> bool:
    """The station's managers and the congresses governing its region read every
    round; a unit reads its own rounds only (DESIGN.md §11)."""
    return _manages(scope, opinion.station) or scope.governs_path(opinion.region_path)


def _leads_to(opinion: Opinion, *targets: str) -> bool:
    """The transitions map allows one of ``targets`` from the opinion's state."""
    return bool(Opinion.TRANSITIONS[opinion.status].intersection(targets))


def _may_assign(opinion: Opinion) -> bool:
    """Round 1 from received, another round after a dissatisfied visit. While
    assigned the form stays on the page (sending the same unit again is a no-op;
    the service refuses another unit until the reply and the visit)."""
    if opinion.status == Status.ASSIGNED or _leads_to(opinion, Status.ASSIGNED):
        return True
    return (
        _leads_to(opinion, Status.REASSIGNED)
        and opinion.visit_result == Opinion.VisitResult.DISSATISFIED
    )


def _steers(scope: UserScope, opinion: Opinion) -> bool:
    """Takes the loop's steps: staff of the congress handling the opinion and,
    until it is escalated away, the station's own staff."""
    if opinion.escalated_to_id is not None:
        return scope.acts_for(opinion.escalated_to_id, opinion.region_path)
    return opinion.station_id in scope.station_ids or scope.acts_for(
        opinion.congress_id, opinion.region_path
    )


def _answers(scope: UserScope, opinion: Opinion) -> bool:
    return _handles(scope, opinion) or _steers(scope, opinion)


def _received(user: Any, opinion: Opinion) -> bool:
    """One of the deputies who received the opinion (asked only on one opinion's
    page; the prefetch of ``deputies__person`` makes it free there)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.person.user_id == user.pk for m in opinion.deputies.all())


def _calls_citizen(scope: UserScope, opinion: Opinion) -> bool:
    """Who may reveal the citizen's full number (each reveal logged): those who
    call the citizen back, the unit replying and the staff steering the loop.
    Everyone else, upper congresses and leaders included, reads it masked
    (个人信息保护法 §6 最小必要, §51 access control; issue 15)."""
    return _handles(scope, opinion) or _steers(scope, opinion)


# --- policies --------------------------------------------------------------------


class StationPolicy(Policy):
    """A station's roster, members and reception records."""

    checks = {
        "manage": lambda scope, user, station: _manages(scope, station),
    }
    reasons = {"manage": _MANAGERS_ONLY}


class DutyDayPolicy(Policy):
    """A duty day on a station's roster (its ``station`` must be loaded)."""

    checks = {
        # Publishing ahead of the notice rule is the service's refusal, with the rule.
        "publish": lambda scope, user, day: (
            _manages(scope, day.station)
            and day.status == "draft"
            and day.date >= timezone.localdate()
        ),
        # Who came on duty is known once the day has come.
        "record_attendance": lambda scope, user, day: (
            _manages(scope, day.station)
            and day.status != "cancelled"
            and day.date <= timezone.localdate()
        ),
        # issue 18: a coming day is changed or cancelled; only a draft is deleted.
        "edit": lambda scope, user, day: (
            _manages(scope, day.station)
            and day.status != "cancelled"
            and day.date >= timezone.localdate()
        ),
        "cancel": lambda scope, user, day: (
            _manages(scope, day.station)
            and day.status != "cancelled"
            and day.date >= timezone.localdate()
        ),
        "delete": lambda scope, user, day: (
            _manages(scope, day.station)
            and day.status == "draft"
            and not day.is_published
        ),
    }
    reasons = {
        "publish": _MANAGERS_ONLY,
        "record_attendance": _MANAGERS_ONLY,
        "edit": _("只有本站工作人员或本级人大工作人员可以修改今后的接待日。"),
        "cancel": _("只有本站工作人员或本级人大工作人员可以取消今后的接待日。"),
        "delete": _("只能删除未公布的接待日；已公布的接待日请取消并说明原因。"),
    }


class OpinionPolicy(Policy):
    """An opinion's closed loop (its ``station`` must be loaded)."""

    checks = {
        # Taking part at all (what a POST requires).
        "manage": lambda scope, user, o: _steers(scope, o),
        "answer": lambda scope, user, o: _answers(scope, o),
        # Reading the published outcome: a unit that no longer handles the
        # opinion does not read the next unit's answer.
        "read_outcome": lambda scope, user, o: (
            _reads_every_round(scope, o)
            or _handles(scope, o)
            or _steers(scope, o)
            or (scope.is_deputy and _received(user, o))
        ),
        "reveal_contact": lambda scope, user, o: _calls_citizen(scope, o),
        # Offered now, from the transitions map.
        "triage": lambda scope, user, o: (
            _steers(scope, o) and _leads_to(o, *TRIAGE_OUTCOMES)
        ),
        "assign": lambda scope, user, o: _steers(scope, o) and _may_assign(o),
        "reply": lambda scope, user, o: (
            _answers(scope, o) and _leads_to(o, Status.REPLIED)
        ),
        "visit": lambda scope, user, o: (
            _steers(scope, o) and _leads_to(o, Status.VISITED)
        ),
        "close": lambda scope, user, o: (
            _steers(scope, o) and _leads_to(o, Status.CLOSED)
        ),
        "convert": lambda scope, user, o: (
            _steers(scope, o) and _leads_to(o, Status.CONVERTED)
        ),
    }
    reasons = {
        "manage": _MANAGERS_ONLY,
        "answer": _("只有承办单位或联络站工作人员可以答复。"),
        "reveal_contact": _("只有答复群众的承办单位和联络站工作人员可以查看完整号码。"),
    }

    @classmethod
    def require(cls, user: Any, action: str, obj: Any = None) -> None:
        """As ``Policy.require``, saying why when the opinion is another
        congress's to handle (escalated away, or a congress below)."""
        if cls.allows(user, action, obj) or action not in ("manage", "answer"):
            super().require(user, action, obj)
            return
        scope = scope_for(user)
        if obj.escalated_to_id is not None and (
            obj.station_id in scope.station_ids
            or scope.acts_for(obj.congress_id, obj.region_path)
        ):
            raise Forbidden(_ESCALATED_AWAY % {"congress": obj.escalated_to})
        if scope.manages_path(obj.region_path):
            raise Forbidden(_SUPERVISE_ONLY)
        super().require(user, action, obj)

    @classmethod
    def offered(cls, user: Any, opinion: Opinion) -> frozenset[str]:
        """The loop actions the opinion page offers ``user`` now."""
        return cls.actions_for(user, opinion).intersection(OPINION_ACTIONS)


# --- navigation (hooks.py) ---------------------------------------------------------
# The scope is computed once per request, so these cost no query per page.


def works_with_stations(user: Any) -> bool:
    """Station staff, congress staff, leaders and admins (not units alone)."""
    scope = scope_for(user)
    return scope.is_admin or bool(scope.station_ids or scope.governed_paths)


def is_deputy(user: Any) -> bool:
    """Deputies reach the opinions they received (我收集的群众意见)."""
    return scope_for(user).is_deputy


def unit_only(user: Any) -> bool:
    """Unit staff reach the same inbox, scoped to their unit's opinions."""
    scope = scope_for(user)
    return bool(scope.unit_ids) and not works_with_stations(user)
