"""The year-end review and classification: rule sets as data, the reviews a committee holds, the
classification of each member and collective, every step of it as a row, the quota's
exceptions, and the facts of a year the rules read (exemption, suspension, leave)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel

from .choices import (
    CircumstanceKind,
    DisciplineRule,
    FormCode,
    Judging,
    Level,
    NotReviewed,
    QuotaBase,
    QuotaScope,
    RunStatus,
    StepKind,
    Subject,
)
from .querysets import (
    CircumstanceQuerySet,
    ClassificationQuerySet,
    ReviewQuerySet,
    RunQuerySet,
    StepQuerySet,
)

# The values of a rule set the rules read; a review keeps a copy of them as they were when it
# was opened, so that a later correction of the set never changes a past review.
RULE_FIELDS = [
    "code",
    "judging",
    "excellent_min_points",
    "well_min_points",
    "completed_min_points",
    "excellent_min_exceeded_pct",
    "completed_max_late_pct",
    "excellent_needs_remedied",
    "collective_excellent_needs_no_discipline",
    "collective_excellent_needs_members_completed",
    "collective_weak_criterion_fails",
    "collective_min_targets_pct",
    "collective_leadership_discipline_fails",
    "collective_max_disciplined_subordinates_pct",
    "discipline_rule",
    "discipline_self_detected_exception",
    "exempted_not_reviewed",
    "suspended_not_reviewed",
    "new_member_months",
    "sick_leave_cap_months",
    "maternity_on_time_worked",
    "not_completed_twice_flag",
    "quota_rate_pct",
    "quota_base",
    "quota_member_scope",
    "quota_collective_scope",
    "quota_exception_allowed",
]

# Values an administrator may correct on a rule set (those the official text leaves open).
EDITABLE_FIELDS = [f for f in RULE_FIELDS if f not in ("code", "judging")] + ["quarterly_reviews"]


def _pct(name):
    return models.DecimalField(name, max_digits=5, decimal_places=2, null=True, blank=True)


class RuleSet(models.Model):
    """The rules of the year-end review in force for a range of years (Regulation 132, 124,
    366-QĐ/TW and their guidelines). Values the official text leaves open are listed in
    `to_confirm` and shown as such on the set's page."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    regulation = models.CharField(_("regulation"), max_length=80)
    regulation_date = models.DateField(_("regulation date"))
    guideline = models.CharField(_("guideline"), max_length=200, blank=True, default="")
    valid_from_year = models.PositiveSmallIntegerField(_("first year reviewed"))
    valid_to_year = models.PositiveSmallIntegerField(_("last year reviewed"), null=True, blank=True)
    judging = models.CharField(_("how criteria are judged"), max_length=10, choices=Judging.choices)
    level_names = models.JSONField(_("level names"), default=dict)
    # Thresholds (points: 366; shares in percent).
    excellent_min_points = _pct(_("excellent: at least (points)"))
    well_min_points = _pct(_("well: at least (points)"))
    completed_min_points = _pct(_("completed: at least (points)"))
    excellent_min_exceeded_pct = _pct(_("excellent: share of tasks beyond the requirement (%)"))
    completed_max_late_pct = _pct(_("completed: largest share of tasks late (%)"))
    excellent_needs_remedied = models.BooleanField(
        _("excellent needs earlier shortcomings remedied"), default=False
    )
    collective_excellent_needs_no_discipline = models.BooleanField(
        _("a collective is excellent only with no leader and no subordinate unit disciplined"),
        default=False,
    )
    collective_excellent_needs_members_completed = models.BooleanField(
        _("a collective is excellent only when none of its members did not complete"),
        default=False,
    )
    collective_weak_criterion_fails = models.BooleanField(
        _("a collective with a criterion graded weak did not complete"), default=False
    )
    collective_min_targets_pct = _pct(_("a collective below this share of targets met fails (%)"))
    collective_leadership_discipline_fails = models.BooleanField(
        _("a collective whose leadership was disciplined did not complete"), default=False
    )
    collective_max_disciplined_subordinates_pct = _pct(
        _("a collective fails above this share of subordinate units disciplined (%)")
    )
    discipline_rule = models.CharField(
        _("discipline in the period"),
        max_length=20,
        choices=DisciplineRule.choices,
        default=DisciplineRule.FAILS,
    )
    discipline_self_detected_exception = models.BooleanField(
        _("except a violation found by the member and remedied"), default=False
    )
    exempted_not_reviewed = models.BooleanField(
        _("members exempted are not reviewed"), default=True
    )
    suspended_not_reviewed = models.BooleanField(
        _("members suspended are not reviewed"), default=True
    )
    new_member_months = models.PositiveSmallIntegerField(
        _("members admitted fewer months before the review are not reviewed"), default=6
    )
    sick_leave_cap_months = models.PositiveSmallIntegerField(
        _("sick leave of this many months caps below “well”"), null=True, blank=True
    )
    maternity_on_time_worked = models.BooleanField(
        _("maternity leave judged on the time worked"), default=True
    )
    not_completed_twice_flag = models.BooleanField(
        _("“did not complete” two years running flags the member"), default=True
    )
    # xgettext:no-python-format
    quota_rate_pct = _pct(_("quota of “excellent” (% of the base)"))
    quota_base = models.CharField(
        _("quota base"), max_length=20, choices=QuotaBase.choices, default=QuotaBase.WELL
    )
    quota_member_scope = models.CharField(
        _("quota scope for members"),
        max_length=20,
        choices=QuotaScope.choices,
        default=QuotaScope.GRASSROOTS,
    )
    quota_collective_scope = models.CharField(
        _("quota scope for collectives"),
        max_length=20,
        choices=QuotaScope.choices,
        default=QuotaScope.PEER_GROUP,
    )
    quota_exception_allowed = models.BooleanField(
        _("a higher committee may grant an exception"), default=True
    )
    quarterly_reviews = models.BooleanField(
        _("quarterly reviews where a unit asks for them"), default=False
    )
    to_confirm = models.JSONField(_("values to confirm"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True, default="")

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["valid_from_year"]

    def __str__(self) -> str:
        return self.name

    def applies_to(self, year: int) -> bool:
        return self.valid_from_year <= year and (
            self.valid_to_year is None or year <= self.valid_to_year
        )

    def snapshot(self) -> dict:
        """The values the rules read, as plain data (kept on each review)."""
        out = {}
        for name in RULE_FIELDS:
            value = getattr(self, name)
            out[name] = str(value) if hasattr(value, "as_tuple") else value
        return out


class Review(AuditedModel):
    """The year-end review a committee holds for a year: it decides the classification of the
    members of its cells (or of its own members, for a grassroots cell) and of the collectives
    directly under it. Run under the rule set in force for the year, whose values it keeps."""

    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    # Empty for the year-end review; 1–3 for a quarterly review (the fourth quarter folds into
    # the year-end review), whose results the year-end review reads.
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, choices=[(q, str(q)) for q in (1, 2, 3)]
    )
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="reviews")
    rules = models.JSONField(_("rules applied"), default=dict)
    review_date = models.DateField(_("review held on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # A run over a whole subtree (a province, the country) computes every member's outcome but
    # writes a review's member rows only when the review is first opened (its page, its
    # workbook, its API rows) or computed alone: until then the review keeps, per cell, how
    # many members it classifies and how many of them are not reviewed, for the results.
    members_deferred_at = models.DateTimeField(_("members computed on"), null=True, blank=True)
    members_deferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members_deferred = models.JSONField(_("members counted"), default=dict, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("year-end review")
        verbose_name_plural = _("year-end reviews")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(quarter__isnull=True),
                name="classification_review_unique",
                violation_error_message=_("This unit already has a review for the year."),
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="classification_review_quarter_unique",
                violation_error_message=_("This unit already has a review for the quarter."),
            ),
        ]

    def __str__(self) -> str:
        if self.quarter:
            return _("Review of quarter %(quarter)s/%(year)s of %(unit)s") % {
                "quarter": self.quarter,
                "year": self.year,
                "unit": self.unit,
            }
        return _("Review %(year)s of %(unit)s") % {"year": self.year, "unit": self.unit}

    @property
    def period(self) -> tuple:
        """The first and last day of the period reviewed (the year, or the quarter)."""
        import datetime as dt

        if not self.quarter:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)
        first = dt.date(self.year, 3 * self.quarter - 2, 1)
        nxt = dt.date(self.year, 3 * self.quarter + 1, 1)
        return first, nxt - dt.timedelta(days=1)

    def audit_unit_path(self) -> str:
        return self.unit.path

    def members_counted(self, cell_id: int | None = None) -> tuple[int, int]:
        """(members, of them not reviewed) counted by a run whose rows are not written yet:
        of every cell of the review, or of one."""
        counts = self.members_deferred.items()
        if cell_id is not None:
            counts = [(key, n) for key, n in counts if key == str(cell_id)]
        return sum(n[0] for _key, n in counts), sum(n[1] for _key, n in counts)


