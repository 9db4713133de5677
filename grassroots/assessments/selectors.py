"""Reads of the monthly self-assessments that pages, the API and other apps use.

`monthly_results` and `framework_for` are the interface the year-end review reads: one result
per month with its status, total, band and lateness, and the framework the unit registered
under for the year."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import BooleanField, Count, ExpressionWrapper, IntegerField, Min, Q, Sum
from django.db.models.functions import Cast, Power
from django.utils import timezone

from grassroots.core.access import Access, Action
from grassroots.organizations.models import Unit

from . import scoring
from .choices import MISSING, Status
from .models import Band, Framework, MonthlyAssessment, Registration
from .tallies import accepted_bands_below, months_below


class MonthResult(NamedTuple):
    """One month of a unit's year. `status` is "missing" when nothing was saved; `late` when it
    was first submitted after the deadline, or is still not submitted once the deadline has
    passed. `band` is the framework's band key (None without a total).

    A named tuple rather than a dataclass: a province's board builds one per unit and month
    (tens of thousands), and a tuple costs a fraction of a frozen dataclass to make."""

    month: int
    status: str
    total: Decimal | None
    band: str | None
    band_label: str
    late: bool
    deadline: dt.date | None = None
    assessment_id: int | None = None


def framework_for(*, unit: Unit, year: int) -> Framework | None:
    """The framework the unit registered under for the year, or None."""
    registration = (
        Registration.objects.filter(unit=unit, year=year).select_related("framework").first()
    )
    return registration.framework if registration else None


def _band_labels(framework_ids) -> dict[tuple[int, str], str]:
    bands = Band.objects.filter(framework_id__in=framework_ids)
    return {(b.framework_id, b.key): b.label for b in bands}


def _month_result(
    year: int, month: int, row: MonthlyAssessment | None, labels: dict, framework_id, today
) -> MonthResult:
    due = scoring.deadline(year, month)
    if row is None:
        return MonthResult(month, MISSING, None, None, "", today > due, due)
    late = row.late or (row.first_submitted_at is None and today > due)
    band = row.band_key or None
    return MonthResult(
        month,
        row.status,
        row.total,
        band,
        labels.get((framework_id, band), "") if band else "",
        late,
        due,
        row.pk,
    )


def monthly_results(*, unit: Unit, year: int, today: dt.date | None = None) -> list[MonthResult]:
    """The twelve months of the unit's year, one result each (months 1..12); every month is
    "missing" when the unit did not register."""
    today = today or timezone.localdate()
    registration = Registration.objects.filter(unit=unit, year=year).first()
    rows: dict[int, MonthlyAssessment] = {}
    labels: dict = {}
    framework_id = None
    if registration is not None:
        framework_id = registration.framework_id
        rows = {a.month: a for a in registration.assessments.all()}
        labels = _band_labels([framework_id])
    return [_month_result(year, m, rows.get(m), labels, framework_id, today) for m in range(1, 13)]


@dataclass(frozen=True)
class YearSummary:
    """What the twelve months give the year under the framework's rules: only accepted months
    count; the others are missing, counted as zero or left out as the framework says."""

    year: int
    value: Decimal | None
    band: str | None
    band_label: str
    accepted: int
    missing: int
    late: int
    months: list[MonthResult] = field(default_factory=list)


def year_summary(*, unit: Unit, year: int, today: dt.date | None = None) -> YearSummary | None:
    """The year's proposal from the months; None when the unit did not register."""
    framework = framework_for(unit=unit, year=year)
    if framework is None:
        return None
    months = monthly_results(unit=unit, year=year, today=today)
    totals = {m.month: m.total for m in months if m.status == Status.ACCEPTED}
    value = scoring.year_value(
        totals, missing_months=framework.missing_months, rule=framework.year_end_rule
    )
    bands = list(framework.bands.all())
    rules = [scoring.BandRule(b.key, b.min_total) for b in bands]
    band = scoring.band_for(rules, value)
    label = next((b.label for b in bands if band and b.key == band.key), "")
    return YearSummary(
        year,
        value,
        band.key if band else None,
        label,
        len(totals),
        12 - len(totals),
        sum(1 for m in months if m.late),
        months,
    )


class YearFigure(NamedTuple):
    """What `year_summary` gives the year-end review, without the months themselves."""

    value: Decimal | None
    band_label: str
    accepted: int


