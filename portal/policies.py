"""Who may do what: the shared base of every app's ``policies.py``.

An app's policy lists the *actions* a user may take on an object, derived from
the object's allowed-transitions map and the user's scope (django-oscar's
``available_statuses``). Views, API views and templates ask ``actions_for``;
services enforce the same rule with ``require``. Reading the user's scope to
decide an action happens in ``policies.py`` modules and nowhere else; reading it
to decide *visibility* happens in querysets (``visible_to``), so out of scope is
a 404 and in scope but not allowed a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .scoping import UserScope, scope_for

__all__ = [
    "Forbidden",
    "Policy",
    "ReportPolicy",
    "governs_any",
    "is_deputy",
    "is_leader",
    "manages_any",
    "scope_for",
    "works_in_station",
    "works_in_unit",
]


class Forbidden(PermissionDenied):
    """In scope but not allowed (403), with the reason shown to the user."""

    def __init__(self, reason: Any = None) -> None:
        self.reason = reason or _("您没有权限进行此操作。")
        super().__init__(str(self.reason))


class Policy:
    """Base for an app's policy over one kind of object.

    Subclasses define ``checks``: ``{action: callable(scope, user, obj) -> bool}``
    and may override ``refusal`` for a specific reason per action.
    """

    checks: dict[str, Callable[[UserScope, Any, Any], bool]] = {}
    reasons: dict[str, Any] = {}

    @classmethod
    def actions_for(cls, user: Any, obj: Any = None) -> frozenset[str]:
        """Every action ``user`` may take on ``obj`` now."""
        scope = scope_for(user)
        return frozenset(
            action for action, check in cls.checks.items() if check(scope, user, obj)
        )

    @classmethod
    def allows(cls, user: Any, action: str, obj: Any = None) -> bool:
        check = cls.checks[action]
        return bool(check(scope_for(user), user, obj))

    @classmethod
    def require(cls, user: Any, action: str, obj: Any = None) -> None:
        """Raise :class:`Forbidden` unless ``user`` may take ``action`` on ``obj``."""
        if not cls.allows(user, action, obj):
            raise Forbidden(cls.reasons.get(action))

    @classmethod
    def flags(
        cls, user: Any, obj: Any = None, *, prefix: str = "can_"
    ) -> dict[str, bool]:
        """``{"can_<action>": bool}`` for templates."""
        allowed = cls.actions_for(user, obj)
        return {f"{prefix}{action}": action in allowed for action in cls.checks}


class ReportPolicy:
    """Supervision reports (DESIGN.md §8)."""

    @staticmethod
    def can_read(user: Any) -> bool:
        """Congress staff, leaders and admins (the navigation asks this on every
        page, from the scope computed once per request)."""
        return scope_for(user).governs_any

    @staticmethod
    def can_generate(user: Any, congress: Any) -> bool:
        """Congress staff of the congress's region or above, and admins."""
        return scope_for(user).manages_path(congress.region.path)


def _predicate(name: str) -> Callable[[Any], bool]:
    def check(user: Any) -> bool:
        return bool(getattr(scope_for(user), name))

    check.__name__ = name
    check.__doc__ = f"``UserScope.{name}`` of the user (computed once per request)."
    return check


# Navigation visibility and coarse role checks, shared by every app's hooks.
governs_any = _predicate("governs_any")
manages_any = _predicate("manages_any")
is_deputy = _predicate("is_deputy")
works_in_unit = _predicate("works_in_unit")
works_in_station = _predicate("works_in_station")
is_leader = _predicate("is_leader")


def any_of(*checks: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def check(user: Any) -> bool:
        return any(c(user) for c in checks)

    return check
