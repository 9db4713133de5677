"""Counters of past days: the members of a top unit's subtree on any day, by every dimension
the statistics show, as fast as today's.

Design (measured and explained in docs/past-counters.md):
- The rows are CHANGES, not states. `PastCount(unit, period, dimension, value, n)`: in the
  subtree of `unit`, the number of members with `value` for `dimension` changed by `n` over the
  period — a month (period = YYYYMM) and, the same changes again, its year (period = YYYY).
  The figures at the end of month M of year Y are the sum of the rows of the years before Y and
  of the months 1..M of Y: about (years + 12) × values rows, a few thousand at the root.
- A change is an edge of a member's PIECE: a membership interval cut by the placements of its
  unit (the tree of each day), counted in every top unit on the placement's path. A piece adds
  one at its first day and takes one away on the day after its last, in each dimension (the
  interval's status — in transit included —, the member's attributes, and the member's age
  band on the day); a birthday crossing an age boundary inside a piece moves one from a band to
  the next on that day. So the count of any day is the sum of the changes up to it.
- Because the rows are changes, an event recorded late — a recognition dated 14 months ago, a
  transfer entered weeks later, a correction — touches only the rows of the months (and years)
  its edges fall in: a few upserts, never a rewrite of the months after it.
- A day inside a month: the end of the month before from the counters, plus the edges between,
  read from the raw intervals (those whose start, end, placement or age-boundary birthday falls
  in those days: indexed, and few next to the subtree).
- The members' rows are read through the reader the members app registers (`readers`); the
  ages bands come from it too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from grassroots.core.dates import add_months
from grassroots.core.db import prepared_cursor
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit, UnitPlacement

from .models import PastCount
from .readers import member_reader
from .tops import ROLLUP_KINDS, _ids, _temp_tops

DIMENSIONS = (
    "status",
    "gender",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "theory_level",
    "age",
)
ATTRIBUTES = DIMENSIONS[1:-1]
# The top units whose changes are kept per DAY too (period YYYYMMDD), beside their months and
# years: the root, over the whole history (its raw changes of a few days are the whole
# country's, too many to read at each visit); the provinces, over the recent years
# (`days_since`), the days that returns and reviews ask for. Inside a month, a day before that
# (and any day of a bloc or a district, whose subtrees are smaller) reads the few raw changes of
# its own subtree since the month's end.
DAY_KINDS = frozenset({UnitKind.CENTRAL})
RECENT_DAY_KINDS = frozenset({UnitKind.PROVINCE})


def days_since() -> dt.date:
    """The first day kept per day for the provinces: 1 January of the year
    `GRASSROOTS_PAST_DAY_YEARS` years back. It moves forward with the years (the rows of the
    days it leaves are no longer read); a larger setting needs `manage.py rebuild_rollups`."""
    years = getattr(settings, "GRASSROOTS_PAST_DAY_YEARS", 5)
    return dt.date(timezone.localdate().year - years, 1, 1)


def kept_from(kind: str, since: dt.date) -> dt.date | None:
    """The first day whose changes a top unit of `kind` keeps per day (None: none)."""
    if kind in DAY_KINDS:
        return dt.date.min
    if kind in RECENT_DAY_KINDS:
        return since
    return None


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _pg() -> bool:
    return connection.vendor == "postgresql"


# --- ages ------------------------------------------------------------------------------------


def age_bands() -> tuple[list[str], list[int]]:
    """The band keys in order and the ages at which each band after the first begins."""
    bands = member_reader().age_bands()
    keys = [key for key, _low, _high in bands]
    lows = [low for _key, low, _high in bands[1:]]
    return keys, lows


def crossing_day(birth: dt.date, years: int) -> dt.date:
    """The first day on which someone born on `birth` is `years` old, as the statistics count
    ages (born on or before the same day `years` earlier: 29 February turns on 1 March)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:  # 29 February in a year without one
        return dt.date(birth.year + years, 3, 1)


def _crossing_sql(column: str, years: int) -> str:
    if _pg():
        plus = f"CAST({column} + INTERVAL '{years} years' AS date)"
        return (
            f"({plus} + CASE WHEN EXTRACT(MONTH FROM {column}) = 2 AND "
            f"EXTRACT(DAY FROM {column}) = 29 AND EXTRACT(DAY FROM {plus}) = 28 THEN 1 ELSE 0 END)"
        )
    # SQLite carries 29 February + N years over to 1 March by itself.
    return f"date({column}, '+{years} years')"


