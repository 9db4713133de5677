"""Admin of resolutions, indicators, targets and values. Writes go through the services, so
the rules (approval lock, bounds, audit actor) hold here too; history is only read."""

from django.contrib import admin

from grassroots.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin

from .models import (
    AdoptedReview,
    AdoptedReviewRow,
    DataValue,
    DataValueTransition,
    Indicator,
    Resolution,
    Target,
    TargetMilestone,
)


class ReadOnlyInlineMixin(ReadOnlyAdminMixin):
    extra = 0


class TargetInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Target
    fields = (
        "position",
        "indicator",
        "unit",
        "kind",
        "reduction_basis",
        "baseline_value",
        "target_value",
        "target_value_high",
        "target_year",
    )
    readonly_fields = fields
    show_change_link = True


class MilestoneInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = TargetMilestone
    fields = ("year", "value")
    readonly_fields = fields


class TransitionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = DataValueTransition
    fields = ("at", "from_state", "to_state", "actor", "figure", "reason")
    readonly_fields = fields


@admin.register(Resolution)
class ResolutionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "issued_on",
        "title",
        "unit",
        "kind",
        "start_year",
        "end_year",
        "status",
    )
    list_filter = ("kind", "status")
    search_fields = ("number", "title", "unit__name")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "replaced_by")
    readonly_fields = (
        "status",
        "ended_on",
        "end_decision_number",
        "end_decision_date",
        "end_decision_issuer",
        "replaced_by",
    )
    inlines = [TargetInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import resolution_update

        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        resolution_update(
            actor=request.user, resolution=Resolution.objects.get(pk=obj.pk), **fields
        )


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_vi",
        "group",
        "measure_unit",
        "direction",
        "aggregation",
        "computed",
    )
    list_filter = ("group", "direction", "aggregation", "computed")
    search_fields = ("code", "name_vi", "name_en")
    raw_id_fields = ("numerator", "denominator", "weight")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import indicator_create, indicator_update

        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            indicator_update(
                actor=request.user, indicator=Indicator.objects.get(pk=obj.pk), **fields
            )
        else:
            created = indicator_create(
                actor=request.user, **{name: form.cleaned_data[name] for name in form.fields}
            )
            obj.pk = created.pk


@admin.register(Target)
class TargetAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "resolution",
        "position",
        "indicator",
        "unit",
        "kind",
        "reduction_basis",
        "target_value",
        "target_year",
    )
    list_select_related = ("resolution", "indicator", "unit")
    search_fields = ("resolution__number", "indicator__code", "indicator__name_vi")
    readonly_fields = (
        "resolution",
        "indicator",
        "unit",
        "position",
        "kind",
        "change_basis",
        "reduction_basis",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_value_high",
        "target_year",
        "note",
    )
    inlines = [MilestoneInline]


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "value", "state", "approved_level")
    list_filter = ("state", "period_kind", "indicator__group")
    list_select_related = ("indicator", "unit", "approved_level")
    search_fields = ("indicator__code", "unit__name", "unit__code", "period")
    readonly_fields = (
        "indicator",
        "unit",
        "period",
        "period_kind",
        "period_start",
        "value",
        "numerator",
        "denominator",
        "source",
        "comment",
        "entered_by",
        "state",
        "returned_reason",
        "approved_by",
        "approved_at",
        "approved_level",
    )
    inlines = [TransitionInline]


class AdoptedReviewRowInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = AdoptedReviewRow
    fields = (
        "position",
        "indicator_code",
        "indicator_name_vi",
        "target_value",
        "actual",
        "actual_period",
        "percent",
        "band",
    )
    readonly_fields = fields


@admin.register(AdoptedReview)
class AdoptedReviewAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Adopted reviews are kept as issued: read only here (filed through the review page or the
    API)."""

    list_display = ("resolution", "kind", "as_of", "total", "adopted_by", "adopted_at")
    list_filter = ("kind",)
    list_select_related = ("resolution", "adopted_by")
    search_fields = ("resolution__number", "resolution__title")
    readonly_fields = (
        "resolution",
        "kind",
        "as_of",
        "met",
        "near",
        "total",
        "counts",
        "by_group",
        "sentences_vi",
        "sentences_en",
        "note",
        "adopted_by",
        "adopted_at",
    )
    inlines = [AdoptedReviewRowInline]
