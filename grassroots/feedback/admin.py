from django.contrib import admin

from .models import PERSONAL_FIELDS, Feedback, FeedbackEvent


class FeedbackEventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "actor", "from_unit", "to_unit", "note"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only: feedback changes through its pages, so that every step is in its history."""

    list_display = ["code", "subject", "category", "unit", "status", "received_on", "due_date"]
    list_filter = ["status", "category", "channel"]
    search_fields = ["code", "subject"]
    inlines = [FeedbackEventInline]
    # The citizen's details are read on the feedback's page, where each reading is logged.
    exclude = list(PERSONAL_FIELDS)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
