"""Every write and transition of bills and suggestions (DESIGN.md §5), by area:
``drafting`` (提), ``review`` (立案 and 交办), ``handling`` (the units' work),
``evaluation`` (评) and ``supervision`` (督).

Shape of each transition (STYLE.md): lock, no-op if already there, refuse with a
specific reason, change, record a SuggestionEvent (+ audit row), side effects on
commit. Deadlines and thresholds come from the congress's rule set.

Callers use ``from proposals import services; services.suggestion_submit(...)``:
every service is re-exported here.
"""

from portal.services import DomainError, TransitionError

from ..policies import may_rate
from .bills import (
    bill_decide,
    bill_record_result,
    bill_submit_by_presidium,
    suggestion_forward,
)
from .disclosure import suggestion_review_disclosure
from .drafting import (
    cosigner_respond,
    has_research_basis,
    suggestion_create,
    suggestion_from_opinion,
    suggestion_invite_cosigners,
    suggestion_set_research,
    suggestion_submit,
    suggestion_update,
    suggestion_withdraw,
)
from .evaluation import (
    commitment_complete,
    commitment_confirm,
    evaluation_record_callback,
    evaluations_lapse,
    evaluations_sample_for_callback,
    suggestion_evaluate,
    suggestion_rehandle_after_callback,
)
from .handling import (
    assignment_accept,
    assignment_contact,
    assignment_reply,
    assignment_request_extension,
    assignment_request_return,
    assignment_reveal_contact,
    co_unit_opinion_send,
    extension_decide,
    return_decide,
    suggestion_record_outcome,
)
from .review import (
    assignment_reassign,
    suggestion_assign,
    suggestion_merge,
    suggestion_register,
    suggestion_reject,
    suggestion_return,
)
from .supervision import (
    key_item_add_event,
    key_item_create,
    key_item_evaluate,
    key_item_plan_event,
    planned_event_cancel,
    urge_create,
)

__all__ = [
    "DomainError",
    "TransitionError",
    "assignment_accept",
    "bill_decide",
    "bill_record_result",
    "bill_submit_by_presidium",
    "suggestion_forward",
    "assignment_contact",
    "assignment_reassign",
    "assignment_reply",
    "assignment_request_extension",
    "assignment_request_return",
    "assignment_reveal_contact",
    "co_unit_opinion_send",
    "commitment_complete",
    "commitment_confirm",
    "evaluations_lapse",
    "suggestion_record_outcome",
    "suggestion_review_disclosure",
    "cosigner_respond",
    "evaluation_record_callback",
    "evaluations_sample_for_callback",
    "extension_decide",
    "has_research_basis",
    "key_item_add_event",
    "key_item_create",
    "key_item_evaluate",
    "key_item_plan_event",
    "planned_event_cancel",
    "may_rate",
    "return_decide",
    "suggestion_assign",
    "suggestion_create",
    "suggestion_evaluate",
    "suggestion_from_opinion",
    "suggestion_invite_cosigners",
    "suggestion_merge",
    "suggestion_register",
    "suggestion_rehandle_after_callback",
    "suggestion_reject",
    "suggestion_return",
    "suggestion_set_research",
    "suggestion_submit",
    "suggestion_update",
    "suggestion_withdraw",
    "urge_create",
]
