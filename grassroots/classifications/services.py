"""Writes of the year-end review and classification. Each service: keyword-only arguments,
the acting user passed in, one transaction, validation before saving, a ValidationError naming
the field on failure and nothing written then.

- `review_open`: a committee's review of a year, under the rule set in force for that year,
  whose values it keeps (a later correction of the set never changes it).
- `review_compute` / `classifications_compute`: read the records (admission, exemption,
  suspension, leave, discipline, the leadership's and subordinate units' discipline, last
  year's level) and write what the rules give. A re-run changes only what the computation
  owns, never a self-review, a proposal or a decision.
- `classification_step`: a self-review or a proposal, checked against the rules.
- `classifications_decide`: the competent committee's decision, with the quota of
  "excellent" checked over its scope at that moment and an exception only from the committee
  above, recorded with its reason.
- `review_publish`: the decided results made public to the unit.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.core.access import Access, Action
from grassroots.core.audit import acting_as, record_created
from grassroots.core.bulk import BulkWriter
from grassroots.core.querysets import in_subtree
from grassroots.members.choices import IntervalStatus
from grassroots.members.models import Member, Membership
from grassroots.organizations.choices import CELL_KINDS, UnitKind
from grassroots.organizations.models import Unit

from .choices import (
    LEVEL_RANK,
    CircumstanceKind,
    FormCode,
    Level,
    StepKind,
    Subject,
)
from .facts import (
    MemberRecords,
    collective_facts,
    member_facts,
    member_records,
    members_in_period,
    not_completed_below,
)
from .models import (
    EDITABLE_FIELDS,
    Circumstance,
    Classification,
    ClassificationStep,
    QuotaException,
    Review,
    RuleSet,
)
from .rules import Facts, Inputs, Rules, evaluate, flag_two_years
from .selectors import quota_scope_rows, quota_status, review_rules, ruleset_in_force

# Units whose committee decides the classification of members (of its cells, or its own).
DECIDING_KINDS = {UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL}
# Units classified as collectives (by the committee of the unit above).
COLLECTIVE_KINDS = {UnitKind.CELL, UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL}


def _require(actor, action: str, unit: Unit, field: str = "unit") -> None:
    """The service's own check of who decides (pages and API check too, but may not differ)."""
    if actor is None:
        return  # system work: the demo, the migrations, the background run as its asker
    if not Access.of(actor).may(action, unit):
        raise ValidationError({field: _("You may not act for %(unit)s.") % {"unit": unit}})


# --- rule sets -----------------------------------------------------------------------------


