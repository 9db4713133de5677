"""Reads of the targets app: the figure of an indicator for any unit and period, the
achievement of a target on any date, and the review of a resolution.

Where a figure comes from, in this order:
1. computed from Grassroots' own records (members admitted from the member ledger; the share
   of villages with their own cell and of village cells with a cell committee from the unit
   register), or
2. a formula over other indicators (each resolved here for the same unit and period), or
3. the value entered for that unit and period (approved, unless asked otherwise), or
4. rolled up from the units under it by the indicator's rule (sum, ratio of sums, weighted
   mean, none), on the tree of the period's last day: before a merge, the successor is its
   predecessors (Đồng Thái in 2023 = Yên Đồng + Yên Thành + Yên Thái).

One `Resolver` keeps what it read, so a review reads each indicator's subtree once: one query
for the tree of the day, one for the figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Count, Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone

from grassroots.committees.choices import CommitteeKind
from grassroots.committees.models import Committee
from grassroots.core.querysets import path_q
from grassroots.core.text import vi_sort_key
from grassroots.organizations.choices import CELL_KINDS, CellSubtype, UnitKind
from grassroots.organizations.models import Unit, UnitPlacement
from grassroots.organizations.selectors import constituent_shares_on, placement_on, subtree_paths_on

from . import formula as formulas
from .choices import (
    Aggregation,
    Band,
    ChangeBasis,
    ComputedSource,
    Direction,
    IndicatorGroup,
    PeriodKind,
    ReductionBasis,
    TargetKind,
    ValueState,
)
from .models import DataValue, Indicator, Resolution, Target
from .periods import Period, parse_period, year_period

HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.01")
FIGURE_PLACES = Decimal("0.0001")
VILLAGE_SUBTYPES = (CellSubtype.VILLAGE, CellSubtype.RESIDENTIAL)
# Stock figures (shares of the register) are looked up to this many years back for their
# denominator, e.g. the number of villages, which rarely changes.
DENOMINATOR_LOOKBACK_YEARS = 5


def _percent(value: Decimal) -> Decimal:
    return value.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def _stored(value: Decimal) -> Decimal:
    """A derived figure (ratio, mean) to the precision figures are stored with."""
    return value.quantize(FIGURE_PLACES, rounding=ROUND_HALF_UP)


class Figure(NamedTuple):
    """A resolved figure, with the counts behind it when it is a ratio. (A named tuple: a
    province's review makes tens of thousands of them.)"""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


NO_FIGURE = Figure(None)


# --- the tree of a day -------------------------------------------------------------------------


@dataclass
class DayTree:
    """The subtree of one unit on one day: its node ids and who is under whom. `shares`: the
    share of a unit it came from through a split that the root stands for (None: not recorded)."""

    root_id: int
    day: dt.date
    children: dict[int, list[int]]
    ids: set[int]
    paths: list[str] = field(default_factory=list)
    _parents: dict[int, int] | None = field(default=None, repr=False)
    shares: dict[int, Decimal | None] = field(default_factory=dict)

    def unit_ids(self):
        """The node ids as a subquery, so a large subtree is not sent as a list of ids."""
        if not self.paths:
            return [self.root_id]
        return (
            UnitPlacement.objects.as_of(self.day)
            .filter(path_q("path", self.paths))
            .values("unit_id")
        )

    def parents(self) -> dict[int, int]:
        if self._parents is None:
            self._parents = {
                child: parent for parent, kids in self.children.items() for child in kids
            }
        return self._parents

    def bottom_up(self, seeds) -> list[int]:
        """The nodes on the way from each of `seeds` up to the root, deepest first: the only
        nodes a roll-up can give a figure to (a subtree of thousands of cells where a hundred
        communes entered figures costs a hundred steps, not thousands)."""
        parents = self.parents()
        depth: dict[int, int] = {self.root_id: 0}

        def depth_of(node: int) -> int:
            chain = []
            while node not in depth:
                chain.append(node)
                node = parents.get(node, self.root_id)
            base = depth[node]
            for offset, item in enumerate(reversed(chain), start=1):
                depth[item] = base + offset
            return depth[chain[0]] if chain else base

        relevant: set[int] = set()
        for seed in seeds:
            node = seed
            while node not in relevant and node in self.ids:
                relevant.add(node)
                if node == self.root_id:
                    break
                node = parents.get(node, self.root_id)
        return sorted(relevant, key=depth_of, reverse=True)


def _share_of(figure: Figure, share: Decimal | None, aggregation: str) -> Figure:
    """`figure` of a unit split, for a part that took `share` of it: a sum and the counts behind
    a ratio are multiplied by it, a ratio or a mean stays; nothing when no share was recorded."""
    if share is None:
        return NO_FIGURE
    scaled = [None if x is None else x * share for x in figure]
    value = (
        _stored(scaled[0])
        if aggregation == Aggregation.SUM and scaled[0] is not None
        else figure.value
    )
    return Figure(value, scaled[1], scaled[2])


def day_tree(unit: Unit, day: dt.date) -> DayTree:
    """`unit`'s subtree in the tree of `day`. A unit created later (a merge's successor) stands
    for its predecessors of that day: they are its children."""
    with_shares = constituent_shares_on(unit, day)
    parts = [part for part, _share in with_shares]
    shares = {part.pk: share for part, share in with_shares if share != 1}
    children: dict[int, list[int]] = defaultdict(list)
    ids = {unit.pk}
    if not parts:
        return DayTree(unit.pk, day, children, ids)
    paths = []
    for part in parts:
        placement = placement_on(part, day)
        if placement is not None:
            paths.append(placement.path)
    if parts != [unit]:
        children[unit.pk] = [p.pk for p in parts]
    # No ordering: the model's default (by the unit's path) would join and sort the unit table.
    rows = (
        UnitPlacement.objects.as_of(day)
        .filter(path_q("path", paths))
        .order_by()
        .values_list("unit_id", "parent_id")
        if paths
        else []
    )
    part_ids = {p.pk for p in parts}
    for unit_id, parent_id in rows:
        ids.add(unit_id)
        if unit_id in part_ids:
            continue
        children[parent_id].append(unit_id)
    return DayTree(unit.pk, day, children, ids, paths, shares=shares)


def units_during(unit: Unit, start: dt.date, end: dt.date):
    """Ids (a subquery) of the units that made up `unit`'s subtree at some time in
    [start, end] (both ends' trees, through the lineage), so a reorganization inside the
    period keeps the records of the units it touched."""
    paths = set(subtree_paths_on(unit, start)) | set(subtree_paths_on(unit, end)) | {unit.path}
    return (
        UnitPlacement.objects.filter(path_q("path", sorted(paths)))
        .filter(valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .values("unit_id")
    )


# --- figures computed from the records ---------------------------------------------------------


def members_admitted(unit: Unit, start: dt.date, end: dt.date) -> int:
    """Admissions (not readmissions) recorded in the member ledger in `unit`'s subtree from
    `start` to `end`, both included."""
    from grassroots.members.choices import EventKind
    from grassroots.members.models import MemberEvent
    from grassroots.rollups.selectors import covers, event_counts

    if covers(unit):
        # A province or bloc: whole months from its monthly counters, the ledger for the days of
        # partial months (None when a reorganization moved its borders in the period).
        counts = event_counts(unit, start, end, keys=("admissions",))
        if counts is not None:
            return counts["admissions"]
    return MemberEvent.objects.filter(
        kind=EventKind.ADMIT,
        date__gte=start,
        date__lte=end,
        unit_id__in=units_during(unit, start, end),
    ).count()


def _village_cells_on(unit: Unit, day: dt.date):
    paths = subtree_paths_on(unit, day)
    if not paths:
        return UnitPlacement.objects.none()
    return (
        UnitPlacement.objects.as_of(day)
        .filter(path_q("path", paths))
        .filter(unit__kind__in=CELL_KINDS, unit__cell_subtype__in=VILLAGE_SUBTYPES)
    )


def village_cells_on(unit: Unit, day: dt.date) -> int:
    """Cells of villages and residential groups in `unit`'s subtree on `day`."""
    return _village_cells_on(unit, day).count()


def cells_with_committee_on(unit: Unit, day: dt.date) -> tuple[int, int]:
    """(village and residential-group cells with a cell committee for the term of `day`,
    all such cells) in `unit`'s subtree on `day`, in one statement. A cell committee has at
    least 3 seats; below that a cell has a secretary and possibly a deputy."""
    committees = Committee.objects.filter(
        unit_id=OuterRef("unit_id"),
        kind=CommitteeKind.CELL,
        elected_size__gte=3,
        term__start_year__lte=day.year,
        term__end_year__gte=day.year,
    )
    counts = _village_cells_on(unit, day).aggregate(
        cells=Count("pk"),
        with_committee=Count("pk", filter=Q(Exists(committees))),
    )
    return counts["with_committee"] or 0, counts["cells"] or 0


# --- the resolver ------------------------------------------------------------------------------


class Resolver:
    """Resolves figures and keeps what it read (one per review or page)."""

    def __init__(self, *, include_unapproved: bool = False, today: dt.date | None = None):
        self.include_unapproved = include_unapproved
        self.today = today or timezone.localdate()
        self._trees: dict[tuple[int, dt.date], DayTree] = {}
        self._entered: dict[tuple[int, str, int, dt.date], dict[int, Figure]] = {}
        self._nodes: dict[tuple[int, str, int, dt.date], dict[int, Figure]] = {}
        self._indicators: dict[str, Indicator] = {}
        self._periods: dict[int, list[Period]] = {}
        self._codes: dict[int, set[str]] = {}
        self._wanted: set[int] = set()
        self._wanted_periods: set[int] = set()
        self._years: dict[int, tuple[int, int]] = {}
        self._bulk: dict[tuple, dict[tuple[str, int], list[tuple]]] = {}
        self._cells: dict[tuple[int, dt.date], tuple[int, int]] = {}

    def want(self, indicators, years: tuple[int, int] | None = None) -> None:
        """Read the entered figures of these indicators (and of the numerators, denominators
        and weights they roll up with) together: one query per period and tree instead of one
        per indicator, period and tree (a review asks for all of its targets'). The periods
        holding their figures are read together too. With `years` (first, last), the figures
        of all their periods in those years are read in one query per subtree: a review of a
        province reads its communes' figures of the whole term at once. Called again, the
        years of an indicator already wanted widen to cover both."""
        for indicator in indicators:
            for other in (
                indicator,
                *(self._related(indicator, n) for n in ("numerator", "denominator", "weight")),
            ):
                if other is not None:
                    self._wanted_periods.add(other.pk)
                if other is not None and other.is_entered:
                    self._wanted.add(other.pk)
                    if years is not None:
                        low, high = years
                        if other.pk in self._years:
                            low, high = (
                                min(low, self._years[other.pk][0]),
                                max(high, self._years[other.pk][1]),
                            )
                        self._years[other.pk] = (low, high)

    # catalogue
    def indicator(self, code: str) -> Indicator | None:
        if code not in self._indicators:
            self._indicators[code] = Indicator.objects.filter(code=code).first()
        return self._indicators[code]

    def _related(self, indicator: Indicator, name: str) -> Indicator | None:
        other_id = getattr(indicator, f"{name}_id")
        if other_id is None:
            return None
        other = getattr(indicator, name)
        self._indicators.setdefault(other.code, other)
        return other

    def tree(self, unit: Unit, day: dt.date) -> DayTree:
        key = (unit.pk, day)
        if key not in self._trees:
            self._trees[key] = self._same_tree(unit, day) or day_tree(unit, day)
        return self._trees[key]

    def _same_tree(self, unit: Unit, day: dt.date) -> DayTree | None:
        """`unit`'s tree of another day already read, when no placement under it began or
        ended in between (a review reads the tree of each year's last day: mostly the same)."""
        for (unit_id, other_day), tree in list(self._trees.items()):
            if unit_id != unit.pk or not tree.paths:
                continue
            low, high = sorted((other_day, day))
            moved = UnitPlacement.objects.filter(path_q("path", tree.paths)).filter(
                Q(valid_from__gt=low, valid_from__lte=high)
                | Q(valid_to__gt=low, valid_to__lte=high)
            )
            if not moved.exists():
                return DayTree(
                    unit.pk, day, tree.children, tree.ids, tree.paths, tree._parents, tree.shares
                )
        return None

    def _values_query(self):
        values = DataValue.objects.all()
        if not self.include_unapproved:
            values = values.filter(state=ValueState.APPROVED)
        return values

    def _entered_map(
        self, indicator: Indicator, period: Period, tree: DayTree
    ) -> dict[int, Figure]:
        key = (indicator.pk, period.code, tree.root_id, tree.day)
        if key not in self._entered:
            term = (
                self._term_rows(indicator, period, tree) if indicator.pk in self._wanted else None
            )
            if term is not None:
                ids = tree.ids
                self._entered[key] = {row[2]: Figure(*row[3:]) for row in term if row[2] in ids}
                return self._entered[key]
            ids = self._wanted if indicator.pk in self._wanted else {indicator.pk}
            # No ordering: the model's default would join and sort the unit and indicator tables.
            rows = (
                self._values_query()
                .filter(
                    Q(unit_id__in=tree.unit_ids()) | Q(unit_id=tree.root_id),
                    indicator_id__in=ids,
                    period=period.code,
                )
                .order_by()
                .values_list("indicator_id", "unit_id", "value", "numerator", "denominator")
            )
            maps: dict[int, dict[int, Figure]] = {i: {} for i in ids}
            for indicator_id, u, v, n, d in rows:
                maps[indicator_id][u] = Figure(v, n, d)
            for indicator_id, figures in maps.items():
                self._entered.setdefault(
                    (indicator_id, period.code, tree.root_id, tree.day), figures
                )
        return self._entered[key]

    def _term_rows(self, indicator: Indicator, period: Period, tree: DayTree) -> list[tuple] | None:
        """(period, indicator, unit, value, numerator, denominator) of `indicator` in `period`
        for every unit ever
        placed under the tree's paths (the caller keeps those of the tree's day), out of one
        read of all the wanted indicators' periods in the years wanted (`want`). None when
        `period` lies outside those years."""
        years = self._years.get(indicator.pk)
        if years is None or not tree.paths or not years[0] <= period.year <= years[1]:
            return None
        bulk_key = (tree.root_id, tuple(tree.paths), frozenset(self._years.items()))
        if bulk_key not in self._bulk:
            missing = self._years.keys() - self._codes.keys()
            if missing:
                self._codes.update(self._period_codes(missing))
            # Each indicator's periods in its years, the indicators with the same years together.
            by_years: dict[tuple[int, int], list[int]] = defaultdict(list)
            for indicator_id, span in self._years.items():
                by_years[span].append(indicator_id)
            which = Q(pk__in=[])
            for (low, high), ids in by_years.items():
                codes = sorted(
                    {c for i in ids for c in self._codes[i] if low <= parse_period(c).year <= high}
                )
                if codes:
                    which |= Q(indicator_id__in=ids, period__in=codes)
            # The root too: it may stand outside the paths (a merge's successor before it
            # existed). A UNION, not an OR: with an OR PostgreSQL reads every figure of those
            # periods in the country and tests each against the subtree; this way it probes
            # the subtree's units for their figures.
            units = (
                UnitPlacement.objects.filter(path_q("path", tree.paths))
                .order_by()
                .values("unit_id")
                .union(Unit.objects.filter(pk=tree.root_id).order_by().values("id"), all=True)
            )
            rows = (
                self._values_query()
                .filter(which, unit_id__in=units)
                .order_by()
                .values_list(
                    "period", "indicator_id", "unit_id", "value", "numerator", "denominator"
                )
            )
            grouped: dict[tuple[str, int], list[tuple]] = defaultdict(list)
            for row in rows:
                grouped[row[:2]].append(row)
            self._bulk[bulk_key] = grouped
        # A period of those years missing here holds no figure of the wanted indicators.
        return self._bulk[bulk_key].get((period.code, indicator.pk), [])

    # figures
    def figure(
        self, indicator: Indicator, unit: Unit, period: Period, *, as_of: dt.date | None = None
    ) -> Figure:
        """The figure of `indicator` for `unit` in `period` (see the module's docstring).
        `as_of` bounds a stock computed from the register (the share of villages with a
        cell) to a day inside the period."""
        if indicator.computed:
            return self._computed(indicator, unit, period, as_of)
        return self.node_figures(indicator, unit, period).get(unit.pk, NO_FIGURE)

    def value(
        self, indicator: Indicator, unit: Unit, period: Period, *, as_of: dt.date | None = None
    ) -> Decimal | None:
        return self.figure(indicator, unit, period, as_of=as_of).value

    def node_figures(self, indicator: Indicator, unit: Unit, period: Period) -> dict[int, Figure]:
        """Figures of every unit of `unit`'s subtree on the period's last day (the units
        under it that have one), rolled up bottom-up by the indicator's rule."""
        tree = self.tree(unit, min(period.last_day, max(self.today, period.start)))
        key = (indicator.pk, period.code, tree.root_id, tree.day)
        if key in self._nodes:
            return self._nodes[key]
        result: dict[int, Figure] = {}
        if indicator.computed:
            result[unit.pk] = self._computed(indicator, unit, period, None)
        elif indicator.formula.strip():
            result = self._formula_figures(indicator, unit, period, tree)
        else:
            entered = self._entered_map(indicator, period, tree)
            rule = indicator.aggregation
            parts = {}
            if rule == Aggregation.RATIO and indicator.numerator_id and indicator.denominator_id:
                parts["numerator"] = self.node_figures(
                    self._related(indicator, "numerator"), unit, period
                )
                parts["denominator"] = self.node_figures(
                    self._related(indicator, "denominator"), unit, period
                )
            elif rule == Aggregation.WEIGHTED_MEAN and indicator.weight_id:
                parts["weight"] = self.node_figures(
                    self._related(indicator, "weight"), unit, period
                )
            seeds = set(entered)
            for part in parts.values():
                seeds |= part.keys()
            for node in tree.bottom_up(seeds):
                if node in entered:
                    result[node] = entered[node]
                    continue
                below = result
                if node == tree.root_id and tree.shares:
                    # A split's part stands for its recorded share of the unit split, not all of it.
                    below = {
                        **result,
                        **{
                            c: _share_of(result[c], tree.shares[c], indicator.aggregation)
                            for c in tree.shares
                            if c in result
                        },
                    }
                figure = self._aggregate(indicator, node, tree.children.get(node, ()), below, parts)
                if figure.value is not None:
                    result[node] = figure
        self._nodes[key] = result
        return result

    def _aggregate(
        self, indicator: Indicator, node: int, children, result: dict[int, Figure], parts: dict
    ) -> Figure:
        """The figure of `node` from its children's (`result`), by the indicator's rule."""
        rule = indicator.aggregation
        figures = [result[c] for c in children if c in result]
        if rule == Aggregation.SUM:
            values = [f.value for f in figures if f.value is not None]
            return Figure(sum(values, Decimal(0))) if values else NO_FIGURE
        if rule == Aggregation.RATIO:
            if "numerator" in parts:
                n = parts["numerator"].get(node, NO_FIGURE).value
                d = parts["denominator"].get(node, NO_FIGURE).value
            else:
                # The ratio of the sums of the children's own counts (30 of 41 schools).
                pairs = [
                    (f.numerator, f.denominator)
                    for f in figures
                    if f.numerator is not None and f.denominator is not None
                ]
                if not pairs:
                    return NO_FIGURE
                n = sum((p[0] for p in pairs), Decimal(0))
                d = sum((p[1] for p in pairs), Decimal(0))
            if n is None or d is None or d == 0:
                return NO_FIGURE
            return Figure(_stored(n / d * indicator.multiplier), n, d)
        if rule == Aggregation.WEIGHTED_MEAN:
            weights = parts.get("weight", {})
            total_weight = weighted = Decimal(0)
            for child in children:
                value = result.get(child, NO_FIGURE).value
                weight = weights.get(child, NO_FIGURE).value
                if value is None or weight is None or weight <= 0:
                    continue
                weighted += value * weight
                total_weight += weight
            return Figure(_stored(weighted / total_weight)) if total_weight else NO_FIGURE
        return NO_FIGURE

    def _formula_figures(
        self, indicator: Indicator, unit: Unit, period: Period, tree: DayTree
    ) -> dict[int, Figure]:
        codes = formulas.references(indicator.formula)
        operand_maps = {}
        for code in codes:
            operand = self.indicator(code)
            operand_maps[code] = (
                self.node_figures(operand, unit, period) if operand is not None else {}
            )
        result: dict[int, Figure] = {}
        nodes = (
            set().union(*(m.keys() for m in operand_maps.values())) if operand_maps else {unit.pk}
        )
        for node in nodes:
            values = {code: operand_maps[code].get(node, NO_FIGURE).value for code in codes}
            value = formulas.evaluate(indicator.formula, values)
            if value is not None:
                result[node] = Figure(value)
        return result

    def _computed(
        self, indicator: Indicator, unit: Unit, period: Period, as_of: dt.date | None
    ) -> Figure:
        end = period.last_day
        if as_of is not None:
            end = min(end, as_of)
        end = min(end, self.today)
        if unit.valid_to is not None:
            # A closed unit is counted on its last day: after it, its register is empty.
            end = min(end, unit.valid_to - dt.timedelta(days=1))
        if end < period.start:
            return NO_FIGURE
        source = indicator.computed
        if source == ComputedSource.MEMBERS_ADMITTED:
            return Figure(Decimal(members_admitted(unit, period.start, end)))
        if source == ComputedSource.VILLAGES_WITH_CELL_SHARE:
            cells = self._village_cells(unit, end)[1]
            villages = self._latest_denominator(indicator, unit, end)
            if villages is None or villages <= 0:
                return NO_FIGURE
            return Figure(
                _stored(Decimal(cells) / villages * indicator.multiplier), Decimal(cells), villages
            )
        if source == ComputedSource.CELLS_WITH_COMMITTEE_SHARE:
            with_committee, cells = self._village_cells(unit, end)
            if not cells:
                return NO_FIGURE
            return Figure(
                _stored(Decimal(with_committee) / Decimal(cells) * indicator.multiplier),
                Decimal(with_committee),
                Decimal(cells),
            )
        return NO_FIGURE

    def _village_cells(self, unit: Unit, day: dt.date) -> tuple[int, int]:
        """(village cells with a cell committee, all village cells) of `unit` on `day`, read
        once for both shares a review asks (villages with a cell, cells with a committee)."""
        key = (unit.pk, day)
        if key not in self._cells:
            self._cells[key] = cells_with_committee_on(unit, day)
        return self._cells[key]

    def _latest_denominator(self, indicator: Indicator, unit: Unit, day: dt.date) -> Decimal | None:
        denominator = self._related(indicator, "denominator")
        if denominator is None:
            return None
        for year in range(day.year, day.year - DENOMINATOR_LOOKBACK_YEARS - 1, -1):
            value = self.value(denominator, unit, year_period(year))
            if value is not None:
                return value
        return None

    # periods that hold figures
    def _period_codes(self, indicator_ids: set[int]) -> dict[int, set[str]]:
        """The distinct period codes of each indicator's figures, walked along the (indicator,
        period, state) index one period at a time: a handful of index probes per indicator
        where a DISTINCT would read every figure of the indicator in the country. All the
        indicators in one statement (a resolution page asks for twenty)."""
        from django.db import connection

        if not indicator_ids:
            return {}
        q = connection.ops.quote_name
        table = q(DataValue._meta.db_table)
        state = "" if self.include_unapproved else f" AND v.{q('state')} = %s"
        args = [] if self.include_unapproved else [ValueState.APPROVED]
        ids = sorted(indicator_ids)
        marks = ", ".join(["%s"] * len(ids))
        sql = (
            f"WITH RECURSIVE found(indicator, code) AS ("
            f"SELECT i.{q('id')}, (SELECT MIN(v.{q('period')}) FROM {table} v "
            f"WHERE v.{q('indicator_id')} = i.{q('id')}{state}) "
            f"FROM {q(Indicator._meta.db_table)} i WHERE i.{q('id')} IN ({marks}) "
            f"UNION ALL SELECT found.indicator, (SELECT MIN(v.{q('period')}) FROM {table} v "
            f"WHERE v.{q('indicator_id')} = found.indicator{state} "
            f"AND v.{q('period')} > found.code) "
            f"FROM found WHERE found.code IS NOT NULL"
            f") SELECT indicator, code FROM found WHERE code IS NOT NULL"
        )
        codes: dict[int, set[str]] = {i: set() for i in ids}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*args, *ids, *args])
            for indicator_id, code in cursor.fetchall():
                codes[indicator_id].add(code)
        return codes

    def periods_of(self, indicator: Indicator) -> list[Period]:
        """Periods for which figures of the indicator (or of what it is made of) exist,
        latest end first, the longer period first on the same end."""
        if indicator.pk in self._periods:
            return self._periods[indicator.pk]
        ids = {indicator.pk}
        frontier = [indicator]
        while frontier:
            current = frontier.pop()
            related = [self._related(current, n) for n in ("numerator", "denominator")]
            related += [self.indicator(code) for code in formulas.references(current.formula)]
            for other in related:
                if other is not None and other.pk not in ids:
                    ids.add(other.pk)
                    frontier.append(other)
        # The indicators wanted by the review or page are read along with the first one asked.
        missing = (ids | self._wanted_periods) - self._codes.keys()
        if missing:
            self._codes.update(self._period_codes(missing))
        codes = set().union(*(self._codes[i] for i in ids))
        periods = [parse_period(code) for code in codes]
        periods.sort(key=lambda p: (p.end, -(p.end - p.start).days), reverse=True)
        self._periods[indicator.pk] = periods
        return periods


