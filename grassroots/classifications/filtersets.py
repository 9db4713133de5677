"""One filterset per model: the same filters serve the pages and the API query parameters."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from grassroots.organizations.models import Unit

from .choices import Level, Subject
from .models import Classification, Review


def _subtree(queryset, name, value):
    unit = Unit.objects.filter(pk=value).only("path").first()
    if unit is None:
        return queryset.none()
    return queryset.filter(**{f"{name}__startswith": unit.path})


class ReviewFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("Unit (id)"))
    under = django_filters.NumberFilter(
        field_name="unit__path", method=_subtree, label=_("Under the unit (id)")
    )

    class Meta:
        model = Review
        fields = ["year", "unit", "under"]


class ClassificationFilterSet(django_filters.FilterSet):
    review = django_filters.NumberFilter(field_name="review_id", label=_("Review (id)"))
    year = django_filters.NumberFilter(label=_("Year"))
    subject = django_filters.ChoiceFilter(choices=Subject.choices, label=_("Subject"))
    unit = django_filters.NumberFilter(field_name="unit_id", label=_("Unit (id)"))
    under = django_filters.NumberFilter(
        field_name="unit__path", method=_subtree, label=_("Under the unit (id)")
    )
    member = django_filters.NumberFilter(field_name="member_id", label=_("Member (id)"))
    decided_level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Decision"))
    flagged = django_filters.BooleanFilter(label=_("Did not complete two years running"))

    class Meta:
        model = Classification
        fields = [
            "review",
            "year",
            "subject",
            "unit",
            "under",
            "member",
            "decided_level",
            "flagged",
        ]
