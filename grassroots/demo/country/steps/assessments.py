"""Step 50: the "4 good" model — each province's framework and its units' monthly
self-assessments.

- Each province issues one framework for its cells and grassroots organizations, with the groups,
  criteria and bands of the demo framework (Guideline 05-HD/BTCTU of Quảng Ninh), published.
- Every cell, grassroots cell and grassroots organization open in a year registers for the
  previous year and the current one (a unit closed or opened by the merges of 1 July 2025
  registers for the months it existed).
- Each registered unit has one self-assessment per month up to the month before `ctx.today`:
  four group scores drawn around the unit's own level, the total, the groups below their
  minimum and the band the framework gives; mostly submitted by the deadline and accepted by
  the level above, some late, some still waiting for the review, a few returned, a few months
  never filed, and the last month still a draft.

Per-criterion scores, evidence files and review steps are not written: the boards, the year's
summary and the classification read the month's total, band, status and lateness, which are
kept on the month itself. Everything is drawn from one random stream per province.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.utils import timezone

from grassroots.assessments import scoring
from grassroots.assessments.choices import MissingMonths, Status, YearEndRule
from grassroots.assessments.demo import BANDS, GROUPS, NOTES
from grassroots.assessments.models import (
    Band,
    Criterion,
    CriterionGroup,
    Framework,
    MonthlyAssessment,
    Registration,
)
from grassroots.assessments.suggestions import is_known
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit

from ..registry import Context, generator_step

GUIDELINE_NUMBER = "05-HD/BTCTU"
GUIDELINE_DATE = dt.date(2024, 5, 19)
REGISTERED_KINDS = (UnitKind.CELL, UnitKind.GRASSROOTS_CELL, UnitKind.GRASSROOTS)
RETURN_REASON = "Đề nghị bổ sung biên bản sinh hoạt làm minh chứng cho tiêu chí 2.1."


def assessment_years(today: dt.date) -> list[int]:
    """The years the units register for: the previous one and the current one."""
    return [today.year - 1, today.year]


def last_month(today: dt.date) -> tuple[int, int]:
    """The month before `today`'s: the last month a self-assessment exists for."""
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


class _Frameworks:
    """Writes one province's framework; keeps what the months need (group ids and limits,
    bands)."""

    def __init__(self, ctx: Context):
        w = self.w = ctx.writer
        w.declare(
            Framework,
            [
                "id",
                "code",
                "version",
                "name",
                "issuing_unit_id",
                "guideline_number",
                "guideline_date",
                "unit_kinds",
                "missing_months",
                "year_end_rule",
                "published_on",
                "previous_id",
            ],
        )
        w.declare(
            CriterionGroup,
            [
                "id",
                "framework_id",
                "order",
                "code",
                "name_vi",
                "name_en",
                "max_points",
                "min_points",
            ],
        )
        w.declare(
            Criterion,
            [
                "id",
                "group_id",
                "registration_id",
                "order",
                "code",
                "text_vi",
                "text_en",
                "max_points",
                "scoring",
                "scale_steps",
                "suggester",
            ],
        )
        w.declare(
            Band,
            [
                "id",
                "framework_id",
                "key",
                "label_vi",
                "label_en",
                "min_total",
                "requires_group_minimums",
            ],
        )

    def write(self, province: dict, index: int):
        w = self.w
        fid = w.next_id(Framework)
        w.add(
            Framework,
            (
                fid,
                f"p{index + 1:02d}-4tot",
                1,
                f'Khung tiêu chí chi bộ "4 tốt", đảng bộ cơ sở "4 tốt" ({province["name"]})',
                province["id"],
                GUIDELINE_NUMBER,
                GUIDELINE_DATE,
                json.dumps([str(k) for k in REGISTERED_KINDS]),
                MissingMonths.ZERO,
                YearEndRule.AVERAGE,
                GUIDELINE_DATE,
                None,
            ),
        )
        groups = []
        for g_order, (g_code, vi, en, maximum, minimum, criteria) in enumerate(GROUPS, start=1):
            gid = w.next_id(CriterionGroup)
            w.add(
                CriterionGroup,
                (gid, fid, g_order, g_code, vi, en, Decimal(maximum), Decimal(minimum)),
            )
            groups.append(scoring.GroupLimits(gid, Decimal(maximum), Decimal(minimum)))
            for c_order, (c_code, c_vi, c_en, c_max, how, suggester) in enumerate(criteria, 1):
                w.add(
                    Criterion,
                    (
                        w.next_id(Criterion),
                        gid,
                        None,
                        c_order,
                        c_code,
                        c_vi,
                        c_en,
                        Decimal(c_max),
                        how,
                        4,
                        suggester if is_known(suggester) else "",
                    ),
                )
        bands = []
        for key, vi, en, minimum, needs in BANDS:
            w.add(Band, (w.next_id(Band), fid, key, vi, en, Decimal(minimum), needs))
            bands.append(scoring.BandRule(key, Decimal(minimum), needs))
        return fid, groups, bands


def _units(province_path: str) -> list[tuple]:
    """The province's units that register: (id, code, valid_from, valid_to), by code."""
    return list(
        Unit.objects.filter(path__startswith=province_path, kind__in=REGISTERED_KINDS)
        .order_by("code")
        .values_list("id", "code", "valid_from", "valid_to")
    )


def _months_of(year: int, valid_from: dt.date, valid_to: dt.date | None, last) -> range:
    """The months of `year` the unit existed in, up to `last` (year, month)."""
    first_month = 1 if valid_from.year < year else valid_from.month
    end_month = 12
    if valid_to is not None and valid_to.year == year:
        end_month = valid_to.month
    if year == last[0]:
        end_month = min(end_month, last[1])
    elif year > last[0]:
        return range(0)
    return range(first_month, end_month + 1)


