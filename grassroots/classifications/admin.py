"""Admin of the classifications: read-only lists (every write goes through the services, which
check the rules, the quota and who decides; a rule set is corrected on its own page)."""

from django.contrib import admin

from grassroots.core.admin import ScopedAdminMixin

from .models import Circumstance, Classification, ClassificationStep, Review, RuleSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RuleSet)
class RuleSetAdmin(ReadOnlyAdmin):
    list_display = ("name", "valid_from_year", "valid_to_year", "judging")


@admin.register(Review)
class ReviewAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("unit", "year", "rule_set", "review_date")
    list_filter = ("year", "rule_set")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "rule_set")


class StepInline(admin.TabularInline):
    model = ClassificationStep
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "level", "points", "inputs", "note", "actor", "at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Classification)
class ClassificationAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("__str__", "subject", "unit", "year", "decided_level", "flagged")
    list_filter = ("year", "subject", "decided_level", "flagged")
    search_fields = ("member__full_name", "unit__name", "unit__code")
    list_select_related = ("unit", "member")
    inlines = [StepInline]


@admin.register(Circumstance)
class CircumstanceAdmin(ScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("kind", "member", "unit", "start", "end")
    list_filter = ("kind",)
    list_select_related = ("unit", "member")
