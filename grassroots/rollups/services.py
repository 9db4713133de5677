"""Keeping the subtree counters.

Design (the figures at the top of the tree):
- Units of the kinds in ROLLUP_KINDS (central, provinces, blocs, districts: a few hundred
  units) hold counters for their whole subtree; a commune or a cell answers from the raw rows,
  which are few under it. A counter is (unit, dimension, value) → n.
- Member dimensions count the members `unit_stats` counts today: active, in the subtree, and —
  for a member in transit — only where the subtree holds both ends. The status dimension is
  official / probationary / in_transit; the others are the personal attributes, and the exact
  birth DATE (not an age band, not only the year), so that age bands on any day come out exact.
- Event dimensions ("ev:admissions" …) count ledger events per month, on the tree of the
  event's date, transfers only when the other end lies outside the unit.
- The member services call `rollup_recorded` (state before → after, and the event, as the plain
  data of `readers`) in their own transaction: each change touches the counters of the few top
  units above the members' cells, as increments (INSERT … ON CONFLICT DO UPDATE n = n + delta)
  in a fixed order so that concurrent writers cannot deadlock. Reorganizations that move a
  subtree under other top units recompute those units (`rollup_refresh_units`). Everything can
  be rebuilt from the rows by `rollup_rebuild` (`manage.py rebuild_rollups`), which reads them
  through the reader the members app registers (`readers.member_reader`); the national generator
  does so after its load.
- Figures versions: each top unit also holds a row (dimension "version") whose value changes,
  in the same transaction, with every change that may move any figure of any unit under it —
  a member's state or event, a unit created or corrected (the tree's `on_unit_changed` hook,
  registered in apps.py), a reorganization, a rebuild. Cached figures are
  keyed by the versions on a unit's path (`selectors.figures_version`), so a change is never
  hidden by the cache. The value moves by a random step (modulo a prime), so that it never
  comes back to a value a cache may still hold, even on a database restored or re-created.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q

from grassroots.core.db import working_memory
from grassroots.organizations.models import Unit, UnitPlacement

from . import past
from .models import PastCount, SubtreeCount
from .readers import LedgerEvent, MemberState, member_reader
from .tops import ROLLUP_KINDS, _ids, _temp_tops

MEMBER_DIMENSIONS = (
    "status",
    "gender",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "theory_level",
    "birth_date",
)
ATTRIBUTES = MEMBER_DIMENSIONS[1:]
# Event kind → counter (the keys of `UnitStats.events_in_period`).
EVENT_KEYS = {
    "admit": "admissions",
    "restore": "readmissions",
    "recognize": "recognitions",
    "transfer_in": "transfers_in",
    "transfer_out": "transfers_out",
    "remove": "removals",
    "death": "deaths",
}
EXPULSION_KEY = "expulsions"
# The ledger kinds the event counters read (a discipline counts only when it is an expulsion).
COUNTED_KINDS = (*EVENT_KEYS, "discipline")
TRANSFER_KINDS = ("transfer_in", "transfer_out")
VERSION = "version"  # dimension of the figures-version row of a top unit (value "")
VERSION_MODULUS = 2_147_483_647  # a prime: any step below it changes the value


def tops_of_paths(paths: dict[object, str]) -> dict[object, set[int]]:
    """For each key, the ids of the counter-holding units on its path (one query)."""
    all_ids = {i for p in paths.values() for i in _ids(p)}
    tops = set(
        Unit.objects.filter(pk__in=all_ids, kind__in=ROLLUP_KINDS).values_list("pk", flat=True)
    )
    return {key: {i for i in _ids(p) if i in tops} for key, p in paths.items()}


def member_keys(state: MemberState | None, tops: dict[object, set[int]]) -> Counter:
    counter: Counter = Counter()
    if state is None or not state.counted:
        return counter
    units = tops.get(state.unit_id, set())
    if state.transit_to_id is not None:
        units = units & tops.get(state.transit_to_id, set())
    values = {
        "status": "in_transit" if state.transit_to_id is not None else state.status,
        "birth_date": state.birth_date.isoformat(),
        **{a: getattr(state, a) for a in ATTRIBUTES if a != "birth_date"},
    }
    for unit_id in units:
        for dimension, value in values.items():
            counter[(unit_id, dimension, value)] += 1
    return counter


def version_steps(unit_ids: Iterable[int]) -> Counter:
    """Counter entries that move the figures version of each of these top units (add them to
    what `rollup_add` writes)."""
    # From the system's source, not the `random` module: code that seeds `random` (tests,
    # generators) must not make two states share a version.
    return Counter(
        {(unit_id, VERSION, ""): 1 + secrets.randbelow(VERSION_MODULUS - 1) for unit_id in unit_ids}
    )


_state = threading.local()


@contextmanager
def rollup_paused() -> Iterator[None]:
    """Replay many changes in ONE transaction (the demo load) without keeping the counters
    change by change, then rebuild them once. PostgreSQL keeps every version of a row updated
    in one open transaction, so thousands of increments of the same hot counters (the root's)
    grow slower and slower; in normal use each change is its own short transaction."""
    from .past import past_paused

    _state.paused = True
    try:
        with past_paused():
            yield
    finally:
        _state.paused = False
    rollup_rebuild()


def rollup_add(counter: Counter) -> None:
    """Add {(unit id, dimension, value): delta} to the counters, in one statement (bulk paths
    aggregate their changes and call this once). Version rows move by their step modulo
    VERSION_MODULUS instead. Nothing while `rollup_paused`: a rebuild follows."""
    if getattr(_state, "paused", False):
        return
    rows = sorted((u, d, v, n) for (u, d, v), n in counter.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(SubtreeCount._meta.db_table)
    moved = (
        f"CASE WHEN {table}.dimension = '{VERSION}' "
        f"THEN (CAST({table}.n AS BIGINT) + excluded.n) %% {VERSION_MODULUS} "
        f"ELSE {table}.n + excluded.n END"
    )
    for i in range(0, len(rows), 500):
        chunk = rows[i : i + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (unit_id, dimension, value, n) VALUES {values} "
                f"ON CONFLICT (unit_id, dimension, value) DO UPDATE SET n = {moved}",
                [x for row in chunk for x in row],
            )


def rollup_touch(unit_ids: Iterable[int]) -> None:
    """Move the figures version of these top units (and nothing else)."""
    rollup_add(version_steps(unit_ids))


def rollup_touch_path(path: str) -> None:
    """Move the figures version of the top units on `path` (a unit saved: its name, its cells
    or its place in the tree may have changed)."""
    rollup_touch(tops_of_paths({path: path})[path] if path else ())


def _event_key(kind: str, discipline_level: str = "") -> str | None:
    if kind == "discipline":
        return EXPULSION_KEY if discipline_level == "expulsion" else None
    return EVENT_KEYS.get(kind)


def rollup_recorded(
    *, before: MemberState | None, after: MemberState | None, event: LedgerEvent | None = None
) -> None:
    """Move the counters for one change of one member, inside the change's transaction: from
    the member's state `before` to the state `after` (None: not a member / no longer counted),
    and count `event` in the top units above its unit on the tree of its date (a transfer only
    where the other end lies outside). Two reads and one write, whatever the change."""
    key = _event_key(event.kind, event.discipline_level) if event is not None else None
    if before == after and key is None:
        return
    member_units = {i for s in (before, after) if s for i in (s.unit_id, s.transit_to_id) if i}
    event_units = set()
    if key is not None:
        event_units = {event.unit_id}
        if event.kind in TRANSFER_KINDS and event.other_unit_id:
            event_units.add(event.other_unit_id)
    current: dict[int, str] = {}
    on_day: dict[int, str] = {}
    day = event.date if key is not None else None
    ever: set[str] = set()  # every place the units ever had: the figures of any period may move
    placements = UnitPlacement.objects.filter(unit_id__in=member_units | event_units)
    for unit_id, path, start, end in placements.values_list(
        "unit_id", "path", "valid_from", "valid_to"
    ):
        ever.add(path)
        if end is None:
            current[unit_id] = path
        if day is not None and start <= day and (end is None or end > day):
            on_day[unit_id] = path
    for unit_id in (member_units | event_units) - set(current):  # closed: its last path
        current[unit_id] = (
            Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first() or ""
        )
    paths = {("now", u): p for u, p in current.items()} | {
        ("day", u): on_day.get(u, current[u]) for u in event_units
    }
    paths |= {("ever", p): p for p in ever}
    tops = tops_of_paths(paths)
    now_tops = {u: tops[("now", u)] for u in member_units}
    delta = member_keys(after, now_tops)
    delta.subtract(member_keys(before, now_tops))
    if key is not None:
        units = tops[("day", event.unit_id)]
        if event.kind in TRANSFER_KINDS and event.other_unit_id:
            units = units - tops[("day", event.other_unit_id)]
        month = event.date.strftime("%Y-%m")
        delta.update({(u, f"ev:{key}", month): 1 for u in units})
    delta.update(version_steps(set().union(*tops.values())))
    rollup_add(delta)


# --- recomputing ----------------------------------------------------------------------------


def _member_columns() -> str:
    """The columns of a counted member `m` the member dimensions read (a member in transit is
    counted as such; dates as text, as the counters hold them)."""
    birth = (
        "to_char(m.birth_date, 'YYYY-MM-DD')"
        if connection.vendor == "postgresql"
        else "m.birth_date"
    )
    return f"""
        CASE WHEN m.transit_to_id IS NOT NULL THEN 'in_transit' ELSE m.status END AS status,
        m.gender, m.ethnicity, m.religion,
        COALESCE(m.general_education, '') AS general_education,
        m.professional_education, m.theory_level, {birth} AS birth_date
    """


def _member_rows_for(unit: Unit) -> list[SubtreeCount]:
    """Member counters of one unit from the raw rows: the members `unit_stats` counts today —
    in the subtree and, for a member in transit, only when the subtree holds both ends."""
    members, params = member_reader().counted_members()
    units = connection.ops.quote_name(Unit._meta.db_table)
    source = f"""
        SELECT {_member_columns()}
        FROM ({members}) m
        JOIN {units} u ON u.id = m.unit_id
        LEFT JOIN {units} t ON t.id = m.transit_to_id
        WHERE u.path LIKE %s AND (m.transit_to_id IS NULL OR t.path LIKE %s)
    """
    prefix = f"{unit.path}%"
    rows: list[SubtreeCount] = []
    with connection.cursor() as cursor:
        for dimension in MEMBER_DIMENSIONS:
            cursor.execute(
                f"SELECT {dimension}, COUNT(*) FROM ({source}) x GROUP BY {dimension}",
                [*params, prefix, prefix],
            )
            for value, n in cursor.fetchall():
                value = value.isoformat() if isinstance(value, dt.date) else (value or "")
                rows.append(SubtreeCount(unit=unit, dimension=dimension, value=value, n=n))
    return rows


def rollup_refresh_units(unit_ids: Iterable[int]) -> int:
    """Recompute the member counters of these units from the raw rows (after a reorganization
    moved a subtree from under them or under them). Event counters are history and stay."""
    units = list(Unit.objects.filter(pk__in=set(unit_ids), kind__in=ROLLUP_KINDS).order_by("pk"))
    written = 0
    with transaction.atomic():
        for unit in units:
            SubtreeCount.objects.filter(unit=unit, dimension__in=MEMBER_DIMENSIONS).delete()
            rows = _member_rows_for(unit)
            SubtreeCount.objects.bulk_create(rows, batch_size=5000)
            written += len(rows)
        rollup_touch(u.pk for u in units)
    return written


def _rebuild_members(cursor) -> None:
    """Member counters of every top unit in one pass over the members (grouping sets on
    PostgreSQL, one pass per dimension elsewhere); the same members as `_member_rows_for`."""
    members, params = member_reader().counted_members()
    counts = connection.ops.quote_name(SubtreeCount._meta.db_table)
    source = f"""
        SELECT t.top_id, {_member_columns()}
        FROM ({members}) m
        JOIN rollup_unit_top t ON t.key_id = m.unit_id
        LEFT JOIN rollup_unit_top t2 ON t2.key_id = m.transit_to_id AND t2.top_id = t.top_id
        WHERE m.transit_to_id IS NULL OR t2.top_id IS NOT NULL
    """
    if connection.vendor == "postgresql":
        which = " ".join(f"WHEN GROUPING({d}) = 0 THEN '{d}'" for d in MEMBER_DIMENSIONS)
        cursor.execute(
            f"""
            INSERT INTO {counts} (unit_id, dimension, value, n)
            SELECT top_id, CASE {which} END, COALESCE({", ".join(MEMBER_DIMENSIONS)}), COUNT(*)
            FROM ({source}) x
            GROUP BY GROUPING SETS ({", ".join(f"(top_id, {d})" for d in MEMBER_DIMENSIONS)})
            """,
            params,
        )
    else:
        for d in MEMBER_DIMENSIONS:
            cursor.execute(
                f"""
                INSERT INTO {counts} (unit_id, dimension, value, n)
                SELECT top_id, '{d}', {d}, COUNT(*) FROM ({source}) x GROUP BY top_id, {d}
                """,
                params,
            )


def placed_on_event_day(placements: str, *, whole_ledger: bool = False) -> str:
    """SQL (a template on the placement's alias `{p}`, over the events' `e.date`): the place
    of an event's unit on the event's day — or, for a unit that a merge recorded later closed
    before that day (the event was recorded while the unit stood), its last place, where the
    counters kept with each event counted it. The rebuild and the ledger's count agree.

    `whole_ledger`: the last places are found once, as a set the join hashes, instead of
    looked up for each event (which turns a join of millions of events into index probes)."""
    if whole_ledger:
        last = (
            f"{{p}}.id IN (SELECT l.id FROM {placements} l WHERE l.valid_to IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {placements} l2 WHERE l2.unit_id = l.unit_id "
            "AND (l2.valid_to IS NULL OR l2.valid_to > l.valid_to)))"
        )
    else:
        last = (
            f"NOT EXISTS (SELECT 1 FROM {placements} {{p}}_later "
            "WHERE {p}_later.unit_id = {p}.unit_id "
            "AND ({p}_later.valid_to IS NULL OR {p}_later.valid_to > {p}.valid_to))"
        )
    return (
        "(({p}.valid_from <= e.date AND ({p}.valid_to IS NULL OR {p}.valid_to > e.date)) "
        f"OR ({{p}}.valid_to <= e.date AND {last}))"
    )


def _rebuild_events(cursor, tops: list[int] | None = None, since: dt.date | None = None) -> None:
    """Event counters per month of every top unit (or of `tops`, from the month of `since`), on
    the tree of each event's day, in one statement over the ledger (with the placement → top
    table `rollup_placement_top`)."""
    events, params = member_reader().ledger_events()
    only = ""
    if tops is not None:
        only += f" AND pt.top_id IN ({', '.join(str(int(t)) for t in tops)})"
    if since is not None:
        only += " AND e.date >= %s"
        params = [*params, since]
    q = connection.ops.quote_name
    placements = q(UnitPlacement._meta.db_table)
    counts = q(SubtreeCount._meta.db_table)
    month = (
        "to_char(e.date, 'YYYY-MM')"
        if connection.vendor == "postgresql"
        else "substr(e.date, 1, 7)"
    )
    cases = " ".join(f"WHEN '{kind}' THEN 'ev:{key}'" for kind, key in EVENT_KEYS.items())
    kinds = ", ".join(f"'{k}'" for k in COUNTED_KINDS)
    on_day = placed_on_event_day(placements, whole_ledger=True)
    cursor.execute(
        f"""
        INSERT INTO {counts} (unit_id, dimension, value, n)
        SELECT pt.top_id,
               CASE e.kind {cases} ELSE 'ev:{EXPULSION_KEY}' END,
               {month}, COUNT(*)
        FROM ({events}) e
        JOIN {placements} p ON p.unit_id = e.unit_id AND {on_day.format(p="p")}
        JOIN rollup_placement_top pt ON pt.key_id = p.id
        LEFT JOIN {placements} p2 ON p2.unit_id = e.other_unit_id AND {on_day.format(p="p2")}
            AND e.kind IN ('transfer_in', 'transfer_out')
        LEFT JOIN rollup_placement_top pt2 ON pt2.key_id = p2.id AND pt2.top_id = pt.top_id
        WHERE e.kind IN ({kinds})
          AND (e.kind <> 'discipline' OR e.discipline_level = 'expulsion')
          AND pt2.top_id IS NULL{only}
        GROUP BY pt.top_id, 2, 3
        """,
        params,
    )


# Counters of higher apps rebuilt with these (a hook: this app never imports them).
_REBUILDS: dict[str, Callable[..., int]] = {}


_MOVED: dict[str, Callable[[list[tuple[int, str, str]]], None]] = {}


def register_subtrees_moved(name: str, moved: Callable[[list[tuple[int, str, str]]], None]) -> None:
    """Have `moved([(unit id, path before, path after), …])` run after each reorganization
    that moves subtrees, in its transaction (the counters of higher apps kept per subtree)."""
    _MOVED[name] = moved


def register_rebuild(name: str, rebuild: Callable[..., int]) -> None:
    """Have `rebuild(progress=…)` (returning the rows it wrote) run with every rebuild of the
    roll-ups, after them: `manage.py rebuild_rollups` and the national generator."""
    _REBUILDS[name] = rebuild


def rollup_rebuild(*, progress: Callable[[str], None] | None = None) -> int:
    """Rebuild every counter from the raw rows, in one transaction, then the counters of the
    apps registered with `register_rebuild`. Returns the rows written."""
    say = progress or (lambda message: None)
    rows = _rollup_rebuild(say)
    for rebuild in _REBUILDS.values():
        rows += rebuild(progress=say)
    return rows


def _rollup_rebuild(say: Callable[[str], None]) -> int:
    # Grouping millions of members and events by top unit: in memory, not in sorts on disk.
    with transaction.atomic(), working_memory(256), connection.cursor() as cursor:
        SubtreeCount.objects.all().delete()
        _temp_tops(cursor, "rollup_unit_top", Unit.objects.all())
        say("  roll-ups: members")
        _rebuild_members(cursor)
        _temp_tops(cursor, "rollup_placement_top", UnitPlacement.objects.all())
        say("  roll-ups: events per month")
        _rebuild_events(cursor)
        say("  roll-ups: past days (changes per month and year)")
        past.rebuild(cursor)
        cursor.execute("DROP TABLE rollup_unit_top")
        cursor.execute("DROP TABLE rollup_placement_top")
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(SubtreeCount._meta.db_table)} WHERE n = 0"
        )
        rollup_touch(Unit.objects.filter(kind__in=ROLLUP_KINDS).values_list("pk", flat=True))
        return SubtreeCount.objects.exclude(dimension=VERSION).count() + PastCount.objects.count()


# --- reorganizations --------------------------------------------------------------------------


def _moved_unit_ids(plan) -> list[int]:
    ids = [child.pk for child, _target in plan.moves]
    if getattr(plan, "unit", None) is not None and plan.kind == "move":
        ids.append(plan.unit.pk)
    return ids


@dataclass
class BeforeReorganization:
    """What the counters need to know of the tree before a reorganization is applied."""

    tops: dict[int, set[int]]
    where: str
    params: list
    past: Counter
    paths: dict[int, str] = field(default_factory=dict)


def _plan_prefixes(plan) -> list[str]:
    units = [*plan.closes, *(child for child, _target in plan.moves)]
    units += [u for u in (getattr(plan, "unit", None), getattr(plan, "successor", None)) if u]
    return sorted(
        set(Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("path", flat=True))
    )


def rollup_tops_before(plan) -> BeforeReorganization:
    """Call before applying a reorganization plan: the counter-holding units above each
    subtree it moves, and the past-day counters' share of every interval of the units it
    touches (ever placed under the units it closes, moves, splits or merges into)."""
    ids = _moved_unit_ids(plan)
    paths = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "path"))
    where, params = past.units_selection(_plan_prefixes(plan))
    return BeforeReorganization(
        tops_of_paths(paths), where, params, past.contribution(where, params), paths
    )


def _recount_events(tops: set[int], since: dt.date) -> None:
    """The event counters of these top units from the month of `since` on, again from the
    ledger: a reorganization dated `since` moved subtrees from under them or under them, and
    the events of those days recorded before it were counted on the tree as it was then."""
    first = since.replace(day=1)
    with connection.cursor() as cursor:
        SubtreeCount.objects.filter(
            unit_id__in=tops, dimension__startswith="ev:", value__gte=first.strftime("%Y-%m")
        ).delete()
        # The places under those tops (both ends of a transfer inside one of them too).
        under = Q()
        for top in tops:
            under |= Q(path__contains=f"/{int(top)}/")
        _temp_tops(cursor, "rollup_placement_top", UnitPlacement.objects.filter(under))
        _rebuild_events(cursor, sorted(tops), first)
        cursor.execute("DROP TABLE rollup_placement_top")


def rollup_after_reorganization(
    before: BeforeReorganization,
    created_unit_ids: Iterable[int] = (),
    effective_date: dt.date | None = None,
) -> None:
    """Call after applying (the member-by-member upkeep of the past-day counters paused while
    it ran, `past.past_paused`): recompute the top units that gained or lost a moved subtree —
    their member counters, and their event counters from the month of `effective_date` on (a
    reorganization dated in the past moves the events recorded since on the tree of their day)
    —, move the past-day counters by the touched intervals' share now against before (the units
    the reorganization created hold only new intervals), and move the figures version of every
    top unit: a reorganization redraws the tree, which every unit's figures of some period may
    follow (reorganizations are rare)."""
    if before.tops:
        after = tops_of_paths(
            dict(Unit.objects.filter(pk__in=list(before.tops)).values_list("pk", "path"))
        )
        changed: set[int] = set()
        for unit_id, tops in before.tops.items():
            changed |= tops ^ after.get(unit_id, set())
        if changed:
            rollup_refresh_units(changed)
            if effective_date is not None:
                _recount_events(changed, effective_date)
    created = sorted(set(created_unit_ids))
    where, params = before.where, before.params
    if created:
        where = f"({where}) OR i.unit_id IN ({', '.join(['%s'] * len(created))})"
        params = [*params, *created]
    delta = past.contribution(where, params)
    delta.subtract(before.past)
    past.past_add(delta)
    if before.paths and _MOVED:
        now = dict(Unit.objects.filter(pk__in=list(before.paths)).values_list("pk", "path"))
        moves = [(pk, path, now[pk]) for pk, path in before.paths.items() if now[pk] != path]
        for moved in _MOVED.values():
            moved(moves)
    rollup_touch(Unit.objects.filter(kind__in=ROLLUP_KINDS).values_list("pk", flat=True))
