"""Reads over the member ledger: unit statistics (today and as of any date), a member's
timeline, party age and flags, overdue lists and the admission pipeline's counts.

Statistics are aggregate queries (COUNT … GROUP BY): their number does not grow with the
number of members or units.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, F, IntegerField, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.dates import add_months, add_working_days
from grassroots.core.db import byte_order, working_memory
from grassroots.core.querysets import Action, in_subtree
from grassroots.core.rules import rule
from grassroots.core.text import fold
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit, UnitPlacement
from grassroots.organizations.selectors import (
    ExtentPart,
    ExtentReader,
    constituents_on,
    existed_on,
    present_extent_on,
    subtree_paths_on,
)
from grassroots.rollups import selectors as rollup_selectors

from .choices import (
    ACTIVE_STATUSES,
    AGE_BANDS,
    ETHNICITY_CHOICES,
    CandidateStage,
    DisciplineLevel,
    EventKind,
    Gender,
    GeneralEducation,
    IntervalStatus,
    MemberStatus,
    ProfessionalEducation,
    Religion,
    TheoryLevel,
)
from .models import Candidate, Member, MemberEvent, Membership

# --- unit statistics ---------------------------------------------------------------------

# The two questions the figures of a past day answer (DOMAIN.md, Units): the unit as the tree
# stood that day, or its present extent on that day (everything later merged into it, a split
# part's share of what it came from). A unit that did not exist that day has only the second.
EXTENT_TREE = "tree"
EXTENT_PRESENT = "present"
EXTENTS = (EXTENT_TREE, EXTENT_PRESENT)

EVENT_COUNT_KEYS = (
    "admissions",
    "readmissions",
    "recognitions",
    "transfers_in",
    "transfers_out",
    "removals",
    "expulsions",
    "deaths",
)


@dataclass
class UnitStats:
    """Figures of a unit (its subtree by default) on a day, and its events over a period.

    `members_total` = probationary + official present in the subtree + members in transit
    between two cells of the subtree (they belong to neither cell's count, but to the total of
    every organization holding both ends). Breakdowns are over the same members; ages are
    computed on `as_of`.
    """

    unit_id: int
    unit_code: str
    unit_name: str
    as_of: dt.date
    subtree: bool
    period_start: dt.date
    period_end: dt.date
    extent: str = EXTENT_TREE  # which question the figures answer (EXTENTS)
    members_total: int = 0
    members_official: int = 0
    members_probationary: int = 0
    members_in_transit: int = 0
    cells: int = 0
    by_gender: dict[str, int] = field(default_factory=dict)
    by_age_band: dict[str, int] = field(default_factory=dict)
    by_ethnicity: dict[str, int] = field(default_factory=dict)
    by_religion: dict[str, int] = field(default_factory=dict)
    by_general_education: dict[str, int] = field(default_factory=dict)
    by_professional_education: dict[str, int] = field(default_factory=dict)
    by_theory_level: dict[str, int] = field(default_factory=dict)
    events_in_period: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """JSON-ready: dates as ISO strings."""
        data = asdict(self)
        for key in ("as_of", "period_start", "period_end"):
            data[key] = data[key].isoformat()
        return data


_BREAKDOWNS: dict[str, tuple[str, list[str] | None]] = {
    # attribute → (Member field, every code to show even at zero; None: only those present)
    "by_gender": ("gender", list(Gender.values)),
    "by_ethnicity": ("ethnicity", None),
    "by_religion": ("religion", list(Religion.values)),
    "by_general_education": ("general_education", [*GeneralEducation.values, "unknown"]),
    "by_professional_education": ("professional_education", list(ProfessionalEducation.values)),
    "by_theory_level": ("theory_level", list(TheoryLevel.values)),
}


def age_band_q(band: str, on: dt.date, prefix: str = "") -> Q:
    """Members whose age on `on` falls in `band`, as a range over birth dates (index-friendly)."""
    for key, _label, low, high in AGE_BANDS:
        if key != band:
            continue
        q = Q()
        if low is not None:
            # Aged at least `low`: born on or before the same day `low` years earlier.
            q &= Q(**{f"{prefix}birth_date__lte": add_months(on, -12 * low)})
        if high is not None:
            # Aged at most `high`: born after the same day `high + 1` years earlier.
            q &= Q(**{f"{prefix}birth_date__gt": add_months(on, -12 * (high + 1))})
        return q
    raise ValueError(band)


def _format_breakdowns(found: dict[str, dict[str, int]], stats: UnitStats) -> None:
    """Set each breakdown from {attribute: {code: n}}: every listed code (zero included), then
    the others; attributes without a list are sorted by count."""
    for attribute, (_field_name, codes) in _BREAKDOWNS.items():
        present = {(code or "unknown"): n for code, n in found.get(attribute, {}).items() if n}
        if codes is None:
            counts = dict(sorted(present.items(), key=lambda item: (-item[1], item[0])))
        else:
            counts = {code: present.get(code, 0) for code in codes}
            counts.update({k: v for k, v in present.items() if k not in counts})
        setattr(stats, attribute, counts)


STATUS_KEY = "status"  # the grouping of `_member_figures` that counts by status (transit apart)


def _member_figures(
    members: QuerySet, day: dt.date, *, with_status: bool, member_prefix: str = ""
) -> dict[str, Counter]:
    """Every count of `members` in one query: by each attribute, by age band on `day`, and —
    with `with_status` — by status (members in transit apart: "in_transit").

    One pass over the members, grouped once per figure (GROUPING SETS on PostgreSQL, a
    UNION ALL over a common table expression elsewhere), instead of one scan per figure: a
    commune's statistics read its few thousand member rows once.

    `members` may also be membership intervals (`member_prefix="member__"`): the status is then
    the interval's (in transit included) and the personal attributes its member's.
    """
    from django.db import connection

    fields = [field_name for field_name, _codes in _BREAKDOWNS.values()]
    sources = {c: F(f"{member_prefix}{c}") for c in ["birth_date", *fields]}
    sources["status"] = F("status")
    # An interval's status says "in_transit" itself; a member row says it by its destination.
    sources["transit_to_id"] = (
        Value(None, output_field=IntegerField()) if member_prefix else F("transit_to_id")
    )
    # Named columns (x_status, x_gender …) so that the outer query can refer to them.
    sql, params = (
        members.order_by()
        .values(**{f"x_{c}": e for c, e in sources.items()})
        .query.sql_with_params()
    )
    band_cases, band_params = [], []
    for key, _label, low, high in AGE_BANDS:
        conditions = []
        if (
            low is not None
        ):  # aged at least `low`: born on or before the same day `low` years earlier
            conditions.append("m.x_birth_date <= %s")
            band_params.append(connection.ops.adapt_datefield_value(add_months(day, -12 * low)))
        if (
            high is not None
        ):  # aged at most `high`: born after the same day `high + 1` years earlier
            conditions.append("m.x_birth_date > %s")
            band_params.append(
                connection.ops.adapt_datefield_value(add_months(day, -12 * (high + 1)))
            )
        band_cases.append(f"WHEN {' AND '.join(conditions)} THEN '{key}'")
    figures = {
        **(
            {
                STATUS_KEY: "CASE WHEN m.x_transit_to_id IS NOT NULL THEN 'in_transit' "
                "ELSE m.x_status END"
            }
            if with_status
            else {}
        ),
        "age_band": f"CASE {' '.join(band_cases)} END",
        **{
            attribute: f"m.x_{field_name}"
            for attribute, (field_name, _codes) in _BREAKDOWNS.items()
        },
    }
    names = list(figures)
    if connection.vendor == "postgresql":
        which = " ".join(f"WHEN GROUPING(f_{name}) = 0 THEN '{name}'" for name in names)
        select = ", ".join(f"{expr} AS f_{name}" for name, expr in figures.items())
        query = (
            f"SELECT CASE {which} END, COALESCE({', '.join(f'f_{n}' for n in names)}), COUNT(*) "
            f"FROM (SELECT {select} FROM ({sql}) m) g "
            f"GROUP BY GROUPING SETS ({', '.join(f'(f_{n})' for n in names)})"
        )
        query_params = [*band_params, *params]  # the bands are written before the members' query
    else:
        parts = [
            f"SELECT '{name}', {expr}, COUNT(*) FROM fm m GROUP BY 2"
            for name, expr in figures.items()
        ]
        query = f"WITH fm AS ({sql}) " + " UNION ALL ".join(parts)
        query_params = [*params, *band_params]  # the band's dates sit in their own part only
    found: dict[str, Counter] = {name: Counter() for name in names}
    with connection.cursor() as cursor:
        cursor.execute(query, query_params)
        for name, value, n in cursor.fetchall():
            found[name][value] += n
    return found


def _breakdowns(
    members: QuerySet,
    day: dt.date,
    stats: UnitStats,
    *,
    with_status: bool = False,
    member_prefix: str = "",
) -> Counter:
    """Set the breakdowns and age bands of `stats` from `members` (one query); returns the
    counts by status when asked."""
    found = _member_figures(members, day, with_status=with_status, member_prefix=member_prefix)
    by_attribute: dict[str, Counter] = {attribute: Counter() for attribute in _BREAKDOWNS}
    for attribute in _BREAKDOWNS:
        for value, n in found[attribute].items():
            by_attribute[attribute][value or "unknown"] += n  # empty and missing alike
    _format_breakdowns(by_attribute, stats)
    stats.by_age_band = {key: found["age_band"].get(key, 0) for key, *_rest in AGE_BANDS}
    return found.get(STATUS_KEY, Counter())


def _stats_from_rollups(unit: Unit, day: dt.date, stats: UnitStats) -> None:
    """Today's figures of a top unit from its subtree counters (grassroots.rollups): the same
    numbers as the raw count, read from a few hundred rows instead of millions."""
    counts = rollup_selectors.member_counts(unit)
    status = counts.get("status", {})
    stats.members_official = status.get(IntervalStatus.OFFICIAL, 0)
    stats.members_probationary = status.get(IntervalStatus.PROBATIONARY, 0)
    stats.members_in_transit = status.get(IntervalStatus.IN_TRANSIT, 0)
    stats.members_total = (
        stats.members_official + stats.members_probationary + stats.members_in_transit
    )
    _format_breakdowns(
        {
            attribute: counts.get(field_name, {})
            for attribute, (field_name, _codes) in _BREAKDOWNS.items()
        },
        stats,
    )
    stats.by_age_band = rollup_selectors.age_band_counts(unit, day, AGE_BANDS)


def _placements_q(paths: list[str], subtree: bool) -> Q:
    if not paths:
        return Q(pk__in=[])
    if not subtree:
        return Q(path__in=paths)
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return q


def _paths_on_both_ends(unit: Unit, start: dt.date, end: dt.date) -> set[str]:
    """`subtree_paths_on` of both ends of a period; for a unit that existed on both days (the
    common case), its placements are read once for the two."""
    if existed_on(unit, start) and existed_on(unit, end):
        placements = list(
            UnitPlacement.objects.filter(unit=unit)
            .order_by("valid_from", "pk")
            .values_list("valid_from", "valid_to", "path")
        )
        paths = set()
        for day in (start, end):
            path = next(
                (
                    p
                    for since, until, p in placements
                    if since <= day and (until is None or until > day)
                ),
                None,
            )
            if path is not None:
                paths.add(path)
        return paths
    return set(subtree_paths_on(unit, start)) | set(subtree_paths_on(unit, end))


def _event_counts(unit: Unit, start: dt.date, end: dt.date, subtree: bool) -> dict[str, int]:
    """The ledger events of the units that made up `unit` at some time in [start, end], by kind.

    Those units: the tree of both ends (through the lineage for a unit that did not exist yet),
    so a merge inside the period keeps the events of the predecessors. One statement, grouped
    by kind and by whether the other end of a transfer lay inside (a transfer between two cells
    of the same organization is neither in nor out for it); written in SQL, as the figures of
    every unit page ask for it. Joins, not `IN (SELECT …)`: under the root the units are
    hundreds of thousands, and PostgreSQL would test the "other end" against them row by row."""
    from django.db import connection

    q = connection.ops.quote_name
    paths = sorted(_paths_on_both_ends(unit, start, end) | {unit.path})
    if subtree:
        # Paths hold digits and slashes only: nothing to escape in the pattern.
        match = " OR ".join(["p.path LIKE %s"] * len(paths))
        match_params = [f"{p}%" for p in paths]
    else:
        match = f"p.path IN ({', '.join(['%s'] * len(paths))})"
        match_params = paths
    last = match.replace("p.path", "lp.path")
    day = connection.ops.adapt_datefield_value
    kinds = [
        EventKind.ADMIT,
        EventKind.RESTORE,
        EventKind.RECOGNIZE,
        EventKind.TRANSFER_IN,
        EventKind.TRANSFER_OUT,
        EventKind.REMOVE,
        EventKind.DISCIPLINE,
        EventKind.DEATH,
    ]
    sql = f"""
        WITH units AS (
            SELECT DISTINCT p.unit_id FROM {q(UnitPlacement._meta.db_table)} p
            WHERE ({match}) AND p.valid_from <= %s AND (
                p.valid_to IS NULL OR p.valid_to > %s
                -- A unit closed before the period by a reorganization recorded after some of
                -- its events (a back-dated merge): those events count where it last stood, as
                -- the counters and the ledger's count reckon them.
                OR NOT EXISTS (
                    SELECT 1 FROM {q(UnitPlacement._meta.db_table)} np
                    WHERE np.unit_id = p.unit_id
                      AND (np.valid_to IS NULL OR np.valid_to > p.valid_to)
                )
            )
        )
        SELECT e.kind, e.discipline_level,
            CASE WHEN o.unit_id IS NOT NULL THEN 1
                 WHEN e.other_unit_id IS NULL THEN 0
                 -- The other end closed before the event's day by a reorganization recorded
                 -- later (a back-dated merge): inside when its last place was, as the counters
                 -- reckon it.
                 WHEN EXISTS (
                    SELECT 1 FROM {q(UnitPlacement._meta.db_table)} lp
                    WHERE lp.unit_id = e.other_unit_id AND ({last})
                      AND lp.valid_to IS NOT NULL AND lp.valid_to <= e.date
                      AND NOT EXISTS (
                        SELECT 1 FROM {q(UnitPlacement._meta.db_table)} np
                        WHERE np.unit_id = e.other_unit_id
                          AND (np.valid_to IS NULL OR np.valid_to > lp.valid_to)
                      )
                 ) THEN 1 ELSE 0 END,
            COUNT(*)
        FROM {q(MemberEvent._meta.db_table)} e
        JOIN units u ON u.unit_id = e.unit_id
        LEFT JOIN units o ON o.unit_id = e.other_unit_id
        WHERE e.date >= %s AND e.date <= %s AND e.kind IN ({", ".join(["%s"] * len(kinds))})
        GROUP BY 1, 2, 3
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [*match_params, day(end), day(start), *match_params, day(start), day(end), *kinds],
        )
        return _event_totals(cursor.fetchall())


