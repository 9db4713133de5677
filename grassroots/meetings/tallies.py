"""The year tallies of the units' meetings (`MeetingYear`): per unit and year, the months with a
regular meeting, the months with a thematic one, and the meetings with attendance below the
threshold. The meeting services refresh the one or two rows a change touches, in its
transaction; `tally_rebuild` recomputes them all from the meetings (`manage.py rebuild_rollups`
and the national generator call it).

Attendance is compared in integers (present × 10,000 < expected × the threshold in ten
thousandths), the same in Python and in SQL, so that a rebuild and the upkeep agree at the
threshold's edge. The threshold is a setting: after changing it, run `rebuild_rollups`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, Sum, Value
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, Power

from .choices import MeetingKind
from .models import Meeting, MeetingYear

SCALE = 10_000


def attendance_threshold() -> Decimal:
    """The share of members present below which a meeting is a finding (0.85 by default)."""
    return Decimal(str(getattr(settings, "MEETINGS_ATTENDANCE_THRESHOLD", 0.85)))


def _threshold_units() -> int:
    return int(attendance_threshold() * SCALE)


def is_low(present: int, expected: int, threshold_units: int | None = None) -> bool:
    """Attendance below the threshold (never for a meeting without its attendance)."""
    units = _threshold_units() if threshold_units is None else threshold_units
    return expected > 0 and present * SCALE < expected * units


def _aggregates(threshold_units: int) -> tuple[dict, ExpressionWrapper]:
    """The aggregates of a unit's tally over its meetings (the months with a regular and a
    thematic meeting as bits, the meetings below the threshold), and the `below` expression
    they need aliased on the queryset (expected × threshold − present × SCALE, in integers)."""
    month_bit = Cast(Power(2, ExtractMonth("date")), IntegerField())
    below = ExpressionWrapper(
        F("expected_count") * Value(threshold_units) - F("present_count") * Value(SCALE),
        output_field=IntegerField(),
    )
    low = Q(expected_count__gt=0, below__gt=0) & ~Q(kind=MeetingKind.COMMITTEE)
    return (
        {
            "regular": Sum(month_bit, distinct=True, filter=Q(kind=MeetingKind.REGULAR)),
            "thematic": Sum(month_bit, distinct=True, filter=Q(kind=MeetingKind.THEMATIC)),
            "low": Count("id", filter=low),
        },
        below,
    )


def _unsigned(meetings) -> dict[tuple[int, int], str]:
    """The dates of the meetings with unsigned minutes (not the committee's), per (unit, year),
    as `MeetingYear.unsigned_days` keeps them: a small share of the meetings."""
    days: dict[tuple[int, int], list[str]] = {}
    rows = (
        meetings.filter(signed_on__isnull=True)
        .exclude(kind=MeetingKind.COMMITTEE)
        .order_by("unit_id", "date")
        .values_list("unit_id", "date")
    )
    for unit_id, date in rows:
        days.setdefault((unit_id, date.year), []).append(date.isoformat())
    return {key: " ".join(dates) for key, dates in days.items()}


def late_in(unsigned_days: str, limit_iso: str) -> int:
    """How many of the kept dates of unsigned minutes fall before `limit_iso` (ISO dates
    compare as text)."""
    if not unsigned_days:
        return 0
    return sum(1 for day in unsigned_days.split() if day < limit_iso)


def tally_refresh(pairs: Iterable[tuple[int, int]]) -> None:
    """Recount the tallies of these (unit id, year) pairs from their meetings (a unit's meetings
    of a year: a dozen or two rows), writing, changing or removing each row."""
    units = _threshold_units()
    for unit_id, year in sorted(set(pairs)):
        aggregates, below = _aggregates(units)
        meetings = Meeting.objects.filter(unit_id=unit_id, date__year=year)
        found = meetings.alias(below=below).aggregate(n=Count("id"), **aggregates)
        if not found["n"]:
            MeetingYear.objects.filter(unit_id=unit_id, year=year).delete()
            continue
        MeetingYear.objects.update_or_create(
            unit_id=unit_id,
            year=year,
            defaults={
                "regular_months": int(found["regular"] or 0),
                "thematic_months": int(found["thematic"] or 0),
                "low_attendance": found["low"],
                "unsigned_days": _unsigned(meetings).get((unit_id, year), ""),
            },
        )


def tally_rebuild(
    *,
    progress: Callable[[str], None] | None = None,
    batch: int = 5_000,
    meeting_model=Meeting,
    tally_model=MeetingYear,
) -> int:
    """Recompute every tally from the meetings, in one transaction: one GROUP BY over the
    meetings, the rows written in batches. Returns the rows written. (The models are
    parameters for the migration that first filled them.)"""
    say = progress or (lambda message: None)
    say("  meeting tallies")
    aggregates, below = _aggregates(_threshold_units())
    rows = (
        meeting_model.objects.order_by()
        .alias(below=below)
        .annotate(year=ExtractYear("date"))
        .values("unit_id", "year")
        .annotate(**aggregates)
        .values_list("unit_id", "year", "regular", "thematic", "low")
        .iterator(chunk_size=batch)
    )
    written = 0
    with transaction.atomic():
        unsigned = _unsigned(meeting_model.objects.all())
        tally_model.objects.all().delete()
        pending = []
        for unit_id, year, regular, thematic, low in rows:
            pending.append(
                tally_model(
                    unit_id=unit_id,
                    year=year,
                    regular_months=int(regular or 0),
                    thematic_months=int(thematic or 0),
                    low_attendance=low,
                    unsigned_days=unsigned.get((unit_id, year), ""),
                )
            )
            if len(pending) >= batch:
                tally_model.objects.bulk_create(pending)
                written += len(pending)
                pending = []
        tally_model.objects.bulk_create(pending)
        written += len(pending)
    return written
