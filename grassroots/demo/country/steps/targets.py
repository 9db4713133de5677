"""Step 40: congress resolutions, their targets and the yearly figures behind them.

- The indicator catalogue is the demo's (`grassroots.demo.targets_demo.CATALOGUE`); indicators
  missing from the database are created, existing ones are kept (the catalogue is shared).
- Every commune and ward reports its yearly figures 2020–2025 (population, villages, production
  value and growth, income, grain, budget, new-rural standard, roads, poor households, trained
  labour, schools meeting the standard as a count of schools, health insurance, cultural
  villages, forest cover, clean water, recruitment, its party organization's rating), entered,
  submitted and approved at the province's level (three state changes each, as the services
  record them). A commune closed by the merges of 1 July 2025 reports 2020–2024; the commune it
  was merged into reports 2025, its figures being its predecessors' combined by each
  indicator's rule, so a province's roll-up runs through the merges.
- Each province reports the figures that are not aggregated up the tree (trained labour, health
  insurance, forest cover, clean water) and has its congress resolution of October 2020 with
  targets on the figures that roll up from its communes (sums, ratios of sums, weighted means),
  on the admissions of the member ledger and on the unit register.
- Each commune of the 2020–2025 term has its congress resolution (spring 2020) with about a
  dozen targets; a commune closed by a merge has its resolution ended by the merge decision.

Targets are set from each unit's own generated figures with a drawn ambition, so reviews spread
over the bands (most met or near, some below). Everything is drawn from one random stream per
province: the same seed gives the same rows; one province's rows are held in memory at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from grassroots.committees.models import Term
from grassroots.organizations.choices import CellSubtype
from grassroots.targets.choices import (
    ChangeBasis,
    Direction,
    PeriodKind,
    ReductionBasis,
    ResolutionKind,
    ResolutionStatus,
    TargetKind,
    ValueState,
)
from grassroots.targets.models import (
    DataValue,
    DataValueTransition,
    Indicator,
    Resolution,
    Target,
    TargetMilestone,
)

from .. import data
from ..registry import Context, generator_step
from .tree import CellInfo, CommuneInfo

FIRST_YEAR, LAST_YEAR = 2020, 2025
YEARS = list(range(FIRST_YEAR, LAST_YEAR + 1))
RESOLUTION_NUMBER = "01-NQ/ĐH"
PROVINCE_CONGRESS = dt.date(2020, 10, 15)  # as the committees step elects the provinces' committees
VILLAGE_SUBTYPES = {CellSubtype.VILLAGE, CellSubtype.RESIDENTIAL}

# How each entered figure combines when several units make one (a merge's successor in 2025, a
# province's aggregates that its targets are set from): as the catalogue aggregates it; figures
# that are not aggregated up the tree are averaged by population here.
SUM, RATIO, BY_POPULATION, BY_PRODUCTION = "sum", "ratio", "population", "production"
ENTERED: dict[str, str] = {
    "SOC-POPULATION": SUM,
    "SOC-VILLAGES": SUM,
    "ECO-PROD-VALUE": SUM,
    "ECO-GROWTH": BY_PRODUCTION,
    "ECO-INCOME": BY_POPULATION,
    "ECO-GRAIN": SUM,
    "ECO-BUDGET": SUM,
    "ECO-NTM-COMMUNES": RATIO,
    "ECO-HARD-ROADS": RATIO,
    "SOC-POOR": RATIO,
    "SOC-LABOUR": BY_POPULATION,
    "SOC-SCHOOLS": RATIO,
    "SOC-HEALTH-INS": BY_POPULATION,
    "SOC-CULTURAL-VILLAGES": RATIO,
    "ENV-FOREST": BY_POPULATION,
    "ENV-CLEAN-WATER": BY_POPULATION,
    "DEF-RECRUIT": BY_POPULATION,
    "PAR-ORGS-GOOD": RATIO,
}
# Figures a province reports itself: they are not aggregated up the tree.
PROVINCE_ENTERED = ["SOC-LABOUR", "SOC-HEALTH-INS", "ENV-FOREST", "ENV-CLEAN-WATER"]


@dataclass(frozen=True)
class Region:
    """Where a region's communes start from in 2020."""

    population: float
    income: float  # million VND per person per year
    poor: float  # % of households
    forest: float  # % of the area
    labour: float  # % of the workforce trained
    grain: float  # tonnes per person per year
    growth: float  # % per year
    production: float  # million VND per person per year


