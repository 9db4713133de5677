"""Periods as DHIS2-style codes: `2023` (year), `2023Q2` (quarter), `202304` (month).

A period is a half-open interval of days [start, end): `end` is the first day after it, so
periods compare and nest without off-by-one days.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .choices import PeriodKind

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})(\d{2})$")
MIN_YEAR, MAX_YEAR = 1900, 2200


@dataclass(frozen=True)
class Period:
    """One year, quarter or month: its code and its days [start, end). Sort by `start`."""

    code: str
    kind: str
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return self.code

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def label(self) -> str:
        """Readable form: 2023, Q2/2023 (Quý 2/2023 in Vietnamese), 04/2023."""
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(quarter)s/%(year)s") % {
                "quarter": (self.start.month - 1) // 3 + 1,
                "year": self.year,
            }
        if self.kind == PeriodKind.MONTH:
            return f"{self.start.month:02d}/{self.year}"
        return str(self.year)


def _month_after(year: int, month: int) -> dt.date:
    return dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)


def year_period(year: int) -> Period:
    return Period(f"{year:04d}", PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(
        f"{year:04d}Q{quarter}",
        PeriodKind.QUARTER,
        dt.date(year, first, 1),
        _month_after(year, first + 2),
    )


def month_period(year: int, month: int) -> Period:
    return Period(
        f"{year:04d}{month:02d}",
        PeriodKind.MONTH,
        dt.date(year, month, 1),
        _month_after(year, month),
    )


def parse_period(code: str) -> Period:
    """The period of a code; ValueError with a readable message for anything else."""
    text = (code or "").strip().upper()
    if m := _YEAR.match(text):
        year, make = int(m.group(1)), lambda y: year_period(y)
    elif m := _QUARTER.match(text):
        year, make = int(m.group(1)), lambda y: quarter_period(y, int(m.group(2)))
    elif m := _MONTH.match(text):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(
                _("“%(code)s” is not a period: the month must be 01 to 12.") % {"code": code}
            )
        year, make = int(m.group(1)), lambda y: month_period(y, month)
    else:
        raise ValueError(
            _(
                "“%(code)s” is not a period: "
                "write a year (2023), a quarter (2023Q2) or a month (202304)."
            )
            % {"code": code}
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(
            _("“%(code)s” is not a period: the year is out of range.") % {"code": code}
        )
    return make(year)


def period_label(code: str | None) -> str:
    """The readable form of a period's code (202403 → 03/2024), for pages and exports; the code
    itself when it is not one."""
    if not code:
        return ""
    try:
        return parse_period(code).label()
    except ValueError:
        return code


def period_for(kind: str, day: dt.date) -> Period:
    """The year, quarter or month that contains `day`."""
    if kind == PeriodKind.YEAR:
        return year_period(day.year)
    if kind == PeriodKind.QUARTER:
        return quarter_period(day.year, (day.month - 1) // 3 + 1)
    if kind == PeriodKind.MONTH:
        return month_period(day.year, day.month)
    raise ValueError(f"Unknown period kind {kind!r}")


def periods_between(kind: str, start_year: int, end_year: int) -> list[Period]:
    """Every period of `kind` from the start of `start_year` to the end of `end_year`."""
    result: list[Period] = []
    for year in range(start_year, end_year + 1):
        if kind == PeriodKind.YEAR:
            result.append(year_period(year))
        elif kind == PeriodKind.QUARTER:
            result.extend(quarter_period(year, q) for q in range(1, 5))
        elif kind == PeriodKind.MONTH:
            result.extend(month_period(year, m) for m in range(1, 13))
        else:
            raise ValueError(f"Unknown period kind {kind!r}")
    return result
