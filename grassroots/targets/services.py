"""Writes of the targets app: resolutions, the indicator catalogue, targets and the figures.

Every service takes keyword arguments and the acting user, validates first, writes nothing on
refusal (a ValidationError naming the fields) and writes in one transaction under
`acting_as(actor)`, so the audit log has the actor.

The approval of a figure: draft → submitted → approved, or returned with a reason; an approved
figure is locked until a manager of the level that approved it reopens it. Each change of state
is a `DataValueTransition` row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.models import RoleAssignment
from grassroots.committees.models import Term
from grassroots.committees.services import term_get_or_create
from grassroots.core.access import Access, Action, under
from grassroots.core.audit import acting_as
from grassroots.organizations.models import Unit

from . import formula as formulas
from .choices import (
    Aggregation,
    ChangeBasis,
    ComputedSource,
    Direction,
    IndicatorGroup,
    ReductionBasis,
    ResolutionKind,
    ResolutionStatus,
    ReviewKind,
    TargetKind,
    ValueState,
)
from .models import (
    VALUE_DIGITS,
    AdoptedReview,
    AdoptedReviewRow,
    DataValue,
    DataValueTransition,
    Indicator,
    Resolution,
    Target,
    TargetMilestone,
)
from .numbers import message_number, parse_number
from .periods import Period, parse_period
from .rules import entered_by_actor, may_reopen

MAX_VALUE = Decimal(10) ** (VALUE_DIGITS["max_digits"] - VALUE_DIGITS["decimal_places"])


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


# --- numbers ---------------------------------------------------------------------------------
# Figures given as text are read by `numbers.parse_number` as programs write them ("1320.5"):
# the pages and the XLSX upload read what people typed in their language before calling here.


def _number_or_error(value, name: str, errors: dict[str, str]) -> Decimal | None:
    """`value` read as a figure (None when empty); a refusal is recorded under `name`."""
    try:
        return parse_number(value)
    except ValidationError as exc:
        errors[name] = " ".join(exc.messages)
        return None


def _decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def quantize(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


# --- resolutions -------------------------------------------------------------------------------

RESOLUTION_FIELDS = {
    "number",
    "issued_on",
    "title",
    "kind",
    "term",
    "start_year",
    "end_year",
    "note",
}


def _unit_existed_on(unit: Unit, day: dt.date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or unit.valid_to > day)


def _resolution_errors(values: dict, *, exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    unit: Unit | None = values.get("unit")
    number = (values.get("number") or "").strip()
    title = (values.get("title") or "").strip()
    issued_on = values.get("issued_on")
    start_year, end_year = values.get("start_year"), values.get("end_year")
    if unit is None:
        errors["unit"] = _("Choose the unit that issued the resolution.")
    if not number:
        errors["number"] = _("Enter the resolution's number, e.g. 22-NQ/TU.")
    elif len(number) > 60:
        errors["number"] = _("A number has at most 60 characters.")
    if not title:
        errors["title"] = _("Enter the title.")
    elif len(title) > 300:
        errors["title"] = _("A title has at most 300 characters.")
    if values.get("kind") not in ResolutionKind.values:
        errors["kind"] = _("Choose the kind of resolution.")
    if not isinstance(issued_on, dt.date):
        errors["issued_on"] = _("Enter the date the resolution was issued.")
    elif issued_on > _today():
        errors["issued_on"] = _("The date cannot be in the future.")
    elif unit is not None and not _unit_existed_on(unit, issued_on):
        errors["issued_on"] = _("%(unit)s did not exist on %(date)s.") % {
            "unit": unit,
            "date": _fmt(issued_on),
        }
    if not isinstance(start_year, int) or not 1900 <= start_year <= 2200:
        errors["start_year"] = _("Enter the first year the resolution covers.")
    if not isinstance(end_year, int) or not 1900 <= end_year <= 2200:
        errors["end_year"] = _("Enter the last year the resolution covers.")
    elif "start_year" not in errors and end_year < start_year:
        errors["end_year"] = _("The last year cannot come before the first.")
    term: Term | None = values.get("term")
    if term is not None and "start_year" not in errors and "end_year" not in errors:
        if start_year < term.start_year or end_year > term.end_year:
            errors["term"] = _("The years %(start)d–%(end)d lie outside the term %(term)s.") % {
                "start": start_year,
                "end": end_year,
                "term": term,
            }
    if unit is not None and number and isinstance(issued_on, dt.date):
        clash = Resolution.objects.filter(unit=unit, number=number, issued_on=issued_on)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors["number"] = _(
                "This unit already issued a resolution with this number on this date."
            )
    return errors


@transaction.atomic
def resolution_create(
    *,
    actor,
    unit: Unit,
    number: str,
    issued_on: dt.date,
    title: str,
    kind: str,
    start_year: int,
    end_year: int,
    term: Term | None = None,
    note: str = "",
) -> Resolution:
    """Record a resolution issued by `unit`. A congress resolution belongs to its term, found
    (or created) from its years when not given."""
    values = {
        "unit": unit,
        "number": number,
        "issued_on": issued_on,
        "title": title,
        "kind": kind,
        "start_year": start_year,
        "end_year": end_year,
        "term": term,
    }
    errors = _resolution_errors(values)
    _raise(errors)
    if kind == ResolutionKind.CONGRESS and term is None:
        term = term_get_or_create(start_year=start_year, end_year=end_year)
    with acting_as(actor):
        return Resolution.objects.create(
            unit=unit,
            number=number.strip(),
            issued_on=issued_on,
            title=title.strip(),
            kind=kind,
            term=term,
            start_year=start_year,
            end_year=end_year,
            note=note or "",
        )


@transaction.atomic
def resolution_update(*, actor, resolution: Resolution, **fields) -> Resolution:
    """Correct a resolution's number, date, title, kind, term, years or note. Its status
    changes only through `resolution_end`."""
    unknown = set(fields) - RESOLUTION_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    resolution = (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("unit", "term")
        .get(pk=resolution.pk)
    )
    values = {name: getattr(resolution, name) for name in RESOLUTION_FIELDS} | {
        "unit": resolution.unit
    }
    values.update(fields)
    errors = _resolution_errors(values, exclude_pk=resolution.pk)
    if "start_year" not in errors and "end_year" not in errors:
        outside = resolution.targets.exclude(
            target_year__gte=values["start_year"], target_year__lte=values["end_year"]
        )
        if outside.exists():
            errors["end_year"] = _("Some targets fall outside these years: change them first.")
    _raise(errors)
    with acting_as(actor):
        for name, value in fields.items():
            setattr(
                resolution,
                name,
                value.strip() if isinstance(value, str) and name != "note" else value,
            )
        resolution.save()
    return resolution


def may_end_resolution(actor, resolution: Resolution) -> bool:
    """Whether `actor` may end `resolution` or record the one replacing it: a manager of the
    unit that issued it (or above). The page, the API and the service ask this one question.
    None is the system itself (commands, the demo)."""
    if actor is None:
        return True
    return Access.of(actor).may(Action.MANAGE, resolution.unit)


@transaction.atomic
def resolution_end(
    *,
    actor,
    resolution: Resolution,
    status: str,
    ended_on: dt.date,
    decision_number: str,
    decision_date: dt.date,
    decision_issuer: str,
    replaced_by: Resolution | None = None,
) -> Resolution:
    """End a resolution (or record that another replaced it) under a decision: number, date
    and issuing body, as when a province stops evaluating a resolution of 2014. Only a manager
    of the unit that issued it does (`may_end_resolution`)."""
    if not may_end_resolution(actor, resolution):
        raise PermissionDenied(
            _("Only a manager of the unit that issued the resolution ends or replaces it.")
        )
    resolution = Resolution.objects.select_for_update().get(pk=resolution.pk)
    errors: dict[str, str] = {}
    decision_number = (decision_number or "").strip()
    decision_issuer = (decision_issuer or "").strip()
    if resolution.status != ResolutionStatus.IN_FORCE:
        errors["status"] = _("This resolution already ended on %(date)s.") % {
            "date": _fmt(resolution.ended_on) if resolution.ended_on else "—"
        }
    elif status not in (ResolutionStatus.ENDED, ResolutionStatus.REPLACED):
        errors["status"] = _("Choose whether the resolution ended or was replaced.")
    if status == ResolutionStatus.REPLACED:
        if replaced_by is None:
            errors["replaced_by"] = _("Choose the resolution that replaces it.")
        elif replaced_by.pk == resolution.pk:
            errors["replaced_by"] = _("A resolution cannot replace itself.")
    elif replaced_by is not None:
        errors["replaced_by"] = _("Only a replaced resolution names its successor.")
    if not isinstance(ended_on, dt.date):
        errors["ended_on"] = _("Enter the date it ended.")
    elif ended_on < resolution.issued_on:
        errors["ended_on"] = _("A resolution cannot end before it was issued (%(date)s).") % {
            "date": _fmt(resolution.issued_on)
        }
    if not decision_number:
        errors["decision_number"] = _("Enter the number of the decision.")
    if not decision_issuer:
        errors["decision_issuer"] = _("Enter who issued the decision.")
    if not isinstance(decision_date, dt.date):
        errors["decision_date"] = _("Enter the date of the decision.")
    elif decision_date > _today():
        errors["decision_date"] = _("The date cannot be in the future.")
    elif decision_date < resolution.issued_on:
        errors["decision_date"] = _(
            "The decision cannot come before the resolution (%(date)s)."
        ) % {"date": _fmt(resolution.issued_on)}
    _raise(errors)
    with acting_as(actor):
        resolution.status = status
        resolution.ended_on = ended_on
        resolution.end_decision_number = decision_number
        resolution.end_decision_date = decision_date
        resolution.end_decision_issuer = decision_issuer
        resolution.replaced_by = replaced_by
        resolution.save()
    return resolution


# --- adopted reviews -----------------------------------------------------------------------------


def may_adopt_review(actor, resolution: Resolution) -> bool:
    """Whether `actor` may record that the committee adopted a review of `resolution`: a
    manager of the unit that issued it (or above); None is the system itself."""
    return may_end_resolution(actor, resolution)


@transaction.atomic
def review_adopt(
    *,
    actor,
    resolution: Resolution,
    kind: str,
    as_of: dt.date,
    bands=None,
    note: str = "",
) -> AdoptedReview:
    """File the mid-term or final review of `resolution` its committee adopted: the review as
    of `as_of` with its bands (the defaults unless given), every target's figure, achievement
    and band, the counts and the summary sentences in Vietnamese and English, as computed now
    and kept as issued, with who adopted it and when. Later corrections of the figures change
    the live review, never this one. A manager of the resolution's unit adopts it; each kind
    is adopted once."""
    from .selectors import DEFAULT_BANDS, resolution_review

    if not may_adopt_review(actor, resolution):
        raise PermissionDenied(
            _("Only a manager of the unit that issued the resolution adopts its reviews.")
        )
    resolution = Resolution.objects.select_for_update().select_related("unit").get(pk=resolution.pk)
    errors: dict[str, str] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = _("Choose the mid-term or the final review.")
    else:
        earlier = AdoptedReview.objects.filter(resolution=resolution, kind=kind).first()
        if earlier is not None:
            errors["kind"] = _(
                "This review of the resolution was already adopted (as of %(date)s)."
            ) % {"date": _fmt(earlier.as_of)}
    if not isinstance(as_of, dt.date):
        errors["as_of"] = _("Enter the date of the review.")
    elif as_of > _today():
        errors["as_of"] = _("The date cannot be in the future.")
    elif as_of < resolution.issued_on:
        errors["as_of"] = _("A review cannot come before the resolution (%(date)s).") % {
            "date": _fmt(resolution.issued_on)
        }
    _raise(errors)
    bands = bands or DEFAULT_BANDS
    review = resolution_review(resolution=resolution, as_of=as_of, bands=bands)
    with acting_as(actor):
        adopted = AdoptedReview.objects.create(
            resolution=resolution,
            kind=kind,
            as_of=as_of,
            met=bands.met,
            near=bands.near,
            total=review.total,
            counts=dict(review.counts),
            by_group={g: dict(c) for g, c in review.by_group.items()},
            sentences_vi=review.sentences("vi"),
            sentences_en=review.sentences("en"),
            note=(note or "").strip(),
            adopted_by=actor if getattr(actor, "pk", None) else None,
        )
        AdoptedReviewRow.objects.bulk_create([_adopted_row(adopted, row) for row in review.rows])
    return adopted


def _adopted_row(adopted: AdoptedReview, row) -> AdoptedReviewRow:
    target, achievement, indicator = row.target, row.achievement, row.target.indicator
    return AdoptedReviewRow(
        review=adopted,
        target=target,
        position=target.position,
        indicator_code=indicator.code,
        indicator_name_vi=indicator.name_vi,
        indicator_name_en=indicator.name_en,
        group=indicator.group,
        measure_unit=indicator.measure_unit,
        decimals=indicator.decimals,
        unit_name=target.unit.name,
        kind=target.kind,
        baseline_value=target.baseline_value,
        baseline_year=target.baseline_year,
        target_value=target.target_value,
        target_value_high=target.target_value_high,
        target_year=target.target_year,
        has_data=achievement.has_data,
        actual=achievement.actual,
        actual_period=achievement.actual_period or "",
        actual_on=achievement.actual_on,
        numerator=achievement.numerator,
        denominator=achievement.denominator,
        percent=achievement.percent,
        progress=achievement.progress,
        band=row.band,
        periods=list(achievement.periods),
    )


# --- indicators --------------------------------------------------------------------------------

INDICATOR_FIELDS = {
    "code",
    "name_vi",
    "name_en",
    "group",
    "measure_unit",
    "decimals",
    "direction",
    "aggregation",
    "numerator",
    "denominator",
    "weight",
    "multiplier",
    "formula",
    "computed",
    "min_value",
    "max_value",
    "description",
}
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.\-]{0,39}$")


def _require_administrator(actor) -> None:
    # The catalogue is shared by every unit: only the system administrator changes it
    # (None is the system itself: commands, the demo, migrations).
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied(_("Only the system administrator changes the indicator catalogue."))


def _formula_cycle(code: str, refs: list[str]) -> bool:
    """Whether following the formulas from `refs` leads back to `code`."""
    seen: set[str] = set()
    frontier = list(refs)
    while frontier:
        current = frontier.pop()
        if current == code:
            return True
        if current in seen:
            continue
        seen.add(current)
        text = Indicator.objects.filter(code=current).values_list("formula", flat=True).first()
        if text:
            frontier.extend(formulas.references(text))
    return False


def _indicator_errors(values: dict, *, instance: Indicator | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    code = values.get("code") or ""
    if not _CODE.match(code):
        errors["code"] = _(
            "A code has capital letters, digits and - _ . only (at most 40), e.g. ECO-GROWTH."
        )
    else:
        clash = Indicator.objects.filter(code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["code"] = _("Another indicator has this code.")
    if not (values.get("name_vi") or "").strip():
        errors["name_vi"] = _("Enter the Vietnamese name.")
    if values.get("group") not in IndicatorGroup.values:
        errors["group"] = _("Choose the group.")
    if values.get("direction") not in Direction.values:
        errors["direction"] = _("Choose whether higher or lower is better.")
    if values.get("aggregation") not in Aggregation.values:
        errors["aggregation"] = _("Choose how the indicator adds up the tree.")
    decimals = values.get("decimals")
    if not isinstance(decimals, int) or not 0 <= decimals <= 4:
        errors["decimals"] = _("Choose 0 to 4 decimals.")
    if values.get("computed", "") not in ComputedSource.values:
        errors["computed"] = _("Choose what the indicator is computed from.")
    multiplier = values.get("multiplier")
    if multiplier is not None and Decimal(multiplier) <= 0:
        errors["multiplier"] = _("The multiplier must be above zero.")
    for name in ("numerator", "denominator", "weight"):
        other = values.get(name)
        if other is not None and instance is not None and other.pk == instance.pk:
            errors[name] = _("An indicator cannot refer to itself.")
    if values.get("aggregation") == Aggregation.RATIO and bool(values.get("numerator")) != bool(
        values.get("denominator")
    ):
        errors["denominator"] = _(
            "A ratio names both its numerator and its denominator indicator, or neither."
        )
    if values.get("aggregation") == Aggregation.WEIGHTED_MEAN and not values.get("weight"):
        errors["weight"] = _(
            "A weighted mean needs the indicator that weighs it (e.g. population)."
        )
    low, high = values.get("min_value"), values.get("max_value")
    if low is not None and high is not None and Decimal(high) < Decimal(low):
        errors["max_value"] = _("The largest value cannot be below the smallest.")
    text = (values.get("formula") or "").strip()
    if text:
        if values.get("computed"):
            errors["formula"] = _("A computed indicator has no formula.")
        else:
            try:
                refs = formulas.validate(text)
            except formulas.FormulaError as exc:
                errors["formula"] = str(exc)
            else:
                known = set(Indicator.objects.filter(code__in=refs).values_list("code", flat=True))
                missing = [ref for ref in refs if ref not in known and ref != code]
                if code in refs:
                    errors["formula"] = _("A formula cannot refer to its own indicator.")
                elif missing:
                    errors["formula"] = _("Unknown indicator codes: %(codes)s.") % {
                        "codes": ", ".join(missing)
                    }
                elif "code" not in errors and _formula_cycle(code, refs):
                    errors["formula"] = _("The formulas would refer to each other in a circle.")
    return errors


@transaction.atomic
def indicator_create(*, actor, **fields) -> Indicator:
    """Add an indicator to the shared catalogue (system administrator only)."""
    _require_administrator(actor)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    values = {
        "code": "",
        "name_vi": "",
        "name_en": "",
        "group": "",
        "measure_unit": "",
        "decimals": 1,
        "direction": Direction.HIGHER,
        "aggregation": Aggregation.SUM,
        "numerator": None,
        "denominator": None,
        "weight": None,
        "multiplier": Decimal(100),
        "formula": "",
        "computed": "",
        "min_value": None,
        "max_value": None,
        "description": "",
    }
    values.update(
        {
            k: v
            for k, v in fields.items()
            if v is not None
            or k in ("numerator", "denominator", "weight", "min_value", "max_value")
        }
    )
    values["code"] = (values["code"] or "").strip().upper()
    _raise(_indicator_errors(values))
    with acting_as(actor):
        return Indicator.objects.create(
            **{k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
        )


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, **fields) -> Indicator:
    """Change an indicator of the catalogue (system administrator only). Its code stays once
    figures or targets use it: imports and formulas name it."""
    _require_administrator(actor)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    values = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    values.update(fields)
    if "code" in fields:
        values["code"] = (fields["code"] or "").strip().upper()
    errors = _indicator_errors(values, instance=indicator)
    if values["code"] != indicator.code and (
        indicator.values.exists()
        or indicator.targets.exists()
        or Indicator.objects.filter(formula__contains=f"{{{indicator.code}}}").exists()
    ):
        errors["code"] = _("Figures, targets or formulas use this code: it cannot change.")
    if (
        values["computed"] != indicator.computed
        or (values["formula"] or "").strip() != indicator.formula.strip()
    ):
        if indicator.values.exists():
            errors.setdefault(
                "computed", _("Figures were entered for this indicator: it stays entered.")
            )
    _raise(errors)
    with acting_as(actor):
        for name in fields:
            value = values[name]
            setattr(indicator, name, value.strip() if isinstance(value, str) else value)
        indicator.save()
    return indicator


# --- targets -------------------------------------------------------------------------------------

TARGET_FIELDS = {
    "indicator",
    "unit",
    "kind",
    "change_basis",
    "reduction_basis",
    "target_value",
    "target_year",
    "baseline_value",
    "baseline_year",
    "target_value_high",
    "position",
    "note",
}


def _decimal_or_error(
    values: dict, name: str, errors: dict[str, str], *, required: bool = False
) -> None:
    values[name] = _number_or_error(values.get(name), name, errors)
    if name in errors:
        return
    if values[name] is None:
        if required:
            errors[name] = _("Enter a number.")
        return
    if abs(values[name]) >= MAX_VALUE:
        errors[name] = _("The number is too large.")


def _target_errors(
    values: dict, resolution: Resolution, *, instance: Target | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    indicator: Indicator | None = values.get("indicator")
    unit: Unit | None = values.get("unit")
    if indicator is None:
        errors["indicator"] = _("Choose the indicator.")
    if unit is None:
        errors["unit"] = _("Choose the unit.")
    elif not under(unit.path, [resolution.unit.path]):
        errors["unit"] = _("A target is set for the resolution's unit or a unit under it.")
    kind = values.get("kind")
    if kind not in TargetKind.values:
        errors["kind"] = _("Choose the kind of target.")
    for name in ("target_value", "target_value_high", "baseline_value"):
        _decimal_or_error(values, name, errors, required=name == "target_value")
    low, high = values.get("target_value"), values.get("target_value_high")
    if (
        "target_value" not in errors
        and "target_value_high" not in errors
        and high is not None
        and high < low
    ):
        errors["target_value_high"] = _("The upper end cannot be below the lower end.")
    target_year = values.get("target_year")
    if (
        not isinstance(target_year, int)
        or not resolution.start_year <= target_year <= resolution.end_year
    ):
        errors["target_year"] = _("Choose a year from %(start)d to %(end)d.") % {
            "start": resolution.start_year,
            "end": resolution.end_year,
        }
    baseline_year = values.get("baseline_year")
    if baseline_year is not None and (
        not isinstance(baseline_year, int) or baseline_year > resolution.start_year
    ):
        errors["baseline_year"] = _("The baseline is a year up to %(start)d.") % {
            "start": resolution.start_year
        }
    if (values.get("baseline_value") is None) != (
        baseline_year is None
    ) and "baseline_value" not in errors:
        errors["baseline_year"] = _("Give the baseline's value and its year together.")
    basis = values.get("change_basis") or ""
    if kind == TargetKind.ANNUAL_CHANGE:
        if basis not in ChangeBasis.values:
            errors["change_basis"] = _("Choose how the yearly change is read.")
        elif (
            basis in (ChangeBasis.POINTS, ChangeBasis.COMPOUND)
            and values.get("baseline_value") is None
        ):
            errors["baseline_value"] = _("A change from the baseline needs the baseline.")
        elif basis == ChangeBasis.COMPOUND and values.get("baseline_value") == 0:
            errors["baseline_value"] = _("A compound change cannot start from zero.")
    elif basis:
        errors["change_basis"] = _("Only an average yearly change is read this way.")
    reduction = values.get("reduction_basis") or ""
    if reduction_applies(indicator, kind):
        baseline, goal = values.get("baseline_value"), values.get("target_value")
        if reduction not in ReductionBasis.values:
            errors["reduction_basis"] = _(
                "Choose how this lower-is-better target is judged: "
                "the level reached or the share of the promised fall."
            )
        elif (
            reduction == ReductionBasis.FALL
            and "baseline_value" not in errors
            and "target_value" not in errors
        ):
            if baseline is None:
                errors["baseline_value"] = _(
                    "A share of the promised fall needs the baseline it falls from."
                )
            elif goal is not None and baseline <= goal:
                errors["baseline_value"] = _("For a fall, the baseline must be above the target.")
    elif reduction:
        errors["reduction_basis"] = _("Only a lower-is-better level or share is judged this way.")
    if (
        kind == TargetKind.CUMULATIVE
        and indicator is not None
        and indicator.aggregation == Aggregation.RATIO
    ):
        errors["kind"] = _(
            "Shares cannot be added over the years: choose a level or a share of counts."
        )
    position = values.get("position")
    if position is not None:
        if not isinstance(position, int) or position < 1:
            errors["position"] = _("The number in the resolution starts at 1.")
        else:
            clash = Target.objects.filter(resolution=resolution, position=position)
            if instance is not None:
                clash = clash.exclude(pk=instance.pk)
            if clash.exists():
                errors["position"] = _("The resolution already has a target with this number.")
    return errors


def reduction_applies(indicator: Indicator | None, kind: str | None) -> bool:
    """Whether a target of `kind` on `indicator` states how a reduction is judged: a level or
    a share of a lower-is-better indicator."""
    return (
        indicator is not None
        and indicator.direction == Direction.LOWER
        and kind in (TargetKind.LEVEL, TargetKind.RATIO)
    )


def _milestone_errors(
    milestones: dict, resolution: Resolution, errors: dict[str, str]
) -> dict[int, Decimal]:
    cleaned: dict[int, Decimal] = {}
    for year, value in (milestones or {}).items():
        try:
            year = int(year)
            amount = parse_number(value)
        except (TypeError, ValueError, ValidationError):
            amount = None
        if amount is None:
            errors["milestones"] = _("Each milestone is a year and a number.")
            continue
        if not resolution.start_year <= year <= resolution.end_year:
            errors["milestones"] = _("Milestones lie in the years %(start)d–%(end)d.") % {
                "start": resolution.start_year,
                "end": resolution.end_year,
            }
            continue
        cleaned[year] = amount
    return cleaned


def _write_milestones(target: Target, milestones: dict[int, Decimal]) -> None:
    existing = {m.year: m for m in target.milestones.all()}
    for year, milestone in existing.items():
        if year not in milestones:
            milestone.delete()
    for year, value in sorted(milestones.items()):
        milestone = existing.get(year)
        if milestone is None:
            TargetMilestone.objects.create(target=target, year=year, value=value)
        elif milestone.value != value:
            milestone.value = value
            milestone.save()


def may_change_targets(actor, resolution: Resolution, *units: Unit | None) -> bool:
    """Whether `actor` may set or change targets of `resolution` for `units`: a target is set
    and changed by those who may change its resolution, with change rights on the target's unit
    too. The pages, the API and the services ask this one question (None is the system)."""
    if actor is None:
        return True
    access = Access.of(actor)
    return access.may(Action.CHANGE, resolution.unit) and all(
        access.may(Action.CHANGE, u) for u in units if u is not None
    )


def _require_target_rights(actor, resolution: Resolution, *units: Unit) -> None:
    if not may_change_targets(actor, resolution, *units):
        raise PermissionDenied(
            _("Targets are set and changed by those who may change their resolution and unit.")
        )


@transaction.atomic
def target_create(
    *,
    actor,
    resolution: Resolution,
    indicator: Indicator,
    unit: Unit | None = None,
    kind: str,
    target_value,
    target_year: int,
    baseline_value=None,
    baseline_year: int | None = None,
    target_value_high=None,
    position: int | None = None,
    note: str = "",
    milestones: dict[int, Decimal] | None = None,
    change_basis: str = "",
    reduction_basis: str = "",
) -> Target:
    """Add a target to a resolution, numbered after the last one unless `position` is given.
    An average yearly change reads its figures as rates unless `change_basis` says otherwise.
    The actor may change the resolution and the target's unit."""
    resolution = Resolution.objects.select_related("unit").get(pk=resolution.pk)
    _require_target_rights(actor, resolution, unit or resolution.unit)
    if kind == TargetKind.ANNUAL_CHANGE and not change_basis:
        change_basis = ChangeBasis.RATE
    values = {
        "indicator": indicator,
        "unit": unit or resolution.unit,
        "kind": kind,
        "change_basis": change_basis,
        "reduction_basis": reduction_basis or "",
        "target_value": target_value,
        "target_year": target_year,
        "baseline_value": baseline_value,
        "baseline_year": baseline_year,
        "target_value_high": target_value_high,
        "position": position,
        "note": note,
    }
    errors = _target_errors(values, resolution)
    cleaned_milestones = _milestone_errors(milestones or {}, resolution, errors)
    _raise(errors)
    if values["position"] is None:
        values["position"] = (resolution.targets.aggregate(n=Max("position"))["n"] or 0) + 1
    with acting_as(actor):
        target = Target.objects.create(
            resolution=resolution, **{**values, "note": (note or "").strip()}
        )
        _write_milestones(target, cleaned_milestones)
    return target


