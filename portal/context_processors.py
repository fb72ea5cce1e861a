"""Template context every page needs: the user's roles and unread count."""

from .models import Notification
from .registry import nav_for
from .scoping import scope_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_scope": scope_for(None), "unread_count": 0, "nav_items": []}
    return {
        "nav_items": nav_for(user),
        "portal_scope": scope_for(user),
        "unread_count": lambda: (
            Notification.objects.visible_to(user).unread().in_app().count()
        ),
    }
