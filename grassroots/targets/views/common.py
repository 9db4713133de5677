"""What the targets pages share: the breadcrumb trail, the default period, the resolution of
the URL, the rows of a review ready to show and the form page of the resolutions and targets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.access import Access
from grassroots.core.views import Crumb, ServiceFormView, crumb_trail, get_visible_or_404
from grassroots.organizations.models import Unit

from .. import selectors
from ..charts import progress_chart
from ..display import figure_text, percent_text, target_text
from ..models import Resolution, Target
from ..numbers import show_number
from ..periods import Period, parse_period, period_label, year_period


def default_period() -> Period:
    # Figures of a year are reported after it ends: the year just past is the usual one.
    return year_period(timezone.localdate().year - 1)


def resolution_list_url(unit: Unit | None = None) -> str:
    url = reverse("targets:resolution_list")
    return f"{url}?unit={unit.pk}" if unit is not None else url


def targets_trail(
    user, unit: Unit | None, *, resolution: Resolution | None = None, tail=()
) -> list[Crumb]:
    """Targets › the units above (those the user may see) › the unit › the resolution."""
    steps = []
    if resolution is not None:
        steps.append(
            Crumb(resolution.number, reverse("targets:resolution_detail", args=[resolution.pk]))
        )
    return crumb_trail(
        home=Crumb(_("Targets"), reverse("targets:resolution_list")),
        units=Access.of(user).crumbs(unit, include_self=True) if unit is not None else [],
        unit_url=resolution_list_url,
        tail=[*steps, *tail],
    )


def get_resolution(request: HttpRequest, pk: int) -> Resolution:
    return get_visible_or_404(
        Resolution.objects.select_related("unit", "term", "replaced_by"), request.user, pk=pk
    )


# --- the rows of a review ------------------------------------------------------------------------


def target_rows(review, *, with_charts: bool = False, resolver=None) -> list[dict[str, Any]]:
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
            "baseline": figure_text(target.baseline_value, indicator),
            "target_text": target_text(target),
            "actual": figure_text(achievement.actual, indicator) if achievement.has_data else "—",
            "actual_period": period_label(achievement.actual_period)
            if achievement.has_data
            else "",
            "percent": percent_text(achievement.percent),
            "progress": percent_text(achievement.progress),
        }
        if with_charts:
            item.update(chart_of(target, series[target.pk]))
        rows.append(item)
    return rows


def _year_of(code: str) -> int | None:
    try:
        return parse_period(code).year
    except ValueError:
        return None


def chart_of(target: Target, series: selectors.TargetSeries) -> dict[str, Any]:
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
            figure_text(planned[year], indicator) if year in planned else "—",
            figure_text(reported[year], indicator) if year in reported else "—",
        )
        for year in sorted(set(planned) | set(reported))
    ]
    latest = actuals[-1] if actuals else None
    description = _(
        "Baseline %(baseline)s, target %(target)s in %(year)s; latest figure %(latest)s."
    ) % {
        "baseline": figure_text(baseline[1], indicator) if baseline else "—",
        "target": target_text(target),
        "year": target.target_year,
        "latest": f"{figure_text(latest[1], indicator)} ({latest[0]})" if latest else _("none yet"),
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


# --- form pages ----------------------------------------------------------------------------------


class TargetsFormView(ServiceFormView):
    """A form page of the targets app: a title, the unit's breadcrumbs (with the resolution
    when there is one), a submit and a cancel button."""

    template_name = "targets/form_page.html"
    submit_label = ""
    intro = ""
    danger = False

    def get_unit(self) -> Unit | None:
        return self.permission_unit(self.object)

    def get_resolution(self) -> Resolution | None:
        return None

    def get_title(self) -> str:
        return ""

    def get_cancel_url(self) -> str:
        resolution = self.get_resolution()
        if resolution is not None:
            return reverse("targets:resolution_detail", args=[resolution.pk])
        return resolution_list_url(self.get_unit())

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        unit, resolution = self.get_unit(), self.get_resolution()
        return super().get_context_data(
            title=self.get_title(),
            intro=self.intro,
            submit_label=self.submit_label or _("Save"),
            cancel_url=self.get_cancel_url(),
            danger=self.danger,
            unit=unit,
            resolution=resolution,
            trail=targets_trail(self.request.user, unit, resolution=resolution),
            **kwargs,
        )
