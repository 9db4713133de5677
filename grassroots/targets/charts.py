"""Charts drawn on the server: no JavaScript, a few hundred bytes each, readable by screen
readers through <title>/<desc> (and every chart sits beside a table of its figures).

Text is never drawn inside a scaled SVG: an SVG with a viewBox shrinks with its width, and 12 px
labels become 9 px on a phone. The lines and dots are SVG; the axis labels and the legend are
HTML placed over and under it (in % of its box, which keeps the SVG's proportions), sized in CSS
px like the rest of the page. The bar chart is HTML alone.

Only geometry lives here; numbers are formatted by the caller in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

Number = Decimal | float | int

_ids = count(1)


def _uid(prefix: str) -> str:
    # Several charts share one page: their <title>/<desc> ids must differ.
    return f"{prefix}-{next(_ids)}"


def _nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5, 5 × 10^n) that cuts `span` into about `ticks` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _axis(values: Sequence[float]) -> tuple[float, float, list[float]]:
    """Bounds and tick values that enclose `values` with round numbers, from 0 when close."""
    low, high = min(values), max(values)
    if low >= 0 and low <= high * 0.6:
        low = 0.0  # bars and levels read better from zero when zero is not far
    if high == low:
        high = low + (abs(low) or 1.0)
    step = _nice_step(high - low)
    start = (low // step) * step
    ticks = []
    tick = start
    while tick < high + step * 0.999:
        ticks.append(round(tick, 10))
        tick += step
    return ticks[0], ticks[-1], ticks


@dataclass(frozen=True)
class Point:
    x: int  # a year
    y: float


def _points(pairs: Sequence[tuple[int, Number | None]]) -> list[Point]:
    return [Point(int(x), float(y)) for x, y in pairs if y is not None]


def progress_chart(
    *,
    title: str,
    description: str,
    baseline: tuple[int, Number] | None,
    target: tuple[int, Number] | None,
    target_high: Number | None = None,
    milestones: Sequence[tuple[int, Number]] = (),
    actuals: Sequence[tuple[int, Number | None]] = (),
    fmt: Callable[[Number], str] = lambda v: f"{v:g}",
    legend: dict[str, str] | None = None,
    width: int = 340,
    height: int = 190,
) -> SafeString:
    """A line chart of one target over the years.

    The planned path runs dashed from the baseline through the milestones to the target; the
    actual values are a solid line with dots; the target (and the top of a target range) is a
    dashed horizontal line. Years run along the bottom.
    """
    planned = _points(
        ([baseline] if baseline else []) + list(milestones) + ([target] if target else [])
    )
    planned.sort(key=lambda p: p.x)
    actual = sorted(_points(actuals), key=lambda p: p.x)
    every = planned + actual
    ys = [p.y for p in every]
    if target_high is not None:
        ys.append(float(target_high))
    chart_id = _uid("chart")
    if not every:
        return format_html(
            '<div class="chart-box"><svg class="chart" role="img" aria-labelledby="{0}-t {0}-d" '
            'viewBox="0 0 {1} 40" width="100%">'
            '<title id="{0}-t">{2}</title><desc id="{0}-d">{3}</desc></svg></div>',
            chart_id,
            width,
            title,
            description,
        )
    years = [p.x for p in every]
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    low, high, ticks = _axis(ys)
    left, right, top, bottom = 56, 16, 12, 32
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(year: float) -> float:
        return left + (year - first) / (last - first) * plot_w

    def sy(value: float) -> float:
        return top + (high - value) / (high - low) * plot_h

    def at(x: float, y: float) -> str:
        # A label's place over the chart, in % of its box (the SVG keeps its proportions).
        return f"left:{x / width * 100:.2f}%;top:{y / height * 100:.2f}%"

    parts: list[str] = []
    labels: list[str] = []
    for tick in ticks:
        y = sy(tick)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        labels.append(
            f'<span class="chart-label tick-y" style="{at(left - 4, y)}">{escape(fmt(tick))}</span>'
        )
    step = max(1, round((last - first) / 6))
    for year in range(first, last + 1, step):
        labels.append(
            f'<span class="chart-label tick-x" style="{at(sx(year), height - bottom + 10)}">'
            f"{year}</span>"
        )
    if target is not None and target[1] is not None:
        y = sy(float(target[1]))
        parts.append(
            f'<line class="target" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
    if target_high is not None:
        y = sy(float(target_high))
        parts.append(
            f'<line class="target" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
    if len(planned) > 1:
        path = " ".join(f"{sx(p.x):.1f},{sy(p.y):.1f}" for p in planned)
        parts.append(f'<polyline class="planned" points="{path}"/>')
    for p in planned:
        parts.append(f'<circle class="planned-dot" cx="{sx(p.x):.1f}" cy="{sy(p.y):.1f}" r="3"/>')
    if len(actual) > 1:
        path = " ".join(f"{sx(p.x):.1f},{sy(p.y):.1f}" for p in actual)
        parts.append(f'<polyline class="actual" points="{path}"/>')
    for p in actual:
        parts.append(f'<circle class="actual-dot" cx="{sx(p.x):.1f}" cy="{sy(p.y):.1f}" r="4"/>')
    legend_html = ""
    if legend:
        legend_html = (
            '<ul class="chart-legend" aria-hidden="true">'
            f'<li><span class="swatch planned"></span>{escape(legend.get("planned", ""))}</li>'
            f'<li><span class="swatch actual"></span>{escape(legend.get("actual", ""))}</li>'
            "</ul>"
        )
    svg = (
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
    return mark_safe(  # noqa: S308 - every text above is escaped, numbers are ours
        '<div class="chart-box"><div class="chart-plot">'
        + svg
        + '<div class="chart-labels" aria-hidden="true">'
        + "".join(labels)
        + "</div></div>"
        + legend_html
        + "</div>"
    )


def bar_chart(
    *,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Number | None, str]],
    highlight: str | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value, shown value), in HTML: the label above its bar
    so that long Vietnamese names fit a phone, the value at the bar's end, all in the page's own
    type size. Missing values get no bar."""
    chart_id = _uid("bars")
    values = [float(v) for _label, v, _shown in rows if v is not None]
    low = min([0.0, *values])
    high = max([0.0, *values]) or 1.0
    span = high - low or 1.0
    # The longest bar leaves room for its value at the end.
    reach = 80.0

    def pos(value: float) -> float:
        return (value - low) / span * reach

    items: list[str] = []
    zero = pos(0.0)
    for label, value, shown in rows:
        css = "hbar highlight" if highlight is not None and label == highlight else "hbar"
        if value is None:
            bar = f'<span class="hbar-value">{escape(shown)}</span>'
        else:
            x0, x1 = sorted((zero, pos(float(value))))
            bar = (
                f'<span class="{css}" style="margin-left:{x0:.2f}%;width:{max(x1 - x0, 0.5):.2f}%">'
                f'</span><span class="hbar-value">{escape(shown)}</span>'
            )
        items.append(
            f'<li><span class="hbar-label">{escape(label)}</span>'
            f'<span class="hbar-track">{bar}</span></li>'
        )
    return mark_safe(  # noqa: S308 - every text above is escaped, numbers are ours
        f'<figure class="chart-box bars" role="img" aria-labelledby="{chart_id}-t {chart_id}-d">'
        f'<figcaption class="visually-hidden"><span id="{chart_id}-t">{escape(title)}</span> '
        f'<span id="{chart_id}-d">{escape(description)}</span></figcaption>'
        f'<ol class="hbars" aria-hidden="true">{"".join(items)}</ol></figure>'
    )
