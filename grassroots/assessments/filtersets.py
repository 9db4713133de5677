"""One filterset per model: the same filters serve the pages and the API query parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from grassroots.core.querysets import in_subtree

from .choices import Status
from .models import Framework, MonthlyAssessment, Registration


class _UnitSubtreeFilter(django_filters.NumberFilter):
    """`?unit=<id>`: the rows of that unit and the units under it."""

    def __init__(self, *args, path_field: str, **kwargs):
        self.path_field = path_field
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        from grassroots.organizations.models import Unit

        unit = Unit.objects.filter(pk=value).only("path").first()
        if unit is None:
            return qs.none()
        return qs.filter(in_subtree(self.path_field, unit))


class FrameworkFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label=_("Code"))
    published = django_filters.BooleanFilter(
        field_name="published_on", lookup_expr="isnull", exclude=True, label=_("Published")
    )

    class Meta:
        model = Framework
        fields = ["code", "published"]


class RegistrationFilterSet(django_filters.FilterSet):
    unit = _UnitSubtreeFilter(path_field="unit__path", label=_("Unit (id) and the units under it"))
    year = django_filters.NumberFilter(label=_("Year"))
    framework = django_filters.NumberFilter(field_name="framework_id", label=_("Framework (id)"))

    class Meta:
        model = Registration
        fields = ["unit", "year", "framework"]


class MonthlyAssessmentFilterSet(django_filters.FilterSet):
    unit = _UnitSubtreeFilter(
        path_field="registration__unit__path", label=_("Unit (id) and the units under it")
    )
    year = django_filters.NumberFilter(field_name="registration__year", label=_("Year"))
    month = django_filters.NumberFilter(label=_("Month"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"))
    registration = django_filters.NumberFilter(
        field_name="registration_id", label=_("Registration (id)")
    )

    class Meta:
        model = MonthlyAssessment
        fields = ["unit", "year", "month", "status", "registration"]
