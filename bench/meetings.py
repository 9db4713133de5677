"""Bench figures of the meetings and inspections (issue 20), over the province with the most
cells:

- meeting findings: what the findings page of the province reads for the current year as of
  today — `meetings.findings.unit_findings` (the counts of a month without a regular meeting, a
  quarter without a thematic one, attendance below the threshold, minutes not signed in time,
  over every cell, from the year tallies) and the details of its first page of 100 cells.
  Baseline: the province's meetings of the year counted by one plain SQL `GROUP BY` (cell,
  kind, month), with no finding judged.
- inspection execution: `inspections.selectors.inspection_execution` of the province over the
  last full year (planned, carried out, unplanned, organizations and members inspected, per
  kind and level). Baseline: the planned numbers and the inspections of the same plans summed
  by one plain SQL query each, with no access check and no grouping by kind and level.

Targets (issue 20): p95 ≤ 300 ms each at S = 1.0.
"""

from __future__ import annotations

import datetime as dt

TARGET_MS = 300


def _province_with_most_cells():
    from django.db.models import Count

    from grassroots.organizations.choices import CELL_KINDS, UnitKind
    from grassroots.organizations.models import Unit

    best, best_n = None, -1
    for province in Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("code"):
        n = Unit.objects.filter(
            path__startswith=province.path, kind__in=CELL_KINDS, valid_to__isnull=True
        ).aggregate(n=Count("id"))["n"]
        if n > best_n:
            best, best_n = province, n
    return best, best_n