@transaction.atomic
def target_update(
    *, actor, target: Target, milestones: dict[int, Decimal] | None = None, **fields
) -> Target:
    """Correct a target; `milestones` (when given) replaces the yearly milestones. The actor
    may change the target's resolution and its unit (and the new unit when it moves)."""
    unknown = set(fields) - TARGET_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("resolution__unit", "indicator", "unit")
        .get(pk=target.pk)
    )
    _require_target_rights(actor, target.resolution, target.unit, fields.get("unit"))
    values = {name: getattr(target, name) for name in TARGET_FIELDS}
    values.update(fields)
    if values["kind"] == TargetKind.ANNUAL_CHANGE and not values["change_basis"]:
        values["change_basis"] = ChangeBasis.RATE
    if (
        values["kind"] != TargetKind.ANNUAL_CHANGE
        and "kind" in fields
        and "change_basis" not in fields
    ):
        values["change_basis"] = ""
    if (
        fields.keys() & {"kind", "indicator"}
        and "reduction_basis" not in fields
        and not reduction_applies(values["indicator"], values["kind"])
    ):
        values["reduction_basis"] = ""
    values["reduction_basis"] = values["reduction_basis"] or ""
    errors = _target_errors(values, target.resolution, instance=target)
    cleaned_milestones = (
        _milestone_errors(milestones or {}, target.resolution, errors)
        if milestones is not None
        else None
    )
    _raise(errors)
    with acting_as(actor):
        for name in TARGET_FIELDS:
            setattr(target, name, values[name])
        target.save()
        if cleaned_milestones is not None:
            _write_milestones(target, cleaned_milestones)
    return target


