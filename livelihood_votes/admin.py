"""Django admin for livelihood programmes. Ballots are not shown: nobody, admins
included, may browse individual votes."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.chinese import mask_mobile

from .models import (
    Candidate,
    ChangeRequest,
    Idea,
    Programme,
    ProgressReport,
    Project,
    SupervisionVisit,
    VoteRound,
)


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["order", "title", "estimated_cost", "lead_unit", "status"]
    readonly_fields = ["status"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["congress", "year", "seats", "phase"]
    list_filter = ["phase", "year"]
    list_select_related = ["congress"]
    readonly_fields = ["phase", "region_path"]
    inlines = [CandidateInline]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "title", "programme", "source", "status"]
    list_filter = ["source", "status"]
    search_fields = ["tracking_code", "title"]
    list_select_related = ["programme__congress"]
    exclude = ["submitted_ip", "submitter_phone"]
    readonly_fields = ["masked_phone"]

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Idea) -> str:
        return mask_mobile(obj.submitter_phone)


@admin.register(VoteRound)
class VoteRoundAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "mode", "status", "eligible", "present"]
    list_select_related = ["programme__congress"]
    readonly_fields = [f.name for f in VoteRound._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProgressInline(admin.TabularInline):
    model = ProgressReport
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = [
        "candidate",
        "programme",
        "implementing_unit",
        "progress",
        "money_paid",
        "status",
        "grade",
    ]
    list_filter = ["status", "grade"]
    list_select_related = ["candidate", "programme__congress", "implementing_unit"]
    readonly_fields = ["region_path"]
    inlines = [ProgressInline]


admin.site.register(ChangeRequest)
admin.site.register(SupervisionVisit)