def indicator_value(
    *, indicator: Indicator, unit: Unit, period: str, include_unapproved: bool = False
) -> Decimal | None:
    """The figure of `indicator` for `unit` in `period` (a code: 2023, 2023Q2, 202304):
    entered, computed from the records, from its formula, or rolled up from the units below
    on the tree of the period. Approved figures only unless `include_unapproved`."""
    return Resolver(include_unapproved=include_unapproved).value(
        indicator, unit, parse_period(period)
    )


# --- achievement -------------------------------------------------------------------------------


@dataclass
class Achievement:
    """How far a target has come on a date.

    `actual` is the figure compared with the target (the latest level, the average yearly
    change, the total so far, or the share of counts), `actual_period` the last period it
    rests on (None when counted up to the day itself, see `actual_on`). `percent` is the
    achievement in % of the target by its kind and direction; `progress` the share of the way
    from the baseline to the target. No data: `has_data` False, never counted as met."""

    target: Target
    actual: Decimal | None = None
    actual_period: str | None = None
    percent: Decimal | None = None
    progress: Decimal | None = None
    has_data: bool = False
    actual_on: dt.date | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    periods: list[str] = field(default_factory=list)


def _ratio_percent(actual: Decimal, target: Decimal, direction: str) -> Decimal:
    """actual / target (higher is better) or target / actual (lower is better), in %.
    A target of zero is met by anything at or beyond it; nothing is lower than zero."""
    if direction == Direction.LOWER:
        if actual <= 0:
            return HUNDRED if target >= actual else Decimal(0)
        return _percent(target / actual * HUNDRED)
    if target == 0:
        return HUNDRED if actual >= 0 else Decimal(0)
    return _percent(actual / target * HUNDRED)