def _event_totals(rows) -> dict[str, int]:
    """EVENT_COUNT_KEYS from rows of (kind, discipline level, other end inside, count)."""
    counted = dict.fromkeys(EVENT_COUNT_KEYS, 0)
    plain = {
        EventKind.ADMIT: "admissions",
        EventKind.RESTORE: "readmissions",
        EventKind.RECOGNIZE: "recognitions",
        EventKind.REMOVE: "removals",
        EventKind.DEATH: "deaths",
    }
    for kind, level, inside, n in rows:
        if kind in plain:
            counted[plain[kind]] += n
        elif kind == EventKind.TRANSFER_IN and not inside:
            counted["transfers_in"] += n
        elif kind == EventKind.TRANSFER_OUT and not inside:
            counted["transfers_out"] += n
        elif kind == EventKind.DISCIPLINE and level == DisciplineLevel.EXPULSION:
            counted["expulsions"] += n
    return counted


def unit_stats(
    *,
    unit: Unit,
    as_of: dt.date | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    subtree: bool = True,
    use_rollups: bool = True,
    extent: str | None = None,
) -> UnitStats:
    """Members of `unit` (its whole subtree unless `subtree=False`) by status and by personal
    attributes, its cells, and its ledger events over a period.

    Today: the current member rows under the unit's path. As of a past date: the membership
    intervals of that date joined to the tree of that date (through the lineage for a unit that
    did not exist yet: Đồng Thái in 2023 = Yên Đồng + Yên Thành + Yên Thái). The period defaults
    to the calendar year up to the day asked about.

    `extent` says which question a past day's figures answer: `EXTENT_TREE` (the default for a
    day the unit existed), the unit as the tree stood that day; `EXTENT_PRESENT`, its present
    extent on that day (`present_extent_on`: what later merged into it, a split part's share),
    the only answer for a day the unit did not exist. `UnitStats.extent` says which was given.

    Today's figures of a unit at the top of the tree (root, province, bloc) come from its
    subtree counters and its events from the monthly counters (`grassroots.rollups`), which
    give exactly the raw count; `use_rollups=False` counts the raw rows (benchmarks, tests).
    """
    today = timezone.localdate()
    day = as_of or today
    if day > today:
        raise ValidationError({"as_of": _("Figures of a future date are not known.")})
    period_end = period_end or day
    period_start = period_start or dt.date(period_end.year, 1, 1)
    if period_start > period_end:
        raise ValidationError({"period_start": _("The period starts after it ends.")})
    if extent not in (None, *EXTENTS):
        raise ValidationError(
            {"extent": _("Choose the unit as the tree stood or its present extent.")}
        )
    if not existed_on(unit, day):
        extent = EXTENT_PRESENT
    stats = UnitStats(
        unit_id=unit.pk,
        unit_code=unit.code,
        unit_name=unit.name,
        as_of=day,
        subtree=subtree,
        period_start=period_start,
        period_end=period_end,
        extent=extent or EXTENT_TREE,
    )
    pieces = None
    reader = ExtentReader()  # the period's start walks the same lineage
    if stats.extent == EXTENT_PRESENT and day != today:
        pieces = present_extent_on(unit, day, subtree=subtree, reader=reader)
        if pieces == _own_piece(unit, day, subtree, pieces):
            pieces = None
    if use_rollups and subtree and day < today:
        tops = _past_tops(unit, day, pieces)
        if tops:
            return _stats_from_past_counters(unit, tops, pieces, day, stats, reader)
    if pieces is not None:
        # A commune's extent is a few thousand rows: one process (as for its own rows below).
        with working_memory(parallel=unit.kind in rollup_selectors.ROLLUP_KINDS):
            return _stats_of_extent(
                unit, pieces, day, subtree, period_start, period_end, stats, reader
            )

    if use_rollups and subtree and day == today and rollup_selectors.covers(unit):
        _stats_from_rollups(unit, day, stats)
        stats.cells = (
            Unit.objects.filter(
                path__startswith=unit.path, kind__in=CELL_KINDS, valid_from__lte=day
            )
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .count()
        )
        events = rollup_selectors.event_counts(unit, period_start, period_end)
        stats.events_in_period = (
            events if events is not None else _event_counts(unit, period_start, period_end, subtree)
        )
        return stats

    # A commune's or a cell's rows are few: read in one process (a province's or the root's,
    # when the counters cannot answer, in parallel).
    with working_memory(parallel=unit.kind in rollup_selectors.ROLLUP_KINDS):
        return _stats_from_rows(unit, day, today, subtree, period_start, period_end, stats)


