from django.contrib import admin

from grassroots.core.admin import ScopedAdminMixin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "cell_subtype", "valid_from", "valid_to")
    search_fields = ("code", "name", "name_folded")
    list_filter = ("kind", "cell_subtype")
