"""The administration site's view of the "4 good" records: read and search them. Changes go
through the pages and the services (versioning, the month's review), never edited here."""

from django.contrib import admin

from .models import Framework, MonthlyAssessment, Registration


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(_ReadOnlyAdmin):
    list_display = ["name", "code", "version", "issuing_unit", "guideline_number", "published_on"]
    search_fields = ["name", "code", "guideline_number"]
    list_select_related = ["issuing_unit"]


@admin.register(Registration)
class RegistrationAdmin(_ReadOnlyAdmin):
    list_display = ["unit", "year", "framework", "registered_on"]
    list_filter = ["year"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "framework"]


@admin.register(MonthlyAssessment)
class MonthlyAssessmentAdmin(_ReadOnlyAdmin):
    list_display = ["registration", "month", "status", "total", "band_key", "late"]
    list_filter = ["status", "late", "registration__year"]
    search_fields = ["registration__unit__name", "registration__unit__code"]
    list_select_related = ["registration__unit"]