def _progress(actual: Decimal, baseline: Decimal | None, target: Decimal) -> Decimal | None:
    if baseline is None or baseline == target:
        return None
    return _percent((actual - baseline) / (target - baseline) * HUNDRED)


def _latest(resolver: Resolver, target: Target, as_of: dt.date) -> tuple[Figure, Period | None]:
    """The latest figure of the target's indicator for its unit over a period ended by
    `as_of` (the longer period first when two end together)."""
    indicator = target.indicator
    # The baseline year's own figure is the baseline, not an achievement.
    earliest = dt.date(
        target.baseline_year + 1 if target.baseline_year else target.resolution.start_year, 1, 1
    )
    for period in resolver.periods_of(indicator):
        if period.last_day > as_of or period.start < earliest:
            continue
        figure = resolver.figure(indicator, target.unit, period)
        if figure.value is not None:
            return figure, period
    return NO_FIGURE, None


def _yearly(
    resolver: Resolver, target: Target, first: int, as_of: dt.date
) -> list[tuple[Period, Decimal]]:
    """Yearly figures of the target's indicator for its unit, from `first` to the last year
    ended by `as_of` (no later than the target year)."""
    last = min(
        target.target_year, as_of.year - 1 if as_of < dt.date(as_of.year, 12, 31) else as_of.year
    )
    result = []
    for year in range(first, last + 1):
        period = year_period(year)
        value = resolver.value(target.indicator, target.unit, period)
        if value is not None:
            result.append((period, value))
    return result


