"""Vietnam's days off for a range of years: the seed of the holiday table (`core.Holiday`).

The days come from the maintained `holidays` package (public holidays of the Labour Code,
Tết from the lunar calendar, compensatory and swapped days off), completed by
`GOVERNMENT_DAYS_OFF`, the government's yearly decisions for the years checked by hand.

Checked against the government's decisions (package 0.109):
- Tết Giáp Thìn 2024, off 08/02–14/02/2024 (7 days with the weekend; Saturday 10/02 the first
  day of the year): the package gives every one of the seven days.
- Tết Ất Tỵ 2025, off 25/01–02/02/2025 (9 days with the weekends): the package gives the
  weekdays 27/01–31/01 and Saturday 01/02; the table adds the weekend days 25/01, 26/01, 02/02.
- 30/4–1/5 2025, off 30/04–04/05 with Friday 02/05 swapped for Saturday 26/04: the package
  gives 30/04, 01/05 and 02/05 (the swapped day).
- 2/9 2025, off 30/08–02/09 (the Labour Code's 1/9 and 2/9 with the weekend): the package gives
  01/09 and 02/09.
- 30/4–1/5 2024 (29/04 swapped for Saturday 04/05) and 2/9 2024 (02–03/09): as decided.
So no weekday off was missing for 2024 and 2025; the table completes Tết 2025 so that the list
shows the nine days as announced (the package lists a Tết weekend day only from 29 Tết on).
A Saturday worked in exchange for a swapped day (26/04/2025) is not a working day here: rules
count Monday to Friday only. Other years are the package's
until an administrator enters the year's decision (admin or `manage.py holidays add`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PUBLIC, COMPENSATORY, TET = "public", "compensatory", "tet"  # Holiday.Kind values


@dataclass(frozen=True)
class HolidayRow:
    date: dt.date
    name: str
    kind: str
    source: str


_TET_2025 = "Quyết định của Chính phủ về nghỉ Tết Nguyên đán Ất Tỵ 2025: nghỉ 25/01–02/02/2025"

# Days off the government decided that the package does not list, for the years checked.
GOVERNMENT_DAYS_OFF: tuple[HolidayRow, ...] = (
    HolidayRow(dt.date(2025, 1, 25), "Nghỉ Tết Nguyên Đán (27 Tết)", TET, _TET_2025),
    HolidayRow(dt.date(2025, 1, 26), "Nghỉ Tết Nguyên Đán (28 Tết)", TET, _TET_2025),
    HolidayRow(dt.date(2025, 2, 2), "Nghỉ Tết Nguyên Đán (Mùng năm Tết)", TET, _TET_2025),
)


def _kind(name: str) -> str:
    if "Tết Nguyên Đán" in name or name.endswith(" Tết"):
        return TET
    if "nghỉ bù" in name or name.startswith("Ngày nghỉ"):
        return COMPENSATORY
    return PUBLIC


def package_source() -> str:
    import holidays

    return f"Lịch ngày lễ Việt Nam của thư viện holidays {holidays.__version__}"


def calendar_rows(first_year: int, last_year: int) -> list[HolidayRow]:
    """The days off of the years `first_year`..`last_year`, by date: the package's, with the
    government's days of `GOVERNMENT_DAYS_OFF` added (and preferred on the same date)."""
    import holidays

    years = range(first_year, last_year + 1)
    source = package_source()
    rows = {
        day: HolidayRow(day, name, _kind(name), source)
        for day, name in holidays.country_holidays("VN", years=years, language="vi").items()
    }
    for row in GOVERNMENT_DAYS_OFF:
        if first_year <= row.date.year <= last_year:
            rows[row.date] = row
    return [rows[day] for day in sorted(rows)]