@transaction.atomic
def ruleset_update(*, actor, rule_set: RuleSet, **fields) -> RuleSet:
    """Correct the values of a rule set (a system administrator's work). Reviews already opened
    keep the values they were opened with."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise ValidationError(_("Only a system administrator corrects a rule set."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({n: _("This field cannot be changed here.") for n in sorted(unknown)})
    errors = {}
    for name, value in fields.items():
        if name.endswith("_pct") and value is not None and not (0 <= Decimal(value) <= 100):
            errors[name] = _("Enter a share between 0 and 100.")
    values = {
        n: fields.get(n, getattr(rule_set, n))
        for n in ("excellent_min_points", "well_min_points", "completed_min_points")
    }
    points = [v for v in values.values() if v is not None]
    if points != sorted(points, reverse=True):
        errors["well_min_points"] = _("The thresholds go down from “excellent” to “completed”.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        for name, value in fields.items():
            setattr(rule_set, name, value)
        rule_set.full_clean()
        rule_set.save()
    return rule_set


# --- reviews -------------------------------------------------------------------------------


@transaction.atomic
def review_open(
    *,
    actor,
    unit: Unit,
    year: int,
    quarter: int | None = None,
    review_date: dt.date | None = None,
) -> Review:
    """The review of `year` (or of its quarter 1–3, where the rule set has quarterly reviews
    and the unit asks for one) held by `unit`'s committee, opened when first needed, under the
    rule set in force for that year. The fourth quarter folds into the year-end review."""
    existing = Review.objects.filter(unit=unit, year=year, quarter=quarter).first()
    if existing is not None:
        return existing
    _require(actor, Action.CHANGE, unit)
    rule_set = ruleset_in_force(year)
    errors = {}
    if rule_set is None:
        errors["year"] = _("No rule set is in force for %(year)s.") % {"year": year}
    elif quarter is not None and not rule_set.quarterly_reviews:
        errors["quarter"] = _("%(rule_set)s has no quarterly reviews.") % {"rule_set": rule_set}
    if quarter is not None and quarter not in (1, 2, 3):
        errors["quarter"] = _(
            "Choose the first, second or third quarter: the fourth folds into the year-end review."
        )
    if unit.kind in CELL_KINDS - {UnitKind.GRASSROOTS_CELL} or unit.kind == UnitKind.GROUP:
        errors["unit"] = _("A cell's members are reviewed by the committee above it.")
    if unit.valid_from.year > year or (unit.valid_to and unit.valid_to.year < year):
        errors["year"] = _("%(unit)s did not exist in %(year)s.") % {"unit": unit, "year": year}
    if errors:
        raise ValidationError(errors)
    review = Review(unit=unit, year=year, quarter=quarter)
    last = review.period[1]
    review_date = review_date or last
    if not (review.period[0] <= review_date <= last + dt.timedelta(days=62)):
        raise ValidationError(
            {"review_date": _("The review is held at the end of the period it reviews.")}
        )
    with acting_as(actor):
        review.rule_set = rule_set
        review.rules = rule_set.snapshot()
        review.review_date = review_date
        review.opened_by = actor if getattr(actor, "pk", None) else None
        review.save()
        return review


# --- circumstances -------------------------------------------------------------------------


@transaction.atomic
def circumstance_record(
    *,
    actor,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    member: Member | None = None,
    unit: Unit | None = None,
    decision: str = "",
    note: str = "",
) -> Circumstance:
    """Record an exemption, a suspension, a sick or maternity leave of a member, or the
    discipline of an organization, over a period."""
    errors = {}
    if kind not in CircumstanceKind.values:
        errors["kind"] = _("Choose a valid option.")
    elif kind == CircumstanceKind.ORGANIZATION_DISCIPLINED:
        if unit is None:
            errors["unit"] = _("Choose the organization.")
        member = None
    elif member is None:
        errors["member"] = _("Choose the member.")
    else:
        unit = member.unit
    if start is None:
        errors["start"] = _("Enter the date it starts.")
    elif end is not None and end < start:
        errors["end"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)
    _require(actor, Action.CHANGE, unit, "member" if member else "unit")
    with acting_as(actor):
        return Circumstance.objects.create(
            kind=kind, member=member, unit=unit, start=start, end=end, decision=decision, note=note
        )


@transaction.atomic
def circumstance_remove(*, actor, circumstance: Circumstance) -> None:
    """Remove a circumstance recorded by mistake. The next run of a review reads the records
    without it; a level already decided stays as decided (a re-run never changes a decision)."""
    field = "member" if circumstance.member_id else "unit"
    _require(actor, Action.CHANGE, circumstance.unit, field)
    with acting_as(actor):
        circumstance.delete()


# --- facts read from the records -----------------------------------------------------------


def _facts_of(classification: Classification) -> Facts:
    """The facts of one classification, read now (a step checks its level against them)."""
    review = classification.review
    first, last = review.period
    if classification.subject == Subject.COLLECTIVE:
        unit = classification.unit
        return collective_facts(
            [unit.pk],
            year=review.year,
            quarter=review.quarter,
            period=review.period,
            review_date=review.review_date,
            not_completed=not_completed_below(unit=unit, year=review.year, quarter=review.quarter),
        )[unit.pk]
    records = member_records(
        members=[classification.member_id],
        first=first,
        last=last,
        year=review.year,
        quarter=review.quarter,
    )
    return member_facts(
        classification.member_id,
        classification.member.admission_decision_date,
        records,
        review,
    )


# --- computing -----------------------------------------------------------------------------

_COMPUTED_FIELDS = [
    "not_reviewed",
    "cap_level",
    "suggested_level",
    "suggested_points",
    "facts",
    "findings",
]
# The columns of a computed classification and of its step, written by the bulk writer (COPY
# on PostgreSQL): a country's run writes millions of each.
_NEW_COLUMNS = (
    "id",
    "review_id",
    "year",
    "quarter",
    "subject",
    "member_id",
    "unit_id",
    "form_code",
    "not_reviewed",
    "facts",
    "findings",
    "cap_level",
    "suggested_level",
    "suggested_points",
    "inputs",
    "self_level",
    "proposed_level",
    "decided_level",
    "points",
    "decided_at",
    "published_at",
    "flagged",
    "four_good",
)
_REVIEW_COLUMNS = (
    "id",
    "unit_id",
    "year",
    "quarter",
    "rule_set_id",
    "rules",
    "review_date",
    "opened_by_id",
    "opened_at",
    "members_deferred",
)
_STEP_COLUMNS = ("classification_id", "kind", "level", "points", "inputs", "note", "actor_id", "at")
# Reviews computed in one transaction: a stopped run leaves whole batches of whole reviews.
BATCH_REVIEWS = 500
_NO_RECORDS = MemberRecords()


@dataclass(frozen=True)
class _Computed:
    """What the computation owns of one classification, with its JSON written once (most
    members share theirs with every member admitted the same day)."""

    not_reviewed: str
    cap_level: str
    suggested_level: str
    suggested_points: Decimal | None
    facts: dict
    findings: list
    facts_json: str
    findings_json: str
    step_level: str
    step_inputs_json: str

    @classmethod
    def of(cls, facts: Facts, outcome) -> _Computed:
        facts_dict = facts.as_dict()
        findings = [f.as_dict() for f in outcome.findings]
        level, cap = outcome.level or "", outcome.cap or ""
        step_inputs = {
            "not_reviewed": outcome.not_reviewed,
            "cap": cap,
            "findings": [f["rule"] for f in findings],
        }
        return cls(
            outcome.not_reviewed,
            cap,
            level,
            facts.monthly_average,
            facts_dict,
            findings,
            json.dumps(facts_dict),
            json.dumps(findings),
            level or (Level.NOT_COMPLETED if cap == Level.NOT_COMPLETED else ""),
            json.dumps(step_inputs),
        )

    def differs(self, row: _Existing) -> bool:
        return (
            row.not_reviewed != self.not_reviewed
            or row.cap_level != self.cap_level
            or row.suggested_level != self.suggested_level
            or (self.suggested_points is not None and row.suggested_points != self.suggested_points)
            or row.facts != self.facts
            or row.findings != self.findings
        )


class _Existing(NamedTuple):
    """A classification already there: what a re-run compares and keeps."""

    id: int
    review_id: int
    key: int  # the member, or the collective's unit
    not_reviewed: str
    cap_level: str
    suggested_level: str
    suggested_points: Decimal | None
    facts: dict
    findings: list
    inputs: dict


@dataclass
class ComputeResult:
    reviews: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Members computed whose rows wait for their review to be opened.
    deferred: int = 0

    def add(self, other: ComputeResult) -> None:
        self.reviews += other.reviews
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deferred += other.deferred

    def as_dict(self) -> dict:
        return {
            "reviews": self.reviews,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deferred": self.deferred,
        }


def _in_year(year: int) -> Q:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Q(valid_from__lte=last) & (Q(valid_to__isnull=True) | Q(valid_to__gte=first))


class _Census:
    """The members of a run's cells on a review date, counted for the whole run at once: a
    few queries whatever the number of batches, none of them reading members one by one.
    The outcome of a member with no record of the period depends only on the admission
    date, so each date is evaluated once and the members are counted by cell; the few
    members with records are listed to be evaluated one by one."""

    def __init__(self, scope: Unit, records: MemberRecords):
        self.scope, self.records = scope, records
        self._members: dict[dt.date, dict[int, int]] = {}
        self._dates: list | None = None
        self._skipped: dict[tuple, dict[int, int]] = {}
        self._with_records: dict[dt.date, list[tuple]] = {}

    def _on(self, day: dt.date):
        return (
            Membership.objects.on(day)
            .filter(in_subtree("unit__path", self.scope))
            .exclude(status=IntervalStatus.IN_TRANSIT)
            .order_by()
        )

    def _by_cell(self, rows) -> dict[int, int]:
        counted = rows.values("unit_id").annotate(n=Count("member_id", distinct=True))
        return dict(counted.values_list("unit_id", "n"))

    def members(self, day: dt.date) -> dict[int, int]:
        """Cell → its members on `day`."""
        if day not in self._members:
            self._members[day] = self._by_cell(self._on(day))
        return self._members[day]

    def skipped(self, day: dt.date, rules: Rules, not_reviewed: Callable) -> dict[int, int]:
        """Cell → its members on `day` whose admission date `not_reviewed(date)` leaves out
        under `rules`."""
        key = (day, rules)
        if key not in self._skipped:
            if self._dates is None:
                self._dates = list(
                    Member.objects.order_by()
                    .values_list("admission_decision_date", flat=True)
                    .distinct()
                )
            dates = [d for d in self._dates if not_reviewed(d)]
            by_date = Q(member__admission_decision_date__in=[d for d in dates if d is not None])
            if None in dates:
                by_date |= Q(member__admission_decision_date__isnull=True)
            self._skipped[key] = self._by_cell(self._on(day).filter(by_date)) if dates else {}
        return self._skipped[key]

    def with_records(self, day: dt.date) -> list[tuple]:
        """(cell, member, admission date) of the members with records on `day`."""
        if day not in self._with_records:
            rows = []
            if self.records.which is not None:
                rows = list(
                    self._on(day)
                    .filter(self.records.which)
                    .values_list("unit_id", "member_id", "member__admission_decision_date")
                )
            self._with_records[day] = rows
        return self._with_records[day]


class _Batch:
    """The computation of a batch of reviews of one period: the members of their cells, then
    the collectives under them, each kind read in a few queries for the whole batch and
    written by one bulk writer. Only what the computation owns is written; a computed step is
    recorded for each row created or changed.

    The members of the reviews in `defer` are computed and counted, not written: the review
    keeps per cell how many members it classifies and how many are not reviewed, and its
    rows are written when it is first opened (`review_members_write`). They are counted from
    the run's `_Census`, never read one by one."""

    def __init__(
        self,
        reviews: list[Review],
        *,
        records,
        not_completed: Counter,
        actor,
        plain: dict,
        members_classified: bool = True,
        collectives_classified: bool = True,
        defer: frozenset[int] = frozenset(),
        census: _Census | None = None,
    ):
        self.reviews = {r.pk: r for r in reviews}
        first = reviews[0]
        self.year, self.quarter, self.period = first.year, first.quarter, first.period
        # Equal rule sets are one object, so that the outcomes computed once serve them all.
        self.rules = {r.pk: plain.setdefault(review_rules(r), review_rules(r)) for r in reviews}
        self.records = records
        self.not_completed = not_completed
        self.actor_id = getattr(actor, "pk", None)
        self.at = timezone.now()
        self.writer = BulkWriter(batch_size=10_000)
        self.writer.declare(Classification, _NEW_COLUMNS)
        self.writer.declare(ClassificationStep, _STEP_COLUMNS)
        self.changed: list[Classification] = []
        self.result = ComputeResult(reviews=len(reviews))
        self._plain = plain
        # False when no member under the run's scope was classified for the period yet: then
        # nothing is there to compare or to skip, and the batches do not look.
        self.members_classified = members_classified
        self.defer = defer
        self.census = census
        self.collectives_classified = collectives_classified
        # Review → cell → [members, members not reviewed], for the reviews in `defer`.
        self.counted: dict[int, dict[int, list[int]]] = defaultdict(dict)

    def run(self) -> ComputeResult:
        self._members()
        self._collectives()
        self.writer.flush_all()
        if self.changed:
            Classification.objects.bulk_update(self.changed, _COMPUTED_FIELDS, batch_size=2000)
        self._keep_counts()
        return self.result

    def _keep_counts(self) -> None:
        """Keep on each deferred review its counts and the run's actor and time; clear them
        from a review whose rows were written now."""
        changed = []
        for review in self.reviews.values():
            if review.pk in self.defer:
                counted = self.counted.get(review.pk, {})
                review.members_deferred = {str(cell): n for cell, n in sorted(counted.items())}
                review.members_deferred_at = self.at
                review.members_deferred_by_id = self.actor_id
            elif review.members_deferred_at is not None:
                review.members_deferred, review.members_deferred_at = {}, None
                review.members_deferred_by_id = None
            else:
                continue
            changed.append(review)
        if not changed:
            return
        # One statement sent many times (pipelined on PostgreSQL): `bulk_update`'s CASE over
        # hundreds of reviews costs more to build than to run.
        q = connection.ops.quote_name
        field = Review._meta.get_field
        columns = [field(name) for name in ("members_deferred", "members_deferred_at")]
        columns.append(field("members_deferred_by"))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {q(Review._meta.db_table)} SET "
                + ", ".join(f"{q(c.column)} = %s" for c in columns)
                + f" WHERE {q('id')} = %s",
                [
                    [c.get_db_prep_save(getattr(r, c.attname), connection) for c in columns]
                    + [r.pk]
                    for r in changed
                ],
            )

    def _by_review_date(self, reviews) -> dict[dt.date, list[Review]]:
        out: dict[dt.date, list[Review]] = defaultdict(list)
        for review in reviews:
            out[review.review_date].append(review)
        return out

    def _existing(self, rows, key: str) -> dict[int, _Existing]:
        """The rows already there, by `key` (the member or the unit)."""
        fields = [key if name == "key" else name for name in _Existing._fields]
        return {row[2]: _Existing(*row) for row in rows.values_list(*fields)}

    def _write(self, review: Review, row: _Existing | None, computed: _Computed, new: tuple):
        """Create the classification (`new`: its subject, member, unit and form) or change
        what the computation owns of it, with its computed step."""
        if row is None:
            pk = self.writer.next_id(Classification)
            subject, member_id, unit_id, form_code = new
            self.writer.add(
                Classification,
                (pk, review.pk, self.year, self.quarter, subject, member_id, unit_id, form_code)
                + (computed.not_reviewed, computed.facts_json, computed.findings_json)
                + (computed.cap_level, computed.suggested_level, computed.suggested_points)
                + ("{}", "", "", "", None, None, None, False, False),
            )
            self.result.created += 1
        elif computed.differs(row):
            pk = row.id
            points = computed.suggested_points
            self.changed.append(
                Classification(
                    pk=pk,
                    not_reviewed=computed.not_reviewed,
                    cap_level=computed.cap_level,
                    suggested_level=computed.suggested_level,
                    suggested_points=row.suggested_points if points is None else points,
                    facts=computed.facts,
                    findings=computed.findings,
                )
            )
            self.result.updated += 1
        else:
            self.result.unchanged += 1
            return
        self.writer.add(
            ClassificationStep,
            (pk, StepKind.COMPUTED, computed.step_level, computed.suggested_points)
            + (computed.step_inputs_json, "", self.actor_id, self.at),
        )

    # --- members ---

    def _cells(self) -> list[tuple[int, int, str]]:
        """(cell id, review id, path) of the cells whose members the reviews classify."""
        own = [
            (r.unit_id, r.pk, r.unit.path)
            for r in self.reviews.values()
            if r.unit.kind == UnitKind.GRASSROOTS_CELL
        ]
        by_unit = {
            r.unit_id: r.pk
            for r in self.reviews.values()
            if r.unit.kind != UnitKind.GRASSROOTS_CELL
        }
        below = Unit.objects.filter(
            _in_year(self.year), parent_id__in=list(by_unit), kind=UnitKind.CELL
        ).values_list("pk", "parent_id", "path")
        cells = own + [(pk, by_unit[parent], path) for pk, parent, path in below]
        return sorted(cells, key=lambda cell: cell[2])

    def _members(self) -> None:
        cells = self._cells()
        rank = {cell_id: i for i, (cell_id, _review, _path) in enumerate(cells)}
        review_of = {cell_id: review_id for cell_id, review_id, _path in cells}
        for day, reviews in self._by_review_date(self.reviews.values()).items():
            ids = {r.pk for r in reviews}
            by_count = ids & self.defer
            if by_count:
                self._count(day, {c: r for c, r in review_of.items() if r in by_count})
            cell_ids = [c for c, r in review_of.items() if r in ids - by_count]
            if not cell_ids:
                continue
            on_day = (
                Membership.objects.on(day)
                .filter(unit_id__in=cell_ids)
                .exclude(status=IntervalStatus.IN_TRANSIT)
                .order_by()
                # A subquery per row, by the member's key: a join would let the planner hash
                # the whole member table to read a batch's tens of thousands.
                .annotate(
                    admitted_on=Subquery(
                        Member.objects.filter(pk=OuterRef("member_id")).values(
                            "admission_decision_date"
                        )[:1]
                    )
                )
            )
            rows = sorted(
                on_day.values_list("unit_id", "member_id", "admitted_on"),
                key=lambda row: (rank[row[0]], row[1]),
            )
            existing = {}
            if self.members_classified:
                existing = self._existing(
                    Classification.objects.filter(
                        member_id__in=sorted({row[1] for row in rows}),
                        year=self.year,
                        quarter=self.quarter,
                        subject=Subject.MEMBER,
                    ),
                    "member_id",
                )
            seen: set[int] = set()
            for cell_id, member_id, admitted_on in rows:
                if member_id in seen:
                    continue
                seen.add(member_id)
                review = self.reviews[review_of[cell_id]]
                row = existing.get(member_id)
                if row is not None and row.review_id != review.pk:
                    continue  # classified in another review this year (moved since)
                computed = self._member(review, member_id, admitted_on, row.inputs if row else {})
                self._write(
                    review, row, computed, (Subject.MEMBER, member_id, cell_id, FormCode.F2C)
                )

    def _count(self, day: dt.date, review_of: dict[int, int]) -> None:
        """Count the members of the cells of `review_of` (cell → review) on `day` as the rules
        classify them, from the run's census: each cell's members, those of them whose
        admission date the review's rules leave unreviewed, and the members with records of
        the period evaluated one by one."""
        members = self.census.members(day)
        groups: dict[Rules, list[int]] = defaultdict(list)  # equal rules → their cells
        for cell_id, review_id in review_of.items():
            groups[self.rules[review_id]].append(cell_id)
        for rules, cell_ids in groups.items():
            review = self.reviews[review_of[cell_ids[0]]]
            skipped = self.census.skipped(
                day, rules, lambda d, r=review: bool(self._plain_outcome(r, d).not_reviewed)
            )
            for cell_id in cell_ids:
                n = members.get(cell_id, 0)
                if n:
                    self.counted[review_of[cell_id]][cell_id] = [n, skipped.get(cell_id, 0)]
                    self.result.deferred += n
        for cell_id, member_id, admitted_on in self.census.with_records(day):
            if cell_id not in review_of:
                continue
            review = self.reviews[review_of[cell_id]]
            counted = self._plain_outcome(review, admitted_on)
            computed = self._member(review, member_id, admitted_on, {})
            if bool(computed.not_reviewed) != bool(counted.not_reviewed):
                self.counted[review.pk][cell_id][1] += 1 if computed.not_reviewed else -1
        if not self.members_classified:
            return
        # A member whose row is in another review of the period (a transfer recorded after
        # that review was written) stays that review's: not counted here, as the written path
        # skips it.
        elsewhere = Classification.objects.filter(
            member_id=OuterRef("member_id"),
            year=self.year,
            quarter=self.quarter,
            subject=Subject.MEMBER,
        ).exclude(review_id__in=set(review_of.values()))
        for cell_id, member_id, admitted_on in (
            Membership.objects.on(day)
            .filter(Exists(elsewhere), unit_id__in=list(review_of))
            .exclude(status=IntervalStatus.IN_TRANSIT)
            .values_list("unit_id", "member_id", "member__admission_decision_date")
            .distinct()
        ):
            counts = self.counted[review_of[cell_id]].get(cell_id)
            if counts:
                review = self.reviews[review_of[cell_id]]
                counts[0] -= 1
                counts[1] -= bool(self._member(review, member_id, admitted_on, {}).not_reviewed)
                self.result.deferred -= 1

    def _plain_outcome(self, review: Review, admitted_on) -> _Computed:
        """The outcome of a member of `review` admitted on `admitted_on` with no record of
        the period and no task results: that of every such member, computed once."""
        key = (id(self.rules[review.pk]), review.review_date, admitted_on)
        computed = self._plain.get(key)
        if computed is None:
            facts = member_facts(0, admitted_on, _NO_RECORDS, review)
            computed = _Computed.of(facts, evaluate(self.rules[review.pk], facts, Inputs()))
            self._plain[key] = computed
        return computed

    def _member(self, review: Review, member_id: int, admitted_on, inputs: dict) -> _Computed:
        """A member's computed outcome; with no record of the period and no task results,
        the outcome shared by every such member admitted the same day."""
        if not inputs and not self.records.has_any(member_id):
            return self._plain_outcome(review, admitted_on)
        facts = member_facts(member_id, admitted_on, self.records, review)
        return _Computed.of(facts, evaluate(self.rules[review.pk], facts, Inputs.from_dict(inputs)))

    # --- collectives ---

    def _collectives(self) -> None:
        # The batch's collectives, as a subquery in the queries that read them: a list of
        # thousands of ids costs more to send than the database takes to find them again.
        in_batch = Unit.objects.filter(
            _in_year(self.year),
            parent_id__in=[r.unit_id for r in self.reviews.values()],
            kind__in=COLLECTIVE_KINDS,
        )
        units = list(in_batch.order_by("path").values_list("pk", "parent_id"))
        review_of_unit = {r.unit_id: r for r in self.reviews.values()}
        existing = {}
        if self.collectives_classified:
            existing = self._existing(
                Classification.objects.filter(
                    unit_id__in=in_batch.values("pk"),
                    year=self.year,
                    quarter=self.quarter,
                    subject=Subject.COLLECTIVE,
                ),
                "unit_id",
            )
        by_day = self._by_review_date(self.reviews.values())
        for day, reviews in by_day.items():
            mine = {r.unit_id for r in reviews}
            ids = [pk for pk, parent in units if parent in mine]
            among = in_batch if len(by_day) == 1 else in_batch.filter(parent_id__in=mine)
            facts_of = collective_facts(
                ids,
                among=among.values("pk"),
                year=self.year,
                quarter=self.quarter,
                period=self.period,
                review_date=day,
                not_completed=self.not_completed,
            )
            for pk, parent in units:
                if parent not in mine:
                    continue
                review = review_of_unit[parent]
                row = existing.get(pk)
                if row is not None and row.review_id != review.pk:
                    continue
                facts = facts_of[pk]
                inputs = Inputs.from_dict(row.inputs if row else {})
                computed = _Computed.of(facts, evaluate(self.rules[review.pk], facts, inputs))
                self._write(review, row, computed, (Subject.COLLECTIVE, None, pk, FormCode.F01))


