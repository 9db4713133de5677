"""Pages of the inspections: plans and their items, the inspections and supervisions carried
out, their conclusions and the discipline decided, the execution board and the exports.

Access: rows come through `visible_to` (404 outside the user's subtrees); the forms need CHANGE
on the unit that carries out the inspection (or adopts the plan), else 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.views import (
    Crumb,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
    vary_on_htmx,
)
from grassroots.organizations.lookups import unit_from_query
from grassroots.organizations.models import Unit
from grassroots.organizations.views import unit_form_trail

from . import forms as f
from . import services
from .filtersets import InspectionFilterSet, PlanFilterSet
from .models import InspectedMember, InspectedUnit, Inspection, InspectionPlan, PlanItem
from .selectors import inspection_execution
from .xlsx import XLSX_TYPE, execution_workbook, inspections_workbook


def _with_unit(name: str, unit: Unit | None) -> str:
    url = reverse(name)
    return f"{url}?unit={unit.pk}" if unit is not None else url


def _trail(user, unit: Unit | None, *tail: Crumb) -> list[Crumb]:
    trail = [Crumb(_("Inspection and supervision"), reverse("inspections:inspection_list"))]
    if unit is not None:
        trail += [
            Crumb(u.name, _with_unit("inspections:inspection_list", u))
            for u in Access.of(user).crumbs(unit, include_self=True)
        ]
    return trail + list(tail)


def inspection_rows():
    """Inspections with what their list, detail and export show, in a fixed number of
    queries."""
    return Inspection.objects.select_related("unit", "plan_item__plan").prefetch_related(
        Prefetch("subject_units", queryset=InspectedUnit.objects.select_related("unit")),
        Prefetch("subject_members", queryset=InspectedMember.objects.select_related("member")),
    )


# --- lists -----------------------------------------------------------------------------------


class InspectionListView(ScopedListView):
    """Inspections and supervisions of the user's subtrees (of `?unit=`'s subtree), filtered."""

    model = Inspection
    filterset_class = InspectionFilterSet
    template_name = "inspections/inspection_list.html"
    partial_template_name = "inspections/_inspection_results.html"
    context_object_name = "inspections"
    paginate_by = 30

    def get_queryset(self):
        self.unit = unit_from_query(self.request)
        return (
            super()
            .get_queryset()
            .select_related("unit", "plan_item")
            .annotate(
                n_units=Count("subject_units", distinct=True),
                n_members=Count("subject_members", distinct=True),
            )
            .order_by("-start_date", "-id")
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit = self.unit
        return super().get_context_data(
            unit=unit,
            trail=_trail(self.request.user, unit),
            can_create=unit is not None and self.access.may(Action.CHANGE, unit),
            export_query=self.request.GET.urlencode(),
            **kwargs,
        )


class PlanListView(ScopedListView):
    """Plans of the user's subtrees (of `?unit=`'s subtree), newest year first."""

    model = InspectionPlan
    filterset_class = PlanFilterSet
    template_name = "inspections/plan_list.html"
    partial_template_name = "inspections/_plan_results.html"
    context_object_name = "plans"

    def get_queryset(self):
        self.unit = unit_from_query(self.request)
        return (
            super()
            .get_queryset()
            .select_related("unit")
            .annotate(n_items=Count("items"), planned=Sum("items__planned_count"))
            .order_by("-year", "unit__path", "body")
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit = self.unit
        return super().get_context_data(
            unit=unit,
            trail=_trail(self.request.user, unit, Crumb(_("Plans"))),
            can_create=unit is not None and self.access.may(Action.CHANGE, unit),
            **kwargs,
        )


@login_required
def inspection_export(request: HttpRequest) -> HttpResponse:
    """The inspection list as filtered, as an XLSX (a file, not a page: no generic view). A
    `?unit=` the user cannot see is a 404, as on the list."""
    unit_from_query(request)
    rows = inspection_rows().visible_to(request.user).order_by("-start_date", "-id")
    filterset = InspectionFilterSet(request.GET or None, queryset=rows, request=request)
    if filterset.is_bound:
        rows = filterset.qs
    response = HttpResponse(inspections_workbook(rows[:20000]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="inspections.xlsx"'
    return response


# --- details ---------------------------------------------------------------------------------


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One inspection: its facts, each subject with its conclusion and the discipline decided,
    and the actions open for its state (a detail page, neither a form nor a list)."""
    inspection = get_visible_or_404(
        Inspection.objects.select_related("unit", "plan_item__plan").prefetch_related(
            Prefetch(
                "subject_units",
                queryset=InspectedUnit.objects.select_related("unit", "discipline"),
            ),
            Prefetch(
                "subject_members",
                queryset=InspectedMember.objects.select_related("member", "discipline_event"),
            ),
        ),
        request.user,
        pk=pk,
    )
    can_change = Access.of(request.user).may(Action.CHANGE, inspection.unit)
    decided = any(hasattr(s, "discipline") for s in inspection.subject_units.all()) or any(
        s.discipline_event_id for s in inspection.subject_members.all()
    )
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "can_change": can_change,
            "can_edit": can_change and not decided,
            "trail": _trail(request.user, inspection.unit),
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A plan with each item's planned number, what was carried out under it and its rate (a
    detail page, neither a form nor a list)."""
    plan = get_visible_or_404(InspectionPlan.objects.select_related("unit"), request.user, pk=pk)
    items = plan.items.annotate(done=Count("inspections")).order_by("period_start", "id")
    from .selectors import rate

    rows = [(item, rate(item.done, item.planned_count)) for item in items]
    planned = sum(i.planned_count for i, _r in rows)
    done = sum(i.done for i, _r in rows)
    return render(
        request,
        "inspections/plan_detail.html",
        {
            "plan": plan,
            "rows": rows,
            "planned": planned,
            "done": done,
            "rate": rate(done, planned),
            "can_change": Access.of(request.user).may(Action.CHANGE, plan.unit),
            "trail": _trail(
                request.user,
                plan.unit,
                Crumb(_("Plans"), _with_unit("inspections:plan_list", plan.unit)),
            ),
        },
    )


# --- the execution board ---------------------------------------------------------------------


def _execution(request: HttpRequest):
    unit = unit_from_query(request)
    form = f.ExecutionForm(request.GET or None)
    start, end = form.window()
    return form, inspection_execution(user=request.user, start=start, end=end, unit=unit)


@login_required
def execution(request: HttpRequest) -> HttpResponse:
    """Execution of the plans over a period, per kind and level, computed from the records (a
    board of figures, not a list of rows)."""
    form, figures = _execution(request)
    return vary_on_htmx(
        render(
            request,
            "inspections/execution.html",
            {
                "form": form,
                "execution": figures,
                "unit": figures.unit,
                "query": request.GET.urlencode(),
                "trail": _trail(request.user, figures.unit, Crumb(_("Execution"))),
            },
        )
    )


@login_required
def execution_export(request: HttpRequest) -> HttpResponse:
    """The execution board as an XLSX."""
    _form, figures = _execution(request)
    response = HttpResponse(execution_workbook(figures), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="execution-{figures.start:%Y%m%d}-{figures.end:%Y%m%d}.xlsx"'
    )
    return response


# --- forms -----------------------------------------------------------------------------------


class _FormView(ServiceFormView):
    template_name = "inspections/form_page.html"
    action = Action.CHANGE

    def unit(self) -> Unit:
        return self.permission_unit(self.object)

    def title(self) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        return _with_unit("inspections:inspection_list", self.unit())

    def get_context_data(self, **kwargs):
        unit = self.unit()
        return super().get_context_data(
            unit=unit,
            title=self.title(),
            trail=unit_form_trail(self.request.user, unit),
            cancel_url=self.cancel_url(),
            **kwargs,
        )


class _UnitFormView(_FormView):
    """A form about the unit of `?unit=`."""

    def get_object(self):
        return unit_from_query(self.request, required=True)

    def get_form_kwargs(self):
        return {"unit": self.object}


class PlanCreateView(_UnitFormView):
    """Record the yearly plan of the unit's committee, standing committee or commission."""

    form_class = f.PlanForm
    success_message = gettext_lazy("The plan was recorded: add its items.")

    def title(self) -> str:
        return _("New inspection and supervision plan of %(unit)s") % {"unit": self.object}

    def cancel_url(self) -> str:
        return _with_unit("inspections:plan_list", self.object)

    def call_service(self, form):
        return services.plan_create(actor=self.request.user, unit=self.object, **form.cleaned_data)

    def get_success_url(self, result) -> str:
        return reverse("inspections:plan_detail", args=[result.pk])


