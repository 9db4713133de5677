"""Pages of the "4 good" model: frameworks and their builder, registrations, the monthly form,
the review queue of the level above, and the boards of a commune or a province.

Access: an object outside the user's subtrees is a 404. Filling a month needs CHANGE on the
unit; reviewing it (accept, return, reopen) needs CHANGE on the level above (the unit's parent),
else 403. A framework is built by whoever may change its issuing unit and read by the units
below it.
"""

from __future__ import annotations

import datetime as dt

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.spreadsheets import FileError, check_upload
from grassroots.core.views import (
    Crumb,
    ScopedListView,
    ServiceFormView,
    get_visible_or_404,
    paginate,
    query_without_page,
)
from grassroots.organizations.models import Unit
from grassroots.organizations.views import unit_context, unit_form_trail

from . import selectors, services, spreadsheet
from .choices import EDITABLE_STATUSES, Status
from .filtersets import FrameworkFilterSet, RegistrationFilterSet
from .forms import (
    BandForm,
    CriterionForm,
    EvidenceForm,
    FrameworkEditForm,
    FrameworkForm,
    GroupForm,
    ImportForm,
    MonthForm,
    OwnCriterionForm,
    ReasonForm,
    RegistrationForm,
)
from .models import (
    Band,
    Criterion,
    CriterionGroup,
    Evidence,
    Framework,
    MonthlyAssessment,
    Registration,
)
from .suggestions import suggested_points


def _home() -> Crumb:
    return Crumb(_('"4 good" model'), reverse("assessments:registration_list"))


def framework_url(framework: Framework) -> str:
    return reverse("assessments:framework_detail", args=[framework.pk])


def registration_url(registration: Registration) -> str:
    return reverse("assessments:registration_detail", args=[registration.pk])


def month_url(assessment: MonthlyAssessment) -> str:
    return reverse("assessments:month_detail", args=[assessment.pk])


def _trail(*tail: Crumb) -> list[Crumb]:
    return [_home(), *tail]


# --- frameworks ---------------------------------------------------------------------------------


class FrameworkListView(ScopedListView):
    """The frameworks the user may read: those issued in their subtrees and above them."""

    model = Framework
    filterset_class = FrameworkFilterSet
    template_name = "assessments/framework_list.html"
    context_object_name = "frameworks"

    def get_queryset(self):
        return super().get_queryset().select_related("issuing_unit").order_by("code", "-version")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            trail=_trail(Crumb(_("Frameworks"))),
            can_create=self.access.has_any_change_role,
            **kwargs,
        )


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The framework's groups, criteria and bands; for organization-board staff, the builder
    (while no unit registered under it) or the way to a new version. Not a form over one
    service: it offers several."""
    framework = get_visible_or_404(
        Framework.objects.select_related("issuing_unit", "previous"), request.user, pk=pk
    )
    in_use = services.framework_in_use(framework)
    may_change = Access.of(request.user).may(Action.CHANGE, framework.issuing_unit)
    groups = list(framework.groups.prefetch_related("criteria").order_by("order", "id"))
    for group in groups:
        group.framework_criteria = [c for c in group.criteria.all() if c.registration_id is None]
        group.used = sum(c.max_points for c in group.framework_criteria)
    return render(
        request,
        "assessments/framework_detail.html",
        {
            "framework": framework,
            "groups": groups,
            "bands": list(framework.bands.all()),
            "total": sum(g.max_points for g in groups),
            "in_use": in_use,
            "may_build": may_change and not in_use and not framework.is_published,
            "draft_after": services.framework_draft_after(framework) if may_change else None,
            "may_change": may_change,
            "problems": services.framework_problems(framework) if may_change else [],
            "registrations": framework.registrations.count(),
            "versions": Framework.objects.visible_to(request.user)
            .filter(code=framework.code)
            .order_by("-version"),
            "trail": _trail(
                Crumb(_("Frameworks"), reverse("assessments:framework_list")),
                Crumb(str(framework)),
            ),
        },
    )


class _FrameworkFormView(ServiceFormView):
    """The builder's forms: on the framework's trail, back to its page."""

    template_name = "assessments/form_page.html"
    title_text = ""

    def framework(self) -> Framework:
        return self.object

    def permission_unit(self, obj):
        return self.framework().issuing_unit if obj is not None else None

    def check_access(self) -> None:
        # The framework was found through visible_to (404 otherwise); the units below its
        # issuing unit read it but may not change it.
        if not self.access.may(self.action, self.permission_unit(self.object)):
            raise PermissionDenied(_("Only the issuing unit's staff change its frameworks."))

    def get_success_url(self, result) -> str:
        return framework_url(self.framework())

    def get_context_data(self, **kwargs):
        framework = self.framework()
        return super().get_context_data(
            title=self.title_text or str(framework),
            subtitle=str(framework),
            trail=_trail(
                Crumb(_("Frameworks"), reverse("assessments:framework_list")),
                Crumb(str(framework), framework_url(framework)),
            ),
            cancel_url=framework_url(framework),
            **kwargs,
        )


class FrameworkCreateView(ServiceFormView):
    """Start a framework issued by a unit (an organization board's province or commune)."""

    model = Unit
    form_class = FrameworkForm
    template_name = "assessments/form_page.html"
    success_message = gettext_lazy("The framework was created: add its groups and bands.")

    def get_success_url(self, result) -> str:
        return framework_url(result)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New framework issued by %(unit)s") % {"unit": self.object},
            trail=unit_form_trail(self.request.user, self.object),
            cancel_url=reverse("assessments:framework_list"),
            **kwargs,
        )

    def call_service(self, form):
        data = form.cleaned_data
        return services.framework_create(
            actor=self.request.user,
            issuing_unit=self.object,
            code=data["code"],
            name=data["name"],
            guideline_number=data["guideline_number"],
            guideline_date=data["guideline_date"],
            unit_kinds=data["unit_kinds"],
            missing_months=data["missing_months"],
            year_end_rule=data["year_end_rule"],
        )


