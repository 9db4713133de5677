"""Yearly inspection and supervision plans, the inspections and supervisions carried out, the
conclusion on each organization and member inspected, and the discipline of organizations."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel
from grassroots.members.choices import DisciplineLevel

from .choices import Body, Conclusion, Form, Gravity, Kind, OrganizationDisciplineLevel, Subjects
from .querysets import (
    InspectionQuerySet,
    OrganizationDisciplineQuerySet,
    PlanItemQuerySet,
    PlanQuerySet,
    SubjectQuerySet,
)


class InspectionPlan(AuditedModel):
    """The yearly inspection and supervision plan of a unit's committee (or its standing
    committee, or its inspection commission)."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    body = models.CharField(_("adopted by"), max_length=12, choices=Body.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection and supervision plan")
        verbose_name_plural = _("inspection and supervision plans")
        ordering = ["-year", "unit__path", "body"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "body", "year"],
                name="inspection_plan_unique_per_year",
                violation_error_message=_("This body already has a plan for the year."),
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.get_body_display()} {self.unit} {self.year}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class PlanItem(AuditedModel):
    """One line of a plan: how many inspections (or supervisions) of a kind and form, of which
    subjects, in which period."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices)
    subjects = models.CharField(_("subjects"), max_length=14, choices=Subjects.choices)
    planned_count = models.PositiveIntegerField(_("planned number"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    content = models.TextField(_("content"), blank=True, default="")

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "period_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="plan_item_period_order",
                violation_error_message=_("A period ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(planned_count__gte=1),
                name="plan_item_planned_positive",
                violation_error_message=_("Plan at least one."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} · {self.get_form_display()} · "
            f"{self.get_subjects_display()} ({self.planned_count})"
        )

    def audit_unit_path(self) -> str:
        return self.plan.unit.path


class Inspection(AuditedModel):
    """One inspection or supervision carried out by a unit's committee (or its standing
    committee, or its inspection commission), under a plan item or unplanned."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    body = models.CharField(_("body"), max_length=12, choices=Body.choices)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices)
    content = models.TextField(_("content"))
    team = models.TextField(_("team"), blank=True, default="")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    findings = models.TextField(_("findings"), blank=True, default="")
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection or supervision")
        verbose_name_plural = _("inspections and supervisions")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["unit", "start_date"], name="inspection_unit_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="inspection_dates_order",
                violation_error_message=_("An inspection ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date:%d/%m/%Y}: {self.content[:60]}"

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def is_planned(self) -> bool:
        return self.plan_item_id is not None


class _Subject(AuditedModel):
    conclusion = models.CharField(
        _("conclusion"), max_length=12, choices=Conclusion.choices, blank=True, default=""
    )
    gravity = models.CharField(
        _("gravity"), max_length=12, choices=Gravity.choices, blank=True, default=""
    )
    objects = SubjectQuerySet.as_manager()

    class Meta:
        abstract = True

    def audit_unit_path(self) -> str:
        return self.inspection.unit.path

    @property
    def is_violation(self) -> bool:
        return self.conclusion == Conclusion.VIOLATION


class InspectedUnit(_Subject):
    """An organization inspected or supervised, with the conclusion about it and the discipline
    proposed."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="subject_units"
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="inspected_as",
    )
    proposed_discipline = models.CharField(
        _("proposed discipline"),
        max_length=12,
        choices=OrganizationDisciplineLevel.choices,
        blank=True,
        default="",
    )

    class Meta:
        verbose_name = _("organization inspected")
        verbose_name_plural = _("organizations inspected")
        ordering = ["inspection", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "unit"],
                name="inspected_unit_once",
                violation_error_message=_("This organization is already a subject."),
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)


class InspectedMember(_Subject):
    """A member inspected or supervised, with the conclusion, the discipline proposed and, once
    decided, the discipline event written into the member's record by the member services."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="subject_members"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="inspected_as",
    )
    proposed_discipline = models.CharField(
        _("proposed discipline"),
        max_length=12,
        choices=DisciplineLevel.choices,
        blank=True,
        default="",
    )
    discipline_event = models.OneToOneField(
        "members.MemberEvent",
        verbose_name=_("discipline decided"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_subject",
    )

    class Meta:
        verbose_name = _("member inspected")
        verbose_name_plural = _("members inspected")
        ordering = ["inspection", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "member"],
                name="inspected_member_once",
                violation_error_message=_("This member is already a subject."),
            )
        ]

    def __str__(self) -> str:
        return str(self.member)


class OrganizationDiscipline(AuditedModel):
    """The discipline of a party organization decided by the competent body (reprimand,
    warning, dissolution), after an inspection concluded it violated. A dissolution is recorded
    here; closing the unit itself is a reorganization of the tree."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="disciplines",
    )
    subject = models.OneToOneField(
        InspectedUnit,
        verbose_name=_("inspection conclusion"),
        on_delete=models.PROTECT,
        related_name="discipline",
    )
    level = models.CharField(
        _("discipline"), max_length=12, choices=OrganizationDisciplineLevel.choices
    )
    decided_on = models.DateField(_("decided on"))
    decision_number = models.CharField(_("decision number"), max_length=40)
    issuer = models.CharField(_("decided by"), max_length=200)
    reason = models.TextField(_("reason"))

    objects = OrganizationDisciplineQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization discipline")
        verbose_name_plural = _("organization disciplines")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["unit", "decided_on"], name="org_discipline_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.unit} {self.decided_on:%d/%m/%Y}"

    def audit_unit_path(self) -> str:
        return self.unit.path