class Classification(AuditedModel):
    """The classification of one member or one collective for a year. The fields hold the
    latest of each step; the steps themselves are `ClassificationStep` rows. A re-run of the
    computation changes only the `suggested_*`, `cap_level`, `findings`, `facts` and
    `not_reviewed` fields, never a self-review, a proposal or a decision."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="classifications")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classifications",
    )
    # The member's cell on the review date, or the collective itself.
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    form_code = models.CharField(_("form"), max_length=2, choices=FormCode.choices)
    not_reviewed = models.CharField(
        _("not reviewed"), max_length=12, choices=NotReviewed.choices, blank=True, default=""
    )
    facts = models.JSONField(_("facts read"), default=dict, blank=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    cap_level = models.CharField(
        _("highest level allowed"), max_length=15, choices=Level.choices, blank=True, default=""
    )
    suggested_level = models.CharField(
        _("computed level"), max_length=15, choices=Level.choices, blank=True, default=""
    )
    suggested_points = models.DecimalField(
        _("computed points"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    inputs = models.JSONField(_("task results"), default=dict, blank=True)
    self_level = models.CharField(
        _("self-review"), max_length=15, choices=Level.choices, blank=True, default=""
    )
    proposed_level = models.CharField(
        _("proposal"), max_length=15, choices=Level.choices, blank=True, default=""
    )
    decided_level = models.CharField(
        _("decision"), max_length=15, choices=Level.choices, blank=True, default=""
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    published_at = models.DateTimeField(_("made public on"), null=True, blank=True)
    flagged = models.BooleanField(_("did not complete two years running"), default=False)
    four_good = models.BooleanField(_("“4 good” recognition"), default=False)

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["unit__path", "subject", "id"]
        indexes = [
            models.Index(
                fields=["review", "subject", "decided_level"], name="cls_review_level_idx"
            ),
            models.Index(fields=["year", "unit"], name="cls_year_unit_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                condition=Q(subject="member", quarter__isnull=True),
                name="classification_member_year",
                violation_error_message=_("This member is already classified for the year."),
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(subject="collective", quarter__isnull=True),
                name="classification_collective_year",
                violation_error_message=_("This collective is already classified for the year."),
            ),
            models.UniqueConstraint(
                fields=["member", "year", "quarter"],
                condition=Q(subject="member", quarter__isnull=False),
                name="classification_member_quarter",
                violation_error_message=_("This member is already classified for the quarter."),
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"],
                condition=Q(subject="collective", quarter__isnull=False),
                name="classification_collective_quarter",
                violation_error_message=_("This collective is already classified for the quarter."),
            ),
            models.CheckConstraint(
                condition=Q(subject="collective", member__isnull=True)
                | Q(subject="member", member__isnull=False),
                name="classification_subject_member",
                violation_error_message=_("A member's classification names the member."),
            ),
        ]

    def __str__(self) -> str:
        who = self.member.full_name if self.member_id else str(self.unit)
        return f"{who} {self.year}"

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def subject_name(self) -> str:
        return self.member.full_name if self.member_id else self.unit.name

    def clean(self) -> None:
        if self.subject == Subject.MEMBER and self.form_code == FormCode.F01:
            raise ValidationError({"form_code": _("Form 01 is a collective's.")})


class ClassificationStep(models.Model):
    """One recorded step: who, when, which step, what level (and points) was proposed or
    decided, with the task results and the note given. Append-only."""

    classification = models.ForeignKey(
        Classification, on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices, blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2, null=True, blank=True)
    inputs = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification step")
        verbose_name_plural = _("classification steps")
        ordering = ["classification", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_level_display() or '—'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A recorded step is never changed: record a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A recorded step is never changed: record a new one."))


class QuotaException(AuditedModel):
    """A place beyond the quota of "excellent", granted by a higher committee with its reason,
    for one classification."""

    classification = models.OneToOneField(
        Classification, on_delete=models.PROTECT, related_name="quota_exception"
    )
    scope_unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    allowed = models.PositiveIntegerField(_("places in the quota"))
    used = models.PositiveIntegerField(_("places used with this one"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quota exception")
        verbose_name_plural = _("quota exceptions")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.classification}: {self.reason[:60]}"

    def audit_unit_path(self) -> str:
        return self.scope_unit.path


class Circumstance(AuditedModel):
    """A fact of a member's year (exemption, suspension, sick or maternity leave) or of an
    organization's (disciplined), over a period, read by the rules of the review."""

    kind = models.CharField(_("kind"), max_length=20, choices=CircumstanceKind.choices)
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classification_circumstances",
    )
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=120, blank=True, default="")
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    objects = CircumstanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("circumstance")
        verbose_name_plural = _("circumstances")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="circumstance_range",
                violation_error_message=_("The period ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        who = self.member.full_name if self.member_id else str(self.unit)
        return f"{self.get_kind_display()}: {who}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class ClassificationRun(models.Model):
    """A computation of the classifications of a unit's subtree for a year, run in the
    background with its progress; running it again is safe."""

    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification run")
        verbose_name_plural = _("classification runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} {self.year} ({self.status})"
