"""Who may act on a suggestion or an assignment (views and API ask here)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from portal.scoping import scope_for

from .models import Assignment, Suggestion


def is_lead(user, suggestion: Suggestion) -> bool:
    return user.is_authenticated and suggestion.lead.person.user_id == user.pk


def can_manage(user, suggestion: Suggestion) -> bool:
    """Congress staff of the congress's region (or above) and admins."""
    return scope_for(user).manages_path(suggestion.region_path)


def is_unit_of(user, assignment: Assignment) -> bool:
    return assignment.unit_id in scope_for(user).unit_ids


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_lead(user, suggestion: Suggestion) -> None:
    require(is_lead(user, suggestion), _("只有领衔代表本人可以执行此操作。"))


def require_manager(user, suggestion: Suggestion) -> None:
    require(can_manage(user, suggestion), _("只有本级人大工作人员可以执行此操作。"))


def require_unit(user, assignment: Assignment) -> None:
    require(is_unit_of(user, assignment), _("只有承办单位工作人员可以执行此操作。"))