def _cumulative(resolver: Resolver, target: Target, as_of: dt.date) -> Achievement:
    resolution = target.resolution
    indicator = target.indicator
    achievement = Achievement(target=target)
    start = dt.date(resolution.start_year, 1, 1)
    if resolution.issued_on.year == resolution.start_year:
        # "In the term" counts from the congress that passed the resolution.
        start = max(start, resolution.issued_on)
    end = min(as_of, dt.date(resolution.end_year, 12, 31), resolver.today)
    if end < start:
        return achievement
    if indicator.computed == ComputedSource.MEMBERS_ADMITTED:
        actual = Decimal(members_admitted(target.unit, start, end))
        achievement.actual_on = end
    else:
        total = Decimal(0)
        found = False
        available = [
            p
            for p in resolver.periods_of(indicator)
            if p.start >= dt.date(start.year, 1, 1) and p.last_day <= end
        ]
        for year in range(start.year, end.year + 1):
            chosen: list[Period] = []
            for kind in (PeriodKind.YEAR, PeriodKind.QUARTER, PeriodKind.MONTH):
                chosen = [p for p in available if p.kind == kind and p.year == year]
                values = [(p, resolver.value(indicator, target.unit, p)) for p in chosen]
                values = [(p, v) for p, v in values if v is not None]
                if values:
                    for p, v in values:
                        total += v
                        achievement.periods.append(p.code)
                    found = True
                    break
        if not found:
            return achievement
        actual = total
        achievement.actual_period = achievement.periods[-1] if achievement.periods else None
    achievement.actual = actual
    achievement.has_data = True
    achievement.percent = _ratio_percent(actual, target.target_value, indicator.direction)
    achievement.progress = (
        _progress(actual, target.baseline_value, target.target_value)
        if target.baseline_value is not None
        else achievement.percent
    )
    return achievement