def _compute_reviews(
    review_ids: list[int],
    *,
    scope: Unit,
    year: int,
    quarter: int | None,
    actor,
    progress: Callable[..., None] | None = None,
    defer_members: bool = False,
) -> ComputeResult:
    """Compute the reviews (all of `year` and `quarter`, under `scope`) batch by batch, each
    batch in its own transaction. The rare records (leave, exemption, discipline, earlier
    decisions) are read once for the whole scope. With `defer_members`, the member rows of a
    review that has none yet are counted, not written (see `_Batch`)."""
    probe = Review(year=year, quarter=quarter)
    first, last = probe.period
    records = member_records(
        members=members_in_period(scope, first, last),
        first=first,
        last=last,
        year=year,
        quarter=quarter,
    )
    not_completed = not_completed_below(unit=scope, year=year, quarter=quarter)
    # A member can be in two reviews' cells only on two review dates: then each batch looks.
    review_dates = (
        Review.objects.filter(in_subtree("unit__path", scope), year=year, quarter=quarter)
        .values("review_date")
        .distinct()
        .count()
    )
    members_classified = (
        review_dates > 1
        or Classification.objects.filter(
            member_id__in=members_in_period(scope, first, last),
            year=year,
            quarter=quarter,
            subject=Subject.MEMBER,
        ).exists()
    )
    collectives_classified = Classification.objects.filter(
        in_subtree("unit__path", scope), year=year, quarter=quarter, subject=Subject.COLLECTIVE
    ).exists()
    total = ComputeResult()
    plain: dict = {}  # the outcomes shared by plain members, kept from batch to batch
    census = _Census(scope, records)
    if progress:
        progress(done=0, total=len(review_ids), **total.as_dict())
    with acting_as(actor):
        for i in range(0, len(review_ids), BATCH_REVIEWS):
            ids = review_ids[i : i + BATCH_REVIEWS]
            with transaction.atomic():
                # The batch's reviews stay locked until it commits: a review being opened
                # meanwhile (`review_members_write`) has its members written first, and is
                # then computed with them; one opened later waits for the batch's counts.
                reviews = list(
                    Review.objects.select_for_update(of=("self",))
                    .filter(pk__in=ids)
                    .select_related("unit")
                )
                written: set[int] = set()
                if defer_members:
                    written = set(
                        Classification.objects.filter(review_id__in=ids, subject=Subject.MEMBER)
                        .values_list("review_id", flat=True)
                        .distinct()
                    )
                batch = _Batch(
                    reviews,
                    records=records,
                    not_completed=not_completed,
                    actor=actor,
                    plain=plain,
                    members_classified=members_classified or bool(written),
                    collectives_classified=collectives_classified,
                    defer=frozenset(pk for pk in ids if pk not in written)
                    if defer_members
                    else frozenset(),
                    census=census,
                )
                total.add(batch.run())
            if progress:
                progress(done=total.reviews, total=len(review_ids), **total.as_dict())
    return total


