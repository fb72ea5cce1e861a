"""Read models of livelihood_votes, shared by the HTML pages and the API, by
audience: ``public`` (projections through the privacy scrub), ``programmes``
(the staff workspace), ``deputy``, ``projects`` (implementation and
supervision) and ``todos`` (the dashboard's to-dos); ``common`` holds what they
share. Callers use ``from livelihood_votes import selectors``."""

from .common import candidates_of, current_mandate, round_results, stepper
from .deputy import has_evaluated, has_voted, my_votes
from .programmes import (
    accepted_ideas,
    deliberation,
    electorate,
    evaluation_attendance,
    evaluation_paper_initial,
    evaluation_projects,
    hall_screen,
    is_signed_in,
    lead_units,
    paper_counts_initial,
    pooled_opinions,
    programme_congresses,
    programme_detail,
    programme_organisers,
    quorum_needed,
    region_opinions,
    round_attendance,
    round_candidates,
    signed_in_count,
    staff_programmes,
    supervision_choices,
)
from .projects import project_detail, project_rows, project_worklist
from .public import (
    idea_tracking,
    public_photos,
    public_programme,
    public_programmes,
    public_project,
    public_project_get,
    public_round_results,
    receipt_counted,
)
from .todos import deputy_todos, implementer_todos, staff_todos

__all__ = [
    "accepted_ideas",
    "candidates_of",
    "current_mandate",
    "deliberation",
    "deputy_todos",
    "electorate",
    "evaluation_attendance",
    "evaluation_paper_initial",
    "evaluation_projects",
    "hall_screen",
    "has_evaluated",
    "has_voted",
    "idea_tracking",
    "is_signed_in",
    "implementer_todos",
    "lead_units",
    "my_votes",
    "paper_counts_initial",
    "pooled_opinions",
    "programme_congresses",
    "programme_organisers",
    "programme_detail",
    "project_detail",
    "project_rows",
    "project_worklist",
    "public_photos",
    "public_programme",
    "public_programmes",
    "public_project",
    "public_project_get",
    "public_round_results",
    "receipt_counted",
    "quorum_needed",
    "region_opinions",
    "round_attendance",
    "round_candidates",
    "round_results",
    "signed_in_count",
    "staff_programmes",
    "staff_todos",
    "stepper",
    "supervision_choices",
]
