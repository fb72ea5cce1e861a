"""Django admin (in Chinese) for the core models; for administrators."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import FieldDoesNotExist
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
from .registry import audit_action_label
from .rules import validate_values

admin.site.site_header = _("人大代表工作平台管理")
admin.site.site_title = _("人大代表工作平台")
admin.site.index_title = _("系统管理")

# django-axes' section of the index; its models and fields are named in Chinese by
# locale/zh_Hans (the package ships no Chinese).
if apps.is_installed("axes"):
    apps.get_app_config("axes").verbose_name = _("登录安全")


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


class AuditActionFilter(admin.SimpleListFilter):
    """The action filter with the actions' names, not their codes."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by("action")
            .values_list("action", flat=True)
            .distinct()
        )
        return [(code, audit_action_label(code)) for code in codes]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


def _state_label(event: AuditEvent, value: str) -> str:
    """A state code in the words of its model's status choices (or the code)."""
    model = event.content_type.model_class() if event.content_type_id else None
    if not value or model is None:
        return value
    for name in ("status", "phase"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
    return value


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor",
        "action_label",
        "object_repr",
        "from_state_label",
        "to_state_label",
    ]
    list_filter = [AuditActionFilter]
    list_select_related = ["actor", "content_type"]

    @admin.display(description=_("操作"), ordering="action")
    def action_label(self, obj):
        return audit_action_label(obj.action)

    @admin.display(description=_("原状态"))
    def from_state_label(self, obj):
        return _state_label(obj, obj.from_state)

    @admin.display(description=_("新状态"))
    def to_state_label(self, obj):
        return _state_label(obj, obj.to_state)

    search_fields = ["object_repr", "actor__username"]

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
