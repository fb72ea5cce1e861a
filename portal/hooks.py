"""portal's own plug-ins (see portal/registry.py)."""

from django.utils.translation import gettext_lazy as _

from portal.registry import NavItem, register_nav

from .policies import ReportPolicy

register_nav(
    NavItem(
        key="reports",
        label=_("统计报表"),
        url_name="reports:index",
        visible=ReportPolicy.can_read,
        order=90,
    )
)
