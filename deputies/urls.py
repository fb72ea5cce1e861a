"""Deputies' pages (``deputies.views``, by audience): the staff workspace, the
roster import/export, the deputy's own pages and the public directory."""

from django.urls import path

from .views import deputy, organs, public, roster, sessions, staff, training

app_name = "deputies"
urlpatterns = [
    # The staff workspace.
    path("", staff.mandate_list, name="list"),
    path("new/", staff.mandate_create, name="create"),
    path("<int:pk>/", staff.mandate_detail, name="detail"),
    path("<int:pk>/photo/", staff.mandate_photo, name="photo"),
    path("<int:pk>/reveal/", staff.mandate_reveal, name="reveal"),
    path("<int:pk>/edit/", staff.person_edit, name="person_edit"),
    path("<int:pk>/mandates/new/", staff.mandate_add, name="mandate_add"),
    path("<int:pk>/suspend/", staff.mandate_suspend, name="suspend"),
    path("<int:pk>/restore/", staff.mandate_restore, name="restore"),
    path("<int:pk>/terminate/", staff.mandate_terminate, name="terminate"),
    path("groups/", staff.group_list, name="group_list"),
    path("groups/new/", staff.group_create, name="group_create"),
    path("groups/<int:pk>/", staff.group_detail, name="group_detail"),
    path(
        "groups/<int:pk>/members/",
        staff.group_add_members,
        name="group_add_members",
    ),
    path(
        "groups/<int:pk>/members/<int:mandate_pk>/remove/",
        staff.group_remove_member,
        name="group_remove_member",
    ),
    path("delegations/", staff.delegation_list, name="delegation_list"),
    path("delegations/new/", staff.delegation_create, name="delegation_create"),
    path("activities/", staff.activity_list, name="activity_list"),
    path("activities/new/", staff.activity_create, name="activity_create"),
    path("activities/<int:pk>/", staff.activity_detail, name="activity_detail"),
    path(
        "activities/<int:pk>/attendance/",
        staff.activity_attendance,
        name="activity_attendance",
    ),
    path("activities/<int:pk>/review/", staff.activity_review, name="activity_review"),
    path(
        "activities/<int:pk>/evidence/",
        staff.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "activities/<int:pk>/evidence/<int:evidence_pk>/",
        staff.evidence_download,
        name="evidence_download",
    ),
    # The deputy's own pages.
    path("me/", deputy.my_performance, name="my_performance"),
    path(
        "me/attendance/<int:pk>/confirm/",
        deputy.attendance_confirm,
        name="attendance_confirm",
    ),
    # issue 16: organs — state organs contacting deputies, 列席常委会会议.
    path("organs/plans/", organs.plan_list, name="organ_plan_list"),
    path("organs/plans/new/", organs.plan_create, name="organ_plan_create"),
    path("organs/plans/<int:pk>/", organs.plan_detail, name="organ_plan_detail"),
    path(
        "organs/plans/<int:pk>/deputies/",
        organs.plan_deputies,
        name="organ_plan_deputies",
    ),
    path(
        "organs/plans/<int:pk>/contacts/new/",
        organs.contact_create,
        name="organ_contact_create",
    ),
    path(
        "organs/contacts/<int:pk>/follow-up/",
        organs.contact_follow_up,
        name="organ_contact_follow_up",
    ),
    path("organs/coverage/", organs.coverage, name="organ_coverage"),
    path("organs/meetings/", organs.meeting_list, name="organ_meeting_list"),
    path("organs/meetings/new/", organs.meeting_create, name="organ_meeting_create"),
    path(
        "organs/meetings/<int:pk>/",
        organs.meeting_detail,
        name="organ_meeting_detail",
    ),
    path(
        "organs/meetings/<int:pk>/invite/",
        organs.meeting_invite,
        name="organ_meeting_invite",
    ),
    path(
        "organs/invitations/<int:pk>/mark/",
        organs.invitation_mark,
        name="organ_invitation_mark",
    ),
    path(
        "organs/invitations/<int:pk>/opinion/",
        organs.opinion_create,
        name="organ_opinion_create",
    ),
    path(
        "organs/invitations/<int:pk>/respond/",
        organs.invitation_respond,
        name="organ_invitation_respond",
    ),
    path(
        "organs/opinions/<int:pk>/follow-up/",
        organs.opinion_follow_up,
        name="organ_opinion_follow_up",
    ),
    path(
        "organs/opinions/<int:pk>/close/",
        organs.opinion_close,
        name="organ_opinion_close",
    ),
    path("organs/me/", organs.my_organ_work, name="organ_my"),
    # end issue 16: organs
    # issue 16: sessions — attendance, leave, speeches, training.
    path("sessions/", sessions.session_list, name="session_list"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session_detail"),
    path(
        "sessions/<int:pk>/attendance/",
        sessions.session_attendance,
        name="session_attendance",
    ),
    path("sessions/<int:pk>/report/", sessions.session_report, name="session_report"),
    path(
        "sessions/<int:pk>/leave/new/",
        sessions.leave_on_behalf,
        name="leave_on_behalf",
    ),
    path(
        "sessions/<int:pk>/meetings/new/",
        sessions.meeting_create,
        name="meeting_create",
    ),
    path("sessions/leave/", sessions.leave_list, name="leave_list"),
    path("sessions/leave/<int:pk>/decide/", sessions.leave_decide, name="leave_decide"),
    path("sessions/meetings/<int:pk>/", sessions.meeting_detail, name="meeting_detail"),
    path(
        "sessions/meetings/<int:pk>/speeches/",
        sessions.speech_create,
        name="speech_create",
    ),
    path(
        "sessions/speeches/<int:pk>/outcome/",
        sessions.speech_outcome,
        name="speech_outcome",
    ),
    path(
        "sessions/absence-flags/<int:pk>/",
        sessions.absence_flag,
        name="absence_flag",
    ),
    path(
        "sessions/absence-flags/<int:pk>/dismiss/",
        sessions.absence_flag_dismiss,
        name="absence_flag_dismiss",
    ),
    path("training/", training.course_list, name="course_list"),
    path("training/new/", training.course_create, name="course_create"),
    path("training/<int:pk>/", training.course_detail, name="course_detail"),
    path("training/<int:pk>/enrol/", training.course_enrol, name="course_enrol"),
    path(
        "training/<int:pk>/attendance/",
        training.course_attendance,
        name="course_attendance",
    ),
    path("me/sessions/", sessions.my_sessions, name="my_sessions"),
    path("me/sessions/<int:pk>/leave/", sessions.my_leave_new, name="my_leave_new"),
    path(
        "me/leave/<int:pk>/withdraw/",
        sessions.my_leave_withdraw,
        name="my_leave_withdraw",
    ),
    path("me/training/", training.my_training, name="my_training"),
    # The public directory.
    path("public/", public.public_directory, name="public_directory"),
    # Roster import and export.
    path("roster/import/", roster.RosterImportView.as_view(), name="roster_import"),
    path(
        "roster/import/<int:pk>/",
        roster.RosterImportDetailView.as_view(),
        name="roster_import_detail",
    ),
    path(
        "roster/import/<int:pk>/status/",
        roster.RosterImportStatusView.as_view(),
        name="roster_import_status",
    ),
    path(
        "roster/import/<int:pk>/commit/",
        roster.RosterImportCommitView.as_view(),
        name="roster_import_commit",
    ),
    path(
        "roster/template/", roster.RosterTemplateView.as_view(), name="roster_template"
    ),
    path("export/", roster.MandateExportView.as_view(), name="export"),
    path(
        "export/jobs/",
        roster.MandateExportCreateView.as_view(),
        name="export_job_create",
    ),
    path(
        "export/jobs/<int:pk>/",
        roster.MandateExportJobView.as_view(),
        name="export_job",
    ),
    path(
        "export/jobs/<int:pk>/status/",
        roster.MandateExportStatusView.as_view(),
        name="export_job_status",
    ),
    path(
        "export/jobs/<int:pk>/download/",
        roster.MandateExportDownloadView.as_view(),
        name="export_job_download",
    ),
]