# --- data values ---------------------------------------------------------------------------------


class _Keep:
    """The type of `KEEP`."""

    def __repr__(self) -> str:
        return "KEEP"


# The default of a figure's source and comment: not given, the stored text stays; given as ""
# it is cleared. (A blank could not say both: a source entered by mistake could never go.)
KEEP = _Keep()


def _text_or_keep(text) -> str | None:
    """The text to store, or None to keep what is stored."""
    if text is KEEP or text is None:
        return None
    return str(text).strip()


def _unit_existed_during(unit: Unit, period: Period) -> bool:
    return unit.valid_from < period.end and (unit.valid_to is None or unit.valid_to > period.start)


def _check_figure(indicator: Indicator, name: str, value: Decimal, errors: dict[str, str]) -> None:
    if _decimals_of(value) > indicator.decimals:
        errors[name] = _("%(indicator)s takes at most %(n)d decimals.") % {
            "indicator": indicator.code,
            "n": indicator.decimals,
        }
        return
    low, high = indicator.min_value, indicator.max_value
    if indicator.is_percentage:
        low = Decimal(0) if low is None else low
        high = Decimal(100) if high is None else high
    if low is not None and value < low:
        errors[name] = _("%(indicator)s is at least %(low)s %(unit)s.") % {
            "indicator": indicator.code,
            "low": message_number(low),
            "unit": indicator.measure_unit,
        }
    elif high is not None and value > high:
        errors[name] = _("%(indicator)s is at most %(high)s %(unit)s.") % {
            "indicator": indicator.code,
            "high": message_number(high),
            "unit": indicator.measure_unit,
        }
    elif abs(value) >= MAX_VALUE:
        errors[name] = _("The number is too large.")


