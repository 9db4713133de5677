"""Reads of the monthly self-assessments that pages, the API and other apps use.

`monthly_results` and `framework_for` are the interface the year-end review reads: one result
per month with its status, total, band and lateness, and the framework the unit registered
under for the year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from grassroots.core.access import Access, Action
from grassroots.organizations.models import Unit

from . import scoring
from .choices import MISSING, Status
from .models import Band, Framework, MonthlyAssessment, Registration


@dataclass(frozen=True)
class MonthResult:
    """One month of a unit's year. `status` is "missing" when nothing was saved; `late` when it
    was first submitted after the deadline, or is still not submitted once the deadline has
    passed. `band` is the framework's band key (None without a total)."""

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


def sparkline(values: list[Decimal | None], *, top: Decimal, width: int = 96, height: int = 28):
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(known) < 2 or not top:
        return Sparkline("", "")
    step = (width - 4) / (len(values) - 1)
    points = " ".join(
        f"{2 + i * step:.1f},{height - 2 - float(v / top) * (height - 4):.1f}" for i, v in known
    )
    return Sparkline(points, ", ".join(f"{i + 1:02d}: {v}" for i, v in known))


@dataclass
class BoardRow:
    unit: Unit
    registration: Registration | None
    months: list[MonthResult]
    submitted: int
    trend: Sparkline


@dataclass
class Board:
    unit: Unit
    year: int
    rows: list[BoardRow]
    not_submitted: list[tuple[Unit, list[int]]]
    band_counts: dict[str, int]


def board(*, unit: Unit, year: int, user, today: dt.date | None = None) -> Board:
    """Months × units under `unit` (the registered units of its subtree the user may see): each
    cell's total and band, who has not submitted the months past their deadline, each unit's
    trend. A fixed number of queries whatever the size of the subtree."""
    today = today or timezone.localdate()
    registrations = list(
        Registration.objects.visible_to(user)
        .filter(year=year, unit__path__startswith=unit.path)
        .select_related("unit")
        .prefetch_related(Prefetch("assessments", queryset=MonthlyAssessment.objects.all()))
        .order_by("unit__path")
    )
    framework_ids = {r.framework_id for r in registrations}
    labels = _band_labels(framework_ids)
    tops = _framework_totals(framework_ids)
    rows: list[BoardRow] = []
    not_submitted: list[tuple[Unit, list[int]]] = []
    counts: dict[str, int] = defaultdict(int)
    for registration in registrations:
        by_month = {a.month: a for a in registration.assessments.all()}
        months = [
            _month_result(year, m, by_month.get(m), labels, registration.framework_id, today)
            for m in range(1, 13)
        ]
        submitted = sum(1 for m in months if m.status in (Status.SUBMITTED, Status.ACCEPTED))
        rows.append(
            BoardRow(
                registration.unit,
                registration,
                months,
                submitted,
                sparkline(
                    [m.total if m.status == Status.ACCEPTED else None for m in months],
                    top=tops.get(registration.framework_id) or Decimal(100),
                ),
            )
        )
        overdue = [
            m.month
            for m in months
            if m.status not in (Status.SUBMITTED, Status.ACCEPTED) and m.deadline < today
        ]
        if overdue:
            not_submitted.append((registration.unit, overdue))
        for m in months:
            if m.band and m.status == Status.ACCEPTED:
                counts[m.band_label or m.band] += 1
    return Board(unit, year, rows, not_submitted, dict(counts))
