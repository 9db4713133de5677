"""Members, the append-only ledger of what was decided about them, and the admission pipeline."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Concat, Length, Reverse, StrIndex, Substr
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel
from grassroots.core.text import fold
from grassroots.organizations.models import Unit

from .choices import (
    ETHNICITY_CHOICES,
    CandidateStage,
    DisciplineLevel,
    EventKind,
    Gender,
    GeneralEducation,
    IntervalStatus,
    LeavingReason,
    MemberStatus,
    ProfessionalEducation,
    ProposedBy,
    Religion,
    TheoryLevel,
    TransferMode,
)
from .querysets import CandidateQuerySet, MemberEventQuerySet, MemberQuerySet, MembershipQuerySet


def given_name_first(field: str) -> Case:
    """The folded name `field` ("nguyen van hung") with its last word, the given name, moved to
    the front ("hung nguyen van"): the order of Vietnamese lists, by given name, then surname."""
    length = Length(field)
    last_space = StrIndex(Reverse(field), Value(" "))  # counted from the end; 0 without a space
    return Case(
        When(
            GreaterThan(last_space, 0),
            then=Concat(
                Substr(field, length - last_space + 2),
                Value(" "),
                Substr(field, 1, length - last_space),
            ),
        ),
        default=F(field),
        output_field=models.CharField(max_length=150),
    )


def given_name_first_text(folded: str) -> str:
    """`given_name_first` in Python, for the few rows a page sorts itself (a candidate board)."""
    words = folded.split()
    return " ".join(words[-1:] + words[:-1])


class Member(AuditedModel):
    """A party member. Personal attributes are sensitive personal data: reads of the full
    record are logged.

    The fields under "derived" are maintained by the member services from the event ledger
    (`MemberEvent`) and never typed: status, current unit, the admission dates, official date.
    """

    full_name = models.CharField(_("full name"), max_length=150)
    # Indexed in Meta (a plain b-tree for the ordering; `contains` searches use the trigram index
    # of migration 0008), not with db_index, which adds a LIKE index nothing uses.
    name_folded = models.CharField(max_length=150, editable=False)
    # The list order, kept by the database itself so that every writer (the services, the bulk
    # imports' COPY, the national generator) fills it: indexed in byte order by migration 0007.
    sort_name = models.GeneratedField(
        expression=given_name_first("name_folded"),
        output_field=models.CharField(max_length=150),
        db_persist=True,
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=30, choices=ETHNICITY_CHOICES)
    religion = models.CharField(
        _("religion"), max_length=20, choices=Religion.choices, default=Religion.NONE
    )
    general_education = models.CharField(
        _("general education"),
        max_length=20,
        choices=GeneralEducation.choices,
        blank=True,
        default="",
    )
    professional_education = models.CharField(
        _("professional education"),
        max_length=20,
        choices=ProfessionalEducation.choices,
        default=ProfessionalEducation.NONE,
    )
    theory_level = models.CharField(
        _("political theory"), max_length=20, choices=TheoryLevel.choices, default=TheoryLevel.NONE
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True, default="")
    # Null, not "", for members without a card, so that they do not collide under the unique
    # constraint in Meta (a constraint rather than unique=True: looked up by equality only, it
    # needs no LIKE index).
    party_card_number = models.CharField(  # noqa: DJ001
        _("party card number"), max_length=20, null=True, blank=True
    )

    # Derived from the ledger by the services. Indexed by member_unit_status_idx (unit first).
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="members",
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=15, choices=MemberStatus.choices)
    transit_to = models.ForeignKey(
        Unit,
        verbose_name=_("in transit to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_members",
    )
    transit_since = models.DateField(_("in transit since"), null=True, blank=True)
    attending_unit = models.ForeignKey(
        Unit,
        verbose_name=_("temporarily attending"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="temporary_members",
    )
    # The stay at `attending_unit`: its end (a stay past it is flagged) and the arrival the
    # receiving cell recorded (null until then).
    attending_until = models.DateField(_("temporarily attending until"), null=True, blank=True)
    attending_since = models.DateField(_("temporary arrival recorded"), null=True, blank=True)
    first_admission_decision_date = models.DateField(
        _("first admission decision"), null=True, blank=True
    )
    admission_decision_date = models.DateField(_("admission decision"), null=True, blank=True)
    ceremony_date = models.DateField(_("admission ceremony"), null=True, blank=True)
    official_date = models.DateField(_("official since"), null=True, blank=True)
    readmission_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name_folded", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="member_unit_status_idx"),
            models.Index(fields=["status"], name="member_status_idx"),
            models.Index(fields=["name_folded"], name="member_name_folded_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["party_card_number"], name="member_party_card_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path


class MemberEvent(AuditedModel):
    """One decision or fact about a member, in the order it took effect. Append-only.

    `unit` is where it happened (the sending unit for a transfer); `other_unit` the receiving
    unit of a transfer or the successor of a reorganization.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=15, choices=EventKind.choices)
    date = models.DateField(_("effective date"))
    # Indexed by event_unit_kind_idx (unit first).
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="member_events", db_index=False
    )
    other_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="incoming_member_events"
    )
    transfer_mode = models.CharField(
        _("transfer mode"), max_length=10, choices=TransferMode.choices, blank=True, default=""
    )
    discipline_level = models.CharField(
        _("discipline"), max_length=10, choices=DisciplineLevel.choices, blank=True, default=""
    )
    # Why the member left, on a removal or an expulsion (readmission depends on it).
    leaving_reason = models.CharField(
        _("reason for leaving"),
        max_length=20,
        choices=LeavingReason.choices,
        blank=True,
        default="",
        db_default="",  # rows written by COPY (imports, the national-scale generator) need no value
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True, default="")
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True, default="")
    reason = models.TextField(_("reason"), blank=True, default="")
    details = models.JSONField(default=dict, blank=True)
    reorganization = models.ForeignKey(
        "organizations.Reorganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member_events",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("member event")
        verbose_name_plural = _("member events")
        ordering = ["member", "date", "id"]
        indexes = [
            # The unit too: a province's events of a few days are counted from this index
            # alone (no visit of the scattered event rows), joined to the province's units;
            # the other end of a transfer and the discipline level ride along (PostgreSQL).
            models.Index(
                fields=["kind", "date", "unit"],
                include=["other_unit", "discipline_level"],
                name="event_kind_date_unit_idx",
            ),
            models.Index(fields=["unit", "kind", "date"], name="event_unit_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()} · {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("force_ledger_update", False):
            raise ValidationError(_("The member ledger is append-only: record a new event."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The member ledger is append-only: record a new event."))

    def audit_unit_path(self) -> str:
        return self.unit.path


class Membership(models.Model):
    """An interval during which a member belonged to a unit with a status.

    "Official members of this subtree on 31/12/2023" is one indexed query over these rows joined
    to the unit placements of that date. `end` is exclusive; null while open.
    """

    # Both indexed by the composite indexes in Meta, which lead with them.
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="intervals", db_index=False
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", db_index=False
    )
    status = models.CharField(max_length=15, choices=IntervalStatus.choices)
    # Probationary or official: equal to `status` except in transit, where `status` is
    # in_transit and this keeps the member's standing knowable for that period.
    standing = models.CharField(
        max_length=15,
        choices=[
            (MemberStatus.PROBATIONARY, MemberStatus.PROBATIONARY.label),
            (MemberStatus.OFFICIAL, MemberStatus.OFFICIAL.label),
        ],
        blank=True,
        default="",
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    # The member's date of birth, copied (every service that writes an interval or corrects
    # the date keeps it equal): a past day inside a month finds the intervals of the members
    # who reached an age boundary in the days since the month's end by this index and their
    # unit, instead of looking up each member born in those days across the country.
    birth_date = models.DateField(editable=False)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership interval")
        verbose_name_plural = _("membership intervals")
        ordering = ["member", "start", "id"]
        indexes = [
            models.Index(fields=["unit", "start", "end"], name="membership_unit_range_idx"),
            models.Index(fields=["member", "start"], name="membership_member_idx"),
            # A past day inside a month reads the intervals that start or end, or whose member
            # reaches an age boundary, in the days since the month's end (rollups.past): the
            # unit and the id in the index keep a province's few from the country's, and only
            # those are read from the table. The birthdays are counted from the index alone:
            # it holds each interval's first and last days (PostgreSQL).
            models.Index(fields=["start", "unit", "id"], name="membership_start_idx"),
            models.Index(fields=["end", "unit", "id"], name="membership_end_idx"),
            models.Index(
                fields=["birth_date", "unit", "id"],
                include=["start", "end"],
                name="membership_birth_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.unit} · {self.status} {self.start}–{self.end or ''}"


class Candidate(AuditedModel):
    """A person in the admission pipeline, proposed by a cell or a mass organization."""

    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    ethnicity = models.CharField(_("ethnicity"), max_length=30, choices=ETHNICITY_CHOICES)
    religion = models.CharField(
        _("religion"), max_length=20, choices=Religion.choices, default=Religion.NONE
    )
    occupation = models.CharField(_("occupation"), max_length=120, blank=True, default="")
    unit = models.ForeignKey(
        Unit, verbose_name=_("cell"), on_delete=models.PROTECT, related_name="candidates"
    )
    proposed_by = models.CharField(_("proposed by"), max_length=20, choices=ProposedBy.choices)
    proposed_on = models.DateField(_("proposed on"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=CandidateStage.choices, default=CandidateStage.PROPOSED
    )
    course_completed_on = models.DateField(_("awareness course completed"), null=True, blank=True)
    application_filed_on = models.DateField(_("application filed"), null=True, blank=True)
    introducer_1 = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("first introducer"),
    )
    introducer_2 = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("second introducer"),
    )
    cell_vote_on = models.DateField(_("cell vote"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_total = models.PositiveSmallIntegerField(_("votes cast"), null=True, blank=True)
    member = models.OneToOneField(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="candidacy"
    )
    dropped_reason = models.CharField(_("reason dropped"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["unit", "stage", "name_folded"]
        indexes = [models.Index(fields=["unit", "stage"], name="candidate_unit_stage_idx")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)

    def audit_unit_path(self) -> str:
        return self.unit.path