@dataclass
class CheckedValue:
    """A figure that passed the checks, ready to be written. A source or comment of None
    keeps the stored one (it was not given)."""

    indicator: Indicator
    unit: Unit
    period: Period
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    source: str | None
    comment: str | None


def check_value(
    *,
    indicator: Indicator | None,
    unit: Unit | None,
    period: str,
    value,
    numerator=None,
    denominator=None,
    source: str | _Keep = KEEP,
    comment: str | _Keep = KEEP,
) -> tuple[CheckedValue | None, dict[str, str]]:
    """The checks of one figure, shared by the single save, the bulk import and the XLSX upload:
    returns the cleaned figure or the errors by field. `source` and `comment` left as `KEEP`
    keep the stored texts; "" clears them."""
    errors: dict[str, str] = {}
    if indicator is None:
        errors["indicator"] = _("Choose the indicator.")
    elif not indicator.is_entered:
        errors["indicator"] = _("%(indicator)s is computed, not entered.") % {
            "indicator": indicator.code
        }
    if unit is None:
        errors["unit"] = _("Choose the unit.")
    parsed_period: Period | None = None
    try:
        parsed_period = parse_period(period)
    except ValueError as exc:
        errors["period"] = str(exc)
    if parsed_period is not None:
        if parsed_period.start > _today():
            errors["period"] = _("%(period)s has not started yet.") % {"period": parsed_period.code}
        elif unit is not None and not _unit_existed_during(unit, parsed_period):
            errors["unit"] = _("%(unit)s did not exist during %(period)s.") % {
                "unit": unit,
                "period": parsed_period.code,
            }
    figures: dict[str, Decimal | None] = {}
    for name, raw in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        figures[name] = _number_or_error(raw, name, errors)
    n, d = figures["numerator"], figures["denominator"]
    if "numerator" not in errors and "denominator" not in errors and (n is None) != (d is None):
        errors["denominator" if d is None else "numerator"] = _(
            "Give the numerator and the denominator together."
        )
    elif n is not None and d is not None:
        if d <= 0:
            errors["denominator"] = _("The denominator must be above zero.")
        elif n < 0:
            errors["numerator"] = _("The numerator cannot be negative.")
        elif (
            n > d
            and indicator is not None
            and indicator.is_percentage
            and indicator.max_value is None
        ):
            errors["numerator"] = _("The numerator cannot exceed the denominator.")
    if figures["value"] is None and "value" not in errors:
        if (
            n is not None
            and d is not None
            and not errors.keys() & {"numerator", "denominator"}
            and indicator is not None
        ):
            figures["value"] = quantize(n / d * indicator.multiplier, indicator.decimals)
        else:
            errors["value"] = _("Enter a number.")
    elif (
        figures["value"] is not None
        and n is not None
        and d is not None
        and indicator is not None
        and not errors.keys() & {"numerator", "denominator", "value"}
    ):
        expected = quantize(n / d * indicator.multiplier, indicator.decimals)
        if quantize(figures["value"], indicator.decimals) != expected:
            errors["value"] = _("The value does not match %(n)s / %(d)s (%(expected)s).") % {
                "n": message_number(n),
                "d": message_number(d),
                "expected": message_number(expected),
            }
    if (
        indicator is not None
        and indicator.is_entered
        and figures["value"] is not None
        and "value" not in errors
    ):
        _check_figure(indicator, "value", figures["value"], errors)
    source, comment = _text_or_keep(source), _text_or_keep(comment)
    if source is not None and len(source) > 200:
        errors["source"] = _("A source has at most 200 characters.")
    if errors:
        return None, errors
    # Stored with four decimals: the same figure then reads the same before and after a save.
    places = VALUE_DIGITS["decimal_places"]
    return CheckedValue(
        indicator=indicator,
        unit=unit,
        period=parsed_period,
        value=quantize(figures["value"], places),
        numerator=None if n is None else quantize(n, places),
        denominator=None if d is None else quantize(d, places),
        source=source,
        comment=comment,
    ), {}


