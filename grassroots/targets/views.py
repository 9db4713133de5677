"""Pages of resolutions, their targets and the figures reported on them: the resolution list
and page (targets with a progress chart each), the forms that write them, the review of any
date, the data-entry grid with its approval flow, the comparison of the units under a
district or province, and the offline template with its upload.

Thin adapters: they parse input, call a service or selector and render. Access: outside the
user's subtrees → 404; a read-only role writing → 403; figures are approved by managers (the
services decide who, and say no with PermissionDenied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.querysets import Action, role_paths
from grassroots.core.views import (
    can,
    get_visible_or_404,
    paginate,
    query_without_page,
    require_action,
)
from grassroots.organizations.models import Unit
from grassroots.organizations.selectors import unit_ancestors

from . import forms as f
from . import selectors, services
from .charts import bar_chart, progress_chart
from .choices import (
    Band,
    Direction,
    IndicatorGroup,
    ResolutionStatus,
    ReviewKind,
    TargetKind,
    ValueState,
)
from .filtersets import IndicatorFilterSet, ResolutionFilterSet
from .models import AdoptedReview, DataValue, Indicator, Resolution, Target
from .numbers import show_number
from .periods import Period, parse_period, period_for, period_label, year_period
from .xlsx import (
    XLSX_TYPE,
    FileError,
    ascii_slug,
    build_template,
    column_label,
    read_upload,
    review_workbook,
)

# --- helpers -------------------------------------------------------------------------------------


def _vary_on_htmx(response: HttpResponse) -> HttpResponse:
    # The same URL answers with a partial or a full page: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _unit_from_query(request: HttpRequest, *, required: bool = False) -> Unit | None:
    """The `?unit=` (id) or `?unit_code=` of the request, visible to the user (404 otherwise)."""
    raw = request.GET.get("unit") or request.POST.get("unit")
    code = (request.GET.get("unit_code") or "").strip()
    if not raw and code:
        return get_visible_or_404(Unit.objects.all(), request.user, code=code)
    if not raw:
        if required:
            raise Http404
        return None
    try:
        pk = int(raw)
    except ValueError as exc:
        raise Http404 from exc
    return get_visible_or_404(Unit.objects.all(), request.user, pk=pk)


def _crumbs(user, unit: Unit | None) -> list[Unit]:
    """The unit and the units above it that the user may see, from the top down."""
    if unit is None:
        return []
    paths = role_paths(user, Action.VIEW)
    chain = unit_ancestors(unit) + [unit]
    if paths is None:
        return chain
    return [u for u in chain if any(u.path.startswith(p) for p in paths)]


def _default_period() -> Period:
    # Figures of a year are reported after it ends: the year just past is the usual one.
    return year_period(timezone.localdate().year - 1)


def _percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{show_number(value, 1)}%"


def _figure(value: Decimal | None, indicator: Indicator) -> str:
    return show_number(value, indicator.decimals)


def _target_text(target: Target) -> str:
    """The promise in a few characters: "50", "3–4", "7 a year", "400 in the term"."""
    decimals = target.indicator.decimals
    text = show_number(target.target_value, decimals)
    if target.target_value_high is not None:
        text = f"{text}–{show_number(target.target_value_high, decimals)}"
    if target.kind == TargetKind.ANNUAL_CHANGE:
        return _("%(value)s a year") % {"value": text}
    if target.kind == TargetKind.CUMULATIVE:
        return _("%(value)s in total") % {"value": text}
    return text


def _some_change_role(user) -> bool:
    paths = role_paths(user, Action.CHANGE)
    return paths is None or bool(paths)


# --- resolutions ---------------------------------------------------------------------------------


@login_required
def resolution_list(request: HttpRequest) -> HttpResponse:
    """Resolutions of the user's subtrees (of `?unit=` and the units under it), filtered."""
    unit = _unit_from_query(request)
    queryset = (
        Resolution.objects.visible_to(request.user)
        .select_related("unit")
        .annotate(target_count=Count("targets"))
        .order_by("-issued_on", "number", "pk")
    )
    filterset = ResolutionFilterSet(request.GET or None, queryset=queryset, request=request)
    resolutions = filterset.qs if filterset.is_bound else queryset
    page = paginate(request, resolutions, per_page=50)
    context = {
        "unit": unit,
        "ancestors": _crumbs(request.user, unit),
        "filter": filterset,
        "page_obj": page,
        "resolutions": page.object_list,
        "query_without_page": query_without_page(request),
        "can_create": unit is not None and unit.is_open and can(request.user, unit, Action.CHANGE),
    }
    template = (
        "targets/_resolution_results.html" if request.htmx else "targets/resolution_list.html"
    )
    return _vary_on_htmx(render(request, template, context))


def _get_resolution(request: HttpRequest, pk: int) -> Resolution:
    return get_visible_or_404(
        Resolution.objects.select_related("unit", "term", "replaced_by"), request.user, pk=pk
    )


def _target_rows(review, *, with_charts: bool = False, resolver=None) -> list[dict[str, Any]]:
    """The rows of a review ready to show: figures in the reader's format and, on the
    resolution page, the chart of each target."""
    series = {}
    if with_charts:
        # The charts of all the targets read together, with the review's resolver.
        series = selectors.resolution_series_all(
            resolution=review.resolution,
            as_of=review.as_of,
            resolver=resolver,
            targets=[row.target for row in review.rows],
        )
    rows = []
    for row in review.rows:
        target, achievement = row.target, row.achievement
        indicator = target.indicator
        item: dict[str, Any] = {
            "target": target,
            "position": target.position,
            "indicator_label": indicator.label,
            "measure_unit": indicator.measure_unit,
            "group_label": indicator.get_group_display(),
            "target_year": target.target_year,
            "band": row.band,
            "baseline": _figure(target.baseline_value, indicator),
            "target_text": _target_text(target),
            "actual": _figure(achievement.actual, indicator) if achievement.has_data else "—",
            "actual_period": period_label(achievement.actual_period)
            if achievement.has_data
            else "",
            "percent": _percent(achievement.percent),
            "progress": _percent(achievement.progress),
        }
        if with_charts:
            item.update(_chart_of(target, series[target.pk]))
        rows.append(item)
    return rows


