"""Reads of deputies' data, including scoping (``visible_to``) and name order."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q, QuerySet, Sum

from portal.models import Congress
from portal.scoping import governed_in_q, governed_q, scope_for

NAME_ORDERS = {
    "stroke": "name_stroke_key",
    "pinyin": "name_pinyin",
}


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """Persons holding a mandate the user may see; a deputy sees themself."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        ids = _mandates_visible_q(user)
        from .models import Mandate

        return self.filter(
            Q(pk__in=Mandate.objects.filter(ids).values("person_id")) | Q(user=user)
        )


def own_mandate_ids(user) -> list[int]:
    """The ids of the user's own mandates (a deputy's; none for anyone else),
    read once per user object (a request's ``request.user``). Lists scope to
    them with ``lead_id IN (1, 2)``: an index lookup, where a sub-query inside
    the scope's OR made PostgreSQL test every row of the table (issue 14).
    Cached like the scope (``portal.scoping.forget_scope`` drops both)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_portal_own_mandate_ids", None)
    if cached is None:
        from .models import Mandate

        cached = list(
            Mandate.objects.filter(person__user=user)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        user._portal_own_mandate_ids = cached
    return cached


def _mandates_visible_q(user) -> Q:
    scope = scope_for(user)
    if scope.is_admin:
        return Q()
    # Semi-joins on the mandate's own columns (``governed_in_q``), so the name
    # order's index serves the list at any scope.
    q = governed_in_q(user, "congress", Congress)
    # The electing congress (原选举单位) sees the higher-level deputies it elected.
    q |= governed_in_q(user, "electing_congress", Congress)
    if scope.is_authenticated:
        from .models import Person

        q |= Q(person__in=Person.objects.filter(user=user).values("pk"))
    return q


class MandateQuerySet(models.QuerySet):
    def active(self) -> MandateQuerySet:
        return self.filter(status="active")

    def current(self) -> MandateQuerySet:
        """Mandates of the congresses' current terms."""
        return self.filter(term__is_current=True)

    def of_user(self, user) -> MandateQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(person__user=user)

    def search(self, value: str) -> MandateQuerySet:
        """名册 search: a card number (代表证号, when the input has a digit or a
        Latin letter) or part of the name (Chinese, through the bigram index of
        ``portal.search``; a semi-join on the person, so the index finds the few
        people first, whatever the scope)."""
        value = value.strip()
        if not value:
            return self
        if any(ch.isascii() and ch.isalnum() for ch in value):
            return self.filter(card_number__iexact=value)
        from .models import Person

        return self.filter(
            person__in=Person.objects.filter(name__has_text=value).values("pk")
        )

    def visible_to(self, user) -> MandateQuerySet:
        """Congress staff and leaders: mandates of their region and below, and the
        higher-level mandates their congress elected (原选举单位); a deputy: their
        own mandates; everyone else: nothing (the public directory is ``public()``)."""
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(_mandates_visible_q(user))

    def manageable_by(self, user) -> MandateQuerySet:
        """Mandates the user may change (congress staff of the region, admins)."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        q = Q(pk__in=[])
        for path in scope.managed_paths:
            q |= Q(congress__region__path__startswith=path)
        return self.filter(q)

    def eligible_for_group(self, group) -> MandateQuerySet:
        """Mandates that may join ``group`` (代表小组): of any level, when the
        congress, the electing congress (原选举单位), the constituency or the
        deputy's residence lies in the region of the group's congress."""
        path = group.congress.region.path
        return self.filter(
            Q(congress_id=group.congress_id)
            | Q(congress__region__path__startswith=path)
            | Q(electing_congress__region__path__startswith=path)
            | Q(constituency__region__path__startswith=path)
            | Q(person__residence_region__path__startswith=path)
        )

    def expiring_with(self, term) -> MandateQuerySet:
        """Mandates of the terms before ``term`` of its congress that are still
        running (active or suspended): they end when ``term`` first meets."""
        return self.filter(
            congress_id=term.congress_id,
            term__number__lt=term.number,
            status__in=["active", "suspended"],
        )

    def public(self) -> MandateQuerySet:
        """Current, active mandates: what the public directory may list."""
        return self.current().active()

    def with_list_related(self) -> MandateQuerySet:
        """What a list row reads: the person joined, the congresses, term,
        constituency and delegation read by their ids. Joined as well, the
        seven tables cost PostgreSQL 9-18 ms to plan on every page for 3 ms
        of execution (issue 14, docs/performance.md rule 16); each of those
        small tables is one indexed read of the page's ids."""
        return self.select_related("person").prefetch_related(
            "congress", "term", "constituency", "delegation", "electing_congress"
        )

    def order_by_name(self, order: str = "stroke") -> MandateQuerySet:
        return self.order_by(NAME_ORDERS.get(order, NAME_ORDERS["stroke"]), "id")


class DeputyGroupQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeputyGroupQuerySet:
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            governed_q(user, "congress__region__path")
            | Q(pk__in=_group_ids_of_user(user))
        )


def _group_ids_of_user(user):
    from .models import GroupMembership

    return GroupMembership.objects.filter(mandate__person__user=user).values("group_id")


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user) -> ActivityQuerySet:
        """Staff: activities organised in their region; a deputy: those they take part in."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        from .models import Attendance

        own = Attendance.objects.filter(mandate__person__user=user).values(
            "activity_id"
        )
        return self.filter(governed_q(user, "congress__region__path") | Q(pk__in=own))

    def manageable_by(self, user) -> ActivityQuerySet:
        """Activities the user may review and change: those organised by the
        congress they act for (not by a congress below), admins all. (An
        activity has no finer region than its congress, so a sub-district grant
        reviews none, as ``ActivityPolicy`` says.)"""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        return self.filter(congress_id__in=sorted(scope.acting_congress_ids))

    def pending(self) -> ActivityQuerySet:
        """Activities waiting for review."""
        return self.filter(review_status="pending")


class DelegationQuerySet(models.QuerySet):
    def visible_to(self, user) -> DelegationQuerySet:
        """Delegations of the congresses the user governs (staff, leaders, admins)."""
        return self.filter(governed_q(user, "congress__region__path"))


def governed_congresses(user) -> QuerySet[Congress]:
    """Congresses of the regions the user governs, in region order (the congress
    choices of the staff lists)."""
    return Congress.objects.filter(governed_q(user, "region__path")).order_by(
        "region__path"
    )


class LedgerEntryQuerySet(models.QuerySet):
    def for_year(self, year: int) -> LedgerEntryQuerySet:
        return self.filter(year=year)

    def totals_by_mandate(self):
        """``{mandate_id, total}`` rows, computed in the database."""
        return self.values("mandate_id").annotate(total=Sum("points"))


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> RosterImportQuerySet:
        """Import jobs the user may see: their own, and those uploaded within a
        region they manage; everyone else gets a 404."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = Q(created_by=user)
        for path in scope.managed_paths:
            q |= Q(region_path__startswith=path)
        return self.filter(q)


class MandateExportQuerySet(models.QuerySet):
    def visible_to(self, user) -> MandateExportQuerySet:
        """Export jobs the user may see: only their own (the file holds what
        their scope showed them); everyone else gets a 404."""
        if not scope_for(user).is_authenticated:
            return self.none()
        return self.filter(created_by=user)


def roster_region_path(user) -> str:
    """The region an import by ``user`` belongs to (``RosterImport.region_path``,
    what ``visible_to`` filters on): the deepest path above every region they
    manage ("" when they share none)."""
    return _common_path(scope_for(user).managed_paths)


def _common_path(paths: Iterable[str]) -> str:
    split = [p.split("/")[:-1] for p in paths]
    if not split:
        return ""
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""
