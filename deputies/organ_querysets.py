"""Reads and scoping of state organs' contacts and standing-committee meetings
(issue 16). Out of scope → 404 (``visible_to``):

- an organ's staff (a unit grant) see their organ's plans and contacts only;
- congress staff and leaders see what belongs to the regions they govern (an
  organ's region, a meeting's congress) — another county's are a 404;
- a deputy sees the contacts they took part in, the meetings they were invited
  to and their own invitations and opinions.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from portal.scoping import governed_q, scope_for

from .querysets import own_mandate_ids


class OrganPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganPlanQuerySet:
        """Plans of the user's organs, or of organs in regions they govern."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        return self.filter(
            governed_q(user, "unit__region__path")
            | Q(unit_id__in=sorted(scope.unit_ids))
        )

    def with_list_related(self) -> OrganPlanQuerySet:
        return self.select_related("unit__region", "congress__region")


class OrganContactQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganContactQuerySet:
        """Contacts of the user's organs, of organs in regions they govern, and
        (a deputy) those they took part in."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = governed_q(user, "plan__unit__region__path") | Q(
            plan__unit_id__in=sorted(scope.unit_ids)
        )
        own = own_mandate_ids(user)
        if own:
            from .organ_models import OrganContact

            through = OrganContact.participants.through
            q |= Q(
                pk__in=through.objects.filter(mandate_id__in=own).values(
                    "organcontact_id"
                )
            )
        return self.filter(q)

    def of_own_organs(self, user) -> OrganContactQuerySet:
        """Contacts of the organs the user works in (unit grants)."""
        return self.filter(plan__unit_id__in=sorted(scope_for(user).unit_ids))

    def follow_up_open(self) -> OrganContactQuerySet:
        """Contacts with a follow-up not yet done."""
        return self.exclude(follow_up="").filter(follow_up_done_at__isnull=True)

    def of_year(self, year: int) -> OrganContactQuerySet:
        return self.filter(date__year=year)


class StandingMeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> StandingMeetingQuerySet:
        """Meetings of congresses the user governs; a deputy: those they were
        invited to."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = governed_q(user, "congress__region__path")
        own = own_mandate_ids(user)
        if own:
            from .organ_models import MeetingInvitation

            q |= Q(
                pk__in=MeetingInvitation.objects.filter(mandate_id__in=own).values(
                    "meeting_id"
                )
            )
        return self.filter(q)


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user) -> InvitationQuerySet:
        """Invitations to meetings of congresses the user governs; a deputy's own."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = governed_q(user, "meeting__congress__region__path")
        own = own_mandate_ids(user)
        if own:
            q |= Q(mandate_id__in=own)
        return self.filter(q)

    def own(self, user) -> InvitationQuerySet:
        """The user's own invitations (a deputy's; none for anyone else)."""
        return self.filter(mandate_id__in=own_mandate_ids(user))


class MeetingOpinionQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingOpinionQuerySet:
        """Opinions given at meetings the user governs; a deputy's own."""
        scope = scope_for(user)
        if scope.is_admin:
            return self.all()
        if not scope.is_authenticated:
            return self.none()
        q = governed_q(user, "invitation__meeting__congress__region__path")
        own = own_mandate_ids(user)
        if own:
            q |= Q(invitation__mandate_id__in=own)
        return self.filter(q)

    def open(self) -> MeetingOpinionQuerySet:
        """Opinions whose follow-up is not closed."""
        return self.exclude(status="closed")