class FrameworkEditView(_FrameworkFormView):
    """Change the framework's heading while no unit registered under it."""

    model = Framework
    form_class = FrameworkEditForm
    success_message = gettext_lazy("The changes were saved.")
    title_text = gettext_lazy("Edit the framework")

    def get_initial(self):
        return {f: getattr(self.object, f) for f in services.FRAMEWORK_FIELDS}

    def call_service(self, form):
        return services.framework_update(
            actor=self.request.user, framework=self.object, **form.cleaned_data
        )


class GroupAddView(_FrameworkFormView):
    model = Framework
    form_class = GroupForm
    success_message = gettext_lazy("The group was added.")
    title_text = gettext_lazy("New group of criteria")

    def call_service(self, form):
        return services.group_add(
            actor=self.request.user, framework=self.object, **form.cleaned_data
        )


class CriterionAddView(_FrameworkFormView):
    model = CriterionGroup
    form_class = CriterionForm
    success_message = gettext_lazy("The criterion was added.")

    def framework(self):
        return self.object.framework

    def get_queryset(self):
        return CriterionGroup.objects.select_related("framework__issuing_unit")

    def get_object(self):
        group = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        get_visible_or_404(Framework.objects.all(), self.request.user, pk=group.framework_id)
        return group

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "title": _("New criterion in group %(group)s") % {"group": self.object}
        }

    def call_service(self, form):
        data = form.cleaned_data
        return services.criterion_add(
            actor=self.request.user,
            group=self.object,
            code=data["code"],
            text_vi=data["text_vi"],
            text_en=data["text_en"],
            max_points=data["max_points"],
            scoring=data["scoring"],
            scale_steps=data["scale_steps"] or 4,
            suggester=data.get("suggester") or "",
        )


class BandAddView(_FrameworkFormView):
    model = Framework
    form_class = BandForm
    success_message = gettext_lazy("The band was added.")
    title_text = gettext_lazy("New rating band")

    def call_service(self, form):
        return services.band_add(
            actor=self.request.user, framework=self.object, **form.cleaned_data
        )


