"""The to-dos of proposals ("我的待办", registered in hooks.py): what waits on a
deputy, on congress staff, on a unit and on a leader."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from deputies.querysets import own_mandate_ids
from portal.policies import manages_any, scope_for, works_in_unit
from portal.registry import TODO_LIMIT, TodoItem
from portal.rules import rules_for_many
from stations.models import Opinion

from ..deadlines import assign_by_date, review_by_date
from ..models import (
    Assignment,
    Commitment,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    KeySupervisionItem,
    ReturnRequest,
    Suggestion,
)


def _items(
    rows: Sequence[Any],
    make: Callable[[Any], TodoItem],
    more_title: str,
    more_url: str,
    kind: str,
) -> list[TodoItem]:
    items = [make(row) for row in rows[:TODO_LIMIT]]
    if len(rows) > TODO_LIMIT:
        items.append(TodoItem(title=more_title, url=more_url, kind=kind))
    return items


def cosign_invitations(user: Any) -> QuerySet:
    """Invitations to co-sign the user has not answered, while they still count."""
    return CoSigner.objects.filter(
        mandate__person__user=user,
        status=CoSigner.Status.INVITED,
        suggestion__status__in=[
            Suggestion.Status.DRAFT,
            Suggestion.Status.SUBMITTED,
            Suggestion.Status.RETURNED,
        ],
    ).select_related("suggestion__lead__person")


def opinions_to_draft(user: Any) -> QuerySet:
    """Opinions a station converted for the user that have no draft yet."""
    return Opinion.objects.filter(
        status=Opinion.Status.CONVERTED,
        converted_for__person__user=user,
        suggestion__isnull=True,
    )


def deputy_todos(user: Any) -> list[TodoItem]:
    """A deputy: co-sign requests to confirm, replies awaiting their rating, and
    opinions a station converted for them that have no draft yet."""
    # Someone with no mandate has no deputy's to-dos (one cached read, not four).
    if not own_mandate_ids(user):
        return []
    mine = reverse("proposals:mine")
    items: list[TodoItem] = []
    invitations = list(
        cosign_invitations(user).order_by("suggestion__created_at", "id")[
            : TODO_LIMIT + 1
        ]
    )
    items += _items(
        invitations,
        lambda c: TodoItem(
            title=_("%(name)s邀请您联名：%(title)s")
            % {"name": c.suggestion.lead.person.name, "title": c.suggestion.title},
            url=reverse("proposals:cosign", args=[c.suggestion_id]),
            kind="proposals.cosign",
        ),
        _("更多待确认的联名邀请"),
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
            title=_("答复待您评价：%(title)s") % {"title": s.title},
            url=reverse("proposals:detail", args=[s.pk]),
            kind="proposals.evaluate",
        ),
        _("更多待评价的答复"),
        f"{mine}?status=replied",
        "proposals.evaluate",
    )
    receipts = list(
        Commitment.objects.filter(
            reply__assignment__suggestion__lead__person__user=user,
            status=Commitment.Status.DONE,
            confirmed_at__isnull=True,
        )
        .select_related("reply__assignment__suggestion")
        .order_by("done_at", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        receipts,
        lambda c: TodoItem(
            title=_("承诺事项“%(text)s”已报告落实，请确认（回执）") % {"text": c.text},
            url=reverse("proposals:detail", args=[c.reply.assignment.suggestion_id]),
            kind="proposals.receipt",
        ),
        _("更多待确认的承诺事项"),
        mine,
        "proposals.receipt",
    )
    converted = list(
        opinions_to_draft(user)
        .only("id", "tracking_code")
        .order_by("created_at", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        converted,
        lambda o: TodoItem(
            title=_("群众意见%(code)s已转给您，请起草建议") % {"code": o.tracking_code},
            url=reverse("proposals:from_opinion", args=[o.pk]),
            kind="proposals.from_opinion",
        ),
        _("更多待起草的群众意见"),
        mine,
        "proposals.from_opinion",
    )
    return items


def _acting(s: Suggestion) -> Any:
    return s.handling_congress or s.congress


def _rules_of(suggestions: Sequence[Suggestion]) -> dict[int, Any]:
    return rules_for_many({_acting(s) for s in suggestions})


def staff_todos(user: Any) -> list[TodoItem]:
    """Congress staff: submitted items to review, registered suggestions to
    assign (待交办), replies to review for disclosure and pending extension and
    return requests of the regions they manage — each with its deadline: the
    review and the assignment from ``deadlines`` (rule
    ``recess_assignment_working_days``), disclosure on ``disclosure_due_on``
    (rule ``disclosure_working_days``), a request before the part falls due."""
    if not manages_any(user):
        return []
    items: list[TodoItem] = []
    submitted = list(
        Suggestion.objects.acted_on_by(user)
        .filter(status=Suggestion.Status.SUBMITTED)
        .select_related("session", "congress__region", "handling_congress__region")
        .order_by("submitted_at", "id")[: TODO_LIMIT + 1]
    )
    rules = _rules_of(submitted)
    items += _items(
        submitted,
        lambda s: TodoItem(
            title=_("%(kind)s待审查：%(title)s")
            % {"kind": s.get_kind_display(), "title": s.title},
            url=reverse("proposals:detail", args=[s.pk]),
            due_date=review_by_date(s, rules[_acting(s).pk]),
            kind="proposals.review",
        ),
        _("更多待审查的议案建议"),
        reverse("proposals:review"),
        "proposals.review",
    )
    to_assign = list(
        Suggestion.objects.acted_on_by(user)
        .filter(status=Suggestion.Status.REGISTERED, kind=Suggestion.Kind.SUGGESTION)
        .select_related("session", "congress__region", "handling_congress__region")
        .order_by("registered_at", "id")[: TODO_LIMIT + 1]
    )
    rules = _rules_of(to_assign)
    items += _items(
        to_assign,
        lambda s: TodoItem(
            title=_("建议待交办：%(title)s") % {"title": s.title},
            url=reverse("proposals:assign", args=[s.pk]),
            due_date=assign_by_date(s, rules[_acting(s).pk]),
            kind="proposals.assign",
        ),
        _("更多待交办的建议"),
        reverse("proposals:assign_queue"),
        "proposals.assign",
    )
    disclosures = list(
        Suggestion.objects.acted_on_by(user)
        .filter(disclosure_due_on__isnull=False)
        .only("id", "title", "disclosure_due_on")
        .order_by("disclosure_due_on", "id")[: TODO_LIMIT + 1]
    )
    items += _items(
        disclosures,
        lambda s: TodoItem(
            title=_("答复待审核公开：%(title)s") % {"title": s.title},
            url=reverse("proposals:disclosure", args=[s.pk]),
            due_date=s.disclosure_due_on,
            kind="proposals.disclosure",
        ),
        _("更多待审核公开的答复"),
        reverse("proposals:manage"),
        "proposals.disclosure",
    )
    requests = reverse("proposals:requests")
    for model, title, tab, kind in (
        (
            ExtensionRequest,
            _("延期申请待审批：%(unit)s，%(title)s"),
            "extension",
            "proposals.extension",
        ),
        (
            ReturnRequest,
            _("退办申请待审批：%(unit)s，%(title)s"),
            "return",
            "proposals.return",
        ),
    ):
        rows = list(
            model.objects.acted_on_by(user)
            .pending()
            .select_related("assignment__unit", "assignment__suggestion")
            .order_by("assignment__due_date", "requested_at", "id")[: TODO_LIMIT + 1]
        )

        def make(r: Any, title: Any = title, tab: str = tab, kind: str = kind) -> Any:
            return TodoItem(
                title=title
                % {
                    "unit": r.assignment.unit.name,
                    "title": r.assignment.suggestion.title,
                },
                url=f"{requests}?tab={tab}",
                # Decided before the part falls due, else the unit is late
                # through nobody's fault but the desk's.
                due_date=r.assignment.due_date,
                kind=kind,
            )

        items += _items(
            rows,
            make,
            _("更多待审批的申请"),
            f"{requests}?tab={tab}",
            kind,
        )
    return items


def unit_todos(user: Any) -> list[TodoItem]:
    """Unit staff: assignments to accept or answer, by due date."""
    if not works_in_unit(user):
        return []
    rows = list(
        Assignment.objects.of_own_units(user)
        .filter(
            status__in=[Assignment.Status.PENDING, Assignment.Status.ACCEPTED],
            suggestion__status__in=Suggestion.HANDLING_STATES,
        )
        .select_related("suggestion")
        .only("id", "status", "due_date", "suggestion__title")
        .order_by("due_date", "id")[: TODO_LIMIT + 1]
    )
    titles = {
        Assignment.Status.PENDING: _("交办待签收：%(title)s"),
        Assignment.Status.ACCEPTED: _("交办待答复：%(title)s"),
    }
    return _items(
        rows,
        lambda a: TodoItem(
            title=titles[a.status] % {"title": a.suggestion.title},
            url=reverse("proposals:assignment", args=[a.pk]),
            due_date=a.due_date,
            kind="proposals.assignment",
        ),
        _("更多待办理的交办"),
        reverse("proposals:assignments"),
        "proposals.assignment",
    )


def leader_todos(user: Any) -> list[TodoItem]:
    """A leader: the key-supervision items they lead that are not yet evaluated."""
    if not scope_for(user).is_leader:
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
            title=_("牵头重点督办：%(title)s") % {"title": i.title},
            url=reverse("proposals:key_detail", args=[i.pk]),
            kind="proposals.key_item",
        ),
        _("更多牵头督办事项"),
        reverse("proposals:key_list") + "?mine=1",
        "proposals.key_item",
    )
