"""One filterset per model: the same filters serve the pages and the API query parameters."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import DateInput
from grassroots.core.text import fold

from .choices import ReorganizationKind, UnitKind
from .models import Reorganization, Unit
from .querysets import valid_on_q


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_q")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    parent = django_filters.NumberFilter(label=_("Parent unit (id)"), field_name="parent_id")
    code = django_filters.CharFilter(label=_("Code"), field_name="code", lookup_expr="iexact")
    as_of = django_filters.DateFilter(
        label=_("Existing on"), method="filter_as_of", widget=DateInput()
    )
    open = django_filters.BooleanFilter(
        label=_("Open"), field_name="valid_to", lookup_expr="isnull"
    )

    class Meta:
        model = Unit
        fields = ["q", "kind", "parent", "code", "as_of", "open"]

    def filter_q(self, queryset, name, value):
        """Every word of the name with or without diacritics, or the start of the code."""
        folded = fold(value)
        if not folded:
            return queryset
        words = Q()
        for word in folded.split():
            words &= Q(name_folded__contains=word)
        return queryset.filter(words | Q(code__istartswith=value.strip()))

    def filter_as_of(self, queryset, name, value):
        return queryset.filter(valid_on_q(value)) if value else queryset


class ReorganizationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReorganizationKind.choices)
    unit = django_filters.NumberFilter(label=_("Unit (id)"), method="filter_unit")
    effective_from = django_filters.DateFilter(
        field_name="effective_date", lookup_expr="gte", label=_("From")
    )
    effective_to = django_filters.DateFilter(
        field_name="effective_date", lookup_expr="lte", label=_("To")
    )

    class Meta:
        model = Reorganization
        fields = ["kind", "unit", "effective_from", "effective_to"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(
            Q(unit_id=value) | Q(lineage__predecessor_id=value) | Q(lineage__successor_id=value)
        ).distinct()
