"""The boards' tallies (`BoardTally`): per unit of the tree, year and month, how many monthly
self-assessments of the units below it are in each status and band, late or not, and their
totals; and, month 0, how many units below it registered for the year. A unit's own months are
not in its tally (its board shows them one by one), so a cell, with no unit below, has none:
the tallies are a few rows per commune and month, not one per cell.

A province's board shows a row per commune (each commune's subtree summed) instead of its tens
of thousands of cells: it reads a few rows per commune and month, whatever the number of cells.
The tallies move with the data:
- the assessment services move one month's row in each unit above its unit, in the change's
  transaction (`assessment_recorded`), and a registration adds to the registered row
  (`registration_recorded`);
- a reorganization moves each moved unit's tallies and its own months from the units above it
  before to those above it after (`subtrees_moved`, through the roll-ups' reorganization
  hook);
- `tally_rebuild` recomputes them all in one GROUP BY (`manage.py rebuild_rollups`, the national
  generator, the migration that created them)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q, Sum

from .choices import Status
from .models import BoardTally

Key = tuple[int, str, str, bool, Decimal]  # month, status, band, late, total


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def assessment_key(assessment) -> Key | None:
    """What of a month the tallies count (None for a month not saved yet)."""
    if assessment is None or assessment.pk is None:
        return None
    return (
        assessment.month,
        assessment.status,
        _band(assessment.status, assessment.band_key),
        bool(assessment.late),
        Decimal(assessment.total or 0),
    )


def _band(status: str, band: str | None) -> str:
    """The boards count the bands of accepted months only: the others are kept without theirs
    (fewer rows)."""
    return (band or "") if status == Status.ACCEPTED else ""


def tally_add(delta: dict[tuple[int, int, int, str, str, bool], list]) -> None:
    """Add {(unit, year, month, status, band, late): [n, total]} to the tallies (an upsert per
    200 rows; rows left at zero are removed)."""
    rows = sorted((*key, n, total) for key, (n, total) in delta.items() if n or total)
    if not rows:
        return
    table = connection.ops.quote_name(BoardTally._meta.db_table)
    columns = "unit_id, year, month, status, band_key, late, n, total"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 200):
            chunk = rows[i : i + 200]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                "ON CONFLICT (unit_id, year, month, status, band_key, late) DO UPDATE "
                f"SET n = {table}.n + excluded.n, total = {table}.total + excluded.total",
                [x for row in chunk for x in row],
            )
        units = sorted({row[0] for row in rows})
        cursor.execute(
            f"DELETE FROM {table} WHERE n = 0 AND unit_id IN ({', '.join(['%s'] * len(units))})",
            units,
        )


def _above(path: str) -> list[int]:
    """The units above the unit of `path` (its own id is the last)."""
    return _ids(path)[:-1]


def _moved(delta, path: str, year: int, key: Key | None, sign: int) -> None:
    if key is None:
        return
    month, status, band, late, total = key
    for unit_id in _above(path):
        row = delta.setdefault((unit_id, year, month, status, band, late), [0, Decimal(0)])
        row[0] += sign
        row[1] += sign * total


def assessment_recorded(assessment, before: Key | None) -> None:
    """After a month was saved: its row now against `before` (`assessment_key` when the
    change began), in every unit above its unit."""
    after = assessment_key(assessment)
    if after == before:
        return
    registration = assessment.registration
    path = registration.unit.path
    delta: dict = {}
    _moved(delta, path, registration.year, before, -1)
    _moved(delta, path, registration.year, after, 1)
    tally_add(delta)


def registration_recorded(registration) -> None:
    """A new registration: one more registered unit in every unit above its unit."""
    delta: dict = {}
    key = (0, BoardTally.REGISTERED, "", False, Decimal(0))
    _moved(delta, registration.unit.path, registration.year, key, 1)
    tally_add(delta)


def subtrees_moved(moves: Iterable[tuple[int, str, str]]) -> None:
    """After a reorganization: each moved unit's tallies (the units below it) and its own
    months and registrations leave the units above it before and join those above it after."""
    from django.db.models import Count, Sum

    from .models import MonthlyAssessment, Registration

    delta: dict = {}
    for unit_id, before, after in moves:
        above_before, above_after = _above(before), _above(after)
        if above_before == above_after:
            continue
        below = BoardTally.objects.filter(unit_id=unit_id).values_list(
            "year", "month", "status", "band_key", "late", "n", "total"
        )
        own = (
            MonthlyAssessment.objects.filter(registration__unit_id=unit_id)
            .order_by()
            .values("registration__year", "month", "status", "band_key", "late")
            .annotate(n=Count("id"), sum=Sum("total"))
            .values_list("registration__year", "month", "status", "band_key", "late", "n", "sum")
        )
        registered = [
            (year, 0, BoardTally.REGISTERED, "", False, n, 0)
            for year, n in Registration.objects.filter(unit_id=unit_id)
            .order_by()
            .values("year")
            .annotate(n=Count("id"))
            .values_list("year", "n")
        ]
        for year, month, status, band, late, n, total in [*below, *own, *registered]:
            band = _band(status, band) if month else band
            for ids, sign in ((above_before, -1), (above_after, 1)):
                for above in ids:
                    row = delta.setdefault((above, year, month, status, band, late), [0, 0])
                    row[0] += sign * n
                    row[1] += sign * total
    tally_add(delta)


def tally_rebuild(
    *,
    progress: Callable[[str], None] | None = None,
    tally_model=BoardTally,
    assessment_model=None,
    registration_model=None,
    unit_model=None,
) -> int:
    """Recompute every tally from the months and registrations, in one transaction: a table of
    each registered unit's ancestors, then one GROUP BY. Returns the rows written. (The models
    are parameters for the migration that first filled them.)"""
    from grassroots.organizations.models import Unit
    from grassroots.rollups.tops import _temp_tops

    from .models import MonthlyAssessment, Registration

    assessment_model = assessment_model or MonthlyAssessment
    registration_model = registration_model or Registration
    unit_model = unit_model or Unit
    say = progress or (lambda message: None)
    say("  4 good board tallies")
    q = connection.ops.quote_name
    table = q(tally_model._meta.db_table)
    assessments = q(assessment_model._meta.db_table)
    registrations = q(registration_model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        units = unit_model.objects.filter(
            pk__in=registration_model.objects.values("unit_id")
        ).order_by()
        _temp_tops(cursor, "assessment_tally_above", units, every=True)
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, year, month, status, band_key, late, n, total)
                SELECT t.top_id, r.year, a.month, a.status,
                    CASE WHEN a.status = %s THEN a.band_key ELSE '' END, a.late, COUNT(*),
                    SUM(a.total)
                FROM {assessments} a JOIN {registrations} r ON r.id = a.registration_id
                JOIN assessment_tally_above t ON t.key_id = r.unit_id AND t.top_id <> r.unit_id
                GROUP BY t.top_id, r.year, a.month, a.status,
                    CASE WHEN a.status = %s THEN a.band_key ELSE '' END, a.late""",
            [Status.ACCEPTED.value, Status.ACCEPTED.value],
        )
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, year, month, status, band_key, late, n, total)
                SELECT t.top_id, r.year, 0, %s, '', %s, COUNT(*), 0
                FROM {registrations} r
                JOIN assessment_tally_above t ON t.key_id = r.unit_id AND t.top_id <> r.unit_id
                GROUP BY t.top_id, r.year""",
            [BoardTally.REGISTERED, False],
        )
        cursor.execute("DROP TABLE assessment_tally_above")
        return tally_model.objects.count()


def months_below(unit_ids: Iterable[int], year: int) -> dict[int, dict[int, tuple]]:
    """{unit: {month: (n, filed, accepted, accepted total, late)}} of the units below each of
    these units for the year, summed by the database (month 0: n is the units registered)."""
    filed = [Status.SUBMITTED.value, Status.ACCEPTED.value]
    accepted = Q(status=Status.ACCEPTED)
    rows = (
        BoardTally.objects.filter(unit_id__in=list(unit_ids), year=year)
        .order_by()
        .values("unit_id", "month")
        .annotate(
            all=Sum("n"),
            filed=Sum("n", filter=Q(status__in=filed)),
            accepted=Sum("n", filter=accepted),
            total=Sum("total", filter=accepted),
            late=Sum("n", filter=Q(status__in=filed, late=True)),
        )
        .values_list("unit_id", "month", "all", "filed", "accepted", "total", "late")
    )
    result: dict[int, dict[int, tuple]] = {}
    for unit_id, month, n, *rest in rows:
        result.setdefault(unit_id, {})[month] = (n or 0, *(x or 0 for x in rest))
    return result


def accepted_bands_below(unit_id: int, year: int) -> dict[str, int]:
    """{band: accepted months} of the units below this unit for the year."""
    return dict(
        BoardTally.objects.filter(unit_id=unit_id, year=year, status=Status.ACCEPTED)
        .exclude(band_key="")
        .order_by()
        .values("band_key")
        .annotate(n=Sum("n"))
        .values_list("band_key", "n")
    )
