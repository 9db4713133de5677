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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.assessments.selectors import year_summary
from grassroots.core.access import Access, Action
from grassroots.core.audit import acting_as
from grassroots.core.querysets import in_subtree
from grassroots.members.choices import EventKind, IntervalStatus
from grassroots.members.models import Member, MemberEvent, Membership
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


def _overlap_days(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    lo = max(start, first)
    hi = min(end or last, last)
    return max((hi - lo).days + 1, 0)


def _members_on(cell_ids: list[int], day: dt.date) -> dict[int, list[int]]:
    """Cell id → ids of the members in it on `day` (probationary or official)."""
    out: dict[int, list[int]] = defaultdict(list)
    rows = (
        Membership.objects.on(day)
        .filter(unit_id__in=cell_ids)
        .exclude(status=IntervalStatus.IN_TRANSIT)
        .values_list("unit_id", "member_id")
        .order_by("member_id")
    )
    for unit_id, member_id in rows:
        if member_id not in out[unit_id]:
            out[unit_id].append(member_id)
    return out


@dataclass
class _PeriodRecords:
    """The records of a review's period for a set of members, read in a few queries."""

    members: dict[int, Member]
    circumstances: dict[int, list[Circumstance]]
    disciplines: dict[int, list[dict]]
    quarters: dict[int, dict[str, str]]


def _read_member_records(member_ids: list[int], review: Review) -> _PeriodRecords:
    first, last = review.period
    members = {m.pk: m for m in Member.objects.filter(pk__in=member_ids)}
    circumstances: dict[int, list[Circumstance]] = defaultdict(list)
    for c in Circumstance.objects.filter(member_id__in=member_ids, start__lte=last).filter(
        Q(end__isnull=True) | Q(end__gte=first)
    ):
        circumstances[c.member_id].append(c)
    disciplines: dict[int, list[dict]] = defaultdict(list)
    for member_id, day, level in MemberEvent.objects.filter(
        member_id__in=member_ids, kind=EventKind.DISCIPLINE, date__range=(first, last)
    ).values_list("member_id", "date", "discipline_level"):
        disciplines[member_id].append({"date": day.isoformat(), "level": level})
    quarters: dict[int, dict[str, str]] = defaultdict(dict)
    if review.quarter is None:
        for member_id, quarter, level in (
            Classification.objects.filter(
                member_id__in=member_ids, year=review.year, quarter__isnull=False
            )
            .exclude(decided_level="")
            .values_list("member_id", "quarter", "decided_level")
        ):
            quarters[member_id][str(quarter)] = level
    return _PeriodRecords(members, circumstances, disciplines, quarters)


def _member_facts(member: Member, records: _PeriodRecords, review: Review) -> Facts:
    first, last = review.period
    facts = Facts(review_date=review.review_date)
    facts.admitted_on = member.admission_decision_date
    for c in records.circumstances.get(member.pk, []):
        covers = c.start <= review.review_date and (c.end is None or c.end >= review.review_date)
        if c.kind == CircumstanceKind.EXEMPTED and covers:
            facts.exempted = True
        elif c.kind == CircumstanceKind.SUSPENDED and covers:
            facts.suspended = True
        elif c.kind == CircumstanceKind.SICK_LEAVE:
            facts.sick_leave_days += _overlap_days(c.start, c.end, first, last)
        elif c.kind == CircumstanceKind.MATERNITY_LEAVE:
            facts.maternity_days += _overlap_days(c.start, c.end, first, last)
    facts.disciplines = records.disciplines.get(member.pk, [])
    facts.quarters = dict(records.quarters.get(member.pk, {}))
    return facts


def _collective_facts(unit: Unit, review: Review) -> Facts:
    from grassroots.committees.models import CommitteeSeat

    year = review.year
    first, last = review.period
    facts = Facts(collective=True, review_date=review.review_date)
    leaders = (
        CommitteeSeat.objects.filter(committee__unit=unit, member__isnull=False)
        .filter(Q(from_date__isnull=True) | Q(from_date__lte=last))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=first))
        .values_list("member_id", flat=True)
    )
    facts.leadership_disciplined = sorted(
        set(
            MemberEvent.objects.filter(
                member_id__in=list(leaders), kind=EventKind.DISCIPLINE, date__range=(first, last)
            ).values_list("member__full_name", flat=True)
        )
    )
    children = list(
        Unit.objects.filter(parent=unit, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .values_list("pk", flat=True)
    )
    facts.disciplines = [
        {"date": day.isoformat(), "level": "organization"}
        for day in Circumstance.objects.filter(
            unit=unit,
            kind=CircumstanceKind.ORGANIZATION_DISCIPLINED,
            start__range=(first, last),
        ).values_list("start", flat=True)
    ]
    facts.subordinates = len(children)
    facts.subordinates_disciplined = (
        Circumstance.objects.filter(
            unit_id__in=children,
            kind=CircumstanceKind.ORGANIZATION_DISCIPLINED,
            start__range=(first, last),
        )
        .values("unit_id")
        .distinct()
        .count()
    )
    # The "4 good" months: the year's figure under the framework's own rules (missing months,
    # average or lowest month), the basis of the collective's proposal.
    if review.quarter is None:
        summary = year_summary(unit=unit, year=year)
        if summary is not None:
            facts.months_assessed = summary.accepted
            facts.monthly_average = summary.value
            facts.months_band = summary.band_label
        facts.quarters = {
            str(q): lv
            for q, lv in Classification.objects.filter(
                unit=unit, year=year, subject=Subject.COLLECTIVE, quarter__isnull=False
            )
            .exclude(decided_level="")
            .values_list("quarter", "decided_level")
        }
    facts.members_not_completed = Classification.objects.filter(
        in_subtree("unit__path", unit),
        subject=Subject.MEMBER,
        year=year,
        quarter=review.quarter,
        decided_level=Level.NOT_COMPLETED,
    ).count()
    return facts


def _facts_of(classification: Classification) -> Facts:
    review = classification.review
    if classification.subject == Subject.COLLECTIVE:
        return _collective_facts(classification.unit, review)
    records = _read_member_records([classification.member_id], review)
    return _member_facts(classification.member, records, review)


# --- computing -----------------------------------------------------------------------------


def _apply_outcome(c: Classification, facts: Facts, outcome) -> bool:
    """Set what the computation owns; whether anything changed."""
    new = {
        "not_reviewed": outcome.not_reviewed,
        "cap_level": outcome.cap or "",
        "suggested_level": outcome.level or "",
        "facts": facts.as_dict(),
        "findings": [f.as_dict() for f in outcome.findings],
    }
    if facts.monthly_average is not None:
        new["suggested_points"] = facts.monthly_average
    changed = any(getattr(c, k) != v for k, v in new.items())
    for k, v in new.items():
        setattr(c, k, v)
    return changed


def _computed_step(c: Classification) -> ClassificationStep:
    return ClassificationStep(
        classification=c,
        kind=StepKind.COMPUTED,
        level=c.suggested_level
        or (Level.NOT_COMPLETED if c.cap_level == Level.NOT_COMPLETED else ""),
        points=c.suggested_points,
        inputs={
            "not_reviewed": c.not_reviewed,
            "cap": c.cap_level,
            "findings": [f["rule"] for f in c.findings],
        },
    )


_COMPUTED_FIELDS = [
    "not_reviewed",
    "cap_level",
    "suggested_level",
    "suggested_points",
    "facts",
    "findings",
]


def _member_cells(unit: Unit, year: int) -> list[Unit]:
    """The cells whose members `unit`'s committee classifies."""
    if unit.kind == UnitKind.GRASSROOTS_CELL:
        return [unit]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return list(
        Unit.objects.filter(parent=unit, kind=UnitKind.CELL, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("path")
    )


def _collectives(unit: Unit, year: int) -> list[Unit]:
    """The collectives `unit`'s committee classifies: the units directly under it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return list(
        Unit.objects.filter(parent=unit, kind__in=COLLECTIVE_KINDS, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .order_by("path")
    )


@dataclass
class ComputeResult:
    reviews: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: ComputeResult) -> None:
        self.reviews += other.reviews
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    def as_dict(self) -> dict:
        return {
            "reviews": self.reviews,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _save_computed(rows: list[tuple[Classification, Facts, object]], result: ComputeResult) -> None:
    new, changed = [], []
    for c, facts, outcome in rows:
        was = _apply_outcome(c, facts, outcome)
        if c.pk is None:
            new.append(c)
        elif was:
            changed.append(c)
        else:
            result.unchanged += 1
    Classification.objects.bulk_create(new, batch_size=2000)
    if changed:
        Classification.objects.bulk_update(changed, _COMPUTED_FIELDS, batch_size=2000)
    ClassificationStep.objects.bulk_create(
        [_computed_step(c) for c in new + changed], batch_size=2000
    )
    result.created += len(new)
    result.updated += len(changed)


def review_compute(*, actor, review: Review) -> ComputeResult:
    """Compute the classifications of `review`: the members of its cells, then the collectives
    under it. Safe to run again: only what the computation owns is rewritten, and a computed
    step is recorded only when the outcome changed."""
    _require(actor, Action.CHANGE, review.unit)
    rules = review_rules(review)
    result = ComputeResult(reviews=1)
    with transaction.atomic(), acting_as(actor):
        cells = _member_cells(review.unit, review.year)
        by_cell = _members_on([c.pk for c in cells], review.review_date)
        member_ids = [m for ids in by_cell.values() for m in ids]
        records = _read_member_records(member_ids, review)
        existing = {
            c.member_id: c
            for c in Classification.objects.filter(
                member_id__in=member_ids,
                year=review.year,
                quarter=review.quarter,
                subject=Subject.MEMBER,
            )
        }
        rows = []
        for cell in cells:
            for member_id in by_cell.get(cell.pk, []):
                c = existing.get(member_id)
                if c is not None and c.review_id != review.pk:
                    continue  # classified in another review this year (moved since)
                if c is None:
                    c = Classification(
                        review=review,
                        year=review.year,
                        quarter=review.quarter,
                        subject=Subject.MEMBER,
                        member_id=member_id,
                        unit=cell,
                        form_code=FormCode.F2C,
                    )
                member = records.members[member_id]
                facts = _member_facts(member, records, review)
                rows.append((c, facts, evaluate(rules, facts, Inputs.from_dict(c.inputs))))
        _save_computed(rows, result)
        rows = []
        for unit in _collectives(review.unit, review.year):
            c = Classification.objects.filter(
                unit=unit, year=review.year, quarter=review.quarter, subject=Subject.COLLECTIVE
            ).first()
            if c is None:
                c = Classification(
                    review=review,
                    year=review.year,
                    quarter=review.quarter,
                    subject=Subject.COLLECTIVE,
                    unit=unit,
                    form_code=FormCode.F01,
                )
            elif c.review_id != review.pk:
                continue
            facts = _collective_facts(unit, review)
            rows.append((c, facts, evaluate(rules, facts, Inputs.from_dict(c.inputs))))
        _save_computed(rows, result)
    return result


def classifications_compute(
    *,
    actor,
    unit: Unit,
    year: int,
    progress: Callable[..., None] | None = None,
) -> ComputeResult:
    """Compute the year's classifications of `unit`'s whole subtree (a province at once): a
    review for each committee that decides (opened when missing), members before the
    collectives above them. Each review is its own transaction, so a run stopped half-way
    leaves whole reviews, and running it again finishes the work without touching a decision."""
    _require(actor, Action.CHANGE, unit)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    deciders = list(
        Unit.objects.filter(in_subtree("path", unit), valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .exclude(kind__in=[UnitKind.CELL, UnitKind.GROUP])
        .order_by("-depth", "path")
    )
    deciders = [
        u for u in deciders if u.kind in DECIDING_KINDS or Unit.objects.filter(parent=u).exists()
    ]
    total = ComputeResult()
    if progress:
        progress(done=0, total=len(deciders), **total.as_dict())
    for i, decider in enumerate(deciders, start=1):
        review = review_open(actor=actor, unit=decider, year=year)
        total.add(review_compute(actor=actor, review=review))
        if progress:
            progress(done=i, total=len(deciders), **total.as_dict())
    return total


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
    records = _read_member_records(member_ids, review) if member_ids else None
    for d in decisions:
        c = locked[d.classification.pk]
        facts = _member_facts(c.member, records, review) if c.member_id else None
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
