"""Findings about the meetings of a unit's subtree over a year: a month without a regular
meeting, a quarter without a thematic one, attendance below the threshold, minutes not signed
after N days. Two settings tune them: MEETINGS_ATTENDANCE_THRESHOLD (a share, 0.85 by default)
and MEETINGS_MINUTES_SIGN_DAYS (7 by default).

A month (a quarter) is judged once it is over, and only for the cells open through some of it.
Three queries whatever the size of the subtree: its cells, the months and quarters their
meetings fell in, and the meetings found wanting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Q
from django.utils.translation import ngettext

from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import FindingKind, MeetingKind
from .models import Meeting, attendance_rate
from .selectors import month_bounds


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


def _open_in(unit: Unit, start: dt.date, end: dt.date) -> bool:
    return unit.valid_from <= end and (unit.valid_to is None or unit.valid_to >= start)


def _quarter_months(quarter: int) -> range:
    return range(3 * quarter - 2, 3 * quarter + 1)


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
            .order_by("path")
        )
    threshold = attendance_threshold()
    days = sign_days()
    held = set(
        Meeting.objects.filter(
            unit__path__startswith=unit.path,
            date__year=year,
            date__lte=today,
            kind__in=(MeetingKind.REGULAR, MeetingKind.THEMATIC),
        )
        .values_list("unit_id", "kind", "date__month")
        .distinct()
    )
    wanting = (
        Meeting.objects.filter(unit__path__startswith=unit.path, date__year=year, date__lte=today)
        .exclude(kind=MeetingKind.COMMITTEE)
        .filter(
            Q(expected_count__gt=0, present_count__lt=F("expected_count") * float(threshold))
            | Q(signed_on__isnull=True, date__lt=today - dt.timedelta(days=days))
        )
        .order_by("date", "id")
        .values("id", "unit_id", "date", "expected_count", "present_count", "signed_on")
    )
    by_unit: dict[int, UnitFindings] = {c.pk: UnitFindings(c) for c in cells}
    for cell in cells:
        row = by_unit[cell.pk]
        for month in range(1, 13):
            start, end = month_bounds(year, month)
            if end >= today or not _open_in(cell, start, end):
                continue
            if (cell.pk, MeetingKind.REGULAR, month) not in held:
                row.findings.append(Finding(FindingKind.NO_REGULAR, cell.pk, f"{month:02d}/{year}"))
        for quarter in range(1, 5):
            months = _quarter_months(quarter)
            start, end = dt.date(year, months[0], 1), month_bounds(year, months[-1])[1]
            if end >= today or not _open_in(cell, start, end):
                continue
            if not any((cell.pk, MeetingKind.THEMATIC, m) in held for m in months):
                row.findings.append(Finding(FindingKind.NO_THEMATIC, cell.pk, f"Q{quarter}/{year}"))
    limit = today - dt.timedelta(days=days)
    for m in wanting:
        row = by_unit.get(m["unit_id"])
        if row is None:
            continue
        day = m["date"].strftime("%d/%m/%Y")
        rate = attendance_rate(m["present_count"], m["expected_count"])
        if m["expected_count"] and Decimal(m["present_count"]) < threshold * m["expected_count"]:
            row.findings.append(
                Finding(
                    FindingKind.LOW_ATTENDANCE,
                    m["unit_id"],
                    day,
                    m["id"],
                    f"{m['present_count']}/{m['expected_count']} = {rate}%",
                )
            )
        if m["signed_on"] is None and m["date"] < limit:
            days_since = (today - m["date"]).days
            row.findings.append(
                Finding(
                    FindingKind.UNSIGNED,
                    m["unit_id"],
                    day,
                    m["id"],
                    ngettext(
                        "%(days)d day since the meeting",
                        "%(days)d days since the meeting",
                        days_since,
                    )
                    % {"days": days_since},
                )
            )
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
