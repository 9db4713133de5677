"""Writes of the "4 good" frameworks, registrations and monthly self-assessments. Each service:
keyword-only arguments, the acting user passed in, one transaction, validation before saving,
a ValidationError naming the field on failure and nothing written then.

Rules kept here:
- a framework that a registration uses is never edited in place: `framework_new_version`
  copies it, and the copy is edited and published;
- a unit registers once a year under a published framework meant for its kind, issued by a
  unit at or above it; its own criteria fit in the room its framework's groups leave;
- a month is saved as a draft, submitted (late after day N of the next month), then accepted
  (locked) or returned with a reason by the level above, who alone may reopen an accepted month,
  with a reason. Every step is a `ReviewStep` row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.audit import acting_as
from grassroots.organizations.models import Unit

from . import scoring, tallies
from .choices import EDITABLE_STATUSES, MissingMonths, Scoring, Status, StepKind, YearEndRule
from .models import (
    Band,
    Criterion,
    CriterionGroup,
    Evidence,
    Framework,
    MonthlyAssessment,
    Registration,
    ReviewStep,
    Score,
)
from .selectors import may_review
from .suggestions import is_known

FRAMEWORK_FIELDS = (
    "name",
    "guideline_number",
    "guideline_date",
    "unit_kinds",
    "missing_months",
    "year_end_rule",
)


def _points(value, field: str) -> Decimal:
    try:
        points = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError({field: _("Enter a number of points.")}) from error
    return points


# --- frameworks ---------------------------------------------------------------------------------

GROUP_FIELDS = ("code", "name_vi", "name_en", "max_points", "min_points")
CRITERION_FIELDS = (
    "code",
    "text_vi",
    "text_en",
    "max_points",
    "scoring",
    "scale_steps",
    "suggester",
)
BAND_FIELDS = ("key", "label_vi", "label_en", "min_total", "requires_group_minimums")


def framework_in_use(framework: Framework) -> bool:
    """A framework is in use once a registration refers to it (and through it every month)."""
    return framework.registrations.exists()


def _require_draft(framework: Framework) -> None:
    """Only a draft is edited: a version in use or published is changed in a new version."""
    if framework_in_use(framework):
        raise ValidationError(
            _(
                "Units have registered under this version: it is never edited in place. "
                "Make a new version and edit that."
            )
        )
    if framework.is_published:
        raise ValidationError(
            _("This version is published: make a new version and edit that before issuing it.")
        )


def _only(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({n: _("This field cannot be changed here.") for n in sorted(unknown)})


def _save_fields(actor, obj, values: dict):
    """Write checked values onto a framework or one of its parts (after its own validation)."""
    with acting_as(actor):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def _update_part(actor, part, framework: Framework, fields: dict, allowed: tuple, check):
    """Every change of a group, a criterion or a band: only its own fields, only in a draft,
    checked whole (the fields given over the part's current values) before anything is saved."""
    _only(fields, allowed)
    _require_draft(framework)
    current = {f: getattr(part, f) for f in allowed}
    return _save_fields(actor, part, check(current | fields))


def _framework_errors(fields: dict) -> dict[str, str]:
    from grassroots.organizations.choices import UnitKind

    errors: dict[str, str] = {}
    if "name" in fields and not (fields["name"] or "").strip():
        errors["name"] = _("Enter the framework's name.")
    if "unit_kinds" in fields:
        kinds = fields["unit_kinds"] or []
        if not kinds or any(k not in UnitKind.values for k in kinds):
            errors["unit_kinds"] = _("Choose the kinds of unit the framework applies to.")
    if "missing_months" in fields and fields["missing_months"] not in MissingMonths.values:
        errors["missing_months"] = _("Choose how missing months count.")
    if "year_end_rule" in fields and fields["year_end_rule"] not in YearEndRule.values:
        errors["year_end_rule"] = _("Choose the year-end rule.")
    return errors


@transaction.atomic
def framework_create(
    *,
    actor,
    issuing_unit: Unit,
    code: str,
    name: str,
    guideline_number: str = "",
    guideline_date: dt.date | None = None,
    unit_kinds: list[str],
    missing_months: str = MissingMonths.ZERO,
    year_end_rule: str = YearEndRule.AVERAGE,
) -> Framework:
    """Start a framework (version 1, unpublished) issued by an organization board's unit."""
    fields = {
        "name": name,
        "unit_kinds": unit_kinds,
        "missing_months": missing_months,
        "year_end_rule": year_end_rule,
    }
    errors = _framework_errors(fields)
    code = (code or "").strip().lower()
    if not code:
        errors["code"] = _("Enter a short code (letters, digits, hyphens).")
    elif Framework.objects.filter(code=code).exists():
        errors["code"] = _("Another framework has this code.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        return Framework.objects.create(
            issuing_unit=issuing_unit,
            code=code,
            name=name.strip(),
            guideline_number=(guideline_number or "").strip(),
            guideline_date=guideline_date,
            unit_kinds=list(unit_kinds),
            missing_months=missing_months,
            year_end_rule=year_end_rule,
        )


@transaction.atomic
def framework_update(*, actor, framework: Framework, **fields) -> Framework:
    """Change a draft framework's heading fields; refused once published or in use."""
    _only(fields, FRAMEWORK_FIELDS)
    _require_draft(framework)
    errors = _framework_errors(fields)
    if errors:
        raise ValidationError(errors)
    values = {n: v.strip() if isinstance(v, str) else v for n, v in fields.items()}
    return _save_fields(actor, framework, values)


def _checked_group(
    framework: Framework, *, code, name_vi, name_en, max_points, min_points, group=None
) -> dict:
    """A group's values, checked: its code unique in the framework, its maximum above zero and
    above what the framework's criteria already hold in it, its minimum within the maximum."""
    errors: dict[str, str] = {}
    code = (code or "").strip()
    if not code:
        errors["code"] = _("Enter the group's code.")
    elif framework.groups.filter(code=code).exclude(pk=getattr(group, "pk", None)).exists():
        errors["code"] = _("The framework already has a group with this code.")
    if not (name_vi or "").strip():
        errors["name_vi"] = _("Enter the group's name in Vietnamese.")
    maximum = _points(max_points, "max_points")
    held = Decimal(0)
    if group is not None:
        held = group.criteria.filter(registration__isnull=True).aggregate(s=Sum("max_points"))["s"]
        held = held or Decimal(0)
    if maximum <= 0:
        errors["max_points"] = _("The maximum is more than zero.")
    elif maximum < held:
        errors["max_points"] = _("The group's criteria already hold %(held)s points.") % {
            "held": held
        }
    minimum = None if min_points in (None, "") else _points(min_points, "min_points")
    if minimum is not None and not (0 <= minimum <= maximum):
        errors["min_points"] = _("The minimum lies between zero and the group's maximum.")
    if errors:
        raise ValidationError(errors)
    return {
        "code": code,
        "name_vi": name_vi.strip(),
        "name_en": (name_en or "").strip(),
        "max_points": maximum,
        "min_points": minimum,
    }


@transaction.atomic
def group_add(
    *,
    actor,
    framework: Framework,
    code: str,
    name_vi: str,
    name_en: str = "",
    max_points,
    min_points=None,
    order: int | None = None,
) -> CriterionGroup:
    """Add a group of criteria to a draft framework."""
    _require_draft(framework)
    values = _checked_group(
        framework,
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        max_points=max_points,
        min_points=min_points,
    )
    if order is None:
        order = framework.groups.count() + 1
    with acting_as(actor):
        return CriterionGroup.objects.create(framework=framework, order=order, **values)


@transaction.atomic
def group_update(*, actor, group: CriterionGroup, **fields) -> CriterionGroup:
    """Change a group of a draft framework (the fields given; the others stay)."""
    framework = group.framework
    return _update_part(
        actor,
        group,
        framework,
        fields,
        GROUP_FIELDS,
        lambda values: _checked_group(framework, group=group, **values),
    )


def _criterion_errors(
    *,
    group: CriterionGroup,
    code,
    text_vi,
    max_points,
    scoring_kind,
    scale_steps,
    suggester,
    registration=None,
    criterion: Criterion | None = None,
) -> tuple[dict[str, str], Decimal]:
    errors: dict[str, str] = {}
    if not (code or "").strip():
        errors["code"] = _("Enter the criterion's code.")
    if not (text_vi or "").strip():
        errors["text_vi"] = _("Enter the criterion in Vietnamese.")
    maximum = _points(max_points, "max_points")
    if maximum <= 0:
        errors["max_points"] = _("The maximum is more than zero.")
    if scoring_kind not in Scoring.values:
        errors["scoring"] = _("Choose how the criterion is scored.")
    if scoring_kind == Scoring.SCALE and not (1 <= int(scale_steps or 0) <= 10):
        errors["scale_steps"] = _("A scale has from 1 to 10 steps.")
    if suggester and not is_known(suggester):
        errors["suggester"] = _("No records suggest scores under this name.")
    others = group.criteria.exclude(pk=getattr(criterion, "pk", None))
    used = others.filter(registration__isnull=True).aggregate(s=Sum("max_points"))["s"]
    used = used or Decimal(0)
    if registration is not None:
        own = others.filter(registration=registration).aggregate(s=Sum("max_points"))["s"]
        used += own or Decimal(0)
    if "max_points" not in errors and used + maximum > group.max_points:
        errors["max_points"] = _(
            "The group's criteria would exceed its %(max)s points: %(left)s points are left."
        ) % {"max": group.max_points, "left": max(group.max_points - used, Decimal(0))}
    return errors, maximum


def _criterion_values(*, code, text_vi, text_en, maximum, scoring_kind, scale_steps, suggester):
    """The values a criterion is saved with once checked (new, own or changed)."""
    return {
        "code": code.strip(),
        "text_vi": text_vi.strip(),
        "text_en": (text_en or "").strip(),
        "max_points": maximum,
        "scoring": scoring_kind,
        "scale_steps": scale_steps or 4,
        "suggester": suggester or "",
    }


def _checked_criterion(group: CriterionGroup, criterion: Criterion | None = None, **fields):
    """A framework criterion's values, checked: within the room its group leaves, its code
    unique among the group's framework criteria."""
    errors, maximum = _criterion_errors(
        group=group,
        code=fields["code"],
        text_vi=fields["text_vi"],
        max_points=fields["max_points"],
        scoring_kind=fields["scoring"],
        scale_steps=fields["scale_steps"],
        suggester=fields["suggester"],
        criterion=criterion,
    )
    code = (fields["code"] or "").strip()
    same_code = group.criteria.filter(registration__isnull=True, code=code)
    if same_code.exclude(pk=getattr(criterion, "pk", None)).exists():
        errors["code"] = _("The group already has a criterion with this code.")
    if errors:
        raise ValidationError(errors)
    return _criterion_values(
        code=fields["code"],
        text_vi=fields["text_vi"],
        text_en=fields["text_en"],
        maximum=maximum,
        scoring_kind=fields["scoring"],
        scale_steps=fields["scale_steps"],
        suggester=fields["suggester"],
    )


@transaction.atomic
def criterion_add(
    *,
    actor,
    group: CriterionGroup,
    code: str,
    text_vi: str,
    text_en: str = "",
    max_points,
    scoring: str = Scoring.POINTS,
    scale_steps: int = 4,
    suggester: str = "",
    order: int | None = None,
) -> Criterion:
    """Add a criterion to a group of a draft framework; the group's criteria together stay
    within its maximum (what is left is the units' room for their own criteria)."""
    _require_draft(group.framework)
    values = _checked_criterion(
        group,
        code=code,
        text_vi=text_vi,
        text_en=text_en,
        max_points=max_points,
        scoring=scoring,
        scale_steps=scale_steps,
        suggester=suggester,
    )
    with acting_as(actor):
        return Criterion.objects.create(
            group=group,
            order=order if order is not None else group.criteria.count() + 1,
            **values,
        )


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    """Change a criterion of a draft framework (the fields given; the others stay). A unit's
    own criterion belongs to its registration and is not changed here."""
    if criterion.registration_id:
        raise ValidationError(_("A unit's own criterion is changed on its registration."))
    group = criterion.group
    return _update_part(
        actor,
        criterion,
        group.framework,
        fields,
        CRITERION_FIELDS,
        lambda values: _checked_criterion(group, criterion, **values),
    )


def _checked_band(
    framework: Framework,
    *,
    key,
    label_vi,
    label_en,
    min_total,
    requires_group_minimums,
    band: Band | None = None,
) -> dict:
    """A band's values, checked: its key and its start unique in the framework."""
    errors: dict[str, str] = {}
    others = framework.bands.exclude(pk=getattr(band, "pk", None))
    key = (key or "").strip().lower()
    if not key:
        errors["key"] = _("Enter the band's key.")
    elif others.filter(key=key).exists():
        errors["key"] = _("The framework already has a band with this key.")
    if not (label_vi or "").strip():
        errors["label_vi"] = _("Enter the band's label in Vietnamese.")
    minimum = _points(min_total, "min_total")
    if minimum < 0:
        errors["min_total"] = _("A band starts at zero points or more.")
    elif others.filter(min_total=minimum).exists():
        errors["min_total"] = _("Two bands cannot start at the same total.")
    if errors:
        raise ValidationError(errors)
    return {
        "key": key,
        "label_vi": label_vi.strip(),
        "label_en": (label_en or "").strip(),
        "min_total": minimum,
        "requires_group_minimums": bool(requires_group_minimums),
    }


@transaction.atomic
def band_add(
    *,
    actor,
    framework: Framework,
    key: str,
    label_vi: str,
    label_en: str = "",
    min_total,
    requires_group_minimums: bool = False,
) -> Band:
    """Add a rating band starting at `min_total` (inclusive) to a draft framework."""
    _require_draft(framework)
    values = _checked_band(
        framework,
        key=key,
        label_vi=label_vi,
        label_en=label_en,
        min_total=min_total,
        requires_group_minimums=requires_group_minimums,
    )
    with acting_as(actor):
        return Band.objects.create(framework=framework, **values)


@transaction.atomic
def band_update(*, actor, band: Band, **fields) -> Band:
    """Change a band of a draft framework (the fields given; the others stay)."""
    framework = band.framework
    return _update_part(
        actor,
        band,
        framework,
        fields,
        BAND_FIELDS,
        lambda values: _checked_band(framework, band=band, **values),
    )


@transaction.atomic
def framework_part_remove(*, actor, part: CriterionGroup | Criterion | Band) -> None:
    """Remove a group (with its criteria), a criterion or a band of a draft framework."""
    framework = part.group.framework if isinstance(part, Criterion) else part.framework
    if isinstance(part, Criterion) and part.registration_id:
        raise ValidationError(_("A unit's own criterion is removed from its registration."))
    _require_draft(framework)
    with acting_as(actor):
        if isinstance(part, CriterionGroup):
            for criterion in part.criteria.all():
                criterion.delete()
        part.delete()


def framework_problems(framework: Framework) -> list[str]:
    """What keeps a framework from being published: no groups, a group's criteria over its
    maximum, no band starting at zero, a band above the total."""
    problems: list[str] = []
    groups = list(framework.groups.prefetch_related("criteria"))
    if not groups:
        problems.append(_("The framework has no groups of criteria."))
    total = sum((g.max_points for g in groups), Decimal(0))
    for group in groups:
        own = [c for c in group.criteria.all() if c.registration_id is None]
        if not own:
            problems.append(_("Group %(code)s has no criteria.") % {"code": group.code})
        used = sum((c.max_points for c in own), Decimal(0))
        if used > group.max_points:
            problems.append(
                _("The criteria of group %(code)s add up to more than its %(max)s points.")
                % {"code": group.code, "max": group.max_points}
            )
    bands = list(framework.bands.all())
    if not any(b.min_total == 0 for b in bands):
        problems.append(_("One band must start at 0 points, so that every total has a band."))
    for band in bands:
        if band.min_total > total:
            problems.append(
                _("Band %(band)s starts above the framework's %(total)s points.")
                % {"band": band.key, "total": total}
            )
    if not framework.unit_kinds:
        problems.append(_("Choose the kinds of unit the framework applies to."))
    return problems


@transaction.atomic
def framework_publish(*, actor, framework: Framework, on: dt.date | None = None) -> Framework:
    """Publish a complete framework so that units may register under it."""
    if framework.is_published:
        raise ValidationError(_("The framework is already published."))
    problems = framework_problems(framework)
    if problems:
        raise ValidationError(problems)
    with acting_as(actor):
        framework.published_on = on or timezone.localdate()
        framework.save()
    return framework


def framework_draft_after(framework: Framework) -> Framework | None:
    """The later version of the framework still being drafted, if any."""
    return (
        Framework.objects.filter(
            code=framework.code, version__gt=framework.version, published_on__isnull=True
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def framework_new_version(*, actor, framework: Framework) -> Framework:
    """Copy a published framework (groups with their minimums, criteria, bands) to its next
    version, a draft to be edited and issued; the version in use stays as it is for the units
    registered under it. Refused for a draft (edit it instead) and while a later version is
    still being drafted (edit that one)."""
    if not framework.is_published:
        raise ValidationError(_("This version is still a draft: edit it instead."))
    pending = framework_draft_after(framework)
    if pending is not None:
        raise ValidationError(
            _("Version %(version)s is already being drafted: edit it.")
            % {"version": pending.version}
        )
    latest = Framework.objects.filter(code=framework.code).order_by("-version").first()
    with acting_as(actor):
        copy = Framework.objects.create(
            code=framework.code,
            version=latest.version + 1,
            previous=framework,
            issuing_unit=framework.issuing_unit,
            **{f: getattr(framework, f) for f in FRAMEWORK_FIELDS},
        )
        for group in framework.groups.prefetch_related("criteria"):
            new_group = CriterionGroup.objects.create(
                framework=copy,
                order=group.order,
                **{f: getattr(group, f) for f in GROUP_FIELDS},
            )
            for c in group.criteria.all():
                if c.registration_id is None:
                    Criterion.objects.create(
                        group=new_group,
                        order=c.order,
                        **{f: getattr(c, f) for f in CRITERION_FIELDS},
                    )
        for band in framework.bands.all():
            Band.objects.create(framework=copy, **{f: getattr(band, f) for f in BAND_FIELDS})
    return copy


# --- registrations ------------------------------------------------------------------------------


@transaction.atomic
def registration_create(
    *,
    actor,
    unit: Unit,
    year: int,
    framework: Framework,
    registered_on: dt.date | None = None,
    note: str = "",
) -> Registration:
    """Register a unit for the "4 good" model for a year, under a published framework meant for
    its kind and issued by a unit at or above it."""
    errors: dict[str, str] = {}
    if not (2000 <= int(year or 0) <= 2100):
        errors["year"] = _("Enter a year between 2000 and 2100.")
    elif Registration.objects.filter(unit=unit, year=year).exists():
        errors["year"] = _("%(unit)s is already registered for %(year)s.") % {
            "unit": unit,
            "year": year,
        }
    if not framework.is_published:
        errors["framework"] = _("The framework is not published yet.")
    elif unit.kind not in framework.unit_kinds:
        errors["framework"] = _("The framework is not meant for a unit of this kind.")
    elif not unit.path.startswith(framework.issuing_unit.path):
        errors["framework"] = _("The framework was issued for another part of the tree.")
    if unit.valid_to is not None and "year" not in errors and unit.valid_to.year < year:
        errors["year"] = _("%(unit)s was closed before %(year)s.") % {"unit": unit, "year": year}
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        registration = Registration.objects.create(
            unit=unit,
            year=year,
            framework=framework,
            registered_on=registered_on or timezone.localdate(),
            note=(note or "").strip(),
        )
        tallies.registration_recorded(registration)
        return registration


def _criteria_fixed(registration: Registration) -> bool:
    return registration.assessments.exclude(status=Status.DRAFT).exists()


@transaction.atomic
def own_criterion_add(
    *,
    actor,
    registration: Registration,
    group: CriterionGroup,
    code: str,
    text_vi: str,
    text_en: str = "",
    max_points,
    scoring: str = Scoring.POINTS,
    scale_steps: int = 4,
) -> Criterion:
    """Add a unit's own criterion under a group of its framework, within the points the
    framework's criteria leave in the group. Refused once a month has been submitted: the
    year's criteria are then fixed."""
    if group.framework_id != registration.framework_id:
        raise ValidationError({"group": _("Choose a group of the registration's framework.")})
    if _criteria_fixed(registration):
        raise ValidationError(
            _("A month has been submitted: the year's criteria can no longer change.")
        )
    errors, maximum = _criterion_errors(
        group=group,
        code=code,
        text_vi=text_vi,
        max_points=max_points,
        scoring_kind=scoring,
        scale_steps=scale_steps,
        suggester="",
        registration=registration,
    )
    if (
        group.criteria.filter(code=(code or "").strip()).filter(registration__isnull=True).exists()
        or registration.own_criteria.filter(code=(code or "").strip()).exists()
    ):
        errors["code"] = _("Another criterion has this code.")
    if errors:
        raise ValidationError(errors)
    values = _criterion_values(
        code=code,
        text_vi=text_vi,
        text_en=text_en,
        maximum=maximum,
        scoring_kind=scoring,
        scale_steps=scale_steps,
        suggester="",
    )
    with acting_as(actor):
        return Criterion.objects.create(
            group=group,
            registration=registration,
            order=100 + registration.own_criteria.filter(group=group).count(),
            **values,
        )


@transaction.atomic
def own_criterion_remove(*, actor, criterion: Criterion) -> None:
    """Remove a unit's own criterion before any month is submitted."""
    if criterion.registration_id is None:
        raise ValidationError(_("Only a unit's own criterion is removed here."))
    if _criteria_fixed(criterion.registration):
        raise ValidationError(
            _("A month has been submitted: the year's criteria can no longer change.")
        )
    with acting_as(actor):
        Score.objects.filter(criterion=criterion).delete()
        criterion.delete()


# --- the month ----------------------------------------------------------------------------------


def registration_criteria(registration: Registration) -> list[Criterion]:
    """The criteria a unit scores: its framework's and its own, group by group."""
    from django.db.models import F, Q

    return list(
        Criterion.objects.filter(group__framework_id=registration.framework_id)
        .filter(Q(registration__isnull=True) | Q(registration=registration))
        .select_related("group")
        # The framework's criteria first (no registration), then the unit's own, on every
        # database (PostgreSQL sorts nulls last, SQLite first).
        .order_by(
            "group__order", "group_id", F("registration_id").asc(nulls_first=True), "order", "id"
        )
    )


def _recompute(assessment: MonthlyAssessment) -> None:
    """Keep the month's total, band and groups below their minimum from its scores."""
    framework = assessment.registration.framework
    groups = [scoring.GroupLimits(g.pk, g.max_points, g.min_points) for g in framework.groups.all()]
    pairs = assessment.scores.values_list("criterion__group_id", "score")
    result = scoring.month_score(groups, pairs)
    rules = [
        scoring.BandRule(b.key, b.min_total, b.requires_group_minimums)
        for b in framework.bands.all()
    ]
    band = scoring.band_for(rules, result.total, below_minimum=bool(result.groups_below_minimum))
    assessment.total = result.total
    assessment.band_key = band.key if band else ""
    assessment.groups_below_minimum = result.groups_below_minimum


def _check_score(criterion: Criterion, value) -> Decimal | None:
    if value in (None, ""):
        return None
    points = _points(value, f"score_{criterion.pk}")
    if points < 0 or points > criterion.max_points:
        raise ValidationError(
            {
                f"score_{criterion.pk}": _("Give %(code)s between 0 and %(max)s points.")
                % {"code": criterion.code, "max": criterion.max_points}
            }
        )
    allowed = criterion.allowed_scores()
    if allowed is not None and points not in allowed:
        raise ValidationError(
            {
                f"score_{criterion.pk}": _("%(code)s takes one of: %(values)s.")
                % {"code": criterion.code, "values": ", ".join(str(a) for a in allowed)}
            }
        )
    return points


def _require_editable(assessment: MonthlyAssessment) -> None:
    if assessment.status not in EDITABLE_STATUSES:
        if assessment.status == Status.ACCEPTED:
            raise ValidationError(
                _("The month was accepted and is locked; the level above may reopen it.")
            )
        raise ValidationError(_("The month was submitted: wait for the level above's review."))


@transaction.atomic
def assessment_save(
    *,
    actor,
    registration: Registration,
    month: int,
    scores: dict[int, tuple[object, str]],
    note: str | None = None,
    today: dt.date | None = None,
) -> MonthlyAssessment:
    """Save a month's scores and notes as a draft (creating the month when first saved).
    `scores` maps a criterion's id to (score or None, note). A month cannot be assessed before
    it begins; a submitted or accepted month cannot be changed."""
    today = today or timezone.localdate()
    if not (1 <= int(month) <= 12):
        raise ValidationError({"month": _("A month is between 1 and 12.")})
    if dt.date(registration.year, month, 1) > today:
        raise ValidationError({"month": _("The month has not begun yet.")})
    assessment = (
        MonthlyAssessment.objects.select_for_update()
        .filter(registration=registration, month=month)
        .first()
    )
    if assessment is not None:
        _require_editable(assessment)
    before = tallies.assessment_key(assessment)
    criteria = {c.pk: c for c in registration_criteria(registration)}
    unknown = set(scores) - set(criteria)
    if unknown:
        raise ValidationError(_("A score was given for a criterion outside this registration."))
    checked: dict[int, tuple[Decimal | None, str]] = {}
    errors: dict[str, list[str]] = {}
    for pk, (value, criterion_note) in scores.items():
        try:
            checked[pk] = (_check_score(criteria[pk], value), (criterion_note or "").strip())
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        if assessment is None:
            assessment = MonthlyAssessment.objects.create(registration=registration, month=month)
        existing = {s.criterion_id: s for s in assessment.scores.all()}
        for pk, (value, criterion_note) in checked.items():
            score = existing.get(pk)
            if score is None:
                Score.objects.create(
                    assessment=assessment, criterion_id=pk, score=value, note=criterion_note
                )
            elif score.score != value or score.note != criterion_note:
                score.score, score.note = value, criterion_note
                score.save()
        if note is not None:
            assessment.note = note.strip()
        _recompute(assessment)
        assessment.save()
        tallies.assessment_recorded(assessment, before)
    return assessment


def _step(assessment: MonthlyAssessment, kind: str, actor, reason: str = "") -> None:
    ReviewStep.objects.create(
        assessment=assessment,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        total=assessment.total,
        reason=reason,
    )


@transaction.atomic
def assessment_submit(
    *, actor, assessment: MonthlyAssessment, now: dt.datetime | None = None
) -> MonthlyAssessment:
    """Submit a month to the level above. Every criterion must be scored. The month is late
    when first submitted after its deadline; a resubmission after a return keeps that."""
    assessment = MonthlyAssessment.objects.select_for_update().get(pk=assessment.pk)
    before = tallies.assessment_key(assessment)
    _require_editable(assessment)
    registration = assessment.registration
    scored = {s.criterion_id for s in assessment.scores.all() if s.score is not None}
    missing = [c.code for c in registration_criteria(registration) if c.pk not in scored]
    if missing:
        raise ValidationError(
            _("Score every criterion before submitting: %(codes)s.") % {"codes": ", ".join(missing)}
        )
    now = now or timezone.now()
    with acting_as(actor):
        if assessment.first_submitted_at is None:
            assessment.first_submitted_at = now
            assessment.late = scoring.is_late(
                registration.year, assessment.month, timezone.localdate(now)
            )
        assessment.submitted_at = now
        assessment.status = Status.SUBMITTED
        assessment.reason = ""
        _recompute(assessment)
        assessment.save()
        tallies.assessment_recorded(assessment, before)
        _step(assessment, StepKind.SUBMIT, actor)
    return assessment


def _require_level_above(actor, assessment: MonthlyAssessment) -> None:
    if actor is None:
        return
    if not may_review(actor, assessment.registration.unit):
        raise PermissionDenied(_("Only the level above reviews this unit's months."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")})
    return reason


@transaction.atomic
def assessment_accept(*, actor, assessment: MonthlyAssessment) -> MonthlyAssessment:
    """The level above accepts a submitted month: it is locked."""
    assessment = MonthlyAssessment.objects.select_for_update().get(pk=assessment.pk)
    before = tallies.assessment_key(assessment)
    _require_level_above(actor, assessment)
    if assessment.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted month can be accepted."))
    with acting_as(actor):
        assessment.status = Status.ACCEPTED
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = actor if getattr(actor, "pk", None) else None
        assessment.reason = ""
        assessment.save()
        tallies.assessment_recorded(assessment, before)
        _step(assessment, StepKind.ACCEPT, actor)
    return assessment


@transaction.atomic
def assessment_return(*, actor, assessment: MonthlyAssessment, reason: str) -> MonthlyAssessment:
    """The level above returns a submitted month to the unit, with the reason."""
    assessment = MonthlyAssessment.objects.select_for_update().get(pk=assessment.pk)
    before = tallies.assessment_key(assessment)
    _require_level_above(actor, assessment)
    if assessment.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted month can be returned."))
    reason = _reason(reason)
    with acting_as(actor):
        assessment.status = Status.RETURNED
        assessment.reviewed_at = timezone.now()
        assessment.reviewed_by = actor if getattr(actor, "pk", None) else None
        assessment.reason = reason
        assessment.save()
        tallies.assessment_recorded(assessment, before)
        _step(assessment, StepKind.RETURN, actor, reason)
    return assessment


@transaction.atomic
def assessment_reopen(*, actor, assessment: MonthlyAssessment, reason: str) -> MonthlyAssessment:
    """The level above reopens an accepted month, with the reason: the unit may correct and
    submit it again."""
    assessment = MonthlyAssessment.objects.select_for_update().get(pk=assessment.pk)
    before = tallies.assessment_key(assessment)
    _require_level_above(actor, assessment)
    if assessment.status != Status.ACCEPTED:
        raise ValidationError(_("Only an accepted month can be reopened."))
    reason = _reason(reason)
    with acting_as(actor):
        assessment.status = Status.RETURNED
        assessment.reason = reason
        assessment.save()
        tallies.assessment_recorded(assessment, before)
        _step(assessment, StepKind.REOPEN, actor, reason)
    return assessment


# --- evidence -----------------------------------------------------------------------------------

EVIDENCE_TYPES = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}


def evidence_max_bytes() -> int:
    return int(getattr(settings, "ASSESSMENT_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


@transaction.atomic
def evidence_add(
    *, actor, assessment: MonthlyAssessment, file, criterion: Criterion | None = None
) -> Evidence:
    """Attach a file to a month that can still be changed: PDF, image or office document, its
    content matching its type, at most ASSESSMENT_EVIDENCE_MAX_BYTES (10 MB unless set)."""
    _require_editable(assessment)
    name = (getattr(file, "name", "") or "").rsplit("/", 1)[-1][:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        raise ValidationError({"file": _("Attach a PDF, JPEG, PNG, DOCX, XLSX or ODT file.")})
    size = file.size
    if size > evidence_max_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": evidence_max_bytes() >> 20}}
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, signatures = EVIDENCE_TYPES[suffix]
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(s) for s in signatures):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    framework_id = assessment.registration.framework_id
    if criterion is not None and criterion.group.framework_id != framework_id:
        raise ValidationError({"criterion": _("Choose a criterion of this month.")})
    with acting_as(actor):
        evidence = Evidence(
            assessment=assessment,
            criterion=criterion,
            file_name=name,
            content_type=content_type,
            size=size,
        )
        evidence.file.save(name, file, save=False)
        evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Remove a file from a month that can still be changed."""
    _require_editable(evidence.assessment)
    with acting_as(actor):
        evidence.file.delete(save=False)
        evidence.delete()
