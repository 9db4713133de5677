"""One filterset per model: the same filters serve the pages and the API query parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import CommitteeKind
from .models import Committee, CommitteeSeat


class CommitteeFilterSet(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("Unit (id)"))
    kind = django_filters.ChoiceFilter(choices=CommitteeKind.choices, label=_("Committee"))
    term = django_filters.CharFilter(field_name="term__name", label=_("Term"))

    class Meta:
        model = Committee
        fields = ["unit", "kind", "term"]


class CommitteeSeatFilterSet(django_filters.FilterSet):
    committee = django_filters.NumberFilter(field_name="committee_id", label=_("Committee (id)"))
    current = django_filters.BooleanFilter(
        field_name="to_date", lookup_expr="isnull", label=_("Current")
    )

    class Meta:
        model = CommitteeSeat
        fields = ["committee", "current"]