def bench_meetings(say, *, rounds: int = 3) -> list:
    from django.db import connection
    from django.utils import timezone

    from grassroots.inspections.models import Inspection, PlanItem
    from grassroots.inspections.selectors import inspection_execution
    from grassroots.meetings.findings import unit_findings
    from grassroots.meetings.models import Meeting
    from grassroots.organizations.models import Unit

    from .run import Figure, bench_admin, median, p95, timed, timed_bounded

    today = timezone.localdate()
    year = today.year if today.month > 1 else today.year - 1
    province, cells = _province_with_most_cells()
    q = connection.ops.quote_name
    figures = []
    meetings = Meeting.objects.filter(
        unit__path__startswith=province.path, date__year=year, date__lte=today
    ).count()
    if not meetings:
        say("no meetings in this country: the meetings figures are skipped")
    else:
        say(
            f"meeting findings of {province.name} for {year} "
            f"({cells:,} cells, {meetings:,} meetings) …"
        )

        def findings_page():
            # What the page reads: the counts over every cell, and its first page of details.
            found = unit_findings(province, year, today)
            found.rows_of(found.found[:100])
            return found

        report = findings_page()
        fast_rounds = [p95(timed_bounded(findings_page, 5)) for _ in range(rounds)]
        fast = median(fast_rounds)
        raw_sql = (
            f"SELECT m.{q('unit_id')}, m.{q('kind')}, EXTRACT(MONTH FROM m.{q('date')}), "
            f"COUNT(*), SUM(m.{q('present_count')}), SUM(m.{q('expected_count')}) "
            f"FROM {q(Meeting._meta.db_table)} m "
            f"JOIN {q(Unit._meta.db_table)} u ON u.{q('id')} = m.{q('unit_id')} "
            f"WHERE u.{q('path')} LIKE %s AND m.{q('date')} >= %s AND m.{q('date')} <= %s "
            f"GROUP BY 1, 2, 3"
        )
        if connection.vendor != "postgresql":
            raw_sql = raw_sql.replace(
                f"EXTRACT(MONTH FROM m.{q('date')})", f"strftime('%%m', m.{q('date')})"
            )

        def raw_findings():
            with connection.cursor() as cursor:
                cursor.execute(raw_sql, [province.path + "%", dt.date(year, 1, 1), today])
                return cursor.fetchall()

        baseline = median([p95(timed(raw_findings, 5)) for _ in range(rounds)])
        counts = report.counts
        figures.append(
            Figure(
                f"meeting findings of a province ({cells:,} cells, {meetings:,} meetings)",
                f"p95 ≤ {TARGET_MS} ms at S = 1.0",
                fast,
                "ms",
                baseline,
                "one SQL GROUP BY of the same meetings",
                fast <= TARGET_MS,
                f"{report.total:,} findings: {counts['no_regular']:,} months without a regular "
                f"meeting, {counts['no_thematic']:,} quarters without a thematic one, "
                f"{counts['low_attendance']:,} low attendance, {counts['unsigned']:,} unsigned; "
                "rounds: " + ", ".join(f"{x:.0f}" for x in fast_rounds) + " ms",
                f"p95 {fast:.0f} ms, {fast / TARGET_MS - 1:+.0%} over {TARGET_MS} ms "
                f"({fast / max(1, cells) * 1000:.0f} µs per cell); the SQL of the same "
                f"meetings takes {baseline:.0f} ms",
            )
        )

    start, end = dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    items = PlanItem.objects.filter(
        plan__unit__path__startswith=province.path, period_end__gte=start, period_end__lte=end
    )
    if not items.exists():
        say("no inspection plans in this country: the execution figure is skipped")
        return figures
    inspections = Inspection.objects.filter(
        unit__path__startswith=province.path, start_date__gte=start, start_date__lte=end
    ).count()
    say(
        f"inspection execution of {province.name} in {start.year} "
        f"({items.count():,} plan items, {inspections:,} inspections) …"
    )
    admin = bench_admin()
    execution = inspection_execution(user=admin, start=start, end=end, unit=province)
    fast_rounds = [
        p95(
            timed_bounded(
                lambda: inspection_execution(user=admin, start=start, end=end, unit=province), 5
            )
        )
        for _ in range(rounds)
    ]
    fast = median(fast_rounds)
    planned_sql = (
        f"SELECT SUM(i.{q('planned_count')}) FROM {q(PlanItem._meta.db_table)} i "
        f"JOIN {q('inspections_inspectionplan')} p ON p.{q('id')} = i.{q('plan_id')} "
        f"JOIN {q(Unit._meta.db_table)} u ON u.{q('id')} = p.{q('unit_id')} "
        f"WHERE u.{q('path')} LIKE %s AND i.{q('period_end')} BETWEEN %s AND %s"
    )
    done_sql = (
        f"SELECT COUNT(*), COUNT(n.{q('plan_item_id')}) FROM {q(Inspection._meta.db_table)} n "
        f"JOIN {q(Unit._meta.db_table)} u ON u.{q('id')} = n.{q('unit_id')} "
        f"WHERE u.{q('path')} LIKE %s AND n.{q('start_date')} BETWEEN %s AND %s"
    )

    def raw_execution():
        with connection.cursor() as cursor:
            cursor.execute(planned_sql, [province.path + "%", start, end])
            cursor.fetchall()
            cursor.execute(done_sql, [province.path + "%", start, end])
            return cursor.fetchall()

    baseline = median([p95(timed(raw_execution, 5)) for _ in range(rounds)])
    total = execution.total
    figures.append(
        Figure(
            f"inspection execution of a province ({items.count():,} plan items, "
            f"{inspections:,} inspections)",
            f"p95 ≤ {TARGET_MS} ms at S = 1.0",
            fast,
            "ms",
            baseline,
            "two SQL sums of the same plans and inspections",
            fast <= TARGET_MS,
            f"{total.carried_out:,} of {total.planned:,} planned carried out ({total.rate} %), "
            f"{total.unplanned:,} unplanned, {total.organizations:,} organizations and "
            f"{total.members:,} members inspected; rounds: "
            + ", ".join(f"{x:.0f}" for x in fast_rounds)
            + " ms",
            f"p95 {fast:.0f} ms, {fast / TARGET_MS - 1:+.0%} over {TARGET_MS} ms "
            f"(the SQL sums take {baseline:.0f} ms)",
        )
    )
    return figures
