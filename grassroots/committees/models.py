"""Committees of the units by congress term, and the seats on them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel

from .choices import CommitteeKind, Position
from .querysets import CommitteeQuerySet, CommitteeSeatQuerySet


class Term(models.Model):
    """A congress term, e.g. 2020–2025."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=models.F("start_year")),
                name="term_years_order",
                violation_error_message=_("A term ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Committee(AuditedModel):
    """The executive, standing or cell committee of a unit for a term, with its size quotas."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="committees"
    )
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="committees")
    kind = models.CharField(_("kind"), max_length=10, choices=CommitteeKind.choices)
    elected_size = models.PositiveSmallIntegerField(_("elected size"), null=True, blank=True)
    approved_next_size = models.PositiveSmallIntegerField(
        _("size approved for the next term"), null=True, blank=True
    )
    elected_on = models.DateField(_("elected on"), null=True, blank=True)

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["unit", "-term__start_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "term", "kind"],
                name="committee_unique_per_term",
                violation_error_message=_("This unit already has this committee for the term."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.term}"

    def audit_unit_path(self) -> str:
        return self.unit.path


class CommitteeSeat(AuditedModel):
    """A seat on a committee: a member (or a named person from outside) and the position held."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="seats"
    )
    person_name = models.CharField(_("name"), max_length=150, blank=True, default="")
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"), null=True, blank=True)

    objects = CommitteeSeatQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        ordering = ["committee", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(person_name=""),
                name="seat_has_person",
                violation_error_message=_("A seat needs a member or a name."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_position_display()}: {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.member.full_name if self.member_id else self.person_name

    def audit_unit_path(self) -> str:
        return self.committee.unit.path