def _annual_change(resolver: Resolver, target: Target, as_of: dt.date) -> Achievement:
    indicator = target.indicator
    achievement = Achievement(target=target)
    basis = target.change_basis or ChangeBasis.RATE
    first = (target.baseline_year + 1) if target.baseline_year else target.resolution.start_year
    if basis == ChangeBasis.RATE:
        yearly = _yearly(resolver, target, first, as_of)
        if not yearly:
            return achievement
        actual = sum((v for _p, v in yearly), Decimal(0)) / len(yearly)
        achievement.periods = [p.code for p, _v in yearly]
        achievement.actual = _percent(actual)
        # The rates themselves: growth ≥ 7%/year (higher), population growth ≤ 1.2%/year (lower).
        achievement.percent = _ratio_percent(actual, target.target_value, indicator.direction)
    else:
        yearly = _yearly(resolver, target, first, as_of)
        if not yearly or target.baseline_value is None or target.baseline_year is None:
            return achievement
        period, latest = yearly[-1]
        years = period.year - target.baseline_year
        if years <= 0:
            return achievement
        baseline = target.baseline_value
        if basis == ChangeBasis.POINTS:
            change = (latest - baseline) / years
        else:
            if baseline <= 0 or latest <= 0:
                return achievement
            change = (Decimal(float(latest / baseline) ** (1 / years)) - 1) * HUNDRED
        if indicator.direction == Direction.LOWER:
            change = -change  # a reduction is read as a positive change
        achievement.periods = [p.code for p, _v in yearly]
        achievement.actual = _percent(change)
        achievement.percent = _ratio_percent(change, target.target_value, Direction.HIGHER)
    achievement.actual_period = achievement.periods[-1]
    achievement.has_data = True
    return achievement


def target_achievement(
    *, target: Target, as_of: dt.date, resolver: Resolver | None = None
) -> Achievement:
    """The achievement of `target` on `as_of` by its kind and direction (DOMAIN.md):
    a level or share: the latest figure ended by then against the target (lower is better:
    target / actual, or the share of the promised fall from the baseline, as the target's
    `reduction_basis` states);
    an average yearly change: the mean of the yearly rates, or the change from the baseline
    per year; a total over the term: the sum from the resolution's start to `as_of`.
    A range target (3–4%/year) is met at its lower end."""
    resolver = resolver or Resolver()
    if target.kind == TargetKind.CUMULATIVE:
        return _cumulative(resolver, target, as_of)
    if target.kind == TargetKind.ANNUAL_CHANGE:
        return _annual_change(resolver, target, as_of)
    indicator = target.indicator
    achievement = Achievement(target=target)
    if indicator.computed and indicator.computed != ComputedSource.MEMBERS_ADMITTED:
        day = min(as_of, resolver.today)
        figure = resolver.figure(indicator, target.unit, year_period(day.year), as_of=day)
        achievement.actual_on = day
        period = None
    else:
        figure, period = _latest(resolver, target, as_of)
        if indicator.computed == ComputedSource.MEMBERS_ADMITTED and period is None:
            last = as_of.year - 1
            period = year_period(last)
            figure = resolver.figure(indicator, target.unit, period)
    if figure.value is None:
        return achievement
    actual = figure.value
    if target.kind == TargetKind.RATIO and figure.numerator is not None and figure.denominator:
        actual = _stored(figure.numerator / figure.denominator * indicator.multiplier)
    achievement.actual = actual
    achievement.numerator, achievement.denominator = figure.numerator, figure.denominator
    achievement.actual_period = period.code if period is not None else None
    if period is not None:
        achievement.periods = [period.code]
    achievement.has_data = True
    baseline = target.baseline_value
    if (
        indicator.direction == Direction.LOWER
        and target.reduction_basis == ReductionBasis.FALL
        and baseline is not None
        and baseline > target.target_value
    ):
        # A reduction from the baseline, as the target states: the share of the promised fall
        # achieved.
        achievement.percent = _percent(
            (baseline - actual) / (baseline - target.target_value) * HUNDRED
        )
    else:
        achievement.percent = _ratio_percent(actual, target.target_value, indicator.direction)
    achievement.progress = _progress(actual, baseline, target.target_value)
    return achievement