class PlanItemAddView(_FormView):
    """Add a line to a plan."""

    form_class = f.PlanItemForm
    success_message = gettext_lazy("The plan item was added.")

    def get_queryset(self):
        return InspectionPlan.objects.select_related("unit")

    def title(self) -> str:
        return _("New item of %(plan)s") % {"plan": self.object}

    def cancel_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.object.pk])

    def call_service(self, form):
        return services.plan_item_add(
            actor=self.request.user, plan=self.object, **form.cleaned_data
        )

    def get_success_url(self, result) -> str:
        return self.cancel_url()


class PlanUpdateView(_FormView):
    """Correct a plan: its title and adoption date; its body and year while it has no items."""

    form_class = f.PlanForm
    success_message = gettext_lazy("The plan was saved.")

    def get_queryset(self):
        return InspectionPlan.objects.select_related("unit")

    def get_form_kwargs(self):
        return {"unit": self.object.unit}

    def get_initial(self):
        plan = self.object
        return {
            "body": plan.body,
            "year": plan.year,
            "title": plan.title,
            "adopted_on": plan.adopted_on,
        }

    def title(self) -> str:
        return _("Edit %(plan)s") % {"plan": self.object}

    def cancel_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.object.pk])

    def call_service(self, form):
        return services.plan_update(actor=self.request.user, plan=self.object, **form.cleaned_data)

    def get_success_url(self, result) -> str:
        return self.cancel_url()


