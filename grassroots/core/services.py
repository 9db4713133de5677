"""Writes of the holiday table, the days off that "N working days" rules skip."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .audit import acting_as
from .holiday_calendar import calendar_rows
from .models import Holiday


@transaction.atomic
def holiday_add(
    *, actor, date: dt.date, name: str, kind: str = Holiday.Kind.PUBLIC, source: str = ""
) -> Holiday:
    """Add a day off (a government decision the calendar does not hold yet). Refused: a date
    already in the table, an empty name, an unknown kind."""
    holiday = Holiday(
        date=date, name=(name or "").strip(), kind=kind, source=(source or "").strip()
    )
    try:
        holiday.full_clean()
    except ValidationError as error:
        if "date" in error.message_dict and Holiday.objects.filter(date=date).exists():
            raise ValidationError(
                {"date": _("%(date)s is already a day off.") % {"date": f"{date:%d/%m/%Y}"}}
            ) from error
        raise
    with acting_as(actor):
        holiday.save()
    return holiday


@transaction.atomic
def holiday_remove(*, actor, date: dt.date) -> None:
    """Remove a day off (the government moved it); the day counts as a working day again if it
    is a weekday. A day that is not in the table is refused."""
    holiday = Holiday.objects.filter(date=date).first()
    if holiday is None:
        raise ValidationError(
            {"date": _("%(date)s is not a day off.") % {"date": f"{date:%d/%m/%Y}"}}
        )
    with acting_as(actor):
        holiday.delete()


@dataclass(frozen=True)
class SeedResult:
    added: int
    years_filled: list[int]
    years_kept: list[int]


@transaction.atomic
def holidays_seed(*, actor, first_year: int, last_year: int) -> SeedResult:
    """Fill the years `first_year`..`last_year` from the holiday calendar (`core.holiday_calendar`).

    Only a year that holds no day off yet is filled: a year already in the table is the
    administrator's, with the government's decision applied to it, and a day removed from it
    must not come back. Running it again therefore changes nothing."""
    if first_year > last_year:
        raise ValidationError({"last_year": _("The last year precedes the first.")})
    if first_year < 1901 or last_year > 2100:
        raise ValidationError({"first_year": _("Give years between 1901 and 2100.")})
    kept = {
        day.year
        for day in Holiday.objects.filter(
            date__year__gte=first_year, date__year__lte=last_year
        ).dates("date", "year")
    }
    added = 0
    with acting_as(actor):
        for row in calendar_rows(first_year, last_year):
            if row.date.year in kept:
                continue
            Holiday.objects.create(date=row.date, name=row.name, kind=row.kind, source=row.source)
            added += 1
    years = range(first_year, last_year + 1)
    return SeedResult(
        added=added,
        years_filled=[y for y in years if y not in kept],
        years_kept=[y for y in years if y in kept],
    )
