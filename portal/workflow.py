"""The one transition helper and the status-change row every app's timeline is
made of (STYLE.md: a transition, always the same shape).

An app's event table inherits ``StatusChange`` and adds the foreign key to its
object (and whatever else its changes record, e.g. a legal ground). Its service
locks the object, calls ``transition`` and queues its side effects with
``transaction.on_commit``::

    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if workflow.transition(
            locked,
            to=Opinion.Status.CLOSED,
            actor=actor,
            event_model=OpinionEvent,
            event_fields={"opinion": locked},
            refuse=_refusal,
            timestamps={"closed_at": timezone.now()},
        ):
            transaction.on_commit(...)

``check`` is the first half on its own, for services that must test more
(a rule, a related row) between "is this move allowed?" and making it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.db import models, router, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import User
from .services import TransitionError

M = TypeVar("M", bound=models.Model)
E = TypeVar("E", bound="StatusChange")

# A refusal: the object (still in its current state) and the state asked for
# give the translated, specific reason.
Refusal = Callable[[Any, str], Any]


class StatusChange(models.Model):
    """One change of an object's state: its audit trail and its page's timeline."""

    from_state = models.CharField(gettext_lazy("原状态"), max_length=32, blank=True)
    to_state = models.CharField(gettext_lazy("新状态"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(gettext_lazy("说明"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state}→{self.to_state}"


def check(
    obj: M,
    *,
    to: str,
    field: str = "status",
    allowed: Mapping[str, Collection[str]] | None = None,
    refuse: Refusal | None = None,
) -> bool:
    """True when ``obj`` has to move to ``to``; False when it is already there.

    Raises ``TransitionError`` with ``refuse(obj, to)`` (or a generic reason) when
    ``allowed`` (by default the model's ``TRANSITIONS``) has no such move.
    """
    current = getattr(obj, field)
    if current == to:
        return False
    transitions = allowed if allowed is not None else type(obj).TRANSITIONS  # type: ignore[attr-defined]
    if to not in transitions.get(current, ()):
        reason = refuse(obj, to) if refuse is not None else None
        raise TransitionError(str(reason or _("当前状态不允许此操作。")))
    return True


def record(
    event_model: type[E],
    *,
    actor: User | None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    event_fields: Mapping[str, Any] | None = None,
) -> E:
    """Write one status-change row (also used for a row that changes no state,
    such as an object's creation or a note on its timeline)."""
    return event_model._default_manager.create(
        from_state=from_state,
        to_state=to_state,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
        **(event_fields or {}),
    )


def transition(
    obj: M,
    *,
    to: str,
    actor: User | None,
    event_model: type[StatusChange],
    event_fields: Mapping[str, Any] | None = None,
    field: str = "status",
    allowed: Mapping[str, Collection[str]] | None = None,
    refuse: Refusal | None = None,
    timestamps: Mapping[str, Any] | None = None,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> bool:
    """Move ``obj`` to ``to`` and write its status-change row.

    ``obj`` is the row the caller re-read with ``select_for_update()`` inside its
    ``transaction.atomic()``. Returns False, writing nothing, when it is already
    in ``to``; raises ``TransitionError`` (see ``check``) when the move is not
    allowed. Otherwise sets the state, ``timestamps`` and ``changes`` (any other
    field the move sets), saves those fields only and writes an ``event_model``
    row from ``event_fields`` (its foreign key to ``obj`` and its own fields).
    Side effects are the caller's, queued with ``transaction.on_commit``.
    """
    if not check(obj, to=to, field=field, allowed=allowed, refuse=refuse):
        return False
    using = router.db_for_write(type(obj), instance=obj)
    if not transaction.get_connection(using).in_atomic_block:
        # Without the caller's transaction there is no lock to check the state under.
        raise RuntimeError("transition() needs the caller's transaction and lock.")
    from_state = getattr(obj, field)
    updates = {field: to, **(timestamps or {}), **(changes or {})}
    for name, value in updates.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(updates))
    record(
        event_model,
        actor=actor,
        from_state=from_state,
        to_state=to,
        note=note,
        event_fields=event_fields,
    )
    return True
