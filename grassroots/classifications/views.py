"""Pages of the year-end review and classification.

Access: every page finds its rows through `visible_to` (404 outside the user's subtrees); the
forms require CHANGE on the unit whose committee acts (the cell for a self-review or a
proposal, the deciding committee's unit for a decision), and the services check who decides
again on commit.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Access, Action
from grassroots.core.views import (
    Crumb,
    ServiceFormView,
    crumb_trail,
    get_visible_or_404,
    paginate,
    query_without_page,
    vary_on_htmx,
)
from grassroots.members.models import Member
from grassroots.organizations.lookups import unit_from_query
from grassroots.organizations.models import Unit

from . import forms as f
from . import services
from .choices import LEVEL_ORDER, FormCode, Judging, StepKind, Subject
from .models import (
    EDITABLE_FIELDS,
    Classification,
    ClassificationRun,
    ClassificationStep,
    Review,
    RuleSet,
)
from .runs import run_progress, run_start
from .selectors import (
    classification_results,
    review_cells,
    review_circumstances,
    review_quotas,
    review_units,
    ruleset_in_force,
)


def index_url(unit: Unit, year: int | None = None) -> str:
    url = f"{reverse('classifications:index')}?unit={unit.pk}"
    return f"{url}&year={year}" if year else url


def _trail(user, unit: Unit | None, year: int | None = None, tail=()) -> list[Crumb]:
    units = Access.of(user).crumbs(unit, include_self=True) if unit is not None else []
    return crumb_trail(
        home=Crumb(_("Classifications"), reverse("classifications:index")),
        units=units,
        unit_url=lambda u: index_url(u, year),
        tail=tail,
    )


def _review_crumb(review: Review) -> Crumb:
    return Crumb(
        _("Review %(year)s") % {"year": review.year},
        reverse("classifications:review_detail", args=[review.pk]),
    )


def _top_unit(user) -> Unit | None:
    paths = Access.of(user).paths(Action.VIEW)
    if paths is None:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    if not paths:
        return None
    return Unit.objects.filter(path=paths[0]).first()


# --- results of a unit and its subtree --------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The results of a unit's subtree for a year (how many in each level, the share of cells
    "good or better"), the reviews held under it, and the run of the whole subtree. A page of
    figures and a list of reviews at once, so neither generic view."""
    unit = unit_from_query(request) or _top_unit(request.user)
    if unit is None:
        raise Http404
    reviews_here = Review.objects.visible_to(request.user).filter(unit__path__startswith=unit.path)
    latest = reviews_here.order_by("-year").values_list("year", flat=True).first()
    form = f.ResultsFilterForm(request.GET or None, initial={"year": latest})
    year = form.cleaned_data["year"] if form.is_valid() else latest or timezone.localdate().year
    if not form.is_bound:
        form = f.ResultsFilterForm(initial={"year": year})
    results = classification_results(unit=unit, year=year)
    reviews = paginate(
        request,
        reviews_here.filter(year=year).select_related("unit", "rule_set").order_by("unit__path"),
        50,
    )
    access = Access.of(request.user)
    runs = ClassificationRun.objects.filter(unit=unit, year=year).order_by("-created_at")[:3]
    return vary_on_htmx(
        render(
            request,
            "classifications/index.html",
            {
                "unit": unit,
                "year": year,
                "form": form,
                "results": results,
                "reviews": reviews,
                "page_obj": reviews,
                "query_without_page": query_without_page(request),
                "can_run": access.may(Action.CHANGE, unit),
                "can_open": access.may(Action.CHANGE, unit)
                and unit.kind in services.DECIDING_KINDS,
                "runs": runs,
                "rule_set": ruleset_in_force(year),
                "trail": _trail(request.user, unit, year)[:-1],
            },
        )
    )


# --- rule sets ------------------------------------------------------------------------------


@login_required
def ruleset_list(request: HttpRequest) -> HttpResponse:
    """The rule sets and their periods (read by everyone who works here; no unit scoping)."""
    return render(
        request,
        "classifications/ruleset_list.html",
        {
            "rule_sets": RuleSet.objects.all(),
            "trail": [
                Crumb(_("Classifications"), reverse("classifications:index")),
            ],
        },
    )


