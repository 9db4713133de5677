"""Findings about the meetings of a unit's subtree over a year: a month without a regular
meeting, a quarter without a thematic one, attendance below the threshold, minutes not signed
after N days. Two settings tune them: MEETINGS_ATTENDANCE_THRESHOLD (a share, 0.85 by default)
and MEETINGS_MINUTES_SIGN_DAYS (7 by default).

A month (a quarter) is judged once it is over, and only for the cells open through some of it.
Three queries whatever the size of the subtree: its cells, the months their regular and
thematic meetings fell in (one GROUP BY per cell, the months as bits), and the
meetings found wanting (plain tuples of the columns judged); no meeting is loaded as a model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F, IntegerField, Q, Sum
from django.db.models.functions import Cast, ExtractMonth, Power
from django.utils.translation import ngettext

from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import FindingKind, MeetingKind
from .models import Meeting, attendance_rate
from .selectors import month_bounds

# What the findings' pages, export and API never read of a cell: left unloaded, a province's
# thousands of cells load in a fraction of the time.
UNREAD_UNIT_FIELDS = ("name_folded", "address", "created_at", "updated_at")


def attendance_threshold() -> Decimal:
    """The share of members present below which a meeting is a finding (0.85 by default)."""
    return Decimal(str(getattr(settings, "MEETINGS_ATTENDANCE_THRESHOLD", 0.85)))


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


@dataclass
class FindingsReport:
    unit: Unit
    year: int
    threshold: Decimal
    sign_days: int
    rows: list[UnitFindings]
    cells: int

    @property
    def counts(self) -> dict[str, int]:
        found = {k: 0 for k in FindingKind.values}
        for row in self.rows:
            for f in row.findings:
                found[f.kind] += 1
        return found

    @property
    def total(self) -> int:
        return sum(self.counts.values())


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


def _months_held(unit: Unit, year: int, today: dt.date) -> dict[int, tuple[int, int]]:
    """Per cell, the months of `year` (by `today`) it held a regular meeting in and those it
    held a thematic one in, each as bits (1 << month): one GROUP BY, one row per cell."""
    month_bit = Cast(Power(2, ExtractMonth("date")), IntegerField())
    rows = (
        Meeting.objects.filter(
            unit__path__startswith=unit.path,
            date__year=year,
            date__lte=today,
            kind__in=(MeetingKind.REGULAR, MeetingKind.THEMATIC),
        )
        .order_by()
        .values("unit_id")
        .annotate(
            regular=Sum(month_bit, distinct=True, filter=Q(kind=MeetingKind.REGULAR)),
            thematic=Sum(month_bit, distinct=True, filter=Q(kind=MeetingKind.THEMATIC)),
        )
        .values_list("unit_id", "regular", "thematic")
    )
    return {unit_id: (int(regular or 0), int(thematic or 0)) for unit_id, regular, thematic in rows}


def unit_findings(
    unit: Unit, year: int, today: dt.date, *, cells: list[Unit] | None = None
) -> FindingsReport:
    """The findings of the cells of `unit`'s subtree (the unit itself when it is a cell) in
    `year`, as of `today`."""
    if cells is None:
        cells = list(
            Unit.objects.filter(path__startswith=unit.path, kind__in=CELL_KINDS)
            .filter(valid_from__lte=dt.date(year, 12, 31))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1)))
            .defer(*UNREAD_UNIT_FIELDS)
            .order_by("path")
        )
    threshold = attendance_threshold()
    days = sign_days()
    held = _months_held(unit, year, today)
    wanting = (
        Meeting.objects.filter(unit__path__startswith=unit.path, date__year=year, date__lte=today)
        .exclude(kind=MeetingKind.COMMITTEE)
        .filter(
            Q(expected_count__gt=0, present_count__lt=F("expected_count") * float(threshold))
            | Q(signed_on__isnull=True, date__lt=today - dt.timedelta(days=days))
        )
        .order_by("date", "id")
        .values_list("id", "unit_id", "date", "expected_count", "present_count", "signed_on")
    )
    months, quarters = _periods(year, today)
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    no_regular, no_thematic = FindingKind.NO_REGULAR, FindingKind.NO_THEMATIC
    by_unit: dict[int, UnitFindings] = {}
    for cell in cells:
        row = by_unit[cell.pk] = UnitFindings(cell)
        found = row.findings
        opened, closed = cell.valid_from, cell.valid_to
        whole_year = opened <= year_start and (closed is None or closed >= year_end)
        bits, thematic_bits = held.get(cell.pk, (0, 0))
        for _month, start, end, label, bit in months:
            if not bits & bit and (
                whole_year or (opened <= end and (closed is None or closed >= start))
            ):
                found.append(Finding(no_regular, cell.pk, label))
        for _quarter, start, end, label, quarter_bits in quarters:
            if not thematic_bits & quarter_bits and (
                whole_year or (opened <= end and (closed is None or closed >= start))
            ):
                found.append(Finding(no_thematic, cell.pk, label))
    limit = today - dt.timedelta(days=days)
    day_labels: dict[dt.date, str] = {}
    rates: dict[tuple[int, int], str | None] = {}
    waits: dict[int, str] = {}
    for pk, unit_id, date, expected, present, signed_on in wanting:
        row = by_unit.get(unit_id)
        if row is None:
            continue
        day = day_labels.get(date)
        if day is None:
            day = day_labels[date] = f"{date.day:02d}/{date.month:02d}/{date.year}"
        if expected:
            key = (present, expected)
            detail = rates.get(key, "")
            if detail == "":
                low = Decimal(present) < threshold * expected
                detail = rates[key] = (
                    f"{present}/{expected} = {attendance_rate(present, expected)}%" if low else None
                )
            if detail is not None:
                row.findings.append(Finding(FindingKind.LOW_ATTENDANCE, unit_id, day, pk, detail))
        if signed_on is None and date < limit:
            days_since = (today - date).days
            wait = waits.get(days_since)
            if wait is None:
                wait = waits[days_since] = ngettext(
                    "%(days)d day since the meeting",
                    "%(days)d days since the meeting",
                    days_since,
                ) % {"days": days_since}
            row.findings.append(Finding(FindingKind.UNSIGNED, unit_id, day, pk, wait))
    rows = [r for r in by_unit.values() if r.findings]
    return FindingsReport(unit, year, threshold, days, rows, len(cells))


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
