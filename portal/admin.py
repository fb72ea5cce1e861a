"""Django admin (in Chinese) for the core models; for administrators."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    AuditEvent,
    Congress,
    HandlingUnit,
    Notification,
    Region,
    RoleGrant,
    RuleSet,
    Session,
    Term,
    User,
)
from .rules import validate_values

admin.site.site_header = _("人大代表工作平台管理")
admin.site.site_title = _("人大代表工作平台")
admin.site.index_title = _("系统管理")


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["region", "congress", "unit"]
    fields = ["role", "scope_type", "region", "congress", "unit", "station_id"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("平台信息"), {"fields": ("display_name", "mobile")}),
    )
    list_display = ["username", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleGrantInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "depth"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "depth"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        if change:
            if "parent" in form.changed_data and obj.parent is not None:
                super().save_model(request, obj, form, change)
                services.region_move(
                    region=obj, new_parent=obj.parent, actor=request.user
                )
            else:
                super().save_model(request, obj, form, change)
        else:
            created = services.region_create(
                name=obj.name,
                level=obj.level,
                parent=obj.parent,
                code=obj.code,
                actor=request.user,
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


class TermInline(admin.TabularInline):
    model = Term
    extra = 0


@admin.register(Congress)
class CongressAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "region"]
    list_filter = ["level"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [TermInline]


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_date", "end_date", "is_current"]
    list_select_related = ["congress"]
    list_filter = ["is_current", "congress__level"]
    search_fields = ["congress__name"]
    inlines = [SessionInline]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "head"]


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "role",
        "scope_type",
        "congress",
        "unit",
        "region",
        "station_id",
    ]
    list_filter = ["role", "scope_type"]
    search_fields = ["user__username", "user__display_name"]
    list_select_related = ["user", "congress", "unit", "region"]
    autocomplete_fields = ["user", "region", "congress", "unit"]


class RuleSetForm(forms.ModelForm):
    """Rule values are validated in the form (unknown keys, types, and values the
    law fixes for the rule set's level), so a bad value is a field error, not a 500."""

    class Meta:
        model = RuleSet
        fields = ["name", "congress", "level", "values"]

    def clean(self):
        cleaned = super().clean()
        values = cleaned.get("values") or {}
        if not isinstance(values, dict):
            self.add_error("values", _("规则取值应为对象（键: 值）。"))
            return cleaned
        congress = cleaned.get("congress")
        level = congress.level if congress else cleaned.get("level") or None
        errors = validate_values(values, level=level)
        if errors:
            self.add_error(
                "values",
                [
                    f"{key}: {message}"
                    for key, msgs in errors.items()
                    for message in msgs
                ],
            )
        return cleaned


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ["name", "congress", "level", "updated_at"]
    list_select_related = ["congress"]
    autocomplete_fields = ["congress"]

    def save_model(self, request, obj, form, change):
        if change:
            values = obj.values
            obj.values = form.initial.get("values", {})
            super().save_model(request, obj, form, change)
            services.rule_set_update(rule_set=obj, values=values, actor=request.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "object_repr",
        "from_state",
        "to_state",
    ]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__username"]
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "kind",
        "channel",
        "status",
        "title",
        "read_at",
    ]
    list_filter = ["kind", "channel", "status"]
    search_fields = ["title", "recipient__username", "key"]
    list_select_related = ["recipient"]
    readonly_fields = ["key"]
