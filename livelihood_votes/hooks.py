"""livelihood_votes' plug-ins (portal/registry.py), found by autodiscover_modules("hooks")."""

from django.utils.translation import gettext_lazy as _

from portal.policies import governs_any, is_deputy
from portal.registry import (
    DemoSeed,
    NavItem,
    ReminderJob,
    ReportSection,
    register_demo_seed,
    register_nav,
    register_reminder_job,
    register_report_section,
    register_todo_provider,
)

from . import demo, policies, reminders, reports, selectors

register_nav(
    NavItem(
        key="livelihood",
        label=_("民生实事"),
        url_name="livelihood:programme_list",
        visible=governs_any,
        order=50,
    )
)
register_nav(
    NavItem(
        key="livelihood_projects",
        label=_("民生实事"),
        url_name="livelihood:project_list",
        visible=policies.township_gov_only,
        order=50,
        tab=10,
    )
)
register_nav(
    NavItem(
        key="livelihood_my_votes",
        label=_("我的票决"),
        url_name="livelihood:my_votes",
        visible=is_deputy,
        order=16,
        tab=20,
        tab_label=_("票决"),
        icon="vote",
    )
)
for provider in (
    selectors.deputy_todos,
    selectors.implementer_todos,
    selectors.staff_todos,
):
    register_todo_provider(provider)
register_report_section(
    ReportSection(
        key="livelihood", title=_("民生实事项目"), build=reports.build, order=40
    )
)
register_reminder_job(
    ReminderJob(
        name="livelihood_progress_due",
        label=_("民生实事进度报告"),
        collect=reminders.progress_reports_due,
        order=30,
    )
)
register_reminder_job(
    ReminderJob(
        name="livelihood_planned_visits",
        label=_("计划监督视察"),
        collect=reminders.planned_visits,
        order=31,
    )
)
register_demo_seed(DemoSeed(name="livelihood_votes", seed=demo.seed, order=40))

# issue 18: readable audit codes (admin audit log, timelines).
from portal.registry import register_audit_actions  # noqa: E402

register_audit_actions(
    {
        "programme.create": _("新建民生实事票决"),
        "programme.phase": _("民生实事票决阶段变更"),
        "programme.seats": _("设置票决项目数"),
        "programme.summary": _("民生实事票决总结"),
        "idea.screen": _("初筛群众意见"),
        "candidate.create": _("新增候选项目"),
        "vote_round.attendance": _("登记票决签到"),
        "vote_round.open": _("开始票决"),
        "vote_round.paper_counts": _("登记纸质票计票"),
        "vote_round.close": _("结束票决"),
        "project.plan": _("提交实施计划"),
        "project.change_decide": _("主席团审议项目变更"),
        "project.visit": _("登记监督视察"),
        "project.plan_visit": _("计划监督视察"),
        "project.cancel_planned_visit": _("取消计划的监督视察"),
        "project.rectify": _("要求整改"),
        "project.rectification_report": _("报送整改情况"),
        "project.reevaluate": _("重新测评"),
        "evaluation.create": _("新建满意度测评"),
        "evaluation.attendance": _("登记测评签到"),
        "evaluation.open": _("开始满意度测评"),
        "evaluation.paper_counts": _("登记纸质测评票"),
        "evaluation.close": _("结束满意度测评"),
    }
)