def _year_of(code: str) -> int | None:
    try:
        return parse_period(code).year
    except ValueError:
        return None


def _chart_of(target: Target, series: selectors.TargetSeries) -> dict[str, Any]:
    """A progress chart of one target and the same figures as a table."""
    indicator = target.indicator

    def by_year(points) -> list[tuple[int, Decimal]]:
        return [
            (year, value)
            for code, value in points
            if value is not None and (year := _year_of(code)) is not None
        ]

    milestones = by_year(series.milestones)
    actuals = by_year(series.actuals)
    baseline = by_year([series.baseline])[0] if series.baseline else None
    goal = by_year([series.target])[0]
    planned = dict(milestones)
    if baseline:
        planned.setdefault(baseline[0], baseline[1])
    planned.setdefault(goal[0], goal[1])
    reported = dict(actuals)
    table = [
        (
            year,
            _figure(planned[year], indicator) if year in planned else "—",
            _figure(reported[year], indicator) if year in reported else "—",
        )
        for year in sorted(set(planned) | set(reported))
    ]
    latest = actuals[-1] if actuals else None
    description = _(
        "Baseline %(baseline)s, target %(target)s in %(year)s; latest figure %(latest)s."
    ) % {
        "baseline": _figure(baseline[1], indicator) if baseline else "—",
        "target": _target_text(target),
        "year": target.target_year,
        "latest": f"{_figure(latest[1], indicator)} ({latest[0]})" if latest else _("none yet"),
    }
    chart = progress_chart(
        title=_("Progress of %(indicator)s") % {"indicator": indicator.label},
        description=description,
        baseline=baseline,
        target=goal,
        target_high=target.target_value_high,
        milestones=milestones,
        actuals=actuals,
        fmt=lambda v: show_number(Decimal(str(v)), None),
        legend={"planned": _("Planned"), "actual": _("Reported")},
    )
    return {"chart": chart, "series": table}


