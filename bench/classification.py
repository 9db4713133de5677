"""Bench figures of the year-end classification: `classifications_compute` — the service the
background run calls — over the province with the most registered units and over the whole
country (the root), for the last full year, each in a process of its own (its wall time and
peak RSS are the computation's, not the bench's), in a transaction rolled back at the end.

- Each run goes as far as `--classification-budget` seconds allow: when the budget runs out
  first, the run stops after the review in progress and the figure is the time projected from
  the share of the collectives classified (the reviews run from the deepest units up).
- Baseline: the facts the computation reads, by two plain SQL queries over the same subtree
  (each unit's average of its accepted months, and each cell's members on the review date),
  with no rule, no record and no write.
- Such a run writes every collective's row and counts the members per cell; a review's member
  rows are written when it is first opened. After the country's run, the first opening of the
  review of median size and of the largest is timed (`review_members_write`).

Targets (issue 19): the country ≤ 2 min at S = 1.0 (≤ 2 min × S here: the work grows with the
units and members) and peak RSS ≤ 1 GB.

    python -m bench.classification --database-url … --unit VN-P01 --year 2025 [--budget 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time

TARGET_S = 120
TARGET_MB = 1024


class _OutOfBudget(Exception):
    pass


def _peak_rss_mb() -> float:
    """This process's peak RSS: VmHWM, which starts again at exec (ru_maxrss keeps the peak of
    the process that forked this one, the bench itself)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(argv: list[str] | None = None) -> int:
    """The measured process: compute, roll back, print one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--unit", required=True, help="code of the unit whose subtree is run")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--budget", type=float, default=0, help="seconds; 0: no limit")
    args = parser.parse_args(argv)
    from .run import bench_admin, setup

    setup(args.database_url)
    from django.db import connection, transaction

    from grassroots.classifications.choices import Subject
    from grassroots.classifications.models import Classification
    from grassroots.classifications.services import classifications_compute
    from grassroots.organizations.models import Unit

    unit = Unit.objects.get(code=args.unit)
    admin = bench_admin()
    rss_before = _peak_rss_mb()
    state = {"done": 0, "total": 0, "result": {}}
    started = time.monotonic()

    def progress(*, done, total, **result):
        state.update(done=done, total=total, result=result)
        if args.budget and time.monotonic() - started > args.budget and done < total:
            raise _OutOfBudget

    finished = True
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Rolled back at the end: the foreign keys (deferred to the commit by Django) are
            # checked row by row as a real run's commit would check them.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            result = classifications_compute(
                actor=admin, unit=unit, year=args.year, progress=progress
            )
            state["result"] = result.as_dict()
        except _OutOfBudget:
            finished = False
        seconds = time.monotonic() - started
        of_year = Classification.objects.filter(year=args.year, quarter__isnull=True)
        written = {
            "members": of_year.filter(subject=Subject.MEMBER).count()
            + state["result"].get("deferred", 0),
            "collectives": of_year.filter(subject=Subject.COLLECTIVE).count(),
        }
        opened = _open_reviews(args.year) if finished else {}
        transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        # The rows rolled back stay in the tables as dead ones until a vacuum: without it the
        # next run would read through millions of them.
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM (ANALYZE) classifications_classification, "
                "classifications_classificationstep, classifications_review, core_auditentry"
            )
    print(
        json.dumps(
            {
                "seconds": seconds,
                "finished": finished,
                "done": state["done"],
                "total": state["total"],
                "result": state["result"],
                "written": written,
                "opened": opened,
                "peak_rss_mb": _peak_rss_mb(),
                "rss_before_mb": rss_before,
            }
        )
    )
    return 0


def _open_reviews(year: int) -> dict:
    """The first opening of a review whose members the run counted: the seconds
    `review_members_write` takes for the review of median size and for the largest."""
    from django.db import connection

    from grassroots.classifications.models import Review
    from grassroots.classifications.services import review_members_write

    if connection.vendor == "postgresql":
        # A real run commits batch by batch and the tables are analysed after it; here its
        # rows are still in the bench's transaction, so they are analysed there (rolled back
        # with it), else the planner reads the classifications as the empty table it was.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE classifications_classification, classifications_review")
    waiting = Review.objects.filter(year=year, members_deferred_at__isnull=False)
    sizes = sorted(
        (review.members_counted()[0], review.pk) for review in waiting.only("members_deferred")
    )
    if not sizes:
        return {}
    out = {}
    for label, (members, pk) in (("median", sizes[len(sizes) // 2]), ("largest", sizes[-1])):
        review = Review.objects.select_related("unit").get(pk=pk)
        started = time.monotonic()
        rows = review_members_write(review)
        out[label] = {
            "seconds": time.monotonic() - started,
            "members": members,
            "rows": rows,
            "unit": review.unit.name,
        }
    return out


def _run(unit_code: str, year: int, budget: float) -> dict:
    from .run import ROOT

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.classification",
            "--database-url",
            os.environ["DATABASE_URL"],
            "--unit",
            unit_code,
            "--year",
            str(year),
            "--budget",
            str(budget),
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise SystemExit(proc.stdout + proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _raw_baseline(unit, year: int) -> float:
    """Seconds for the facts by plain SQL: each unit's average accepted month, each cell's
    members on the review date."""
    from django.db import connection

    q = connection.ops.quote_name
    day = dt.date(year, 12, 31)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.{q('unit_id')}, AVG(a.{q('total')}), COUNT(*) "
            f"FROM {q('assessments_monthlyassessment')} a "
            f"JOIN {q('assessments_registration')} r ON r.{q('id')} = a.{q('registration_id')} "
            f"JOIN {q('organizations_unit')} u ON u.{q('id')} = r.{q('unit_id')} "
            f"WHERE u.{q('path')} LIKE %s AND r.{q('year')} = %s AND a.{q('status')} = 'accepted' "
            f"GROUP BY r.{q('unit_id')}",
            [unit.path + "%", year],
        )
        cursor.fetchall()
        cursor.execute(
            f"SELECT m.{q('unit_id')}, COUNT(DISTINCT m.{q('member_id')}) "
            f"FROM {q('members_membership')} m "
            f"JOIN {q('organizations_unit')} u ON u.{q('id')} = m.{q('unit_id')} "
            f"WHERE u.{q('path')} LIKE %s AND m.{q('start')} <= %s "
            f"AND (m.{q('end')} IS NULL OR m.{q('end')} > %s) "
            f"AND m.{q('status')} <> 'in_transit' GROUP BY m.{q('unit_id')}",
            [unit.path + "%", day, day],
        )
        cursor.fetchall()
    return time.perf_counter() - t0


def _raw_write(unit, year: int) -> tuple[float, int]:
    """Seconds to write, by plain SQL in one rolled-back transaction, the rows a run writes for
    `unit`'s subtree — a classification for each member of its cells on the review date and for
    each collective, each with its step — with no rule and no fact read: the database's floor
    for a row per member (PostgreSQL only; None elsewhere). Returns (seconds, rows)."""
    from django.db import connection, transaction

    from grassroots.classifications.selectors import ruleset_in_force

    from .run import bench_admin

    if connection.vendor != "postgresql":
        return None, 0
    from grassroots.classifications.services import COLLECTIVE_KINDS

    day = dt.date(year, 12, 31)
    kinds = sorted(str(k) for k in COLLECTIVE_KINDS)
    rule_set = ruleset_in_force(year)
    actor = bench_admin()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked as a commit checks them
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO classifications_review (year, rules, review_date, opened_at, unit_id, "
            "rule_set_id, opened_by_id, members_deferred) "
            "VALUES (%s, '{}', %s, now(), %s, %s, %s, '{}') RETURNING id",
            [year, day, unit.pk, rule_set.pk, actor.pk],
        )
        (review,) = cursor.fetchone()
        columns = (
            "review_id, year, subject, member_id, unit_id, form_code, not_reviewed, facts, "
            "findings, cap_level, suggested_level, inputs, self_level, proposed_level, "
            "decided_level, flagged, four_good"
        )
        cursor.execute(
            f"INSERT INTO classifications_classification ({columns}) "
            "SELECT DISTINCT ON (m.member_id) %s, %s, 'member', m.member_id, m.unit_id, '2C', "
            "'', '{}', '[]', '', '', '{}', '', '', '', false, false "
            "FROM members_membership m JOIN organizations_unit u ON u.id = m.unit_id "
            "WHERE u.path LIKE %s AND m.start <= %s AND (m.end IS NULL OR m.end > %s) "
            "AND m.status <> 'in_transit'",
            [review, year, unit.path + "%", day, day],
        )
        cursor.execute(
            f"INSERT INTO classifications_classification ({columns}) "
            "SELECT %s, %s, 'collective', NULL, u.id, '01', '', '{}', '[]', '', '', '{}', "
            "'', '', '', false, false FROM organizations_unit u "
            "WHERE u.path LIKE %s AND u.kind = ANY(%s) AND u.valid_from <= %s "
            "AND (u.valid_to IS NULL OR u.valid_to >= %s)",
            [review, year, unit.path + "%", kinds, day, dt.date(year, 1, 1)],
        )
        cursor.execute(
            "INSERT INTO classifications_classificationstep "
            "(classification_id, kind, level, inputs, note, actor_id, at) "
            "SELECT id, 'computed', '', '{}', '', %s, now() "
            "FROM classifications_classification WHERE review_id = %s",
            [actor.pk, review],
        )
        rows = cursor.rowcount
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) classifications_classification, "
            "classifications_classificationstep, classifications_review"
        )
    return seconds, rows


def _projected(run: dict, unit, year: int) -> tuple[float, str]:
    """The run's time, or when its budget ran out, the time projected by the collectives
    classified over all the collectives of the year under `unit`; the reviews differ too much
    in size to count them."""
    from django.db.models import Q

    from grassroots.classifications.services import COLLECTIVE_KINDS
    from grassroots.organizations.models import Unit

    if run["finished"]:
        return run["seconds"], "the whole run"
    collectives = (
        Unit.objects.filter(path__startswith=unit.path, kind__in=COLLECTIVE_KINDS)
        .filter(valid_from__lte=dt.date(year, 12, 31))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1)))
        .count()
    )
    share = run["written"]["collectives"] / collectives if collectives else 1.0
    return run["seconds"] / max(share, 1e-9), (
        f"projected from {run['written']['collectives']:,} of {collectives:,} collectives "
        f"({run['done']:,} of {run['total']:,} reviews) in {run['seconds']:.0f} s"
    )


def bench_classification(say, *, scale: float, budget: float = 300) -> list:
    from django.utils import timezone

    from grassroots.classifications.selectors import ruleset_in_force
    from grassroots.organizations.models import Unit

    from .assessments import _largest_province, board_year
    from .run import Figure

    year = board_year(timezone.localdate())
    rules = ruleset_in_force(year)
    if rules is None:
        say(f"no classification rule set in force for {year}: the figures are skipped")
        return []
    province, registered = _largest_province(year)
    root = Unit.objects.get(parent__isnull=True, code="VN")
    figures = []
    say(f"classification of {province.name} for {year} under {rules} (its own process) …")
    run = _run(province.code, year, budget)
    raw = _raw_baseline(province, year)
    written = run["written"]
    seconds, what = _projected(run, province, year)
    figures.append(
        Figure(
            f"classification of a province for a year ({what}; {written['collectives']:,} "
            f"collectives, {written['members']:,} members classified)",
            "— (the country's target below)",
            seconds,
            "s",
            raw,
            "the facts by two SQL queries, no rule, no write",
            None,
            f"peak RSS {run['peak_rss_mb']:.0f} MB ({run['rss_before_mb']:.0f} MB before the "
            f"computation); {run['seconds'] / max(1, written['collectives']) * 1000:.1f} ms per "
            f"collective",
        )
    )
    say(f"the same rows written by plain SQL for {province.name} …")
    floor, floor_rows = _raw_write(province, year)
    if floor is not None:
        figures.append(
            Figure(
                f"  {province.name}'s rows written by plain SQL ({floor_rows:,} classifications, "
                "each with its step; no rule, no fact read)",
                "—",
                floor,
                "s",
                None,
                "",
                None,
                "what writing a row for every member would cost the database alone (the "
                "foreign keys checked row by row, each locking the member's row, and nine "
                "indexes kept): why a run over a subtree counts the members and writes their "
                "rows when their review is first opened",
            )
        )
    say(f"classification of the whole country for {year} (budget {budget:.0f} s) …")
    run = _run(root.code, year, budget)
    written = run["written"]
    projected, what = _projected(run, root, year)
    allowed = TARGET_S * scale
    raw = _raw_baseline(root, year)
    deferred = run["result"].get("deferred", 0)
    figures.append(
        Figure(
            f"classification of the whole country for a year ({what})",
            f"≤ 2 min at S = 1.0 (≤ {allowed:.0f} s at S = {scale})",
            projected,
            "s",
            raw,
            "the facts by two SQL queries, no rule, no write",
            projected <= allowed,
            f"{written['collectives']:,} collectives classified and written with their steps; "
            f"{written['members']:,} members classified, {deferred:,} of them counted per cell "
            "and written when their review is first opened",
            f"{projected:.0f} s where {allowed:.0f} s are allowed at this scale "
            f"({projected / allowed:.1f}×; at S = 1.0 about {projected / scale / 60:.0f} min)",
        )
    )
    for label, what in (("median", "a review of median size"), ("largest", "the largest review")):
        opened = run.get("opened", {}).get(label)
        if opened:
            figures.append(
                Figure(
                    f"  first opening of {what} after the country's run ({opened['unit']}, "
                    f"{opened['members']:,} members)",
                    "reported",
                    opened["seconds"] * 1000,
                    "ms",
                    None,
                    "",
                    None,
                    f"{opened['rows']:,} member rows written with their computed step, "
                    "once; later openings read them",
                )
            )
    figures.append(
        Figure(
            "  peak RSS of the country's classification",
            f"≤ {TARGET_MB} MB",
            run["peak_rss_mb"],
            "MB",
            None,
            "",
            run["peak_rss_mb"] <= TARGET_MB,
            f"{run['rss_before_mb']:.0f} MB before the computation",
        )
    )
    return figures


if __name__ == "__main__":
    raise SystemExit(_child())