class _FrameworkButtonView(_FrameworkFormView):
    """A button on the framework's page (no form of its own)."""

    model = Framework
    form_class = django_forms.Form
    http_method_names = ["post"]

    def act(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            result = self.act()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(framework_url(self.framework()))
        return self.form_valid(result)


def _framework_of(part: CriterionGroup | Criterion | Band) -> Framework:
    return part.group.framework if isinstance(part, Criterion) else part.framework


class _PartMixin:
    """A page about one group, criterion or band (`part_model`): the part is found by the URL's
    pk, its framework through visible_to (404), and access is checked on the framework."""

    model = Framework
    part_model = None

    def get_object(self):
        self.part = get_object_or_404(self.part_model, pk=self.kwargs["pk"])
        return get_visible_or_404(
            Framework.objects.select_related("issuing_unit"),
            self.request.user,
            pk=_framework_of(self.part).pk,
        )


class PartRemoveView(_PartMixin, _FrameworkButtonView):
    """Remove a group, a criterion or a band of a draft framework."""

    success_message = gettext_lazy("Removed.")

    def act(self):
        return services.framework_part_remove(actor=self.request.user, part=self.part)


PART_EDITS = {
    CriterionGroup: (GroupForm, services.group_update, "group", gettext_lazy("Edit the group")),
    Criterion: (CriterionForm, services.criterion_update, "criterion", gettext_lazy("Edit")),
    Band: (BandForm, services.band_update, "band", gettext_lazy("Edit the band")),
}


class PartEditView(_PartMixin, _FrameworkFormView):
    """Change a group, a criterion or a band of a draft framework through its update service;
    a version that is published or in use is refused by the service, with the reason."""

    success_message = gettext_lazy("The changes were saved.")

    def get_form_class(self):
        return PART_EDITS[self.part_model][0]

    def get_initial(self):
        return {f: getattr(self.part, f) for f in self.get_form_class().base_fields}

    def get_context_data(self, **kwargs):
        title = f"{PART_EDITS[self.part_model][3]}: {self.part}"
        return super().get_context_data(**kwargs) | {"title": title}

    def call_service(self, form):
        _, service, name, _title = PART_EDITS[self.part_model]
        data = dict(form.cleaned_data)
        if "scale_steps" in data:
            data["scale_steps"] = data["scale_steps"] or 4
            data["suggester"] = data.get("suggester") or ""
        return service(actor=self.request.user, **{name: self.part}, **data)


class FrameworkPublishView(_FrameworkButtonView):
    success_message = gettext_lazy("The framework was published: units may register under it.")

    def act(self):
        return services.framework_publish(actor=self.request.user, framework=self.object)


class FrameworkNewVersionView(_FrameworkButtonView):
    """Copy a published version to the next one, a draft to edit and issue."""

    success_message = gettext_lazy("A new version was made: edit it and publish it.")

    def act(self):
        return services.framework_new_version(actor=self.request.user, framework=self.object)

    def get_success_url(self, result) -> str:
        return framework_url(result)


@login_required
def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The framework as a workbook that the import reads back exactly (a file, not a page)."""
    framework = get_visible_or_404(
        Framework.objects.select_related("issuing_unit"), request.user, pk=pk
    )
    response = HttpResponse(
        spreadsheet.framework_workbook(framework),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="framework-{framework.code}-v{framework.version}.xlsx"'
    )
    return response


class FrameworkImportView(_FrameworkFormView):
    """Replace a framework under construction with a workbook's groups, criteria and bands; a
    refused file names the row and column and saves nothing."""

    model = Framework
    form_class = ImportForm
    template_name = "assessments/framework_import.html"
    success_message = gettext_lazy("The workbook was read into the framework.")
    title_text = gettext_lazy("Import the framework from a workbook")

    def call_service(self, form):
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, upload.name)
        except FileError as error:
            raise ValidationError({"file": str(error)}) from error
        return spreadsheet.framework_import(
            actor=self.request.user, framework=self.object, file=upload, file_name=upload.name
        )


# --- registrations ------------------------------------------------------------------------------


class RegistrationListView(ScopedListView):
    """The registrations of the user's subtrees, by year and unit."""

    model = Registration
    filterset_class = RegistrationFilterSet
    template_name = "assessments/registration_list.html"
    context_object_name = "registrations"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("unit", "framework")
            .order_by("-year", "unit__path")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            trail=_trail(),
            review_count=selectors.review_queue(user=self.request.user).count(),
            **kwargs,
        )