@login_required
def resolution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A resolution with its targets as of today, and a progress chart per target."""
    resolution = _get_resolution(request, pk)
    today = timezone.localdate()
    # One resolver for the review and the charts: the figures are read once.
    resolver = selectors.Resolver()
    review = selectors.resolution_review(resolution=resolution, as_of=today, resolver=resolver)
    context = {
        "resolution": resolution,
        "unit": resolution.unit,
        "ancestors": _crumbs(request.user, resolution.unit),
        "as_of": today,
        "rows": _target_rows(review, with_charts=True, resolver=resolver),
        "can_change": can(request.user, resolution.unit, Action.CHANGE),
        "can_end": services.may_end_resolution(request.user, resolution),
        "default_period": _default_period().code,
    }
    return render(request, "targets/resolution_detail.html", context)


def _form_page(
    request,
    *,
    form,
    title: str,
    submit_label: str,
    cancel_url: str,
    unit: Unit,
    resolution: Resolution | None = None,
    intro: str = "",
    danger: bool = False,
    template: str = "targets/form_page.html",
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "intro": intro,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
        "danger": danger,
        "unit": unit,
        "resolution": resolution,
        "ancestors": _crumbs(request.user, unit),
    }
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
def resolution_create(request: HttpRequest) -> HttpResponse:
    unit = _unit_from_query(request, required=True)
    require_action(request.user, unit, Action.CHANGE)
    form = f.ResolutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            resolution = services.resolution_create(
                actor=request.user, unit=unit, **form.service_kwargs()
            )
        except ValidationError as error:
            f.apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Resolution %(number)s is recorded.") % {"number": resolution.number}
            )
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return _form_page(
        request,
        form=form,
        title=_("New resolution of %(unit)s") % {"unit": unit.name},
        submit_label=_("Save"),
        cancel_url=f"{reverse('targets:resolution_list')}?unit={unit.pk}",
        unit=unit,
    )


@login_required
def resolution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _get_resolution(request, pk)
    require_action(request.user, resolution.unit, Action.CHANGE)
    initial = {
        name: getattr(resolution, name)
        for name in ("number", "issued_on", "title", "kind", "term", "start_year", "end_year")
    }
    form = f.ResolutionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data
        }
        try:
            if changed:
                services.resolution_update(actor=request.user, resolution=resolution, **changed)
        except ValidationError as error:
            f.apply_service_errors(form, error)
        else:
            messages.success(request, _("The resolution is saved."))
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return _form_page(
        request,
        form=form,
        title=_("Edit resolution %(number)s") % {"number": resolution.number},
        submit_label=_("Save"),
        cancel_url=reverse("targets:resolution_detail", args=[resolution.pk]),
        unit=resolution.unit,
        resolution=resolution,
    )


@login_required
def resolution_end(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _get_resolution(request, pk)
    if not services.may_end_resolution(request.user, resolution):
        raise PermissionDenied
    form = f.ResolutionEndForm(request.POST or None, resolution=resolution, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolution_end(
                actor=request.user, resolution=resolution, **form.service_kwargs()
            )
        except ValidationError as error:
            f.apply_service_errors(form, error)
        else:
            messages.success(request, _("The resolution is recorded as no longer in force."))
            return redirect("targets:resolution_detail", pk=resolution.pk)
    return _form_page(
        request,
        form=form,
        title=_("End or replace resolution %(number)s") % {"number": resolution.number},
        intro=_(
            "Record the decision that ended the resolution or replaced it. "
            "Its targets and figures are kept."
        ),
        submit_label=_("Record the end"),
        cancel_url=reverse("targets:resolution_detail", args=[resolution.pk]),
        unit=resolution.unit,
        resolution=resolution,
        danger=True,
    )


# --- targets -------------------------------------------------------------------------------------


@login_required
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = _get_resolution(request, pk)
    require_action(request.user, resolution.unit, Action.CHANGE)
    form = f.TargetForm(request.POST or None, resolution=resolution, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.target_create(
                actor=request.user, resolution=resolution, **form.service_kwargs()
            )
        except ValidationError as error:
            f.apply_service_errors(form, error, {"milestones": None})
        else:
            messages.success(request, _("Target %(n)s is added.") % {"n": target.position})
            return redirect(
                f"{reverse('targets:resolution_detail', args=[resolution.pk])}#target-{target.pk}"
            )
    return _form_page(
        request,
        form=form,
        title=_("Add a target"),
        submit_label=_("Add"),
        cancel_url=reverse("targets:resolution_detail", args=[resolution.pk]),
        unit=resolution.unit,
        resolution=resolution,
        template="targets/target_form.html",
    )


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(
        Target.objects.select_related("resolution__unit", "indicator", "unit").prefetch_related(
            "milestones"
        ),
        request.user,
        pk=pk,
    )
    resolution = target.resolution
    # A target follows its resolution: changed by those who may change the resolution.
    require_action(request.user, target, Action.CHANGE)
    initial = {
        name: getattr(target, name)
        for name in (
            "indicator",
            "kind",
            "change_basis",
            "reduction_basis",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_value_high",
            "target_year",
            "position",
            "note",
        )
    }
    initial["unit_code"] = target.unit.code if target.unit_id != resolution.unit_id else ""
    initial.update({f"milestone_{m.year}": m.value for m in target.milestones.all()})
    form = f.TargetForm(
        request.POST or None, initial=initial, resolution=resolution, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        milestones = kwargs.pop("milestones")
        changed = set(form.changed_data) | ({"unit"} if "unit_code" in form.changed_data else set())
        fields = {name: kwargs[name] for name in kwargs if name in changed}
        try:
            services.target_update(
                actor=request.user, target=target, milestones=milestones, **fields
            )
        except ValidationError as error:
            f.apply_service_errors(form, error, {"milestones": None})
        else:
            messages.success(request, _("Target %(n)s is saved.") % {"n": target.position})
            return redirect(
                f"{reverse('targets:resolution_detail', args=[resolution.pk])}#target-{target.pk}"
            )
    return _form_page(
        request,
        form=form,
        title=_("Edit target %(n)s") % {"n": target.position},
        submit_label=_("Save"),
        cancel_url=reverse("targets:resolution_detail", args=[resolution.pk]),
        unit=resolution.unit,
        resolution=resolution,
        template="targets/target_form.html",
    )


# --- review --------------------------------------------------------------------------------------


def _review_params(request: HttpRequest) -> tuple[f.ReviewForm, dt.date, Any]:
    data = None
    if request.GET:
        # The bands left empty read as the defaults, and show them.
        data = request.GET.copy()
        for name in ("met", "near"):
            if not data.get(name):
                data[name] = show_number(getattr(selectors.DEFAULT_BANDS, name), None)
    form = f.ReviewForm(data)
    as_of = timezone.localdate()
    met = near = None
    if form.is_bound and form.is_valid():
        as_of = form.cleaned_data.get("as_of") or as_of
        met, near = form.cleaned_data.get("met"), form.cleaned_data.get("near")
    defaults = selectors.DEFAULT_BANDS
    bands = selectors.Bands(
        met=met if met is not None else defaults.met,
        near=near if near is not None else defaults.near,
    )
    if not form.is_bound:
        form = f.ReviewForm(initial={"as_of": as_of, "met": bands.met, "near": bands.near})
    return form, as_of, bands


def _band_summary(review, bands) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Counts by band (with the rule of each) and by group of indicators."""
    rules = {
        Band.MET: f"≥ {show_number(bands.met, None)}%",
        Band.NEAR: f"{show_number(bands.near, None)}–<{show_number(bands.met, None)}%",
        Band.BELOW: f"< {show_number(bands.near, None)}%",
        Band.NO_DATA: "",
    }
    counts = review.counts
    by_band = [
        {
            "key": str(band),
            "label": band.label,
            "rule": rules[band],
            "count": counts.get(str(band), 0),
        }
        for band in Band
    ]
    groups = []
    by_group = review.by_group
    for value, label in IndicatorGroup.choices:
        group_counts = by_group.get(value)
        if not group_counts:
            continue
        numbers = [group_counts.get(str(band), 0) for band in Band]
        groups.append({"key": value, "label": label, "counts": numbers, "total": sum(numbers)})
    return by_band, groups


def _review_context(
    request: HttpRequest, resolution: Resolution, adopt_form=None
) -> dict[str, Any]:
    form, as_of, bands = _review_params(request)
    review = selectors.resolution_review(resolution=resolution, as_of=as_of, bands=bands)
    by_band, groups = _band_summary(review, bands)
    language = (translation.get_language() or "vi")[:2]
    params = {"as_of": as_of.strftime("%d/%m/%Y"), "met": bands.met, "near": bands.near}
    return {
        "resolution": resolution,
        "unit": resolution.unit,
        "ancestors": _crumbs(request.user, resolution.unit),
        "form": form,
        "as_of": as_of,
        "bands_used": bands,
        "review": review,
        "rows": _target_rows(review),
        "bands": by_band,
        "groups": groups,
        "total": review.total,
        "sentences": review.sentences(language),
        "query": urlencode(params),
        "adopted_reviews": list(
            resolution.adopted_reviews.select_related("adopted_by").order_by("as_of", "id")
        ),
        "can_adopt": services.may_adopt_review(request.user, resolution),
        "adopt_form": adopt_form
        or f.ReviewAdoptForm(
            initial={
                "as_of": as_of,
                "met": bands.met,
                "near": bands.near,
                "kind": ReviewKind.FINAL
                if as_of.year >= resolution.end_year
                else ReviewKind.MID_TERM,
            }
        ),
    }


