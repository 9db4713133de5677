"""Congress resolutions, their targets, the indicator catalogue and the figures entered for it.

Achievements and live reviews are never stored: `selectors.py` computes them from these rows.
A review a committee adopts is kept as issued (`AdoptedReview`), so that later corrections of
the figures never change it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel

from .choices import (
    Aggregation,
    Band,
    ChangeBasis,
    ComputedSource,
    Direction,
    IndicatorGroup,
    PeriodKind,
    ReductionBasis,
    ResolutionKind,
    ResolutionStatus,
    ReviewKind,
    TargetKind,
    ValueState,
)
from .querysets import (
    AdoptedReviewQuerySet,
    DataValueQuerySet,
    DataValueTransitionQuerySet,
    IndicatorQuerySet,
    ResolutionQuerySet,
    TargetMilestoneQuerySet,
    TargetQuerySet,
)

# Figures up to 10^16 with four decimals: production values in VND, shares, counts.
VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class Resolution(AuditedModel):
    """A resolution issued by a unit: a congress resolution for a term, a thematic resolution
    or a plan, with the targets it set. An ended or replaced resolution keeps the decision that
    ended it (number, date, issuing body)."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    number = models.CharField(_("number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=12, choices=ResolutionKind.choices, default=ResolutionKind.CONGRESS
    )
    term = models.ForeignKey(
        "committees.Term",
        verbose_name=_("term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ResolutionStatus.choices,
        default=ResolutionStatus.IN_FORCE,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_decision_number = models.CharField(
        _("ending decision number"), max_length=60, blank=True, default=""
    )
    end_decision_date = models.DateField(_("ending decision date"), null=True, blank=True)
    end_decision_issuer = models.CharField(
        _("ending decision issued by"), max_length=200, blank=True, default=""
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number", "issued_on"],
                name="resolution_unique_number",
                violation_error_message=_(
                    "This unit already issued a resolution with this number on this date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="resolution_years_order",
                violation_error_message=_("A resolution's last year cannot come before its first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def is_in_force(self) -> bool:
        return self.status == ResolutionStatus.IN_FORCE


class Indicator(AuditedModel):
    """A measure in the shared catalogue: its unit of measure, direction, how it aggregates up
    the tree, and where its figures come from (entered, computed from Grassroots' own records,
    or a formula over other indicators' codes such as `{ECO-PROD} / {SOC-POP}`)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True, default="")
    group = models.CharField(_("group"), max_length=12, choices=IndicatorGroup.choices)
    measure_unit = models.CharField(_("unit of measure"), max_length=40, blank=True, default="")
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("aggregation up the tree"),
        max_length=14,
        choices=Aggregation.choices,
        default=Aggregation.SUM,
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.ForeignKey(
        "self",
        verbose_name=_("weight"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A ratio of sums is multiplied by this (100 for a percentage).
    multiplier = models.DecimalField(
        _("multiplier of a ratio"), max_digits=12, decimal_places=4, default=100
    )
    formula = models.TextField(_("formula"), blank=True, default="")
    computed = models.CharField(
        _("computed from"), max_length=40, choices=ComputedSource.choices, blank=True, default=""
    )
    # Bounds a value must respect; a percentage without bounds is checked within 0–100.
    min_value = models.DecimalField(_("smallest value"), null=True, blank=True, **VALUE_DIGITS)
    max_value = models.DecimalField(_("largest value"), null=True, blank=True, **VALUE_DIGITS)
    description = models.TextField(_("description"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["group", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decimals__lte=4),
                name="indicator_decimals_max",
                violation_error_message=_("An indicator has at most 4 decimals."),
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="indicator_bounds_order",
                violation_error_message=_("The largest value cannot be below the smallest."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The name in the active language (Vietnamese when there is no English name)."""
        language = (get_language() or "vi")[:2]
        if language == "en" and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def is_entered(self) -> bool:
        return not self.computed and not self.formula.strip()

    @property
    def is_percentage(self) -> bool:
        return self.measure_unit.strip() == "%"

    def clean(self) -> None:
        errors = {}
        if self.aggregation == Aggregation.WEIGHTED_MEAN and not self.weight_id:
            errors["weight"] = _(
                "A weighted mean needs the indicator that weighs it (e.g. population)."
            )
        if self.computed and self.formula.strip():
            errors["formula"] = _("A computed indicator has no formula.")
        if errors:
            raise ValidationError(errors)


class Target(AuditedModel):
    """What a resolution promises on one indicator for one unit: a level to reach by a year,
    an average yearly change, a total over the term or a share of counts; with the baseline it
    starts from and optional yearly milestones. A range ("3–4%/year") is met at its lower end.
    A lower-is-better level or share states how it is judged: the level reached (target ÷
    actual) or the share of the promised fall from the baseline."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    position = models.PositiveSmallIntegerField(_("number in the resolution"))
    kind = models.CharField(
        _("kind"), max_length=14, choices=TargetKind.choices, default=TargetKind.LEVEL
    )
    change_basis = models.CharField(
        _("how the yearly change is read"),
        max_length=10,
        choices=ChangeBasis.choices,
        blank=True,
        default="",
    )
    # A lower-is-better level or share says how it is judged; empty for the others.
    reduction_basis = models.CharField(
        _("how a reduction is judged"),
        max_length=8,
        choices=ReductionBasis.choices,
        blank=True,
        default="",
    )
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE_DIGITS)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), **VALUE_DIGITS)
    target_value_high = models.DecimalField(
        _("upper end of the target"), null=True, blank=True, **VALUE_DIGITS
    )
    target_year = models.PositiveSmallIntegerField(_("target year"))
    note = models.TextField(_("wording in the resolution"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["resolution", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "position"],
                name="target_unique_position",
                violation_error_message=_("The resolution already has a target with this number."),
            ),
            models.CheckConstraint(
                condition=Q(target_value_high__isnull=True)
                | Q(target_value_high__gte=models.F("target_value")),
                name="target_range_order",
                violation_error_message=_(
                    "The upper end of a target cannot be below its lower end."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resolution.number} #{self.position}: {self.indicator.label}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class TargetMilestone(AuditedModel):
    """The value a target should have reached by the end of a year of the term."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="milestones"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)

    objects = TargetMilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["target", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "year"],
                name="milestone_unique_year",
                violation_error_message=_("The target already has a milestone for this year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.value}"

    def audit_unit_path(self) -> str:
        return self.target.unit.path


class DataValue(AuditedModel):
    """The figure of one indicator for one unit and one period (year, quarter or month), with
    its source and its approval state. Approved values are locked until the level that
    approved them reopens them; every change of state is kept in `DataValueTransition`."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="data_values",
    )
    period = models.CharField(_("period"), max_length=8)
    period_kind = models.CharField(_("period kind"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE_DIGITS)
    source = models.CharField(_("source"), max_length=200, blank=True, default="")
    comment = models.TextField(_("comment"), blank=True, default="")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ValueState.choices, default=ValueState.DRAFT
    )
    returned_reason = models.TextField(_("reason returned"), blank=True, default="")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_level = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("approved at the level of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DataValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        ordering = ["indicator", "unit", "period_start", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                name="datavalue_unique_period",
                violation_error_message=_(
                    "This unit already has a value of this indicator for this period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | ~Q(denominator=0),
                name="datavalue_denominator_not_zero",
                violation_error_message=_("A denominator cannot be zero."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "period", "state"], name="datavalue_indicator_period_idx"
            ),
            models.Index(fields=["unit", "period_start"], name="datavalue_unit_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.unit} · {self.period}: {self.value}"

    def audit_unit_path(self) -> str:
        return self.unit.path

    def audit_exclude_fields(self) -> set[str]:
        return {"updated_at"}

    @property
    def is_locked(self) -> bool:
        return self.state in (ValueState.SUBMITTED, ValueState.APPROVED)


class DataValueTransition(models.Model):
    """One change of a value's approval state, who made it, when and why. Append-only."""

    value = models.ForeignKey(
        DataValue, verbose_name=_("value"), on_delete=models.PROTECT, related_name="transitions"
    )
    from_state = models.CharField(
        _("from"), max_length=10, choices=ValueState.choices, blank=True, default=""
    )
    to_state = models.CharField(_("to"), max_length=10, choices=ValueState.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True, default="")
    # The figure when the state changed, so the history shows what was approved.
    figure = models.DecimalField(_("figure"), null=True, blank=True, **VALUE_DIGITS)

    objects = DataValueTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("value state change")
        verbose_name_plural = _("value state changes")
        ordering = ["value", "at", "id"]

    def __str__(self) -> str:
        return f"{self.value_id}: {self.from_state or '—'} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The history of a value cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The history of a value cannot be changed."))


class AdoptedReview(AuditedModel):
    """A mid-term or final review of a resolution as a committee adopted it: the review as of
    its date, with its bands, every target's figure and result, the counts and the sentences,
    as issued, and who recorded the adoption and when. Kept unchanged: later corrections of the
    figures change the live review, never this one."""

    resolution = models.ForeignKey(
        Resolution,
        verbose_name=_("resolution"),
        on_delete=models.PROTECT,
        related_name="adopted_reviews",
    )
    kind = models.CharField(_("review"), max_length=10, choices=ReviewKind.choices)
    as_of = models.DateField(_("review as of"))
    met = models.DecimalField(_("met from (%)"), max_digits=8, decimal_places=2)
    near = models.DecimalField(_("near from (%)"), max_digits=8, decimal_places=2)
    total = models.PositiveIntegerField(_("targets"))
    # {"met": 13, "near": 9, "below": 0, "no_data": 0} and the same per indicator group.
    counts = models.JSONField(_("counts by band"))
    by_group = models.JSONField(_("counts by group"))
    sentences_vi = models.JSONField(_("summary (Vietnamese)"))
    sentences_en = models.JSONField(_("summary (English)"))
    note = models.TextField(_("note"), blank=True, default="")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted at"), auto_now_add=True)

    objects = AdoptedReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("adopted review")
        verbose_name_plural = _("adopted reviews")
        ordering = ["resolution", "as_of", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "kind"],
                name="adopted_review_unique_kind",
                violation_error_message=_("This review of the resolution is already adopted."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.resolution.number} · {self.get_kind_display()} ({self.as_of:%d/%m/%Y})"

    def audit_unit_path(self) -> str:
        return self.resolution.unit.path

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An adopted review is kept as issued."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An adopted review is kept as issued."))

    def sentences(self, language: str = "vi") -> list[str]:
        return list(self.sentences_vi if language.startswith("vi") else self.sentences_en)


class AdoptedReviewRow(models.Model):
    """One target of an adopted review, copied as it stood: the promise, the figure, the
    achievement and the band."""

    review = models.ForeignKey(
        AdoptedReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="rows"
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("number in the resolution"))
    indicator_code = models.CharField(_("indicator code"), max_length=40)
    indicator_name_vi = models.CharField(_("indicator (Vietnamese)"), max_length=300)
    indicator_name_en = models.CharField(
        _("indicator (English)"), max_length=300, blank=True, default=""
    )
    group = models.CharField(_("group"), max_length=12, choices=IndicatorGroup.choices)
    measure_unit = models.CharField(_("unit of measure"), max_length=40, blank=True, default="")
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    unit_name = models.CharField(_("unit"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=TargetKind.choices)
    baseline_value = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE_DIGITS)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(_("target"), **VALUE_DIGITS)
    target_value_high = models.DecimalField(
        _("upper end of the target"), null=True, blank=True, **VALUE_DIGITS
    )
    target_year = models.PositiveSmallIntegerField(_("target year"))
    has_data = models.BooleanField(_("has data"))
    actual = models.DecimalField(_("figure"), null=True, blank=True, **VALUE_DIGITS)
    actual_period = models.CharField(
        _("period of the figure"), max_length=8, blank=True, default=""
    )
    actual_on = models.DateField(_("counted up to"), null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE_DIGITS)
    percent = models.DecimalField(
        _("achievement (%)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    progress = models.DecimalField(
        _("progress from the baseline (%)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    band = models.CharField(_("band"), max_length=8, choices=Band.choices)
    periods = models.JSONField(_("periods"), default=list)

    class Meta:
        verbose_name = _("adopted review row")
        verbose_name_plural = _("adopted review rows")
        ordering = ["review", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.indicator_code}: {self.percent}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("An adopted review is kept as issued."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An adopted review is kept as issued."))

    @property
    def indicator_label(self) -> str:
        language = (get_language() or "vi")[:2]
        return (
            self.indicator_name_en
            if language == "en" and self.indicator_name_en
            else self.indicator_name_vi
        )