class RegistrationCreateView(ServiceFormView):
    """Register a unit for the "4 good" model for a year."""

    model = Unit
    form_class = RegistrationForm
    template_name = "assessments/form_page.html"
    success_message = gettext_lazy("The unit is registered.")

    def frameworks(self):
        """Published frameworks the user may read that are meant for the unit's kind (a JSON
        list: filtered here, the same on SQLite and PostgreSQL; there are few frameworks)."""
        unit = self.object
        published = Framework.objects.visible_to(self.request.user).filter(
            published_on__isnull=False, issuing_unit__path__in=_paths_above(unit)
        )
        return Framework.objects.filter(
            pk__in=[f.pk for f in published if unit.kind in f.unit_kinds]
        ).order_by("code", "-version")

    def get_form_kwargs(self):
        return {"frameworks": self.frameworks()}

    def get_success_url(self, result) -> str:
        return registration_url(result)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_('Register %(unit)s for the "4 good" model') % {"unit": self.object},
            trail=unit_form_trail(self.request.user, self.object),
            cancel_url=reverse("assessments:unit_board", args=[self.object.pk]),
            **kwargs,
        )

    def call_service(self, form):
        data = form.cleaned_data
        return services.registration_create(
            actor=self.request.user,
            unit=self.object,
            year=data["year"],
            framework=data["framework"],
            note=data["note"],
        )


def _paths_above(unit: Unit) -> list[str]:
    parts = [p for p in unit.path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's year: its twelve months (status, total, band, deadline, lateness) and its own
    criteria. A page over a selector, not a list of one model."""
    registration = get_visible_or_404(
        Registration.objects.select_related("unit", "framework"), request.user, pk=pk
    )
    access = Access.of(request.user)
    today = timezone.localdate()
    months = selectors.monthly_results(unit=registration.unit, year=registration.year, today=today)
    summary = selectors.year_summary(unit=registration.unit, year=registration.year, today=today)
    return render(
        request,
        "assessments/registration_detail.html",
        {
            "registration": registration,
            "unit": registration.unit,
            "months": [(m, dt.date(registration.year, m.month, 1) <= today) for m in months],
            "summary": summary,
            "own_criteria": registration.own_criteria.select_related("group"),
            "can_change": access.may(Action.CHANGE, registration.unit),
            "criteria_fixed": services._criteria_fixed(registration),
            "trail": _trail(
                Crumb(
                    registration.unit.name,
                    reverse("assessments:unit_board", args=[registration.unit.pk]),
                ),
                Crumb(str(registration.year)),
            ),
        },
    )


class _RegistrationFormView(ServiceFormView):
    model = Registration
    template_name = "assessments/form_page.html"

    def get_queryset(self):
        return Registration.objects.select_related("unit", "framework")

    def get_success_url(self, result) -> str:
        return registration_url(self.object)

    def get_context_data(self, **kwargs):
        registration = self.object
        return super().get_context_data(
            trail=_trail(
                Crumb(
                    registration.unit.name,
                    reverse("assessments:unit_board", args=[registration.unit.pk]),
                ),
                Crumb(str(registration.year), registration_url(registration)),
            ),
            cancel_url=registration_url(registration),
            **kwargs,
        )


class OwnCriterionAddView(_RegistrationFormView):
    """Add one of the unit's own criteria under a group of its framework."""

    form_class = OwnCriterionForm
    success_message = gettext_lazy("The criterion was added.")

    def get_form_kwargs(self):
        return {"framework": self.object.framework}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("The unit's own criterion"), **kwargs)

    def call_service(self, form):
        data = form.cleaned_data
        return services.own_criterion_add(
            actor=self.request.user,
            registration=self.object,
            group=data["group"],
            code=data["code"],
            text_vi=data["text_vi"],
            text_en=data["text_en"],
            max_points=data["max_points"],
            scoring=data["scoring"],
            scale_steps=data["scale_steps"] or 4,
        )


