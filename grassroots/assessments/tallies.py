"""The boards' tallies (`BoardTally`): per unit of the tree and year, how many monthly
self-assessments of the units below it are in each status and band, late or not, and their
totals, the twelve months of a key in one row; and how many units below it registered for the
year. A unit's own months are not in its tally (its board shows them one by one), so a cell,
with no unit below, has none.

A province's board shows a row per commune (the units below each commune summed) instead of its
tens of thousands of cells: it reads a few rows per commune for the year, whatever the number
of cells (at national size: 372,000 rows, 93 MB, rebuilt in about a minute).
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


N_COLUMNS = [f"n{m}" for m in range(13)]
T_COLUMNS = [f"t{m}" for m in BoardTally.MONTHS]


def tally_add(delta: dict[tuple[int, int, int, str, str, bool], list]) -> None:
    """Add {(unit, year, month, status, band, late): [n, total]} to the tallies, each key's
    months packed in its row (an upsert per 100 rows; rows left at zero are removed)."""
    packed: dict[tuple, list] = {}
    for (unit_id, year, month, status, band, late), (n, total) in delta.items():
        if not (n or total):
            continue
        row = packed.setdefault((unit_id, year, status, band, late), [0] * 25)
        row[month] += n
        if month:
            row[12 + month] += total
    if not packed:
        return
    rows = sorted((*key, *values) for key, values in packed.items())
    table = connection.ops.quote_name(BoardTally._meta.db_table)
    numbers = [*N_COLUMNS, *T_COLUMNS]
    columns = ", ".join(["unit_id", "year", "status", "band_key", "late", *numbers])
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in numbers)
    one = "(" + ", ".join(["%s"] * 30) + ")"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 100):
            chunk = rows[i : i + 100]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"ON CONFLICT (unit_id, year, status, band_key, late) DO UPDATE SET {sums}",
                [x for row in chunk for x in row],
            )
        units = sorted({row[0] for row in rows})
        empty = " AND ".join(f"{c} = 0" for c in N_COLUMNS)
        cursor.execute(
            f"DELETE FROM {table} WHERE {empty} AND unit_id IN ({', '.join(['%s'] * len(units))})",
            units,
        )


def _unpacked(rows) -> Iterable[tuple]:
    """Packed rows (year, status, band, late, n0 … n12, t1 … t12) → (year, month, status,
    band, late, n, total) for each month with a count."""
    for year, status, band, late, *numbers in rows:
        for month in range(13):
            n = numbers[month]
            if n:
                yield year, month, status, band, late, n, numbers[12 + month] if month else 0


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
        below = _unpacked(
            BoardTally.objects.filter(unit_id=unit_id).values_list(
                "year", "status", "band_key", "late", *N_COLUMNS, *T_COLUMNS
            )
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
    months = BoardTally.MONTHS
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
        numbers = ", ".join([*N_COLUMNS, *T_COLUMNS])
        counts = ", ".join(f"SUM(CASE WHEN a.month = {m} THEN 1 ELSE 0 END)" for m in months)
        totals = ", ".join(f"SUM(CASE WHEN a.month = {m} THEN a.total ELSE 0 END)" for m in months)
        band = "CASE WHEN a.status = %s THEN a.band_key ELSE '' END"
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, year, status, band_key, late, {numbers})
                SELECT t.top_id, r.year, a.status, {band}, a.late, 0, {counts}, {totals}
                FROM {assessments} a JOIN {registrations} r ON r.id = a.registration_id
                JOIN assessment_tally_above t ON t.key_id = r.unit_id AND t.top_id <> r.unit_id
                GROUP BY t.top_id, r.year, a.status, {band}, a.late""",
            [Status.ACCEPTED.value, Status.ACCEPTED.value],
        )
        zeros = ", ".join(["0"] * 24)
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, year, status, band_key, late, {numbers})
                SELECT t.top_id, r.year, %s, '', %s, COUNT(*), {zeros}
                FROM {registrations} r
                JOIN assessment_tally_above t ON t.key_id = r.unit_id AND t.top_id <> r.unit_id
                GROUP BY t.top_id, r.year""",
            [BoardTally.REGISTERED, False],
        )
        cursor.execute("DROP TABLE assessment_tally_above")
        return tally_model.objects.count()


def months_below(unit_ids, year: int) -> dict[int, dict[int, tuple]]:
    """{unit: {month: (n, filed, accepted, accepted total, late)}} of the units below each of
    these units (ids, or a query of them) for the year (month 0: n is the units registered).

    One plain statement that sums each unit's few rows itself, the totals as floats (averages
    are shown to a tenth): a province's communes come back as one row each, and no value is
    converted or added up one by one in Python."""
    if hasattr(unit_ids, "query"):
        ids, params = unit_ids.query.sql_with_params()
    else:
        ids_list = list(unit_ids) or [0]
        ids, params = ", ".join(["%s"] * len(ids_list)), ids_list
    # The statuses are the code's own constants, written into the statement.
    filed = f"status IN ('{Status.SUBMITTED.value}', '{Status.ACCEPTED.value}')"
    accepted = f"status = '{Status.ACCEPTED.value}'"
    sums = ["SUM(n0)"]
    for m in range(1, 13):
        sums += [
            f"SUM(n{m})",
            f"SUM(CASE WHEN {filed} THEN n{m} ELSE 0 END)",
            f"SUM(CASE WHEN {accepted} THEN n{m} ELSE 0 END)",
            f"SUM(CASE WHEN {accepted} THEN CAST(t{m} AS FLOAT) ELSE 0 END)",
            f"SUM(CASE WHEN late AND {filed} THEN n{m} ELSE 0 END)",
        ]
    table = connection.ops.quote_name(BoardTally._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, {', '.join(sums)} FROM {table} "
            f"WHERE year = %s AND unit_id IN ({ids}) GROUP BY unit_id",
            [year, *params],
        )
        rows = cursor.fetchall()
    result: dict[int, dict[int, tuple]] = {}
    for unit_id, registered, *numbers in rows:
        months = {0: (registered, 0, 0, 0, 0)} if registered else {}
        for m in range(1, 13):
            i = 5 * (m - 1)
            if numbers[i]:
                n, f, a, total, late = numbers[i : i + 5]
                months[m] = (int(n), int(f), int(a), float(total or 0), int(late))
        result[unit_id] = months
    return result


def accepted_bands_below(unit_id: int, year: int) -> dict[str, int]:
    """{band: accepted months} of the units below this unit for the year."""
    bands: dict[str, int] = {}
    for band, *numbers in BoardTally.objects.filter(
        unit_id=unit_id, year=year, status=Status.ACCEPTED
    ).values_list("band_key", *N_COLUMNS[1:]):
        if band:
            bands[band] = bands.get(band, 0) + sum(numbers)
    return bands
