"""proposals' plug-ins (portal/registry.py), found by autodiscover_modules("hooks")."""

from django.utils.translation import gettext_lazy as _

from portal.policies import governs_any, is_deputy, works_in_unit
from portal.registry import (
    DashboardCard,
    DemoSeed,
    NavItem,
    ReminderJob,
    ReportSection,
    register_card,
    register_card_figures,
    register_demo_seed,
    register_nav,
    register_reminder_job,
    register_report_section,
    register_todo_provider,
)

from . import demo, reminders, reports, selectors

register_nav(
    NavItem(
        key="my_suggestions",
        label=_("我的建议"),
        url_name="proposals:mine",
        visible=is_deputy,
        order=40,
    )
)
register_nav(
    NavItem(
        key="write_suggestion",
        label=_("写建议"),
        url_name="proposals:create",
        visible=is_deputy,
        tab=10,
        icon="pen",
        in_menu=False,  # 我的建议 has the button; on a phone it is a tab
    )
)
register_nav(
    NavItem(
        key="suggestions",
        label=_("议案建议"),
        url_name="proposals:manage",
        visible=governs_any,
        order=41,
        tab=30,
        tab_label=_("建议"),
    )
)
register_nav(
    NavItem(
        key="assignments",
        label=_("承办"),
        url_name="proposals:assignments",
        visible=works_in_unit,
        order=42,
        tab=10,
        icon="inbox",
    )
)
for provider in (
    selectors.deputy_todos,
    selectors.staff_todos,
    selectors.unit_todos,
    selectors.leader_todos,
):
    register_todo_provider(provider)
register_report_section(
    ReportSection(
        key="suggestions", title=_("议案建议办理"), build=reports.build, order=10
    )
)
register_card_figures("suggestions", reports.card_figures)
register_card(
    DashboardCard(
        key="report_suggestions",
        title=_("议案建议办理（本年度）"),
        template="staff/cards/stat.html",
        render=reports.dashboard_card,
        order=60,
    )
)
for order, (name, label, collect) in enumerate(
    [
        ("assignments_due", _("交办即将到期"), reminders.assignments_due),
        ("assignments_overdue", _("交办超期"), reminders.assignments_overdue),
        ("assignments_unaccepted", _("交办未签收"), reminders.assignments_unaccepted),
        ("co_opinions_due", _("协办意见到期"), reminders.co_opinions_due),
        ("requests_pending", _("延期退办待审批"), reminders.requests_pending),
        ("evaluations_waiting", _("答复待评价"), reminders.evaluations_waiting),
        ("commitments_due", _("承诺事项到期"), reminders.commitments_due),
        ("disclosures_due", _("答复公开到期"), reminders.disclosures_due),
        (
            "recess_assignments_due",
            _("闭会期间建议交办到期"),
            reminders.recess_assignments_due,
        ),
        (
            "planned_supervision_events",
            _("计划督办活动"),
            reminders.planned_supervision_events,
        ),
        ("weekly_digest", _("每周汇总"), reminders.weekly_digest),
    ],
    start=10,
):
    register_reminder_job(
        ReminderJob(name=name, label=label, collect=collect, order=order)
    )
register_demo_seed(DemoSeed(name="proposals", seed=demo.seed, order=30))

# issue 17: incentives — commendations (大激励) and 零履职 talks. Begin.
from portal.policies import any_of, works_in_station  # noqa: E402

from .commendations import demo as commendation_demo  # noqa: E402
from .commendations import reminders as commendation_reminders  # noqa: E402
from .commendations import reports as commendation_reports  # noqa: E402

register_nav(
    NavItem(
        key="commendations",
        label=_("评选表彰"),
        url_name="proposals:commendation_list",
        visible=governs_any,
        order=45,
    )
)
register_nav(
    NavItem(
        key="my_awards",
        label=_("荣誉记录"),
        url_name="proposals:commendation_mine",
        visible=any_of(is_deputy, works_in_unit, works_in_station),
        order=46,
    )
)
register_report_section(
    ReportSection(
        key="commendations",
        title=_("表彰激励"),
        build=commendation_reports.build,
        order=25,
    )
)
register_reminder_job(
    ReminderJob(
        name="commendation_deadlines",
        label=_("评选推荐即将截止"),
        collect=commendation_reminders.campaign_deadlines,
        order=25,
    )
)
register_demo_seed(
    DemoSeed(name="commendations", seed=commendation_demo.seed, order=35)
)
# issue 17: incentives. End.

# issue 18: readable audit codes (admin audit log, timelines).
from portal.registry import audit_actions, register_audit_actions  # noqa: E402

from .commendations.models import Campaign, ZeroPerformanceStep  # noqa: E402

register_audit_actions(
    audit_actions("suggestion", _("代表建议"), selectors.EVENT_LABELS.items())
)
register_audit_actions(
    audit_actions("commendation", _("评选表彰"), Campaign.Status.choices)
)
register_audit_actions(
    audit_actions("zero_performance", _("零履职代表"), ZeroPerformanceStep.Step.choices)
)
register_audit_actions(
    {
        "commendation.create": _("创建评选"),
        "evaluation.sample": _("抽取满意度回访"),
        "key_item.create": _("列入重点督办"),
        "key_item.event": _("登记督办活动"),
        "key_item.plan_event": _("计划督办活动"),
        "key_item.cancel_planned_event": _("取消计划的督办活动"),
        "key_item.evaluate": _("重点督办评估"),
    }
)
