"""One filterset per model: the pages, the API query parameters and the exports read the same
filters. The queryset passed in is already scoped to what the caller may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.querysets import Action, in_subtree
from grassroots.core.text import fold
from grassroots.organizations.models import Unit

from .choices import (
    Aggregation,
    Direction,
    IndicatorGroup,
    PeriodKind,
    ResolutionKind,
    ResolutionStatus,
    TargetKind,
    ValueState,
)
from .models import DataValue, Indicator, Resolution, Target

YEAR_WIDGET = forms.NumberInput(attrs={"min": 1990, "max": 2100, "inputmode": "numeric"})


class SubtreeFilterMixin:
    """`unit` (an id) or `unit_code`: rows of that unit and everything under it, when the
    caller may see the unit; nothing otherwise (existence must not leak)."""

    unit_path_field = "unit__path"

    def _unit_path(self, **lookup) -> str | None:
        units = Unit.objects.filter(**lookup)
        user = getattr(getattr(self, "request", None), "user", None)
        if user is not None:
            units = units.visible_to(user, Action.VIEW)
        return units.values_list("path", flat=True).first()

    def _in_subtree(self, queryset, path: str | None):
        if path is None:
            return queryset.none()
        return queryset.filter(in_subtree(self.unit_path_field, path))

    def filter_unit(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return self._in_subtree(queryset, self._unit_path(pk=value))

    def filter_unit_code(self, queryset, name, value):
        if not value:
            return queryset
        return self._in_subtree(queryset, self._unit_path(code=value.strip()))


def _indicator_q(value: str, prefix: str = "indicator__") -> Q:
    """An indicator by id (digits) or by code ("ECO-GROWTH")."""
    value = (value or "").strip()
    if value.isdigit():
        return Q(**{f"{prefix}pk": int(value)})
    return Q(**{f"{prefix}code__iexact": value})


class ResolutionFilterSet(SubtreeFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Number or title"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = django_filters.NumberFilter(
        method="filter_unit",
        label=_("Unit (id), with the units under it"),
        widget=forms.HiddenInput(),
    )
    unit_code = django_filters.CharFilter(
        method="filter_unit_code", label=_("Unit code, with the units under it")
    )
    status = django_filters.ChoiceFilter(
        choices=ResolutionStatus.choices, label=_("Status"), empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        choices=ResolutionKind.choices, label=_("Kind"), empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        method="filter_year", label=_("In force in year"), widget=YEAR_WIDGET
    )

    class Meta:
        model = Resolution
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        # Titles are Vietnamese: match with and without diacritics on the few rows of a unit.
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(pk__in=self._folded_ids(queryset, value))
        )

    @staticmethod
    def _folded_ids(queryset, value: str) -> list[int]:
        folded = fold(value)
        if not folded or folded == value.lower():
            # No diacritics typed: compare the folded title in Python (resolutions are few).
            return [
                pk for pk, title in queryset.values_list("pk", "title") if folded in fold(title)
            ]
        return []

    def filter_year(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class IndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Code or name"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label=_("Code"))
    group = django_filters.ChoiceFilter(
        choices=IndicatorGroup.choices, label=_("Group"), empty_label=_("All")
    )
    direction = django_filters.ChoiceFilter(
        choices=Direction.choices, label=_("Direction"), empty_label=_("All")
    )
    aggregation = django_filters.ChoiceFilter(
        choices=Aggregation.choices, label=_("Aggregation"), empty_label=_("All")
    )
    computed = django_filters.BooleanFilter(
        method="filter_computed",
        label=_("Computed from records"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Indicator
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        q = Q(code__icontains=value) | Q(name_vi__icontains=value) | Q(name_en__icontains=value)
        folded = fold(value)
        # The catalogue is small: names typed without diacritics are matched in Python.
        ids = [
            pk
            for pk, name_vi in queryset.values_list("pk", "name_vi")
            if folded and folded in fold(name_vi)
        ]
        return queryset.filter(q | Q(pk__in=ids))

    def filter_computed(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(computed="") if value else queryset.filter(computed="")


class TargetFilterSet(SubtreeFilterMixin, django_filters.FilterSet):
    resolution = django_filters.NumberFilter(field_name="resolution_id", label=_("Resolution (id)"))
    unit = django_filters.NumberFilter(
        method="filter_unit", label=_("Unit (id), with the units under it")
    )
    unit_code = django_filters.CharFilter(
        method="filter_unit_code", label=_("Unit code, with the units under it")
    )
    indicator = django_filters.CharFilter(
        method="filter_indicator", label=_("Indicator (id or code)")
    )
    group = django_filters.ChoiceFilter(
        field_name="indicator__group",
        choices=IndicatorGroup.choices,
        label=_("Group"),
        empty_label=_("All"),
    )
    kind = django_filters.ChoiceFilter(
        choices=TargetKind.choices, label=_("Kind of target"), empty_label=_("All")
    )
    target_year = django_filters.NumberFilter(
        field_name="target_year", label=_("Target year"), widget=YEAR_WIDGET
    )

    class Meta:
        model = Target
        fields: list[str] = []

    def filter_indicator(self, queryset, name, value):
        return queryset.filter(_indicator_q(value)) if value else queryset


class DataValueFilterSet(SubtreeFilterMixin, django_filters.FilterSet):
    indicator = django_filters.CharFilter(
        method="filter_indicator", label=_("Indicator (id or code)")
    )
    unit = django_filters.NumberFilter(
        method="filter_unit", label=_("Unit (id), with the units under it")
    )
    unit_code = django_filters.CharFilter(
        method="filter_unit_code", label=_("Unit code, with the units under it")
    )
    period = django_filters.CharFilter(
        method="filter_period", label=_("Period (2023, 2023Q2, 202304)")
    )
    period_kind = django_filters.ChoiceFilter(
        choices=PeriodKind.choices, label=_("Kind of period"), empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        field_name="period_start", lookup_expr="year", label=_("Year"), widget=YEAR_WIDGET
    )
    start_from = django_filters.DateFilter(
        field_name="period_start", lookup_expr="gte", label=_("Periods starting from")
    )
    start_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label=_("Periods starting up to")
    )
    state = django_filters.MultipleChoiceFilter(
        choices=ValueState.choices, label=_("State"), distinct=False
    )
    group = django_filters.ChoiceFilter(
        field_name="indicator__group",
        choices=IndicatorGroup.choices,
        label=_("Group"),
        empty_label=_("All"),
    )

    class Meta:
        model = DataValue
        fields: list[str] = []

    def filter_indicator(self, queryset, name, value):
        return queryset.filter(_indicator_q(value)) if value else queryset

    def filter_period(self, queryset, name, value):
        value = (value or "").strip().upper()
        if not value:
            return queryset
        codes = [code.strip() for code in value.split(",") if code.strip()]
        return queryset.filter(period__in=codes)