@login_required
def ruleset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A rule set's values, with those the official text leaves open marked "to confirm"."""
    rule_set = get_object_or_404(RuleSet, pk=pk)
    rows = []
    for name in EDITABLE_FIELDS:
        field = RuleSet._meta.get_field(name)
        value = getattr(rule_set, name)
        if field.choices:
            value = dict(field.choices).get(value, value)
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        rows.append(
            {"label": field.verbose_name, "value": value, "confirm": name in rule_set.to_confirm}
        )
    levels = [
        {"label": lv.label, "vi": rule_set.level_names.get(lv.value, "")} for lv in LEVEL_ORDER
    ]
    return render(
        request,
        "classifications/ruleset_detail.html",
        {
            "rule_set": rule_set,
            "rows": rows,
            "levels": levels,
            "can_edit": request.user.is_superuser,
            "trail": [
                Crumb(_("Classifications"), reverse("classifications:index")),
                Crumb(_("Rule sets"), reverse("classifications:ruleset_list")),
            ],
        },
    )


class RuleSetEditView(ServiceFormView):
    """Correct the values of a rule set: the system administrator's work. Reviews already
    opened keep the values they were opened with."""

    model = RuleSet
    form_class = f.RuleSetForm
    template_name = "classifications/form_page.html"
    success_message = gettext_lazy("The rule set was saved.")

    def get_object(self):
        return get_object_or_404(RuleSet, pk=self.kwargs["pk"])

    def check_access(self) -> None:
        if not self.request.user.is_superuser:
            raise PermissionDenied

    def get_form(self, data=None, files=None):
        return f.RuleSetForm(data, instance=self.object)

    def call_service(self, form):
        changed = {n: form.cleaned_data[n] for n in form.changed_data}
        return services.ruleset_update(actor=self.request.user, rule_set=self.object, **changed)

    def get_success_url(self, result) -> str:
        return reverse("classifications:ruleset_detail", args=[result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Correct %(name)s") % {"name": self.object},
            intro=_("Reviews already opened keep the values they were opened with."),
            submit_label=_("Save"),
            cancel_url=reverse("classifications:ruleset_detail", args=[self.object.pk]),
            trail=[
                Crumb(_("Classifications"), reverse("classifications:index")),
                Crumb(_("Rule sets"), reverse("classifications:ruleset_list")),
            ],
            **kwargs,
        )


# --- a review --------------------------------------------------------------------------------


def _review(request, pk: int) -> Review:
    return get_visible_or_404(
        Review.objects.select_related("unit", "rule_set"), request.user, pk=pk
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A committee's review of a year: the quota of "excellent" for members and collectives
    (places used and left), each cell with its members' results and its own level. A page of
    several tables and counters, so neither generic view."""
    review = _review(request, pk)
    services.review_members_write(review)
    access = Access.of(request.user)
    collectives = list(
        Classification.objects.filter(review=review, subject=Subject.COLLECTIVE)
        .select_related("unit", "quota_exception")
        .order_by("unit__path")
    )
    return render(
        request,
        "classifications/review_detail.html",
        {
            "review": review,
            "cells": review_cells(review),
            "collectives": collectives,
            "member_quotas": review_quotas(review, Subject.MEMBER),
            "collective_quotas": review_quotas(review, Subject.COLLECTIVE),
            "can_decide": access.may(Action.CHANGE, review.unit),
            "circumstances": review_circumstances(review),
            "points": review.rules.get("judging") == Judging.POINTS,
            "trail": _trail(request.user, review.unit, review.year),
        },
    )


@login_required
def review_cell(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The members of one cell in a review: what the records say, each step's level, the
    decision and its publication, with the quota of "excellent" shown beside them."""
    review = _review(request, pk)
    services.review_members_write(review)
    cell = next((u for u in review_units(review) if u.pk == unit_pk), None)
    if cell is None:
        raise Http404
    rows = (
        Classification.objects.filter(review=review, subject=Subject.MEMBER, unit=cell)
        .select_related("member", "quota_exception")
        .order_by("member__sort_name", "id")
    )
    access = Access.of(request.user)
    return render(
        request,
        "classifications/review_cell.html",
        {
            "review": review,
            "cell": cell,
            "rows": rows,
            "quotas": review_quotas(review, Subject.MEMBER, cell),
            "can_decide": access.may(Action.CHANGE, review.unit),
            "can_propose": access.may(Action.CHANGE, cell),
            "points": review.rules.get("judging") == Judging.POINTS,
            "trail": _trail(request.user, review.unit, review.year, [_review_crumb(review)]),
        },
    )


class _ReviewFormView(ServiceFormView):
    """The forms of a review: on its trail, back to its page; the deciding committee acts."""

    model = Review
    template_name = "classifications/form_page.html"

    def get_queryset(self):
        return Review.objects.select_related("unit", "rule_set")

    def check_access(self) -> None:
        super().check_access()
        services.review_members_write(self.object)

    def back_url(self) -> str:
        return reverse("classifications:review_detail", args=[self.object.pk])

    def get_success_url(self, result) -> str:
        return self.back_url()

    def title(self) -> str:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        review = self.object
        context = {
            "title": self.title(),
            "submit_label": _("Save"),
            "cancel_url": self.back_url(),
            "trail": _trail(self.request.user, review.unit, review.year, [_review_crumb(review)]),
        }
        context.update(kwargs)
        return super().get_context_data(**context)


class _BatchDecisionView(_ReviewFormView):
    template_name = "classifications/decide.html"

    def rows(self):
        raise NotImplementedError

    def get_form(self, data=None, files=None):
        self._rows = list(self.rows())
        return f.BatchDecisionForm(data, rows=self._rows)

    def get_context_data(self, **kwargs):
        return super().get_context_data(quotas=self.quotas(), submit_label=_("Decide"), **kwargs)

    def call_service(self, form):
        decisions = [
            services.Decision(c, form.cleaned_data[f"level_{c.pk}"])
            for c in self._rows
            if form.cleaned_data.get(f"level_{c.pk}")
        ]
        return services.classifications_decide(
            actor=self.request.user,
            decisions=decisions,
            exception_reason=form.cleaned_data["exception_reason"],
        )

    def get_success_message(self, result) -> str:
        return _("%(n)d decisions were recorded.") % {"n": len(result)}


class CellDecideView(_BatchDecisionView):
    """The committee decides the levels of a cell's members at once: the quota of
    "excellent" counts them together, and the page shows its places used and left."""

    def cell(self) -> Unit:
        for u in review_units(self.object):
            if u.pk == self.kwargs["unit_pk"]:
                return u
        raise Http404

    def rows(self):
        return (
            Classification.objects.filter(
                review=self.object, subject=Subject.MEMBER, unit=self.cell(), not_reviewed=""
            )
            .select_related("member", "review", "unit")
            .order_by("member__sort_name", "id")
        )

    def quotas(self):
        return review_quotas(self.object, Subject.MEMBER, self.cell())

    def title(self) -> str:
        return _("Decide the members of %(cell)s, %(year)s") % {
            "cell": self.cell(),
            "year": self.object.year,
        }

    def back_url(self) -> str:
        return reverse("classifications:review_cell", args=[self.object.pk, self.cell().pk])


class CollectivesDecideView(_BatchDecisionView):
    """The committee decides the levels of the collectives under it at once."""

    def rows(self):
        return (
            Classification.objects.filter(review=self.object, subject=Subject.COLLECTIVE)
            .select_related("review", "unit")
            .order_by("unit__path")
        )

    def quotas(self):
        return review_quotas(self.object, Subject.COLLECTIVE)

    def title(self) -> str:
        return _("Decide the collectives under %(unit)s, %(year)s") % {
            "unit": self.object.unit,
            "year": self.object.year,
        }


class ReviewPublishView(_ReviewFormView):
    """Make a cell's decided results public to the cell (or the whole review's)."""

    form_class = f.PublishForm
    success_message = gettext_lazy("The results were made public.")

    def cell(self) -> Unit | None:
        raw = self.request.GET.get("cell") or self.request.POST.get("cell")
        if not raw:
            return None
        for u in review_units(self.object):
            if str(u.pk) == raw:
                return u
        raise Http404

    def title(self) -> str:
        cell = self.cell()
        return _("Make the results of %(unit)s public") % {"unit": cell or self.object.unit}

    def call_service(self, form):
        return services.review_publish(
            actor=self.request.user, review=self.object, unit=self.cell()
        )


class CircumstanceCreateView(_ReviewFormView):
    """Record an exemption, a suspension, or a sick or maternity leave of a member of the
    review; the next run of the review reads it."""

    form_class = f.CircumstanceForm
    success_message = gettext_lazy("Recorded. Run the review again to apply it.")

    def get_form_kwargs(self):
        rows = Classification.objects.filter(review=self.object)
        members = Member.objects.filter(
            pk__in=rows.filter(subject=Subject.MEMBER).values("member_id")
        ).order_by("sort_name")
        units = Unit.objects.filter(
            pk__in=rows.filter(subject=Subject.COLLECTIVE).values("unit_id")
        ).order_by("path")
        return {"members": list(members), "units": list(units)}

    def title(self) -> str:
        return _("Record a leave, exemption or suspension, or an organization's discipline")

    def call_service(self, form):
        data = form.cleaned_data
        return services.circumstance_record(
            actor=self.request.user,
            kind=data["kind"],
            member=data["member"],
            unit=data["unit"],
            start=data["start"],
            end=data["end"],
            decision=data["decision"],
            note=data["note"],
        )


class _ReviewConfirmView(_ReviewFormView):
    """A step of a review asked for and then confirmed, with no field of its own."""

    def get_form(self, data=None, files=None):
        from django import forms

        return forms.Form(data)


class CircumstanceRemoveView(_ReviewConfirmView):
    """Remove a circumstance the review reads, recorded by mistake; the next run of the review
    reads without it, and a level already decided stays."""

    success_message = gettext_lazy("Removed. Run the review again to apply it.")

    def circumstance(self):
        found = review_circumstances(self.object).filter(pk=self.kwargs["circumstance_pk"]).first()
        if found is None:
            raise Http404
        return found

    def title(self) -> str:
        return _("Remove: %(circumstance)s") % {"circumstance": self.circumstance()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _(
            "The next computation of the review reads the records without it. "
            "Levels already decided stay."
        )
        context["submit_label"] = _("Remove")
        return context

    def call_service(self, form):
        return services.circumstance_remove(
            actor=self.request.user, circumstance=self.circumstance()
        )


class ReviewComputeView(_ReviewConfirmView):
    """Compute the review again from the records (a re-run never changes a decision)."""

    def title(self) -> str:
        return _("Compute %(review)s again from the records") % {"review": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = _(
            "What the records say is read again. Self-reviews, proposals and decisions stay."
        )
        context["submit_label"] = _("Compute")
        return context

    def call_service(self, form):
        return services.review_compute(actor=self.request.user, review=self.object)

    def get_success_message(self, result) -> str:
        return _("%(created)d new, %(updated)d changed, %(unchanged)d unchanged.") % (
            result.as_dict()
        )


# --- one classification --------------------------------------------------------------------


def _classification_qs():
    return Classification.objects.select_related(
        "review__unit", "review__rule_set", "unit", "member"
    )


@login_required
def classification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One member's or collective's classification: the facts read, the rules' findings, every
    step with who and when, and the quota exception if one was granted."""
    c = get_visible_or_404(_classification_qs(), request.user, pk=pk)
    steps = ClassificationStep.objects.filter(classification=c).select_related("actor")
    access = Access.of(request.user)
    tail = [_review_crumb(c.review)]
    if c.subject == Subject.MEMBER:
        tail.append(
            Crumb(
                c.unit.name, reverse("classifications:review_cell", args=[c.review_id, c.unit_id])
            )
        )
    return render(
        request,
        "classifications/classification_detail.html",
        {
            "c": c,
            "steps": steps,
            "exception": getattr(c, "quota_exception", None),
            "can_step": access.may(Action.CHANGE, c.unit) and not c.not_reviewed,
            "trail": _trail(request.user, c.review.unit, c.year, tail),
        },
    )


class ClassificationStepView(ServiceFormView):
    """Record a self-review or a proposal with its task results; the rules check the level."""

    template_name = "classifications/form_page.html"
    success_message = gettext_lazy("The step was recorded.")

    def get_queryset(self):
        return _classification_qs()

    def permission_unit(self, obj):
        return obj.unit if obj is not None else None

    def get_form(self, data=None, files=None):
        c = self.object
        initial = {**c.inputs, "form_code": c.form_code}
        initial.setdefault("kind", StepKind.PROPOSAL if c.self_level else StepKind.SELF_REVIEW)
        return f.StepForm(
            data,
            initial=initial,
            collective=c.subject == Subject.COLLECTIVE,
            points=c.review.rules.get("judging") == Judging.POINTS,
        )

    def call_service(self, form):
        return services.classification_step(
            actor=self.request.user,
            classification=self.object,
            kind=form.cleaned_data["kind"],
            inputs=form.inputs(),
            note=form.cleaned_data["note"],
            form_code=form.cleaned_data["form_code"],
        )

    def get_success_url(self, result) -> str:
        return reverse("classifications:classification_detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        c = self.object
        return super().get_context_data(
            title=_("Self-review or proposal: %(who)s, %(year)s")
            % {"who": c.subject_name, "year": c.year},
            submit_label=_("Record"),
            cancel_url=self.get_success_url(None),
            trail=_trail(self.request.user, c.review.unit, c.year, [_review_crumb(c.review)]),
            **kwargs,
        )


@login_required
def classification_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable form of a classification (01 for a collective; 2A, 2B, 2C for a member)
    filled from the records: a document to print, not a form to fill."""
    c = get_visible_or_404(_classification_qs(), request.user, pk=pk)
    steps = {s.kind: s for s in c.steps.select_related("actor").order_by("at", "id")}
    context = {
        "c": c,
        "self_step": steps.get(StepKind.SELF_REVIEW),
        "proposal": steps.get(StepKind.PROPOSAL),
        "decision": steps.get(StepKind.DECISION),
        "levels": LEVEL_ORDER,
        "form_label": FormCode(c.form_code).label,
        "trail": _trail(request.user, c.review.unit, c.year, [_review_crumb(c.review)]),
    }
    if c.subject == Subject.COLLECTIVE:
        context["members"] = classification_results(unit=c.unit, year=c.year)
    return render(request, "classifications/print_form.html", context)


# --- runs ----------------------------------------------------------------------------------


class RunCreateView(ServiceFormView):
    """Compute the classifications of a unit's whole subtree for a year in the background;
    running it again is safe."""

    model = Unit
    form_class = f.RunForm
    template_name = "classifications/form_page.html"
    pk_url_kwarg = "unit_pk"

    def call_service(self, form):
        return run_start(actor=self.request.user, unit=self.object, year=form.cleaned_data["year"])

    def get_success_url(self, result) -> str:
        return reverse("classifications:run_detail", args=[result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Compute the classifications under %(unit)s") % {"unit": self.object},
            intro=_(
                "Every review under the unit is opened when missing and computed from the "
                "records. Self-reviews, proposals and decisions are never changed; running it "
                "again is safe."
            ),
            submit_label=_("Start"),
            cancel_url=index_url(self.object),
            trail=_trail(self.request.user, self.object),
            **kwargs,
        )


class ReviewOpenView(ServiceFormView):
    """Open (when missing) and compute the committee's review of a year or, where the rule set
    has them and the unit asks for one, of a quarter."""

    model = Unit
    form_class = f.ReviewOpenForm
    template_name = "classifications/form_page.html"
    pk_url_kwarg = "unit_pk"

    def call_service(self, form):
        data = form.cleaned_data
        review = services.review_open(
            actor=self.request.user, unit=self.object, year=data["year"], quarter=data["quarter"]
        )
        services.review_compute(actor=self.request.user, review=review)
        return review

    def get_success_url(self, result) -> str:
        return reverse("classifications:review_detail", args=[result.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Open a review of %(unit)s") % {"unit": self.object},
            intro=_(
                "The review runs under the rule set in force for its year and is computed from "
                "the records at once."
            ),
            submit_label=_("Open and compute"),
            cancel_url=index_url(self.object),
            trail=_trail(self.request.user, self.object),
            **kwargs,
        )


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress while it works (HTMX polls it), then what it did."""
    run = get_visible_or_404(ClassificationRun.objects.select_related("unit"), request.user, pk=pk)
    template = (
        "classifications/_run_status.html" if request.htmx else "classifications/run_detail.html"
    )
    return vary_on_htmx(
        render(
            request,
            template,
            {
                "run": run,
                "progress": run_progress(run),
                "running": run.status in ("queued", "running"),
                "trail": _trail(request.user, run.unit, run.year),
            },
        )
    )