def _band_sql(keys: list[str], count: int, op: str, day: str) -> str:
    crossed = " + ".join(f"CASE WHEN c{j} {op} {day} THEN 1 ELSE 0 END" for j in range(count))
    whens = " ".join(f"WHEN {i} THEN '{key}'" for i, key in enumerate(keys))
    return f"CASE {crossed} {whens} END" if count else f"'{keys[0]}'"


# --- periods ---------------------------------------------------------------------------------


def month_period(day: dt.date) -> int:
    return day.year * 100 + day.month


def day_period(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _period_sql(column: str) -> tuple[str, str]:
    """SQL of the month period (YYYYMM) and the year period (YYYY) of a date column."""
    if _pg():
        return (
            f"CAST(EXTRACT(YEAR FROM {column}) * 100 + EXTRACT(MONTH FROM {column}) AS integer)",
            f"CAST(EXTRACT(YEAR FROM {column}) AS integer)",
        )
    return (
        # Doubled: these run inside statements with parameters, where % starts a placeholder
        # (and Django's debug log formats the statement with them).
        f"CAST(strftime('%%Y%%m', {column}) AS integer)",
        f"CAST(strftime('%%Y', {column}) AS integer)",
    )


def _day_sql(column: str) -> str:
    """SQL of the day period (YYYYMMDD) of a date column."""
    if _pg():
        return (
            f"CAST(EXTRACT(YEAR FROM {column}) * 10000 + EXTRACT(MONTH FROM {column}) * 100 "
            f"+ EXTRACT(DAY FROM {column}) AS integer)"
        )
    return f"CAST(strftime('%%Y%%m%%d', {column}) AS integer)"


# --- the edges of the pieces, in SQL -----------------------------------------------------------


def edges_sql(
    *,
    key: str,
    where: str = "1 = 1",
    params: Sequence[object] = (),
    joins: str = "",
    bucket: str = "{day}",
    few: bool = False,
    since: dt.date | None = None,
) -> tuple[str, list]:
    """SQL giving rows (k, b, dim, value, n): the changes of the pieces of the intervals that
    `where` selects (over the reader's intervals `i` and the placements `p` of their units),
    summed by `k` (`key`: a top unit's id from `joins`, a placement's path…) and `b` (`bucket`,
    an SQL expression of `{day}`: the day itself, its month…). `few`: the intervals selected
    are few (a member's). `since`: only the edges of that day and after. The edges are summed
    by their whole combination of values before they are spread over the dimensions, so a
    million edges become a few thousand rows first."""
    intervals, interval_params = member_reader().intervals()
    keys, lows = age_bands()
    placements = _q(UnitPlacement._meta.db_table)
    overlap = (
        "(i.i_end IS NULL OR {p}.valid_from < i.i_end) "
        "AND ({p}.valid_to IS NULL OR {p}.valid_to > i.i_start)"
    )
    if few and _pg():
        # A few intervals: each looks up its unit's places by index, whatever the planner
        # guesses of their number (a hash of every place of the country would cost more).
        placed = (
            f"JOIN LATERAL (SELECT pl.* FROM {placements} pl WHERE pl.unit_id = i.unit_id "
            # OFFSET 0 keeps the subquery a loop over the index (never flattened into a join).
            f"AND {overlap.format(p='pl')} OFFSET 0) p ON TRUE"
        )
    else:
        placed = f"JOIN {placements} p ON p.unit_id = i.unit_id AND {overlap.format(p='p')}"
    crossing_columns = ", ".join(
        f"{_crossing_sql('i.birth_date', low)} AS c{j}" for j, low in enumerate(lows)
    )
    columns = ", ".join(f"i.{a}" for a in ("status", *ATTRIBUTES))
    pieces = f"""
        SELECT {key} AS k, {columns},
            CASE WHEN i.i_start > p.valid_from THEN i.i_start ELSE p.valid_from END AS s,
            CASE WHEN p.valid_to IS NULL THEN i.i_end
                 WHEN i.i_end IS NULL OR i.i_end > p.valid_to THEN p.valid_to
                 ELSE i.i_end END AS e
            {", " + crossing_columns if crossing_columns else ""}
        FROM ({intervals}) i
        {placed}
        {joins}
        WHERE {where}
    """
    n = len(lows)
    cs = "".join(f", c{j}" for j in range(n))
    plain = ", ".join(("status", *ATTRIBUTES))
    dims = " UNION ALL ".join(f"SELECT '{d}' AS dim" for d in DIMENSIONS)
    values = " ".join(f"WHEN '{d}' THEN {d}" for d in DIMENSIONS)
    # A date, written in the statement (its ISO form is the same literal on both databases).
    after = "" if since is None else f" AND {{day}} >= '{since.isoformat()}'"
    starts = (
        f"SELECT k, s AS day, 1 AS n, {plain}, {_band_sql(keys, n, '<=', 's')} AS age FROM pv "
        f"WHERE 1 = 1{after.format(day='s')}"
    )
    # A piece over before that day has no edge left.
    live = "" if since is None else f" AND (e IS NULL OR e >= '{since.isoformat()}')"
    ends = f"SELECT k, e, -1, {plain}, {_band_sql(keys, n, '<', 'e')} FROM pv"
    edges = f"{starts} UNION ALL {ends} WHERE e IS NOT NULL{after.format(day='e')}"
    b = bucket.format(day="day")
    parts = [
        f"""SELECT k, b, d.dim, CASE d.dim {values} END AS value, n
            FROM (
                SELECT k, {b} AS b, {plain}, age, SUM(n) AS n FROM ({edges}) ed
                GROUP BY k, {b}, {plain}, age
            ) g CROSS JOIN ({dims}) d"""
    ]
    # One pass over the pieces per boundary: the band left (-1) and the band entered (+1).
    signs = "(SELECT -1 AS x UNION ALL SELECT 1)"
    for j in range(n):
        cb = bucket.format(day=f"c{j}")
        parts.append(
            f"SELECT k, {cb}, 'age', CASE WHEN sg.x < 0 THEN '{keys[j]}' ELSE '{keys[j + 1]}' "
            f"END, sg.x * COUNT(*) FROM pv CROSS JOIN {signs} sg "
            f"WHERE c{j} > s AND (e IS NULL OR c{j} < e){after.format(day=f'c{j}')} "
            f"GROUP BY k, {cb}, sg.x"
        )
    sql = f"""
        WITH pv AS (
            SELECT k, {plain}, s, e{cs} FROM ({pieces}) pc
            WHERE (e IS NULL OR e > s){live}
        )
        SELECT k, b, dim, value, n FROM ({" UNION ALL ".join(parts)}) x
    """
    return sql, [*interval_params, *params]


# --- tops ------------------------------------------------------------------------------------


def _by_top(rows: Iterable[tuple[str, object, str, str, int]]) -> Counter:
    """Rows (placement path, day, dim, value, n) → (top, period, dim, value) for the month
    (YYYYMM) and the year (YYYY) of each, and the day (YYYYMMDD) for the tops kept per day
    (from the first day each keeps)."""
    rows = list(rows)
    paths = {r[0] for r in rows}
    ids = {i for p in paths for i in _ids(p)}
    since = days_since()
    days: dict[int, dt.date | None] = {
        pk: kept_from(kind, since)
        for pk, kind in Unit.objects.filter(pk__in=ids, kind__in=ROLLUP_KINDS).values_list(
            "pk", "kind"
        )
    }
    tops_of = {p: [i for i in _ids(p) if i in days] for p in paths}
    result: Counter = Counter()
    for path, when, dim, value, n in rows:
        if not n:
            continue
        day = _date(when)
        month, key = month_period(day), value or ""
        for top in tops_of[path]:
            result[(top, month, dim, key)] += int(n)
            result[(top, month // 100, dim, key)] += int(n)
            first = days[top]
            if first is not None and day >= first:
                result[(top, day_period(day), dim, key)] += int(n)
    return result


# --- reading and writing one member's (or some units') share ---------------------------------


def contribution(where: str, params: Sequence[object], *, few: bool = False) -> Counter:
    """The changes the selected intervals make, as {(top, period, dim, value): n}."""
    sql, sql_params = edges_sql(key="p.path", where=where, params=params, few=few)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return _by_top(cursor.fetchall())


def _tops_join(path: str) -> str:
    """SQL joining `t`, the top units on the placement path `path` (a few rows per placement),
    so that a member's rows come with their tops in the same statement."""
    kinds = ", ".join(f"'{k}'" for k in sorted(ROLLUP_KINDS))
    units = _q(Unit._meta.db_table)
    if _pg():
        # The path's ids, looked up by primary key.
        return (
            f"JOIN {units} t ON t.id = ANY(string_to_array(btrim({path}, '/'), '/')::bigint[]) "
            f"AND t.kind IN ({kinds})"
        )
    return f"JOIN {units} t ON t.kind IN ({kinds}) AND {path} LIKE '%%/' || t.id || '/%%'"


def _piece_edges(rows: Iterable[tuple]) -> Counter:
    """{(key, day, dim, value): n}: the edges of the pieces in `rows` — (key, status, the
    attributes, date of birth, interval start, interval end, place from, place to) — worked out
    in Python as `edges_sql` does in SQL (for a member's few pieces)."""
    keys, lows = age_bands()
    edges: Counter = Counter()
    for key, status, *rest in rows:
        attributes, (birth, start, end, since, until) = rest[: len(ATTRIBUTES)], rest[-5:]
        birth, start, end, since, until = (_date(x) for x in (birth, start, end, since, until))
        s = max(start, since)
        e = min((d for d in (end, until) if d is not None), default=None)
        if e is not None and e <= s:
            continue
        values = dict(zip(DIMENSIONS[:-1], (status, *attributes), strict=True))
        turns = [crossing_day(birth, low) for low in lows]
        at_start = keys[sum(c <= s for c in turns)]
        for dim, value in (*values.items(), ("age", at_start)):
            edges[(key, s, dim, value or "")] += 1
        if e is not None:
            at_end = keys[sum(c < e for c in turns)]
            for dim, value in (*values.items(), ("age", at_end)):
                edges[(key, e, dim, value or "")] -= 1
        for j, c in enumerate(turns):
            if s < c and (e is None or c < e):
                edges[(key, c, "age", keys[j])] -= 1
                edges[(key, c, "age", keys[j + 1])] += 1
    return edges


def member_contribution(member_id: int | None) -> Counter:
    """One member's share of the counters as the edges of its pieces, {(tops, day, dim, value):
    n}, `tops` the (top unit, first day it keeps per day or None) pairs on the piece's path;
    `spread` turns it into counter rows. Worked out in Python (a member has a few pieces: one
    plain statement, which also finds the top units on each piece's path, instead of planning
    the bulk statement at every event), each piece once whatever the number of its tops. The
    same edges as `edges_sql`: the tests compare both with the raw count.

    Kept as edges so that a change's share after against before is taken edge by edge and only
    what differs is spread over the tops and periods (a recognition: its day's status)."""
    if member_id is None:
        return Counter()
    intervals, params = member_reader().intervals()
    placements = _q(UnitPlacement._meta.db_table)
    # The same text at every event: prepared on the connection (its planning cost more than
    # its run).
    with prepared_cursor() as cursor:
        cursor.execute(
            f"""SELECT i.id, p.id, t.id, t.kind,
                    i.status, {", ".join(f"i.{a}" for a in ATTRIBUTES)},
                    i.birth_date, i.i_start, i.i_end, p.valid_from, p.valid_to
                FROM ({intervals}) i JOIN {placements} p ON p.unit_id = i.unit_id
                    AND (i.i_end IS NULL OR p.valid_from < i.i_end)
                    AND (p.valid_to IS NULL OR p.valid_to > i.i_start)
                {_tops_join("p.path")}
                WHERE i.member_id = %s""",
            [*params, member_id],
        )
        rows = cursor.fetchall()
    since = days_since()
    pieces: dict[tuple[int, int], tuple[list, list]] = {}
    for interval, place, top, kind, *rest in rows:
        piece = pieces.setdefault((interval, place), ([], rest))
        piece[0].append((top, kept_from(kind, since)))
    return _piece_edges((tuple(sorted(tops)), *rest) for tops, rest in pieces.values())


def spread(edges: Counter) -> Counter:
    """Edges {(tops, day, dim, value): n} → counter rows {(top, period, dim, value): n}: the
    month (YYYYMM) and the year (YYYY) of each edge in each top, and the day (YYYYMMDD) in the
    tops that keep that day."""
    result: Counter = Counter()
    for (tops, day, dim, value), n in edges.items():
        if not n:
            continue
        month = month_period(day)
        for top, first in tops:
            result[(top, month, dim, value)] += n
            result[(top, month // 100, dim, value)] += n
            if first is not None and day >= first:
                result[(top, day_period(day), dim, value)] += n
    return result


def _date(value) -> dt.date | None:
    """A date from the database (SQLite gives text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def past_add(counter: Counter) -> None:
    """Add {(top, period, dim, value): delta} to the counters in one statement per 500 rows."""
    rows = sorted((u, p, d, v, n) for (u, p, d, v), n in counter.items() if n)
    if not rows:
        return
    table = _q(PastCount._meta.db_table)
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        # An event's rows are as many as the last one of its kind: the same text, prepared.
        with prepared_cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, period, dimension, value, n) VALUES {values} "
                f"ON CONFLICT (unit_id, period, dimension, value) "
                f"DO UPDATE SET n = {table}.n + excluded.n",
                [x for row in chunk for x in row],
            )


_state = threading.local()


def paused() -> bool:
    return getattr(_state, "paused", 0) > 0


@contextmanager
def past_paused() -> Iterator[None]:
    """No member-by-member upkeep inside (a reorganization recounts its units as a whole, a
    bulk load rebuilds)."""
    _state.paused = getattr(_state, "paused", 0) + 1
    try:
        yield
    finally:
        _state.paused -= 1


def member_recorded(member_id: int, before: Counter | None) -> None:
    """After a change of one member: its share now against `before` (its share when the change
    began, from `member_contribution`; None for a new member)."""
    if paused():
        return
    after = member_contribution(member_id)
    if before:
        after.subtract(before)
    past_add(spread(after))


def units_selection(prefixes: Iterable[str], unit_ids: Iterable[int] = ()) -> tuple[str, list]:
    """The intervals of the units ever placed under these paths, or of these units."""
    prefixes = sorted(set(prefixes))
    unit_ids = sorted(set(unit_ids))
    placements = _q(UnitPlacement._meta.db_table)
    conditions, params = [], []
    if prefixes:
        likes = " OR ".join(["pp.path LIKE %s"] * len(prefixes))
        conditions.append(f"i.unit_id IN (SELECT pp.unit_id FROM {placements} pp WHERE {likes})")
        params += [f"{p}%" for p in prefixes]
    if unit_ids:
        conditions.append(f"i.unit_id IN ({', '.join(['%s'] * len(unit_ids))})")
        params += unit_ids
    return (" OR ".join(f"({c})" for c in conditions) or "1 = 0"), params


# --- rebuilding --------------------------------------------------------------------------------


def _write_changes(cursor, sql: str, params: Sequence[object], *, add: bool) -> None:
    """Write the month rows of `sql` (rows k = top id, b = YYYYMM period, dim, value, n) and
    the year rows they sum to: as new rows, or added to those there (`add`)."""
    table = _q(PastCount._meta.db_table)
    cursor.execute("DROP TABLE IF EXISTS rollup_past_months")
    cursor.execute(
        f"""CREATE TEMPORARY TABLE rollup_past_months AS
            SELECT k AS unit_id, b AS period, dim, COALESCE(value, '') AS value, SUM(n) AS n
            FROM ({sql}) x GROUP BY 1, 2, 3, 4""",
        params,
    )
    upsert = (
        f" ON CONFLICT (unit_id, period, dimension, value) DO UPDATE SET n = {table}.n + excluded.n"
        if add
        else ""
    )
    cursor.execute(
        f"""INSERT INTO {table} (unit_id, period, dimension, value, n)
            SELECT * FROM (
                SELECT unit_id, period, dim, value, n FROM rollup_past_months WHERE n <> 0
                UNION ALL
                SELECT unit_id, period / 100, dim, value, SUM(n) FROM rollup_past_months
                GROUP BY unit_id, period / 100, dim, value HAVING SUM(n) <> 0
            ) y WHERE 1 = 1{upsert}"""
    )
    cursor.execute("DROP TABLE rollup_past_months")


def _write_days(cursor, *, where: str = "1 = 1", params: Sequence[object] = (), add: bool) -> None:
    """Write the day rows (YYYYMMDD) of the tops kept per day, from the selected intervals
    (with the placement → top table `rollup_placement_top`): the root's of every day, the
    provinces' from `days_since` (only those edges are computed)."""
    table = _q(PastCount._meta.db_table)
    upsert = (
        f" ON CONFLICT (unit_id, period, dimension, value) DO UPDATE SET n = {table}.n + excluded.n"
        if add
        else ""
    )
    for kinds, since in ((DAY_KINDS, None), (RECENT_DAY_KINDS, days_since())):
        day_tops = list(Unit.objects.filter(kind__in=kinds).values_list("pk", flat=True))
        if not day_tops:
            continue
        tops = ", ".join(str(int(pk)) for pk in day_tops)
        sql, sql_params = edges_sql(
            key="t.top_id",
            joins=f"JOIN rollup_placement_top t ON t.key_id = p.id AND t.top_id IN ({tops})",
            where=where,
            params=params,
            bucket=_day_sql("{day}"),
            since=since,
        )
        cursor.execute(
            f"""INSERT INTO {table} (unit_id, period, dimension, value, n)
                SELECT * FROM (
                    SELECT k, b, dim, COALESCE(value, ''), SUM(n) FROM ({sql}) x
                    GROUP BY k, b, dim, COALESCE(value, '') HAVING SUM(n) <> 0
                ) y WHERE 1 = 1{upsert}""",
            sql_params,
        )


def rebuild(cursor) -> None:
    """Every past counter from the raw rows (the placement → top table `rollup_placement_top`
    made by `services.rollup_rebuild`)."""
    month, _year = _period_sql("{day}")
    sql, params = edges_sql(
        key="t.top_id", joins="JOIN rollup_placement_top t ON t.key_id = p.id", bucket=month
    )
    cursor.execute(f"DELETE FROM {_q(PastCount._meta.db_table)}")
    _write_changes(cursor, sql, params, add=False)
    _write_days(cursor, add=False)


# --- reading -------------------------------------------------------------------------------


def _month_end_sums(top_ids: list[int], end: dt.date) -> Counter:
    """{(dim, value): n} over these tops at the end of the month of `end`: the rows of the
    whole years before, then of the months of its year up to it (two index ranges)."""
    table = _q(PastCount._meta.db_table)
    year, month = end.year, end.month
    units = ", ".join(["%s"] * len(top_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT dimension, value, SUM(n) FROM {table}
                WHERE unit_id IN ({units})
                  AND ((period >= 1 AND period <= %s) OR (period >= %s AND period <= %s))
                GROUP BY dimension, value""",
            [*top_ids, year - 1, year * 100 + 1, year * 100 + month],
        )
        return Counter({(dim, value): int(n) for dim, value, n in cursor.fetchall() if n})


def _partial(tops: list[Unit], after: dt.date, day: dt.date) -> Counter:
    """{(dim, value): n} of the edges in (after, day] of the pieces under these tops, in one
    statement over the places of the units ever placed under them (read once, by path, from
    the index alone, and hashed):

    - the first and last days of pieces: the intervals that started or ended in those days, or
      whose unit's place in the tree changed in them, found by their keys alone (the indexes
      by day, unit and id) and kept to those units before any is read whole, by id — a few
      thousand in a province's fortnight — then spread over the dimensions;
    - the birthdays crossing an age boundary inside a piece: the country's intervals of members
      born in each window moved back by the boundary's years, read from the index by date of
      birth alone (it holds each interval's first and last days), kept to those units. No
      interval or member row is read for them."""
    prefixes = sorted(
        set(UnitPlacement.objects.filter(unit__in=tops).values_list("path", flat=True))
    )
    if not prefixes:
        return Counter()
    reader = member_reader()
    intervals, interval_params = reader.intervals()
    keys, key_params = reader.interval_keys()
    placements = _q(UnitPlacement._meta.db_table)
    bands, lows = age_bands()
    # A unit ever placed under a top had a path starting with one the top had (the index
    # answers that), and a place under the top holds its id (that keeps exactly those).
    placed = (
        f"({' OR '.join(['pp.path LIKE %s'] * len(prefixes))}) "
        f"AND ({' OR '.join(['pp.path LIKE %s'] * len(tops))})"
    )
    params: list = [*(f"{p}%" for p in prefixes), *(f"%/{t.pk}/%" for t in tops)]

    windows = [
        ("k.i_start > %s AND k.i_start <= %s", [after, day]),
        ("k.i_end > %s AND k.i_end <= %s", [after, day]),
        (
            f"k.unit_id IN (SELECT unit_id FROM {placements} WHERE "
            "(valid_from > %s AND valid_from <= %s) OR (valid_to > %s AND valid_to <= %s))",
            [after, day, after, day],
        ),
    ]
    candidates = " UNION ALL ".join(
        f"SELECT k.id, k.unit_id FROM ({keys}) k WHERE {w}" for w, _p in windows
    )
    params += [*interval_params, *(x for _w, p in windows for x in (*key_params, *p))]
    plain = ", ".join(("status", *ATTRIBUTES))
    crossing_columns = "".join(
        f", {_crossing_sql('i.birth_date', low)} AS c{j}" for j, low in enumerate(lows)
    )
    params += [after, day, after, day]

    born = []
    for j, low in enumerate(lows):
        # Born in the window moved back `low` years (a day or two wider each side for the
        # 29 February birthdays; the crossing itself is kept to the window exactly).
        lo = add_months(after, -12 * low) - dt.timedelta(days=2)
        hi = add_months(day, -12 * low) + dt.timedelta(days=2)
        crossing = _crossing_sql("k.birth_date", low)
        born.append(
            f"SELECT {j} AS j, k.unit_id, k.i_start, k.i_end, {crossing} AS c FROM ({keys}) k "
            f"WHERE k.birth_date >= %s AND k.birth_date <= %s "
            f"AND {crossing} > %s AND {crossing} <= %s"
        )
        params += [*key_params, lo, hi, after, day]
    left = " ".join(f"WHEN {j} THEN '{bands[j]}'" for j in range(len(lows)))
    entered = " ".join(f"WHEN {j} THEN '{bands[j + 1]}'" for j in range(len(lows)))
    values = " ".join(f"WHEN '{d}' THEN {d}" for d in DIMENSIONS)
    dims = " UNION ALL ".join(f"SELECT '{d}' AS dim" for d in DIMENSIONS)
    piece_end = """CASE WHEN pp.valid_to IS NULL THEN {i}.i_end
                     WHEN {i}.i_end IS NULL OR {i}.i_end > pp.valid_to THEN pp.valid_to
                     ELSE {i}.i_end END"""
    piece_start = "CASE WHEN {i}.i_start > pp.valid_from THEN {i}.i_start ELSE pp.valid_from END"
    crossings = (
        f"""
        , cr AS (
            SELECT j FROM (
                SELECT x.j, x.c, {piece_start.format(i="x")} AS s, {piece_end.format(i="x")} AS e
                FROM ({" UNION ALL ".join(born)}) x JOIN pp ON pp.unit_id = x.unit_id
            ) y WHERE c > s AND (e IS NULL OR c < e)
        )"""
        if born
        else ""
    )
    crossing_rows = (
        f"""UNION ALL SELECT 'age', CASE j {left} END, -COUNT(*) FROM cr GROUP BY j
            UNION ALL SELECT 'age', CASE j {entered} END, COUNT(*) FROM cr GROUP BY j"""
        if born
        else ""
    )
    sql = f"""
        WITH pp AS {"MATERIALIZED " if _pg() else ""}(
            SELECT pp.unit_id, pp.valid_from, pp.valid_to FROM {placements} pp WHERE {placed}
        ),
        pv AS (
            SELECT * FROM (
                SELECT {", ".join(f"i.{a}" for a in ("status", *ATTRIBUTES))},
                    {piece_start.format(i="i")} AS s, {piece_end.format(i="i")} AS e
                    {crossing_columns}
                FROM ({intervals}) i JOIN pp ON pp.unit_id = i.unit_id
                    AND (i.i_end IS NULL OR pp.valid_from < i.i_end)
                    AND (pp.valid_to IS NULL OR pp.valid_to > i.i_start)
                WHERE i.id IN (
                    SELECT u.id FROM ({candidates}) u WHERE u.unit_id IN (SELECT unit_id FROM pp)
                )
            ) x WHERE e IS NULL OR e > s
        ),
        ed AS (
            SELECT 1 AS n, {plain}, {_band_sql(bands, len(lows), "<=", "s")} AS age FROM pv
            WHERE s > %s AND s <= %s
            UNION ALL
            SELECT -1, {plain}, {_band_sql(bands, len(lows), "<", "e")} FROM pv
            WHERE e IS NOT NULL AND e > %s AND e <= %s
        ){crossings}
        SELECT dim, value, SUM(n) FROM (
            SELECT d.dim, CASE d.dim {values} END AS value, SUM(ed.n) AS n
            FROM ed CROSS JOIN ({dims}) d GROUP BY 1, 2
            {crossing_rows}
        ) z GROUP BY 1, 2
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return Counter({(dim, value or ""): int(n) for dim, value, n in cursor.fetchall() if n})


def _day_sums(top_ids: list[int], after: dt.date, day: dt.date) -> Counter:
    """{(dim, value): n} of the day rows of these tops in (after, day] (one index range)."""
    table = _q(PastCount._meta.db_table)
    units = ", ".join(["%s"] * len(top_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT dimension, value, SUM(n) FROM {table}
                WHERE unit_id IN ({units}) AND period > %s AND period <= %s
                GROUP BY dimension, value""",
            [*top_ids, day_period(after), day_period(day)],
        )
        return Counter({(dim, value): int(n) for dim, value, n in cursor.fetchall() if n})


def past_counts(tops: list[Unit], day: dt.date) -> dict[str, Counter]:
    """{dimension: Counter(value → n)} of the members in the subtrees of these top units on
    `day` (the tree of that day), summed: the month-end counters of the month before (or of
    the month, when `day` ends one) plus the changes of the days between — the day rows of
    the tops kept per day, the raw edges of their own subtree for the others."""
    if month_end(day) == day:
        end, partial = day, None
    else:
        end = day.replace(day=1) - dt.timedelta(days=1)
        partial = (end, day)
    totals = _month_end_sums([t.pk for t in tops], end)
    if partial is not None:
        since = days_since()
        # A top keeping the days (after, day] per day: the first of them on or after its first.
        kept = {
            t.pk
            for t in tops
            if (first := kept_from(t.kind, since)) is not None
            and partial[0] + dt.timedelta(days=1) >= first
        }
        by_day = [t.pk for t in tops if t.pk in kept]
        others = [t for t in tops if t.pk not in kept]
        if by_day:
            totals.update(_day_sums(by_day, *partial))
        if others:
            totals.update(_partial(others, *partial))
    result: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    for (dim, value), n in totals.items():
        if n:
            result.setdefault(dim, Counter())[value] += n
    return result


def past_add_selection(where: str, params: Sequence[object]) -> None:
    """Add the changes of the selected intervals, computed and written on the database (a bulk
    import's members: millions of edges, never in Python)."""
    month, _year = _period_sql("{day}")
    with connection.cursor() as cursor:
        _temp_tops(cursor, "rollup_placement_top", UnitPlacement.objects.all())
        sql, sql_params = edges_sql(
            key="t.top_id",
            joins="JOIN rollup_placement_top t ON t.key_id = p.id",
            where=where,
            params=params,
            bucket=month,
        )
        _write_changes(cursor, sql, sql_params, add=True)
        _write_days(cursor, where=where, params=params, add=True)
        cursor.execute("DROP TABLE rollup_placement_top")


def past_add_members(member_ids: Sequence[int]) -> None:
    """The past-day counters of members written in bulk (an import), in one pass."""
    if paused() or not member_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS rollup_new_members")
        cursor.execute("CREATE TEMPORARY TABLE rollup_new_members (member_id bigint)")
        cursor.executemany("INSERT INTO rollup_new_members VALUES (%s)", [(m,) for m in member_ids])
        past_add_selection("i.member_id IN (SELECT member_id FROM rollup_new_members)", [])
        cursor.execute("DROP TABLE rollup_new_members")
