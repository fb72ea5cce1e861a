"""Django admin for deputies' data (administrators). Writes that carry rules go
through the staff workspace and services; here admins correct plain data."""

from django.contrib import admin

from .models import (
    Activity,
    Attendance,
    Constituency,
    Delegation,
    DeputyGroup,
    GroupMembership,
    LedgerEntry,
    Mandate,
    Person,
    QualificationEvent,
    RosterImport,
    VoterReport,
)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "gender",
        "ethnicity",
        "party",
        "occupation",
        "is_frontline",
    ]
    list_filter = ["gender", "party", "occupation", "is_frontline"]
    search_fields = ["name"]
    exclude = ["id_number", "mobile"]
    autocomplete_fields = ["user", "residence_region"]


class QualificationEventInline(admin.TabularInline):
    model = QualificationEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "kind",
        "ground",
        "date",
        "document_number",
        "from_state",
        "to_state",
        "actor",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "congress",
        "term",
        "card_number",
        "constituency",
        "status",
    ]
    list_filter = ["status", "congress__level"]
    search_fields = ["person__name", "card_number"]
    list_select_related = ["person", "congress", "term__congress", "constituency"]
    readonly_fields = ["status", "ended_on"]
    autocomplete_fields = [
        "person",
        "congress",
        "constituency",
        "electing_congress",
        "delegation",
    ]
    inlines = [QualificationEventInline]


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "congress", "kind", "seats"]
    list_filter = ["kind"]
    search_fields = ["name", "congress__name"]
    list_select_related = ["congress"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "congress", "term", "head"]
    search_fields = ["name"]
    list_select_related = ["congress", "term__congress", "head__person"]
    raw_id_fields = ["head"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["mandate"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "congress", "kind", "leader"]
    list_filter = ["kind"]
    search_fields = ["name"]
    list_select_related = ["congress", "leader__person"]
    raw_id_fields = ["leader"]
    inlines = [GroupMembershipInline]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["mandate"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "congress", "kind", "date", "review_status"]
    list_filter = ["kind", "review_status"]
    search_fields = ["title"]
    list_select_related = ["congress"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["mandate", "kind", "points", "occurred_on", "note"]
    list_filter = ["kind", "year"]
    list_select_related = ["mandate__person", "mandate__congress"]
    search_fields = ["mandate__person__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(VoterReport)
class VoterReportAdmin(admin.ModelAdmin):
    list_display = ["mandate", "date", "venue", "is_published"]
    list_select_related = ["mandate__person"]
    raw_id_fields = ["mandate"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "status",
        "total_rows",
        "imported_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RosterImport._meta.fields]


# issue 16: organs
from . import organ_admin  # noqa: E402, F401
