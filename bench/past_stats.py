"""Bench figures of the past-day counters (`grassroots.rollups.past`):

- statistics as of a past day — a year's end (31/12/2024: the month-end counters alone) and a
  day in the middle of a month (14/06/2024: the counters of 31 May plus the edges of the 14 days
  since) — for the root, the largest province and its largest commune; baseline: the same
  figures counted from the raw intervals of that day, `unit_stats(use_rollups=False)`.
- a back-dated event: the official recognition of a member, dated 14 months ago, through the
  member service (its ledger row, intervals, audit, today's counters and the past-day counters,
  one transaction, rolled back after each sample, with the connection's prepared statements
  kept over the rollbacks as a server's are over its requests: `_prepared_kept`); baseline:
  the same service with the past-day upkeep paused — the write cost of an event before these
  counters existed.
- the counters' size: rows of the change counters, their table and indexes, and the share of
  the database.

Targets (issue 18): root p95 ≤ 300 ms, province ≤ 100 ms, commune ≤ 30 ms for both days;
the back-dated event ≤ 50 ms p95 and within 20 % of the write without the past-day upkeep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

YEAR_END = dt.date(2024, 12, 31)
MID_MONTH = dt.date(2024, 6, 14)


def bench_past_stats(root, province, commune, say, *, rounds: int = 3) -> list:
    from grassroots.members.selectors import unit_stats

    from .run import Figure, median, p95, timed

    figures = []
    for label, unit, limit, fast_calls, raw_calls in (
        ("root", root, 300, 10, 1),
        ("province", province, 100, 20, 2),
        ("commune", commune, 30, 20, 10),
    ):
        for day, what in ((YEAR_END, "a year's end"), (MID_MONTH, "a day mid-month")):
            say(f"statistics of the {label} as of {day:%d/%m/%Y} …")
            fast_rounds = [
                p95(timed(lambda u=unit, d=day: unit_stats(unit=u, as_of=d), fast_calls))
                for _ in range(rounds)
            ]
            raw_rounds = [
                p95(
                    timed(
                        lambda u=unit, d=day: unit_stats(unit=u, as_of=d, use_rollups=False),
                        raw_calls,
                    )
                )
                for _ in range(rounds)
            ]
            fast, raw = median(fast_rounds), median(raw_rounds)
            same = unit_stats(unit=unit, as_of=day) == unit_stats(
                unit=unit, as_of=day, use_rollups=False
            )
            members = unit_stats(unit=unit, as_of=day).members_total
            figures.append(
                Figure(
                    f"statistics of the {label} as of {day:%d/%m/%Y}, {what} ({members:,} members)",
                    f"p95 ≤ {limit} ms",
                    fast,
                    "ms",
                    raw,
                    "the raw count of that day's intervals",
                    fast <= limit and same,
                    "rounds: "
                    + ", ".join(f"{v:.1f}" for v in fast_rounds)
                    + " ms; "
                    + ("equal to the raw count" if same else "DIFFERS from the raw count"),
                    f"p95 {fast:.1f} ms against {limit} ms ({fast / limit - 1:+.0%})",
                )
            )
    figures += bench_backdated_event(province, say, rounds=rounds)
    figures.append(counter_size())
    return figures


class _Rollback(Exception):
    pass


@contextmanager
def _prepared_kept() -> Iterator[None]:
    """Keep the connection's prepared statements over the samples' rollbacks.

    The upkeep's statements are prepared once per connection (`core.db.prepared_cursor`), and
    a server's connection keeps them from one request to the next: a request ends in a commit.
    psycopg forgets them at every rollback, in case the transaction dropped something they
    use, so a sample rolled back (to leave the bench database as it was) would plan them again
    at each event, which no server does. The samples change no table's definition and
    PostgreSQL keeps a prepared statement over a rollback: the bench keeps psycopg's record of
    them too (the rollbacks go on, only psycopg's forgetting is held off)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    manager = connection.connection._prepared
    manager.clear = lambda: False
    try:
        yield
    finally:
        del manager.clear


def bench_backdated_event(province, say, *, rounds: int = 3) -> list:
    """A recognition dated 14 months ago of a member admitted 26 months ago in a cell of the
    province, recorded through `member_recognize`; each sample in its own rolled-back
    transaction (the admission before it is not timed)."""
    import time

    from django.db import transaction
    from django.utils import timezone

    from grassroots.core.dates import add_months
    from grassroots.members import services as ms
    from grassroots.organizations.choices import CELL_KINDS
    from grassroots.organizations.models import Unit
    from grassroots.rollups.past import past_paused

    today = timezone.localdate()
    admitted = add_months(today, -26)
    recognized = add_months(today, -14)
    cells = list(
        Unit.objects.filter(
            path__startswith=province.path,
            kind__in=CELL_KINDS,
            valid_to__isnull=True,
            valid_from__lte=admitted,
        ).order_by("pk")[:40]
    )

    def sample(cell, paused: bool) -> float:
        try:
            with transaction.atomic():
                member = ms.member_admit(
                    actor=None,
                    unit=cell,
                    full_name="Nguyễn Văn Thử",
                    gender="male",
                    birth_date=dt.date(1995, 3, 14),
                    ethnicity="kinh",
                    decision_date=admitted,
                    ceremony_date=admitted,
                )
                t0 = time.perf_counter()
                if paused:
                    with past_paused():
                        ms.member_recognize(actor=None, member=member, decision_date=recognized)
                else:
                    ms.member_recognize(actor=None, member=member, decision_date=recognized)
                elapsed = (time.perf_counter() - t0) * 1000
                raise _Rollback
        except _Rollback:
            return elapsed

    say("a recognition dated 14 months ago …")
    with _prepared_kept():
        return _backdated_rounds(cells, sample, rounds)


def _backdated_rounds(cells, sample, rounds: int) -> list:
    from .run import Figure, median, p95

    # Warm-up: PostgreSQL plans a prepared statement afresh at its first five runs, then keeps
    # one plan for all.
    for cell in cells[:6]:
        sample(cell, False)
    with_rounds, without_rounds, ratios = [], [], []
    for _ in range(rounds):
        # Each pair of samples back to back, on the same cell: the machine's other load moves
        # both alike instead of one side of the comparison.
        kept, bare = [], []
        for cell in cells:
            kept.append(sample(cell, False))
            bare.append(sample(cell, True))
        with_rounds.append(p95(kept))
        without_rounds.append(p95(bare))
        ratios.append(median(kept) / median(bare))
    fast, base = median(with_rounds), median(without_rounds)
    return [
        Figure(
            "a recognition dated 14 months ago, recorded (past-day counters kept)",
            "p95 ≤ 50 ms and ≤ 1.2× the write without them",
            fast,
            "ms",
            base,
            "the same service with the past-day upkeep paused",
            fast <= 50 and fast <= 1.2 * base,
            f"{len(cells)} members of {len(cells)} cells; rounds: "
            + ", ".join(f"{v:.1f}" for v in with_rounds)
            + " ms; without: "
            + ", ".join(f"{v:.1f}" for v in without_rounds)
            + " ms; median against median: "
            + ", ".join(f"{r:.2f}×" for r in ratios),
            f"p95 {fast:.1f} ms, {fast / base:.2f}× the write without the past-day upkeep",
        )
    ]


def counter_size():
    from django.db import connection

    from grassroots.rollups.models import PastCount, SubtreeCount

    from .run import Figure

    rows = PastCount.objects.count()
    today_rows = SubtreeCount.objects.count()
    note = f"{rows:,} change rows (today's counters: {today_rows:,})"
    share = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size(%s), pg_database_size(current_database())",
                [PastCount._meta.db_table],
            )
            size, database = cursor.fetchone()
        share = 100 * size / database
        note += f"; {size / 2**20:,.0f} MB with their index, of {database / 2**30:,.1f} GB"
    return Figure(
        "  past-day counters: rows and their share of the database",
        "reported",
        share,
        "%",
        None,
        "",
        None,
        note,
    )