REGIONS = {
    "north_mountain": Region(6500, 24, 28, 55, 45, 0.45, 7.5, 35),
    "delta_north": Region(11000, 62, 2.5, 8, 65, 0.35, 7.0, 110),
    "north_central": Region(9000, 45, 6, 40, 58, 0.40, 6.8, 70),
    "south_central": Region(9000, 48, 5, 35, 58, 0.25, 6.8, 80),
    "highlands": Region(9500, 42, 10, 38, 52, 0.30, 6.5, 70),
    "southeast": Region(14000, 75, 1.5, 15, 68, 0.10, 7.5, 140),
    "mekong": Region(10000, 50, 4.5, 6, 55, 0.90, 6.2, 75),
}

Series = dict[
    str, list
]  # code → one figure per year of YEARS: a float, (numerator, denominator) or None


def commune_series(r: random.Random, region: Region, ward: bool, village_cells: int) -> Series:
    """A commune's (or ward's) yearly figures 2020–2025."""
    lognorm, uniform, gauss = r.lognormvariate, r.uniform, r.gauss
    population = region.population * lognorm(0, 0.35) * (1.6 if ward else 1.0)
    population_growth = uniform(0.004, 0.016)
    per_household = uniform(3.6, 4.6)
    villages = max(1, village_cells + (0 if r.random() < 0.8 else r.randint(1, 2)))
    production = population * region.production * lognorm(0, 0.3) * (1.5 if ward else 1.0) / 1000
    mean_growth = gauss(region.growth, 1.2)
    income = region.income * lognorm(0, 0.2) * (1.4 if ward else 1.0)
    income_growth = uniform(0.04, 0.11)
    grain = population * region.grain * lognorm(0, 0.3) * (0.05 if ward else 1.0)
    grain_trend = gauss(0.01, 0.02)
    budget_share = uniform(0.01, 0.04)
    ntm_year = (
        None
        if ward
        else r.choices([r.randint(2012, 2019), r.randint(2021, 2025), 2030], [35, 45, 20])[0]
    )
    roads = uniform(0.5, 0.95)
    roads_step = uniform(0.03, 0.08)
    poor = min(70.0, max(0.3, region.poor * lognorm(0, 0.35) * (0.3 if ward else 1.0)))
    poor_drop = uniform(0.08, 0.2)
    labour = min(90.0, max(20.0, gauss(region.labour, 8)))
    labour_step = uniform(1.5, 4.0)
    schools = r.randint(2, 6) + (2 if ward else 0)
    schools_meeting = round(schools * uniform(0.3, 0.9))
    health = uniform(85, 97)
    health_step = uniform(0.2, 1.0)
    cultural = uniform(0.6, 0.95)
    cultural_step = uniform(0.01, 0.04)
    forest = None if ward else min(85.0, max(1.0, gauss(region.forest, 10)))
    forest_step = uniform(0.1, 0.9)
    water = uniform(85, 97)
    water_step = uniform(0.3, 1.2)
    out: Series = {code: [] for code in ENTERED}
    for i, year in enumerate(YEARS):
        if i:
            population *= 1 + population_growth
            income *= 1 + income_growth + gauss(0, 0.01) - (0.03 if year == 2021 else 0)
            roads = min(1.0, roads + roads_step)
            poor = max(0.2, poor * (1 - poor_drop) + gauss(0, 0.1))
            labour = min(95.0, labour + labour_step)
            if schools_meeting < schools and r.random() < 0.35:
                schools_meeting += 1
            health = min(99.8, health + health_step)
            cultural = min(1.0, cultural + cultural_step)
            if forest is not None:
                forest = min(90.0, forest + forest_step)
            water = min(100.0, water + water_step)
        growth = (
            mean_growth + gauss(0, 1.0) - (2.5 if year == 2020 else 1.2 if year == 2021 else 0.0)
        )
        if i:
            production *= 1 + growth / 100
        households = round(population / per_household)
        out["SOC-POPULATION"].append(round(population))
        out["SOC-VILLAGES"].append(villages)
        out["ECO-PROD-VALUE"].append(production)
        out["ECO-GROWTH"].append(growth)
        out["ECO-INCOME"].append(income)
        out["ECO-GRAIN"].append(grain * (1 + grain_trend) ** i)
        out["ECO-BUDGET"].append(production * budget_share)
        out["ECO-NTM-COMMUNES"].append(
            None if ntm_year is None else (1 if year >= ntm_year else 0, 1)
        )
        out["ECO-HARD-ROADS"].append((round(roads * villages), villages))
        out["SOC-POOR"].append((round(households * poor / 100), households))
        out["SOC-LABOUR"].append(labour)
        out["SOC-SCHOOLS"].append((schools_meeting, schools))
        out["SOC-HEALTH-INS"].append(health)
        out["SOC-CULTURAL-VILLAGES"].append((round(cultural * villages), villages))
        out["ENV-FOREST"].append(forest)
        out["ENV-CLEAN-WATER"].append(water)
        out["DEF-RECRUIT"].append(100.0 if r.random() < 0.88 else uniform(90, 99.9))
        out["PAR-ORGS-GOOD"].append((1 if r.random() < 0.85 else 0, 1))
    return out


