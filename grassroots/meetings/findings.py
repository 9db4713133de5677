"""Findings about the meetings of a unit's subtree over a year: a month without a regular
meeting, a quarter without a thematic one, attendance below the threshold, minutes not signed
after N days. Two settings tune them: MEETINGS_ATTENDANCE_THRESHOLD (a share, 0.85 by default)
and MEETINGS_MINUTES_SIGN_DAYS (7 by default).

A month (a quarter) is judged once it is over, and only for the cells open through some of it.
The counts over the whole subtree take one query whatever its size: its cells joined to their
year tallies (`MeetingYear`: the months held as bits, the meetings with low attendance, the
dates of the minutes unsigned). No meeting is read for them. The findings' details (which
month, which meeting, the rate) are read for the cells asked for — a page of a hundred on the
page and in the API, every cell in the export — from those cells' meetings found wanting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Case, F, FilteredRelation, Q, When
from django.utils.translation import ngettext

from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import FindingKind, MeetingKind
from .models import Meeting, attendance_rate
from .selectors import month_bounds
from .tallies import SCALE, attendance_threshold, is_low, late_in

__all__ = ["attendance_threshold", "sign_days", "unit_findings", "FindingsReport", "Finding"]

# What the findings' pages, export and API never read of a cell: left unloaded, a province's
# thousands of cells load in a fraction of the time.
UNREAD_UNIT_FIELDS = ("name_folded", "address", "created_at", "updated_at")
# Above this many cells, their wanting meetings are read by the subtree's path, not by ids.
IDS_AT_MOST = 500


def sign_days() -> int:
    """Days after the meeting by which its minutes are signed (7 by default)."""
    return int(getattr(settings, "MEETINGS_MINUTES_SIGN_DAYS", 7))


@dataclass(frozen=True)
class Finding:
    kind: str
    unit_id: int
    period: str  # "11/2024", "Q3/2024" or the meeting's date
    meeting_id: int | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return str(FindingKind(self.kind).label)


@dataclass
class UnitFindings:
    unit: Unit
    findings: list[Finding] = field(default_factory=list)

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


def _periods(year: int, today: dt.date) -> tuple[list, list]:
    """The months and quarters of `year` over by `today`, once for every cell: (month or
    quarter, first day, last day, label, the months' bits)."""
    months, quarters = [], []
    for month in range(1, 13):
        start, end = month_bounds(year, month)
        if end < today:
            months.append((month, start, end, f"{month:02d}/{year}", 1 << month))
    for quarter in range(1, 5):
        first, last = 3 * quarter - 2, 3 * quarter
        start, end = dt.date(year, first, 1), month_bounds(year, last)[1]
        if end < today:
            bits = sum(1 << m for m in range(first, last + 1))
            quarters.append((quarter, start, end, f"Q{quarter}/{year}", bits))
    return months, quarters


@dataclass
class _Cell:
    """A cell's opening and closing and its tally of the year, as the counts read them."""

    opened: dt.date
    closed: dt.date | None
    regular: int
    thematic: int
    low: int


@dataclass
class FindingsReport:
    """The findings of the cells of a subtree in a year: the counts of each kind over every
    cell (`counts`), the cells with any finding in path order (`found`), and their details
    read on demand (`rows_of(ids)` for a page, `rows` for all)."""

    unit: Unit
    year: int
    today: dt.date
    threshold: Decimal
    sign_days: int
    cells: int
    counts: dict[str, int]
    found: list[int]
    _cells: dict[int, _Cell] = field(repr=False, default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @cached_property
    def rows(self) -> list[UnitFindings]:
        """Every cell with findings, with their details."""
        return self.rows_of(self.found)

    @cached_property
    def _periods(self) -> tuple[list, list]:
        return _periods(self.year, self.today)

    def _missing(self, cell_id: int) -> list[Finding]:
        cell = self._cells[cell_id]
        months, quarters = self._periods
        found = []
        for _month, start, end, label, bit in months:
            if not cell.regular & bit and _open(cell, start, end):
                found.append(Finding(FindingKind.NO_REGULAR, cell_id, label))
        for _quarter, start, end, label, bits in quarters:
            if not cell.thematic & bits and _open(cell, start, end):
                found.append(Finding(FindingKind.NO_THEMATIC, cell_id, label))
        return found

    def rows_of(self, ids: Iterable[int]) -> list[UnitFindings]:
        """The findings of these cells (of the report) with their details, in path order: two
        queries — the cells, and their meetings found wanting."""
        ids = [pk for pk in ids if pk in self._cells]
        if not ids:
            return []
        units = Unit.objects.defer(*UNREAD_UNIT_FIELDS).order_by("path")
        by_unit = {
            cell.pk: UnitFindings(cell, self._missing(cell.pk)) for cell in units.filter(pk__in=ids)
        }
        wanting = Meeting.objects.filter(date__year=self.year, date__lte=self.today).exclude(
            kind=MeetingKind.COMMITTEE
        )
        if len(ids) > IDS_AT_MOST:
            wanting = wanting.filter(unit__path__startswith=self.unit.path)
        else:
            wanting = wanting.filter(unit_id__in=ids)
        limit = self.today - dt.timedelta(days=self.sign_days)
        units = int(self.threshold * SCALE)
        wanting = (
            wanting.filter(
                # A bound the SQL narrows by; the exact test in integers (`is_low`) decides.
                Q(
                    expected_count__gt=0,
                    present_count__lt=F("expected_count") * float(self.threshold) + 1,
                )
                | Q(signed_on__isnull=True, date__lt=limit)
            )
            .order_by("date", "id")
            .values_list("id", "unit_id", "date", "expected_count", "present_count", "signed_on")
        )
        waits: dict[int, str] = {}
        for pk, unit_id, date, expected, present, signed_on in wanting:
            row = by_unit.get(unit_id)
            if row is None:
                continue
            day = f"{date.day:02d}/{date.month:02d}/{date.year}"
            if is_low(present, expected, units):
                detail = f"{present}/{expected} = {attendance_rate(present, expected)}%"
                row.findings.append(Finding(FindingKind.LOW_ATTENDANCE, unit_id, day, pk, detail))
            if signed_on is None and date < limit:
                days_since = (self.today - date).days
                wait = waits.get(days_since)
                if wait is None:
                    wait = waits[days_since] = ngettext(
                        "%(days)d day since the meeting",
                        "%(days)d days since the meeting",
                        days_since,
                    ) % {"days": days_since}
                row.findings.append(Finding(FindingKind.UNSIGNED, unit_id, day, pk, wait))
        return list(by_unit.values())


def _open(cell: _Cell, start: dt.date, end: dt.date) -> bool:
    return cell.opened <= end and (cell.closed is None or cell.closed >= start)


def _bits_in(bits: int) -> int:
    return bin(bits).count("1")


def unit_findings(unit: Unit, year: int, today: dt.date) -> FindingsReport:
    """The findings of the cells of `unit`'s subtree (the unit itself when it is a cell) in
    `year`, as of `today`: their counts over every cell and the cells that have any, from the
    cells joined to their year tallies in one query; details on demand."""
    threshold = attendance_threshold()
    days = sign_days()
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    limit = today - dt.timedelta(days=days)
    whole_year = Q(valid_from__lte=year_start) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=year_end)
    )
    rows = (
        Unit.objects.filter(path__startswith=unit.path, kind__in=CELL_KINDS)
        .filter(valid_from__lte=year_end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=year_start))
        .annotate(
            tally=FilteredRelation("meeting_years", condition=Q(meeting_years__year=year)),
            # Only the cells opened or closed during the year need their dates read.
            opened=Case(When(whole_year, then=None), default=F("valid_from")),
            closed=Case(When(whole_year, then=None), default=F("valid_to")),
        )
        .order_by("path")
        .values_list(
            "id",
            "opened",
            "closed",
            "tally__regular_months",
            "tally__thematic_months",
            "tally__low_attendance",
            "tally__unsigned_days",
        )
    )
    months, quarters = _periods(year, today)
    all_months = sum(bit for *_rest, bit in months)
    quarter_bits = [bits for *_rest, bits in quarters]
    no_regular = no_thematic = low_attendance = late = 0
    found: list[int] = []
    cells: dict[int, _Cell] = {}
    limit_iso = limit.isoformat()
    for pk, opened, closed, regular, thematic, low, unsigned_days in rows:
        unsigned_n = late_in(unsigned_days, limit_iso)
        regular, thematic, low = regular or 0, thematic or 0, low or 0
        if opened is None:  # open the whole year
            cell = cells[pk] = _Cell(year_start, None, regular, thematic, low)
            missing = _bits_in(all_months & ~regular)
            missing_themes = sum(1 for bits in quarter_bits if not thematic & bits)
        else:
            cell = cells[pk] = _Cell(opened, closed, regular, thematic, low)
            missing = sum(
                1
                for _m, start, end, _l, bit in months
                if not regular & bit and _open(cell, start, end)
            )
            missing_themes = sum(
                1
                for _q, start, end, _l, bits in quarters
                if not thematic & bits and _open(cell, start, end)
            )
        if missing or missing_themes or low or unsigned_n:
            found.append(pk)
            no_regular += missing
            no_thematic += missing_themes
            low_attendance += low
            late += unsigned_n
    return FindingsReport(
        unit=unit,
        year=year,
        today=today,
        threshold=threshold,
        sign_days=days,
        cells=len(cells),
        counts={
            FindingKind.NO_REGULAR: no_regular,
            FindingKind.NO_THEMATIC: no_thematic,
            FindingKind.LOW_ATTENDANCE: low_attendance,
            FindingKind.UNSIGNED: late,
        },
        found=found,
        _cells=cells,
    )


# --- the monthly self-assessment's suggested scores -----------------------------------------


def regular_meeting_held(unit: Unit, year: int, month: int) -> Decimal | None:
    """1 when the cell held its regular meeting that month, 0 when it did not; None for a unit
    that is not a cell."""
    if unit.kind not in CELL_KINDS:
        return None
    held = Meeting.objects.filter(
        unit=unit, kind=MeetingKind.REGULAR, date__year=year, date__month=month
    ).exists()
    return Decimal(1 if held else 0)


def month_attendance_share(unit: Unit, year: int, month: int) -> Decimal | None:
    """Members present ÷ expected (a share from 0 to 1) over the unit's meetings of the month
    with attendance recorded; None when there were none."""
    rows = Meeting.objects.filter(
        unit=unit, date__year=year, date__month=month, expected_count__gt=0
    ).values_list("present_count", "expected_count")
    present = sum(r[0] for r in rows)
    expected = sum(r[1] for r in rows)
    if not expected:
        return None
    return (Decimal(present) / Decimal(expected)).quantize(Decimal("0.0001"))
