"""The boards' tallies (`BoardTally`): per unit of the tree, year and month, how many monthly
self-assessments of its subtree are in each status and band, late or not, and their totals;
and, month 0, how many units of the subtree registered for the year.

A province's board shows a row per commune (each commune's subtree summed) instead of its tens
of thousands of cells: it reads a few rows per commune and month, whatever the number of cells.
The tallies move with the data:
- the assessment services move one month's row in each unit on its unit's path, in the change's
  transaction (`assessment_recorded`), and a registration adds to the registered row
  (`registration_recorded`);
- a reorganization moves each moved subtree's tallies from the units above it before to those
  above it after (`subtrees_moved`, through the roll-ups' reorganization hook);
- `tally_rebuild` recomputes them all in one GROUP BY (`manage.py rebuild_rollups`, the national
  generator, the migration that created them)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import connection, transaction

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
        assessment.band_key or "",
        bool(assessment.late),
        Decimal(assessment.total or 0),
    )


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


def _moved(delta, path: str, year: int, key: Key | None, sign: int) -> None:
    if key is None:
        return
    month, status, band, late, total = key
    for unit_id in _ids(path):
        row = delta.setdefault((unit_id, year, month, status, band, late), [0, Decimal(0)])
        row[0] += sign
        row[1] += sign * total


def assessment_recorded(assessment, before: Key | None) -> None:
    """After a month was saved: its row now against `before` (`assessment_key` when the
    change began), in every unit on its unit's path."""
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
    """A new registration: one more registered unit in every unit on its path."""
    delta: dict = {}
    key = (0, BoardTally.REGISTERED, "", False, Decimal(0))
    _moved(delta, registration.unit.path, registration.year, key, 1)
    tally_add(delta)


def subtrees_moved(moves: Iterable[tuple[int, str, str]]) -> None:
    """After a reorganization: each moved unit's tallies (its whole subtree's) leave the units
    above it on its path before and join those above it on its path after."""
    delta: dict = {}
    for unit_id, before, after in moves:
        above_before, above_after = _ids(before)[:-1], _ids(after)[:-1]
        if above_before == above_after:
            continue
        for year, month, status, band, late, n, total in BoardTally.objects.filter(
            unit_id=unit_id
        ).values_list("year", "month", "status", "band_key", "late", "n", "total"):
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
                SELECT t.top_id, r.year, a.month, a.status, a.band_key, a.late, COUNT(*),
                    SUM(a.total)
                FROM {assessments} a JOIN {registrations} r ON r.id = a.registration_id
                JOIN assessment_tally_above t ON t.key_id = r.unit_id
                GROUP BY t.top_id, r.year, a.month, a.status, a.band_key, a.late"""
        )
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, year, month, status, band_key, late, n, total)
                SELECT t.top_id, r.year, 0, %s, '', %s, COUNT(*), 0
                FROM {registrations} r JOIN assessment_tally_above t ON t.key_id = r.unit_id
                GROUP BY t.top_id, r.year""",
            [BoardTally.REGISTERED, False],
        )
        cursor.execute("DROP TABLE assessment_tally_above")
        return tally_model.objects.count()


def tallies_of(unit_ids: Iterable[int], year: int) -> dict[int, Counter]:
    """{unit: {(month, status, band, late): [n, total]}} of these units for the year."""
    result: dict[int, dict] = {}
    for unit_id, month, status, band, late, n, total in (
        BoardTally.objects.filter(unit_id__in=list(unit_ids), year=year)
        .order_by()
        .values_list("unit_id", "month", "status", "band_key", "late", "n", "total")
    ):
        result.setdefault(unit_id, {})[(month, status, band, late)] = [n, total]
    return result