# --- bands and reviews ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bands:
    """Thresholds of a review in % of the target: at or above `met` the target is achieved or
    exceeded; at or above `near` it is near; below, below. Configurable per review."""

    met: Decimal = Decimal(100)
    near: Decimal = Decimal(70)

    def __post_init__(self):
        object.__setattr__(self, "met", Decimal(self.met))
        object.__setattr__(self, "near", Decimal(self.near))
        if self.near > self.met or self.near < 0:
            raise ValueError("The near threshold lies between 0 and the met threshold.")

    def band_of(self, percent: Decimal | None) -> str:
        if percent is None:
            return Band.NO_DATA
        if percent >= self.met:
            return Band.MET
        if percent >= self.near:
            return Band.NEAR
        return Band.BELOW


DEFAULT_BANDS = Bands()


@dataclass
class ReviewRow:
    """One target of a review: its achievement and band."""

    target: Target
    achievement: Achievement
    band: str


def _number(value: Decimal, language: str) -> str:
    text = (
        f"{value.normalize():f}"
        if value == value.to_integral()
        else f"{value:.2f}".rstrip("0").rstrip(".")
    )
    return text.replace(".", ",") if language == "vi" else text


# The wording of review reports in each language: the sentences of official reports, produced
# whatever language the page is shown in (a Vietnamese report is read in Vietnamese).
REVIEW_WORDING = {
    "vi": {
        "met_near": (
            "Đạt và vượt {met}/{total} chỉ tiêu (≥ {m}%); "
            "{near}/{total} chỉ tiêu đạt từ {n}% trở lên"
        ),
        "met": "Đạt và vượt {met}/{total} chỉ tiêu (≥ {m}%)",
        "below": "{below}/{total} chỉ tiêu đạt dưới {n}%",
        "no_data": "{no_data}/{total} chỉ tiêu chưa có số liệu",
        "none": "Nghị quyết chưa có chỉ tiêu",
    },
    "en": {
        "met_near": (
            "{met} of {total} targets achieved or exceeded (≥ {m}%); "
            "{near} of {total} achieved {n}% or more"
        ),
        "met": "{met} of {total} targets achieved or exceeded (≥ {m}%)",
        "below": "{below} of {total} targets below {n}%",
        "no_data": "{no_data} of {total} targets have no data yet",
        "none": "The resolution has no targets yet",
    },
}


@dataclass
class Review:
    """A resolution's review on a date: each target's achievement and band, the counts by
    band and by group, and the summary sentences."""

    resolution: Resolution
    as_of: dt.date
    bands: Bands
    rows: list[ReviewRow]
    counts: dict[str, int]
    by_group: dict[str, dict[str, int]]

    @property
    def total(self) -> int:
        return len(self.rows)

    def sentences(self, language: str = "vi") -> list[str]:
        words = REVIEW_WORDING["vi" if language.startswith("vi") else "en"]
        if not self.rows:
            return [words["none"]]
        counts = {**self.counts, "total": self.total}
        numbers = {
            "m": _number(self.bands.met, language[:2]),
            "n": _number(self.bands.near, language[:2]),
        }
        first = words["met_near"] if counts[Band.NEAR] else words["met"]
        result = [first.format(**counts, **numbers)]
        if counts[Band.BELOW]:
            result.append(words["below"].format(**counts, **numbers))
        if counts[Band.NO_DATA]:
            result.append(words["no_data"].format(**counts, **numbers))
        return result


def _term_years(resolution: Resolution, targets: list[Target], as_of: dt.date) -> tuple[int, int]:
    """The years of a resolution's figures up to `as_of`: from the first year after the
    earliest baseline (or the term's start) to the term's end or `as_of`."""
    first = min([resolution.start_year, *(t.baseline_year + 1 for t in targets if t.baseline_year)])
    return first, max(first, min(resolution.end_year, as_of.year))


def _want_for_review(
    resolver: Resolver, resolution: Resolution, targets: list[Target], as_of: dt.date
) -> None:
    """What a review on `as_of` reads: every year of the term for a yearly change or a total
    over the term; the latest figure for the others, in the year of `as_of` or the one before
    (an earlier one, when those have none, is read when asked)."""
    by_years = (TargetKind.ANNUAL_CHANGE, TargetKind.CUMULATIVE)
    term = _term_years(resolution, targets, as_of)
    resolver.want((t.indicator for t in targets if t.kind in by_years), years=term)
    latest = (max(term[0], min(term[1], as_of.year - 1)), term[1])
    resolver.want((t.indicator for t in targets if t.kind not in by_years), years=latest)


def resolution_review(
    *,
    resolution: Resolution,
    as_of: dt.date,
    bands: Bands = DEFAULT_BANDS,
    resolver: Resolver | None = None,
) -> Review:
    """The review of `resolution` on `as_of` (mid-term, final, any date)."""
    resolver = resolver or Resolver()
    targets = list(
        resolution.targets.select_related(
            "indicator",
            "indicator__numerator",
            "indicator__denominator",
            "indicator__weight",
            "unit",
            "resolution",
        ).order_by("position")
    )
    _want_for_review(resolver, resolution, targets, as_of)
    rows = []
    counts = {band: 0 for band in Band.values}
    by_group: dict[str, dict[str, int]] = {}
    for target in targets:
        achievement = target_achievement(target=target, as_of=as_of, resolver=resolver)
        band = bands.band_of(achievement.percent if achievement.has_data else None)
        rows.append(ReviewRow(target=target, achievement=achievement, band=band))
        counts[band] += 1
        group = by_group.setdefault(target.indicator.group, {b: 0 for b in Band.values})
        group[band] += 1
    ordered_groups = {g: by_group[g] for g in IndicatorGroup.values if g in by_group}
    return Review(
        resolution=resolution,
        as_of=as_of,
        bands=bands,
        rows=rows,
        counts=counts,
        by_group=ordered_groups,
    )


# --- comparison and series ------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    """One grassroots organization's figure on an indicator."""

    unit: Unit
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


