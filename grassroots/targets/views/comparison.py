"""The comparison of the units under a district or province on one indicator and period: a
table ranked best first (tied figures share a rank) and a bar chart."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.views import vary_on_htmx
from grassroots.organizations.lookups import unit_from_query
from grassroots.organizations.models import Unit

from .. import forms as f
from .. import selectors
from ..charts import bar_chart
from ..display import figure_text
from .common import default_period, targets_trail


@login_required
def comparison(request: HttpRequest) -> HttpResponse:
    """The units directly under `?unit=` on one indicator and period.

    Hand-written: a read page whose form only chooses what to compare (no service, no list of
    rows the user may see: the units come from the tree of the period)."""
    unit = unit_from_query(request)
    if unit is None:
        first = Unit.objects.visible_to(request.user).order_by("depth", "path").first()
        if first is None:
            raise Http404
        return redirect(f"{reverse('targets:comparison')}?unit={first.pk}")
    params = request.GET.copy()
    params.pop("unit", None)
    if not params.get("period"):
        params["period"] = default_period().code
    form = f.ComparisonForm(
        params if params.get("indicator") else None, initial={"period": params["period"]}
    )
    context: dict[str, Any] = {
        "unit": unit,
        "trail": targets_trail(request.user, unit),
        "form": form,
        "indicator": None,
    }
    if form.is_bound and form.is_valid():
        indicator, period = form.cleaned_data["indicator"], form.cleaned_data["period"]
        found = selectors.indicator_comparison(indicator=indicator, parent=unit, period=period.code)
        ranked = selectors.comparison_ranking(found, direction=indicator.direction)
        rows = [
            {
                "unit": r.unit,
                "value": r.value,
                "text": figure_text(r.value, indicator) if r.value is not None else _("no figure"),
                "rank": r.rank,
            }
            for r in ranked
        ]
        chart = None
        if any(r.value is not None for r in ranked):  # empty bars say nothing the table does not
            chart = bar_chart(
                title=_("%(indicator)s, %(period)s")
                % {"indicator": indicator.label, "period": period.label()},
                description=_("Units under %(unit)s, best first.") % {"unit": unit.name},
                rows=[(r["unit"].name, r["value"], r["text"]) for r in rows],
            )
        context.update(indicator=indicator, period=period, comparison_rows=rows, chart=chart)
    if request.htmx:
        # HTMX swaps only 2xx answers by default: a refusal comes back as 200 with its message.
        return vary_on_htmx(render(request, "targets/_comparison_results.html", context))
    return vary_on_htmx(
        render(request, "targets/comparison.html", context, status=400 if form.errors else 200)
    )