def year_figures(*, units, year: int) -> dict[int, YearFigure]:
    """`year_summary`'s figure, band and accepted months for many units at once (a unit id →
    its figure; a unit that did not register has none): one GROUP BY over the registrations of
    `units` (ids or a queryset of them) and their accepted months, whatever their number."""
    rows = (
        Registration.objects.filter(unit_id__in=units, year=year)
        .values_list(
            "unit_id", "framework_id", "framework__missing_months", "framework__year_end_rule"
        )
        .annotate(
            accepted=Count("assessments", filter=Q(assessments__status=Status.ACCEPTED)),
            total=Sum("assessments__total", filter=Q(assessments__status=Status.ACCEPTED)),
            lowest=Min("assessments__total", filter=Q(assessments__status=Status.ACCEPTED)),
        )
        .values_list(
            "unit_id",
            "framework_id",
            "framework__missing_months",
            "framework__year_end_rule",
            "accepted",
            "total",
            "lowest",
        )
        .order_by()
    )
    rows = list(rows)
    bands: dict[int, list[Band]] = defaultdict(list)
    for band in Band.objects.filter(framework_id__in={row[1] for row in rows}):
        bands[band.framework_id].append(band)
    rules = {
        framework_id: [scoring.BandRule(b.key, b.min_total) for b in framework_bands]
        for framework_id, framework_bands in bands.items()
    }
    labels: dict[tuple[int, Decimal | None], str] = {}  # thousands of units share a few values
    out: dict[int, YearFigure] = {}
    for unit_id, framework_id, missing, rule, accepted, total, lowest in rows:
        value = scoring.year_value_of(accepted, total, lowest, missing_months=missing, rule=rule)
        key = (framework_id, value)
        if key not in labels:
            band = scoring.band_for(rules.get(framework_id, []), value)
            labels[key] = next(
                (b.label for b in bands[framework_id] if band and b.key == band.key), ""
            )
        out[unit_id] = YearFigure(value, labels[key], accepted)
    return out


def _framework_totals(framework_ids) -> dict[int, Decimal]:
    from django.db.models import Sum

    from .models import CriterionGroup

    rows = (
        CriterionGroup.objects.filter(framework_id__in=framework_ids)
        .values("framework_id")
        .annotate(total=Sum("max_points"))
    )
    return {r["framework_id"]: r["total"] for r in rows}


# --- pages ------------------------------------------------------------------------------------


def review_queue(*, user):
    """Submitted months waiting for this user as the level above: months of units whose parent
    the user may change (a cell's months go to its commune's committee)."""
    paths = Access.of(user).paths(Action.CHANGE)
    rows = MonthlyAssessment.objects.filter(status=Status.SUBMITTED).select_related(
        "registration__unit", "registration__framework"
    )
    if paths is None:
        return rows.order_by("submitted_at", "id")
    if not paths:
        return rows.none()
    q = Q(pk__in=[])
    for path in paths:
        # Under a subtree the user changes, but not the top unit itself (its level above is
        # higher up).
        q |= Q(registration__unit__path__startswith=path) & ~Q(registration__unit__path=path)
    return rows.filter(q).order_by("submitted_at", "id")


def may_review(user, unit: Unit) -> bool:
    """Whether the user is the level above the unit: may change its parent."""
    parent_path = unit.path[: unit.path.rstrip("/").rfind("/") + 1]
    if not parent_path.strip("/"):
        return Access.of(user).is_everywhere
    return Access.of(user).may(Action.CHANGE, parent_path)


@dataclass(frozen=True)
class Sparkline:
    """A unit's trend over the accepted months: SVG polyline points and the same as text."""

    points: str
    text: str


def _trend_point(i: int, value: Decimal, top: Decimal, *, step: float, height: int):
    """The point of the i-th month in the SVG and the same as text."""
    y = height - 2 - float(value / top) * (height - 4)
    return f"{2 + i * step:.1f},{y:.1f}", f"{i + 1:02d}: {value}"


def _join_points(parts: list[tuple[str, str]]) -> Sparkline:
    return Sparkline(" ".join(p for p, _t in parts), ", ".join(t for _p, t in parts))


def sparkline(values: list[Decimal | None], *, top: Decimal, width: int = 96, height: int = 28):
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2 or not top:
        return Sparkline("", "")
    step = (width - 4) / (len(values) - 1)
    return _join_points([_trend_point(i, v, top, step=step, height=height) for i, v in known])


class BoardUnit(NamedTuple):
    """The few columns of a unit that a board row shows (its name, its code for the export,
    its id for the links)."""

    pk: int
    code: str
    name: str
    path: str

    @property
    def id(self) -> int:
        return self.pk