GRASSROOTS_KINDS = (UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL)


def indicator_comparison(
    *, indicator: Indicator, parent: Unit, period: str, include_unapproved: bool = False
) -> list[ComparisonRow]:
    """The grassroots organizations (communes, wards, agencies) under `parent` on the tree of
    the period, each with its figure, in Vietnamese alphabetical order."""
    resolver = Resolver(include_unapproved=include_unapproved)
    parsed = parse_period(period)
    tree = resolver.tree(parent, min(parsed.last_day, max(resolver.today, parsed.start)))
    # The tree's placements as a subquery: a province's thousands of ids are not sent as a list.
    units = Unit.objects.filter(pk__in=tree.unit_ids(), kind__in=GRASSROOTS_KINDS).exclude(
        pk=parent.pk
    )
    if indicator.computed:
        figures = {u.pk: resolver.figure(indicator, u, parsed) for u in units}
    else:
        figures = resolver.node_figures(indicator, parent, parsed)
    rows = [
        ComparisonRow(
            unit=u,
            value=figures.get(u.pk, NO_FIGURE).value,
            numerator=figures.get(u.pk, NO_FIGURE).numerator,
            denominator=figures.get(u.pk, NO_FIGURE).denominator,
        )
        for u in units
    ]
    rows.sort(key=lambda r: vi_sort_key(r.unit.name))
    return rows


@dataclass
class TargetSeries:
    """What a target's chart shows, each as (period code, value): the baseline, the yearly
    milestones, the yearly actuals (running totals for a total over the term) and the target."""

    baseline: tuple[str, Decimal] | None
    milestones: list[tuple[str, Decimal]]
    actuals: list[tuple[str, Decimal]]
    target: tuple[str, Decimal]

    def points(self) -> list[tuple[str, Decimal]]:
        """All points in year order (baseline, then actuals), for a plain line chart."""
        return ([self.baseline] if self.baseline else []) + self.actuals


def resolution_series(
    *, target: Target, as_of: dt.date | None = None, resolver: Resolver | None = None
) -> TargetSeries:
    """The chart of one target: baseline, milestones, yearly actuals up to `as_of` (today by
    default) and the target."""
    resolver = resolver or Resolver()
    as_of = as_of or resolver.today
    resolution = target.resolution
    indicator = target.indicator
    first = target.baseline_year + 1 if target.baseline_year else resolution.start_year
    actuals: list[tuple[str, Decimal]] = []
    running = Decimal(0)
    for year in range(first, min(resolution.end_year, as_of.year) + 1):
        period = year_period(year)
        if period.start > as_of:
            break
        value = resolver.value(indicator, target.unit, period, as_of=as_of)
        if value is None:
            continue
        if target.kind == TargetKind.CUMULATIVE:
            running += value
            value = running
        actuals.append((period.code, value))
    baseline = (
        (str(target.baseline_year), target.baseline_value)
        if target.baseline_value is not None
        else None
    )
    milestones = [(str(m.year), m.value) for m in target.milestones.all()]
    return TargetSeries(
        baseline=baseline,
        milestones=milestones,
        actuals=actuals,
        target=(str(target.target_year), target.target_value),
    )


TARGET_RELATED = (
    "indicator",
    "indicator__numerator",
    "indicator__denominator",
    "indicator__weight",
    "unit",
    "resolution",
)


def resolution_series_all(
    *,
    resolution: Resolution,
    as_of: dt.date | None = None,
    resolver: Resolver | None = None,
    targets: list[Target] | None = None,
) -> dict[int, TargetSeries]:
    """The charts of all the targets of `resolution` (or of `targets`, already read), by target
    id, read together: the milestones in one query, and through one resolver the figures of
    all the indicators per year and tree, so that the queries do not grow with the targets.
    Pass the resolver of the page's review to reuse what it read."""
    resolver = resolver or Resolver()
    if targets is None:
        targets = list(resolution.targets.select_related(*TARGET_RELATED).order_by("position"))
    prefetch_related_objects(targets, "milestones")
    resolver.want(
        (t.indicator for t in targets),
        years=_term_years(resolution, targets, as_of or resolver.today),
    )
    return {t.pk: resolution_series(target=t, as_of=as_of, resolver=resolver) for t in targets}


# --- ranking --------------------------------------------------------------------------------------


@dataclass
class RankedRow:
    """A unit's place in a comparison: units with the same figure share a rank."""

    unit: Unit
    value: Decimal | None
    rank: int | None


def comparison_ranking(rows: list[ComparisonRow], *, direction: str) -> list[RankedRow]:
    """The units best first (the lowest first when lower is better), with competition ranks
    (1, 2, 2, 4: tied figures share a rank, and the next rank counts the units above it); units
    without a figure last, unranked."""
    lower = direction == Direction.LOWER
    with_value = sorted(
        (r for r in rows if r.value is not None), key=lambda r: r.value, reverse=not lower
    )
    ranked: list[RankedRow] = []
    for index, row in enumerate(with_value, start=1):
        tied = ranked and ranked[-1].value == row.value
        ranked.append(RankedRow(row.unit, row.value, ranked[-1].rank if tied else index))
    ranked += [RankedRow(r.unit, None, None) for r in rows if r.value is None]
    return ranked


# --- the data-entry grid --------------------------------------------------------------------------

# Periods shown before the one being entered, as columns of the grid: the figures to compare with.
GRID_EARLIER_PERIODS = 2


@dataclass
class EntryRow:
    """One indicator of a unit's grid for a period: the targets asking for it, its stored
    figure, the figures of the periods before and what the user may do with it. `form` is the
    page's form over the row (None for a computed indicator)."""

    indicator: Indicator
    targets: list[Target] = field(default_factory=list)
    value: DataValue | None = None
    ratio: bool = False
    computed: bool = False
    computed_value: Decimal | None = None
    # The figures of the periods shown before, oldest first (None: none stored).
    earlier: list[tuple[Period, Decimal | None]] = field(default_factory=list)
    can_change: bool = False
    can_manage: bool = False
    can_reopen: bool = False
    # The user entered the figure as it stands: someone else approves it (rule
    # "approval_by_other_person").
    entered_by_user: bool = False
    form: object = None
    saved: str = ""
    reason_error: str = ""

    @property
    def state(self) -> str:
        return self.value.state if self.value else ""

    @property
    def editable(self) -> bool:
        return (
            self.can_change
            and not self.computed
            and (self.value is None or self.value.state in (ValueState.DRAFT, ValueState.RETURNED))
        )

    @property
    def can_submit(self) -> bool:
        return self.editable and self.value is not None

    @property
    def can_approve(self) -> bool:
        return self.can_return and not self.entered_by_user

    @property
    def can_return(self) -> bool:
        return self.can_manage and self.state == ValueState.SUBMITTED

    @property
    def fields(self):
        names = ["value", "numerator", "denominator", "source"]
        return [self.form[name] for name in names if name in self.form.fields]

    @property
    def value_text(self) -> str:
        from .display import figure_text

        return figure_text(self.value.value, self.indicator) if self.value else "—"

    @property
    def computed_text(self) -> str:
        from .display import figure_text

        return figure_text(self.computed_value, self.indicator)

    @property
    def earlier_cells(self) -> list[dict[str, str]]:
        """The figures of the periods before, as the grid shows them: label and figure."""
        from .display import figure_text

        return [
            {
                "label": period.label(),
                "text": "—" if figure is None else figure_text(figure, self.indicator),
            }
            for period, figure in self.earlier
        ]

    @property
    def target_texts(self) -> list[dict]:
        from .display import target_text

        return [
            {"resolution": t.resolution, "text": target_text(t), "target_year": t.target_year}
            for t in self.targets
        ]

    @property
    def numerator_text(self) -> str:
        from .numbers import show_number

        return show_number(self.value.numerator, None) if self.value else ""

    @property
    def denominator_text(self) -> str:
        from .numbers import show_number

        return show_number(self.value.denominator, None) if self.value else ""