def _locked_error(existing: DataValue) -> str | None:
    if existing.state == ValueState.APPROVED:
        return _("Approved values are locked: the level that approved it must reopen it first.")
    if existing.state == ValueState.SUBMITTED:
        return _("Submitted values are locked until they are approved or returned.")
    return None


def _transition(value: DataValue, from_state: str, to_state: str, actor, reason: str = "") -> None:
    DataValueTransition.objects.create(
        value=value,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason,
        figure=value.value,
    )


def _same_figure(existing: DataValue, checked: CheckedValue) -> bool:
    return (
        existing.value == checked.value
        and existing.numerator == checked.numerator
        and existing.denominator == checked.denominator
        and (checked.source is None or existing.source == checked.source)
        and (checked.comment is None or existing.comment == checked.comment)
    )


def _write(checked: CheckedValue, existing: DataValue | None, actor) -> DataValue:
    """Create or change a figure (the caller checked the lock). Runs under acting_as."""
    entered_by = actor if getattr(actor, "pk", None) else None
    if existing is None:
        value = DataValue.objects.create(
            indicator=checked.indicator,
            unit=checked.unit,
            period=checked.period.code,
            period_kind=checked.period.kind,
            period_start=checked.period.start,
            value=checked.value,
            numerator=checked.numerator,
            denominator=checked.denominator,
            source=checked.source or "",
            comment=checked.comment or "",
            entered_by=entered_by,
            state=ValueState.DRAFT,
        )
        _transition(value, "", ValueState.DRAFT, actor)
        return value
    existing.value = checked.value
    existing.numerator = checked.numerator
    existing.denominator = checked.denominator
    if checked.source is not None:
        existing.source = checked.source
    if checked.comment is not None:
        existing.comment = checked.comment
    existing.entered_by = entered_by or existing.entered_by
    existing.save()
    return existing


