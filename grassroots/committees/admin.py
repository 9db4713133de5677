"""Admin of committees, terms and seats."""

from django.contrib import admin

from grassroots.core.admin import ScopedAdminMixin

from .models import Committee, CommitteeSeat, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("name", "start_year", "end_year")


class SeatInline(admin.TabularInline):
    model = CommitteeSeat
    extra = 0
    raw_id_fields = ("member",)


@admin.register(Committee)
class CommitteeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "term", "kind", "elected_size", "approved_next_size", "elected_on")
    list_filter = ("kind", "term")
    search_fields = ("unit__name", "unit__code")
    list_select_related = ("unit", "term")
    raw_id_fields = ("unit",)
    inlines = [SeatInline]


@admin.register(CommitteeSeat)
class CommitteeSeatAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("committee", "position", "display_name", "from_date", "to_date")
    list_filter = ("position",)
    list_select_related = ("committee__unit", "committee__term", "member")
    raw_id_fields = ("committee", "member")
