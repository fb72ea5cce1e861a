"""Permissions = scoping (DESIGN.md §11). The one module that knows roles and scopes.

Views, API and reports never test roles themselves: they ask a queryset's
``visible_to(user)`` (built on the helpers here) or ``can_manage_region``.
Out of scope → 404, so existence does not leak; in scope but not allowed → 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from hashlib import blake2b
from typing import Any

from django.db.models import Q
from django.http import Http404

from .models import Role, RoleGrant, ScopeType
from .registry import scope_resolvers

GOVERNING_ROLES = frozenset({Role.CONGRESS_STAFF, Role.LEADER})


@dataclass(frozen=True)
class UserScope:
    """What one user's role grants add up to, computed once per request."""

    is_authenticated: bool = False
    is_admin: bool = False
    roles: frozenset[str] = frozenset()
    # Region subtrees the user governs as congress staff or leader.
    governed_paths: tuple[str, ...] = ()
    # Region subtrees the user may edit (congress staff only; leaders read).
    managed_paths: tuple[str, ...] = ()
    # Every region subtree the user's grants touch (for region lists).
    area_paths: tuple[str, ...] = ()
    congress_ids: frozenset[int] = frozenset()
    # Congresses whose own workflows the user acts in (congress staff of that
    # congress). Upper and lower congresses have no leadership relation (地方组织法
    # 第五十条 and 代表法): staff of a congress above *read* and *supervise* what lies
    # below (``managed_paths``) but do not register, assign or decide for it.
    acting_congress_ids: frozenset[int] = frozenset()
    # Sub-district (街道) grants: (county congress id, sub-district path). The
    # county congress's 街道人大工委 staff act for that sub-district only.
    acting_subdistricts: tuple[tuple[int, str], ...] = ()
    unit_ids: frozenset[int] = frozenset()
    station_ids: frozenset[int] = frozenset()
    grants: tuple[dict, ...] = field(default=())

    @cached_property
    def cache_key(self) -> str:
        """The same for two users whose grants add up to the same scope (and
        across processes: sets are sorted), for what is cached per scope."""
        canonical = (
            self.is_authenticated,
            self.is_admin,
            sorted(self.roles),
            self.governed_paths,
            self.managed_paths,
            self.area_paths,
            sorted(self.congress_ids),
            sorted(self.acting_congress_ids),
            self.acting_subdistricts,
            sorted(self.unit_ids),
            sorted(self.station_ids),
            sorted(repr(sorted(g.items())) for g in self.grants),
        )
        return blake2b(repr(canonical).encode(), digest_size=16).hexdigest()

    def has_role(self, *roles: str) -> bool:
        return self.is_admin or bool(self.roles.intersection(roles))

    def governs_path(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(p) for p in self.governed_paths)

    def manages_path(self, path: str) -> bool:
        return self.is_admin or any(path.startswith(p) for p in self.managed_paths)

    def acts_for(self, congress_id: int | None, path: str = "") -> bool:
        """May the user take workflow steps of ``congress_id``'s own items?

        ``path`` is the item's region path (a sub-district grant acts only on
        items of its sub-district). Admins act everywhere; staff of a congress
        above only supervise (``manages_path``).
        """
        if self.is_admin:
            return True
        if congress_id is None:
            return False
        if congress_id in self.acting_congress_ids:
            return True
        return any(
            cid == congress_id and path.startswith(sub)
            for cid, sub in self.acting_subdistricts
        )

    # The predicates every app's navigation and policies ask, written once.
    @property
    def governs_any(self) -> bool:
        """Congress staff, leader (some region) or admin."""
        return self.is_admin or bool(self.governed_paths)

    @property
    def manages_any(self) -> bool:
        """Congress staff of some region, or admin (leaders only read)."""
        return self.is_admin or bool(self.managed_paths)

    @property
    def is_deputy(self) -> bool:
        return Role.DEPUTY in self.roles

    @property
    def is_leader(self) -> bool:
        return Role.LEADER in self.roles

    @property
    def works_in_unit(self) -> bool:
        return bool(self.unit_ids)

    @property
    def works_in_station(self) -> bool:
        return bool(self.station_ids)


ANONYMOUS = UserScope()


