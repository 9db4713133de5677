from django.contrib import admin

from .models import AuditEntry, RuleSetting
from .querysets import role_paths


class ScopedAdminMixin:
    """Non-superuser staff see and change in the admin only what `visible_to` grants them."""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if hasattr(qs, "visible_to"):
            return qs.visible_to(request.user, "view")
        return qs

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and hasattr(type(obj)._default_manager, "visible_to"):
            if not type(obj)._default_manager.visible_to(request.user, "change").filter(pk=obj.pk).exists():
                return False
        return super().has_change_permission(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("timestamp", "actor", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor__username")
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "reason")


__all__ = ["ScopedAdminMixin", "role_paths"]
