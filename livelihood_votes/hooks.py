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