@generator_step("assessments", order=50)
def generate_assessments(ctx: Context) -> None:
    w = ctx.writer
    frameworks = _Frameworks(ctx)
    w.declare(Registration, ["id", "unit_id", "year", "framework_id", "registered_on", "note"])
    w.declare(
        MonthlyAssessment,
        [
            "id",
            "registration_id",
            "month",
            "status",
            "total",
            "band_key",
            "groups_below_minimum",
            "note",
            "first_submitted_at",
            "submitted_at",
            "late",
            "reviewed_at",
            "reviewed_by_id",
            "reason",
        ],
    )
    today = ctx.today
    now = ctx.now
    years = assessment_years(today)
    last = last_month(today)
    counts = {"frameworks": 0, "registrations": 0, "months": 0, "missing": 0}
    for pi, province in enumerate(ctx.tree.provinces):
        r = ctx.rng("assessments", pi)
        fid, groups, bands = frameworks.write(province, pi)
        months_of_framework = _Months(groups, bands, last, now)
        counts["frameworks"] += 1
        path = "/" + "/".join(map(str, province["path"])) + "/"
        for uid, _code, valid_from, valid_to in _units(path):
            # Each unit has its own level (strong, middling, weaker) and diligence.
            level = r.choice((0.93, 0.86, 0.86, 0.78, 0.68))
            careless = r.random() < 0.12
            for year in years:
                if valid_from > dt.date(year, 12, 31) or (
                    valid_to is not None and valid_to < dt.date(year, 1, 1)
                ):
                    continue
                months = _months_of(year, valid_from, valid_to, last)
                if not months:
                    continue
                rid = w.next_id(Registration)
                registered = max(dt.date(year, 1, 15), valid_from)
                w.add(Registration, (rid, uid, year, fid, registered, ""))
                counts["registrations"] += 1
                for month in months:
                    row = _month(r, rid, year, month, level, careless, months_of_framework)
                    if row is None:
                        counts["missing"] += 1
                        continue
                    w.add(MonthlyAssessment, (w.next_id(MonthlyAssessment), *row))
                    counts["months"] += 1
        ctx.progress(f"  assessments: {province['name']} — {counts['months']:,} months so far")
    ctx.counts.update(
        {
            "assessment_frameworks": counts["frameworks"],
            "assessment_registrations": counts["registrations"],
            "assessment_months": counts["months"],
            "assessment_months_missing": counts["missing"],
        }
    )


class _Months:
    """What every month of a framework needs, computed once: the groups' limits in quarter
    points, the bands from the top, the deadlines and the totals as decimals."""

    def __init__(self, groups, bands, last, now):
        self.groups = [(g.id, int(g.max_points * 4), int((g.min_points or 0) * 4)) for g in groups]
        self.bands = sorted(bands, key=lambda b: b.min_total, reverse=True)
        self.last, self.now = last, now
        self.decimals = [Decimal(q) / 4 for q in range(4 * 200 + 1)]
        self.deadlines: dict[tuple[int, int], dt.date] = {}
        self.tz = timezone.get_current_timezone()

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, tzinfo=self.tz)

    def band(self, total: Decimal, below: bool) -> str:
        for band in self.bands:
            if total >= band.min_total and not (band.requires_group_minimums and below):
                return band.key
        return ""

    def deadline(self, year: int, month: int) -> dt.date:
        key = (year, month)
        if key not in self.deadlines:
            self.deadlines[key] = scoring.deadline(year, month)
        return self.deadlines[key]


def _month(r, rid, year, month, level, careless, ms: _Months):
    """One month's row (after its id), or None for a month never filed."""
    last, now = ms.last, ms.now
    is_last = (year, month) == last
    if r.random() < (0.06 if careless else 0.015) and not is_last:
        return None
    quarters = 0
    below = []
    gauss = r.gauss
    for gid, maximum, minimum in ms.groups:
        share = gauss(level, 0.07)
        points = min(maximum, max(int(maximum * 0.3), round(maximum * share)))
        quarters += points
        if points < minimum:
            below.append(gid)
    total = ms.decimals[quarters]
    band = ms.band(total, bool(below))
    rand = r.random
    note = NOTES[int(rand() * len(NOTES))]
    due = ms.deadline(year, month)
    base = (total, band, json.dumps(below) if below else "[]", note)
    if is_last:
        # The month just ended: mostly still a draft, some already submitted.
        if rand() < 0.25:
            submitted = min(ms.at(due - dt.timedelta(days=1 + int(rand() * 6)), 15), now)
            return (
                rid,
                month,
                Status.SUBMITTED,
                *base,
                submitted,
                submitted,
                False,
                None,
                None,
                "",
            )
        return (rid, month, Status.DRAFT, *base, None, None, False, None, None, "")
    late = rand() < (0.25 if careless else 0.06)
    shift = 1 + int(rand() * 20) if late else -int(rand() * 9)
    submitted = min(ms.at(due + dt.timedelta(days=shift), 16), now)
    # The month before the last: its deadline has just passed, the review may still be due.
    recent = (year, month + 1) == last or ((year + 1, 1) == last and month == 12)
    roll = rand()
    accepted, waiting = (0.6, 0.95) if recent else (0.955, 0.985)
    status = (
        Status.ACCEPTED if roll < accepted else Status.SUBMITTED if roll < waiting else "returned"
    )
    reviewed = None
    reason = ""
    if status != Status.SUBMITTED:
        reviewed = min(
            submitted + dt.timedelta(days=1 + int(rand() * 10), hours=int(rand() * 6)), now
        )
    if status == "returned":
        status, reason = Status.RETURNED, RETURN_REASON
    return (rid, month, status, *base, submitted, submitted, late, reviewed, None, reason)