def combine(parts: list[Series], i: int) -> dict[str, object]:
    """The figures of year index `i` of several units taken as one, by each figure's rule."""
    result: dict[str, object] = {}
    for code, rule in ENTERED.items():
        figures = [(s[code][i], s) for s in parts if s[code][i] is not None]
        if not figures:
            result[code] = None
        elif rule == SUM:
            result[code] = sum(f for f, _s in figures)
        elif rule == RATIO:
            result[code] = (sum(f[0] for f, _s in figures), sum(f[1] for f, _s in figures))
        else:
            weight = "ECO-PROD-VALUE" if rule == BY_PRODUCTION else "SOC-POPULATION"
            total = sum(s[weight][i] for _f, s in figures)
            result[code] = sum(f * s[weight][i] for f, s in figures) / total if total else None
    return result


def share(figure) -> float | None:
    """A (numerator, denominator) figure as a percentage."""
    if figure is None or not figure[1]:
        return None
    return 100 * figure[0] / figure[1]


# --- numbers as written --------------------------------------------------------------------------


def fixed(value: float, decimals: int) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def ratio_value(n: int, d: int, decimals: int) -> Decimal:
    return (Decimal(n * 100) / Decimal(d)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )


def nice(value: float, step: float) -> float:
    """`value` rounded to a multiple of `step` (targets are round numbers)."""
    return max(step, round(value / step) * step)


def vi_number(value: float | Decimal, decimals: int = 0) -> str:
    """A number as a Vietnamese resolution writes it: 1.320 and 97,4."""
    text = f"{float(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if decimals and text.endswith("0" * decimals):
        text = text[: -(decimals + 1)]
    return text


ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


# --- admissions expected from the member step ----------------------------------------------------


def admissions_between(
    cells: list[CellInfo], start: dt.date, end: dt.date, today: dt.date
) -> float:
    """About how many admissions the member step draws in `cells` from `start` to `end`: it
    draws each member's admission day as lo + (today − lo) × u^0.55 (u uniform), lo being the
    cell's creation or 1965, for as many members as the cell keeps plus those who left."""
    d1965 = dt.date(1965, 1, 1).toordinal()
    T = today.toordinal()
    total = 0.0
    for cell in cells:
        lo = max(cell.valid_from, d1965)
        if T <= lo:
            continue

        def F(day: int, lo=lo) -> float:
            x = min(1.0, max(0.0, (day - lo) / (T - lo)))
            return x ** (1 / 0.55)

        total += cell.members * 1.06 * (F(min(end.toordinal(), T)) - F(start.toordinal()))
    return total


# --- the step ------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A target before it is written."""

    code: str
    kind: str
    target: Decimal
    year: int = LAST_YEAR
    baseline: Decimal | None = None
    baseline_year: int | None = None
    high: Decimal | None = None
    basis: str = ""
    note: str = ""
    milestones: dict[int, Decimal] = field(default_factory=dict)


def reduction_of(indicator, draft: _Draft) -> str:
    """How a lower-is-better level or share is judged: a fall from a baseline above the target
    is written as one ("from 36.1% down to 20%"), the others as a level to reach."""
    if indicator.direction != Direction.LOWER or draft.kind not in (
        TargetKind.LEVEL,
        TargetKind.RATIO,
    ):
        return ""
    if draft.baseline is not None and draft.baseline > draft.target:
        return ReductionBasis.FALL
    return ReductionBasis.LEVEL


def ambition(r: random.Random) -> float:
    """How far a target reaches beyond what the unit then achieves: about half are met, a
    third near, the rest below 70%."""
    x = r.random()
    if x < 0.5:
        return r.uniform(0.85, 1.0)
    if x < 0.85:
        return r.uniform(1.0, 1.3)
    return r.uniform(1.45, 1.8)


