"""Read models of stations, shared by the HTML pages and the API (to-do lists among them)."""

from __future__ import annotations

# To-do items listed one by one per kind before they collapse into a "more" link.
TODO_LIMIT = 20


def station_todos(user) -> list:
    """Station staff: opinions received awaiting triage, and replies awaiting the
    follow-up visit, in their stations."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _t

    from portal.registry import TodoItem
    from portal.scoping import scope_for

    from .models import Opinion

    scope = scope_for(user)
    if not scope.station_ids:
        return []
    inbox = reverse("stations:inbox")
    items = []
    kinds = [
        (
            Opinion.Status.RECEIVED,
            _t("群众意见待分流：%(code)s（%(date)s收到）"),
            _t("更多待分流的群众意见"),
            "stations.opinion_triage",
        ),
        (
            Opinion.Status.REPLIED,
            _t("群众意见已答复，待回访：%(code)s"),
            _t("更多待回访的群众意见"),
            "stations.opinion_visit",
        ),
    ]
    for status, title, more, kind in kinds:
        rows = list(
            Opinion.objects.filter(station_id__in=scope.station_ids, status=status)
            .only("id", "tracking_code", "created_at", "due_date")
            .order_by("created_at", "id")[: TODO_LIMIT + 1]
        )
        for opinion in rows[:TODO_LIMIT]:
            items.append(
                TodoItem(
                    title=title
                    % {
                        "code": opinion.tracking_code,
                        "date": timezone.localdate(opinion.created_at).strftime(
                            "%Y-%m-%d"
                        ),
                    },
                    url=reverse("stations:opinion", args=[opinion.pk]),
                    kind=kind,
                )
            )
        if len(rows) > TODO_LIMIT:
            items.append(
                TodoItem(title=more, url=f"{inbox}?status={status}", kind=kind)
            )
    return items


def unit_todos(user) -> list:
    """Unit staff: opinions assigned to their unit awaiting the reply, by due date."""
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.registry import TodoItem
    from portal.scoping import scope_for

    from .models import Opinion

    scope = scope_for(user)
    if not scope.unit_ids:
        return []
    rows = list(
        Opinion.objects.assigned_to_units(scope.unit_ids)
        .filter(status__in=[Opinion.Status.ASSIGNED, Opinion.Status.REASSIGNED])
        .only("id", "tracking_code", "due_date")
        .order_by("due_date", "id")[: TODO_LIMIT + 1]
    )
    items = [
        TodoItem(
            title=_t("交办的群众意见待答复：%(code)s")
            % {"code": opinion.tracking_code},
            url=reverse("stations:opinion", args=[opinion.pk]),
            due_date=opinion.due_date,
            kind="stations.opinion_reply",
        )
        for opinion in rows[:TODO_LIMIT]
    ]
    if len(rows) > TODO_LIMIT:
        items.append(
            TodoItem(
                title=_t("更多待答复的交办意见"),
                url=reverse("stations:inbox") + "?status=assigned",
                kind="stations.opinion_reply",
            )
        )
    return items


def resolve_stations(ids):
    """Station scope ids → (name, region path), for portal.scoping."""
    from .models import Station

    return {
        pk: (name, path)
        for pk, name, path in Station.objects.filter(pk__in=ids).values_list(
            "pk", "name", "region_path"
        )
    }
