"""Every write of the core models (STYLE.md: services named ``<entity>_<verb>``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ROLE_SCOPES,
    AuditEvent,
    Congress,
    HandlingUnit,
    Notification,
    Region,
    Role,
    RoleGrant,
    RuleSet,
    ScopeType,
    Term,
    User,
)
from .notification_text import Message
from .rules import validate_values
from .scoping import forget_scope


class DomainError(Exception):
    """A refused action, with a translated reason for the user.

    ``conflict`` marks a workflow transition the current state does not allow
    (HTTP 409); otherwise the input was wrong (HTTP 400).
    """

    def __init__(
        self, message: str, *, conflict: bool = False, field: str | None = None
    ):
        super().__init__(message)
        self.message = message
        self.conflict = conflict
        self.field = field


class Forbidden(DomainError):
    """The user may not do this at all (HTTP 403), e.g. a suspended deputy voting."""


class TransitionError(DomainError):
    """A workflow transition not allowed from the current state (409)."""

    def __init__(self, message: str):
        super().__init__(message, conflict=True)


def audit_record(
    *,
    actor: User | None,
    action: str,
    target=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
    region_path: str = "",
) -> AuditEvent:
    """Write one audit row (also the timeline of ``target``)."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(target)
        if target is not None
        else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
        ip_address=ip_address,
        region_path=region_path,
    )


def _path_segment(pk: int) -> str:
    return f"{pk:08d}/"


@transaction.atomic
def region_create(
    *,
    name: str,
    level: str,
    parent: Region | None = None,
    code: str = "",
    actor: User | None,
) -> Region:
    """Create a region under ``parent`` and give it its materialised path."""
    region = Region.objects.create(
        name=name,
        level=level,
        parent=parent,
        code=code,
        path=f"tmp-{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
    )
    region.path = (parent.path if parent else "") + _path_segment(region.pk)
    region.save(update_fields=["path"])
    return region


@transaction.atomic
def region_move(*, region: Region, new_parent: Region, actor: User | None) -> Region:
    """Move a region (and its subtree) under a new parent, rewriting the paths."""
    if new_parent.is_within(region):
        raise DomainError(_("不能把行政区划移动到它自己的下级。"))
    old_path = region.path
    new_path = new_parent.path + _path_segment(region.pk)
    depth_change = new_parent.depth + 1 - region.depth
    for node in Region.objects.subtree(region).select_for_update():
        node.path = new_path + node.path[len(old_path) :]
        node.depth += depth_change
        if node.pk == region.pk:
            node.parent = new_parent
        node.save(update_fields=["path", "depth", "parent"])
    region.refresh_from_db()
    audit_record(
        actor=actor, action="region.move", target=region, region_path=region.path
    )
    return region


@transaction.atomic
def congress_create(
    *,
    region: Region,
    name: str,
    level: str,
    term_number: int | None = None,
    term_start: date | None = None,
    standing_committee_name: str = "",
    actor: User | None,
) -> Congress:
    """Create a congress for ``region`` and, optionally, its current term."""
    congress = Congress.objects.create(
        region=region,
        name=name,
        level=level,
        standing_committee_name=standing_committee_name,
    )
    if term_number and term_start:
        from .rules import rules_for
        from .workdays import add_months

        years = rules_for(congress)["term_years"]
        Term.objects.create(
            congress=congress,
            number=term_number,
            start_date=term_start,
            end_date=add_months(term_start, 12 * years),
            is_current=True,
        )
    return congress


def role_grant_create(
    *,
    user: User,
    role: str,
    region: Region | None = None,
    congress: Congress | None = None,
    unit: HandlingUnit | None = None,
    station_id: int | None = None,
    actor: User | None,
) -> RoleGrant:
    """Grant ``role`` to ``user`` within one scope (idempotent)."""
    if congress is not None:
        scope_type = ScopeType.CONGRESS
    elif unit is not None:
        scope_type = ScopeType.UNIT
    elif region is not None:
        scope_type = ScopeType.REGION
    elif station_id is not None:
        scope_type = ScopeType.STATION
    else:
        scope_type = ScopeType.GLOBAL
    if scope_type not in ROLE_SCOPES[Role(role)]:
        raise DomainError(
            _("角色“%(role)s”不能以“%(scope)s”为范围授权。")
            % {"role": Role(role).label, "scope": ScopeType(scope_type).label}
        )
    if (
        role == Role.CONGRESS_STAFF
        and scope_type == ScopeType.REGION
        and region is not None
        and region.level != Region.Level.SUBDISTRICT
    ):
        raise DomainError(
            _(
                "人大工作人员按行政区划授权仅限街道（街道人大工委），其他请按人民代表大会授权。"
            ),
            field="region",
        )
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        scope_type=scope_type,
        region=region,
        congress=congress,
        unit=unit,
        station_id=station_id,
    )
    if created:
        audit_record(
            actor=actor,
            action="grant.create",
            target=grant,
            to_state=role,
            region_path=(
                congress.region.path if congress else region.path if region else ""
            ),
        )
    forget_scope(user)
    return grant


