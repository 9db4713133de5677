"""One filterset per model: the member list page, its exports and the API read the same filters."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.querysets import Action, in_subtree
from grassroots.organizations.models import Unit

from .choices import (
    ACTIVE_STATUSES,
    AGE_BANDS,
    ETHNICITY_CHOICES,
    Gender,
    MemberStatus,
    Religion,
    TheoryLevel,
)
from .models import Member

ACTIVE = "active"


def with_list_defaults(params):
    """The member list page's filters: `params` with the current members (probationary and
    official) as the default status, so that a unit's list shows the people its page counts;
    those who left are one choice of the status away (an empty status shows everyone). The API
    keeps no default."""
    params = params.copy()
    if "status" not in params:
        params["status"] = ACTIVE
    return params


class MemberFilterSet(django_filters.FilterSet):
    """Filters over members the caller may already see (the queryset passed in is scoped)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Name or party card number"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = django_filters.NumberFilter(
        method="filter_unit", label=_("Unit"), widget=forms.HiddenInput()
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        label=_("Status"),
        choices=[(ACTIVE, _("Active (probationary or official)")), *MemberStatus.choices],
        empty_label=_("All"),
    )
    gender = django_filters.ChoiceFilter(
        choices=Gender.choices, label=_("Gender"), empty_label=_("All")
    )
    ethnicity = django_filters.ChoiceFilter(
        choices=ETHNICITY_CHOICES, label=_("Ethnicity"), empty_label=_("All")
    )
    religion = django_filters.ChoiceFilter(
        choices=Religion.choices, label=_("Religion"), empty_label=_("All")
    )
    theory_level = django_filters.ChoiceFilter(
        choices=TheoryLevel.choices, label=_("Political theory"), empty_label=_("All")
    )
    age_band = django_filters.ChoiceFilter(
        method="filter_age_band",
        label=_("Age"),
        choices=[(key, label) for key, label, _lo, _hi in AGE_BANDS],
        empty_label=_("All"),
    )
    admitted_from = django_filters.NumberFilter(
        field_name="admission_decision_date",
        lookup_expr="year__gte",
        label=_("Admitted from year"),
        widget=forms.NumberInput(attrs={"min": 1930, "max": 2100, "inputmode": "numeric"}),
    )
    admitted_to = django_filters.NumberFilter(
        field_name="admission_decision_date",
        lookup_expr="year__lte",
        label=_("Admitted up to year"),
        widget=forms.NumberInput(attrs={"min": 1930, "max": 2100, "inputmode": "numeric"}),
    )
    in_transit = django_filters.BooleanFilter(
        method="filter_in_transit",
        label=_("In transit"),
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )

    class Meta:
        model = Member
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return queryset.search(value) if value else queryset

    def filter_unit(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        units = Unit.objects.filter(pk=value)
        user = getattr(self.request, "user", None)
        if user is not None:
            units = units.visible_to(user, Action.VIEW)
        path = units.values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(in_subtree("unit__path", path))

    def filter_status(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.filter(status__in=ACTIVE_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def filter_age_band(self, queryset, name, value):
        from .selectors import age_band_q

        return queryset.filter(age_band_q(value, timezone.localdate())) if value else queryset

    def filter_in_transit(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(transit_to__isnull=not value)
