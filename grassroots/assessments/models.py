"""The "4 good" criteria frameworks, the units' yearly registrations and their monthly
self-assessments with the review of the level above."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel

from .choices import MissingMonths, Scoring, Status, StepKind, YearEndRule
from .querysets import (
    AssessmentQuerySet,
    EvidenceQuerySet,
    FrameworkQuerySet,
    RegistrationQuerySet,
)

POINTS = {"max_digits": 6, "decimal_places": 2}


def _localized(vi: str, en: str) -> str:
    return en if (get_language() or "vi").startswith("en") and en else vi


class Framework(AuditedModel):
    """A criteria framework issued by an organization board (e.g. Quảng Ninh's Guideline
    05-HD/BTCTU of 19/5/2024): groups → criteria with points, rating bands over the total.

    Versions of one framework share a `code`. A version that a registration uses is never edited
    in place: a change is a new version (`services.framework_new_version`)."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    issuing_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="assessment_frameworks",
    )
    guideline_number = models.CharField(_("guideline number"), max_length=60, blank=True)
    guideline_date = models.DateField(_("guideline date"), null=True, blank=True)
    unit_kinds = models.JSONField(_("unit kinds"), default=list)
    missing_months = models.CharField(
        _("missing months"),
        max_length=10,
        choices=MissingMonths.choices,
        default=MissingMonths.ZERO,
    )
    year_end_rule = models.CharField(
        _("year-end rule"), max_length=10, choices=YearEndRule.choices, default=YearEndRule.AVERAGE
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("criteria framework")
        verbose_name_plural = _("criteria frameworks")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="framework_code_version_unique",
                violation_error_message=_("This version of the framework already exists."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    def audit_unit_path(self) -> str:
        return self.issuing_unit.path

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def unit_kind_labels(self) -> list[str]:
        from grassroots.organizations.choices import UnitKind

        labels = dict(UnitKind.choices)
        return [str(labels.get(k, k)) for k in self.unit_kinds]


class CriterionGroup(AuditedModel):
    """A group of criteria ("good quality of activities") with its maximum points: the
    framework's criteria fill part of it, the rest is room for each unit's own criteria. An
    optional minimum keeps a month below the bands that require every group's minimum."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=10)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    max_points = models.DecimalField(
        _("maximum points"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    min_points = models.DecimalField(
        _("minimum points"), null=True, blank=True, validators=[MinValueValidator(0)], **POINTS
    )

    class Meta:
        verbose_name = _("criteria group")
        verbose_name_plural = _("criteria groups")
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="group_code_unique",
                violation_error_message=_("The framework already has a group with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def name(self) -> str:
        return _localized(self.name_vi, self.name_en)

    def audit_unit_path(self) -> str:
        return self.framework.issuing_unit.path


class Criterion(AuditedModel):
    """One criterion with its maximum points and how it is scored. A criterion with a
    `registration` is a unit's own, added under a framework group for one year."""

    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    registration = models.ForeignKey(
        "Registration",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="own_criteria",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    code = models.CharField(_("code"), max_length=10)
    text_vi = models.TextField(_("text (Vietnamese)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"), validators=[MinValueValidator(Decimal("0.01"))], **POINTS
    )
    scoring = models.CharField(
        _("scoring"), max_length=10, choices=Scoring.choices, default=Scoring.POINTS
    )
    scale_steps = models.PositiveSmallIntegerField(
        _("steps of the scale"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("A scale of 4 steps scores 0, ¼, ½, ¾ or all of the maximum."),
    )
    suggester = models.CharField(_("suggested from"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__order", "registration_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def text(self) -> str:
        return _localized(self.text_vi, self.text_en)

    def audit_unit_path(self) -> str:
        if self.registration_id:
            return self.registration.unit.path
        return self.group.framework.issuing_unit.path

    def allowed_scores(self) -> list[Decimal] | None:
        """The scores a yes/no or scale criterion takes; None for free points."""
        if self.scoring == Scoring.YES_NO:
            return [Decimal(0), self.max_points]
        if self.scoring == Scoring.SCALE:
            step = self.max_points / self.scale_steps
            return [(step * i).quantize(Decimal("0.01")) for i in range(self.scale_steps + 1)]
        return None


class Band(AuditedModel):
    """A rating band over the month's total, from `min_total` up to the next band. A band that
    `requires_group_minimums` is not given to a month with a group below its minimum: the
    month falls to the next band down."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    key = models.SlugField(_("key"), max_length=30)
    label_vi = models.CharField(_("label (Vietnamese)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    min_total = models.DecimalField(_("from total"), validators=[MinValueValidator(0)], **POINTS)
    requires_group_minimums = models.BooleanField(
        _("requires every group's minimum"), default=False
    )

    class Meta:
        verbose_name = _("rating band")
        verbose_name_plural = _("rating bands")
        ordering = ["framework", "-min_total"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "key"],
                name="band_key_unique",
                violation_error_message=_("The framework already has a band with this key."),
            ),
            models.UniqueConstraint(
                fields=["framework", "min_total"],
                name="band_min_unique",
                violation_error_message=_("Two bands cannot start at the same total."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self.label_vi, self.label_en)

    def audit_unit_path(self) -> str:
        return self.framework.issuing_unit.path


class Registration(AuditedModel):
    """A unit's registration for the "4 good" model for one year, under one framework version."""

    # Indexed by registration_unit_year_idx (unit first).
    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="assessment_registrations",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("framework"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    registered_on = models.DateField(_("registered on"))
    note = models.TextField(_("note"), blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="registration_unit_year_unique",
                violation_error_message=_("The unit is already registered for this year."),
            )
        ]
        indexes = [
            # The frameworks a subtree's units use, counted from the index alone (a board).
            models.Index(
                fields=["unit", "year"], include=["framework"], name="registration_unit_year_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class MonthlyAssessment(AuditedModel):
    """A unit's self-assessment of one month: draft, submitted, then accepted (locked) or
    returned by the level above. The total and band are kept from the scores by the services."""

    # Indexed by assessment_registration_idx (registration first).
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="assessments", db_index=False
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    total = models.DecimalField(_("total"), default=Decimal(0), **POINTS)
    band_key = models.CharField(_("band"), max_length=30, blank=True)
    groups_below_minimum = models.JSONField(default=list, blank=True)
    note = models.TextField(_("notes of the month"), blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    late = models.BooleanField(_("late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly self-assessment")
        verbose_name_plural = _("monthly self-assessments")
        ordering = ["registration", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "month"],
                name="assessment_month_unique",
                violation_error_message=_("This month already has a self-assessment."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12),
                name="assessment_month_range",
                violation_error_message=_("A month is between 1 and 12."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "registration"], name="assessment_status_idx"),
            # The months each unit of a board filed, read from the index alone.
            models.Index(
                fields=["registration", "month"],
                include=["status"],
                name="assessment_registration_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.unit} {self.month:02d}/{self.registration.year}"

    def audit_unit_path(self) -> str:
        return self.registration.unit.path

    @property
    def unit(self):
        return self.registration.unit


class Score(AuditedModel):
    """The score a unit gives itself on one criterion in one month, with its note."""

    assessment = models.ForeignKey(
        MonthlyAssessment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("score"), null=True, blank=True, **POINTS)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"],
                name="score_unique",
                violation_error_message=_("The criterion is already scored this month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.score}"

    def audit_unit_path(self) -> str:
        return self.assessment.registration.unit.path


def evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the original is kept in `file_name`, never trusted as a path.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assessments/evidence/{uuid.uuid4().hex}.{suffix}"


class Evidence(AuditedModel):
    """A file supporting a month's self-assessment (minutes, photos), kept in the media storage
    outside the web root and served only through the access-checked download page."""

    assessment = models.ForeignKey(
        MonthlyAssessment, on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to=evidence_path)
    file_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["assessment", "id"]

    def __str__(self) -> str:
        return self.file_name

    def audit_unit_path(self) -> str:
        return self.assessment.registration.unit.path


class ReviewStep(models.Model):
    """A recorded step of a month: who submitted, accepted, returned or reopened it, when, and
    why. Append-only: the history of a month is these rows."""

    assessment = models.ForeignKey(
        MonthlyAssessment, on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    total = models.DecimalField(_("total"), **POINTS)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["assessment", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class BoardTally(models.Model):
    """Below `unit` (the units of its subtree, not itself), for `year`: how many monthly
    self-assessments of each month have this status, band (accepted months only) and lateness
    (`n1` … `n12`), and their totals summed (`t1` … `t12`). The row of status "registered"
    counts the registrations of the year (`n0`).

    The twelve months of a key share a row: a board reads a few rows per child for the year, not
    one per child and month (a province's board, hundreds of communes). Derived data: kept by
    the assessment services in the change's transaction, moved by reorganizations, rebuilt by
    `manage.py rebuild_rollups` (see `tallies`); not audited."""

    REGISTERED = "registered"
    MONTHS = range(1, 13)

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10)
    band_key = models.CharField(_("band"), max_length=30, blank=True)
    late = models.BooleanField(_("late"), default=False)
    n0 = models.IntegerField(default=0)
    n1 = models.IntegerField(default=0)
    n2 = models.IntegerField(default=0)
    n3 = models.IntegerField(default=0)
    n4 = models.IntegerField(default=0)
    n5 = models.IntegerField(default=0)
    n6 = models.IntegerField(default=0)
    n7 = models.IntegerField(default=0)
    n8 = models.IntegerField(default=0)
    n9 = models.IntegerField(default=0)
    n10 = models.IntegerField(default=0)
    n11 = models.IntegerField(default=0)
    n12 = models.IntegerField(default=0)
    t1 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t2 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t3 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t4 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t5 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t6 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t7 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t8 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t9 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t10 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t11 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    t12 = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        verbose_name = _("board tally")
        verbose_name_plural = _("board tallies")
        constraints = [
            # Also the index the boards read: (unit, year) prefix.
            models.UniqueConstraint(
                fields=["unit", "year", "status", "band_key", "late"], name="board_tally_key"
            ),
        ]

    def __str__(self) -> str:
        counts = " ".join(str(getattr(self, f"n{m}")) for m in range(13))
        return f"{self.unit_id} {self.year} {self.status} {self.band_key}: {counts}"