class OwnCriterionRemoveView(_RegistrationFormView):
    """Remove one of the unit's own criteria (a button)."""

    form_class = django_forms.Form
    http_method_names = ["post"]
    success_message = gettext_lazy("Removed.")

    def get_object(self):
        criterion = get_object_or_404(
            Criterion.objects.filter(registration__isnull=False), pk=self.kwargs["pk"]
        )
        self.criterion = criterion
        return get_visible_or_404(
            self.get_queryset(), self.request.user, pk=criterion.registration_id
        )

    def post(self, request, *args, **kwargs):
        try:
            services.own_criterion_remove(actor=request.user, criterion=self.criterion)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(registration_url(self.object))
        return self.form_valid(None)


# --- the month ----------------------------------------------------------------------------------


def _grouped(criteria, fields_of) -> list[dict]:
    groups: list[dict] = []
    for criterion in criteria:
        if not groups or groups[-1]["group"].pk != criterion.group_id:
            groups.append({"group": criterion.group, "items": []})
        groups[-1]["items"].append(fields_of(criterion))
    return groups


class MonthFormView(ServiceFormView):
    """The monthly self-assessment: every criterion (one group per screen on a phone), its
    score and note, the month's notes and the running total; saved as a draft or submitted."""

    model = Registration
    form_class = MonthForm
    template_name = "assessments/month_form.html"

    def get_queryset(self):
        return Registration.objects.select_related("unit", "framework")

    def month(self) -> int:
        month = int(self.kwargs["month"])
        if not 1 <= month <= 12:
            raise Http404
        return month

    def assessment(self) -> MonthlyAssessment | None:
        if not hasattr(self, "_assessment"):
            self._assessment = MonthlyAssessment.objects.filter(
                registration=self.object, month=self.month()
            ).first()
        return self._assessment

    def refuse(self):
        assessment = self.assessment()
        if assessment is not None and assessment.status not in EDITABLE_STATUSES:
            messages.info(self.request, _("This month can no longer be changed."))
            return redirect(month_url(assessment))
        return None

    def criteria(self):
        if not hasattr(self, "_criteria"):
            self._criteria = services.registration_criteria(self.object)
        return self._criteria

    def get_form_kwargs(self):
        assessment = self.assessment()
        scores = {s.criterion_id: s for s in assessment.scores.all()} if assessment else {}
        return {"criteria": self.criteria(), "scores": scores}

    def get_initial(self):
        assessment = self.assessment()
        return {"note": assessment.note if assessment else ""}

    def call_service(self, form):
        assessment = services.assessment_save(
            actor=self.request.user,
            registration=self.object,
            month=self.month(),
            scores=form.score_values(),
            note=form.cleaned_data["note"],
        )
        self._assessment = assessment
        if "submit" in self.request.POST:
            assessment = services.assessment_submit(actor=self.request.user, assessment=assessment)
        return assessment

    def get_success_message(self, result) -> str:
        if result.status == Status.SUBMITTED:
            return _("The month was submitted to the level above.")
        return _("The draft was saved.")

    def get_success_url(self, result) -> str:
        if result.status == Status.SUBMITTED:
            return month_url(result)
        return reverse("assessments:month_form", args=[self.object.pk, self.month()])

    def get_context_data(self, **kwargs):
        form = kwargs["form"]
        registration = self.object
        month = self.month()
        unit = registration.unit

        def fields_of(criterion):
            return {
                "criterion": criterion,
                "score": form[f"score_{criterion.pk}"],
                "note": form[f"note_{criterion.pk}"],
                "suggested": suggested_points(criterion, unit, registration.year, month),
            }

        groups = _grouped(self.criteria(), fields_of)
        assessment = self.assessment()
        return super().get_context_data(
            registration=registration,
            unit=unit,
            month=month,
            assessment=assessment,
            groups=groups,
            deadline=selectors.scoring.deadline(registration.year, month),
            bands_json=[
                {
                    "min": float(b.min_total),
                    "label": b.label,
                    "needs": b.requires_group_minimums,
                }
                for b in registration.framework.bands.order_by("min_total")
            ],
            max_total=sum(g["group"].max_points for g in groups),
            trail=_trail(
                Crumb(unit.name, reverse("assessments:unit_board", args=[unit.pk])),
                Crumb(str(registration.year), registration_url(registration)),
                Crumb(_("Month %(m)s") % {"m": month}),
            ),
            **kwargs,
        )