@login_required
def resolution_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review of a resolution on any date (`?as_of=dd/mm/yyyy`) with configurable bands."""
    resolution = _get_resolution(request, pk)
    context = _review_context(request, resolution)
    status = 400 if context["form"].errors else 200
    template = "targets/_review_body.html" if request.htmx else "targets/resolution_review.html"
    return _vary_on_htmx(render(request, template, context, status=status))


@login_required
@require_POST
def review_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the committee adopted the review of a date (managers of the resolution's
    unit): it is filed as issued, beside the live review."""
    resolution = _get_resolution(request, pk)
    if not services.may_adopt_review(request.user, resolution):
        raise PermissionDenied
    form = f.ReviewAdoptForm(request.POST)
    if form.is_valid():
        try:
            adopted = services.review_adopt(
                actor=request.user, resolution=resolution, **form.service_kwargs()
            )
        except ValidationError as error:
            f.apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The %(kind)s as of %(day)s is adopted and kept as issued.")
                % {
                    "kind": adopted.get_kind_display().lower(),
                    "day": adopted.as_of.strftime("%d/%m/%Y"),
                },
            )
            return redirect("targets:adopted_review", pk=adopted.pk)
    context = _review_context(request, resolution, adopt_form=form)
    return render(request, "targets/resolution_review.html", context, status=400)


def _adopted_rows(adopted: AdoptedReview) -> list[dict[str, Any]]:
    """The rows of an adopted review, shown as the live review shows its rows."""
    groups = dict(IndicatorGroup.choices)
    rows = []
    for row in adopted.rows.all():
        text = show_number(row.target_value, row.decimals)
        if row.target_value_high is not None:
            text = f"{text}–{show_number(row.target_value_high, row.decimals)}"
        if row.kind == TargetKind.ANNUAL_CHANGE:
            text = _("%(value)s a year") % {"value": text}
        elif row.kind == TargetKind.CUMULATIVE:
            text = _("%(value)s in total") % {"value": text}
        rows.append(
            {
                "position": row.position,
                "indicator_label": row.indicator_label,
                "measure_unit": row.measure_unit,
                "group_label": groups.get(row.group, row.group),
                "target_year": row.target_year,
                "band": row.band,
                "baseline": show_number(row.baseline_value, row.decimals),
                "target_text": text,
                "actual": show_number(row.actual, row.decimals) if row.has_data else "—",
                "actual_period": period_label(row.actual_period)
                if row.has_data and row.actual_period
                else "",
                "percent": _percent(row.percent),
                "progress": _percent(row.progress),
            }
        )
    return rows


