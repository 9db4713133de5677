"""Admin of the inspection plans, the inspections and the organization disciplines (scoped to
the administrator's subtrees like every admin page). Read-only: the rules live in the services,
which the pages and the API call."""

from django.contrib import admin

from grassroots.core.admin import ScopedAdminMixin

from .models import Inspection, InspectionPlan, OrganizationDiscipline, PlanItem


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanItemInline(ReadOnlyMixin, admin.TabularInline):
    model = PlanItem
    extra = 0


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("year", "unit", "body", "title", "adopted_on")
    list_filter = ("body", "year")
    search_fields = ("unit__name", "unit__code", "title")
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)
    inlines = [PlanItemInline]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("start_date", "unit", "kind", "form", "concluded_on")
    list_filter = ("kind", "form", "body")
    search_fields = ("unit__name", "content")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "plan_item")
    date_hierarchy = "start_date"


@admin.register(OrganizationDiscipline)
class OrganizationDisciplineAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("decided_on", "unit", "level", "decision_number", "issuer")
    list_filter = ("level",)
    search_fields = ("unit__name", "decision_number")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "subject")
