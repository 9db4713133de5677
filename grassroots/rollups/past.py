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
- A day inside a month: the end of the month before from the counters, plus the changes of the
  days since, kept as one packed row per unit and day (`PastDay`): at most 30 short rows.
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

from django.db import connection

from grassroots.core.dates import add_months
from grassroots.organizations.models import Unit, UnitPlacement

from .models import PastCount, PastDay
from .readers import member_reader

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
DIMENSION_INDEX = {d: i for i, d in enumerate(DIMENSIONS)}


def pack(changes: dict[tuple[str, str], int]) -> str:
    """A day's changes as the text of a `PastDay` row: "<dimension index><value>:<n>", comma
    separated (values are codes: no comma, no colon)."""
    return ",".join(f"{DIMENSION_INDEX[d]}{v}:{n}" for (d, v), n in sorted(changes.items()) if n)


def unpack(text: str) -> Counter:
    """{(dimension, value): n} of a `PastDay` row (a value may repeat: it is summed)."""
    found: Counter = Counter()
    for part in text.split(","):
        if part:
            head, n = part.rsplit(":", 1)
            found[(DIMENSIONS[int(head[0])], head[1:])] += int(n)
    return found


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
    day = add_months(birth, 12 * years)
    if (birth.month, birth.day) == (2, 29) and day.day == 28:
        day += dt.timedelta(days=1)
    return day


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
        f"CAST(strftime('%Y%m', {column}) AS integer)",
        f"CAST(strftime('%Y', {column}) AS integer)",
    )


# --- the edges of the pieces, in SQL -----------------------------------------------------------


def edges_sql(
    *,
    key: str,
    where: str = "1 = 1",
    params: Sequence[object] = (),
    joins: str = "",
) -> tuple[str, list]:
    """SQL giving rows (k, day, dim, value, n): the changes of the pieces of the intervals that
    `where` selects (over the reader's intervals `i` and the placements `p` of their units),
    summed by `k` (`key`: a top unit's id from `joins`, a placement's path…) and day. The edges
    are summed by their whole combination of values before they are spread over the
    dimensions, so a million edges become far fewer rows first."""
    intervals, interval_params = member_reader().intervals()
    keys, lows = age_bands()
    placements = _q(UnitPlacement._meta.db_table)
    overlap = (
        "(i.i_end IS NULL OR {p}.valid_from < i.i_end) "
        "AND ({p}.valid_to IS NULL OR {p}.valid_to > i.i_start)"
    )
    placed = f"JOIN {placements} p ON p.unit_id = i.unit_id AND {overlap.format(p='p')}"
    crossings = ", ".join(
        f"{_crossing_sql('i.birth_date', low)} AS c{j}" for j, low in enumerate(lows)
    )
    columns = ", ".join(f"i.{a}" for a in ("status", *ATTRIBUTES))
    pieces = f"""
        SELECT {key} AS k, {columns},
            CASE WHEN i.i_start > p.valid_from THEN i.i_start ELSE p.valid_from END AS s,
            CASE WHEN p.valid_to IS NULL THEN i.i_end
                 WHEN i.i_end IS NULL OR i.i_end > p.valid_to THEN p.valid_to
                 ELSE i.i_end END AS e
            {", " + crossings if crossings else ""}
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
    starts = f"SELECT k, s AS day, 1 AS n, {plain}, {_band_sql(keys, n, '<=', 's')} AS age FROM pv"
    ends = f"SELECT k, e, -1, {plain}, {_band_sql(keys, n, '<', 'e')} FROM pv"
    edges = f"{starts} UNION ALL {ends} WHERE e IS NOT NULL"
    parts = [
        f"""SELECT k, day, d.dim, CASE d.dim {values} END AS value, n
            FROM (
                SELECT k, day, {plain}, age, SUM(n) AS n FROM ({edges}) ed
                GROUP BY k, day, {plain}, age
            ) g CROSS JOIN ({dims}) d"""
    ]
    # One pass over the pieces per boundary: the band left (-1) and the band entered (+1).
    signs = "(SELECT -1 AS x UNION ALL SELECT 1)"
    for j in range(n):
        parts.append(
            f"SELECT k, c{j}, 'age', CASE WHEN sg.x < 0 THEN '{keys[j]}' ELSE '{keys[j + 1]}' END, "
            f"sg.x * COUNT(*) FROM pv CROSS JOIN {signs} sg "
            f"WHERE c{j} > s AND (e IS NULL OR c{j} < e) GROUP BY k, c{j}, sg.x"
        )
    sql = f"""
        WITH pv AS (
            SELECT k, {plain}, s, e{cs} FROM ({pieces}) pc WHERE e IS NULL OR e > s
        )
        SELECT k, day, dim, value, n FROM ({" UNION ALL ".join(parts)}) x
    """
    return sql, [*interval_params, *params]


# --- tops ------------------------------------------------------------------------------------


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _top_ids() -> set[int]:
    from .services import ROLLUP_KINDS

    return set(Unit.objects.filter(kind__in=ROLLUP_KINDS).values_list("pk", flat=True))


def _by_top(rows: Iterable[tuple[str, dt.date, str, str, int]]) -> Counter:
    """Rows (placement path, day, dim, value, n) → Counter of (top, period, dim, value) for
    the month (YYYYMM), the year (YYYY) and the day (a date) of each."""
    rows = list(rows)
    paths = {r[0] for r in rows}
    ids = {i for p in paths for i in _ids(p)}
    from .services import ROLLUP_KINDS

    tops = set(Unit.objects.filter(pk__in=ids, kind__in=ROLLUP_KINDS).values_list("pk", flat=True))
    result: Counter = Counter()
    for path, day, dim, value, n in rows:
        if not n:
            continue
        day = _date(day)
        month = month_period(day)
        for top in (i for i in _ids(path) if i in tops):
            result[(top, month, dim, value or "")] += n
            result[(top, month // 100, dim, value or "")] += n
            result[(top, day, dim, value or "")] += n
    return result


# --- reading and writing one member's (or some units') share ---------------------------------


def contribution(where: str, params: Sequence[object]) -> Counter:
    """The changes the selected intervals make, as {(top, period, dim, value): n} (periods:
    months, years and days, see `_by_top`)."""
    sql, sql_params = edges_sql(key="p.path", where=where, params=params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return _by_top(cursor.fetchall())


def member_contribution(member_id: int | None) -> Counter:
    """One member's share of the counters, worked out in Python from its pieces (a member has
    a few: one plain query instead of planning the bulk statement at every event). The same
    edges as `edges_sql`: the tests compare both with the raw count."""
    if member_id is None:
        return Counter()
    intervals, params = member_reader().intervals()
    placements = _q(UnitPlacement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT p.path, i.status, {", ".join(f"i.{a}" for a in ATTRIBUTES)},
                    i.birth_date, i.i_start, i.i_end, p.valid_from, p.valid_to
                FROM ({intervals}) i JOIN {placements} p ON p.unit_id = i.unit_id
                    AND (i.i_end IS NULL OR p.valid_from < i.i_end)
                    AND (p.valid_to IS NULL OR p.valid_to > i.i_start)
                WHERE i.member_id = %s""",
            [*params, member_id],
        )
        rows = cursor.fetchall()
    keys, lows = age_bands()
    edges: Counter = Counter()
    for path, status, *rest in rows:
        attributes, (birth, start, end, since, until) = rest[: len(ATTRIBUTES)], rest[-5:]
        birth, start, end, since, until = (_date(x) for x in (birth, start, end, since, until))
        s = max(start, since)
        e = min((d for d in (end, until) if d is not None), default=None)
        if e is not None and e <= s:
            continue
        values = dict(zip(DIMENSIONS[:-1], (status, *attributes), strict=True))
        crossings = [crossing_day(birth, low) for low in lows]
        at_start = keys[sum(c <= s for c in crossings)]
        for dim, value in (*values.items(), ("age", at_start)):
            edges[(path, s, dim, value or "")] += 1
        if e is not None:
            at_end = keys[sum(c < e for c in crossings)]
            for dim, value in (*values.items(), ("age", at_end)):
                edges[(path, e, dim, value or "")] -= 1
        for j, c in enumerate(crossings):
            if s < c and (e is None or c < e):
                edges[(path, c, "age", keys[j])] -= 1
                edges[(path, c, "age", keys[j + 1])] += 1
    return _by_top((path, day, dim, value, n) for (path, day, dim, value), n in edges.items())