@login_required
def month_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One month as filed: scores by group, notes, evidence, its steps, and the review buttons
    for the level above. A page with several actions, not one form."""
    assessment = get_visible_or_404(
        MonthlyAssessment.objects.select_related("registration__unit", "registration__framework"),
        request.user,
        pk=pk,
    )
    registration = assessment.registration
    unit = registration.unit
    scores = {s.criterion_id: s for s in assessment.scores.all()}
    groups = _grouped(
        services.registration_criteria(registration),
        lambda c: {"criterion": c, "score": scores.get(c.pk)},
    )
    group_totals = selectors.scoring.month_score(
        [
            selectors.scoring.GroupLimits(
                g["group"].pk, g["group"].max_points, g["group"].min_points
            )
            for g in groups
        ],
        [(g["group"].pk, i["score"].score) for g in groups for i in g["items"] if i["score"]],
    )
    for g in groups:
        g["total"] = group_totals.group_totals.get(g["group"].pk)
        g["below"] = g["group"].pk in group_totals.groups_below_minimum
    access = Access.of(request.user)
    band = registration.framework.bands.filter(key=assessment.band_key).first()
    return render(
        request,
        "assessments/month_detail.html",
        {
            "assessment": assessment,
            "registration": registration,
            "unit": unit,
            "groups": groups,
            "band": band,
            "deadline": selectors.scoring.deadline(registration.year, assessment.month),
            "steps": assessment.steps.select_related("actor"),
            "evidence": assessment.evidence.select_related("criterion"),
            "can_change": access.may(Action.CHANGE, unit)
            and assessment.status in EDITABLE_STATUSES,
            "can_review": selectors.may_review(request.user, unit),
            "reason_form": ReasonForm(),
            "trail": _trail(
                Crumb(unit.name, reverse("assessments:unit_board", args=[unit.pk])),
                Crumb(str(registration.year), registration_url(registration)),
                Crumb(_("Month %(m)s") % {"m": assessment.month}),
            ),
        },
    )


class _MonthView(ServiceFormView):
    model = MonthlyAssessment
    template_name = "assessments/form_page.html"

    def get_queryset(self):
        return MonthlyAssessment.objects.select_related(
            "registration__unit", "registration__framework"
        )

    def permission_unit(self, obj):
        return obj.registration.unit if obj is not None else None

    def get_success_url(self, result) -> str:
        return month_url(self.object)

    def get_context_data(self, **kwargs):
        assessment = self.object
        unit = assessment.registration.unit
        return super().get_context_data(
            subtitle=str(assessment),
            trail=_trail(
                Crumb(unit.name, reverse("assessments:unit_board", args=[unit.pk])),
                Crumb(str(assessment.registration.year), registration_url(assessment.registration)),
                Crumb(_("Month %(m)s") % {"m": assessment.month}, month_url(assessment)),
            ),
            cancel_url=month_url(assessment),
            **kwargs,
        )


class _ReviewView(_MonthView):
    """The level above's actions: the month must be visible (else 404) and the user must hold
    CHANGE on the unit's parent (else 403)."""

    def check_access(self) -> None:
        unit = self.object.registration.unit
        self.access.require(Action.VIEW, unit)
        if not selectors.may_review(self.request.user, unit):
            raise PermissionDenied(_("Only the level above reviews this unit's months."))


class _MonthButtonView(_MonthView):
    form_class = django_forms.Form
    http_method_names = ["post"]

    def act(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            result = self.act()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(month_url(self.object))
        return self.form_valid(result)


class MonthSubmitView(_MonthButtonView):
    success_message = gettext_lazy("The month was submitted to the level above.")

    def act(self):
        return services.assessment_submit(actor=self.request.user, assessment=self.object)


class MonthAcceptView(_ReviewView, _MonthButtonView):
    success_message = gettext_lazy("The month was accepted and is now locked.")

    def act(self):
        return services.assessment_accept(actor=self.request.user, assessment=self.object)

    def get_success_url(self, result) -> str:
        return (
            self.request.POST.get("next_queue")
            and reverse("assessments:review_queue")
            or month_url(self.object)
        )


class _ReasonView(_ReviewView):
    """A review step that needs a reason (return, reopen): one form, one service."""

    form_class = ReasonForm
    title_text = ""
    service = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title_text, **kwargs)

    def call_service(self, form):
        return self.service(
            actor=self.request.user, assessment=self.object, reason=form.cleaned_data["reason"]
        )


