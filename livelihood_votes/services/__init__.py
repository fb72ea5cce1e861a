"""Every write and transition of the livelihood-project vote (DESIGN.md §6), by
stage: ``programmes`` (the programme and its phases, 群众提, 初筛, 论证, 代表议),
``votes`` (大会决), ``implementation`` (政府办, 人大督) and ``evaluation`` (代表评).

Callers use ``from livelihood_votes import services; services.round_open(...)``:
every service is re-exported here. Reads (results, dashboards, public pages)
live in ``livelihood_votes.selectors``.
"""

from .evaluation import (
    evaluation_attendance_record,
    evaluation_cast,
    evaluation_check_in,
    evaluation_close,
    evaluation_create,
    evaluation_enter_paper,
    evaluation_open,
    grade,
    project_rectification_report,
    project_rectify,
    project_reevaluate,
)
from .implementation import (
    change_request_create,
    change_request_decide,
    planned_visit_cancel,
    progress_flag,
    progress_report,
    project_submit_plan,
    supervision_group_create,
    supervision_visit_answer,
    supervision_visit_plan,
    supervision_visit_record,
)
from .programmes import (
    candidate_create,
    deliberation_comment,
    deliberation_summarise,
    idea_from_opinion,
    idea_screen,
    idea_submit,
    programme_advance,
    programme_create,
    programme_set_seats,
)
from .votes import (
    ballot_cast,
    paper_counts_enter,
    programme_conclude_vote,
    round_attendance_record,
    round_check_in,
    round_close,
    round_create,
    round_open,
)

__all__ = [
    "ballot_cast",
    "candidate_create",
    "change_request_create",
    "change_request_decide",
    "deliberation_comment",
    "deliberation_summarise",
    "evaluation_attendance_record",
    "evaluation_cast",
    "evaluation_check_in",
    "evaluation_close",
    "evaluation_create",
    "evaluation_enter_paper",
    "evaluation_open",
    "grade",
    "idea_from_opinion",
    "idea_screen",
    "idea_submit",
    "paper_counts_enter",
    "progress_flag",
    "progress_report",
    "programme_advance",
    "programme_create",
    "programme_set_seats",
    "programme_conclude_vote",
    "project_reevaluate",
    "project_rectification_report",
    "project_rectify",
    "project_submit_plan",
    "round_attendance_record",
    "round_check_in",
    "round_close",
    "round_create",
    "round_open",
    "supervision_group_create",
    "planned_visit_cancel",
    "supervision_visit_answer",
    "supervision_visit_plan",
    "supervision_visit_record",
]
