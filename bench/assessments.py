"""Bench figure of the "4 good" model: a province's board.

- board: `assessments.selectors.board` of the province with the most registered units, for the
  last full year (every month past its deadline), as the province's "4 good" tab reads it: the
  first page of months × units (the province and its children, each month's total and band,
  each unit's trend), each child's units below summed from the tallies, who has not submitted,
  the legend. The note adds the time to build every unit's row (the workbook). Baseline: the
  province's months read by one plain SQL query (unit, month, status, total, band) over its
  registrations, with no access check, deadline, band label or trend.

Target (issue 19): p95 ≤ 300 ms at S = 1.0. A province at S = 0.1 is smaller than at S = 1.0
(the generator keeps fewer provinces at small scales, each with a tenth of its units or more):
the note gives the number of units, so the figure can be read per unit.
"""

from __future__ import annotations

import datetime as dt
import time

TARGET_MS = 300


def board_year(today: dt.date) -> int:
    """The last year whose every month is past its deadline."""
    return today.year - 1


def _largest_province(year: int):
    from django.db.models import Count

    from grassroots.assessments.models import Registration
    from grassroots.organizations.choices import UnitKind
    from grassroots.organizations.models import Unit

    best, best_n = None, -1
    for province in Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"):
        n = Registration.objects.filter(year=year, unit__path__startswith=province.path).aggregate(
            n=Count("id")
        )["n"]
        if n > best_n:
            best, best_n = province, n
    return best, best_n


def bench_assessments(say, *, rounds: int = 3) -> list:
    from django.db import connection
    from django.utils import timezone

    from grassroots.assessments.models import MonthlyAssessment, Registration
    from grassroots.assessments.selectors import board
    from grassroots.assessments.views import BOARD_PAGE_SIZE
    from grassroots.organizations.models import Unit

    from .run import Figure, bench_admin, median, p95, timed, timed_bounded

    today = timezone.localdate()
    year = board_year(today)
    province, registered = _largest_province(year)
    if not registered:
        say('no "4 good" registrations in this country: the board figure is skipped')
        return []
    months = MonthlyAssessment.objects.filter(
        registration__year=year, registration__unit__path__startswith=province.path
    ).count()
    say(
        f'"4 good" board of {province.name} for {year} '
        f"({registered:,} registered units, {months:,} months) …"
    )
    admin = bench_admin()

    def page():
        """The board as the province's "4 good" tab reads it: the first page of its units'
        rows and of its children's sums, who has not submitted (the units on the board, and
        the children with months overdue below) and the legend."""
        found = board(unit=province, year=year, user=admin, today=today)
        found.rows[0:BOARD_PAGE_SIZE]
        found.subtrees[0:BOARD_PAGE_SIZE]
        len(found.overdue_below)
        return found

    result = page()
    fast_rounds = [p95(timed_bounded(page, 5)) for _ in range(rounds)]
    fast = median(fast_rounds)
    t0 = time.perf_counter()
    every_row = len(list(result.rows))  # the workbook builds every row
    whole = (time.perf_counter() - t0) * 1000
    q = connection.ops.quote_name
    raw_sql = (
        f"SELECT r.{q('unit_id')}, a.{q('month')}, a.{q('status')}, a.{q('total')}, "
        f"a.{q('band_key')} FROM {q(MonthlyAssessment._meta.db_table)} a "
        f"JOIN {q(Registration._meta.db_table)} r ON r.{q('id')} = a.{q('registration_id')} "
        f"JOIN {q(Unit._meta.db_table)} u ON u.{q('id')} = r.{q('unit_id')} "
        f"WHERE u.{q('path')} LIKE %s AND r.{q('year')} = %s"
    )

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(raw_sql, [province.path + "%", year])
            return cursor.fetchall()

    baseline = median([p95(timed(raw, 5)) for _ in range(rounds)])
    late = sum(len(m) for _u, m in result.not_submitted)
    note = (
        f"the first page of {len(result.rows):,} units × 12 months and of "
        f"{len(result.subtrees):,} children's units below summed; "
        f"{len(result.not_submitted):,} units with "
        f"{late:,} months not submitted; every unit's row (the workbook) {whole:.0f} ms more "
        f"for {every_row:,} rows; rounds: " + ", ".join(f"{x:.0f}" for x in fast_rounds) + " ms"
    )
    per_unit = fast / max(
        1, min(len(result.rows), BOARD_PAGE_SIZE) + min(len(result.subtrees), BOARD_PAGE_SIZE)
    )
    return [
        Figure(
            f'"4 good" board of a province ({registered:,} units, {months:,} months)',
            f"p95 ≤ {TARGET_MS} ms at S = 1.0",
            fast,
            "ms",
            baseline,
            "one SQL query of the same months",
            fast <= TARGET_MS,
            note,
            f"p95 {fast:.0f} ms, {fast / TARGET_MS - 1:+.0%} over {TARGET_MS} ms: "
            f"{per_unit:.2f} ms per row: a page of the units directly under the province and "
            f"the sums of each child's units below (the SQL of all the province's months takes "
            f"{baseline:.0f} ms)",
        )
    ]