@dataclass
class EntryGrid:
    """A unit's figures for one period: a row per indicator its resolutions ask for, and the
    periods before it shown beside."""

    unit: Unit
    period: Period
    rows: list[EntryRow]
    earlier_periods: list[Period]
    can_change: bool
    can_manage: bool
    # The resolutions in force then (asked with `with_resolutions`): the grid's filter.
    resolutions: list[Resolution] = field(default_factory=list)

    @property
    def closed(self) -> bool:
        return not self.unit.is_open


def previous_period(period: Period) -> Period:
    """The period of the same kind just before `period`."""
    from .periods import period_for

    return period_for(period.kind, period.start - dt.timedelta(days=1))


def next_period(period: Period) -> Period | None:
    """The period of the same kind just after `period`, once it has started."""
    from .periods import period_for

    following = period_for(period.kind, period.end)
    return following if following.start <= timezone.localdate() else None


def _in_force_during(period: Period, prefix: str = "") -> Q:
    from .choices import ResolutionStatus

    return Q(**{f"{prefix}start_year__lte": period.year, f"{prefix}end_year__gte": period.year}) & (
        Q(**{f"{prefix}status": ResolutionStatus.IN_FORCE})
        | Q(**{f"{prefix}ended_on__gte": period.start})
    )


def applying_targets(
    unit: Unit, period: Period, resolution: Resolution | None = None
) -> list[Target]:
    """Targets that ask `unit` for figures in `period`: those of the resolutions of the unit or
    of a unit above it, covering the period's year and in force then, set for the unit or a
    unit above it. Figures of a unit feed the roll-up of every level above it."""
    ids = unit.ancestor_ids()
    targets = (
        Target.objects.filter(unit_id__in=ids, resolution__unit_id__in=ids)
        .filter(_in_force_during(period, "resolution__"))
        .select_related("resolution__unit", "indicator")
        .order_by("resolution__unit__depth", "resolution__issued_on", "position")
    )
    if resolution is not None:
        targets = targets.filter(resolution=resolution)
    return list(targets)


def entry_resolutions(unit: Unit, period: Period) -> list[Resolution]:
    """The resolutions of the unit and the units above it in force during `period`."""
    return list(
        Resolution.objects.filter(unit_id__in=unit.ancestor_ids())
        .filter(_in_force_during(period))
        .select_related("unit")
        .order_by("unit__depth", "issued_on")
    )


def entry_grid(
    *,
    user,
    unit: Unit,
    period: Period,
    resolution: Resolution | None = None,
    indicators: list[Indicator] | None = None,
    with_resolutions: bool = False,
) -> EntryGrid:
    """The grid of `unit` for `period` (only `indicators` when given, a row each even when no
    target asks for it), as `user` may see and change it, with the resolutions in force then
    when asked: a constant number of queries whatever the number of indicators, besides the
    computed ones."""
    from grassroots.core.access import Access, Action

    from .rules import entered_by_actor, may_reopen

    access = Access.of(user)
    by_indicator: dict[int, EntryRow] = {}
    for target in applying_targets(unit, period, resolution):
        row = by_indicator.setdefault(target.indicator_id, EntryRow(indicator=target.indicator))
        row.targets.append(target)
        row.ratio = row.ratio or target.kind == TargetKind.RATIO
    for indicator in indicators or []:
        by_indicator.setdefault(indicator.pk, EntryRow(indicator=indicator))
    rows = list(by_indicator.values())
    if indicators is not None:
        wanted = {i.pk for i in indicators}
        rows = [row for row in rows if row.indicator.pk in wanted]
    group_order = {value: index for index, value in enumerate(IndicatorGroup.values)}
    rows.sort(key=lambda r: (group_order.get(r.indicator.group, 99), r.indicator.code))

    earlier_periods: list[Period] = []
    for _ in range(GRID_EARLIER_PERIODS):
        earlier_periods.insert(
            0, previous_period(earlier_periods[0] if earlier_periods else period)
        )
    ids = [row.indicator.pk for row in rows]
    codes = [period.code, *(p.code for p in earlier_periods)]
    values: dict[tuple[int, str], DataValue] = {
        (v.indicator_id, v.period): v
        for v in DataValue.objects.filter(
            unit=unit, period__in=codes, indicator_id__in=ids
        ).select_related("approved_level")
    }
    can_change = unit.is_open and access.may(Action.CHANGE, unit)
    can_manage = access.may(Action.MANAGE, unit)
    resolver = None
    for row in rows:
        indicator = row.indicator
        row.value = values.get((indicator.pk, period.code))
        row.can_change, row.can_manage = can_change, can_manage
        row.can_reopen = bool(
            row.value and row.value.state == ValueState.APPROVED and may_reopen(user, row.value)
        )
        row.entered_by_user = bool(row.value and can_manage and entered_by_actor(user, row.value))
        if row.value is not None and row.value.numerator is not None:
            row.ratio = True
        row.earlier = [
            (p, v.value if (v := values.get((indicator.pk, p.code))) is not None else None)
            for p in earlier_periods
        ]
        if not indicator.is_entered:
            row.computed = True
            resolver = resolver or Resolver()
            row.computed_value = resolver.value(indicator, unit, period)
    return EntryGrid(
        unit=unit,
        period=period,
        rows=rows,
        earlier_periods=earlier_periods,
        can_change=can_change,
        can_manage=can_manage,
        resolutions=entry_resolutions(unit, period) if with_resolutions else [],
    )


def entry_values(unit: Unit, period: Period, indicator_ids: list[int]) -> dict[int, DataValue]:
    """The stored figures of `unit` for `period`, by indicator."""
    return {
        v.indicator_id: v
        for v in DataValue.objects.filter(
            unit=unit, period=period.code, indicator_id__in=indicator_ids
        ).select_related("approved_level")
    }
