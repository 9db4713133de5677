"""The data-entry grid of a unit and period (indicators × periods: the figures of the periods
before beside the one entered), one row of it, and the approval flow of a figure.

Hand-written, all three: a grid is many forms (one per indicator) posted together, saved by one
service all or nothing, and answered as the whole grid, one row (HTMX) or a redirect; no
generic view fits. They parse the input, call `selectors.entry_grid` and one service, and
render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.access import Access, Action
from grassroots.core.forms import apply_service_errors
from grassroots.core.views import get_visible_or_404, vary_on_htmx
from grassroots.organizations.models import Unit

from .. import forms as f
from .. import selectors, services
from ..choices import ValueState
from ..models import DataValue, Indicator, Resolution
from ..periods import Period, parse_period
from ..selectors import EntryGrid, EntryRow
from .common import default_period, targets_trail

ROW_ERROR_MAPPING = {"indicator": None, "unit": None, "period": None}


def _period_from_query(request: HttpRequest) -> tuple[f.PeriodForm, Period]:
    form = f.PeriodForm(request.GET if request.GET.get("period") else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["period"]
    period = default_period()
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


def _grid(
    request: HttpRequest,
    unit: Unit,
    period: Period,
    *,
    resolution: Resolution | None = None,
    indicators: list[Indicator] | None = None,
    data=None,
) -> EntryGrid:
    """The grid from the selector, with a form over each entered row (bound to `data`)."""
    grid = selectors.entry_grid(
        user=request.user,
        unit=unit,
        period=period,
        resolution=resolution,
        indicators=indicators,
        with_resolutions=indicators is None,
    )
    for row in grid.rows:
        if row.computed:
            continue
        initial = {}
        if row.value is not None:
            initial = {
                name: getattr(row.value, name)
                for name in ("value", "numerator", "denominator", "source", "comment")
            }
        row.form = f.EntryRowForm(data, initial=initial, indicator=row.indicator, ratio=row.ratio)
    return grid


def _save(
    request: HttpRequest, grid: EntryGrid, rows: list[EntryRow], *, submit: bool = False
) -> tuple[bool, list[str]]:
    """Hand the rows typed in to the grid service (and submit the drafts when asked), all or
    nothing. Returns whether it saved, and the refusals about the whole grid; a row's refusal
    stands next to its fields."""
    figures = []
    valid = True
    for row in rows:
        if not row.editable or row.form is None or not row.form.posted:
            continue
        if not row.form.is_valid():
            valid = False
            continue
        if row.form.touched(row.value):
            figures.append((row.indicator, row.form.service_kwargs()))
    try:
        services.data_values_save_grid(
            actor=request.user,
            unit=grid.unit,
            period=grid.period.code,
            figures=figures,
            submit=[row.indicator.pk for row in rows if row.can_change] if submit else [],
            # A row the form refused: the service still says what it refuses in the others.
            dry_run=not valid,
        )
    except services.GridRefused as refused:
        by_id = {row.indicator.pk: row for row in rows}
        for pk, error in refused.by_indicator.items():
            apply_service_errors(by_id[pk].form, error, ROW_ERROR_MAPPING)
        return False, []
    except ValidationError as error:
        if len(rows) == 1 and rows[0].form is not None:
            rows[0].form.add_error(None, error.messages)
        return False, error.messages
    return valid, []


def _state_counts(rows: list[EntryRow]) -> tuple[list[dict[str, Any]], dict[str, int], int]:
    counts = {state: 0 for state in ValueState.values}
    missing = approvable = 0
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
    return state_counts, counts, approvable


def _entry_context(
    request: HttpRequest,
    grid: EntryGrid,
    *,
    resolution: Resolution | None = None,
    period_form=None,
) -> dict[str, Any]:
    unit, period = grid.unit, grid.period
    state_counts, counts, approvable = _state_counts(grid.rows)
    return {
        "unit": unit,
        "grid": grid,
        "trail": targets_trail(request.user, unit),
        "period": period,
        "period_form": period_form or f.PeriodForm(initial={"period": period.code}),
        "previous_period": selectors.previous_period(period),
        "next_period": selectors.next_period(period),
        "rows": grid.rows,
        "resolutions": grid.resolutions,
        "resolution_filter": resolution,
        "state_counts": state_counts,
        "submitted_count": counts[ValueState.SUBMITTED],
        "approvable_count": approvable,
        "can_change": grid.can_change,
        "can_manage": grid.can_manage,
    }


@login_required
def data_entry(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The figures of a unit for one period, one row per indicator its resolutions ask for.
    POST saves the changed rows as drafts (`action=save`), saves and submits them
    (`action=submit`), approves every submitted figure (`action=approve`, managers) or saves one
    row (`save_row=<indicator id>`, the grid without JavaScript). Nothing is saved when any
    row is refused: the messages stand next to the fields. A closed unit's grid takes nothing.

    Hand-written: many forms posted together (see the module)."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    period_form, period = _period_from_query(request)
    resolution = _resolution_filter(request, unit)
    data = request.POST if request.method == "POST" else None
    grid = _grid(request, unit, period, resolution=resolution, data=data)
    grid_errors, refusals, status = False, [], 200
    if request.method == "POST":
        access = Access.of(request.user)
        action = request.POST.get("action", "")
        save_row = request.POST.get("save_row", "")
        if action == "approve":
            access.require(Action.MANAGE, unit)
            count = services.data_values_approve(
                actor=request.user, values=[row.value for row in grid.rows if row.can_approve]
            )
            messages.success(request, _("%(n)d figures approved.") % {"n": count})
            left = sum(
                1 for row in grid.rows if row.state == ValueState.SUBMITTED and row.entered_by_user
            )
            if left:
                messages.info(
                    request,
                    _("%(n)d figures you entered yourself wait for another manager's approval.")
                    % {"n": left},
                )
            return redirect(_grid_url(unit, period, resolution))
        access.require(Action.CHANGE, unit)
        chosen = grid.rows
        if save_row:
            chosen = [row for row in grid.rows if str(row.indicator.pk) == save_row]
        saved, refusals = _save(request, grid, chosen, submit=action == "submit")
        if saved:
            if action == "submit":
                messages.success(request, _("The figures are saved and submitted for approval."))
            else:
                messages.success(request, _("The figures are saved as drafts."))
            return redirect(_grid_url(unit, period, resolution))
        grid_errors, status = True, 400
    context = _entry_context(request, grid, resolution=resolution, period_form=period_form)
    context.update(grid_errors=grid_errors, refusals=refusals)
    return render(request, "targets/data_entry.html", context, status=status)


def _row_response(
    request: HttpRequest, grid: EntryGrid, row: EntryRow, *, status: int = 200
) -> HttpResponse:
    context = {"unit": grid.unit, "period": grid.period, "grid": grid, "row": row}
    if request.htmx:
        # HTMX swaps only 2xx answers by default: refusals come back as 200 with the row.
        return vary_on_htmx(render(request, "targets/_entry_row.html", context, status=200))
    context["trail"] = targets_trail(request.user, grid.unit)
    return vary_on_htmx(render(request, "targets/data_entry_row.html", context, status=status))


def _one_row(
    request: HttpRequest, unit: Unit, period: Period, indicator: Indicator, data=None
) -> tuple[EntryGrid, EntryRow]:
    grid = _grid(request, unit, period, indicators=[indicator], data=data)
    return grid, grid.rows[0]


@login_required
def entry_row(request: HttpRequest, unit_id: int, indicator_id: int) -> HttpResponse:
    """One row of the grid: GET shows it (a page of its own without HTMX), POST saves it as a
    draft and answers with the row (HTMX) or returns to the grid.

    Hand-written: a row of the grid, answered as the row (see the module)."""
    unit = get_visible_or_404(Unit.objects.all(), request.user, pk=unit_id)
    indicator = Indicator.objects.visible_to(request.user).filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    _form, period = _period_from_query(request)
    if request.method != "POST":
        return _row_response(request, *_one_row(request, unit, period, indicator))
    Access.of(request.user).require(Action.CHANGE, unit)
    grid, row = _one_row(request, unit, period, indicator, data=request.POST)
    if not row.editable:
        raise PermissionDenied
    saved, _refusals = _save(request, grid, [row])
    if not saved:
        return _row_response(request, grid, row, status=400)
    if not request.htmx:
        messages.success(request, _("The figure is saved as a draft."))
        return redirect(_grid_url(unit, period))
    grid, row = _one_row(request, unit, period, indicator)
    row.saved = _("Saved as a draft.")
    return _row_response(request, grid, row)


VALUE_ACTIONS = {"submit", "approve", "return", "reopen"}


@login_required
@require_POST
def value_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Submit, approve, return (with a reason) or reopen (with a reason) one figure.

    Hand-written: four services behind one URL, answered as the grid's row (see the module)."""
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
            Access.of(request.user).require(Action.CHANGE, unit)
            # Figures typed in the row before pressing "Submit" are saved first.
            grid, row = _one_row(request, unit, period, indicator, data=request.POST)
            if row.form is not None and row.form.posted:
                saved, _refusals = _save(request, grid, [row], submit=True)
                if not saved:
                    return _row_response(request, grid, row, status=400)
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
    grid, row = _one_row(request, unit, period, indicator)
    if error:
        row.reason_error = error
    else:
        row.saved = done
    return _row_response(request, grid, row)