class BoardRow(NamedTuple):
    unit: BoardUnit
    registration_id: int
    months: list[MonthResult]
    submitted: int
    trend: Sparkline


class SubtreeMonth(NamedTuple):
    """One month of a subtree's units, summed: how many registered, filed (submitted or
    accepted) and accepted, the accepted months' average total and most frequent band, how many
    were filed late, and how many are overdue (not filed once the deadline has passed)."""

    month: int
    registered: int
    filed: int
    accepted: int
    average: Decimal | None
    band: str | None
    band_label: str
    late: int
    overdue: int


class SubtreeRow(NamedTuple):
    """A child of the board's unit with registered units below it: their months, summed (the
    child's own months are its row among `Board.rows`)."""

    unit: BoardUnit
    registered: int
    months: list[SubtreeMonth]
    trend: Sparkline

    @property
    def overdue(self) -> int:
        return sum(m.overdue for m in self.months)


class BoardRows(Sequence):
    """The board's units one by one, each row built when asked for: a page of a province's
    two thousand units reads those units' months only. Iterating builds every row (the
    workbook), a slice at a time."""

    CHUNK = 500

    def __init__(self, registrations: list[tuple], build) -> None:
        self.registrations = registrations
        self._build = build

    def __len__(self) -> int:
        return len(self.registrations)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self.registrations[index])
        return self._build([self.registrations[index]])[0]

    def __iter__(self):
        for start in range(0, len(self.registrations), self.CHUNK):
            yield from self._build(self.registrations[start : start + self.CHUNK])


class OverdueBelow(NamedTuple):
    """A child whose units below have months not filed past their deadline."""

    unit: BoardUnit
    overdue: int


class SubtreeRows(Sequence):
    """The children's summed rows, each built when asked for (its averages, bands and trend):
    a page of a province's communes builds those communes only. What is overdue below each
    child is counted from the tallies without building the rows."""

    def __init__(self, found: list[tuple], build, past: set[int]) -> None:
        self.found = found  # (unit, registered, {month: tally})
        self._build = build
        self.past = past

    def __len__(self) -> int:
        return len(self.found)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._build(row) for row in self.found[index]]
        return self._build(self.found[index])

    def __iter__(self):
        return (self._build(row) for row in self.found)

    def overdue(self) -> list[OverdueBelow]:
        out = []
        for board_unit, registered, months in self.found:
            n = sum(registered - months.get(m, (0, 0))[1] for m in self.past)
            if n:
                out.append(OverdueBelow(board_unit, n))
        return out


@dataclass
class Board:
    """A unit's board for a year: a row per registered unit among the unit and its children
    (`rows`, each unit's own months, built a page at a time), and a row per child with
    registered units below it (`subtrees`, those units summed from the tallies): a province
    shows its communes, never its tens of thousands of cells; a commune its cells."""

    unit: Unit
    year: int
    rows: Sequence[BoardRow]
    not_submitted: list[tuple[BoardUnit, list[int]]]
    band_counts: dict[str, int]
    subtrees: Sequence[SubtreeRow] = field(default_factory=list)
    own: BoardRow | None = None

    @property
    def overdue_below(self) -> list[OverdueBelow]:
        """The children whose units below have months overdue."""
        if isinstance(self.subtrees, SubtreeRows):
            return self.subtrees.overdue()
        return [OverdueBelow(row.unit, row.overdue) for row in self.subtrees if row.overdue]


MONTHS = range(1, 13)
_SUBMITTED = frozenset((Status.SUBMITTED.value, Status.ACCEPTED.value))


class _Trends:
    """`sparkline` over the twelve months of many units of one framework: the same strings, with
    each month's point formatted once per (month, total) rather than once per unit. Totals are
    read from one decimal column, so equal totals share their exponent and print alike."""

    width, height = 96, 28

    def __init__(self, top: Decimal) -> None:
        self.top = top
        self.step = (self.width - 4) / 11
        self.points: dict[tuple[int, Decimal], tuple[str, str]] = {}

    def __call__(self, known: list[tuple[int, Decimal]]) -> Sparkline:
        if len(known) < 2 or not self.top:
            return Sparkline("", "")
        points = self.points
        parts = [points.get(key) or self._point(key) for key in known]
        return Sparkline(" ".join([p for p, _t in parts]), ", ".join([t for _p, t in parts]))

    def _point(self, key: tuple[int, Decimal]) -> tuple[str, str]:
        i, value = key
        point = self.points[key] = _trend_point(
            i, value, self.top, step=self.step, height=self.height
        )
        return point


