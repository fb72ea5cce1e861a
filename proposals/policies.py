"""Who may do what with bills, suggestions, assignments and key items (DESIGN.md §11).

An action of a policy has two parts:

- *who* may take it at all: the lead deputy, a co-signer, the congress staff of
  the suggestion's region, the staff of the unit an assignment went to;
- *when* it is offered: the states of the object from which the model's
  allowed-transitions map (``Suggestion.TRANSITIONS``, ``Assignment.TRANSITIONS``)
  leads to the action's target state.

``actions_for`` and ``flags`` (the buttons a page shows) answer both. ``require``,
asked before a view or an API call reaches a service, checks *who* only and
answers 403: when the state does not allow the move, the service refuses with a
specific reason, which the page shows as a message and the API as an error.

This is the only module of proposals that reads the user's scope to decide
actions; what the user may *see* is decided by the querysets' ``visible_to``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.policies import Forbidden, Policy, scope_for
from portal.rules import rules_for
from portal.scoping import UserScope

from .deadlines import return_request_limit
from .models import (
    Assignment,
    CoSigner,
    Evaluation,
    KeySupervisionItem,
    Suggestion,
    SuggestionEvent,
)

__all__ = [
    "AssignmentPolicy",
    "DeskPolicy",
    "Forbidden",
    "KeyItemPolicy",
    "SuggestionPolicy",
    "event_readable",
    "event_note_readable",
    "may_consult_congress",
    "may_rate",
    "own_unit_ids",
    "rated_round",
    "rating_mandate",
    "sees_all_internal_notes_in_api",
    "sees_internal_notes",
]

Check = Callable[[UserScope, Any, Any], bool]
S = Suggestion.Status
A = Assignment.Status


def _into(transitions: dict[str, set[str]], target: str) -> frozenset[str]:
    """The states from which ``transitions`` allows a move to ``target``."""
    return frozenset(
        state for state, following in transitions.items() if target in following
    )


# --- phases, read off the allowed-transitions maps ---------------------------------
# Drafts and returned items go (again) to review: the lead edits and submits them.
EDITABLE = _into(Suggestion.TRANSITIONS, S.SUBMITTED)
# Under the staff's review: register, return or refuse to register.
UNDER_REVIEW = _into(Suggestion.TRANSITIONS, S.NOT_REGISTERED)
# Co-signers confirm until the review is over.
COSIGNABLE = EDITABLE | UNDER_REVIEW
WITHDRAWABLE = _into(Suggestion.TRANSITIONS, S.WITHDRAWN)
MERGEABLE = _into(Suggestion.TRANSITIONS, S.MERGED)
ASSIGNABLE = _into(Suggestion.TRANSITIONS, S.ASSIGNED)
# A bill waits for the presidium's decision, then (on the agenda) for the vote.
BILL_UNDECIDED = frozenset({S.SUBMITTED, S.COMMITTEE_REVIEW})
BILL_VOTABLE = _into(Suggestion.TRANSITIONS, S.ADOPTED)
# A rating decides between closing, tracking and rehandling (only a reply
# awaiting it leads to tracking; a callback's finding reopens a closed item).
RATEABLE = _into(Suggestion.TRANSITIONS, S.TRACKING)
# A callback that finds the lead not really satisfied reopens the item.
REOPENABLE = _into(Suggestion.TRANSITIONS, S.REHANDLING) - RATEABLE

# The unit holds the part and has not answered: it may still ask to return it
# (a pending part is accepted by the contact that must precede a reply).
WORKING = _into(Assignment.TRANSITIONS, A.RETURN_REQUESTED)
ACCEPTABLE = WORKING & _into(Assignment.TRANSITIONS, A.ACCEPTED)
# A returned part is final; the staff give it to another unit.
REASSIGNABLE = frozenset(
    s for s, following in Assignment.TRANSITIONS.items() if not following
)


class WorkflowPolicy(Policy):
    """A policy whose actions are *who* ∧ *when* (see the module docstring)."""

    who: ClassVar[dict[str, Check]] = {}
    when: ClassVar[dict[str, Check]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.checks = {
            action: _both(who, cls.when.get(action)) for action, who in cls.who.items()
        }

    @classmethod
    def require(cls, user: Any, action: str, obj: Any = None) -> None:
        """Raise :class:`Forbidden` (403) unless ``user`` is one who may take
        ``action`` on ``obj``; whether its state allows it now is the service's to say."""
        if not cls.who[action](scope_for(user), user, obj):
            raise Forbidden(cls.reasons.get(action))