class _TargetsGenerator:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.w = ctx.writer
        self.now = ctx.now
        self.today = ctx.today
        self.years = [y for y in YEARS if dt.date(y + 1, 1, 10) <= ctx.today]
        self.indicators = ensure_catalogue()
        self.term, _ = Term.objects.get_or_create(
            start_year=2020, end_year=2025, defaults={"name": "2020–2025"}
        )
        w = self.w
        w.declare(
            Resolution,
            [
                "id",
                "unit_id",
                "number",
                "issued_on",
                "title",
                "kind",
                "term_id",
                "start_year",
                "end_year",
                "status",
                "ended_on",
                "end_decision_number",
                "end_decision_date",
                "end_decision_issuer",
                "replaced_by_id",
                "note",
                "created_at",
                "updated_at",
            ],
        )
        w.declare(
            Target,
            [
                "id",
                "resolution_id",
                "indicator_id",
                "unit_id",
                "position",
                "kind",
                "change_basis",
                "reduction_basis",
                "baseline_value",
                "baseline_year",
                "target_value",
                "target_value_high",
                "target_year",
                "note",
                "created_at",
                "updated_at",
            ],
        )
        w.declare(TargetMilestone, ["id", "target_id", "year", "value"])
        w.declare(
            DataValue,
            [
                "id",
                "indicator_id",
                "unit_id",
                "period",
                "period_kind",
                "period_start",
                "value",
                "numerator",
                "denominator",
                "source",
                "comment",
                "entered_by_id",
                "state",
                "returned_reason",
                "approved_by_id",
                "approved_at",
                "approved_level_id",
                "created_at",
                "updated_at",
            ],
        )
        w.declare(
            DataValueTransition,
            ["id", "value_id", "from_state", "to_state", "actor_id", "at", "reason", "figure"],
        )
        self.counts = {
            "resolutions": 0,
            "targets": 0,
            "milestones": 0,
            "data_values": 0,
            "value_transitions": 0,
        }

    # --- rows ---------------------------------------------------------------------------------

    def moment(self, day: dt.date, hour: int) -> dt.datetime:
        moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
        return min(moment, self.now)

    def report(
        self, r: random.Random, unit_id: int, level_id: int, year: int, figures: dict[str, object]
    ) -> None:
        """One unit's figures of one year: entered in January, submitted, approved."""
        w = self.w
        entered = dt.date(year + 1, 1, r.randint(10, 31))
        at = [self.moment(entered, 2), self.moment(entered + dt.timedelta(days=r.randint(0, 5)), 3)]
        at.append(self.moment(entered + dt.timedelta(days=r.randint(6, 40)), 8))
        start = dt.date(year, 1, 1)
        period = str(year)
        source = f"Báo cáo tình hình kinh tế - xã hội năm {year}"
        for code, figure in figures.items():
            if figure is None:
                continue
            indicator = self.indicators[code]
            if isinstance(figure, tuple):
                n, d = figure
                if not d:
                    continue
                value, numerator, denominator = ratio_value(n, d, indicator.decimals), n, d
            else:
                value, numerator, denominator = fixed(figure, indicator.decimals), None, None
            vid = w.next_id(DataValue)
            w.add(
                DataValue,
                (
                    vid,
                    indicator.pk,
                    unit_id,
                    period,
                    PeriodKind.YEAR,
                    start,
                    value,
                    numerator,
                    denominator,
                    source,
                    "",
                    None,
                    ValueState.APPROVED,
                    "",
                    None,
                    at[2],
                    level_id,
                    at[0],
                    at[2],
                ),
            )
            for before, after, moment in (
                ("", ValueState.DRAFT, at[0]),
                (ValueState.DRAFT, ValueState.SUBMITTED, at[1]),
                (ValueState.SUBMITTED, ValueState.APPROVED, at[2]),
            ):
                w.add(
                    DataValueTransition,
                    (w.next_id(DataValueTransition), vid, before, after, None, moment, "", value),
                )
            self.counts["data_values"] += 1
            self.counts["value_transitions"] += 3

    def resolution(
        self,
        *,
        unit_id: int,
        issued_on: dt.date,
        title: str,
        drafts: list[_Draft],
        ended: tuple[str, str] | None = None,
    ) -> None:
        """A congress resolution for 2020–2025 with its targets; `ended`: (merge decision
        number, note) for a commune closed by a merge."""
        w = self.w
        rid = w.next_id(Resolution)
        status, ended_on, number, decided, issuer, note = (
            ResolutionStatus.IN_FORCE,
            None,
            "",
            None,
            "",
            "",
        )
        if ended is not None:
            status, ended_on, decided = (
                ResolutionStatus.ENDED,
                data.REFORM_DATE,
                data.REFORM_DECISION_DATE,
            )
            number, note = ended
            issuer = "Ủy ban Thường vụ Quốc hội"
        w.add(
            Resolution,
            (
                rid,
                unit_id,
                RESOLUTION_NUMBER,
                issued_on,
                title,
                ResolutionKind.CONGRESS,
                self.term.pk,
                FIRST_YEAR,
                LAST_YEAR,
                status,
                ended_on,
                number,
                decided,
                issuer,
                None,
                note,
                self.now,
                self.now,
            ),
        )
        for position, draft in enumerate(drafts, start=1):
            tid = w.next_id(Target)
            indicator = self.indicators[draft.code]
            w.add(
                Target,
                (
                    tid,
                    rid,
                    indicator.pk,
                    unit_id,
                    position,
                    draft.kind,
                    draft.basis,
                    reduction_of(indicator, draft),
                    draft.baseline,
                    draft.baseline_year,
                    draft.target,
                    draft.high,
                    draft.year,
                    draft.note,
                    self.now,
                    self.now,
                ),
            )
            for year, value in sorted(draft.milestones.items()):
                w.add(TargetMilestone, (w.next_id(TargetMilestone), tid, year, value))
                self.counts["milestones"] += 1
        self.counts["resolutions"] += 1
        self.counts["targets"] += len(drafts)

    # --- one province ---------------------------------------------------------------------------

    def province(self, pi: int, communes: list[CommuneInfo]) -> None:
        ctx = self.ctx
        r = ctx.rng("targets", pi)
        province = ctx.tree.provinces[pi]
        region = REGIONS[province["region"]]
        cells = [ctx.tree.cells[i] for i in ctx.tree.cells_by_province[pi]]
        # Cells by the commune that held them before the reform.
        before: dict[int, list[CellInfo]] = {}
        for cell in cells:
            if len(cell.path_before) >= 2:
                before.setdefault(cell.path_before[-2], []).append(cell)

        def villages(cid: int) -> int:
            return sum(1 for c in before.get(cid, ()) if c.subtype in VILLAGE_SUBTYPES)

        series: dict[int, Series] = {}
        predecessors: dict[int, list[int]] = {}
        for commune in communes:
            if commune.valid_to is not None:  # a predecessor
                predecessors.setdefault(commune.successor, []).append(commune.id)
            if commune.valid_from <= dt.date(FIRST_YEAR, 1, 1):
                series[commune.id] = commune_series(r, region, commune.ward, villages(commune.id))
        successors = [c for c in communes if c.id in predecessors]
        for commune in successors:
            # The successor's 2025 is its predecessors' taken together; its rating is its own.
            merged = combine([series[p] for p in predecessors[commune.id]], YEARS.index(LAST_YEAR))
            merged["PAR-ORGS-GOOD"] = (1 if r.random() < 0.85 else 0, 1)
            series[commune.id] = {
                code: [None] * (len(YEARS) - 1) + [merged[code]] for code in ENTERED
            }

        # Figures: communes of 2020 report 2020–2024 (and 2025 unless merged), successors 2025.
        for commune in communes:
            s = series[commune.id]
            for i, year in enumerate(YEARS):
                if year not in self.years:
                    continue
                day = dt.date(year, 12, 31)
                if commune.valid_from > day or (
                    commune.valid_to is not None and commune.valid_to <= day
                ):
                    continue
                self.report(
                    r, commune.id, province["id"], year, {code: s[code][i] for code in ENTERED}
                )

        # The province's own figures and aggregates (what its targets are set from).
        def units_of(year: int) -> list[Series]:
            day = dt.date(year, 12, 31)
            return [
                series[c.id]
                for c in communes
                if c.valid_from <= day and (c.valid_to is None or c.valid_to > day)
            ]

        aggregates = {year: combine(units_of(year), YEARS.index(year)) for year in YEARS}
        for year in self.years:
            own = {code: aggregates[year][code] for code in PROVINCE_ENTERED}
            self.report(r, province["id"], ctx.tree.root_id, year, own)

        short = province["name"].replace("Thành phố ", "thành phố ").replace("Tỉnh ", "tỉnh ")
        self.resolution(
            unit_id=province["id"],
            issued_on=PROVINCE_CONGRESS,
            title=(
                f"Nghị quyết Đại hội đại biểu Đảng bộ {short} "
                f"lần thứ {roman(r.randint(15, 20))}, nhiệm kỳ 2020–2025"
            ),
            drafts=self.province_targets(r, aggregates, cells),
        )
        # Each commune's resolution of 2020.
        for commune in communes:
            if commune.valid_from > dt.date(FIRST_YEAR, 1, 1):
                continue
            issued = dt.date(2020, r.randint(4, 7), r.randint(1, 28))
            s = series[commune.id]
            village_cells = before.get(commune.id, [])
            drafts = self.commune_targets(r, s, commune, village_cells, issued)
            ended = None
            if commune.valid_to is not None:
                ended = (
                    commune.merge_decision,
                    f"Đảng bộ hợp nhất từ ngày {data.REFORM_DATE:%d/%m/%Y} "
                    f"theo Nghị quyết số {commune.merge_decision}",
                )
            self.resolution(
                unit_id=commune.id,
                issued_on=issued,
                drafts=drafts,
                ended=ended,
                title=(
                    f"Nghị quyết Đại hội {commune.name} "
                    f"lần thứ {roman(r.randint(18, 27))}, nhiệm kỳ 2020–2025"
                ),
            )

    # --- targets --------------------------------------------------------------------------------

    def _level(
        self,
        r,
        code: str,
        s_first,
        s_last,
        step: float,
        note: str,
        *,
        decimals: int = 0,
        cap: float | None = None,
        milestone: bool = False,
    ) -> _Draft | None:
        """A level to reach by 2025, from the 2025 figure and a drawn ambition."""
        if s_first is None or s_last is None:
            return None
        target = nice(s_last * ambition(r), step)
        if cap is not None:
            target = min(cap, target)
        baseline = fixed(s_first, self.indicators[code].decimals)
        draft = _Draft(
            code,
            TargetKind.LEVEL,
            fixed(target, decimals),
            baseline=baseline,
            baseline_year=FIRST_YEAR,
            note=note.format(t=vi_number(target, decimals)),
        )
        if milestone and float(draft.target) > s_first:
            draft.milestones[2023] = fixed(
                s_first + (float(draft.target) - s_first) * 0.6, decimals
            )
        return draft

    def _share(self, r, code: str, figure, note: str, step: float = 5.0) -> _Draft | None:
        """A share of counts to reach by 2025 (schools meeting the standard, cultural villages)."""
        value = share(figure)
        if value is None:
            return None
        target = min(100.0, nice(value * ambition(r), step))
        return _Draft(
            code, TargetKind.RATIO, fixed(target, 0), note=note.format(t=vi_number(target))
        )

    def _growth(self, r, growth: list[float]) -> _Draft:
        mean = sum(growth[1:]) / (len(growth) - 1)
        target = nice(max(mean, 3.0) * ambition(r), 0.5)
        return _Draft(
            "ECO-GROWTH",
            TargetKind.ANNUAL_CHANGE,
            fixed(target, 1),
            baseline=fixed(growth[0], 1),
            baseline_year=FIRST_YEAR,
            basis=ChangeBasis.RATE,
            note=f"Tốc độ tăng trưởng kinh tế bình quân đạt {vi_number(target, 1)}%/năm trở lên",
        )

    def province_targets(
        self, r, aggregates: dict[int, dict], cells: list[CellInfo]
    ) -> list[_Draft]:
        first, last = aggregates[FIRST_YEAR], aggregates[LAST_YEAR]
        drafts: list[_Draft | None] = [
            self._growth(r, [aggregates[y]["ECO-GROWTH"] for y in YEARS])
        ]
        drafts.append(
            self._level(
                r,
                "ECO-INCOME",
                first["ECO-INCOME"],
                last["ECO-INCOME"],
                1,
                "Thu nhập bình quân đầu người đạt {t} triệu đồng/năm",
                milestone=True,
            )
        )
        drafts.append(
            self._level(
                r,
                "ECO-PROD-VALUE",
                first["ECO-PROD-VALUE"],
                last["ECO-PROD-VALUE"],
                100,
                "Tổng giá trị sản xuất đạt {t} tỷ đồng",
            )
        )
        drafts.append(
            self._level(
                r,
                "ECO-GRAIN",
                first["ECO-GRAIN"],
                last["ECO-GRAIN"],
                1000,
                "Sản lượng lương thực có hạt đạt {t} tấn",
            )
        )
        drafts.append(
            self._level(
                r,
                "ECO-BUDGET",
                first["ECO-BUDGET"],
                last["ECO-BUDGET"],
                10,
                "Thu ngân sách trên địa bàn đạt {t} tỷ đồng",
            )
        )
        drafts.append(
            self._share(
                r,
                "ECO-NTM-COMMUNES",
                last["ECO-NTM-COMMUNES"],
                "{t}% số xã đạt chuẩn nông thôn mới",
            )
        )
        drafts.append(
            self._level(
                r,
                "ECO-HARD-ROADS",
                share(first["ECO-HARD-ROADS"]),
                share(last["ECO-HARD-ROADS"]),
                1,
                "{t}% thôn có đường giao thông được cứng hóa",
                cap=100,
            )
        )
        poor_first, poor_last = share(first["SOC-POOR"]), share(last["SOC-POOR"])
        if poor_first is not None and poor_last is not None:
            drop = nice(
                max(0.1, (poor_first - poor_last) / (LAST_YEAR - FIRST_YEAR)) * ambition(r), 0.1
            )
            drafts.append(
                _Draft(
                    "SOC-POOR",
                    TargetKind.ANNUAL_CHANGE,
                    fixed(drop, 1),
                    baseline=fixed(poor_first, 1),
                    baseline_year=FIRST_YEAR,
                    high=fixed(drop + 0.5, 1),
                    basis=ChangeBasis.POINTS,
                    note=(
                        f"Tỷ lệ hộ nghèo giảm bình quân "
                        f"{vi_number(drop, 1)}–{vi_number(drop + 0.5, 1)}%/năm"
                    ),
                )
            )
        drafts.append(
            self._share(r, "SOC-SCHOOLS", last["SOC-SCHOOLS"], "{t}% trường đạt chuẩn quốc gia")
        )
        drafts.append(
            self._share(
                r,
                "SOC-CULTURAL-VILLAGES",
                last["SOC-CULTURAL-VILLAGES"],
                "{t}% thôn, tổ dân phố đạt danh hiệu văn hóa",
            )
        )
        drafts.append(
            self._level(
                r,
                "SOC-LABOUR",
                first["SOC-LABOUR"],
                last["SOC-LABOUR"],
                1,
                "Tỷ lệ lao động qua đào tạo đạt {t}%",
                cap=90,
            )
        )
        drafts.append(
            self._level(
                r,
                "SOC-HEALTH-INS",
                first["SOC-HEALTH-INS"],
                last["SOC-HEALTH-INS"],
                0.5,
                "Tỷ lệ dân số tham gia bảo hiểm y tế đạt trên {t}%",
                decimals=1,
                cap=98.5,
            )
        )
        drafts.append(
            self._level(
                r,
                "ENV-FOREST",
                first["ENV-FOREST"],
                last["ENV-FOREST"],
                0.5,
                "Tỷ lệ che phủ rừng đạt {t}%",
                decimals=1,
                cap=100,
            )
        )
        good = share(last["PAR-ORGS-GOOD"]) or 80.0
        target = min(95.0, nice(good * ambition(r), 5))
        drafts.append(
            _Draft(
                "PAR-ORGS-GOOD",
                TargetKind.LEVEL,
                fixed(target, 0),
                note=(
                    f"Hằng năm trên {vi_number(target)}% tổ chức cơ sở đảng "
                    "hoàn thành tốt nhiệm vụ trở lên"
                ),
            )
        )
        expected = admissions_between(
            cells, PROVINCE_CONGRESS, dt.date(LAST_YEAR, 12, 31), self.today
        )
        if expected >= 1:
            target = nice(expected * ambition(r), 100 if expected > 2000 else 10)
            drafts.append(
                _Draft(
                    "PAR-ADMITTED",
                    TargetKind.CUMULATIVE,
                    fixed(target, 0),
                    note=f"Kết nạp {vi_number(target)} đảng viên mới trong nhiệm kỳ",
                )
            )
        drafts.append(
            _Draft(
                "PAR-VILLAGE-CELLS",
                TargetKind.LEVEL,
                Decimal(100),
                note="100% thôn, tổ dân phố có chi bộ",
            )
        )
        committees = r.choice([80, 85, 90, 95])
        drafts.append(
            _Draft(
                "PAR-CELL-COMMITTEES",
                TargetKind.LEVEL,
                Decimal(committees),
                note=f"Trên {committees}% chi bộ thôn, tổ dân phố có chi ủy",
            )
        )
        return [d for d in drafts if d is not None]

    def commune_targets(
        self, r, s: Series, commune: CommuneInfo, cells: list[CellInfo], issued: dt.date
    ) -> list[_Draft]:
        # A commune closed by a merge is reviewed on its last full year.
        last_i = YEARS.index(LAST_YEAR if commune.valid_to is None else commune.valid_to.year - 1)
        first_i = 0

        def at(code: str, i: int):
            return s[code][i]

        drafts: list[_Draft | None] = [
            self._growth(r, [at("ECO-GROWTH", i) for i in range(last_i + 1)])
        ]
        drafts.append(
            self._level(
                r,
                "ECO-INCOME",
                at("ECO-INCOME", first_i),
                at("ECO-INCOME", last_i),
                1,
                "Thu nhập bình quân đầu người đạt {t} triệu đồng/năm",
                milestone=True,
            )
        )
        if commune.ward:
            drafts.append(
                self._level(
                    r,
                    "ECO-BUDGET",
                    at("ECO-BUDGET", first_i),
                    at("ECO-BUDGET", last_i),
                    0.5,
                    "Thu ngân sách trên địa bàn đạt {t} tỷ đồng",
                    decimals=1,
                )
            )
        else:
            drafts.append(
                self._level(
                    r,
                    "ECO-GRAIN",
                    at("ECO-GRAIN", first_i),
                    at("ECO-GRAIN", last_i),
                    10,
                    "Sản lượng lương thực có hạt đạt {t} tấn",
                )
            )
            ntm = at("ECO-NTM-COMMUNES", first_i)
            if ntm is not None and not ntm[0]:
                drafts.append(
                    _Draft(
                        "ECO-NTM-COMMUNES",
                        TargetKind.RATIO,
                        Decimal(100),
                        note="Xã đạt chuẩn nông thôn mới",
                    )
                )
            drafts.append(
                self._level(
                    r,
                    "ENV-FOREST",
                    at("ENV-FOREST", first_i),
                    at("ENV-FOREST", last_i),
                    0.5,
                    "Tỷ lệ che phủ rừng đạt {t}%",
                    decimals=1,
                    cap=100,
                )
            )
        poor_first, poor_last = share(at("SOC-POOR", first_i)), share(at("SOC-POOR", last_i))
        if poor_first is not None and poor_last is not None and poor_first > 1:
            # "Poverty down to below x%": a reduction from the baseline, lower is better.
            target = max(0.5, nice(poor_first - (poor_first - poor_last) * ambition(r), 0.5))
            if target < poor_first:
                drafts.append(
                    _Draft(
                        "SOC-POOR",
                        TargetKind.LEVEL,
                        fixed(target, 1),
                        baseline=fixed(poor_first, 1),
                        baseline_year=FIRST_YEAR,
                        note=f"Tỷ lệ hộ nghèo giảm xuống dưới {vi_number(target, 1)}%",
                    )
                )
        drafts.append(
            self._level(
                r,
                "SOC-LABOUR",
                at("SOC-LABOUR", first_i),
                at("SOC-LABOUR", last_i),
                1,
                "Tỷ lệ lao động qua đào tạo đạt {t}%",
                cap=90,
            )
        )
        drafts.append(
            self._level(
                r,
                "SOC-HEALTH-INS",
                at("SOC-HEALTH-INS", first_i),
                at("SOC-HEALTH-INS", last_i),
                0.5,
                "Tỷ lệ dân số tham gia bảo hiểm y tế đạt trên {t}%",
                decimals=1,
                cap=98.5,
            )
        )
        drafts.append(
            self._share(
                r, "SOC-SCHOOLS", at("SOC-SCHOOLS", last_i), "{t}% trường đạt chuẩn quốc gia", 10
            )
        )
        drafts.append(
            self._share(
                r,
                "SOC-CULTURAL-VILLAGES",
                at("SOC-CULTURAL-VILLAGES", last_i),
                "{t}% thôn, tổ dân phố đạt danh hiệu văn hóa",
                10,
            )
        )
        drafts.append(
            self._level(
                r,
                "ENV-CLEAN-WATER",
                at("ENV-CLEAN-WATER", first_i),
                at("ENV-CLEAN-WATER", last_i),
                1,
                "{t}% dân cư sử dụng nước hợp vệ sinh",
                cap=100,
            )
        )
        drafts.append(
            _Draft(
                "DEF-RECRUIT",
                TargetKind.LEVEL,
                Decimal(100),
                note="Hoàn thành 100% chỉ tiêu tuyển quân hằng năm",
            )
        )
        end = dt.date(LAST_YEAR, 12, 31)
        expected = admissions_between(cells, issued, end, self.today)
        if expected >= 1:
            target = nice(expected * ambition(r), 5 if expected > 20 else 1)
            drafts.append(
                _Draft(
                    "PAR-ADMITTED",
                    TargetKind.CUMULATIVE,
                    fixed(target, 0),
                    note=f"Kết nạp {vi_number(target)} đảng viên mới trong nhiệm kỳ",
                )
            )
        drafts.append(
            _Draft(
                "PAR-VILLAGE-CELLS",
                TargetKind.LEVEL,
                Decimal(100),
                note="100% thôn, tổ dân phố có chi bộ",
            )
        )
        return [d for d in drafts if d is not None]