def review_compute(*, actor, review: Review) -> ComputeResult:
    """Compute the classifications of `review`: the members of its cells, then the collectives
    under it. Safe to run again: only what the computation owns is rewritten, and a computed
    step is recorded only when the outcome changed."""
    _require(actor, Action.CHANGE, review.unit)
    return _compute_reviews(
        [review.pk], scope=review.unit, year=review.year, quarter=review.quarter, actor=actor
    )


def _reviews_open(*, actor, scope: Unit, units: list[Unit], year: int) -> list[int]:
    """The year-end reviews of `units` (under `scope`), opened where missing as `review_open`
    opens one, in a few statements; their ids in the order of `units`."""
    existing = dict(
        Review.objects.filter(
            in_subtree("unit__path", scope), year=year, quarter__isnull=True
        ).values_list("unit_id", "pk")
    )
    missing = [u for u in units if u.pk not in existing]
    if missing:
        rule_set = ruleset_in_force(year)
        if rule_set is None:
            raise ValidationError(
                {"year": _("No rule set is in force for %(year)s.") % {"year": year}}
            )
        rules = rule_set.snapshot()
        opened_by = actor if getattr(actor, "pk", None) else None
        # The bulk writer (COPY on PostgreSQL), with the rules' JSON written once: a country
        # opens some sixty thousand reviews.
        writer = BulkWriter(batch_size=5000)
        writer.declare(Review, _REVIEW_COLUMNS)
        day, now, rules_json = dt.date(year, 12, 31), timezone.now(), json.dumps(rules)
        created = []
        with transaction.atomic(), acting_as(actor):
            for u in missing:
                review = Review(
                    pk=writer.next_id(Review),
                    unit=u,
                    year=year,
                    quarter=None,
                    rule_set=rule_set,
                    rules=rules,
                    review_date=day,
                    opened_by=opened_by,
                    opened_at=now,
                )
                writer.add(
                    Review,
                    (review.pk, u.pk, year, None, rule_set.pk, rules_json, day)
                    + (getattr(opened_by, "pk", None), now, "{}"),
                )
                created.append(review)
            writer.flush_all()
            record_created(created)
        existing.update((r.unit_id, r.pk) for r in created)
    return [existing[u.pk] for u in units]