def _both(who: Check, when: Check | None) -> Check:
    if when is None:
        return who
    return lambda scope, user, obj: who(scope, user, obj) and when(scope, user, obj)


def _in(states: frozenset[str]) -> Check:
    return lambda scope, user, obj: obj.status in states


# --- bills and suggestions ---------------------------------------------------------


def _lead(scope: UserScope, user: Any, s: Suggestion) -> bool:
    return (
        user.is_authenticated
        and s.lead is not None
        and s.lead.person.user_id == user.pk
    )


def _proposer(scope: UserScope, user: Any, s: Suggestion) -> bool:
    """Who speaks for the proposer: the lead deputy, or for a bill of the
    presidium the staff of its congress, who record the presidium's request."""
    if s.by_presidium:
        return _own_congress(scope, user, s)
    return _lead(scope, user, s)


def _manager(scope: UserScope, user: Any, s: Suggestion) -> bool:
    """Congress staff of the suggestion's region (or above) and admins: they read
    and supervise (urge, key supervision, reports)."""
    return scope.manages_path(s.region_path)


def _acting(scope: UserScope, user: Any, s: Suggestion) -> bool:
    """Staff of the congress the item belongs to (or that it was forwarded to)
    take its workflow steps; a congress above supervises but does not act
    (upper and lower congresses have no leadership relation: 地方组织法 第五十条,
    the standing committee 指导 — does not lead — the work below)."""
    return scope.acts_for(s.acting_congress_id, s.region_path)


def _own_congress(scope: UserScope, user: Any, s: Suggestion) -> bool:
    """Staff of the item's own congress (a forwarded item is still forwarded by it)."""
    return scope.acts_for(s.congress_id, s.region_path)


def _my_cosigner(user: Any, s: Suggestion) -> CoSigner | None:
    """The user's co-signature of ``s`` (read from the prefetched ones when loaded)."""
    if not user.is_authenticated:
        return None
    if "cosigners" in getattr(s, "_prefetched_objects_cache", {}):
        return next(
            (c for c in s.cosigners.all() if c.mandate.person.user_id == user.pk), None
        )
    return (
        s.cosigners.filter(mandate__person__user=user)
        .select_related("mandate__person")
        .first()
    )


def _cosigner(scope: UserScope, user: Any, s: Suggestion) -> bool:
    return _my_cosigner(user, s) is not None


def _invited(scope: UserScope, user: Any, s: Suggestion) -> bool:
    cosigner = _my_cosigner(user, s)
    return (
        cosigner is not None
        and cosigner.status == CoSigner.Status.INVITED
        and s.status in COSIGNABLE
    )


def _merged_mandate(user: Any, s: Suggestion) -> Mandate | None:
    """The user's mandate on a suggestion merged into ``s`` (并案: its deputy
    rates the answer of the one it was merged into)."""
    if not user.is_authenticated:
        return None
    child = (
        s.merged_children.filter(lead__person__user=user)
        .select_related("lead__person", "lead__congress")
        .first()
    )
    return child.lead if child is not None else None


def rating_mandate(user: Any, s: Suggestion) -> Mandate | None:
    """The mandate with which ``user`` may rate ``s``: the lead's, a confirmed
    co-signer's when the congress's rules let co-signers rate, or that of the
    lead of a suggestion merged into ``s``."""
    if _lead(scope_for(user), user, s):
        return s.lead
    cosigner = _my_cosigner(user, s)
    if (
        cosigner is not None
        and cosigner.status == CoSigner.Status.CONFIRMED
        and rules_for(s.congress).cosigners_may_rate
    ):
        return cosigner.mandate
    return _merged_mandate(user, s)


def may_rate(suggestion: Suggestion, mandate: Mandate) -> bool:
    """The lead deputy; confirmed co-signers when the rule allows; the leads of
    suggestions merged into this one."""
    if mandate.pk == suggestion.lead_id:
        return True
    if suggestion.merged_children.filter(lead=mandate).exists():
        return True
    if rules_for(suggestion.congress).cosigners_may_rate:
        return suggestion.cosigners.filter(mandate=mandate, status="confirmed").exists()
    return False


