"""One filterset per model: the pages, the API query parameters and the exports read the same
filters. The queryset passed in is already scoped to what the caller may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.querysets import Action, in_subtree
from grassroots.organizations.models import Unit

from .choices import OVERDUE, STATUS_FILTER_CHOICES, AssignmentStatus, MeetingKind
from .models import Assignment, Liaison, Meeting

YEAR_WIDGET = forms.NumberInput(attrs={"min": 1990, "max": 2100, "inputmode": "numeric"})


class SubtreeFilterMixin:
    """`unit` (an id): rows of that unit and everything under it, when the caller may see the
    unit; nothing otherwise (existence must not leak)."""

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


class MeetingFilterSet(SubtreeFilterMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(
        method="filter_unit",
        label=_("Unit (id), with the units under it"),
        widget=forms.HiddenInput(),
    )
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(field_name="date__year", label=_("Year"), widget=YEAR_WIDGET)
    month = django_filters.NumberFilter(
        field_name="date__month",
        label=_("Month"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 12, "inputmode": "numeric"}),
    )
    signed = django_filters.BooleanFilter(
        field_name="signed_on", lookup_expr="isnull", exclude=True, label=_("Minutes signed")
    )
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Meeting
        fields = ["unit", "kind", "year", "month", "signed", "date_from", "date_to"]


class AssignmentFilterSet(SubtreeFilterMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(
        method="filter_unit",
        label=_("Unit (id), with the units under it"),
        widget=forms.HiddenInput(),
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_FILTER_CHOICES, method="filter_status", label=_("Status")
    )
    member = django_filters.NumberFilter(
        field_name="members", label=_("Member (id)"), widget=forms.HiddenInput()
    )
    meeting = django_filters.NumberFilter(
        field_name="decision__meeting", label=_("Meeting (id)"), widget=forms.HiddenInput()
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label=_("Due by")
    )

    class Meta:
        model = Assignment
        fields = ["unit", "status", "member", "meeting", "due_before"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.overdue(today)
        if value == AssignmentStatus.OPEN:
            return queryset.filter(status=value, due_date__gte=today)
        return queryset.filter(status=value) if value else queryset


class LiaisonFilterSet(SubtreeFilterMixin, django_filters.FilterSet):
    unit = django_filters.NumberFilter(
        method="filter_unit", label=_("Unit (id), with the units under it")
    )
    current = django_filters.BooleanFilter(method="filter_current", label=_("Current"))

    class Meta:
        model = Liaison
        fields = ["unit", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        q = Q(from_date__lte=today) & (Q(to_date__isnull=True) | Q(to_date__gte=today))
        return queryset.filter(q) if value else queryset.exclude(q)
