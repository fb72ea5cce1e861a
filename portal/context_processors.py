"""Template context every page needs: the user's roles and unread count."""

from functools import cache

from .models import Notification
from .registry import nav_for, tabs_for
from .scoping import scope_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "portal_scope": scope_for(None),
            "unread_count": 0,
            "nav_items": [],
            "tab_items": [],
        }

    # Counted once per page, when first shown (the bell and the phone tab bar).
    @cache
    def unread_count() -> int:
        return Notification.objects.visible_to(user).unread().in_app().count()

    return {
        "nav_items": nav_for(user),
        "tab_items": lambda: tabs_for(user),
        "portal_scope": scope_for(user),
        "unread_count": unread_count,
    }
