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
