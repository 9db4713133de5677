"""Reading the subtree counters: today's member figures of a top unit, and its events over a
period (whole months from the counters — the current month too, up to today —, the days of a
partial month at either end from the ledger).

A past day's member figures come from the past-day counters (`past_member_counts`, see
`past`); its events from the same monthly event counters.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from grassroots.core.dates import add_months
from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement

from . import past
from .models import SubtreeCount
from .readers import member_reader
from .services import (
    EVENT_KEYS,
    EXPULSION_KEY,
    MEMBER_DIMENSIONS,
    ROLLUP_KINDS,
    TRANSFER_KINDS,
    VERSION,
    placed_on_event_day,
)


def covers(unit: Unit) -> bool:
    """Whether `unit` holds counters (an open unit at the top of the tree)."""
    return unit.valid_to is None and unit.kind in ROLLUP_KINDS


def figures_version(unit: Unit) -> str:
    """A key that changes whenever any figure of `unit` may have changed: the figures versions
    of the top units on its path (see services). Empty when none of them has one yet — then
    there is nothing to key a cache on."""
    ids = unit.ancestor_ids()
    if not ids:
        return ""
    # Asked at every visit of a unit page: a plain statement, not worth the ORM's compiling.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, n FROM {connection.ops.quote_name(SubtreeCount._meta.db_table)} "
            f"WHERE dimension = %s AND value = '' "
            f"AND unit_id IN ({', '.join(['%s'] * len(ids))}) ORDER BY unit_id",
            [VERSION, *ids],
        )
        return ",".join(f"{unit_id}:{n}" for unit_id, n in cursor.fetchall())


def past_member_counts(tops: list[Unit], day: dt.date) -> dict[str, Counter]:
    """{dimension: Counter(value → n)} of the members in these top units' subtrees on a past
    day (the tree of that day), summed; the age dimension is "age" (band keys)."""
    return past.past_counts(tops, day)


def member_counts(unit: Unit) -> dict[str, dict[str, int]]:
    """{dimension: {value: n}} of today's active members of the subtree (no birth dates)."""
    # The dimensions named, not "all but the birth dates and events": the index on (unit,
    # dimension, value) then reads only their few rows, not a province's ~25,000 birth dates.
    dimensions = [d for d in MEMBER_DIMENSIONS if d != "birth_date"]
    rows = SubtreeCount.objects.filter(unit=unit, dimension__in=dimensions).values_list(
        "dimension", "value", "n"
    )
    result: dict[str, dict[str, int]] = {}
    for dimension, value, n in rows:
        if n:
            result.setdefault(dimension, {})[value] = n
    return result


def age_band_counts(
    unit: Unit, day: dt.date, bands: Iterable[tuple[str, object, int | None, int | None]]
) -> dict[str, int]:
    """Members by age band on `day`, summed over the birth-date counters (exact to the day).
    `bands`: (key, label, lowest age, highest age) — the members app's age bands."""
    sums = {}
    for key, _label, low, high in bands:
        q = Q()
        if low is not None:
            q &= Q(value__lte=add_months(day, -12 * low).isoformat())
        if high is not None:
            q &= Q(value__gt=add_months(day, -12 * (high + 1)).isoformat())
        sums[key] = Sum("n", filter=q, default=0)
    return dict(SubtreeCount.objects.filter(unit=unit, dimension="birth_date").aggregate(**sums))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _crossing_reorganization_since(unit: Unit, start: dt.date, end: dt.date) -> bool:
    """Whether a merge, split or move effective after `start` (up to `end`) brought units into
    or out of the subtree: then the period's counts follow the tree of its two ends, not of each
    event's day, and only the ledger can give them exactly."""
    # A merge or split crosses the border when one of its links does (its links join all its
    # units): one end inside the subtree, the other outside. The subtree's ids are hashed once
    # per side; joining both ends to the unit table read all of it.
    inside = Unit.objects.filter(path__startswith=unit.path).values("pk")
    crossing = (
        Lineage.objects.filter(
            reorganization__effective_date__gt=start,
            reorganization__effective_date__lte=end,
            reorganization__kind__in=["merge", "split"],
        )
        .alias(
            from_inside=ExpressionWrapper(
                Q(predecessor_id__in=inside), output_field=BooleanField()
            ),
            to_inside=ExpressionWrapper(Q(successor_id__in=inside), output_field=BooleanField()),
        )
        .exclude(from_inside=F("to_inside"))
    )
    if crossing.exists():
        return True
    moves = Reorganization.objects.filter(
        effective_date__gt=start, effective_date__lte=end, kind="move"
    ).values_list("unit__path", "details")
    for path, details in moves:
        parents = (
            [details.get("old_parent_id"), details.get("new_parent_id")]
            if isinstance(details, dict)
            else []
        )
        paths = [
            path or "",
            *Unit.objects.filter(pk__in=[p for p in parents if p]).values_list("path", flat=True),
        ]
        if len({p.startswith(unit.path) for p in paths}) > 1:
            return True
    return False


ALL_EVENT_KEYS = (*EVENT_KEYS.values(), EXPULSION_KEY)


def sole_root(unit: Unit) -> bool:
    """The unit is the root of the only tree there is: every unit, of any day, is under it."""
    return unit.parent_id is None and not (
        Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).exists()
    )


