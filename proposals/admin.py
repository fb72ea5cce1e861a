"""Django admin for bills and suggestions (administrators); ratings are read-only."""

from django.contrib import admin

from .models import (
    Assignment,
    Commitment,
    CoSigner,
    Evaluation,
    ExtensionRequest,
    KeySupervisionItem,
    Reply,
    ReturnRequest,
    Suggestion,
    SuggestionEvent,
    SupervisionEvent,
)


class CoSignerInline(admin.TabularInline):
    model = CoSigner
    extra = 0
    raw_id_fields = ["mandate"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["unit", "role", "status", "assigned_on", "due_date"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = SuggestionEvent
    extra = 0
    readonly_fields = [
        "action",
        "from_state",
        "to_state",
        "actor",
        "unit",
        "note",
        "created_at",
    ]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "congress", "year", "number", "lead", "status"]
    list_filter = ["kind", "status", "category", "year"]
    search_fields = ["title"]
    list_select_related = ["congress", "lead__person"]
    readonly_fields = [
        "status",
        "number",
        "round",
        "region_path",
        "submitted_at",
        "registered_at",
        "closed_at",
    ]
    raw_id_fields = ["lead", "merged_into", "source_opinion", "delegation"]
    filter_horizontal = ["research_activities", "research_opinions"]
    inlines = [CoSignerInline, AssignmentInline, EventInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting would take the deputies' ratings with it (issue 15).
        return False


class ReplyInline(admin.StackedInline):
    model = Reply
    extra = 0
    readonly_fields = [
        "round",
        "category",
        "text",
        "document_number",
        "signer",
        "replied_at",
        "on_time",
    ]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["suggestion", "unit", "role", "status", "due_date"]
    list_filter = ["role", "status"]
    list_select_related = ["suggestion", "unit"]
    readonly_fields = ["status", "region_path", "round"]
    raw_id_fields = ["suggestion"]
    inlines = [ReplyInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = [
        "suggestion",
        "round",
        "mandate",
        "result",
        "attitude",
        "callback_flagged",
        "callback_finding",
    ]
    list_filter = ["result", "callback_flagged", "callback_finding"]
    list_select_related = ["suggestion", "mandate__person"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A deputy's rating is the deputy's own (no "被满意", issue 15).
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ExtensionRequest, ReturnRequest)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["assignment", "status", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["assignment"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["text", "due_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["reply"]


class SupervisionEventInline(admin.TabularInline):
    model = SupervisionEvent
    extra = 0


@admin.register(KeySupervisionItem)
class KeySupervisionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "congress", "year", "leader", "status"]
    list_select_related = ["congress", "leader"]
    filter_horizontal = ["suggestions"]
    readonly_fields = ["region_path"]
    inlines = [SupervisionEventInline]