def board(*, unit: Unit, year: int, user, today: dt.date | None = None) -> Board:
    """Months × units under `unit`: the registered units among the unit and its children that
    the user may see, each month's total and band, who has not submitted the months past their
    deadline, each unit's trend; and for each child with registered units below it, those
    units' months summed (`Board.subtrees`, from the tallies). The legend counts the bands of
    the accepted months of the whole subtree.

    A fixed number of queries whatever the size of the subtree, and rows read in proportion to
    the unit's children, not to its subtree: the registrations, the months filed of each (one
    number per unit: who has not submitted), the tallies of the children, the bands; the rows
    of units are built when asked for (`BoardRows`: a page reads its units' months). Only the
    columns the board shows are read, as plain tuples (no model instances)."""
    today = today or timezone.localdate()
    on_board = Registration.objects.visible_to(user).filter(
        year=year, unit__path__startswith=unit.path, unit__depth__lte=unit.depth + 1
    )
    registrations = list(
        on_board.order_by("unit__path").values_list(
            "pk", "framework_id", "unit_id", "unit__code", "unit__name", "unit__path"
        )
    )
    deadlines = {m: scoring.deadline(year, m) for m in MONTHS}
    past = {m for m in MONTHS if today > deadlines[m]}
    subtrees, used = _subtrees(unit, year, user, [r[1] for r in registrations])
    framework_ids = set(used)
    labels_by_framework: dict[int, dict[str, str]] = defaultdict(dict)
    band_labels = _band_labels(framework_ids)
    for (framework_id, key), label in band_labels.items():
        labels_by_framework[framework_id][key] = label
    tops = _framework_totals(framework_ids)
    build = _RowBuilder(user, year, past, deadlines, labels_by_framework, tops)
    rows = BoardRows(registrations, build)
    own = next((build([r])[0] for r in registrations if r[2] == unit.pk), None)

    # Who has not submitted: the months past their deadline that each unit has not filed, from
    # one number per unit (its filed months as bits).
    # (The registrations as a subquery: thousands of ids as parameters cost more to send.)
    filed = _filed_months(on_board.order_by().values("pk")) if past else {}
    not_submitted = []
    for pk, _f, unit_id, code, name, path in registrations:
        overdue = [m for m in sorted(past) if not filed.get(pk, 0) & (1 << m)]
        if overdue:
            not_submitted.append((BoardUnit(unit_id, code, name, path), overdue))

    labels = {key: label for (_f, key), label in band_labels.items()}
    main = used[0] if used else None
    bands = _BandOf(
        sorted(((b.min_total, b.key) for b in Band.objects.filter(framework_id=main)), reverse=True)
    )
    counts: dict[str, int] = defaultdict(int)
    for band, n in sorted(accepted_bands_below(unit.pk, year).items()):
        counts[labels.get(band) or band] += n
    if own is not None:  # the unit's own months (its tally holds those of the units below it)
        for m in own.months:
            if m.status == Status.ACCEPTED and m.band:
                counts[m.band_label or m.band] += 1
    top = max(tops.values(), default=None) or Decimal(100)
    trend = _Trends(top)
    return Board(
        unit,
        year,
        rows,
        not_submitted,
        dict(counts),
        SubtreeRows(subtrees, lambda row: _subtree_row(row, labels, bands, past, trend), past),
        own,
    )


def _filed_months(registration_ids) -> dict[int, int]:
    """{registration: its months submitted or accepted, as bits (1 << month)}."""
    bit = Cast(Power(2, "month"), IntegerField())
    return dict(
        MonthlyAssessment.objects.filter(
            registration_id__in=registration_ids, status__in=sorted(_SUBMITTED)
        )
        .order_by()
        .values("registration_id")
        .annotate(bits=Sum(bit))
        .values_list("registration_id", "bits")
    )