class PlanItemUpdateView(_FormView):
    """Correct a line of a plan, within what was already carried out under it."""

    form_class = f.PlanItemForm
    success_message = gettext_lazy("The plan item was saved.")

    def get_queryset(self):
        return PlanItem.objects.select_related("plan__unit")

    def permission_unit(self, obj):
        return obj.plan.unit if obj is not None else None

    def get_initial(self):
        item = self.object
        return {
            "kind": item.kind,
            "form": item.form,
            "subjects": item.subjects,
            "planned_count": item.planned_count,
            "period_start": item.period_start,
            "period_end": item.period_end,
            "content": item.content,
        }

    def title(self) -> str:
        return _("Edit the item of %(plan)s") % {"plan": self.object.plan}

    def cancel_url(self) -> str:
        return reverse("inspections:plan_detail", args=[self.object.plan_id])

    def call_service(self, form):
        return services.plan_item_update(
            actor=self.request.user, item=self.object, **form.cleaned_data
        )

    def get_success_url(self, result) -> str:
        return self.cancel_url()


class InspectionCreateView(_UnitFormView):
    """Record an inspection or supervision carried out by the unit of `?unit=`."""

    form_class = f.InspectionForm
    success_message = gettext_lazy("The inspection was recorded.")

    def title(self) -> str:
        return _("New inspection or supervision by %(unit)s") % {"unit": self.object}

    def get_form_kwargs(self):
        return {"unit": self.object, "user": self.request.user}

    def get_initial(self):
        item = self.request.GET.get("plan_item")
        return {"plan_item": item} if item and item.isdigit() else {}

    def call_service(self, form):
        return services.inspection_record(
            actor=self.request.user, unit=self.object, **form.service_kwargs()
        )

    def service_error_mapping(self):
        return {"members": "member_refs"}

    def get_success_url(self, result) -> str:
        return reverse("inspections:inspection_detail", args=[result.pk])


class _InspectionFormView(_FormView):
    def inspection(self) -> Inspection:
        return self.object

    def unit(self) -> Unit:
        return self.inspection().unit

    def permission_unit(self, obj):
        return obj.inspection.unit if obj is not None and hasattr(obj, "inspection") else obj.unit

    def cancel_url(self) -> str:
        return reverse("inspections:inspection_detail", args=[self.inspection().pk])

    def get_success_url(self, result) -> str:
        return self.cancel_url()


