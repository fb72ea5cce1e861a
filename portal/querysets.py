"""Reads of the core models, including the scoping of each (see scoping.py)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class RegionQuerySet(models.QuerySet):
    def subtree(self, region) -> RegionQuerySet:
        """The region and every region below it (one indexed prefix query)."""
        return self.filter(path__startswith=region.path)

    def descendants(self, region) -> RegionQuerySet:
        """Every region strictly below ``region``."""
        return self.subtree(region).exclude(pk=region.pk)

    def ancestors_of(self, region) -> RegionQuerySet:
        """The regions above ``region``, from the root down."""
        parts = [p for p in region.path.split("/") if p]
        paths = ["/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
        return self.filter(path__in=paths).order_by("depth")

    def visible_to(self, user) -> RegionQuerySet:
        """Regions within any scope granted to the user."""
        from .scoping import area_q

        return self.filter(area_q(user, "path"))


class CongressQuerySet(models.QuerySet):
    def within(self, region) -> CongressQuerySet:
        return self.filter(region__path__startswith=region.path)

    def nearest(self, region, *, above: bool = False):
        """The congress of ``region``, or of the nearest region above it (one
        query). ``above``: strictly above — the congress a township forwards to,
        the county congress a sub-district (街道) belongs to."""
        from .models import Region

        ancestors = Region.objects.ancestors_of(region)
        q = (
            Q(region__in=ancestors)
            if above
            else Q(region__in=ancestors) | Q(region=region)
        )
        return (
            self.filter(q).select_related("region").order_by("-region__depth").first()
        )

    def manageable_by(self, user) -> CongressQuerySet:
        """Congresses whose records the user may create or change (congress staff, admins)."""
        from .scoping import scope_for

        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        q = Q(pk__in=[])
        for path in scope.managed_paths:
            q |= Q(region__path__startswith=path)
        return self.filter(q)

    def visible_to(self, user) -> CongressQuerySet:
        """Congresses of the regions the user's grants cover."""
        from .scoping import area_q

        return self.filter(area_q(user, "region__path"))


class HandlingUnitQuerySet(models.QuerySet):
    def active(self) -> HandlingUnitQuerySet:
        return self.filter(is_active=True)

    def visible_to(self, user) -> HandlingUnitQuerySet:
        """Congress staff and leaders see units of their region and below; unit
        staff see their own unit only."""
        from .scoping import governed_q, scope_for

        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        return self.filter(governed_q(user, "region__path") | Q(pk__in=scope.unit_ids))


class RoleGrantQuerySet(models.QuerySet):
    def visible_to(self, user) -> RoleGrantQuerySet:
        """Admins see all grants; congress staff see grants within their region."""
        from .scoping import governed_q, scope_for

        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        q = (
            governed_q(user, "congress__region__path")
            | governed_q(user, "region__path")
            | governed_q(user, "unit__region__path")
        )
        return self.filter(q | Q(user=user))


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj) -> AuditEventQuerySet:
        """The timeline of one object, oldest first."""
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).order_by("created_at", "id")

    def visible_to(self, user) -> AuditEventQuerySet:
        from .scoping import governed_q

        return self.filter(governed_q(user, "region_path"))


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> NotificationQuerySet:
        """Only the recipient sees a notification."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def sent_log_visible_to(self, user) -> NotificationQuerySet:
        """For the staff page of what was sent: admins see all; congress staff see
        notifications to people whose role is within their region."""
        from .scoping import governed_q, scope_for

        if scope_for(user).is_admin:
            return self.all()
        q = (
            governed_q(user, "recipient__grants__congress__region__path")
            | governed_q(user, "recipient__grants__unit__region__path")
            | governed_q(user, "recipient__grants__region__path")
        )
        return self.filter(pk__in=self.model.objects.filter(q).values("pk"))

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def in_app(self) -> NotificationQuerySet:
        return self.filter(channel="in_app")

    def about(self, target) -> NotificationQuerySet:
        """Notifications whose object is ``target`` (e.g. the reminders of a
        planned visit, to tell those reminded that it is cancelled)."""
        from django.contrib.contenttypes.models import ContentType

        return self.filter(
            content_type=ContentType.objects.get_for_model(target),
            object_id=str(target.pk),
        )