def _past_tops(unit: Unit, day: dt.date, pieces: list[ExtentPart] | None) -> list[Unit]:
    """The top units whose past-day counters give the figures of `day` (`grassroots.rollups`):
    the unit itself as the tree stood, or the units its present extent is made of when each
    piece is the whole subtree of a top unit of that day. Empty: counted from the rows."""
    if unit.kind not in rollup_selectors.ROLLUP_KINDS:
        return []  # a commune, a cell: few raw rows (and what it was made of is of its kind)
    if pieces is None:
        ids = [unit.pk] if existed_on(unit, day) else []
    elif all(len(p.paths) == 1 and p.subtree and not p.exclude and not p.through for p in pieces):
        ids = [int(p.paths[0].strip("/").split("/")[-1]) for p in pieces]
    else:
        return []
    tops = list(Unit.objects.filter(pk__in=ids, kind__in=rollup_selectors.ROLLUP_KINDS))
    return tops if len(tops) == len(ids) and tops else []


def _stats_from_past_counters(
    unit: Unit,
    tops: list[Unit],
    pieces: list[ExtentPart] | None,
    day: dt.date,
    stats: UnitStats,
    reader: ExtentReader,
) -> UnitStats:
    """A past day's figures from the past-day counters of these top units: their month-end
    changes up to the month before, and the edges of the days since (see rollups.past); the
    cells of that day's tree; the period's events from the monthly event counters when they
    answer exactly, else from the ledger."""
    found = rollup_selectors.past_member_counts(tops, day)
    status = found.get("status", {})
    stats.members_official = status.get(IntervalStatus.OFFICIAL, 0)
    stats.members_probationary = status.get(IntervalStatus.PROBATIONARY, 0)
    stats.members_in_transit = status.get(IntervalStatus.IN_TRANSIT, 0)
    stats.members_total = (
        stats.members_official + stats.members_probationary + stats.members_in_transit
    )
    _format_breakdowns(
        {
            attribute: found.get(field_name, {})
            for attribute, (field_name, _codes) in _BREAKDOWNS.items()
        },
        stats,
    )
    ages = found.get("age", {})
    stats.by_age_band = {key: ages.get(key, 0) for key, *_rest in AGE_BANDS}
    if pieces is None and rollup_selectors.sole_root(unit):
        # Every unit of every day is under the one root: its cells of that day are the cells
        # open that day, counted in the unit table alone (joining every placement of the
        # country to its unit took 200 ms and more at national size).
        stats.cells = (
            Unit.objects.filter(kind__in=CELL_KINDS, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .count()
        )
    else:
        paths = subtree_paths_on(unit, day) if pieces is None else [p.paths[0] for p in pieces]
        stats.cells = (
            UnitPlacement.objects.as_of(day)
            .filter(_placements_q(paths, True), unit_kind__in=CELL_KINDS)
            .count()
        )
    start, end = stats.period_start, stats.period_end
    events = rollup_selectors.event_counts(unit, start, end) if pieces is None else None
    if events is not None:
        stats.events_in_period = events
    elif pieces is None:
        stats.events_in_period = _event_counts(unit, start, end, True)
    else:
        resolved = _extent_units(pieces, day)
        begin = (
            resolved
            if start == day
            else _extent_units(present_extent_on(unit, start, reader=reader), start)
        )
        stats.events_in_period = _extent_event_counts(_both_ends(begin, resolved), start, end)
    return stats


def _own_piece(
    unit: Unit, day: dt.date, subtree: bool, pieces: list[ExtentPart]
) -> list[ExtentPart]:
    """`pieces` when they are only the unit's own subtree of `day` (nothing merged into it
    since): its present extent is then the tree of that day, counted the usual way."""
    if (
        len(pieces) == 1
        and not pieces[0].through
        and not pieces[0].exclude
        and existed_on(unit, day)
    ):
        return pieces
    return []


def _extent_units(
    pieces: list[ExtentPart], day: dt.date
) -> list[tuple[ExtentPart, dict[int, str]]]:
    """Each piece with its units of `day` ({unit id: kind}), read in one query."""

    def within(path: str, prefixes: tuple[str, ...], subtree: bool) -> bool:
        return any(path.startswith(p) if subtree else path == p for p in prefixes)

    q = Q(pk__in=[])
    for piece in pieces:
        q |= _placements_q(list(piece.paths), piece.subtree)
    rows = list(
        UnitPlacement.objects.as_of(day)
        .filter(q)
        .order_by()
        .values_list("unit_id", "unit_kind", "path")
    )
    return [
        (
            piece,
            {
                pk: kind
                for pk, kind, path in rows
                if within(path, piece.paths, piece.subtree)
                and not within(path, piece.exclude, True)
            },
        )
        for piece in pieces
    ]


def _moved_by(share) -> QuerySet:
    """Members a split moved from its predecessor to the part: its recorded reassignments."""
    return MemberEvent.objects.filter(
        kind=EventKind.REORGANIZE,
        reorganization_id=share.reorganization_id,
        unit_id=share.predecessor_id,
        other_unit_id=share.part_id,
    ).values("member_id")


def _extent_q(resolved: list[tuple[ExtentPart, dict[int, str]]], prefix: str = "") -> Q:
    """Rows (membership intervals, or ledger events) of the members each piece counts."""
    q = Q(pk__in=[])
    for piece, units in resolved:
        if not units:
            continue
        part = Q(**{f"{prefix}unit_id__in": list(units)})
        for share in piece.through:
            part &= Q(member_id__in=_moved_by(share))
        q |= part
    return q


def _stats_of_extent(
    unit: Unit,
    pieces: list[ExtentPart],
    day: dt.date,
    subtree: bool,
    period_start: dt.date,
    period_end: dt.date,
    stats: UnitStats,
    reader: ExtentReader,
) -> UnitStats:
    """`unit_stats` of a present extent on a past day: the intervals of that day of the members
    each piece counts (a member holds one interval on a day: counted once), and the cells of the
    pieces that count their units."""
    resolved = _extent_units(pieces, day)
    intervals = Membership.objects.on(day).filter(_extent_q(resolved))
    by_status = _breakdowns(intervals, day, stats, with_status=True, member_prefix="member__")
    stats.members_official = by_status.get("official", 0)
    stats.members_probationary = by_status.get("probationary", 0)
    stats.members_in_transit = by_status.get("in_transit", 0)
    stats.members_total = (
        stats.members_official + stats.members_probationary + stats.members_in_transit
    )
    stats.cells = len(
        {
            pk
            for piece, units in resolved
            if piece.counts_units
            for pk, kind in units.items()
            if kind in CELL_KINDS
        }
    )
    start = (
        resolved
        if period_start == day
        else _extent_units(
            present_extent_on(unit, period_start, subtree=subtree, reader=reader), period_start
        )
    )
    stats.events_in_period = _extent_event_counts(
        _both_ends(start, resolved), period_start, period_end
    )
    return stats


def _both_ends(begin: list, end: list) -> list:
    """The resolved pieces of a period's two ends, each once (most extents are the same at
    both: counted twice, they only made the events' statement longer to plan and to run)."""
    return begin + [piece for piece in end if piece not in begin]


def _extent_event_counts(
    resolved: list[tuple[ExtentPart, dict[int, str]]], start: dt.date, end: dt.date
) -> dict[str, int]:
    """`_event_counts` over a present extent: the events of the members each piece counts, in
    the pieces' units of both ends of the period; a transfer is in or out when its other end
    lies outside every unit of the extent."""
    from django.db.models import Case, When

    inside = {pk for _piece, units in resolved for pk in units}
    kinds = [
        EventKind.ADMIT,
        EventKind.RESTORE,
        EventKind.RECOGNIZE,
        EventKind.TRANSFER_IN,
        EventKind.TRANSFER_OUT,
        EventKind.REMOVE,
        EventKind.DISCIPLINE,
        EventKind.DEATH,
    ]
    rows = (
        MemberEvent.objects.filter(
            _extent_q(resolved), date__gte=start, date__lte=end, kind__in=kinds
        )
        .annotate(
            inside=Case(When(other_unit_id__in=list(inside), then=Value(1)), default=Value(0))
        )
        .order_by()
        .values_list("kind", "discipline_level", "inside")
        .annotate(n=Count("pk"))
    )
    return _event_totals(rows)


def _stats_from_rows(
    unit: Unit,
    day: dt.date,
    today: dt.date,
    subtree: bool,
    period_start: dt.date,
    period_end: dt.date,
    stats: UnitStats,
) -> UnitStats:
    """`unit_stats` counted from the raw rows: today's member rows, or the intervals of a past
    day."""
    prefix = ""  # of the member fields in `members` (an interval's member, on a past day)
    if day == today:
        if subtree:
            subtree_ids = Unit.objects.filter(in_subtree("path", unit)).values("pk")
            in_unit = Q(unit__in=subtree_ids)
            cells = Unit.objects.filter(in_subtree("path", unit))
        else:
            in_unit = Q(unit=unit)
            cells = Unit.objects.filter(pk=unit.pk)
        cells = cells.filter(kind__in=CELL_KINDS, valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )
        active = Q(status__in=ACTIVE_STATUSES)
        present = active & in_unit & Q(transit_to__isnull=True)
        if subtree:
            transit = active & in_unit & Q(transit_to__in=subtree_ids)
        else:
            # Held by this very unit: the open in-transit interval sits on it.
            transit = active & Q(
                pk__in=Membership.objects.filter(
                    end__isnull=True, unit=unit, status=IntervalStatus.IN_TRANSIT
                ).values("member_id")
            )
        if subtree:
            # One AND of two semi-joins over the subtree's unit ids: PostgreSQL then walks the
            # members of those cells by index. (Written as present | transit, or with a join to
            # the destination's unit row, it scanned every member or hashed every unit.)
            members = Member.objects.filter(active, in_unit).filter(
                Q(transit_to__isnull=True) | Q(transit_to__in=subtree_ids)
            )
            counted = (
                None  # by status in the same pass as the breakdowns (present = not in transit)
            )
        else:
            members = Member.objects.filter(present | transit)
            counted = members.order_by().aggregate(
                official=Count("id", filter=present & Q(status=MemberStatus.OFFICIAL)),
                probationary=Count("id", filter=present & Q(status=MemberStatus.PROBATIONARY)),
                in_transit=Count("id", filter=Q(transit_to__isnull=False)),
            )
    else:
        paths = subtree_paths_on(unit, day)
        if not subtree:
            placements = UnitPlacement.objects.as_of(day).filter(
                unit__in=constituents_on(unit, day)
            )
        else:
            placements = UnitPlacement.objects.as_of(day).filter(_placements_q(paths, True))
        cells = placements.filter(unit_kind__in=CELL_KINDS)
        # Only intervals on a unit placed in the tree that day, at the root too: a closed unit's
        # interval that outlived it (a member who had left before a back-dated merge) is in no
        # unit's subtree. The units of that day are few next to the intervals: fetched once, so
        # the planner never nests the placement scan inside the interval and member scans.
        intervals = Membership.objects.on(day).filter(
            unit_id__in=list(placements.values_list("unit_id", flat=True))
        )
        # A member holds one interval on a day: the intervals joined to their members count
        # each member once, by the interval's status and the member's attributes, in one pass
        # (before, a second scan counted the statuses).
        members, counted, prefix = intervals, None, "member__"

    by_status = _breakdowns(members, day, stats, with_status=counted is None, member_prefix=prefix)
    if counted is None:
        counted = {key: by_status.get(key, 0) for key in ("official", "probationary", "in_transit")}
    stats.members_official = counted["official"]
    stats.members_probationary = counted["probationary"]
    stats.members_in_transit = counted["in_transit"]
    stats.members_total = (
        stats.members_official + stats.members_probationary + stats.members_in_transit
    )
    stats.cells = cells.count()
    stats.events_in_period = _event_counts(unit, period_start, period_end, subtree)
    return stats


FIGURES_CACHE_SECONDS = 3600


def unit_stats_today(*, unit: Unit, version: str | None = None) -> UnitStats:
    """`unit_stats(unit=unit)`: today's figures of the subtree and its events of the year so
    far, kept in the cache (the unit page asks for them at every visit).

    The cache key holds the figures version of the top units above the unit
    (`grassroots.rollups`), which every change that may move one of these figures — a member's
    state or event, a unit saved, a reorganization, a bulk import or rebuild — changes in its own
    transaction. The version is read before the figures are counted, so a cached entry is never
    older than its key: a change is seen at the next visit. Without a version yet, no cache.
    `version`: `rollup_selectors.figures_version(unit)` when the caller has just read it.
    """
    from django.core.cache import cache

    day = timezone.localdate()
    if version is None:
        version = rollup_selectors.figures_version(unit)
    if not version:
        return unit_stats(unit=unit, as_of=day)
    key = f"unit-stats:{unit.pk}:{unit.path}:{day.isoformat()}:{version}"
    stats = cache.get(key)
    if stats is None:
        stats = unit_stats(unit=unit, as_of=day)
        cache.set(key, stats, FIGURES_CACHE_SECONDS)
    stats.unit_code, stats.unit_name = unit.code, unit.name
    return stats


# --- the statistics as tables (the page and its XLSX export show the same rows) ----------

STATS_BREAKDOWNS = [
    ("by_gender", gettext_lazy("Gender"), dict(Gender.choices)),
    ("by_age_band", gettext_lazy("Age"), {key: label for key, label, _lo, _hi in AGE_BANDS}),
    ("by_ethnicity", gettext_lazy("Ethnicity"), dict(ETHNICITY_CHOICES)),
    ("by_religion", gettext_lazy("Religion"), dict(Religion.choices)),
    ("by_general_education", gettext_lazy("General education"), dict(GeneralEducation.choices)),
    (
        "by_professional_education",
        gettext_lazy("Professional education"),
        dict(ProfessionalEducation.choices),
    ),
    ("by_theory_level", gettext_lazy("Political theory"), dict(TheoryLevel.choices)),
]

STATS_EVENT_LABELS = {
    "admissions": gettext_lazy("Admissions"),
    "readmissions": gettext_lazy("Readmissions"),
    "recognitions": gettext_lazy("Official recognitions"),
    "transfers_in": gettext_lazy("Transfers in"),
    "transfers_out": gettext_lazy("Transfers out"),
    "removals": gettext_lazy("Removals"),
    "expulsions": gettext_lazy("Expulsions"),
    "deaths": gettext_lazy("Deaths"),
}


def _stats_label(labels: dict, key) -> str:
    if key in (None, "", "unknown"):
        return _("Not recorded")
    return str(labels.get(key, key))


def stats_breakdown_tables(stats: UnitStats) -> list[dict]:
    """Each breakdown of `stats` as a titled table of rows (label, count, percent, bar width),
    the largest first (age bands in their own order)."""
    tables = []
    for attr, title, labels in STATS_BREAKDOWNS:
        counts = getattr(stats, attr, None) or {}
        total = sum(counts.values()) or 0
        top = max(counts.values(), default=0)
        ordered = list(counts.items())
        if attr != "by_age_band":
            ordered.sort(key=lambda item: -item[1])
        rows = [
            {
                "label": _stats_label(labels, key),
                "count": count,
                "percent": (100.0 * count / total) if total else 0,
                "width": round(100 * count / top) if top else 0,
            }
            for key, count in ordered
        ]
        tables.append({"title": title, "rows": rows})
    return tables


def stats_event_rows(stats: UnitStats) -> list[dict]:
    """The events of the period as rows (label, count)."""
    events = getattr(stats, "events_in_period", None) or {}
    labels = {**dict(EventKind.choices), **STATS_EVENT_LABELS}
    return [{"label": _stats_label(labels, key), "count": count} for key, count in events.items()]


# --- one member --------------------------------------------------------------------------


def member_timeline(member: Member) -> list[MemberEvent]:
    """The member's events in the order they took effect, with their units."""
    return list(
        member.events.select_related("unit", "other_unit", "created_by", "reorganization").order_by(
            "date", "id"
        )
    )


def _whole_months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class PartyAge:
    """Party age on a day: counted from the first admission decision, less time out.

    `gaps` are the periods out of the party (start included, end excluded)."""

    since: dt.date
    on: dt.date
    days: int
    gaps: tuple[tuple[dt.date, dt.date], ...] = ()

    @property
    def gap_days(self) -> int:
        return sum((end - start).days for start, end in self.gaps)

    @property
    def months(self) -> int:
        # In calendar months, as party age is stated: the whole span less each gap's months.
        return max(
            _whole_months(self.since, self.on) - sum(_whole_months(s, e) for s, e in self.gaps), 0
        )

    @property
    def years(self) -> int:
        return self.months // 12

    def __str__(self) -> str:
        return _("%(years)s years %(months)s months") % {
            "years": self.years,
            "months": self.months % 12,
        }


def party_age(member: Member, on: dt.date | None = None) -> PartyAge | None:
    """Party age (tuổi đảng) on `on` (today by default), computed from the ledger.

    None until the member is official (a readmitted member serving probation again has none
    until recognized). Counts from the first admission decision; days not covered by any
    membership interval (after expulsion or removal, before readmission) are subtracted.
    Time in transit is membership and counts.
    """
    on = on or timezone.localdate()
    since = member.first_admission_decision_date
    if since is None or member.official_date is None or member.official_date > on:
        return None
    covered = 0
    cursor = since
    gaps: list[tuple[dt.date, dt.date]] = []
    for start, end in (
        member.intervals.filter(start__lte=on).order_by("start", "id").values_list("start", "end")
    ):
        if start > cursor:
            gaps.append((cursor, start))
        start = max(start, cursor)
        stop = min(end or on, on)
        if stop > start:
            covered += (stop - start).days
            cursor = stop
    if cursor < on:
        gaps.append((cursor, on))
    return PartyAge(since=since, on=on, days=covered, gaps=tuple(gaps))


@dataclass(frozen=True)
class MemberFlag:
    """Something about a member that needs someone's attention."""

    code: str
    message: str
    due: dt.date | None = None


def recognition_due(member: Member) -> tuple[dt.date, dt.date] | None:
    """(end of probation, last day to decide recognition) for a probationary member."""
    if member.status != MemberStatus.PROBATIONARY or member.ceremony_date is None:
        return None
    end = add_months(member.ceremony_date, rule("probation_months"))
    return end, add_working_days(end, rule("recognition_within_working_days"))


@dataclass(frozen=True)
class KeyDate:
    """The one date a list shows for a member, with what it is."""

    label: str
    date: dt.date | None
    late: bool = False


def member_key_date(member: Member, today: dt.date | None = None) -> KeyDate:
    """What a secretary looks for in a list: for a probationary member the day official
    recognition falls due (`late` past its deadline), otherwise the admission decision."""
    due = recognition_due(member)
    if due is not None:
        end, deadline = due
        return KeyDate(_("Recognition due"), end, (today or timezone.localdate()) > deadline)
    return KeyDate(_("Admitted"), member.admission_decision_date)


def member_flags(member: Member, today: dt.date | None = None) -> list[MemberFlag]:
    """Recognition overdue, probation ended awaiting recognition, transfer arrival overdue, a
    temporary stay past its end."""
    today = today or timezone.localdate()
    flags: list[MemberFlag] = []
    due = recognition_due(member)
    if due is not None:
        end, deadline = due
        if today > deadline:
            flags.append(
                MemberFlag(
                    "recognition_overdue",
                    _("Official recognition is overdue: probation ended on %(date)s.")
                    % {"date": f"{end:%d/%m/%Y}"},
                    deadline,
                )
            )
        elif today >= end:
            flags.append(
                MemberFlag(
                    "awaiting_recognition",
                    _("Probation ended on %(date)s: the cell should consider official recognition.")
                    % {"date": f"{end:%d/%m/%Y}"},
                    deadline,
                )
            )
    if member.transit_to_id is not None and member.transit_since is not None:
        deadline = member.transit_since + dt.timedelta(days=rule("transfer_arrival_days"))
        if today > deadline:
            flags.append(
                MemberFlag(
                    "transfer_overdue",
                    _("Transferred on %(date)s and not yet received by %(unit)s.")
                    % {"date": f"{member.transit_since:%d/%m/%Y}", "unit": member.transit_to},
                    deadline,
                )
            )
    if (
        member.attending_unit_id is not None
        and member.attending_until is not None
        and today > member.attending_until
    ):
        flags.append(
            MemberFlag(
                "temporary_stay_overdue",
                _(
                    "The temporary stay at %(unit)s ended on %(date)s: record the return or a new "
                    "transfer."
                )
                % {"date": f"{member.attending_until:%d/%m/%Y}", "unit": member.attending_unit},
                member.attending_until,
            )
        )
    return flags


def _latest_ceremony_overdue(today: dt.date) -> dt.date:
    """The latest ceremony date whose recognition deadline has passed on `today`."""
    months, days = rule("probation_months"), rule("recognition_within_working_days")
    # Working backwards: the latest end of probation whose deadline is before today…
    end = today - dt.timedelta(days=1)
    while add_working_days(end, days) >= today:
        end -= dt.timedelta(days=1)
    # …and the latest ceremony whose probation ended by then.
    ceremony = add_months(end, -months)
    while add_months(ceremony + dt.timedelta(days=1), months) <= end:
        ceremony += dt.timedelta(days=1)
    while add_months(ceremony, months) > end:
        ceremony -= dt.timedelta(days=1)
    return ceremony


def _in_subtree_visible(queryset: QuerySet, unit: Unit, user) -> QuerySet:
    return queryset.visible_to(user, Action.VIEW).filter(
        in_subtree("unit__path", unit) | in_subtree("transit_to__path", unit)
    )


def overdue_recognitions(unit: Unit, user, today: dt.date | None = None) -> QuerySet:
    """Probationary members of the subtree whose recognition is past its deadline."""
    today = today or timezone.localdate()
    return (
        _in_subtree_visible(Member.objects.all(), unit, user)
        .filter(
            status=MemberStatus.PROBATIONARY, ceremony_date__lte=_latest_ceremony_overdue(today)
        )
        .select_related("unit")
        .order_by("ceremony_date", "id")
    )


def overdue_transfers(unit: Unit, user, today: dt.date | None = None) -> QuerySet:
    """Members transferred from or to the subtree whose arrival was not recorded in time."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=rule("transfer_arrival_days"))
    return (
        _in_subtree_visible(Member.objects.all(), unit, user)
        .filter(transit_to__isnull=False, transit_since__lt=cutoff)
        .select_related("unit", "transit_to")
        .order_by("transit_since", "id")
    )


def overdue_temporary_stays(unit: Unit, user, today: dt.date | None = None) -> QuerySet:
    """Members of the subtree, or attending a cell of it, whose temporary stay is past its end."""
    today = today or timezone.localdate()
    return (
        Member.objects.visible_to(user, Action.VIEW)
        .filter(
            in_subtree("unit__path", unit) | in_subtree("attending_unit__path", unit),
            attending_unit__isnull=False,
            attending_until__lt=today,
        )
        .select_related("unit", "attending_unit")
        .order_by("attending_until", "id")
    )


def candidate_counts(unit: Unit, user=None) -> dict[str, int]:
    """Candidates of the subtree per stage (every stage present, zero included)."""
    candidates = Candidate.objects.filter(in_subtree("unit__path", unit))
    if user is not None:
        candidates = candidates.visible_to(user, Action.VIEW)
    found = dict(candidates.order_by().values_list("stage").annotate(n=Count("id")))
    return {stage: found.get(stage, 0) for stage in CandidateStage.values}


def candidate_counts_by_unit(unit: Unit) -> dict[int, dict[str, int]]:
    """Candidates per cell of the subtree and per stage: {unit id: {stage: count}}."""
    rows = (
        Candidate.objects.filter(in_subtree("unit__path", unit))
        .order_by()
        .values_list("unit_id", "stage")
        .annotate(n=Count("id"))
    )
    result: dict[int, dict[str, int]] = {}
    for unit_id, stage, n in rows:
        result.setdefault(unit_id, dict.fromkeys(CandidateStage.values, 0))[stage] = n
    return result


# --- search ------------------------------------------------------------------------------


class NameSearch:
    """The members of `queryset` matching `q` (without diacritics), in the order a person
    looking for someone expects: first the names that begin with it, in name order; then the
    other names holding every word of `q` (or the member whose party card number is `q`), by
    name. Sliced like a list and counted up to `cap`, so a paginator can page through it.

    Names are searched as they are written, family name first, so "nguyen van hung" is typed
    from the start: that first part reads its page straight off the byte-ordered name index
    (migration 0008) however many members bear the name, and is counted from that
    index alone. The second part, in the same order, is left to PostgreSQL's choice: a word
    held by many names ("hung", "thi") walks that index in order until the page is full; a rare
    one is found with the trigram index and its few matches sorted. (The first part takes the
    common case where the walk would go wrong: "nguyen van …", all past the middle of the
    alphabet.) Beyond `cap` matches the count stops: nobody pages through 23,520 "Nguyễn Văn
    Hùng" — they type more of the name or choose a unit (`capped` says so).
    """

    def __init__(self, queryset, q: str, *, cap: int = 1000):
        self.q = q
        self.cap = cap
        self._base = queryset
        typed = " ".join(fold(q).split())
        self._typed = typed
        queryset = queryset.alias(name_bytes=byte_order("name_folded"))
        if typed:
            self._first = queryset.filter(name_bytes__startswith=typed).order_by("name_bytes", "id")
            rest = queryset.search(q).exclude(name_bytes__startswith=typed)
        else:
            self._first = queryset.none()
            rest = queryset.search(q)
        self._rest = rest.order_by("name_bytes", "id")
        self._counts: tuple[int, int] | None = None

    def _capped_count(self, queryset, limit: int) -> int:
        return queryset.order_by().values("pk")[:limit].count() if limit > 0 else 0

    def counts(self) -> tuple[int, int]:
        """(names beginning with the search, the others), together at most `cap` + 1."""
        if self._counts is None:
            first = self._capped_count(self._first, self.cap + 1)
            self._counts = (first, self._capped_count(self._rest, self.cap + 1 - first))
        return self._counts

    def count(self) -> int:
        return min(sum(self.counts()), self.cap)

    @property
    def capped(self) -> bool:
        return sum(self.counts()) > self.cap

    def __len__(self) -> int:
        return self.count()

    def _ids(self, part, start: int, stop: int | None) -> list[int]:
        # The ids alone, in order: read from the name index without visiting the rows it skips.
        return list(part.values_list("pk", flat=True)[start:stop])

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        ids = self._ids(self._first, start, stop)
        if stop is None or len(ids) < stop - start:
            # The first part ends on this page: the second follows it.
            first = start + len(ids) if ids else self._capped_count(self._first, start + 1)
            offset = max(0, start - first)
            ids += self._ids(
                self._rest, offset, None if stop is None else offset + stop - start - len(ids)
            )
        rows = {
            (row["id"] if isinstance(row, dict) else row.pk): row
            for row in self._base.filter(pk__in=ids)
        }
        return [rows[i] for i in ids]


def member_search(*, user, q: str, limit: int = 50) -> list[dict]:
    """The first `limit` members the user sees matching `q` (see `NameSearch`), as rows."""
    members = Member.objects.visible_to(user, Action.VIEW).values(
        "id", "full_name", "unit_id", "status"
    )
    return NameSearch(members, q)[:limit]
