"""Date arithmetic the rules are written in: months and working days."""

import calendar
import datetime as dt
import functools


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@functools.lru_cache(maxsize=8192)  # pure; bulk imports check the same dates again and again
def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (Monday–Friday) after `day`."""
    current = day
    added = 0
    while added < count:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