def classifications_compute(
    *,
    actor,
    unit: Unit,
    year: int,
    progress: Callable[..., None] | None = None,
) -> ComputeResult:
    """Compute the year's classifications of `unit`'s whole subtree (a province, the country):
    a review for each committee that decides (opened when missing), in batches of reviews,
    each batch its own transaction, so a run stopped half-way leaves whole reviews, and
    running it again finishes the work without touching a decision."""
    _require(actor, Action.CHANGE, unit)
    deciders = list(
        Unit.objects.filter(in_subtree("path", unit), _in_year(year))
        .exclude(kind__in=[UnitKind.CELL, UnitKind.GROUP])
        .filter(Q(kind__in=DECIDING_KINDS) | Exists(Unit.objects.filter(parent_id=OuterRef("pk"))))
        .order_by("-depth", "path")
    )
    review_ids = _reviews_open(actor=actor, scope=unit, units=deciders, year=year)
    del deciders
    return _compute_reviews(
        review_ids,
        scope=unit,
        year=year,
        quarter=None,
        actor=actor,
        progress=progress,
        defer_members=True,
    )


def review_members_write(review: Review) -> int:
    """Write the member rows of `review` that a run over a whole subtree computed and
    counted (`classifications_compute`): called where the rows are first read — the review's
    pages, its workbook, its API rows. The rows are computed from the records as they are now,
    with the computed step in the name of whoever started the run; a review written already is
    left alone. The number of rows written."""
    if review.members_deferred_at is None:
        return 0
    with transaction.atomic():
        # One writer: a second request waits here, then finds the rows written.
        waiting = (
            Review.objects.select_for_update(of=("self",))
            .filter(pk=review.pk, members_deferred_at__isnull=False)
            .select_related("members_deferred_by")
            .first()
        )
        written = 0
        if waiting is not None:
            written = _compute_reviews(
                [review.pk],
                scope=review.unit,
                year=review.year,
                quarter=review.quarter,
                actor=waiting.members_deferred_by,
            ).created
    review.members_deferred, review.members_deferred_at = {}, None
    review.members_deferred_by_id = None
    return written


