"""Admin of the meetings: rows shown, scoped like the pages, never added, changed or deleted
there. The rules (a signed meeting is locked, assignees are members of the unit) live in the
services, so the meeting's own pages and the API are the way to record them."""

from django.contrib import admin

from grassroots.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Assignment, Attendance, Decision, Liaison, Meeting, MeetingCorrection


class AttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ("member",)


class DecisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "kind", "date", "present_count", "expected_count", "signed_on")
    list_filter = ("kind",)
    search_fields = ("unit__name", "unit__code", "topic")
    date_hierarchy = "date"
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "visitor_seat")
    inlines = [AttendanceInline, DecisionInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("task", "unit", "due_date", "status", "closed_on")
    list_filter = ("status",)
    search_fields = ("task", "unit__name")
    list_select_related = ("unit",)
    raw_id_fields = ("decision", "unit", "members")


@admin.register(MeetingCorrection)
class MeetingCorrectionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("meeting", "part", "recorded_on", "reason")
    list_select_related = ("meeting__unit",)
    raw_id_fields = ("meeting",)


@admin.register(Liaison)
class LiaisonAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("seat", "unit", "from_date", "to_date")
    list_select_related = ("seat__member", "seat__committee__unit", "unit")
    raw_id_fields = ("seat", "unit")
