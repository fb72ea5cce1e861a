"""Django admin for stations (administrators); workflows run in the workspace."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.chinese import mask_mobile

from .models import (
    DutyAssignment,
    DutyDay,
    Opinion,
    OpinionAssignment,
    OpinionEvent,
    Reception,
    Station,
    StationMembership,
)


class MembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    raw_id_fields = ["mandate"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "is_model", "status"]
    list_filter = ["kind", "status", "is_model"]
    search_fields = ["name", "code"]
    list_select_related = ["region"]
    readonly_fields = ["region_path"]
    raw_id_fields = ["master"]
    filter_horizontal = ["liaison_officers"]
    inlines = [MembershipInline]


class DutyAssignmentInline(admin.TabularInline):
    model = DutyAssignment
    extra = 0
    raw_id_fields = ["mandate"]


@admin.register(DutyDay)
class DutyDayAdmin(admin.ModelAdmin):
    list_display = ["station", "date", "slot", "is_published"]
    list_filter = ["is_published", "slot"]
    list_select_related = ["station"]
    date_hierarchy = "date"
    inlines = [DutyAssignmentInline]


@admin.register(Reception)
class ReceptionAdmin(admin.ModelAdmin):
    list_display = ["station", "date", "mode", "visitor_count"]
    list_filter = ["mode"]
    list_select_related = ["station"]
    filter_horizontal = ["deputies"]


class OpinionAssignmentInline(admin.TabularInline):
    model = OpinionAssignment
    extra = 0
    can_delete = False
    readonly_fields = [
        "round",
        "unit",
        "due_date",
        "reply_text",
        "replied_at",
        "visit_result",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class OpinionEventInline(admin.TabularInline):
    model = OpinionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "actor", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_code",
        "station",
        "category",
        "status",
        "round",
        "due_date",
        "current_unit",
    ]
    list_filter = ["status", "category", "needs_supervision"]
    search_fields = ["tracking_code"]
    list_select_related = ["station", "current_unit"]
    readonly_fields = [
        "status",
        "round",
        "due_date",
        "current_unit",
        "tracking_code",
        "region_path",
        "submitted_ip",
        "masked_phone",
    ]
    # The citizen's number, masked: reveals are logged on the opinion page.
    exclude = ["deputies", "submitter_phone"]
    inlines = [OpinionAssignmentInline, OpinionEventInline]

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Opinion) -> str:
        return mask_mobile(obj.submitter_phone)

    def has_delete_permission(self, request, obj=None):
        return False