def _date(value) -> dt.date | None:
    """A date from the database (SQLite gives text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def past_add(counter: Counter) -> None:
    """Add {(top, period, dim, value): delta} to the counters: month and year rows in one
    upsert per 500, day rows merged into their packed text under a row lock."""
    periods = sorted(
        (u, p, d, v, n) for (u, p, d, v), n in counter.items() if n and isinstance(p, int)
    )
    days: dict[tuple[int, dt.date], Counter] = {}
    for (u, p, d, v), n in counter.items():
        if n and isinstance(p, dt.date):
            days.setdefault((u, p), Counter())[(d, v)] += n
    table = _q(PastCount._meta.db_table)
    for i in range(0, len(periods), 500):
        chunk = periods[i : i + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, period, dimension, value, n) VALUES {values} "
                f"ON CONFLICT (unit_id, period, dimension, value) "
                f"DO UPDATE SET n = {table}.n + excluded.n",
                [x for row in chunk for x in row],
            )
    if days:
        _merge_days(days)


def _merge_days(days: dict[tuple[int, dt.date], Counter]) -> None:
    """Add each day's changes to its packed row. The rows are made first if missing (so that a
    second writer of the same day waits for the first, and then sees its row), then locked and
    rewritten merged — the hot rows (today's, at the root) stay one short text."""
    from django.db.models import Q

    keys = sorted(days)
    table = _q(PastDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, day, changes) VALUES "
            + ", ".join(["(%s, %s, '')"] * len(keys))
            + " ON CONFLICT (unit_id, day) DO NOTHING",
            [x for key in keys for x in key],
        )
    q = Q()
    for unit_id, day in keys:
        q |= Q(unit_id=unit_id, day=day)
    rows = list(PastDay.objects.select_for_update().filter(q).order_by("unit_id", "day"))
    for row in rows:
        merged = unpack(row.changes)
        merged.update(days[(row.unit_id, row.day)])
        row.changes = pack(merged)
    PastDay.objects.bulk_update(rows, ["changes"])


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
    past_add(after)


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
    """Write the changes of `sql` (rows k = top id, b = day, dim, value, n): the day rows
    packed, the month rows and the year rows they sum to — as new rows, or added to those there
    (`add`: a bulk import; its day rows are appended to the packed text, which a reader sums)."""
    counts = _q(PastCount._meta.db_table)
    days = _q(PastDay._meta.db_table)
    month, _year = _period_sql("day")
    cursor.execute("DROP TABLE IF EXISTS rollup_past_days")
    cursor.execute(
        f"""CREATE TEMPORARY TABLE rollup_past_days AS
            SELECT k AS unit_id, day, dim, COALESCE(value, '') AS value, SUM(n) AS n
            FROM ({sql}) x GROUP BY 1, 2, 3, 4""",
        params,
    )
    index = "CASE dim " + " ".join(f"WHEN '{d}' THEN '{i}'" for d, i in DIMENSION_INDEX.items())
    entry = f"{index} END || value || ':' || CAST(n AS text)"
    joined = (
        f"string_agg({entry}, ',' ORDER BY dim, value)" if _pg() else f"group_concat({entry}, ',')"
    )
    upsert_days = (
        f" ON CONFLICT (unit_id, day) DO UPDATE SET changes = CASE "
        f"WHEN {days}.changes = '' THEN excluded.changes "
        f"ELSE {days}.changes || ',' || excluded.changes END"
        if add
        else ""
    )
    cursor.execute(
        f"""INSERT INTO {days} (unit_id, day, changes)
            SELECT * FROM (
                SELECT unit_id, day, {joined} FROM rollup_past_days WHERE n <> 0
                GROUP BY unit_id, day
            ) y WHERE 1 = 1{upsert_days}"""
    )
    upsert = (
        " ON CONFLICT (unit_id, period, dimension, value) "
        f"DO UPDATE SET n = {counts}.n + excluded.n"
        if add
        else ""
    )
    cursor.execute(
        f"""INSERT INTO {counts} (unit_id, period, dimension, value, n)
            SELECT * FROM (
                SELECT unit_id, {month}, dim, value, SUM(n) FROM rollup_past_days
                GROUP BY unit_id, {month}, dim, value HAVING SUM(n) <> 0
                UNION ALL
                SELECT unit_id, {month} / 100, dim, value, SUM(n) FROM rollup_past_days
                GROUP BY unit_id, {month} / 100, dim, value HAVING SUM(n) <> 0
            ) y WHERE 1 = 1{upsert}"""
    )
    cursor.execute("DROP TABLE rollup_past_days")