def _ledger_counts(unit: Unit, start: dt.date, end: dt.date, keys=ALL_EVENT_KEYS) -> Counter:
    """Events of the subtree between two days, each on the tree of its day as the monthly
    counters count it (a move recorded later, dated after the event, leaves it where it was),
    as `unit_stats` counts them (only the counts named by `keys`), read from the members'
    ledger."""
    events, params = member_reader().ledger_events()
    placements = connection.ops.quote_name(UnitPlacement._meta.db_table)
    # A place of that day under the unit holds the unit's id in its path, wherever the unit
    # itself stood then; its path starts with one the unit had (that, the index answers).
    inside = f"%/{int(unit.pk)}/%"
    everything = sole_root(unit)
    prefixes = []
    if not everything:
        paths = UnitPlacement.objects.filter(unit=unit).values_list("path", flat=True)
        prefixes = sorted({f"{p}%" for p in paths}) or [f"{unit.path}%"]
    under = f"({' OR '.join(['u.path LIKE %s'] * len(prefixes))}) AND u.path LIKE %s"
    on_day = placed_on_event_day(placements)
    # The sole root holds every unit: no event's unit needs its path read, and a transfer
    # moves its figures only from or to outside the organization (no other unit). The whole
    # country's events of a few days are then counted without probing a unit for each.
    conditions = {key: ("e.kind = %s", [kind]) for kind, key in EVENT_KEYS.items()}
    for kind in TRANSFER_KINDS:
        # Only a transfer whose other end lies outside the subtree moves its figures.
        conditions[EVENT_KEYS[kind]] = (
            ("e.kind = %s AND e.other_unit_id IS NULL", [kind])
            if everything
            else ("e.kind = %s AND o.unit_id IS NULL", [kind])
        )
    conditions[EXPULSION_KEY] = ("e.kind = 'discipline' AND e.discipline_level = 'expulsion'", [])
    keys = list(keys)
    kinds = [kind for kind, key in EVENT_KEYS.items() if key in keys]
    if EXPULSION_KEY in keys:
        kinds.append("discipline")
    other = not everything and any(EVENT_KEYS[kind] in keys for kind in TRANSFER_KINDS)
    # The kinds counted, named: PostgreSQL then reads the few events of those kinds and days by
    # their (kind, date, unit) index instead of probing every unit of the subtree for its events
    # (for admissions alone, from the index only: the unit is counted, never the event's id).
    counted = ", ".join(f"COUNT(CASE WHEN {conditions[key][0]} THEN e.unit_id END)" for key in keys)
    sql = f"""
        SELECT {counted}
        FROM ({events}) e
        {
        ""
        if everything
        else f"JOIN {placements} u ON u.unit_id = e.unit_id AND {on_day.format(p='u')}"
    }
        {
        f"LEFT JOIN {placements} o ON o.unit_id = e.other_unit_id AND "
        f"{on_day.format(p='o')} AND o.path LIKE %s"
        if other
        else ""
    }
        WHERE e.kind IN ({", ".join(["%s"] * len(kinds))})
          AND e.date >= %s AND e.date <= %s {"" if everything else f"AND {under}"}
    """
    arguments = [
        *(x for key in keys for x in conditions[key][1]),
        *params,
        *([inside] if other else []),
        *kinds,
        start,
        end,
        *([] if everything else [*prefixes, inside]),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        row = cursor.fetchone()
    return Counter(dict(zip(keys, row, strict=True)))


def event_counts(
    unit: Unit, start: dt.date, end: dt.date, keys=ALL_EVENT_KEYS
) -> dict[str, int] | None:
    """Events of the subtree in [start, end] from the monthly counters plus the ledger for the
    days of partial months (only the counts named by `keys`); None when the counters cannot
    answer exactly (the unit is not a top unit, did not exist for the whole period, or the
    subtree's borders moved within it). A past period too: the counters count each event on
    the tree of its day, which a later reorganization leaves as it was."""
    if (
        unit.kind not in ROLLUP_KINDS
        or unit.valid_from > start
        or (unit.valid_to is not None and unit.valid_to <= end)
        or _crossing_reorganization_since(unit, start, end)
    ):
        return None
    first = start if start.day == 1 else add_months(_month_start(start), 1)
    if end >= timezone.localdate():
        # No event is dated after today (every service and the import refuse a future date):
        # up to today, the current month's counter holds every event of that month so far.
        last = _month_end(end)
    else:
        last = end if end == _month_end(end) else _month_start(end) - dt.timedelta(days=1)
    totals: Counter = Counter()
    if first > last:
        totals.update(_ledger_counts(unit, start, end, keys))
    else:
        rows = (
            SubtreeCount.objects.filter(
                unit=unit,
                dimension__startswith="ev:",
                value__gte=first.strftime("%Y-%m"),
                value__lte=last.strftime("%Y-%m"),
            )
            .values_list("dimension")
            .annotate(total=Sum("n"))
        )
        totals.update({dimension[3:]: total for dimension, total in rows})
        if start < first:
            totals.update(_ledger_counts(unit, start, first - dt.timedelta(days=1), keys))
        if last < end:
            totals.update(_ledger_counts(unit, last + dt.timedelta(days=1), end, keys))
    return {key: totals.get(key, 0) for key in keys}