@login_required
def adopted_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A review as its committee adopted it: the figures, results and sentences as issued,
    whatever was corrected since; a link leads to the live review of the same date."""
    adopted = get_visible_or_404(
        AdoptedReview.objects.select_related("resolution__unit", "adopted_by"), request.user, pk=pk
    )
    resolution = adopted.resolution
    bands = selectors.Bands(met=adopted.met, near=adopted.near)
    counts = {band: adopted.counts.get(band, 0) for band in Band.values}
    by_group = {g: {b: c.get(b, 0) for b in Band.values} for g, c in adopted.by_group.items()}
    shown = selectors.Review(
        resolution=resolution,
        as_of=adopted.as_of,
        bands=bands,
        rows=[],
        counts=counts,
        by_group=by_group,
    )
    by_band, groups = _band_summary(shown, bands)
    language = (translation.get_language() or "vi")[:2]
    context = {
        "adopted": adopted,
        "resolution": resolution,
        "unit": resolution.unit,
        "ancestors": _crumbs(request.user, resolution.unit),
        "as_of": adopted.as_of,
        "rows": _adopted_rows(adopted),
        "bands": by_band,
        "groups": groups,
        "total": adopted.total,
        "sentences": adopted.sentences(language),
        "live_query": urlencode(
            {"as_of": adopted.as_of.strftime("%d/%m/%Y"), "met": adopted.met, "near": adopted.near}
        ),
    }
    return render(request, "targets/adopted_review.html", context)


@login_required
def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The same review as an XLSX workbook."""
    resolution = _get_resolution(request, pk)
    context = _review_context(request, resolution)
    review, bands = context["review"], context["bands_used"]
    band_labels = dict(Band.choices)
    columns = [
        "#",
        _("Indicator code"),
        _("Indicator"),
        _("Unit of measure"),
        _("Baseline"),
        _("Target"),
        _("Target year"),
        _("Figure"),
        _("Period of the figure"),
        _("Achievement (%)"),
        _("Progress from the baseline (%)"),
        _("Band"),
    ]
    rows = []
    for row in review.rows:
        target, achievement = row.target, row.achievement
        rows.append(
            [
                target.position,
                target.indicator.code,
                target.indicator.label,
                target.indicator.measure_unit,
                target.baseline_value,
                _target_text(target),
                target.target_year,
                achievement.actual if achievement.has_data else None,
                period_label(achievement.actual_period),
                achievement.percent,
                achievement.progress,
                str(band_labels.get(row.band, row.band)),
            ]
        )
    group_columns = [_("Group"), *[str(label) for _value, label in Band.choices], _("Total")]
    group_rows = [[str(g["label"]), *g["counts"], g["total"]] for g in context["groups"]]
    content = review_workbook(
        title=_("Review of resolution %(number)s on %(day)s")
        % {"number": resolution.number, "day": context["as_of"].strftime("%d/%m/%Y")},
        facts=[
            (_("Title"), resolution.title),
            (_("Issued by"), resolution.unit.name),
            (_("Years"), f"{resolution.start_year}–{resolution.end_year}"),
            (_("Review as of"), context["as_of"].strftime("%d/%m/%Y")),
            (_("Met from (%)"), float(bands.met)),
            (_("Near from (%)"), float(bands.near)),
        ],
        sentences=context["sentences"],
        columns=columns,
        rows=rows,
        group_columns=group_columns,
        group_rows=group_rows,
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    slug = ascii_slug(resolution.number)
    response["Content-Disposition"] = (
        f'attachment; filename="review-{slug}-{context["as_of"]:%Y%m%d}.xlsx"'
    )
    return response


# --- data entry ----------------------------------------------------------------------------------


@dataclass
class EntryRow:
    """One indicator of the grid: its figure for the period, the form to change it and what
    the user may do with it."""

    indicator: Indicator
    targets: list[dict[str, Any]] = field(default_factory=list)
    value: DataValue | None = None
    form: f.EntryRowForm | None = None
    computed: bool = False
    computed_text: str = ""
    previous: str = ""
    previous_period: str = ""
    can_change: bool = False
    can_manage: bool = False
    can_reopen: bool = False
    # The user entered the figure as it stands: someone else approves it (rule
    # "approval_by_other_person").
    entered_by_user: bool = False
    saved: str = ""
    reason_error: str = ""

    @property
    def state(self) -> str:
        return self.value.state if self.value else ""

    @property
    def editable(self) -> bool:
        return (
            self.can_change
            and not self.computed
            and (self.value is None or self.value.state in (ValueState.DRAFT, ValueState.RETURNED))
        )

    @property
    def can_submit(self) -> bool:
        return self.editable and self.value is not None

    @property
    def can_approve(self) -> bool:
        return self.can_return and not self.entered_by_user

    @property
    def can_return(self) -> bool:
        return self.can_manage and self.state == ValueState.SUBMITTED

    @property
    def fields(self):
        names = ["value", "numerator", "denominator", "source"]
        return [self.form[name] for name in names if name in self.form.fields]

    @property
    def value_text(self) -> str:
        return _figure(self.value.value, self.indicator) if self.value else "—"

    @property
    def numerator_text(self) -> str:
        return show_number(self.value.numerator, None) if self.value else ""

    @property
    def denominator_text(self) -> str:
        return show_number(self.value.denominator, None) if self.value else ""


def _applying_targets(unit: Unit, period: Period, resolution: Resolution | None = None):
    """Targets that ask `unit` for figures in `period`: those of the resolutions of the unit or
    of a unit above it, covering the period's year and in force then, set for the unit or a
    unit above it. Figures of a unit feed the roll-up of every level above it."""
    ids = unit.ancestor_ids()
    targets = (
        Target.objects.filter(unit_id__in=ids, resolution__unit_id__in=ids)
        .filter(resolution__start_year__lte=period.year, resolution__end_year__gte=period.year)
        .filter(
            Q(resolution__status=ResolutionStatus.IN_FORCE)
            | Q(resolution__ended_on__gte=period.start)
        )
        .select_related("resolution__unit", "indicator")
        .order_by("resolution__unit__depth", "resolution__issued_on", "position")
    )
    if resolution is not None:
        targets = targets.filter(resolution=resolution)
    return list(targets)


def _entry_rows(
    request: HttpRequest,
    unit: Unit,
    period: Period,
    *,
    resolution: Resolution | None = None,
    indicators: list[Indicator] | None = None,
    data=None,
) -> list[EntryRow]:
    """The rows of the grid for `unit` and `period` (only `indicators` when given)."""
    user = request.user
    targets = _applying_targets(unit, period, resolution)
    by_indicator: dict[int, EntryRow] = {}
    ratio: set[int] = set()
    for target in targets:
        row = by_indicator.setdefault(target.indicator_id, EntryRow(indicator=target.indicator))
        row.targets.append(
            {
                "resolution": target.resolution,
                "text": _target_text(target),
                "target_year": target.target_year,
            }
        )
        if target.kind == TargetKind.RATIO:
            ratio.add(target.indicator_id)
    for indicator in indicators or []:
        by_indicator.setdefault(indicator.pk, EntryRow(indicator=indicator))
    rows = list(by_indicator.values())
    if indicators is not None:
        wanted = {i.pk for i in indicators}
        rows = [row for row in rows if row.indicator.pk in wanted]
    group_order = {value: index for index, value in enumerate(IndicatorGroup.values)}
    rows.sort(key=lambda r: (group_order.get(r.indicator.group, 99), r.indicator.code))
    ids = [row.indicator.pk for row in rows]
    values = {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            unit=unit, period=period.code, indicator_id__in=ids
        ).select_related("approved_level")
    }
    previous = _previous_period(period)
    earlier = {
        v.indicator_id: v.value
        for v in DataValue.objects.filter(
            unit=unit, period=previous.code, indicator_id__in=ids
        ).only("indicator_id", "value")
    }
    can_change = unit.is_open and can(user, unit, Action.CHANGE)
    can_manage = can(user, unit, Action.MANAGE)
    for row in rows:
        indicator = row.indicator
        row.value = values.get(indicator.pk)
        row.can_change, row.can_manage = can_change, can_manage
        row.can_reopen = bool(
            row.value
            and row.value.state == ValueState.APPROVED
            and services.may_reopen(user, row.value)
        )
        row.entered_by_user = bool(
            row.value and can_manage and services.entered_by_actor(user, row.value)
        )
        if row.value is not None and row.value.numerator is not None:
            ratio.add(indicator.pk)
        if indicator.pk in earlier:
            row.previous, row.previous_period = (
                _figure(earlier[indicator.pk], indicator),
                previous.label(),
            )
        if not indicator.is_entered:
            row.computed = True
            figure = selectors.indicator_value(indicator=indicator, unit=unit, period=period.code)
            row.computed_text = _figure(figure, indicator)
            continue
        initial = {}
        if row.value is not None:
            initial = {
                name: getattr(row.value, name)
                for name in ("value", "numerator", "denominator", "source", "comment")
            }
        row.form = f.EntryRowForm(
            data, initial=initial, indicator=indicator, ratio=indicator.pk in ratio
        )
    return rows