def rebuild(cursor) -> None:
    """Every past counter from the raw rows (the placement → top table `rollup_placement_top`
    made by `services.rollup_rebuild`)."""
    sql, params = edges_sql(key="t.top_id", joins="JOIN rollup_placement_top t ON t.key_id = p.id")
    cursor.execute(f"DELETE FROM {_q(PastCount._meta.db_table)}")
    cursor.execute(f"DELETE FROM {_q(PastDay._meta.db_table)}")
    _write_changes(cursor, sql, params, add=False)


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
        return Counter({(dim, value): n for dim, value, n in cursor.fetchall() if n})


def _days_between(top_ids: list[int], after: dt.date, day: dt.date) -> Counter:
    """{(dim, value): n} of the day rows of these tops in (after, day]."""
    found: Counter = Counter()
    rows = PastDay.objects.filter(unit_id__in=top_ids, day__gt=after, day__lte=day)
    for text in rows.values_list("changes", flat=True):
        found.update(unpack(text))
    return found


def past_counts(tops: list[Unit], day: dt.date) -> dict[str, Counter]:
    """{dimension: Counter(value → n)} of the members in the subtrees of these top units on
    `day` (the tree of that day), summed: the month-end counters of the month before (or of
    the month, when `day` ends one) plus the day rows of the days between."""
    if month_end(day) == day:
        end, partial = day, None
    else:
        end = day.replace(day=1) - dt.timedelta(days=1)
        partial = (end, day)
    ids = [t.pk for t in tops]
    totals = _month_end_sums(ids, end)
    if partial is not None:
        totals.update(_days_between(ids, *partial))
    result: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    for (dim, value), n in totals.items():
        if n:
            result.setdefault(dim, Counter())[value] += n
    return result


def past_add_selection(where: str, params: Sequence[object]) -> None:
    """Add the changes of the selected intervals, computed and written on the database (a bulk
    import's members: millions of edges, never in Python)."""
    from .services import _temp_tops

    with connection.cursor() as cursor:
        _temp_tops(cursor, "rollup_placement_top", UnitPlacement.objects.all())
        sql, sql_params = edges_sql(
            key="t.top_id",
            joins="JOIN rollup_placement_top t ON t.key_id = p.id",
            where=where,
            params=params,
        )
        _write_changes(cursor, sql, sql_params, add=True)
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
