"""portal's own plug-ins (see portal/registry.py)."""

from django.utils.translation import gettext_lazy as _

from portal.registry import NavItem, register_nav

from .reports.service import can_read_reports

register_nav(
    NavItem(
        key="reports",
        label=_("统计报表"),
        url_name="reports:index",
        visible=can_read_reports,
        order=90,
    )
)