def _previous_period(period: Period) -> Period:
    """The period of the same kind just before `period`."""
    return period_for(period.kind, period.start - dt.timedelta(days=1))


def _next_period(period: Period) -> Period | None:
    """The period of the same kind just after `period`, once it has started."""
    following = period_for(period.kind, period.end)
    return following if following.start <= timezone.localdate() else None


def _save_rows(
    request: HttpRequest, unit: Unit, period: Period, rows: list[EntryRow], *, submit: bool = False
) -> bool:
    """Save the changed rows (and submit the drafts when asked), all or nothing."""
    ok = True
    with transaction.atomic():
        for row in rows:
            if not row.editable or row.form is None or not row.form.posted:
                continue
            if not row.form.is_valid():
                ok = False
                continue
            if not row.form.touched(row.value):
                continue
            try:
                row.value = services.data_value_save(
                    actor=request.user,
                    indicator=row.indicator,
                    unit=unit,
                    period=period.code,
                    **row.form.service_kwargs(),
                )
            except ValidationError as error:
                f.apply_service_errors(
                    row.form, error, {"indicator": None, "unit": None, "period": None}
                )
                ok = False
        if ok and submit:
            for row in rows:
                if (
                    row.value is not None
                    and row.value.state in (ValueState.DRAFT, ValueState.RETURNED)
                    and row.can_change
                ):
                    row.value = services.data_value_submit(actor=request.user, value=row.value)
        if not ok:
            transaction.set_rollback(True)
    return ok


def _refresh_values(rows: list[EntryRow], unit: Unit, period: Period) -> None:
    """After a refused save was rolled back, show the stored figures again (the forms keep
    what was typed)."""
    stored = {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            unit=unit, period=period.code, indicator_id__in=[r.indicator.pk for r in rows]
        )
    }
    for row in rows:
        row.value = stored.get(row.indicator.pk)