# --- steps ---------------------------------------------------------------------------------


def _clean_inputs(inputs: dict | None) -> Inputs:
    try:
        return Inputs.from_dict(inputs)
    except (ArithmeticError, ValueError, TypeError) as exc:
        raise ValidationError({"inputs": _("Enter numbers for points and shares.")}) from exc


def _check_inputs(rules: Rules, inputs: Inputs) -> dict[str, str]:
    errors = {}
    if inputs.points is not None and not (0 <= inputs.points <= 100):
        errors["points"] = _("Enter points between 0 and 100.")
    for name in ("exceeded_pct", "late_pct", "targets_met_pct"):
        value = getattr(inputs, name)
        if value is not None and not (0 <= value <= 100):
            errors[name] = _("Enter a share between 0 and 100.")
    if inputs.level and inputs.level not in Level.values:
        errors["level"] = _("Choose a valid option.")
    if rules.judging == "points" and inputs.points is None and not inputs.level:
        errors["points"] = _("Enter the points.")
    if rules.judging == "grades" and not inputs.level:
        errors["level"] = _("Choose the level.")
    return errors


def _judged(
    c: Classification,
    rules: Rules,
    inputs: Inputs,
    errors: dict,
    field: str = "level",
    facts: Facts | None = None,
):
    """The level the rules give for the inputs; an error when a level above it was asked."""
    outcome = evaluate(rules, facts or _facts_of(c), inputs)
    if outcome.not_reviewed:
        errors[field] = _("%(who)s is not reviewed this year: %(why)s") % {
            "who": c.subject_name,
            "why": outcome.findings[0].text if outcome.findings else "",
        }
        return outcome, None
    level = outcome.level
    if inputs.level and level and LEVEL_RANK[inputs.level] < LEVEL_RANK[level]:
        reasons = "; ".join(f.text for f in outcome.findings if f.level) or ""
        errors[field] = _("%(who)s: the rules allow at most “%(level)s” (%(why)s).") % {
            "who": c.subject_name,
            "level": Level(level).label,
            "why": reasons,
        }
    elif inputs.level:
        level = inputs.level
    return outcome, level


