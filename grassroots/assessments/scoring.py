"""The arithmetic of a month: group scores, the total, the band, and the deadline. Pure
functions over plain values, so that the rules are tested at their edges without a database."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

DEFAULT_DEADLINE_DAY = 10


@dataclass(frozen=True)
class GroupLimits:
    id: int
    max_points: Decimal
    min_points: Decimal | None


@dataclass(frozen=True)
class BandRule:
    key: str
    min_total: Decimal
    requires_group_minimums: bool = False


@dataclass(frozen=True)
class MonthScore:
    total: Decimal
    group_totals: dict[int, Decimal]
    groups_below_minimum: list[int]


def month_score(groups: Iterable[GroupLimits], scores: Iterable[tuple[int, Decimal | None]]):
    """The total of a month from (group id, score) pairs: each group counts at most its
    maximum; a group with a minimum and fewer points is listed as below it."""
    groups = list(groups)
    sums: dict[int, Decimal] = {g.id: Decimal(0) for g in groups}
    for group_id, score in scores:
        if score is not None and group_id in sums:
            sums[group_id] += score
    group_totals = {g.id: min(sums[g.id], g.max_points) for g in groups}
    below = [g.id for g in groups if g.min_points is not None and group_totals[g.id] < g.min_points]
    return MonthScore(sum(group_totals.values(), Decimal(0)), group_totals, below)


def band_for(
    bands: Sequence[BandRule], total: Decimal | None, *, below_minimum: bool = False
) -> BandRule | None:
    """The highest band whose lower edge the total reaches (edges are inclusive), skipping the
    bands that require every group's minimum when a group is below it."""
    if total is None:
        return None
    for band in sorted(bands, key=lambda b: b.min_total, reverse=True):
        if total >= band.min_total and not (band.requires_group_minimums and below_minimum):
            return band
    return None


def deadline_day() -> int:
    """The day of the following month by which a month is submitted (ASSESSMENT_DEADLINE_DAY,
    10 unless the settings say otherwise)."""
    day = int(getattr(settings, "ASSESSMENT_DEADLINE_DAY", DEFAULT_DEADLINE_DAY))
    return max(1, min(day, 28))


def deadline(year: int, month: int) -> dt.date:
    """The last day to submit the month: day N of the next month."""
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(year, month, min(deadline_day(), calendar.monthrange(year, month)[1]))


def is_late(year: int, month: int, on: dt.date) -> bool:
    return on > deadline(year, month)


def year_value(
    totals: Mapping[int, Decimal | None], *, missing_months: str, rule: str, months: int = 12
) -> Decimal | None:
    """The year's figure from the months' totals (month → total, None or absent = missing):
    the average or the lowest month; a missing month counts as zero or is left out."""
    values = [v for m in range(1, months + 1) if (v := totals.get(m)) is not None]
    return year_value_of(
        len(values),
        sum(values, Decimal(0)),
        min(values, default=None),
        missing_months=missing_months,
        rule=rule,
        months=months,
    )


def year_value_of(
    counted: int,
    total: Decimal | None,
    lowest: Decimal | None,
    *,
    missing_months: str,
    rule: str,
    months: int = 12,
) -> Decimal | None:
    """`year_value` from the months' count, sum and lowest (what one GROUP BY gives for many
    units at once)."""
    from .choices import MissingMonths, YearEndRule

    total = total or Decimal(0)
    if missing_months == MissingMonths.ZERO:
        if rule == YearEndRule.LOWEST:
            return lowest if counted == months else Decimal(0)
        return (total / months).quantize(Decimal("0.01"))
    if not counted:
        return None
    if rule == YearEndRule.LOWEST:
        return lowest
    return (total / counted).quantize(Decimal("0.01"))
