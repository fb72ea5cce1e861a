"""stations' plug-ins (portal/registry.py), found by autodiscover_modules("hooks")."""

from django.utils.translation import gettext_lazy as _

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
    register_ranking_scopes,
    register_reminder_job,
    register_report_section,
    register_scope,
    register_todo_provider,
)

from . import demo, policies, reminders, reports, selectors

register_scope("station", selectors.resolve_stations)
register_ranking_scopes(selectors.station_ranking_scopes)
register_nav(
    NavItem(
        key="stations",
        label=_("联络站"),
        url_name="stations:manage_list",
        visible=policies.works_with_stations,
        order=30,
        tab=31,
        icon="home",
    )
)
register_nav(
    NavItem(
        key="opinions",
        label=_("群众意见"),
        url_name="stations:inbox",
        visible=policies.works_with_stations,
        order=31,
        tab=33,
        tab_label=_("意见"),
        icon="inbox",
    )
)
register_nav(
    NavItem(
        key="unit_opinions",
        label=_("承办意见"),
        url_name="stations:inbox",
        visible=policies.unit_only,
        order=32,
        tab=20,
        tab_label=_("意见"),
    )
)
register_nav(
    NavItem(
        key="my_opinions",
        label=_("我收集的群众意见"),
        url_name="stations:my_opinions",
        visible=policies.is_deputy,
        order=33,
    )
)
register_todo_provider(selectors.station_todos)
register_todo_provider(selectors.congress_todos)
register_todo_provider(selectors.unit_todos)
register_report_section(
    ReportSection(
        key="stations", title=_("联络站和群众意见"), build=reports.build, order=30
    )
)
register_card_figures("opinions", reports.card_figures)
register_card(
    DashboardCard(
        key="report_opinions",
        title=_("群众意见办理（本年度）"),
        template="staff/cards/stat.html",
        render=reports.dashboard_card,
        order=61,
    )
)
register_reminder_job(
    ReminderJob(
        name="duty_days_tomorrow",
        label=_("明日接待日"),
        collect=reminders.duty_days_tomorrow,
        order=1,
    )
)
register_reminder_job(
    ReminderJob(
        name="opinions_overdue",
        label=_("群众意见超期"),
        collect=reminders.opinions_overdue,
        order=2,
    )
)
register_demo_seed(DemoSeed(name="stations", seed=demo.seed, order=20))

# issue 17: incentives — activity funds and legislative consultation. Begin.
from . import incentive_demo, incentive_reminders, incentive_reports  # noqa: E402
from .incentive_policies import reads_incentives  # noqa: E402

register_nav(
    NavItem(
        key="activity_funds",
        label=_("代表活动经费"),
        url_name="stations:fund_list",
        visible=reads_incentives,
        order=34,
    )
)
register_nav(
    NavItem(
        key="legislative_consultation",
        label=_("立法征求意见"),
        url_name="stations:consultation_list",
        visible=reads_incentives,
        order=35,
    )
)
register_report_section(
    ReportSection(
        key="activity_funds",
        title=_("代表活动经费"),
        build=incentive_reports.funds,
        order=35,
    )
)
register_report_section(
    ReportSection(
        key="legislative_consultation",
        title=_("基层立法联系点"),
        build=incentive_reports.consultation,
        order=36,
    )
)
register_reminder_job(
    ReminderJob(
        name="consultation_closing",
        label=_("立法征求意见即将截止"),
        collect=incentive_reminders.consultation_closing,
        order=5,
    )
)
register_reminder_job(
    ReminderJob(
        name="fund_spending_pending",
        label=_("代表活动经费支出待审批"),
        collect=incentive_reminders.spending_pending,
        order=6,
    )
)
register_demo_seed(
    DemoSeed(name="stations_incentives", seed=incentive_demo.seed, order=32)
)
# issue 17: incentives. End.

# issue 17: networks — 代表码, points, duty targets, assessments, governance.
from .network import demo as network_demo  # noqa: E402
from .network import policies as network_policies  # noqa: E402
from .network import reminders as network_reminders  # noqa: E402
from .network import reports as network_reports  # noqa: E402
from .network import selectors as network_selectors  # noqa: E402

register_nav(
    NavItem(
        key="station_assessments",
        label=_("联络站考评"),
        url_name="stations:assessment_list",
        visible=network_policies.works_with_networks,
        order=34,
    )
)
register_nav(
    NavItem(
        key="social_reports",
        label=_("社情民意"),
        url_name="stations:social_report_list",
        visible=network_policies.sends_social_reports,
        order=35,
    )
)
register_nav(
    NavItem(
        key="my_codes",
        label=_("我的代表码"),
        url_name="stations:my_codes",
        visible=policies.is_deputy,
        order=36,
    )
)
register_todo_provider(network_selectors.network_todos)
register_report_section(
    ReportSection(
        key="station_networks",
        title=_("联络站考评和基层治理"),
        build=network_reports.build,
        order=31,
    )
)
register_reminder_job(
    ReminderJob(
        name="duty_target_behind",
        label=_("代表进站履职落后于年度目标"),
        collect=network_reminders.deputies_behind_duty_target,
        order=3,
    )
)
register_reminder_job(
    ReminderJob(
        name="station_assessment_due",
        label=_("联络站年度考评待报送"),
        collect=network_reminders.assessments_due,
        order=4,
    )
)
register_demo_seed(DemoSeed(name="station_networks", seed=network_demo.seed, order=21))
# issue 17: networks (end)

# issue 18: readable audit codes (admin audit log, timelines).
from portal.registry import audit_actions, register_audit_actions  # noqa: E402

from .funds_models import FundBudget, FundSpending  # noqa: E402
from .network_models import SocialReport  # noqa: E402

register_audit_actions(
    {
        "station.create": _("新建联络站"),
        "station.member_add": _("代表进站"),
        "station.member_end": _("代表离站"),
        "station.honour": _("登记联络站荣誉"),
        "duty_day.create": _("安排接待日"),
        "duty_day.publish": _("公布接待日"),
        "duty_day.attendance": _("登记接待日到岗情况"),
        "duty_day.update": _("修改接待日"),
        "duty_day.cancel": _("取消接待日"),
        "duty_day.delete": _("删除未公布的接待日"),
        "opinion.citizen_rating": _("群众评价答复"),
        "opinion.transition": _("群众意见状态变更"),
        "reception.create": _("登记接待记录"),
        "fund_budget.create": _("编制代表活动经费预算"),
        "legislative_draft.create": _("拟定征求意见稿"),
        "legislative_draft.open": _("发布征求意见"),
        "legislative_draft.closed": _("结束征求意见"),
        "legislative_draft.summarised": _("汇总意见"),
        "legislative_draft.feedback": _("反馈并公布采纳情况"),
        "station_assessment.create": _("新建年度考评"),
        "station_assessment.submit": _("报送上级人大审定"),
        "station_assessment.approve": _("审定通过"),
        "station_assessment.refuse": _("退回重新报送"),
        "station_activity.create": _("记录基层治理活动"),
        "mediation.open": _("登记矛盾纠纷调解"),
        "mediation.close": _("调解结案"),
        "social_report.create": _("起草社情民意"),
    }
)
register_audit_actions(
    audit_actions("fund_budget", _("代表活动经费预算"), FundBudget.Status.choices)
)
register_audit_actions(
    audit_actions("fund_spending", _("代表活动经费支出"), FundSpending.Status.choices)
)
register_audit_actions(
    audit_actions("social_report", _("社情民意"), SocialReport.Status.choices)
)
