"""Pages of the committees: a unit's committee tab, and the forms over the committee services.

Access: a unit outside the user's subtrees is a 404; the forms need CHANGE on the committee's
unit, else 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Action
from grassroots.core.views import ServiceFormView
from grassroots.organizations.models import Unit
from grassroots.organizations.views import unit_context, unit_form_trail

from . import services
from .forms import CommitteeEditForm, CommitteeForm, SeatEndForm, SeatForm
from .models import Committee, CommitteeSeat


def committee_page(unit: Unit) -> str:
    return reverse("committees:unit_committee", args=[unit.pk])


@login_required
def unit_committee(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's committees by term, with seats and sizes; a seat ended (by a decision, an
    expulsion, a transfer out…) is listed with its end and no longer counts as held.

    A tab of the unit page (organizations' `unit_context` gives its header, tabs and
    breadcrumbs), not a list of one model: hence no `ScopedListView`."""
    context = unit_context(request, pk, "committee")
    unit = context["unit"]
    seats = CommitteeSeat.objects.select_related("member").order_by("to_date", "position", "id")
    today = timezone.localdate()
    context["committees"] = (
        Committee.objects.filter(unit=unit)
        .select_related("term")
        .annotate(
            held=Count("seats", filter=Q(seats__to_date__isnull=True) | Q(seats__to_date__gt=today))
        )
        .prefetch_related(Prefetch("seats", queryset=seats))
        .order_by("-term__start_year", "kind")
    )
    warning = services.cell_committee_warning(unit)
    context["notices"] = [warning] if warning else []
    return render(request, "committees/unit_committee.html", context)


class _CommitteeFormView(ServiceFormView):
    """The committee forms: on the unit page's trail, back to the committee tab."""

    action = Action.CHANGE
    template_name = "committees/committee_form.html"

    def unit(self) -> Unit:
        return self.permission_unit(self.object)

    def title(self) -> str:
        raise NotImplementedError

    def get_success_url(self, result) -> str:
        return committee_page(self.unit())

    def get_context_data(self, **kwargs):
        unit = self.unit()
        return super().get_context_data(
            unit=unit,
            title=self.title(),
            trail=unit_form_trail(self.request.user, unit),
            cancel_url=committee_page(unit),
            **kwargs,
        )


class CommitteeCreateView(_CommitteeFormView):
    """Record a committee of the unit for a term (the term is created when first needed)."""

    model = Unit
    form_class = CommitteeForm
    success_message = gettext_lazy("The committee was recorded.")

    def title(self) -> str:
        return _("New committee of %(unit)s") % {"unit": self.object}

    def get_form_kwargs(self):
        return {"unit": self.object}

    def call_service(self, form):
        data = form.cleaned_data
        term = services.term_get_or_create(start_year=data["start_year"], end_year=data["end_year"])
        return services.committee_create(
            actor=self.request.user,
            unit=self.object,
            term=term,
            kind=data["kind"],
            elected_size=data["elected_size"],
            approved_next_size=data["approved_next_size"],
            elected_on=data["elected_on"],
        )

    def service_error_mapping(self):
        return {"term": "start_year"}


class _OneCommitteeView(_CommitteeFormView):
    def get_queryset(self):
        return Committee.objects.select_related("unit", "term")


class CommitteeEditView(_OneCommitteeView):
    """Change a committee's sizes or its election date."""

    form_class = CommitteeEditForm
    success_message = gettext_lazy("The changes were saved.")

    def title(self) -> str:
        return str(self.object)

    def get_form(self, data=None, files=None):
        return CommitteeEditForm(data, instance=self.object)

    def call_service(self, form):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.committee_update(actor=self.request.user, committee=self.object, **changed)


class SeatAddView(_OneCommitteeView):
    """Seat a member (by party card or member number) or a named person on the committee."""

    form_class = SeatForm
    success_message = gettext_lazy("The seat was recorded.")

    def title(self) -> str:
        return _("New seat on %(committee)s") % {"committee": self.object}

    def get_form_kwargs(self):
        return {"committee": self.object, "user": self.request.user}

    def call_service(self, form):
        data = form.cleaned_data
        return services.seat_add(
            actor=self.request.user,
            committee=self.object,
            member=data["member_ref"],
            person_name=data["person_name"],
            position=data["position"],
            from_date=data["from_date"],
        )

    def service_error_mapping(self):
        return {"member": "member_ref"}


class SeatEndView(_CommitteeFormView):
    """End a seat on a date; the seat stays in the record."""

    form_class = SeatEndForm
    success_message = gettext_lazy("The seat was ended.")

    def get_queryset(self):
        return CommitteeSeat.objects.select_related("committee__unit", "member")

    def permission_unit(self, obj):
        return obj.committee.unit if obj is not None else None

    def title(self) -> str:
        return _("End the seat of %(person)s") % {"person": self.object.display_name}

    def call_service(self, form):
        return services.seat_end(
            actor=self.request.user, seat=self.object, to_date=form.cleaned_data["to_date"]
        )
