from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Holiday, RuleSetting


class ScopedAdminMixin:
    """Non-superuser staff see and change in the admin only what `visible_to` grants them."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user, "view")
        return qs

    def has_change_permission(self, request, obj=None):
        if (
            obj is not None
            and not request.user.is_superuser
            and hasattr(type(obj)._default_manager, "visible_to")
        ):
            if (
                not type(obj)
                ._default_manager.visible_to(request.user, "change")
                .filter(pk=obj.pk)
                .exists()
            ):
                return False
        return super().has_change_permission(request, obj)


class ReadOnlyAdminMixin:
    """Shown in the admin, never added, changed or deleted there: history kept as recorded, or
    rows written only by their services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("timestamp", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor__username")
    date_hierarchy = "timestamp"


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "reason")


class HolidayYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Holiday.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=self.value())
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The days off that working-day rules skip; saving or deleting one counts at once."""

    list_display = ("date", "weekday", "name", "kind", "source")
    list_filter = (HolidayYearFilter, "kind")
    search_fields = ("name", "source")
    ordering = ("date",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj: Holiday) -> str:
        return date_format(obj.date, "l")  # the day's name in the user's language


__all__ = ["ScopedAdminMixin"]