def _period_from_query(request: HttpRequest) -> tuple[f.PeriodForm, Period]:
    form = f.PeriodForm(request.GET if request.GET.get("period") else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    period = _default_period()
    if not form.is_bound:
        form = f.PeriodForm(initial={"period": period.code})
    return form, period


def _resolution_filter(request: HttpRequest, unit: Unit) -> Resolution | None:
    raw = request.GET.get("resolution")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    resolution = Resolution.objects.filter(pk=int(raw), unit_id__in=unit.ancestor_ids()).first()
    if resolution is None:
        raise Http404
    return resolution


def _grid_url(unit: Unit, period: Period, resolution: Resolution | None = None) -> str:
    params = {"period": period.code}
    if resolution is not None:
        params["resolution"] = resolution.pk
    return f"{reverse('targets:data_entry', args=[unit.pk])}?{urlencode(params)}"


@login_required
def data_entry(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The figures of a unit for one period, one row per indicator its resolutions ask for.
    POST saves the changed rows as drafts (`action=save`), saves and submits them
    (`action=submit`), approves every submitted figure (`action=approve`, managers) or saves one
    row (`save_row=<indicator id>`, the grid without JavaScript). Nothing is saved when any
    row is refused: the messages stand next to the fields."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    period_form, period = _period_from_query(request)
    resolution = _resolution_filter(request, unit)
    data = request.POST if request.method == "POST" else None
    rows = _entry_rows(request, unit, period, resolution=resolution, data=data)
    grid_errors = False
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        save_row = request.POST.get("save_row", "")
        if action == "approve":
            require_action(request.user, unit, Action.MANAGE)
            with transaction.atomic():
                count = 0
                for row in rows:
                    if row.can_approve:
                        services.data_value_approve(actor=request.user, value=row.value)
                        count += 1
            messages.success(request, _("%(n)d figures approved.") % {"n": count})
            left = sum(
                1 for row in rows if row.state == ValueState.SUBMITTED and row.entered_by_user
            )
            if left:
                messages.info(
                    request,
                    _("%(n)d figures you entered yourself wait for another manager's approval.")
                    % {"n": left},
                )
            return redirect(_grid_url(unit, period, resolution))
        require_action(request.user, unit, Action.CHANGE)
        chosen = rows
        if save_row:
            chosen = [row for row in rows if str(row.indicator.pk) == save_row]
        if _save_rows(request, unit, period, chosen, submit=action == "submit"):
            if action == "submit":
                messages.success(request, _("The figures are saved and submitted for approval."))
            else:
                messages.success(request, _("The figures are saved as drafts."))
            return redirect(_grid_url(unit, period, resolution))
        _refresh_values(rows, unit, period)
        grid_errors, status = True, 400
    context = _entry_context(
        request, unit, period, rows, resolution=resolution, period_form=period_form
    )
    context["grid_errors"] = grid_errors
    return render(request, "targets/data_entry.html", context, status=status)


def _entry_context(
    request, unit: Unit, period: Period, rows: list[EntryRow], *, resolution=None, period_form=None
) -> dict[str, Any]:
    counts = {state: 0 for state in ValueState.values}
    missing = 0
    approvable = 0
    for row in rows:
        approvable += row.can_approve
        if row.computed:
            continue
        if row.value is None:
            missing += 1
        else:
            counts[row.value.state] += 1
    state_counts = [{"label": _("Not entered"), "count": missing}] + [
        {"label": label, "count": counts[value]} for value, label in ValueState.choices
    ]
    ids = unit.ancestor_ids()
    resolutions = list(
        Resolution.objects.filter(
            unit_id__in=ids, start_year__lte=period.year, end_year__gte=period.year
        )
        .filter(Q(status=ResolutionStatus.IN_FORCE) | Q(ended_on__gte=period.start))
        .select_related("unit")
        .order_by("unit__depth", "issued_on")
    )
    return {
        "unit": unit,
        "ancestors": _crumbs(request.user, unit)[:-1] + [unit],
        "period": period,
        "period_form": period_form or f.PeriodForm(initial={"period": period.code}),
        "previous_period": _previous_period(period),
        "next_period": _next_period(period),
        "rows": rows,
        "resolutions": resolutions,
        "resolution_filter": resolution,
        "state_counts": state_counts,
        "submitted_count": counts[ValueState.SUBMITTED],
        "approvable_count": approvable,
        "can_change": unit.is_open and can(request.user, unit, Action.CHANGE),
        "can_manage": can(request.user, unit, Action.MANAGE),
    }


def _row_response(
    request: HttpRequest, unit: Unit, period: Period, row: EntryRow, *, status: int = 200
) -> HttpResponse:
    context = {"unit": unit, "period": period, "row": row}
    if request.htmx:
        # HTMX swaps only 2xx answers by default: refusals come back as 200 with the row.
        return _vary_on_htmx(render(request, "targets/_entry_row.html", context, status=200))
    context.update({"ancestors": _crumbs(request.user, unit)})
    return _vary_on_htmx(render(request, "targets/data_entry_row.html", context, status=status))


def _one_row(
    request: HttpRequest, unit: Unit, period: Period, indicator: Indicator, data=None
) -> EntryRow:
    rows = _entry_rows(request, unit, period, indicators=[indicator], data=data)
    return rows[0]


@login_required
def entry_row(request: HttpRequest, unit_id: int, indicator_id: int) -> HttpResponse:
    """One row of the grid: GET shows it (a page of its own without HTMX), POST saves it as a
    draft and answers with the row (HTMX) or returns to the grid."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    indicator = Indicator.objects.visible_to(request.user).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    _form, period = _period_from_query(request)
    if request.method != "POST":
        return _row_response(request, unit, period, _one_row(request, unit, period, indicator))
    require_action(request.user, unit, Action.CHANGE)
    row = _one_row(request, unit, period, indicator, data=request.POST)
    if not row.editable:
        raise PermissionDenied
    if _save_rows(request, unit, period, [row]):
        if not request.htmx:
            messages.success(request, _("The figure is saved as a draft."))
            return redirect(_grid_url(unit, period))
        row = _one_row(request, unit, period, indicator)
        row.saved = _("Saved as a draft.")
        return _row_response(request, unit, period, row)
    _refresh_values([row], unit, period)
    return _row_response(request, unit, period, row, status=400)


VALUE_ACTIONS = {"submit", "approve", "return", "reopen"}


@login_required
@require_POST
def value_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Submit, approve, return (with a reason) or reopen (with a reason) one figure."""
    if verb not in VALUE_ACTIONS:
        raise Http404
    value = get_visible_or_404(
        DataValue.objects.select_related("unit", "indicator", "approved_level"), request.user, pk=pk
    )
    unit, indicator = value.unit, value.indicator
    period = parse_period(value.period)
    reason = (request.POST.get(f"reason-{value.pk}") or request.POST.get("reason") or "").strip()
    error = ""
    try:
        if verb == "submit":
            require_action(request.user, unit, Action.CHANGE)
            # Figures typed in the row before pressing "Submit" are saved first.
            row = _one_row(request, unit, period, indicator, data=request.POST)
            if row.form is not None and row.form.posted:
                if not _save_rows(request, unit, period, [row], submit=True):
                    _refresh_values([row], unit, period)
                    return _row_response(request, unit, period, row, status=400)
            else:
                services.data_value_submit(actor=request.user, value=value)
            done = _("Submitted for approval.")
        elif verb == "approve":
            services.data_value_approve(actor=request.user, value=value)
            done = _("Approved.")
        elif verb == "return":
            services.data_value_return(actor=request.user, value=value, reason=reason)
            done = _("Returned for correction.")
        else:
            services.data_value_reopen(actor=request.user, value=value, reason=reason)
            done = _("Reopened for correction.")
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, done)
        return redirect(f"{_grid_url(unit, period)}#row-{indicator.pk}")
    row = _one_row(request, unit, period, indicator)
    if error:
        row.reason_error = error
    else:
        row.saved = done
    return _row_response(request, unit, period, row)


# --- comparison ----------------------------------------------------------------------------------


@login_required
def comparison(request: HttpRequest) -> HttpResponse:
    """The units directly under a district or province (`?unit=`) on one indicator and period:
    a table ranked best first and a bar chart."""
    unit = _unit_from_query(request)
    if unit is None:
        first = Unit.objects.visible_to(request.user).order_by("depth", "path").first()
        if first is None:
            raise Http404
        return redirect(f"{reverse('targets:comparison')}?unit={first.pk}")
    params = request.GET.copy()
    params.pop("unit", None)
    if not params.get("period"):
        params["period"] = _default_period().code
    form = f.ComparisonForm(
        params if params.get("indicator") else None, initial={"period": params["period"]}
    )
    context: dict[str, Any] = {
        "unit": unit,
        "ancestors": _crumbs(request.user, unit),
        "form": form,
        "indicator": None,
    }
    if form.is_bound and form.is_valid():
        indicator, period = form.cleaned_data["indicator"], form.cleaned_data["period"]
        found = selectors.indicator_comparison(indicator=indicator, parent=unit, period=period.code)
        lower = indicator.direction == Direction.LOWER
        with_value = sorted(
            (r for r in found if r.value is not None), key=lambda r: r.value, reverse=not lower
        )
        without = [r for r in found if r.value is None]
        rows = [
            {"unit": r.unit, "value": r.value, "text": _figure(r.value, indicator), "rank": index}
            for index, r in enumerate(with_value, start=1)
        ] + [{"unit": r.unit, "value": None, "text": _("no figure"), "rank": None} for r in without]
        chart = None
        if with_value:  # a chart of empty bars says nothing the table does not
            chart = bar_chart(
                title=_("%(indicator)s, %(period)s")
                % {"indicator": indicator.label, "period": period.label()},
                description=_("Units under %(unit)s, best first.") % {"unit": unit.name},
                rows=[(r["unit"].name, r["value"], r["text"]) for r in rows],
            )
        context.update(indicator=indicator, period=period, comparison_rows=rows, chart=chart)
    if request.htmx:
        # HTMX swaps only 2xx answers by default: a refusal comes back as 200 with its message.
        return _vary_on_htmx(render(request, "targets/_comparison_results.html", context))
    return _vary_on_htmx(
        render(request, "targets/comparison.html", context, status=400 if form.errors else 200)
    )


# --- indicators ----------------------------------------------------------------------------------


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    queryset = Indicator.objects.visible_to(request.user).order_by("group", "code")
    filterset = IndicatorFilterSet(request.GET or None, queryset=queryset, request=request)
    indicators = filterset.qs if filterset.is_bound else queryset
    page = paginate(request, indicators, per_page=100)
    return render(
        request,
        "targets/indicator_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "indicators": page.object_list,
            "query_without_page": query_without_page(request),
        },
    )


