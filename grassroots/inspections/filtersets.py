"""One filterset per model: the pages, the API query parameters and the exports read the same
filters. The queryset passed in is already scoped to what the caller may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from grassroots.core.querysets import Action, in_subtree
from grassroots.organizations.models import Unit

from .choices import Body, Form, Kind, OrganizationDisciplineLevel
from .models import Inspection, InspectionPlan, OrganizationDiscipline, PlanItem


class _SubtreeMixin:
    """`unit` (an id): rows of that unit's subtree, when the caller may see the unit; nothing
    otherwise (its existence must not leak)."""

    unit_path_field = "unit__path"

    def filter_unit(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        units = Unit.objects.filter(pk=value)
        user = getattr(getattr(self, "request", None), "user", None)
        if user is not None:
            units = units.visible_to(user, Action.VIEW)
        path = units.values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(in_subtree(self.unit_path_field, path))


class InspectionFilterSet(_SubtreeMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (id)"))
    year = django_filters.NumberFilter(field_name="start_date__year", label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))
    form = django_filters.ChoiceFilter(choices=Form.choices, label=_("Form"))
    body = django_filters.ChoiceFilter(choices=Body.choices, label=_("Body"))
    planned = django_filters.BooleanFilter(
        field_name="plan_item", lookup_expr="isnull", exclude=True, label=_("Under a plan")
    )
    concluded = django_filters.BooleanFilter(
        field_name="concluded_on", lookup_expr="isnull", exclude=True, label=_("Concluded")
    )
    plan_item = django_filters.NumberFilter(field_name="plan_item_id", label=_("Plan item (id)"))

    class Meta:
        model = Inspection
        fields = ["unit", "year", "kind", "form", "body", "planned", "concluded", "plan_item"]


class PlanFilterSet(_SubtreeMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (id)"))
    year = django_filters.NumberFilter(label=_("Year"))
    body = django_filters.ChoiceFilter(choices=Body.choices, label=_("Adopted by"))

    class Meta:
        model = InspectionPlan
        fields = ["unit", "year", "body"]


class PlanItemFilterSet(_SubtreeMixin, django_filters.FilterSet):
    unit_path_field = "plan__unit__path"
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (id)"))
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("Plan (id)"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Kind"))

    class Meta:
        model = PlanItem
        fields = ["unit", "plan", "kind"]


class OrganizationDisciplineFilterSet(_SubtreeMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(method="filter_unit", label=_("Unit (id)"))
    level = django_filters.ChoiceFilter(
        choices=OrganizationDisciplineLevel.choices, label=_("Discipline")
    )
    decided_from = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="gte", label=_("Decided from")
    )
    decided_to = django_filters.DateFilter(
        field_name="decided_on", lookup_expr="lte", label=_("Decided to")
    )

    class Meta:
        model = OrganizationDiscipline
        fields = ["unit", "level", "decided_from", "decided_to"]