@transaction.atomic
def data_value_save(
    *,
    actor,
    indicator: Indicator,
    unit: Unit,
    period: str,
    value,
    numerator=None,
    denominator=None,
    source: str | _Keep = KEEP,
    comment: str | _Keep = KEEP,
) -> DataValue:
    """Enter or correct the figure of `indicator` for `unit` and `period` (a draft, or a value
    returned for correction). Refused: a computed indicator, a period not yet started or when
    the unit did not exist, too many decimals, a figure out of the indicator's range, and a
    submitted or approved (locked) value. With a numerator and a denominator the value may be
    left out: it is their ratio. `source` and `comment` not given keep the stored texts; given
    as "" they are cleared."""
    checked, errors = check_value(
        indicator=indicator,
        unit=unit,
        period=period,
        value=value,
        numerator=numerator,
        denominator=denominator,
        source=source,
        comment=comment,
    )
    _raise(errors)
    existing = (
        DataValue.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period=checked.period.code)
        .first()
    )
    if existing is not None:
        locked = _locked_error(existing)
        if locked:
            raise ValidationError({"value": locked})
    with acting_as(actor):
        return _write(checked, existing, actor)


def _reload(value: DataValue) -> DataValue:
    return (
        DataValue.objects.select_for_update(of=("self",))
        .select_related("unit", "indicator", "approved_level")
        .get(pk=value.pk)
    )