def _locked(c: Classification) -> Classification:
    return (
        Classification.objects.select_related("review", "unit", "member")
        .select_for_update(of=("self",))
        .get(pk=c.pk)
    )


@transaction.atomic
def classification_step(
    *,
    actor,
    classification: Classification,
    kind: str,
    inputs: dict | None = None,
    note: str = "",
    form_code: str = "",
) -> ClassificationStep:
    """Record a self-review (the member, the collective) or the proposal (the cell for its
    members; the committee's office for a collective). The level asked is checked against the
    rules; task results (points, the share on time, beyond the requirement, late…) are kept
    with the step."""
    c = _locked(classification)
    rules = review_rules(c.review)
    if kind not in (StepKind.SELF_REVIEW, StepKind.PROPOSAL):
        raise ValidationError({"kind": _("Choose a self-review or a proposal.")})
    _require(actor, Action.CHANGE, c.unit)
    values = _clean_inputs(inputs)
    errors = _check_inputs(rules, values)
    if form_code and (
        form_code not in FormCode.values
        or (form_code == FormCode.F01) != (c.subject == Subject.COLLECTIVE)
    ):
        errors["form_code"] = _("Choose the form of this review.")
    if c.decided_level and kind == StepKind.SELF_REVIEW:
        errors["kind"] = _("The decision is taken: a self-review comes before it.")
    level = None
    if not errors:
        _outcome, level = _judged(c, rules, values, errors)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        step = ClassificationStep.objects.create(
            classification=c,
            kind=kind,
            level=level or "",
            points=values.points,
            inputs=values.as_dict(),
            note=note,
            actor=actor if getattr(actor, "pk", None) else None,
        )
        if kind == StepKind.SELF_REVIEW:
            c.self_level = level or ""
        else:
            c.proposed_level = level or ""
        c.inputs = values.as_dict()
        c.points = values.points
        if form_code:
            c.form_code = form_code
        c.save()
    return step


@dataclass
class Decision:
    classification: Classification
    level: str
    inputs: dict | None = None
    note: str = ""


