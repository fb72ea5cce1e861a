"""Bills and suggestions pages (deputy, congress staff, units, leaders, public);
the views are in ``proposals.views``, one module per audience."""

from django.urls import path

from .views import commendations, common, deputy, leader, public, staff, unit

app_name = "proposals"
urlpatterns = [
    # the deputy
    path("", deputy.mine, name="mine"),
    path("new/", deputy.create, name="create"),
    path("similar/", deputy.similar, name="similar"),
    path("from-opinion/<int:opinion_pk>/", deputy.from_opinion, name="from_opinion"),
    path("<int:pk>/", common.detail, name="detail"),
    path("<int:pk>/edit/", deputy.edit, name="edit"),
    path("<int:pk>/submit/", deputy.submit, name="submit"),
    path("<int:pk>/withdraw/", deputy.withdraw, name="withdraw"),
    path("<int:pk>/cosign/", deputy.cosign, name="cosign"),
    path("<int:pk>/evaluate/", deputy.evaluate, name="evaluate"),
    path(
        "commitments/<int:pk>/confirm/",
        deputy.commitment_confirm,
        name="commitment_confirm",
    ),
    # congress staff and leaders
    path("manage/", staff.manage, name="manage"),
    path("review/", staff.review, name="review"),
    path("to-assign/", staff.assign_queue, name="assign_queue"),
    path("<int:pk>/register/", staff.register, name="register"),
    path("<int:pk>/return/", staff.return_, name="return"),
    path("<int:pk>/reject/", staff.reject, name="reject"),
    path("<int:pk>/merge/", staff.merge, name="merge"),
    path("<int:pk>/bill-decision/", staff.bill_decision, name="bill_decision"),
    path("<int:pk>/bill-result/", staff.bill_result, name="bill_result"),
    path("presidium-bill/", staff.presidium_bill, name="presidium_bill"),
    path("<int:pk>/forward/", staff.forward, name="forward"),
    path("<int:pk>/assign/", staff.assign, name="assign"),
    path("<int:pk>/disclosure/", staff.disclosure, name="disclosure"),
    path("<int:pk>/outcome/", staff.record_outcome, name="record_outcome"),
    path("overdue/", staff.overdue, name="overdue"),
    path("requests/", staff.requests_, name="requests"),
    path(
        "extensions/<int:pk>/decide/",
        staff.extension_decide,
        name="extension_decide",
    ),
    path("returns/<int:pk>/decide/", staff.return_decide, name="return_decide"),
    path("callbacks/", staff.callbacks, name="callbacks"),
    path(
        "evaluations/<int:pk>/callback/",
        staff.callback_record,
        name="callback_record",
    ),
    path(
        "<int:pk>/rehandle/",
        staff.rehandle_after_callback,
        name="rehandle_after_callback",
    ),
    path("key/", leader.key_list, name="key_list"),
    path("key/new/", leader.key_create, name="key_create"),
    path("key/<int:pk>/", leader.key_detail, name="key_detail"),
    path("key/<int:pk>/events/", leader.key_event, name="key_event"),
    path("key/<int:pk>/plan/", leader.key_plan, name="key_plan"),
    path(
        "key/planned/<int:pk>/cancel/",
        leader.key_planned_cancel,
        name="key_planned_cancel",
    ),
    path("key/<int:pk>/evaluate/", leader.key_evaluate, name="key_evaluate"),
    # handling units
    path("assignments/", unit.assignments, name="assignments"),
    path("assignments/<int:pk>/", unit.assignment_detail, name="assignment"),
    path(
        "assignments/<int:pk>/accept/",
        unit.assignment_accept,
        name="assignment_accept",
    ),
    path(
        "assignments/<int:pk>/return/",
        unit.assignment_return,
        name="assignment_return",
    ),
    path(
        "assignments/<int:pk>/contact/",
        unit.assignment_contact,
        name="assignment_contact",
    ),
    path(
        "assignments/<int:pk>/contact/reveal/",
        unit.assignment_reveal_contact,
        name="assignment_reveal_contact",
    ),
    path(
        "assignments/<int:pk>/extension/",
        unit.assignment_extension,
        name="assignment_extension",
    ),
    path(
        "assignments/<int:pk>/co-opinion/",
        unit.assignment_co_opinion,
        name="assignment_co_opinion",
    ),
    path("assignments/<int:pk>/reply/", unit.assignment_reply, name="assignment_reply"),
    path("assignments/<int:pk>/urge/", staff.urge, name="urge"),
    path("assignments/<int:pk>/reassign/", staff.reassign, name="reassign"),
    path("commitments/<int:pk>/done/", unit.commitment_done, name="commitment_done"),
    path("replies/<int:pk>/file/", common.reply_file, name="reply_file"),
    # the public
    path("public/", public.public_list, name="public_list"),
    path("public/<int:pk>/", public.public_detail, name="public_detail"),
    # issue 17: incentives — commendations (大激励) and 零履职 talks. Begin.
    path("commendations/", commendations.campaign_list, name="commendation_list"),
    path(
        "commendations/new/",
        commendations.campaign_create,
        name="commendation_create",
    ),
    path(
        "commendations/<int:pk>/",
        commendations.campaign_detail,
        name="commendation_detail",
    ),
    path(
        "commendations/<int:pk>/open/",
        commendations.campaign_open,
        name="commendation_open",
    ),
    path(
        "commendations/<int:pk>/draw/",
        commendations.campaign_draw,
        name="commendation_draw",
    ),
    path(
        "commendations/<int:pk>/nominate/",
        commendations.campaign_nominate,
        name="commendation_nominate",
    ),
    path(
        "commendations/<int:pk>/close/",
        commendations.campaign_close,
        name="commendation_close",
    ),
    path(
        "commendations/<int:pk>/approve/",
        commendations.campaign_approve,
        name="commendation_approve",
    ),
    path(
        "commendations/<int:pk>/publish/",
        commendations.campaign_publish,
        name="commendation_publish",
    ),
    path(
        "commendations/<int:pk>/cancel/",
        commendations.campaign_cancel,
        name="commendation_cancel",
    ),
    path(
        "commendations/nominations/<int:pk>/review/",
        commendations.nomination_review,
        name="commendation_review",
    ),
    path("commendations/mine/", commendations.my_awards, name="commendation_mine"),
    path(
        "commendations/public/",
        commendations.public_list,
        name="commendation_public_list",
    ),
    path(
        "commendations/public/<int:pk>/",
        commendations.public_detail,
        name="commendation_public_detail",
    ),
    path("zero-performance/", commendations.zero_list, name="zero_list"),
    path(
        "zero-performance/<int:pk>/",
        commendations.zero_record,
        name="zero_record",
    ),
    # issue 17: incentives. End.
]