def ensure_catalogue() -> dict[str, Indicator]:
    """The demo's indicator catalogue, created where missing (bulk_create: no signals, so no
    audit entries, like every generated row)."""
    from grassroots.demo.targets_demo import CATALOGUE

    found = {i.code: i for i in Indicator.objects.all()}
    for (
        code,
        name_vi,
        name_en,
        group,
        measure,
        decimals,
        direction,
        aggregation,
        extra,
    ) in CATALOGUE:
        if code in found:
            continue
        fields = dict(extra)
        for name in ("weight", "numerator", "denominator"):
            if name in fields:
                fields[name] = found[fields[name]]
        indicator = Indicator(
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            group=group,
            measure_unit=measure,
            decimals=decimals,
            direction=direction,
            aggregation=aggregation,
            **fields,
        )
        Indicator.objects.bulk_create([indicator])
        found[code] = indicator
    return found


@generator_step("targets", order=40)
def generate_targets(ctx: Context) -> None:
    """Resolutions, targets and approved yearly figures, province by province."""
    gen = _TargetsGenerator(ctx)
    by_province: list[list[CommuneInfo]] = [[] for _ in ctx.tree.provinces]
    for commune in ctx.tree.communes:
        by_province[commune.province].append(commune)
    for pi, province in enumerate(ctx.tree.provinces):
        gen.province(pi, by_province[pi])
        ctx.progress(
            f"  targets: {province['name']} — {gen.counts['resolutions']:,} resolutions, "
            f"{gen.counts['targets']:,} targets, {gen.counts['data_values']:,} figures"
        )
    ctx.writer.flush_all()
    ctx.counts.update(gen.counts)
    ctx.counts["indicators"] = len(gen.indicators)