class InspectionUpdateView(_InspectionFormView):
    """Correct an inspection or supervision; refused once discipline was decided on it."""

    form_class = f.InspectionForm
    success_message = gettext_lazy("The inspection was saved.")

    def get_queryset(self):
        return Inspection.objects.select_related("unit").prefetch_related(
            Prefetch("subject_units", queryset=InspectedUnit.objects.select_related("unit")),
            Prefetch("subject_members", queryset=InspectedMember.objects.select_related("member")),
        )

    def refuse(self):
        decided = services.decided_subjects(self.object)
        if decided:
            messages.error(
                self.request,
                _(
                    "Discipline was already decided on this inspection's conclusions "
                    "(%(names)s): the inspection is kept as it was when the decision was taken."
                )
                % {"names": ", ".join(str(s) for s in decided)},
            )
            return redirect(self.cancel_url())
        return None

    def get_form_kwargs(self):
        return {"unit": self.object.unit, "user": self.request.user}

    def get_initial(self):
        return f.inspection_initial(self.object)

    def title(self) -> str:
        return _("Edit: %(inspection)s") % {"inspection": self.object}

    def call_service(self, form):
        return services.inspection_update(
            actor=self.request.user, inspection=self.object, **form.service_kwargs()
        )

    def service_error_mapping(self):
        return {"members": "member_refs"}


class InspectionConcludeView(_InspectionFormView):
    """Conclude the inspection once each subject has its conclusion."""

    form_class = f.InspectionConcludeForm
    success_message = gettext_lazy("The inspection was concluded.")

    def get_queryset(self):
        return Inspection.objects.select_related("unit")

    def get_initial(self):
        return {"concluded_on": self.object.end_date, "findings": self.object.findings}

    def title(self) -> str:
        return _("Conclude: %(inspection)s") % {"inspection": self.object}

    def call_service(self, form):
        return services.inspection_conclude(
            actor=self.request.user, inspection=self.object, **form.cleaned_data
        )


class _SubjectFormView(_InspectionFormView):
    subject_model: type = InspectedUnit

    def get_queryset(self):
        return self.subject_model.objects.select_related("inspection__unit")

    def inspection(self) -> Inspection:
        return self.object.inspection

    def get_form_kwargs(self):
        return {"subject": self.object}


class UnitConclusionView(_SubjectFormView):
    """State the conclusion about an organization inspected."""

    form_class = f.SubjectConclusionForm
    success_message = gettext_lazy("The conclusion was saved.")

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def get_initial(self):
        s = self.object
        return {
            "conclusion": s.conclusion,
            "gravity": s.gravity,
            "proposed_discipline": s.proposed_discipline,
        }

    def title(self) -> str:
        return _("Conclusion about %(subject)s") % {"subject": self.object}

    def call_service(self, form):
        return services.subject_conclude(
            actor=self.request.user, subject=self.object, **form.cleaned_data
        )


class MemberConclusionView(UnitConclusionView):
    """State the conclusion about a member inspected."""

    subject_model = InspectedMember

    def get_queryset(self):
        return InspectedMember.objects.select_related("inspection__unit", "member")


class OrganizationDisciplineView(_SubjectFormView):
    """Record the discipline the competent body decided for an organization."""

    form_class = f.OrganizationDisciplineForm
    success_message = gettext_lazy("The discipline was recorded.")

    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def title(self) -> str:
        return _("Discipline of %(unit)s") % {"unit": self.object.unit}

    def call_service(self, form):
        return services.organization_discipline_decide(
            actor=self.request.user, subject=self.object, **form.cleaned_data
        )


class MemberDisciplineView(_SubjectFormView):
    """Record the discipline the competent body decided for a member: written into the
    member's record by the member services."""

    form_class = f.MemberDisciplineForm
    subject_model = InspectedMember
    success_message = gettext_lazy("The discipline was recorded in the member's record.")

    def get_queryset(self):
        return InspectedMember.objects.select_related("inspection__unit", "member")

    def title(self) -> str:
        return _("Discipline of %(member)s") % {"member": self.object.member}

    def call_service(self, form):
        return services.member_discipline_decide(
            actor=self.request.user, subject=self.object, **form.cleaned_data
        )

    def service_error_mapping(self):
        return {"member": "__all__"}
