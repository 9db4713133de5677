"""Date arithmetic the rules are written in: months and working days."""

import calendar
import datetime as dt
import functools
import time


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The holiday table is read once and kept for a short while: bulk imports count working days
# for every row. Saving or deleting a Holiday clears this process's copy at once (core.apps);
# other processes see the change within CACHE_SECONDS, as with the rule settings.
CACHE_SECONDS = 60.0
_holidays: frozenset[dt.date] | None = None
_holidays_loaded_at: float | None = None


def clear_holiday_cache(**_kwargs) -> None:
    global _holidays, _holidays_loaded_at
    _holidays = None
    _holidays_loaded_at = None
    _add_working_days.cache_clear()


def holiday_dates() -> frozenset[dt.date]:
    """The days of the holiday table (`core.Holiday`)."""
    global _holidays, _holidays_loaded_at
    now = time.monotonic()
    stale = _holidays_loaded_at is None or now - _holidays_loaded_at > CACHE_SECONDS
    if _holidays is None or stale:
        from .models import Holiday

        loaded = frozenset(Holiday.objects.values_list("date", flat=True))
        if loaded != _holidays:
            _add_working_days.cache_clear()  # counts made with the old table are of no more use
            _holidays = loaded
        _holidays_loaded_at = now
    return _holidays


def add_working_days(
    day: dt.date, count: int, holidays: frozenset[dt.date] | None = None
) -> dt.date:
    """The date `count` working days (Monday–Friday less the holiday table) after `day`.

    `holidays`: the table as `holiday_dates()` gave it, for a caller that must not query while it
    counts (a COPY in progress holds the connection: a query then would wait forever)."""
    return _add_working_days(day, count, holiday_dates() if holidays is None else holidays)


# Bulk imports check the same dates again and again. The table is part of the key (a frozenset
# hashes once), so a count made with an older table is never returned.
@functools.lru_cache(maxsize=8192)
def _add_working_days(day: dt.date, count: int, holidays: frozenset[dt.date]) -> dt.date:
    current = day
    added = 0
    while added < count:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            added += 1
    return current


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