class MonthReturnView(_ReasonView):
    success_message = gettext_lazy("The month was returned to the unit.")
    title_text = gettext_lazy("Return the month to the unit")
    service = staticmethod(services.assessment_return)


class MonthReopenView(_ReasonView):
    success_message = gettext_lazy("The month was reopened for the unit to correct.")
    title_text = gettext_lazy("Reopen an accepted month")
    service = staticmethod(services.assessment_reopen)


class EvidenceAddView(_MonthView):
    form_class = EvidenceForm
    template_name = "assessments/evidence_form.html"
    success_message = gettext_lazy("The file was attached.")

    def get_form_kwargs(self):
        return {"criteria": services.registration_criteria(self.object.registration)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Attach evidence"), **kwargs)

    def call_service(self, form):
        return services.evidence_add(
            actor=self.request.user,
            assessment=self.object,
            file=form.cleaned_data["file"],
            criterion=form.cleaned_data["criterion"],
        )


class EvidenceRemoveView(_MonthButtonView):
    success_message = gettext_lazy("The file was removed.")

    def get_object(self):
        evidence = get_visible_or_404(
            Evidence.objects.select_related("assessment"), self.request.user, pk=self.kwargs["pk"]
        )
        self.evidence = evidence
        return self.get_queryset().get(pk=evidence.assessment_id)

    def act(self):
        return services.evidence_remove(actor=self.request.user, evidence=self.evidence)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, to whoever may see its month: files live outside the web root and are
    only ever served here (a file, not a page)."""
    evidence = get_visible_or_404(Evidence.objects.all(), request.user, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.file_name,
        content_type=evidence.content_type,
    )


# --- the level above ----------------------------------------------------------------------------


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The months waiting for the user as the level above, oldest first, with accept at hand.
    A list read through the review selector (months of the units *below* the user's), hence not
    a ScopedListView."""
    rows = selectors.review_queue(user=request.user)
    page = paginate(request, rows, 50)
    return render(
        request,
        "assessments/review_queue.html",
        {
            "page_obj": page,
            "months": page,
            "query_without_page": query_without_page(request),
            "trail": _trail(Crumb(_("To review"))),
        },
    )


BOARD_PAGE_SIZE = 100


def _board_year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@login_required
def board_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The board of a unit's subtree for a year as a workbook (a file, not a page)."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=pk)
    year = _board_year(request)
    board = selectors.board(unit=unit, year=year, user=request.user)
    response = HttpResponse(
        spreadsheet.board_workbook(board),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="4tot-{unit.code}-{year}.xlsx"'
    return response


@login_required
def unit_board(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's "4 good" tab: for a commune or a province the board of months × units (each
    cell with its total and band), who has not submitted and each unit's trend; for a cell its
    own year. A tab of the unit page over the board selector."""
    context = unit_context(request, pk, "assessments")
    unit = context["unit"]
    year = _board_year(request)
    board = selectors.board(unit=unit, year=year, user=request.user)
    own = board.own
    page_obj = paginate(request, board.rows, BOARD_PAGE_SIZE)
    below_page = paginate(request, board.subtrees, BOARD_PAGE_SIZE)
    context.update(
        year=year,
        years=[year - 1, year, year + 1],
        board=board,
        # A province has thousands of units under it and hundreds of communes: both tables are
        # paged by the same page number (the legend, the list of who has not submitted and the
        # workbook keep the whole subtree).
        page_obj=page_obj,
        below_page=below_page,
        nav=max((page_obj, below_page), key=lambda p: p.paginator.num_pages),
        query_without_page=query_without_page(request),
        own=own,
        months=range(1, 13),
        may_register=Access.of(request.user).may(Action.CHANGE, unit) and own is None,
        may_build=Access.of(request.user).may(Action.CHANGE, unit) and not context["is_cell"],
    )
    return render(request, "assessments/unit_board.html", context)