# Co-signers and merged deputies rate the latest answer whatever the lead did
# (no ordering dependency): while it awaits the lead's rating, while tracked,
# once closed, and during the rehandling the lead asked for.
RATEABLE_BY_OTHERS = RATEABLE | frozenset({S.TRACKING, S.CLOSED, S.REHANDLING})


def rated_round(s: Suggestion, *, decides: bool) -> int | None:
    """The handling round a rater rates now, or None when there is nothing to rate.

    The lead's rating decides and is taken on the reply awaiting it; the others
    rate the latest answered round (the previous one during rehandling)."""
    if s.first_replied_at is None:
        return None
    if decides:
        return s.round if s.status in RATEABLE else None
    if s.status == S.REHANDLING:
        return s.round - 1
    return s.round if s.status in RATEABLE_BY_OTHERS else None


def _rater(scope: UserScope, user: Any, s: Suggestion) -> bool:
    return rating_mandate(user, s) is not None


def _not_yet_rated(scope: UserScope, user: Any, s: Suggestion) -> bool:
    """An answer awaits the user's rating and the user has not rated that round
    (a rating is never changed)."""
    mandate = rating_mandate(user, s)
    if mandate is None:
        return False
    round_ = rated_round(s, decides=mandate.pk == s.lead_id)
    if round_ is None:
        return False
    return not any(
        e.mandate_id == mandate.pk and e.round == round_ for e in s.evaluations.all()
    )


def callback_found_unsatisfied(s: Suggestion) -> bool:
    """A callback found the lead was not really satisfied with their rating of
    the current round (read from the prefetched ratings on a page)."""
    return any(
        e.mandate_id == s.lead_id
        and e.round == s.round
        and e.callback_finding == Evaluation.CallbackFinding.NOT_SATISFIED
        for e in s.evaluations.all()
    )


def _reopenable(scope: UserScope, user: Any, s: Suggestion) -> bool:
    """Closed or tracked, a callback's finding against the current round's
    rating, and a round left under ``evaluation_max_rounds`` (rule)."""
    return (
        s.status in REOPENABLE
        and callback_found_unsatisfied(s)
        and s.round < rules_for(s.congress).evaluation_max_rounds
    )


def _before_any_reply(states: frozenset[str]) -> Check:
    return lambda scope, user, s: s.status in states and s.first_replied_at is None


_LEAD_ONLY = _("只有领衔代表本人可以执行此操作。")
_STAFF_ONLY = _(
    "只有本级人大工作人员可以执行此操作；上级人大可以查阅和督办，但不代替本级人大办理。"
)


def _is_bill(s: Suggestion) -> bool:
    return s.kind == Suggestion.Kind.BILL


def _is_suggestion(s: Suggestion) -> bool:
    return s.kind == Suggestion.Kind.SUGGESTION