@transaction.atomic
def data_value_submit(*, actor, value: DataValue) -> DataValue:
    """Send a draft (or a returned value) up for approval; it is locked from then on."""
    value = _reload(value)
    if value.state not in (ValueState.DRAFT, ValueState.RETURNED):
        raise ValidationError({"state": _("Only a draft or a returned value can be submitted.")})
    with acting_as(actor):
        before = value.state
        value.state = ValueState.SUBMITTED
        value.save()
        _transition(value, before, ValueState.SUBMITTED, actor)
    return value


def managing_level(actor, unit: Unit) -> Unit | None:
    """The unit at whose level `actor` manages `unit`: the nearest unit at or above it on which
    the actor holds the manager role. A system administrator without such a role acts at the
    level directly above (the unit itself at the root). None: the actor may not approve."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    ancestor_ids = unit.ancestor_ids()
    role = (
        RoleAssignment.objects.filter(
            user=actor, role=RoleAssignment.Role.MANAGER, unit_id__in=ancestor_ids
        )
        .select_related("unit")
        .order_by("-unit__depth")
        .first()
    )
    if role is not None:
        return role.unit
    if actor.is_superuser:
        return unit.parent if unit.parent_id else unit
    return None


@transaction.atomic
def data_value_approve(*, actor, value: DataValue) -> DataValue:
    """Approve a submitted value: it is locked, and the level that approved it (the nearest
    unit at or above the value's unit that the actor manages) is recorded. The person who
    entered the figure does not approve it while the rule "approval_by_other_person" holds
    (the default)."""
    value = _reload(value)
    level = managing_level(actor, value.unit)
    if level is None:
        raise PermissionDenied(
            _("Only a manager of this unit or of the level above approves its values.")
        )
    if value.state != ValueState.SUBMITTED:
        raise ValidationError({"state": _("Only a submitted value can be approved.")})
    if entered_by_actor(actor, value):
        raise ValidationError(
            {
                "approved_by": _(
                    "You entered this figure: "
                    "another manager of this unit or of the level above approves it."
                )
            }
        )
    with acting_as(actor):
        value.state = ValueState.APPROVED
        value.approved_by = actor
        value.approved_at = timezone.now()
        value.approved_level = level
        value.returned_reason = ""
        value.save()
        _transition(value, ValueState.SUBMITTED, ValueState.APPROVED, actor)
    return value


@transaction.atomic
def data_value_return(*, actor, value: DataValue, reason: str) -> DataValue:
    """Return a submitted value to the unit for correction, with the reason."""
    value = _reload(value)
    if managing_level(actor, value.unit) is None:
        raise PermissionDenied(
            _("Only a manager of this unit or of the level above returns its values.")
        )
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if value.state != ValueState.SUBMITTED:
        errors["state"] = _("Only a submitted value can be returned.")
    if not reason:
        errors["reason"] = _("Say why the value is returned.")
    _raise(errors)
    with acting_as(actor):
        value.state = ValueState.RETURNED
        value.returned_reason = reason
        value.save()
        _transition(value, ValueState.SUBMITTED, ValueState.RETURNED, actor, reason)
    return value


@transaction.atomic
def data_value_reopen(*, actor, value: DataValue, reason: str) -> DataValue:
    """Unlock an approved value for correction (back to draft), by a manager of the level that
    approved it; the approval stays in the value's history."""
    value = _reload(value)
    if value.state == ValueState.APPROVED and not may_reopen(actor, value):
        raise PermissionDenied(_("Only the level that approved this value can reopen it."))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if value.state != ValueState.APPROVED:
        errors["state"] = _("Only an approved value can be reopened.")
    if not reason:
        errors["reason"] = _("Say why the value is reopened.")
    _raise(errors)
    with acting_as(actor):
        value.state = ValueState.DRAFT
        value.approved_by = None
        value.approved_at = None
        value.approved_level = None
        value.save()
        _transition(value, ValueState.APPROVED, ValueState.DRAFT, actor, reason)
    return value


# --- the data-entry grid --------------------------------------------------------------------------


class GridRefused(ValidationError):
    """The figures of a grid that were refused, by indicator id: each row's message stands
    next to its fields."""

    def __init__(self, by_indicator: dict[int, ValidationError]):
        self.by_indicator = by_indicator
        super().__init__([m for error in by_indicator.values() for m in error.messages])


def _require_grid_rights(actor, unit: Unit) -> None:
    """A unit's grid is written by those who may change its subtree, while the unit is open
    (None is the system itself)."""
    if actor is not None and not Access.of(actor).may(Action.CHANGE, unit):
        raise PermissionDenied(_("Your role on this unit is read-only."))
    if not unit.is_open:
        raise ValidationError(
            _("%(unit)s closed on %(date)s: its figures are no longer entered.")
            % {"unit": unit.name, "date": _fmt(unit.valid_to)}
        )


@transaction.atomic
def data_values_save_grid(
    *,
    actor,
    unit: Unit,
    period: str,
    figures: Iterable[tuple[Indicator, dict]],
    submit: Iterable[int] = (),
    dry_run: bool = False,
) -> dict[int, DataValue]:
    """Save the figures typed in a unit's grid for one period, all or nothing: each
    (indicator, keyword arguments of `data_value_save`) by the rules of the single save. Then,
    with `submit` (indicator ids), send those indicators' drafts and returned figures up for
    approval. Any refusal and nothing is saved: `GridRefused` names each refused row. `dry_run`
    checks every row, says what it refuses and saves nothing (the page's own checks refused
    another row). Refused outright: an actor with a read-only role, a closed unit."""
    _require_grid_rights(actor, unit)
    saved: dict[int, DataValue] = {}
    refused: dict[int, ValidationError] = {}
    for indicator, kwargs in figures:
        try:
            saved[indicator.pk] = data_value_save(
                actor=actor, indicator=indicator, unit=unit, period=period, **kwargs
            )
        except ValidationError as error:
            refused[indicator.pk] = error
    if refused:
        raise GridRefused(refused)
    if dry_run:
        transaction.set_rollback(True)
        return saved
    wanted = set(submit)
    if wanted:
        drafts = DataValue.objects.filter(
            unit=unit,
            period=period,
            indicator_id__in=wanted,
            state__in=(ValueState.DRAFT, ValueState.RETURNED),
        ).select_related("unit", "indicator")
        for value in drafts:
            saved[value.indicator_id] = data_value_submit(actor=actor, value=value)
    return saved


@transaction.atomic
def data_values_approve(*, actor, values: Iterable[DataValue]) -> int:
    """Approve several submitted figures at once (a manager's "approve all"), all or nothing;
    each by the rules of `data_value_approve`. Returns how many were approved."""
    count = 0
    for value in values:
        data_value_approve(actor=actor, value=value)
        count += 1
    return count


# --- bulk import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRowError:
    """One refused cell of an import: the row (1-based, as the file or request numbers it),
    the field and the message."""

    row: int
    field: str
    message: str


@dataclass
class ImportSummary:
    """What an import did (or, on a dry run or when any row was refused, would have done)."""

    created: int = 0
    updated: int = 0
    ignored: int = 0
    errors: list[ImportRowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + self.ignored

    @property
    def saved(self) -> bool:
        return not self.dry_run and not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "saved": self.saved,
            "created": self.created,
            "updated": self.updated,
            "ignored": self.ignored,
            "errors": [{"row": e.row, "field": e.field, "message": e.message} for e in self.errors],
        }


class _Rollback(Exception):
    pass


def data_values_import(
    *, actor, rows: Iterable[dict], dry_run: bool = False, submit: bool = False
) -> ImportSummary:
    """Enter many figures at once: each row names the indicator and unit by code, the period,
    the value (and optionally numerator, denominator, source, comment) and its `_row` number.
    A row without a source or comment (the key left out, or None) keeps the stored text; an
    empty one clears it.

    All or nothing: every row is checked by the rules of `data_value_save`; a unit outside the
    actor's subtrees reads as unknown; the same figure twice in the file is refused. Any error
    and nothing is saved. A figure equal to the stored one is ignored. `dry_run` checks and
    counts without saving; `submit` sends the created and changed figures up for approval."""
    rows = list(rows)
    summary = ImportSummary(dry_run=dry_run)
    codes = {str(r.get("indicator") or "").strip().upper() for r in rows}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    unit_codes = {str(r.get("unit") or "").strip() for r in rows}
    # The system itself (actor None: commands, the demo) enters for any unit.
    scope = Unit.objects.all() if actor is None else Unit.objects.visible_to(actor, Action.CHANGE)
    units = {u.code: u for u in scope.filter(code__in=unit_codes)}
    checked_rows: list[tuple[int, CheckedValue]] = []
    seen: dict[tuple[int, int, str], int] = {}
    for index, raw in enumerate(rows, start=1):
        number = int(raw.get("_row") or index)
        code = str(raw.get("indicator") or "").strip().upper()
        unit_code = str(raw.get("unit") or "").strip()
        indicator, unit = indicators.get(code), units.get(unit_code)
        row_errors: dict[str, str] = {}
        if indicator is None:
            row_errors["indicator"] = (
                _("Unknown indicator “%(code)s”.") % {"code": code}
                if code
                else _("Enter the indicator's code.")
            )
        if unit is None:
            row_errors["unit"] = (
                _("Unknown unit “%(code)s”, or outside the units you may enter for.")
                % {"code": unit_code}
                if unit_code
                else _("Enter the unit's code.")
            )
        checked, errors = check_value(
            indicator=indicator,
            unit=unit,
            period=str(raw.get("period") or ""),
            value=raw.get("value"),
            numerator=raw.get("numerator"),
            denominator=raw.get("denominator"),
            source=raw.get("source", KEEP),
            comment=raw.get("comment", KEEP),
        )
        for name, message in errors.items():
            row_errors.setdefault(name, message)
        if checked is not None and not row_errors:
            key = (indicator.pk, unit.pk, checked.period.code)
            if key in seen:
                row_errors["period"] = _("The same figure is already in row %(row)d.") % {
                    "row": seen[key]
                }
            else:
                seen[key] = number
                checked_rows.append((number, checked))
        summary.errors.extend(
            ImportRowError(number, name, message) for name, message in row_errors.items()
        )

    existing_by_key: dict[tuple[int, int, str], DataValue] = {}
    if checked_rows:
        found = DataValue.objects.filter(
            indicator_id__in={c.indicator.pk for _n, c in checked_rows},
            unit_id__in={c.unit.pk for _n, c in checked_rows},
            period__in={c.period.code for _n, c in checked_rows},
        )
        existing_by_key = {(v.indicator_id, v.unit_id, v.period): v for v in found}
    plan: list[tuple[CheckedValue, DataValue | None]] = []
    for number, checked in checked_rows:
        existing = existing_by_key.get((checked.indicator.pk, checked.unit.pk, checked.period.code))
        if existing is not None and _same_figure(existing, checked):
            summary.ignored += 1
            continue
        if existing is not None:
            locked = _locked_error(existing)
            if locked:
                summary.errors.append(ImportRowError(number, "value", locked))
                continue
            summary.updated += 1
        else:
            summary.created += 1
        plan.append((checked, existing))
    summary.errors.sort(key=lambda e: (e.row, e.field))
    if dry_run or summary.errors:
        return summary
    try:
        with transaction.atomic(), acting_as(actor):
            for checked, existing in plan:
                if existing is not None:
                    # Re-read under lock: another person may have submitted it meanwhile.
                    existing = DataValue.objects.select_for_update().get(pk=existing.pk)
                    if _locked_error(existing):
                        summary.errors.append(ImportRowError(0, "value", _locked_error(existing)))
                        raise _Rollback
                written = _write(checked, existing, actor)
                if submit and written.state in (ValueState.DRAFT, ValueState.RETURNED):
                    before = written.state
                    written.state = ValueState.SUBMITTED
                    written.save()
                    _transition(written, before, ValueState.SUBMITTED, actor)
    except _Rollback:
        pass
    return summary
