"""Read models of deputies, shared by the HTML pages and the API (to-do lists among them)."""

from __future__ import annotations

# Dashboard to-do items listed one by one before they collapse into a summary.
TODO_LIMIT = 20


def deputy_todos(user) -> list:
    """A deputy's activities awaiting confirmation; congress staff's activities
    awaiting review (regions they manage)."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.registry import TodoItem
    from portal.scoping import scope_for

    from .models import Activity, Attendance

    if not user.is_authenticated:
        return []
    items = []
    mine = reverse("deputies:my_performance")
    to_confirm = (
        Attendance.objects.filter(
            mandate__person__user=user,
            confirmed_at__isnull=True,
            activity__review_status="pending",
        )
        .select_related("activity")
        .order_by("activity__date", "activity_id")[:TODO_LIMIT]
    )
    for attendance in to_confirm:
        items.append(
            TodoItem(
                title=_t("请确认参加履职活动：%(title)s")
                % {"title": attendance.activity.title},
                url=mine,  # an activity date is not a deadline: listed without one
                kind="deputies.attendance_confirm",
            )
        )
    scope = scope_for(user)
    if scope.is_admin or scope.managed_paths:
        q = Q()
        if not scope.is_admin:
            q = Q(pk__in=[])
            for path in scope.managed_paths:
                q |= Q(congress__region__path__startswith=path)
        pending = list(
            Activity.objects.filter(q, review_status=Activity.Review.PENDING)
            .only("id", "title", "date")
            .order_by("date", "id")[: TODO_LIMIT + 1]
        )
        for activity in pending[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=_t("履职活动待审核：%(title)s") % {"title": activity.title},
                    url=reverse("deputies:activity_detail", args=[activity.pk]),
                    kind="deputies.activity_review",
                )
            )
        if len(pending) > TODO_LIMIT:
            items.append(
                TodoItem(
                    title=_t("更多待审核的履职活动"),
                    url=reverse("deputies:activity_list") + "?review=pending",
                    kind="deputies.activity_review",
                )
            )
    return items
