"""Django admin of issue 16 (organs): plans, contacts, standing-committee
meetings and invitations, for administrators correcting plain data. Statuses
and points change only through the services (the workspace), so they are
read-only here and nothing that carries points is deleted."""

from django.contrib import admin

from .organ_models import (
    MeetingInvitation,
    MeetingOpinion,
    OrganContact,
    OrganContactPlan,
    StandingMeeting,
)


class _NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganContactPlan)
class OrganContactPlanAdmin(_NoDelete):
    list_display = ["unit", "year", "congress", "contacts_per_deputy"]
    list_filter = ["year"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit", "congress", "created_by"]
    autocomplete_fields = ["deputies"]


@admin.register(OrganContact)
class OrganContactAdmin(_NoDelete):
    list_display = ["date", "subject", "kind", "plan"]
    list_filter = ["kind"]
    search_fields = ["subject", "plan__unit__name"]
    raw_id_fields = ["plan", "created_by"]
    autocomplete_fields = ["participants"]
    readonly_fields = ["follow_up_done_at"]


class InvitationInline(admin.TabularInline):
    model = MeetingInvitation
    extra = 0
    raw_id_fields = ["mandate"]
    readonly_fields = ["status", "responded_at"]
    can_delete = False


@admin.register(StandingMeeting)
class StandingMeetingAdmin(_NoDelete):
    list_display = ["__str__", "date", "congress"]
    list_filter = ["congress__level"]
    raw_id_fields = ["congress", "term", "created_by"]
    inlines = [InvitationInline]


@admin.register(MeetingOpinion)
class MeetingOpinionAdmin(_NoDelete):
    list_display = ["__str__", "status", "due_date", "unit"]
    list_filter = ["status"]
    raw_id_fields = ["invitation", "unit"]
    readonly_fields = ["status"]