def role_grant_revoke(*, grant: RoleGrant, actor: User | None) -> None:
    """Remove a role grant, keeping an audit row."""
    audit_record(
        actor=actor, action="grant.revoke", target=grant, from_state=grant.role
    )
    grant.delete()
    forget_scope(grant.user)


def rule_set_update(
    *, rule_set: RuleSet, values: dict[str, Any], actor: User | None
) -> RuleSet:
    """Replace a rule set's overrides after validating them (statutory values of
    the rule set's level are refused)."""
    level = rule_set.congress.level if rule_set.congress else rule_set.level or None
    errors = validate_values(values, level=level)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = dict(rule_set.values)
        rule_set.values = values
        rule_set.save(update_fields=["values", "updated_at"])
        audit_record(
            actor=actor,
            action="ruleset.update",
            target=rule_set,
            data={"before": old, "after": values},
            region_path=rule_set.congress.region.path if rule_set.congress else "",
        )
    return rule_set


def notification_create(
    *,
    recipient: User,
    kind: str,
    key: str,
    title: str | Message,
    body: str | Message = "",
    target=None,
    url: str = "",
    channel: str = Notification.Channel.IN_APP,
    actor: User | None,
) -> Notification | None:
    """Create a notification exactly once per ``key``: the one place that
    creates notifications.

    ``title`` and ``body`` are a :class:`~portal.notification_text.Message`
    (the untranslated sentence and its parameters: stored beside the text, so
    pages show it in the reader's language) or plain text (shown as stored).
    The stored title and body are rendered in the site language (Chinese), for
    the e-mail, the SMS and the record, whatever language the actor reads.

    Returns None when a row with that key already exists ("already sent").
    Without a ``url``, the notification links to ``target``'s page
    (``get_absolute_url``).
    The insert runs in its own savepoint so a duplicate never breaks the
    caller's transaction.
    """
    if not url and target is not None and hasattr(target, "get_absolute_url"):
        # Every notification about an object links to it (issue 18).
        url = target.get_absolute_url()
    text = _notification_text(title, body)
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient,
                kind=kind,
                key=key,
                **text,
                url=url,
                channel=channel,
                content_type=(
                    ContentType.objects.get_for_model(target)
                    if target is not None
                    else None
                ),
                object_id=str(target.pk) if target is not None else "",
                status=(
                    Notification.Status.SENT
                    if channel == Notification.Channel.IN_APP
                    else Notification.Status.PENDING
                ),
                sent_at=timezone.now()
                if channel == Notification.Channel.IN_APP
                else None,
            )
    except IntegrityError:
        return None


def _notification_text(title: str | Message, body: str | Message) -> dict:
    """The stored fields of a title and a body: the text in the site language,
    and for a :class:`Message` its msgid and (one dict for both) parameters. A
    body whose parameters clash with the title's keeps its text only."""
    fields: dict = {"title_msgid": "", "body_msgid": "", "params": {}}
    if isinstance(title, Message):
        fields["title"] = title.stored_text()[:200]
        fields["title_msgid"] = title.msgid
        fields["params"] = title.stored_params()
    else:
        fields["title"] = str(title)[:200]
    if isinstance(body, Message):
        fields["body"] = body.stored_text()
        params = body.stored_params()
        shared = params.keys() & fields["params"].keys()
        if all(params[k] == fields["params"][k] for k in shared):
            fields["body_msgid"] = body.msgid
            fields["params"] = {**fields["params"], **params}
    else:
        fields["body"] = str(body)
    return fields


def notifications_mark_done(
    *,
    target,
    kinds: Iterable[str],
    recipients: Iterable[User] | None = None,
    actor: User | None,
) -> int:
    """The task notifications about ``target`` asked for is done (the unit
    replied, the deputy rated): their unread ``kinds`` are marked read, for
    everyone told (a unit's staff share the task) or only ``recipients``. The
    one helper services call where a task completes (issue 18: notifications
    stayed unread after the task was done). Returns how many were marked."""
    rows = Notification.objects.about(target).unread().filter(kind__in=list(kinds))
    if recipients is not None:
        rows = rows.filter(recipient__in=[u.pk for u in recipients if u is not None])
    return rows.update(read_at=timezone.now())


def notification_mark_read(
    *, actor: User, notification_ids: list[int] | None = None
) -> int:
    """Mark the user's notifications read (all unread when no ids are given)."""
    qs = Notification.objects.visible_to(actor).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


# --- API tokens (issue 15) ------------------------------------------------------------


def api_token_issue(*, user: User, actor: User | None):
    """The user's API token: the current one while it is valid, else a new one
    (an expired token is deleted, never handed out again)."""
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        from .tokens import expires_at

        if token is not None and expires_at(token) > timezone.now():
            return token
        if token is not None:
            token.delete()
        return Token.objects.create(user=user)


def api_tokens_revoke(*, user: User, actor: User | None, reason: str) -> int:
    """Revoke the user's API tokens (logout, password change, the user or an
    admin); one audit row when there was one. Returns how many were revoked."""
    from rest_framework.authtoken.models import Token

    deleted, _by_model = Token.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action="api_token.revoke", target=user, reason=reason)
    return deleted
