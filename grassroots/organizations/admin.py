"""Admin of the unit register. History (reorganizations, lineage) is created by the services
and only read here; units are created and reorganized through the pages or the API so that
paths, placements and lineage stay whole."""

from django.contrib import admin

from grassroots.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import Lineage, Reorganization, Unit, UnitPlacement


class PlacementInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = UnitPlacement
    fk_name = "unit"
    fields = ("valid_from", "valid_to", "name", "parent", "path")
    readonly_fields = fields
    extra = 0


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "cell_subtype", "parent", "valid_from", "valid_to")
    search_fields = ("code", "name", "name_folded")
    list_filter = ("kind", "cell_subtype")
    list_select_related = ("parent",)
    # The tree's shape and dates, and a unit's name and code, change only through the services
    # (reorganizations: a rename under a decision keeps the old name and code).
    readonly_fields = ("code", "name", "kind", "parent", "path", "depth", "valid_from", "valid_to")
    fields = (
        "code",
        "name",
        "kind",
        "cell_subtype",
        "address",
        "parent",
        "path",
        "depth",
        "valid_from",
        "valid_to",
    )
    inlines = [PlacementInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service, which keeps the rules of a plain edit.
        from .services import unit_update

        unit_update(
            actor=request.user,
            unit=obj,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )


class LineageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Lineage
    fields = ("predecessor", "successor", "share")
    readonly_fields = fields
    extra = 0


@admin.register(Reorganization)
class ReorganizationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("effective_date", "kind", "decision_number", "issuer", "unit")
    list_filter = ("kind",)
    search_fields = ("decision_number", "issuer", "unit__name")
    date_hierarchy = "effective_date"
    inlines = [LineageInline]


@admin.register(Lineage)
class LineageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("predecessor", "successor", "share", "reorganization")
    list_select_related = ("predecessor", "successor", "reorganization")

    def get_queryset(self, request):
        from django.db.models import Q

        from grassroots.core.access import Access
        from grassroots.core.querysets import path_q

        qs = super().get_queryset(request)
        paths = Access.of(request.user).paths()
        if paths is None:
            return qs
        return qs.filter(
            path_q("predecessor__path", paths) | path_q("successor__path", paths) | Q(pk__in=[])
        )
