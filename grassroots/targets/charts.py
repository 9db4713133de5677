"""Charts drawn on the server as inline SVG: no JavaScript, a few hundred bytes each, readable
by screen readers through <title>/<desc> (and every chart sits beside a table of its figures).

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
            '<svg class="chart" role="img" aria-labelledby="{0}-t {0}-d" '
            'viewBox="0 0 {1} 40" width="100%">'
            '<title id="{0}-t">{2}</title><desc id="{0}-d">{3}</desc></svg>',
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
    left, right, top, bottom = 46, 20, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom

    def sx(year: float) -> float:
        return left + (year - first) / (last - first) * plot_w

    def sy(value: float) -> float:
        return top + (high - value) / (high - low) * plot_h

    parts: list[str] = []
    for tick in ticks:
        y = sy(tick)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(fmt(tick))}</text>"
        )
    step = max(1, round((last - first) / 6))
    for year in range(first, last + 1, step):
        parts.append(
            f'<text class="tick" x="{sx(year):.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle">{year}</text>'
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
    legend = legend or {}
    legend_y = height - 8
    if legend:
        parts.append(
            f'<line class="planned" x1="{left}" x2="{left + 18}" '
            f'y1="{legend_y - 4}" y2="{legend_y - 4}"/>'
            f'<text class="legend" x="{left + 22}" y="{legend_y}">'
            f"{escape(legend.get('planned', ''))}</text>"
            f'<line class="actual" x1="{left + 150}" x2="{left + 168}" '
            f'y1="{legend_y - 4}" y2="{legend_y - 4}"/>'
            f'<text class="legend" x="{left + 172}" y="{legend_y}">'
            f"{escape(legend.get('actual', ''))}</text>"
        )
    return mark_safe(  # noqa: S308 - every text above is escaped, numbers are ours
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


def bar_chart(
    *,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Number | None, str]],
    width: int = 340,
    highlight: str | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value, shown value): the label above its bar so that
    long Vietnamese names fit a phone, the value at the bar's end. Missing values get no bar."""
    chart_id = _uid("bars")
    row_h = 48
    height = max(row_h * len(rows) + 8, 40)
    values = [float(v) for _label, v, _shown in rows if v is not None]
    low = min([0.0, *values])
    high = max([0.0, *values]) or 1.0
    left, right = 4, 70
    span = high - low or 1.0

    def sx(value: float) -> float:
        return left + (value - low) / span * (width - left - right)

    parts: list[str] = []
    zero = sx(0.0)
    for i, (label, value, shown) in enumerate(rows):
        y = i * row_h + 4
        css = "bar highlight" if highlight is not None and label == highlight else "bar"
        parts.append(f'<text class="bar-label" x="{left}" y="{y + 15}">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text class="bar-value" x="{left}" y="{y + 38}">{escape(shown)}</text>')
            continue
        x0, x1 = sorted((zero, sx(float(value))))
        parts.append(
            f'<rect class="{css}" x="{x0:.1f}" y="{y + 22}" '
            f'width="{max(x1 - x0, 1):.1f}" height="18" rx="2"/>'
            f'<text class="bar-value" x="{x1 + 4:.1f}" y="{y + 37}">{escape(shown)}</text>'
        )
    return mark_safe(  # noqa: S308 - every text above is escaped, numbers are ours
        f'<svg class="chart bars" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {width} {height}" width="100%">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