class _RowBuilder:
    """Builds the rows of some registrations: their months (one query), each month's result
    and each unit's trend."""

    def __init__(self, user, year, past, deadlines, labels_by_framework, tops) -> None:
        self.user, self.year, self.past, self.deadlines = user, year, past, deadlines
        self.labels_by_framework, self.tops = labels_by_framework, tops
        self.trends: dict[int, _Trends] = {}
        # A month with nothing saved is the same for every unit.
        self.missing = {
            m: MonthResult(m, MISSING, None, None, "", m in past, deadlines[m], None)
            for m in MONTHS
        }

    def __call__(self, registrations: list[tuple]) -> list[BoardRow]:
        if not registrations:
            return []
        past, deadlines = self.past, self.deadlines
        # Late: first submitted after the deadline, or still not submitted once it has passed.
        late = Q(late=True)
        if past:
            late |= Q(first_submitted_at__isnull=True, month__in=sorted(past))
        rows_by_registration: dict[int, dict[int, tuple]] = defaultdict(dict)
        for row in (
            MonthlyAssessment.objects.visible_to(self.user)
            .filter(registration_id__in=[r[0] for r in registrations])
            .annotate(is_late=ExpressionWrapper(late, output_field=BooleanField()))
            .order_by()
            .values_list("registration_id", "month", "pk", "status", "total", "band_key", "is_late")
        ):
            rows_by_registration[row[0]][row[1]] = row
        new = tuple.__new__
        accepted, submitted_status, missing = Status.ACCEPTED.value, _SUBMITTED, self.missing
        rows: list[BoardRow] = []
        for pk, framework_id, unit_id, code, name, path in registrations:
            found = rows_by_registration.get(pk, {})
            labels = self.labels_by_framework.get(framework_id, {})
            months: list[MonthResult] = []
            known: list[tuple[int, Decimal]] = []
            submitted = 0
            for m in MONTHS:
                row = found.get(m)
                if row is None:
                    months.append(missing[m])
                    continue
                _r, _m, assessment_id, status, total, band, is_late = row
                band = band or None
                label = labels.get(band, "") if band else ""
                months.append(
                    new(
                        MonthResult,
                        (m, status, total, band, label, bool(is_late), deadlines[m], assessment_id),
                    )
                )
                if status in submitted_status:
                    submitted += 1
                    if status == accepted:
                        known.append((m - 1, total))
            trend = self.trends.get(framework_id)
            if trend is None:
                top = self.tops.get(framework_id) or Decimal(100)
                trend = self.trends[framework_id] = _Trends(top)
            board_unit = BoardUnit(unit_id, code, name, path)
            rows.append(new(BoardRow, (board_unit, pk, months, submitted, trend(known))))
        return rows


def _subtrees(unit: Unit, year: int, user, on_board: list[int]):
    """The children of `unit` the user may see with registered units below them, each with the
    months of those units summed; and the frameworks the board names bands from, the most used
    first (whose bands name the children's averages): those of every registered unit in the
    unit's subtree when some are below its children, else those of the units on the board
    (`on_board`: the unit and its children)."""
    visible = Unit.objects.visible_to(user).filter(parent=unit)
    children = list(visible.order_by("path").values_list("pk", "code", "name", "path"))
    # (The children as a subquery: thousands of ids as parameters cost more to send.)
    found = months_below(visible.order_by().values("pk"), year)
    rows = []
    for pk, code, name, path in children:
        months = found.get(pk, {})
        registered = months.get(0, (0,))[0]
        if registered:
            rows.append((BoardUnit(pk, code, name, path), registered, months))
    counted = Counter(on_board)
    if rows:
        # Counted from the index by (unit, year), which holds the framework: no row is read.
        counted = Counter(
            dict(
                Registration.objects.filter(year=year, unit__path__startswith=unit.path)
                .order_by()
                .values("framework_id")
                .annotate(n=Count("*"))
                .values_list("framework_id", "n")
            )
        )
    return rows, sorted(counted, key=lambda f: (-counted[f], f))


class _BandOf(dict):
    """The band of the most used framework that an average total reaches (its group minimums
    are the units' own, not the average's), remembered per average: a province's communes share
    a few hundred averages between thousands of months."""

    def __init__(self, bands: list[tuple[Decimal, str]]) -> None:
        super().__init__()
        self.bands = bands

    def __missing__(self, average: Decimal) -> str | None:
        band = self[average] = next((k for minimum, k in self.bands if average >= minimum), None)
        return band


def _subtree_row(row, labels, bands: _BandOf, past: set[int], trend: _Trends) -> SubtreeRow:
    board_unit, registered, found = row
    months = []
    known: list[tuple[int, Decimal]] = []
    for m in MONTHS:
        _n, filed, accepted, total, late = found.get(m, (0, 0, 0, 0, 0))
        average = band = None
        if accepted:
            average = (Decimal(f"{total:.2f}") / accepted).quantize(Decimal("0.1"))
            known.append((m - 1, average))
            band = bands[average]
        months.append(
            SubtreeMonth(
                m,
                registered,
                filed,
                accepted,
                average,
                band,
                labels.get(band, "") if band else "",
                late,
                registered - filed if m in past else 0,
            )
        )
    return SubtreeRow(board_unit, registered, months, trend(known))