# --- offline template and upload -----------------------------------------------------------------


@login_required
def template_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The XLSX template of a resolution for a unit (`?unit=` or `?unit_code=`, the resolution's
    unit by default) and a period (`?period=`)."""
    resolution = _get_resolution(request, pk)
    unit = _unit_from_query(request) or resolution.unit
    try:
        period = parse_period(request.GET.get("period") or _default_period().code)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("targets:resolution_detail", pk=resolution.pk)
    indicators: list[Indicator] = []
    for target in resolution.targets.select_related("indicator").order_by("position"):
        if target.indicator.is_entered and target.indicator not in indicators:
            indicators.append(target.indicator)
    stored = {
        v.indicator_id: v
        for v in DataValue.objects.visible_to(request.user).filter(
            unit=unit, period=period.code, indicator__in=indicators
        )
    }
    rows = []
    for indicator in indicators:
        value = stored.get(indicator.pk)
        row: dict[str, Any] = {"indicator": indicator}
        if value is not None:
            row.update(
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                source=value.source,
                comment=value.comment,
            )
        rows.append(row)
    content = build_template(resolution=resolution, unit=unit, period=period.code, rows=rows)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    slug = ascii_slug(f"{resolution.number} {unit.code}")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{period.code}.xlsx"'
    return response


UPLOAD_SALT = "grassroots.targets.upload"
UPLOAD_MAX_AGE = 3600


def _jsonable_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]


def _decimal_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    numbers = {"value", "numerator", "denominator"}
    return [
        {k: (Decimal(v) if k in numbers and v not in (None, "") else v) for k, v in row.items()}
        for row in rows
    ]


def _shown_errors(errors) -> list[dict[str, Any]]:
    return [{"row": e.row, "column": column_label(e.field), "message": e.message} for e in errors][
        :500
    ]


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a filled template: a dry run first (what would be created, changed, left as it
    is, and every error by row and column), then the confirmation saves it, all or nothing."""
    if not _some_change_role(request.user):
        raise PermissionDenied
    unit = _unit_from_query(request)
    form = f.UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"unit": unit, "ancestors": _crumbs(request.user, unit), "form": form}
    status = 200
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            payload = signing.loads(
                request.POST["confirm"],
                salt=f"{UPLOAD_SALT}.{request.user.pk}",
                max_age=UPLOAD_MAX_AGE,
            )
        except signing.BadSignature:
            messages.error(request, _("The check has expired: upload the file again."))
            return redirect(request.get_full_path())
        summary = services.data_values_import(
            actor=request.user,
            rows=_decimal_rows(payload["rows"]),
            dry_run=False,
            submit=payload["submit"],
        )
        context.update(
            summary=summary,
            errors=_shown_errors(summary.errors),
            file_name=payload["file"],
            submit=payload["submit"],
        )
        if summary.errors:
            status = 400
        else:
            messages.success(
                request, _("%(n)d figures saved.") % {"n": summary.created + summary.updated}
            )
            if unit is not None:
                context["back_url"] = reverse("targets:data_entry", args=[unit.pk])
    elif request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        submit = form.cleaned_data["submit"]
        try:
            parsed = read_upload(upload_file)
        except FileError as exc:
            context["file_error"] = str(exc)
            return render(request, "targets/upload.html", context, status=400)
        summary = services.data_values_import(
            actor=request.user, rows=parsed.rows, dry_run=True, submit=submit
        )
        # A cell that could not be read is named once, with the reader's message.
        unread = {(e.row, e.field) for e in parsed.errors}
        errors = sorted(
            [*parsed.errors, *(e for e in summary.errors if (e.row, e.field) not in unread)],
            key=lambda e: (e.row, e.field),
        )
        context.update(
            summary=summary, errors=_shown_errors(errors), file_name=upload_file.name, submit=submit
        )
        if errors:
            status = 400
        elif not parsed.rows:
            context["file_error"] = _("The file has no figure to save: fill the value column.")
            context.pop("summary")
            status = 400
        elif not summary.created and not summary.updated:
            context["nothing_new"] = True
        else:
            context["confirm_token"] = signing.dumps(
                {"rows": _jsonable_rows(parsed.rows), "submit": submit, "file": upload_file.name},
                salt=f"{UPLOAD_SALT}.{request.user.pk}",
                compress=True,
            )
    return render(request, "targets/upload.html", context, status=status)
