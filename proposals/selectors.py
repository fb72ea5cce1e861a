"""Read models of proposals, shared by the HTML pages and the API.

Public projections are built here and only here, and every string in them
passes :func:`portal.privacy.scrub_public`, so the public page and the anonymous
API cannot disagree about what a citizen may read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q

from portal.privacy import scrub_public

from .models import Assignment, Reply, Suggestion
from .querysets import SuggestionQuerySet

# Identifiers that look like numbers but are not personal data.
_PUBLIC_KEEP = ("id", "number_display", "document_number", "kind", "status")


def published_suggestions(
    *, q: str = "", congress: Any = None, year: int | None = None
) -> SuggestionQuerySet:
    """Published suggestions with what their public projection reads, newest first."""
    queryset = Suggestion.objects.published()
    if q:
        queryset = queryset.filter(Q(title__contains=q) | Q(problem__contains=q))
    if congress:
        queryset = queryset.filter(congress=congress)
    if year:
        queryset = queryset.filter(year=year)
    return (
        queryset.select_related("congress", "lead__person")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role__in=["lead", "split"])
                .live()
                .select_related("unit")
                .prefetch_related(
                    Prefetch(
                        "replies",
                        queryset=Reply.objects.prefetch_related("commitments").order_by(
                            "round", "id"
                        ),
                    )
                )
                .order_by("id"),
            )
        )
        .order_by("-published_at", "-id")
    )


def public_suggestion(suggestion: Suggestion) -> dict[str, Any]:
    """What anyone may read of a published suggestion (page and API alike)."""
    assignments = list(suggestion.assignments.all())
    projection = {
        "id": suggestion.pk,
        "kind": suggestion.kind,
        "kind_label": str(suggestion.get_kind_display()),
        "congress_name": suggestion.congress.name,
        "year": suggestion.year,
        "number_display": suggestion.number_display,
        "title": suggestion.title,
        "category": suggestion.category,
        "category_label": str(suggestion.get_category_display()),
        "lead_name": suggestion.lead.person.name,
        "problem": suggestion.problem,
        "proposals": suggestion.proposals,
        "status": suggestion.status,
        "published_at": suggestion.published_at,
        "units": [a.unit.name for a in assignments],
        "replies": [
            {
                "unit": a.unit.name,
                "round": r.round,
                "category": r.category,
                "category_label": str(r.get_category_display()),
                "text": r.text,
                "document_number": r.document_number,
                "replied_at": r.replied_at,
                "commitments": [
                    {
                        "text": c.text,
                        "due_date": c.due_date,
                        "status": c.status,
                        "status_label": str(c.get_status_display()),
                    }
                    for c in r.commitments.all()
                ],
            }
            for a in assignments
            for r in a.replies.all()
        ],
    }
    return scrub_public(projection, keep=_PUBLIC_KEEP)


# --- to-dos (registered in hooks.py) ---------------------------------------------
# To-do items listed one by one per kind before they collapse into a "more" link.
TODO_LIMIT = 20


def _items(rows, make, more_title, more_url, kind) -> list:
    from portal.registry import TodoItem

    items = [make(row) for row in rows[:TODO_LIMIT]]
    if len(rows) > TODO_LIMIT:
        items.append(TodoItem(title=more_title, url=more_url, kind=kind))
    return items


def deputy_todos(user) -> list:
    """A deputy: co-sign requests to confirm, replies awaiting their rating, and
    opinions a station converted for them that have no draft yet."""
    from django.db.models import Exists, OuterRef
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.registry import TodoItem
    from stations.models import Opinion

    from .models import CoSigner, Evaluation, Suggestion

    if not user.is_authenticated:
        return []
    mine = reverse("proposals:mine")
    items: list = []
    invitations = list(
        CoSigner.objects.filter(
            mandate__person__user=user,
            status=CoSigner.Status.INVITED,
            suggestion__status__in=["draft", "submitted", "returned"],
        )
        .select_related("suggestion__lead__person")
        .order_by("suggestion__created_at", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        invitations,
        lambda c: TodoItem(
            title=_t("%(name)s邀请您联名：%(title)s")
            % {"name": c.suggestion.lead.person.name, "title": c.suggestion.title},
            url=reverse("proposals:cosign", args=[c.suggestion_id]),
            kind="proposals.cosign",
        ),
        _t("更多待确认的联名邀请"),
        mine,
        "proposals.cosign",
    )
    rated = Evaluation.objects.filter(
        suggestion=OuterRef("pk"),
        round=OuterRef("round"),
        mandate_id=OuterRef("lead_id"),
    )
    to_rate = list(
        Suggestion.objects.filter(
            lead__person__user=user, status=Suggestion.Status.REPLIED
        )
        .filter(~Exists(rated))
        .only("id", "title", "first_replied_at")
        .order_by("first_replied_at", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        to_rate,
        lambda s: TodoItem(
            title=_t("答复待您评价：%(title)s") % {"title": s.title},
            url=reverse("proposals:detail", args=[s.pk]),
            kind="proposals.evaluate",
        ),
        _t("更多待评价的答复"),
        f"{mine}?status=replied",
        "proposals.evaluate",
    )
    converted = list(
        Opinion.objects.filter(
            status=Opinion.Status.CONVERTED,
            converted_for__person__user=user,
            suggestion__isnull=True,
        )
        .only("id", "tracking_code")
        .order_by("created_at", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        converted,
        lambda o: TodoItem(
            title=_t("群众意见%(code)s已转给您，请起草建议")
            % {"code": o.tracking_code},
            url=reverse("proposals:from_opinion", args=[o.pk]),
            kind="proposals.from_opinion",
        ),
        _t("更多待起草的群众意见"),
        mine,
        "proposals.from_opinion",
    )
    return items


def staff_todos(user) -> list:
    """Congress staff: submitted items to review (oldest first) and pending
    extension and return requests of the regions they manage."""
    from django.db.models import Q
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.registry import TodoItem
    from portal.scoping import scope_for

    from .models import ExtensionRequest, ReturnRequest, Suggestion

    scope = scope_for(user)
    if not (scope.is_admin or scope.managed_paths):
        return []

    def region(lookup: str) -> Q:
        if scope.is_admin:
            return Q()
        q = Q(pk__in=[])
        for path in scope.managed_paths:
            q |= Q(**{f"{lookup}__startswith": path})
        return q

    items: list = []
    submitted = list(
        Suggestion.objects.filter(
            region("region_path"), status=Suggestion.Status.SUBMITTED
        )
        .only("id", "title", "kind", "submitted_at")
        .order_by("submitted_at", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        submitted,
        lambda s: TodoItem(
            title=_t("%(kind)s待审查：%(title)s")
            % {"kind": s.get_kind_display(), "title": s.title},
            url=reverse("proposals:detail", args=[s.pk]),
            kind="proposals.review",
        ),
        _t("更多待审查的议案建议"),
        reverse("proposals:review"),
        "proposals.review",
    )
    requests = reverse("proposals:requests")
    for model, title, tab, kind in (
        (
            ExtensionRequest,
            _t("延期申请待审批：%(unit)s，%(title)s"),
            "extension",
            "proposals.extension",
        ),
        (
            ReturnRequest,
            _t("退办申请待审批：%(unit)s，%(title)s"),
            "return",
            "proposals.return",
        ),
    ):
        rows = list(
            model.objects.filter(region("assignment__region_path"), status="pending")
            .select_related("assignment__unit", "assignment__suggestion")
            .order_by("requested_at", "id")[: TODO_LIMIT + 1]
        )
        items += _items(
            rows,
            lambda r, title=title, tab=tab, kind=kind: TodoItem(
                title=title
                % {
                    "unit": r.assignment.unit.name,
                    "title": r.assignment.suggestion.title,
                },
                url=f"{requests}?tab={tab}",
                kind=kind,
            ),
            _t("更多待审批的申请"),
            f"{requests}?tab={tab}",
            kind,
        )
    return items


def unit_todos(user) -> list:
    """Unit staff: assignments to accept or answer, by due date."""
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.registry import TodoItem
    from portal.scoping import scope_for

    from .models import Assignment, Suggestion

    scope = scope_for(user)
    if not scope.unit_ids:
        return []
    rows = list(
        Assignment.objects.filter(
            unit_id__in=scope.unit_ids,
            status__in=["pending", "accepted"],
            suggestion__status__in=Suggestion.HANDLING_STATES,
        )
        .select_related("suggestion")
        .only("id", "status", "due_date", "suggestion__title")
        .order_by("due_date", "id")[: TODO_LIMIT + 1]
    )
    titles = {
        "pending": _t("交办待签收：%(title)s"),
        "accepted": _t("交办待答复：%(title)s"),
    }
    return _items(
        rows,
        lambda a: TodoItem(
            title=titles[a.status] % {"title": a.suggestion.title},
            url=reverse("proposals:assignment", args=[a.pk]),
            due_date=a.due_date,
            kind="proposals.assignment",
        ),
        _t("更多待办理的交办"),
        reverse("proposals:assignments"),
        "proposals.assignment",
    )


def leader_todos(user) -> list:
    """A leader: the key-supervision items they lead that are not yet evaluated."""
    from django.urls import reverse
    from django.utils.translation import gettext as _t

    from portal.models import Role
    from portal.registry import TodoItem
    from portal.scoping import scope_for

    from .models import KeySupervisionItem

    if Role.LEADER not in scope_for(user).roles:
        return []
    rows = list(
        KeySupervisionItem.objects.filter(leader=user)
        .exclude(status=KeySupervisionItem.Status.EVALUATED)
        .only("id", "title")
        .order_by("-year", "title", "id")[: TODO_LIMIT + 1]
    )
    return _items(
        rows,
        lambda i: TodoItem(
            title=_t("牵头重点督办：%(title)s") % {"title": i.title},
            url=reverse("proposals:key_detail", args=[i.pk]),
            kind="proposals.key_item",
        ),
        _t("更多牵头督办事项"),
        reverse("proposals:key_list") + "?mine=1",
        "proposals.key_item",
    )
