"""deputies' plug-ins (portal/registry.py), found by autodiscover_modules("hooks")."""

from django.utils.translation import gettext_lazy as _

from portal.policies import any_of, governs_any, is_deputy, works_in_unit
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

from . import demo, reports, selectors

register_nav(
    NavItem(
        key="deputies",
        label=_("代表"),
        url_name="deputies:list",
        visible=governs_any,
        order=20,
    )
)
register_nav(
    NavItem(
        key="my_performance",
        label=_("我的履职"),
        url_name="deputies:my_performance",
        visible=is_deputy,
        order=15,
    )
)
register_todo_provider(selectors.deputy_todos)
register_report_section(
    ReportSection(key="deputies", title=_("代表履职"), build=reports.build, order=20)
)
register_demo_seed(DemoSeed(name="deputies", seed=demo.seed, order=10))

# issue 16: organs — state organs contacting deputies, 列席常委会会议.
from . import organ_reminders, organ_selectors  # noqa: E402

register_nav(
    NavItem(
        key="organ_contacts",
        label=_("联系代表"),
        url_name="deputies:organ_plan_list",
        visible=any_of(governs_any, works_in_unit),
        order=22,
    )
)
register_todo_provider(organ_selectors.organ_todos)
register_reminder_job(
    ReminderJob(
        name="deputies.standing_meeting_tomorrow",
        label=_("明天列席常委会会议"),
        collect=organ_reminders.meetings_tomorrow,
    )
)
register_reminder_job(
    ReminderJob(
        name="deputies.organ_plan_behind",
        label=_("联系代表计划进度滞后"),
        collect=organ_reminders.plans_behind,
    )
)
# end issue 16: organs

# issue 16: sessions — attendance, leave, speeches, training.
from . import session_demo, session_reminders, session_selectors  # noqa: E402

register_nav(
    NavItem(
        key="my_sessions",
        label=_("我的大会出席"),
        url_name="deputies:my_sessions",
        visible=is_deputy,
        order=16,
    )
)
register_nav(
    NavItem(
        key="my_training",
        label=_("我的培训"),
        url_name="deputies:my_training",
        visible=is_deputy,
        order=17,
    )
)
register_todo_provider(session_selectors.session_todos)
register_reminder_job(
    ReminderJob(
        name="session_leave_deadlines",
        label=_("大会请假截止提醒"),
        collect=session_reminders.leave_deadlines,
        order=20,
    )
)
register_reminder_job(
    ReminderJob(
        name="courses_tomorrow",
        label=_("培训开班提醒"),
        collect=session_reminders.courses_tomorrow,
        order=21,
    )
)
register_demo_seed(DemoSeed(name="deputies_sessions", seed=session_demo.seed, order=11))

# issue 18: readable audit codes (admin audit log, timelines).
from portal.registry import register_audit_actions  # noqa: E402

register_audit_actions(selectors.AUDIT_ACTION_LABELS)
register_audit_actions(
    {
        "group.create": _("新建代表小组"),
        "voter_report.create": _("登记向选民述职"),
        "roster.import": _("导入代表名册"),
        "session.attendance": _("登记大会出席情况"),
        "leave.submit": _("提出会议请假"),
        "leave.decide": _("审批会议请假"),
        "leave.withdraw": _("撤回会议请假"),
        "meeting.create": _("登记审议会议"),
        "speech.record": _("登记审议发言"),
        "speech.outcome": _("登记审议发言采纳情况"),
        "course.create": _("新建培训课程"),
        "course.enrol": _("培训报名"),
        "course.attendance": _("登记参训情况"),
        "organ_plan.create": _("制定联系代表计划"),
        "organ_plan.set_deputies": _("调整联系的代表"),
        "organ_contact.record": _("登记联系代表情况"),
        "organ_contact.follow_up_done": _("登记跟进结果"),
        "standing_meeting.create": _("登记常委会会议"),
        "standing_meeting.invite": _("邀请代表列席"),
        "invitation.status": _("列席邀请变动"),
        "meeting_opinion.record": _("登记列席代表意见"),
        "meeting_opinion.status": _("列席代表意见跟踪"),
    }
)