class SuggestionPolicy(WorkflowPolicy):
    """The lead deputy writes, submits and withdraws; co-signers confirm; the
    deputies rate; congress staff of the congress acting on the item review,
    merge, assign, record the callbacks of ratings and reopen an item a callback
    found the deputy was not really satisfied with (staff of a congress above
    read and supervise: 403)."""

    who = {
        "edit": _lead,
        "submit": _lead,
        "withdraw": _proposer,
        "cosign": _cosigner,
        "evaluate": _rater,
        "register": _acting,
        "return": _acting,
        "reject": _acting,
        "merge": _acting,
        "assign": _acting,
        "record_callback": _acting,
        "rehandle_after_callback": _acting,
        "review_disclosure": _acting,
        "record_outcome": _acting,
        "bill_decide": _acting,
        "bill_result": _acting,
        "forward": _own_congress,
    }
    when = {
        "edit": _in(EDITABLE),
        "submit": _in(EDITABLE),
        "withdraw": _before_any_reply(WITHDRAWABLE),
        "cosign": _invited,
        "evaluate": _not_yet_rated,
        "register": lambda scope, user, s: (
            _is_suggestion(s) and s.status in UNDER_REVIEW
        ),
        "return": _in(UNDER_REVIEW),
        "reject": lambda scope, user, s: _is_suggestion(s) and s.status in UNDER_REVIEW,
        "merge": lambda scope, user, s: _is_suggestion(s) and s.status in MERGEABLE,
        "assign": lambda scope, user, s: _is_suggestion(s) and s.status in ASSIGNABLE,
        "bill_decide": lambda scope, user, s: s.awaiting_bill_decision,
        "bill_result": lambda scope, user, s: _is_bill(s) and s.status in BILL_VOTABLE,
        "forward": lambda scope, user, s: (
            _is_suggestion(s)
            and s.status == S.REGISTERED
            and s.handling_congress_id is None
            and s.congress.level != "national"
        ),
        "rehandle_after_callback": _reopenable,
        "review_disclosure": lambda scope, user, s: s.disclosure_due_on is not None,
        "record_outcome": lambda scope, user, s: s.first_replied_at is not None,
    }
    reasons = {
        "edit": _LEAD_ONLY,
        "submit": _LEAD_ONLY,
        "withdraw": _LEAD_ONLY,
        "cosign": _("您不是该议案建议的联名代表。"),
        "evaluate": _("只有领衔代表本人可以评价办理结果。"),
        "register": _STAFF_ONLY,
        "return": _STAFF_ONLY,
        "reject": _STAFF_ONLY,
        "merge": _STAFF_ONLY,
        "assign": _STAFF_ONLY,
        "record_callback": _STAFF_ONLY,
        "rehandle_after_callback": _STAFF_ONLY,
        "review_disclosure": _STAFF_ONLY,
        "record_outcome": _STAFF_ONLY,
        "bill_decide": _STAFF_ONLY,
        "bill_result": _STAFF_ONLY,
        "forward": _STAFF_ONLY,
    }

    @staticmethod
    def is_lead(user: Any, suggestion: Suggestion) -> bool:
        """The user leads the suggestion."""
        return _lead(scope_for(user), user, suggestion)

    @staticmethod
    def manages(user: Any, suggestion: Suggestion) -> bool:
        """The user acts on the suggestion as congress staff."""
        return _manager(scope_for(user), user, suggestion)

    @staticmethod
    def my_cosigner(user: Any, suggestion: Suggestion) -> CoSigner | None:
        return _my_cosigner(user, suggestion)

    @classmethod
    def withdraw_rule(cls, user: Any, s: Suggestion, units: list[str]) -> str:
        """What the lead deputy is told about withdrawing (issue 18): what it
        does now — after 交办 the ``units`` stop and are told — or, once the
        policy no longer allows it, why. Empty for anyone else."""
        if not cls.is_lead(user, s) or s.status in (S.DRAFT, S.WITHDRAWN):
            return ""
        if cls.allows(user, "withdraw", s):
            if units:
                return _(
                    "该件已交办给%(units)s。答复前仍可撤回：撤回后承办单位停止办理，"
                    "并会收到撤回通知，不再答复您；撤回后不能恢复。"
                ) % {"units": "、".join(units)}
            return str(_("撤回后该件不再审查、交办，撤回后不能恢复。"))
        if s.first_replied_at is not None:
            return str(
                _(
                    "承办单位已经答复，不能再撤回。如对办理结果不满意，请在评价中"
                    "选择“不满意”并写明理由，承办单位将重新办理。"
                )
            )
        return ""


# --- assignments -------------------------------------------------------------------


def _unit(scope: UserScope, user: Any, a: Assignment) -> bool:
    """Staff of the unit the part went to."""
    return a.unit_id in scope.unit_ids


def _assignment_manager(scope: UserScope, user: Any, a: Assignment) -> bool:
    return _acting(scope, user, a.suggestion)


def _urger(scope: UserScope, user: Any, a: Assignment) -> bool:
    return _manager(scope, user, a.suggestion) or _lead(scope, user, a.suggestion)


def _unit_or_manager(scope: UserScope, user: Any, a: Assignment) -> bool:
    return _unit(scope, user, a) or _acting(scope, user, a.suggestion)


def _handling(a: Assignment) -> bool:
    return a.suggestion.status in Suggestion.HANDLING_STATES


def _handling_in(states: frozenset[str] | tuple[str, ...]) -> Check:
    return lambda scope, user, a: _handling(a) and a.status in states


def _co_opinion_due(scope: UserScope, user: Any, a: Assignment) -> bool:
    """A co-unit owes its opinion once per handling round (again in rehandling)."""
    return (
        _handling(a)
        and a.role == Assignment.Role.CO
        and not any(o.round == a.round for o in a.co_opinions.all())
    )