def _minimal(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path in the set."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(p) for p in result):
            result.append(path)
    return tuple(result)


def scope_for(user) -> UserScope:
    """The user's scope; cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_portal_scope", None)
    if cached is not None:
        return cached
    grants = list(
        RoleGrant.objects.filter(user=user).select_related(
            "region", "congress__region", "unit__region"
        )
    )
    station_ids = {g.station_id for g in grants if g.scope_type == ScopeType.STATION}
    stations: dict[int, tuple[str, str]] = {}
    if station_ids and ScopeType.STATION in scope_resolvers():
        stations = scope_resolvers()[ScopeType.STATION](station_ids)

    governed, managed, area, described = [], [], [], []
    acting: set[int] = set()
    subdistricts: list[tuple[int, str]] = []
    for grant in grants:
        name, path = "", ""
        if grant.scope_type == ScopeType.CONGRESS:
            name, path = grant.congress.name, grant.congress.region.path
        elif grant.scope_type == ScopeType.REGION:
            name, path = grant.region.name, grant.region.path
        elif grant.scope_type == ScopeType.UNIT:
            name, path = grant.unit.name, grant.unit.region.path
        elif grant.scope_type == ScopeType.STATION:
            name, path = stations.get(grant.station_id, ("", ""))
        elif grant.scope_type == ScopeType.GLOBAL:
            name = str(ScopeType.GLOBAL.label)
        if path:
            area.append(path)
            if grant.role in GOVERNING_ROLES:
                governed.append(path)
            if grant.role == Role.CONGRESS_STAFF:
                managed.append(path)
                if grant.scope_type == ScopeType.CONGRESS:
                    acting.add(grant.congress_id)
                elif grant.scope_type == ScopeType.REGION:
                    congress_id = _county_congress_of(grant.region)
                    if congress_id is not None:
                        subdistricts.append((congress_id, path))
        described.append(
            {
                "role": grant.role,
                "scope_type": grant.scope_type,
                "scope_id": grant.scope_id,
                "scope_name": name,
            }
        )
    roles = frozenset(g.role for g in grants)
    scope = UserScope(
        is_authenticated=True,
        is_admin=user.is_superuser or Role.ADMIN in roles,
        roles=roles,
        governed_paths=_minimal(governed),
        managed_paths=_minimal(managed),
        area_paths=_minimal(area),
        congress_ids=frozenset(g.congress_id for g in grants if g.congress_id),
        acting_congress_ids=frozenset(acting),
        acting_subdistricts=tuple(subdistricts),
        unit_ids=frozenset(g.unit_id for g in grants if g.unit_id),
        station_ids=frozenset(station_ids),
        grants=tuple(described),
    )
    user._portal_scope = scope
    return scope


def user_cache_key(user) -> str:
    """The cache's name for what ``user`` may see: their scope and their id
    (per user, not per scope: a ``visible_to`` may add a user's own rows)."""
    return f"{scope_for(user).cache_key}:{user.pk}"


def _county_congress_of(region) -> int | None:
    """The congress a sub-district (街道) belongs to: the nearest congress above it
    (街道人大工委 is a working body of the county congress's standing committee,
    地方组织法 第五十二条)."""
    from .models import Congress

    congress = Congress.objects.nearest(region, above=True)
    return congress.pk if congress else None


def forget_scope(user) -> None:
    """Drop what is cached on the user object for the request (after grants or
    mandates change): the scope and the own mandate ids
    (``deputies.querysets.own_mandate_ids``)."""
    for cached in ("_portal_scope", "_portal_own_mandate_ids"):
        if hasattr(user, cached):
            delattr(user, cached)


def _paths_q(lookup: str, paths: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{lookup}__startswith": path})
    return q


def governed_q(user, path_lookup: str) -> Q:
    """Q for objects whose region path lies in a subtree the user governs.

    ``path_lookup`` names the path field, e.g. ``"region__path"``.
    Admins get everything; users without a governing role get nothing.

    Everything is ``Q()``, which an OR drops (``Q() | X`` is ``X``): a caller
    that ORs this with another Q returns ``self.all()`` for admins first.
    """
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    return _paths_q(path_lookup, scope.governed_paths)


def governed_in_q(user, field: str, model) -> Q:
    """``field__in`` the ``model`` rows (congresses, units…: anything with a
    ``region``) whose region lies in a subtree the user governs.

    The same rows as ``governed_q(user, f"{field}__region__path")``, but the
    predicate stays on the scoped table as a semi-join on ``field``'s id (a small
    hashed subquery), instead of a join to the region whose ``LIKE`` can only be
    tested after the join: PostgreSQL can then walk the list's own sort index and
    stop at the page's 50 rows (issue 14, docs/performance.md)."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    related = model.objects.filter(_paths_q("region__path", scope.governed_paths))
    return Q(**{f"{field}__in": related.values("pk")})


def managed_q(user, path_lookup: str) -> Q:
    """Q for objects whose region path lies in a subtree the user manages (acts on)."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    return _paths_q(path_lookup, scope.managed_paths)


def acting_q(user, congress_lookup: str, path_lookup: str = "") -> Q:
    """Q for items whose workflow the user acts in (``UserScope.acts_for``):
    ``congress_lookup`` names the acting congress's id field (e.g.
    ``"congress_id"``), ``path_lookup`` the item's region path for sub-district
    grants."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    q = Q(**{f"{congress_lookup}__in": sorted(scope.acting_congress_ids)})
    for congress_id, path in scope.acting_subdistricts:
        if path_lookup:
            q |= Q(**{congress_lookup: congress_id, f"{path_lookup}__startswith": path})
    return q


def area_q(user, path_lookup: str) -> Q:
    """Q for objects in any region subtree the user's grants touch."""
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    return _paths_q(path_lookup, scope.area_paths)


def can_manage_region(user, region) -> bool:
    """May the user create or change things of ``region`` (congress staff, admin)?"""
    return scope_for(user).manages_path(region.path)


def get_visible_or_404(queryset: Any, user, **lookup):
    """Fetch one object through ``visible_to(user)``; out of scope is a 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
