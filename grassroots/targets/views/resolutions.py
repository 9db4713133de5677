"""The resolution list, a resolution's page (its targets as of today, a progress chart each) and
the forms that create, edit and end a resolution."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.views import ScopedListView
from grassroots.organizations.lookups import unit_from_query

from .. import forms as f
from .. import selectors, services
from ..filtersets import ResolutionFilterSet
from ..models import Resolution
from .common import TargetsFormView, default_period, get_resolution, target_rows, targets_trail


class ResolutionListView(ScopedListView):
    """Resolutions of the user's subtrees (of `?unit=` and the units under it), filtered."""

    model = Resolution
    filterset_class = ResolutionFilterSet
    template_name = "targets/resolution_list.html"
    partial_template_name = "targets/_resolution_results.html"
    paginate_by = 50
    context_object_name = "resolutions"

    def get(self, request, *args, **kwargs):
        self.unit = unit_from_query(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit")
            .annotate(target_count=Count("targets"))
            .order_by("-issued_on", "number", "pk")
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit = self.unit
        return super().get_context_data(
            unit=unit,
            filter=kwargs["filterset"],
            trail=targets_trail(self.request.user, unit),
            can_create=unit is not None and unit.is_open and self.access.may(Action.CHANGE, unit),
            **kwargs,
        )


@login_required
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resolution with its targets as of today, and a progress chart per target.

    Hand-written: a read page over one selector (the review of today and its charts), neither
    a form nor a list."""
    resolution = get_resolution(request, pk)
    today = timezone.localdate()
    # One resolver for the review and the charts: the figures are read once.
    resolver = selectors.Resolver()
    review = selectors.resolution_review(resolution=resolution, as_of=today, resolver=resolver)
    context = {
        "resolution": resolution,
        "unit": resolution.unit,
        "trail": targets_trail(request.user, resolution.unit),
        "as_of": today,
        "rows": target_rows(review, with_charts=True, resolver=resolver),
        "can_change": Access.of(request.user).may(Action.CHANGE, resolution.unit),
        "can_end": services.may_end_resolution(request.user, resolution),
        "default_period": default_period().code,
    }
    return render(request, "targets/resolution_detail.html", context)


class ResolutionCreateView(TargetsFormView):
    """A new resolution of the unit of `?unit=` (a writing role on it)."""

    form_class = f.ResolutionForm

    def get_object(self):
        self.unit = unit_from_query(self.request, required=True)
        return None

    def permission_unit(self, obj):
        return self.unit

    def get_title(self) -> str:
        return _("New resolution of %(unit)s") % {"unit": self.unit.name}

    def call_service(self, form) -> Resolution:
        return services.resolution_create(
            actor=self.request.user, unit=self.unit, **form.service_kwargs()
        )

    def get_success_message(self, result: Resolution) -> str:
        return _("Resolution %(number)s is recorded.") % {"number": result.number}

    def get_success_url(self, result: Resolution) -> str:
        return reverse("targets:resolution_detail", args=[result.pk])


RESOLUTION_FIELDS = ("number", "issued_on", "title", "kind", "term", "start_year", "end_year")


class ResolutionEditView(TargetsFormView):
    """Change a resolution's facts: only the fields changed reach the service."""

    model = Resolution
    form_class = f.ResolutionForm
    success_message = gettext_lazy("The resolution is saved.")

    def get_queryset(self):
        return Resolution.objects.select_related("unit", "term", "replaced_by")

    def get_resolution(self) -> Resolution:
        return self.object

    def get_title(self) -> str:
        return _("Edit resolution %(number)s") % {"number": self.object.number}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in RESOLUTION_FIELDS}

    def call_service(self, form) -> Resolution:
        changed = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
        }
        if not changed:
            return self.object
        return services.resolution_update(
            actor=self.request.user, resolution=self.object, **changed
        )

    def get_success_url(self, result: Resolution) -> str:
        return reverse("targets:resolution_detail", args=[result.pk])


class ResolutionEndView(TargetsFormView):
    """Record the decision that ended a resolution or replaced it (managers of its unit)."""

    model = Resolution
    action = Action.MANAGE
    form_class = f.ResolutionEndForm
    submit_label = gettext_lazy("Record the end")
    intro = gettext_lazy(
        "Record the decision that ended the resolution or replaced it. "
        "Its targets and figures are kept."
    )
    danger = True
    success_message = gettext_lazy("The resolution is recorded as no longer in force.")

    def get_queryset(self):
        return Resolution.objects.select_related("unit", "term", "replaced_by")

    def check_access(self) -> None:
        # The service's own question, so that the page and the API cannot disagree.
        if not services.may_end_resolution(self.request.user, self.object):
            raise PermissionDenied

    def get_resolution(self) -> Resolution:
        return self.object

    def get_title(self) -> str:
        return _("End or replace resolution %(number)s") % {"number": self.object.number}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"resolution": self.object, "user": self.request.user}

    def call_service(self, form) -> Resolution:
        return services.resolution_end(
            actor=self.request.user, resolution=self.object, **form.service_kwargs()
        )

    def get_success_url(self, result: Resolution) -> str:
        return reverse("targets:resolution_detail", args=[result.pk])
