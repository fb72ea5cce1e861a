"""portal's own plug-ins (see portal/registry.py)."""

from django.utils.translation import gettext_lazy as _

from portal.registry import NavItem, register_nav

from .policies import ReportPolicy, is_leader

register_nav(
    NavItem(
        key="reports",
        label=_("统计报表"),
        url_name="reports:index",
        visible=ReportPolicy.can_read,
        order=90,
        # A leader's first phone tab; congress staff keep theirs for the work.
        tab=5,
        tab_label=_("报表"),
        tab_visible=is_leader,
        icon="chart",
    )
)

# issue 18: readable audit codes (admin audit log, timelines).
from portal.registry import register_audit_actions  # noqa: E402

register_audit_actions(
    {
        "region.move": _("调整行政区划"),
        "grant.create": _("授予角色"),
        "grant.revoke": _("撤销角色"),
        "ruleset.update": _("修改规则集"),
        "api_token.revoke": _("吊销 API 令牌"),
        "report.generate": _("生成统计报表"),
    }
)
