"""Stations pages: public finder and opinion forms, station workspace, the
opinion inbox (views in ``stations/views/``, by audience)."""

from django.urls import path

from .views import codes, consultation, funds, inbox, network, public, station

app_name = "stations"
urlpatterns = [
    # public
    path("", public.finder, name="finder"),
    path("track/", public.track, name="track"),
    path("track/rate/", public.opinion_rate, name="opinion_rate"),
    path("deputies/<int:pk>/", public.deputy_page, name="deputy"),
    path("<int:pk>/", public.station_page, name="station"),
    path("<int:pk>/opinion/", public.opinion_new, name="opinion_new"),
    path("<int:pk>/opinion/sent/", public.opinion_sent, name="opinion_sent"),
    path("<int:pk>/opinion/similar/", public.opinion_similar, name="opinion_similar"),
    # station workspace
    path("manage/", station.manage_list, name="manage_list"),
    path("manage/<int:pk>/", station.manage, name="manage"),
    path("manage/<int:pk>/members/add/", station.member_add, name="member_add"),
    path(
        "manage/<int:pk>/members/<int:membership_pk>/end/",
        station.member_end,
        name="member_end",
    ),
    path(
        "manage/<int:pk>/duty-days/new/",
        station.duty_day_create,
        name="duty_day_create",
    ),
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/publish/",
        station.duty_day_publish,
        name="duty_day_publish",
    ),
    # issue 18: change, cancel, delete a day; a weekly series
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/edit/",
        station.duty_day_edit,
        name="duty_day_edit",
    ),
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/cancel/",
        station.duty_day_cancel,
        name="duty_day_cancel",
    ),
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/delete/",
        station.duty_day_delete,
        name="duty_day_delete",
    ),
    path(
        "manage/<int:pk>/duty-days/weekly/",
        station.duty_day_recurring,
        name="duty_day_recurring",
    ),
    path(
        "manage/<int:pk>/duty-days/<int:duty_day_pk>/attendance/",
        station.duty_day_attendance,
        name="duty_day_attendance",
    ),
    path(
        "manage/<int:pk>/receptions/new/",
        station.reception_create,
        name="reception_create",
    ),
    # opinions: station staff, congress staff and handling units
    path("opinions/", inbox.inbox, name="inbox"),
    path("opinions/mine/", inbox.my_opinions, name="my_opinions"),
    path("opinions/<int:pk>/", inbox.opinion_detail, name="opinion"),
    path("opinions/<int:pk>/photo/", inbox.opinion_photo, name="opinion_photo"),
    path(
        "opinions/<int:pk>/reveal-contact/",
        inbox.opinion_reveal_contact,
        name="opinion_reveal_contact",
    ),
    path("opinions/<int:pk>/triage/", inbox.opinion_triage, name="opinion_triage"),
    path("opinions/<int:pk>/assign/", inbox.opinion_assign, name="opinion_assign"),
    path("opinions/<int:pk>/reply/", inbox.opinion_reply, name="opinion_reply"),
    path("opinions/<int:pk>/visit/", inbox.opinion_visit, name="opinion_visit"),
    path("opinions/<int:pk>/close/", inbox.opinion_close, name="opinion_close"),
    path("opinions/<int:pk>/convert/", inbox.opinion_convert, name="opinion_convert"),
    # issue 17: incentives — activity funds, legislative consultation. Begin.
    path("funds/", funds.fund_list, name="fund_list"),
    path("funds/new/", funds.fund_create, name="fund_create"),
    path("funds/<int:pk>/", funds.fund_detail, name="fund_detail"),
    path("funds/<int:pk>/approve/", funds.fund_approve, name="fund_approve"),
    path("funds/<int:pk>/close/", funds.fund_close, name="fund_close"),
    path("funds/<int:pk>/spending/", funds.spending_create, name="fund_spending"),
    path(
        "funds/spending/<int:pk>/decide/",
        funds.spending_decide,
        name="fund_spending_decide",
    ),
    path("consultation/", consultation.draft_list, name="consultation_list"),
    path("consultation/new/", consultation.draft_create, name="consultation_create"),
    path(
        "consultation/<int:pk>/",
        consultation.draft_detail,
        name="consultation_detail",
    ),
    path(
        "consultation/<int:pk>/open/",
        consultation.draft_open,
        name="consultation_open",
    ),
    path(
        "consultation/<int:pk>/close/",
        consultation.draft_close,
        name="consultation_close",
    ),
    path(
        "consultation/<int:pk>/summarise/",
        consultation.draft_summarise,
        name="consultation_summarise",
    ),
    path(
        "consultation/<int:pk>/feedback/",
        consultation.draft_feedback,
        name="consultation_feedback",
    ),
    path(
        "consultation/<int:pk>/comments/",
        consultation.comment_create,
        name="consultation_comment",
    ),
    path(
        "consultation/comments/<int:pk>/decide/",
        consultation.comment_decide,
        name="consultation_comment_decide",
    ),
    path("legislation/", consultation.public_list, name="consultation_public_list"),
    path(
        "legislation/<int:pk>/",
        consultation.public_detail,
        name="consultation_public_detail",
    ),
    # issue 17: incentives. End.
    # issue 17: networks — 代表码, points, duty targets, assessments, governance
    path("c/<str:token>/", codes.code, name="code"),
    path("c/<str:token>/qr.png", codes.code_png, name="code_png"),
    path("codes/mine/", codes.my_codes, name="my_codes"),
    path("manage/<int:pk>/codes/", codes.station_codes, name="station_codes"),
    path(
        "manage/<int:pk>/codes/sheet.pdf",
        codes.station_code_sheet,
        name="station_code_sheet",
    ),
    path("manage/<int:pk>/network/", network.network, name="network"),
    path("manage/<int:pk>/points/new/", network.point_add, name="point_add"),
    path(
        "manage/<int:pk>/assessments/new/",
        network.assessment_create,
        name="assessment_create",
    ),
    path(
        "manage/<int:pk>/activities/new/",
        network.activity_create,
        name="activity_create",
    ),
    path(
        "manage/<int:pk>/mediations/new/",
        network.mediation_create,
        name="mediation_create",
    ),
    path("duty-targets/", network.duty_targets, name="duty_targets"),
    path("assessments/", network.assessment_list, name="assessment_list"),
    path("assessments/<int:pk>/", network.assessment_detail, name="assessment"),
    path(
        "assessments/<int:pk>/submit/",
        network.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "assessments/<int:pk>/approve/",
        network.assessment_approve,
        name="assessment_approve",
    ),
    path(
        "assessments/<int:pk>/refuse/",
        network.assessment_refuse,
        name="assessment_refuse",
    ),
    path("activities/", network.activity_list, name="activity_list"),
    path("mediations/", network.mediation_list, name="mediation_list"),
    path("mediations/<int:pk>/", network.mediation_detail, name="mediation"),
    path("mediations/<int:pk>/close/", network.mediation_close, name="mediation_close"),
    path("social-reports/", network.social_report_list, name="social_report_list"),
    path(
        "social-reports/new/",
        network.social_report_create,
        name="social_report_create",
    ),
    path(
        "social-reports/<int:pk>/",
        network.social_report_detail,
        name="social_report",
    ),
    path(
        "social-reports/<int:pk>/submit/",
        network.social_report_submit,
        name="social_report_submit",
    ),
    path(
        "social-reports/<int:pk>/answer/",
        network.social_report_answer,
        name="social_report_answer",
    ),
    path(
        "social-reports/<int:pk>/forward/",
        network.social_report_forward,
        name="social_report_forward",
    ),
    # issue 17: networks (end)
]
