from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Grassroots", {"fields": ("full_name",)}))
    list_display = ("username", "full_name", "email", "is_superuser", "is_active")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "granted_at")
    list_filter = ("role",)
    autocomplete_fields = ["user", "unit"]
    search_fields = ("user__username", "unit__name", "unit__code")