@transaction.atomic
def classifications_decide(
    *, actor, decisions: Iterable[Decision], exception_reason: str = ""
) -> list[ClassificationStep]:
    """The competent committee's decisions about classifications of one review, taken together.

    Each level is checked against the rules; then the quota of "excellent" over each scope of
    the rule set, with these decisions counted: beyond it only with an exception, which the
    committee above the deciding one grants with its reason (recorded for each place beyond).
    A decision is a new step; an earlier decision stays in the record."""
    decisions = list(decisions)
    if not decisions:
        raise ValidationError(_("Nothing to decide."))
    reviews = {d.classification.review_id for d in decisions}
    if len(reviews) != 1:
        raise ValidationError(_("Decide the classifications of one review at a time."))
    review = Review.objects.select_related("unit").get(pk=reviews.pop())
    _require(actor, Action.CHANGE, review.unit, "level")
    rules = review_rules(review)
    errors: dict[str, str] = {}
    chosen: dict[int, tuple[Classification, str, Inputs, str]] = {}
    locked = {
        c.pk: c
        for c in Classification.objects.select_related("review", "unit", "member")
        .select_for_update(of=("self",))
        .filter(pk__in=[d.classification.pk for d in decisions])
    }
    member_ids = [c.member_id for c in locked.values() if c.member_id]
    first, last = review.period
    records = (
        member_records(
            members=member_ids, first=first, last=last, year=review.year, quarter=review.quarter
        )
        if member_ids
        else None
    )
    for d in decisions:
        c = locked[d.classification.pk]
        facts = (
            member_facts(c.member_id, c.member.admission_decision_date, records, review)
            if c.member_id
            else None
        )
        values = _clean_inputs(d.inputs if d.inputs is not None else c.inputs)
        values.level = d.level
        if d.level not in Level.values:
            errors[f"level_{c.pk}"] = _("Choose a valid option.")
            continue
        field = f"level_{c.pk}"
        _outcome, level = _judged(c, rules, values, errors, field, facts)
        if field not in errors:
            chosen[c.pk] = (c, d.level, values, d.note)
    if errors:
        raise ValidationError(errors)
    # The quota, over each scope the decisions touch, with the decisions counted.
    beyond: list[tuple[Classification, object]] = []
    covered: set[int] = set()
    # The quota of "excellent" is the year's: a quarterly review has none.
    for c, _level, _values, _note in chosen.values() if review.quarter is None else ():
        if c.pk in covered:
            continue
        scope = quota_scope_rows(c, rules)
        key = set(scope.values_list("id", flat=True))
        covered |= key
        levels = {pk: lv for pk, (_c, lv, _v, _n) in chosen.items() if pk in key}
        status = quota_status(scope, rules, levels)
        if status.over:
            new_excellent = [
                chosen[pk][0]
                for pk in sorted(levels)
                if levels[pk] == Level.EXCELLENT
                and chosen[pk][0].decided_level != Level.EXCELLENT
                and not hasattr(chosen[pk][0], "quota_exception")
            ]
            beyond += [(x, status) for x in new_excellent[-status.over :]]
    if beyond:
        status = beyond[0][1]
        message = _(
            "The quota of “excellent” is %(allowed)d places (%(rate)s%% of %(base)d rated "
            "“well”): %(used)d would be used, %(over)d beyond it."
        ) % {
            "allowed": status.allowed + status.exceptions,
            "rate": format(rules.quota_rate_pct, "f").rstrip("0").rstrip("."),
            "base": status.base,
            "used": status.used,
            "over": status.over,
        }
        if not exception_reason.strip():
            raise ValidationError(
                {
                    "exception_reason": message
                    + " "
                    + _(
                        "Lower a level, or ask the committee above for an exception "
                        "with its reason."
                    )
                }
            )
        if not rules.quota_exception_allowed:
            raise ValidationError(
                {"exception_reason": message + " " + _("This rule set allows no exception.")}
            )
        above = review.unit.parent
        if actor is not None and (above is None or not Access.of(actor).may(Action.CHANGE, above)):
            if not getattr(actor, "is_superuser", False):
                raise ValidationError(
                    {
                        "exception_reason": message
                        + " "
                        + _("Only the committee above %(unit)s grants an exception.")
                        % {"unit": review.unit}
                    }
                )
    steps = []
    now = timezone.now()
    with acting_as(actor):
        for c, level, values, note in chosen.values():
            step = ClassificationStep.objects.create(
                classification=c,
                kind=StepKind.DECISION,
                level=level,
                points=values.points,
                inputs=values.as_dict(),
                note=note,
                actor=actor if getattr(actor, "pk", None) else None,
            )
            steps.append(step)
            c.decided_level = level
            c.decided_at = now
            c.points = values.points
            c.inputs = values.as_dict()
            c.published_at = None
            if c.subject == Subject.MEMBER and review.quarter is None:
                previous = (
                    Classification.objects.filter(
                        member_id=c.member_id, year=c.year - 1, quarter__isnull=True
                    )
                    .values_list("decided_level", flat=True)
                    .first()
                    or ""
                )
                flag = flag_two_years(rules, previous, level)
                c.flagged = flag is not None
                c.findings = [
                    f for f in c.findings if f.get("rule") != "not_completed_two_years_running_flag"
                ]
                if flag is not None:
                    c.findings.append(flag.as_dict())
            elif c.subject == Subject.COLLECTIVE and review.quarter is None:
                c.four_good = level in (Level.EXCELLENT, Level.WELL) and bool(
                    c.facts.get("months_assessed") == 12
                )
            c.save()
        for c, status in beyond:
            QuotaException.objects.create(
                classification=c,
                scope_unit=review.unit,
                reason=exception_reason.strip(),
                allowed=status.allowed,
                used=status.used,
                granted_by=actor if getattr(actor, "pk", None) else None,
            )
    return steps


def classification_decide(
    *,
    actor,
    classification: Classification,
    level: str,
    inputs=None,
    note: str = "",
    exception_reason: str = "",
) -> ClassificationStep:
    """One decision (see `classifications_decide`)."""
    return classifications_decide(
        actor=actor,
        decisions=[Decision(classification, level, inputs, note)],
        exception_reason=exception_reason,
    )[0]


@transaction.atomic
def review_publish(*, actor, review: Review, unit: Unit | None = None) -> int:
    """Make the decided results of the review (or of one of its cells) public to the unit;
    the number made public. Refused while a member reviewed is still undecided."""
    _require(actor, Action.CHANGE, review.unit)
    review_members_write(review)
    rows = Classification.objects.filter(review=review)
    if unit is not None:
        rows = rows.filter(unit=unit, subject=Subject.MEMBER)
    pending = rows.filter(decided_level="", not_reviewed="").count()
    if pending:
        raise ValidationError(
            ngettext(
                "%(n)d classification is not decided yet: decide it before making the "
                "results public.",
                "%(n)d classifications are not decided yet: decide them before making the "
                "results public.",
                pending,
            )
            % {"n": pending}
        )
    now = timezone.now()
    to_publish = list(rows.exclude(decided_level="").filter(published_at__isnull=True))
    with acting_as(actor):
        for c in to_publish:
            ClassificationStep.objects.create(
                classification=c,
                kind=StepKind.PUBLICATION,
                level=c.decided_level,
                points=c.points,
                actor=actor if getattr(actor, "pk", None) else None,
            )
            c.published_at = now
            c.save(update_fields=["published_at"])
    return len(to_publish)
