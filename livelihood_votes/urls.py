"""Livelihood-project pages (``livelihood_votes.views``, by audience)."""

from django.urls import path

from .views import deputy, documents, gov, public, rectification, staff

app_name = "livelihood"
urlpatterns = [
    # public
    path("", public.public_list, name="public_list"),
    path("p/<int:pk>/", public.public_programme, name="public_programme"),
    path("p/projects/<int:pk>/", public.public_project, name="public_project"),
    path("p/<int:pk>/idea/", public.idea_new, name="idea_new"),
    path("p/<int:pk>/idea/sent/", public.idea_sent, name="idea_sent"),
    path("track/", public.idea_track, name="idea_track"),
    path("reports/<int:pk>/photo/", public.report_photo, name="report_photo"),
    # staff: programmes
    path("programmes/", staff.programme_list, name="programme_list"),
    path("programmes/new/", staff.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", staff.programme_detail, name="programme"),
    path("programmes/<int:pk>/seats/", staff.programme_seats, name="programme_seats"),
    path(
        "programmes/<int:pk>/advance/",
        staff.programme_advance,
        name="programme_advance",
    ),
    path(
        "programmes/<int:pk>/candidates/new/",
        staff.candidate_new,
        name="candidate_new",
    ),
    path(
        "programmes/<int:pk>/opinions/<int:opinion_pk>/pool/",
        staff.idea_pool,
        name="idea_pool",
    ),
    path("programmes/<int:pk>/rounds/new/", staff.round_create, name="round_create"),
    path(
        "programmes/<int:pk>/conclude/",
        staff.programme_conclude,
        name="programme_conclude",
    ),
    path("programmes/<int:pk>/summary/", staff.summarise, name="summarise"),
    path("programmes/<int:pk>/deliberation/", deputy.deliberation, name="deliberation"),
    path(
        "programmes/<int:pk>/supervision/new/",
        staff.supervision_group_new,
        name="supervision_group_new",
    ),
    path(
        "programmes/<int:pk>/evaluation/new/",
        staff.evaluation_create,
        name="evaluation_create",
    ),
    path("ideas/<int:pk>/screen/", staff.idea_screen, name="idea_screen"),
    path("candidates/<int:pk>/comment/", deputy.comment, name="comment"),
    # rounds
    path(
        "rounds/<int:pk>/attendance/",
        staff.round_attendance,
        name="round_attendance",
    ),
    path("rounds/<int:pk>/open/", staff.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", staff.round_close, name="round_close"),
    path("rounds/<int:pk>/paper/", staff.paper_counts, name="paper_counts"),
    path("rounds/<int:pk>/screen/", staff.round_screen, name="round_screen"),
    path(
        "rounds/<int:pk>/<str:kind>.pdf",
        documents.round_document,
        name="round_document",
    ),
    # deputies
    path("my/", deputy.my_votes, name="my_votes"),
    path("vote/<int:pk>/", deputy.vote, name="vote"),
    path("vote/<int:pk>/check-in/", deputy.check_in, name="check_in"),
    path("evaluations/<int:pk>/", deputy.evaluate, name="evaluate"),
    path(
        "evaluations/<int:pk>/attendance/",
        staff.evaluation_attendance,
        name="evaluation_attendance",
    ),
    path(
        "evaluations/<int:pk>/check-in/",
        deputy.evaluation_check_in,
        name="evaluation_check_in",
    ),
    path(
        "evaluations/<int:pk>/open/",
        staff.evaluation_open,
        name="evaluation_open",
    ),
    path(
        "evaluations/<int:pk>/paper/",
        staff.evaluation_paper,
        name="evaluation_paper",
    ),
    path(
        "evaluations/<int:pk>/close/",
        staff.evaluation_close,
        name="evaluation_close",
    ),
    # implementation and supervision
    path("projects/", gov.project_list, name="project_list"),
    path("projects/<int:pk>/", gov.project_detail, name="project"),
    path("projects/<int:pk>/plan/", gov.project_plan, name="project_plan"),
    path("projects/<int:pk>/progress/", gov.project_progress, name="project_progress"),
    path("projects/<int:pk>/change/", gov.project_change, name="project_change"),
    path("projects/<int:pk>/visits/new/", staff.visit_new, name="visit_new"),
    path("projects/<int:pk>/visits/plan/", staff.visit_plan, name="visit_plan"),
    path(
        "planned-visits/<int:pk>/cancel/",
        staff.planned_visit_cancel,
        name="planned_visit_cancel",
    ),
    path("projects/<int:pk>/rectify/", staff.project_rectify, name="project_rectify"),
    path(
        "projects/<int:pk>/rectification/",
        rectification.project_rectification,
        name="project_rectification",
    ),
    path("visits/<int:pk>/answer/", gov.visit_answer, name="visit_answer"),
    path("changes/<int:pk>/decide/", staff.change_decide, name="change_decide"),
]