def _return_window_open(scope: UserScope, user: Any, a: Assignment) -> bool:
    """退办 is asked while the part is worked on, within its window (the service
    refuses it after that with the date: ``deadlines.return_request_limit``)."""
    return (
        _handling(a)
        and a.status in WORKING
        and timezone.localdate() <= return_request_limit(a)
    )


def _answer_due(scope: UserScope, user: Any, a: Assignment) -> bool:
    return _handling(a) and a.answers and a.status in WORKING


def _reassignable(scope: UserScope, user: Any, a: Assignment) -> bool:
    # ``replaced``: annotated by the detail page (a later live part of the same role).
    return a.status in REASSIGNABLE and not getattr(a, "replaced", False)


_UNIT_ONLY = _("只有承办单位工作人员可以执行此操作。")


class AssignmentPolicy(WorkflowPolicy):
    """The unit's staff accept, contact the deputy, ask for an extension or a
    return, send a co-unit's opinion and reply; congress staff of the region
    decide requests and reassign; staff and the lead deputy urge."""

    who = {
        "accept": _unit,
        "request_return": _unit,
        "contact": _unit,
        "request_extension": _unit,
        "co_opinion": _unit,
        "reply": _unit,
        "urge": _urger,
        "reassign": _assignment_manager,
        "decide": _assignment_manager,
        "complete_commitments": _unit_or_manager,
        "reveal_contact": _unit,
    }
    when = {
        "accept": _handling_in(ACCEPTABLE),
        "request_return": _return_window_open,
        "contact": _handling_in(WORKING),
        "request_extension": _handling_in(WORKING),
        "co_opinion": _co_opinion_due,
        "reply": _answer_due,
        "urge": _handling_in(Assignment.OPEN_STATES),
        "reassign": _reassignable,
        # 面商 needs the deputy's number while the part is worked on.
        "reveal_contact": lambda scope, user, a: (
            _handling_in(Assignment.OPEN_STATES)(scope, user, a)
            and a.suggestion.lead_id is not None
        ),
    }
    reasons = {
        "accept": _UNIT_ONLY,
        "request_return": _UNIT_ONLY,
        "contact": _UNIT_ONLY,
        "request_extension": _UNIT_ONLY,
        "co_opinion": _UNIT_ONLY,
        "reply": _UNIT_ONLY,
        "urge": _("只有人大工作人员或领衔代表可以催办。"),
        "reassign": _STAFF_ONLY,
        "decide": _STAFF_ONLY,
        # Commitments are marked done by their unit or by congress staff.
        "complete_commitments": _("只有承办单位或人大工作人员可以确认承诺事项已落实。"),
        "reveal_contact": _(
            "只有承办该件的单位工作人员在办理期间可以查看代表的完整联系方式。"
        ),
    }

    @staticmethod
    def works_on(user: Any, assignment: Assignment) -> bool:
        """The user works in the unit the part went to."""
        return _unit(scope_for(user), user, assignment)


# --- key supervision ---------------------------------------------------------------


def _supervisor(scope: UserScope, user: Any, item: KeySupervisionItem) -> bool:
    """Staff of the item's region, and the leader who leads the item."""
    return scope.manages_path(item.region_path) or item.leader_id == user.pk


class KeyItemPolicy(WorkflowPolicy):
    who = {"add_event": _supervisor, "evaluate": _supervisor}
    reasons = {
        "add_event": _("只有人大工作人员或牵头领导可以记录督办活动。"),
        "evaluate": _("只有人大工作人员或牵头领导可以评估督办事项。"),
    }


# --- pages that are not about one object -------------------------------------------


def _governs_any(scope: UserScope, user: Any, obj: Any) -> bool:
    return scope.governs_any


def _manages_any(scope: UserScope, user: Any, obj: Any) -> bool:
    return scope.manages_any


def _handles_assignments(scope: UserScope, user: Any, obj: Any) -> bool:
    return bool(scope.unit_ids) or scope.is_admin


def _has_mandate(scope: UserScope, user: Any, mandates: list | None) -> bool:
    """A deputy with a current mandate (``mandates``: the caller's list of the
    user's current mandates, when it has one)."""
    if mandates is not None:
        return bool(mandates)
    return (
        scope.is_authenticated
        and Mandate.objects.current().filter(person__user=user).exists()
    )


