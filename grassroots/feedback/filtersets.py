"""One filterset for feedback: the list page, the API query parameters and the XLSX export read
the same filters. The queryset passed in is already scoped to what the caller may see."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import DateInput
from grassroots.core.querysets import Action, in_subtree
from grassroots.organizations.models import Unit

from .choices import OPEN_STATUSES, Category, Channel, Status
from .models import normalize_code

YES_NO = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class FeedbackFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Tracking code or subject"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    unit = django_filters.NumberFilter(
        method="filter_unit",
        label=_("Unit (id), with the units under it"),
        widget=forms.HiddenInput(),
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices, label=_("Status"), empty_label=_("All")
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label=_("Category"), empty_label=_("All")
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Received through"), empty_label=_("All")
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        widget=forms.Select(choices=YES_NO),
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label=_("Assigned to me"),
        widget=forms.Select(choices=YES_NO),
    )
    received_from = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received from"), widget=DateInput()
    )
    received_to = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("Received to"), widget=DateInput()
    )

    class Meta:
        from .models import Feedback

        model = Feedback
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        code = normalize_code(value)
        match = Q(subject__icontains=value)
        if len(code) >= 5:
            match |= Q(code__startswith=code)
        return queryset.filter(match)

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
        return queryset.filter(
            in_subtree("unit__path", path) | in_subtree("origin_unit__path", path)
        )

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_mine(self, queryset, name, value):
        user = getattr(getattr(self, "request", None), "user", None)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(assigned_to=user) if value else queryset.exclude(assigned_to=user)