class SessionPolicy(Policy):
    """What a session's own congress records for its presidium."""

    checks = {
        "record_presidium_bill": lambda scope, user, session: scope.acts_for(
            session.term.congress_id, session.term.congress.region.path
        ),
    }
    reasons = {"record_presidium_bill": _STAFF_ONLY}


class DeskPolicy(Policy):
    """The app's pages that are not about one object: the staff's desk (leaders
    read it, congress staff act on it), the units' desk, writing a draft."""

    checks = {
        "read_staff_desk": _governs_any,
        "act_on_staff_desk": _manages_any,
        "sample_callbacks": _manages_any,
        "create_key_item": _manages_any,
        "read_unit_desk": _handles_assignments,
        "draft": _has_mandate,
    }
    reasons = {
        "read_staff_desk": _("只有人大工作人员和领导可以查看此页面。"),
        "act_on_staff_desk": _STAFF_ONLY,
        "sample_callbacks": _("只有人大工作人员可以抽查回访。"),
        "create_key_item": _("只有人大工作人员可以确定重点督办事项。"),
        "read_unit_desk": _("只有承办单位工作人员可以查看此页面。"),
        "draft": _("您没有本届代表资格，不能提出议案建议。"),
    }


# --- what a page shows beside the actions ------------------------------------------


def sees_internal_notes(user: Any, suggestion: Suggestion) -> bool:
    """Congress staff and leaders of the suggestion's region read every unit's
    internal notes, the callbacks and the key items of a suggestion."""
    return scope_for(user).governs_path(suggestion.region_path)


def sees_all_internal_notes_in_api(user: Any) -> bool:
    """The API's rule for the same notes: admins and congress staff (of any region)."""
    return scope_for(user).manages_any


def own_unit_ids(user: Any) -> frozenset[int]:
    """The units the user works in (a unit reads its own internal notes)."""
    return scope_for(user).unit_ids


def event_readable(
    event: SuggestionEvent, *, sees_all: bool, unit_ids: frozenset[int]
) -> bool:
    """A unit's internal note is for that unit and those who see all notes."""
    return not event.internal or sees_all or event.unit_id in unit_ids


# Between one unit and the congress: that the due date moved or a part was
# returned is the suggestion's history (everyone reading it sees the event);
# why the unit asked, and what staff answered, is not for the other units on
# the same suggestion (issue 15) nor for the deputies.
UNIT_PRIVATE_NOTES = frozenset(
    {
        "request_extension",
        "extension_approved",
        "extension_rejected",
        "request_return",
        "return_approved",
        "return_rejected",
    }
)


def event_note_readable(
    event: SuggestionEvent, *, sees_all: bool, unit_ids: frozenset[int]
) -> bool:
    return (
        event.action not in UNIT_PRIVATE_NOTES or sees_all or event.unit_id in unit_ids
    )


def may_consult_congress(user: Any, congress: Any) -> bool:
    """Who may look up a congress's similar suggestions: its staff and leaders
    (and those above) and its current deputies."""
    return (
        scope_for(user).governs_path(congress.region.path)
        or Mandate.objects.current()
        .filter(person__user=user, congress=congress)
        .exists()
    )


# Activities that are research (无调研不建议): 视察 and 调研.
RESEARCH_ACTIVITY_KINDS = ("inspection", "research")


def has_research_basis(suggestion: Suggestion) -> bool:
    """无调研不建议: an inspection or research activity the lead (or a confirmed
    co-signer) actually attended — invited is not enough —, an opinion one of
    them collected (or that was passed on to them), or a research note with its
    date, place and the people consulted."""
    note_complete = all(
        [
            suggestion.research_note.strip(),
            suggestion.research_date,
            suggestion.research_place.strip(),
            suggestion.research_people.strip(),
        ]
    )
    if note_complete:
        return True
    authors = [
        suggestion.lead_id,
        *suggestion.cosigners.filter(status=CoSigner.Status.CONFIRMED).values_list(
            "mandate_id", flat=True
        ),
    ]
    attended = suggestion.research_activities.filter(
        kind__in=RESEARCH_ACTIVITY_KINDS,
        attendances__mandate_id__in=authors,
        attendances__status="attended",
    )
    collected = suggestion.research_opinions.filter(
        Q(deputies__in=authors) | Q(converted_for_id__in=authors)
    )
    return attended.exists() or collected.exists()
