"""Meetings of the units (sinh hoạt chi bộ), their attendance, decisions and the assignments the
decisions create, the corrections to signed minutes, and the higher-level committee members
assigned to attend the cells."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel

from .choices import AssignmentStatus, AttendanceStatus, CorrectionPart, MeetingKind
from .querysets import AssignmentQuerySet, LiaisonQuerySet, MeetingPartQuerySet, MeetingQuerySet


def attendance_rate(present: int, expected: int) -> Decimal | None:
    """Present ÷ expected as a percentage with one decimal (None when nobody was expected)."""
    if not expected:
        return None
    return (Decimal(present) * 100 / Decimal(expected)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


class Meeting(AuditedModel):
    """One meeting of a unit: a cell's regular monthly or thematic meeting, an extraordinary
    one, or a committee's. The agenda is posted before it (draft, then published to the members
    on a date); after it, the attendance, the minutes with the month's assessment, and the
    decisions. Once the minutes are signed the meeting is locked: later corrections are rows of
    their own (`MeetingCorrection`), never edits."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="meetings", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=15, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True, default="")
    topic = models.CharField(
        _("topic"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("The theme of a thematic meeting, or a short title."),
    )
    agenda = models.TextField(_("agenda"), blank=True, default="")
    agenda_published_on = models.DateField(_("agenda published on"), null=True, blank=True)
    # The higher-level committee member assigned to attend (usually the cell's liaison).
    visitor_seat = models.ForeignKey(
        "committees.CommitteeSeat",
        verbose_name=_("higher-level committee member attending"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_attended",
    )
    visitor_attended = models.BooleanField(_("the committee member attended"), null=True)
    chair = models.CharField(_("chaired by"), max_length=150, blank=True, default="")
    recorder = models.CharField(_("minutes taken by"), max_length=150, blank=True, default="")
    minutes = models.TextField(_("minutes"), blank=True, default="")
    cell_strengths = models.TextField(_("strengths of the month"), blank=True, default="")
    cell_limitations = models.TextField(_("limitations of the month"), blank=True, default="")
    next_month_tasks = models.TextField(_("tasks for the next month"), blank=True, default="")
    # Counted by the attendance service, so that lists and findings need no aggregate.
    expected_count = models.PositiveSmallIntegerField(_("members expected"), default=0)
    present_count = models.PositiveSmallIntegerField(_("members present"), default=0)
    excused_count = models.PositiveSmallIntegerField(_("members excused"), default=0)
    signed_on = models.DateField(_("minutes signed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["unit", "date"], name="meeting_unit_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(present_count__lte=models.F("expected_count")),
                name="meeting_present_within_expected",
                violation_error_message=_("More members present than expected."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit} {self.date:%d/%m/%Y}"

    def audit_unit_path(self) -> str:
        return self.unit.path

    @property
    def is_locked(self) -> bool:
        return self.signed_on is not None

    @property
    def is_published(self) -> bool:
        return self.agenda_published_on is not None

    @property
    def attendance_recorded(self) -> bool:
        return self.expected_count > 0

    @property
    def absent_count(self) -> int:
        return self.expected_count - self.present_count - self.excused_count

    @property
    def rate(self) -> Decimal | None:
        return attendance_rate(self.present_count, self.expected_count)


class MeetingYear(models.Model):
    """What the findings need of one unit's meetings in one year, kept by the meeting services
    (`tallies.tally_refresh`) in the same transaction as the meeting and rebuilt from the
    meetings by `manage.py rebuild_rollups`: the months it held a regular meeting in and those
    it held a thematic one in (bits, 1 << month), its meetings (not the committee's) with
    attendance below the threshold in force when it was counted, and the dates of those with
    their minutes unsigned. A province's findings read
    one such row per cell instead of every meeting. Not audited: the meetings are."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="meeting_years"
    )
    year = models.PositiveSmallIntegerField()
    regular_months = models.PositiveIntegerField(default=0)
    thematic_months = models.PositiveIntegerField(default=0)
    low_attendance = models.PositiveIntegerField(default=0)
    # The dates (ISO, space-separated, in order) of its meetings with the minutes unsigned —
    # usually none or one. Whether each is late depends on the day the findings are read, so
    # the dates are kept rather than a count.
    unsigned_days = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="meeting_year_once"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class MeetingDocument(AuditedModel):
    """A document posted with the agenda for the members to read before the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_unit_path(self) -> str:
        return self.meeting.unit.path


class Attendance(AuditedModel):
    """A member at a meeting: present, excused (with the reason) or absent, and the meeting's
    assessment of the member for the month (strengths, limitations)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="meeting_attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True, default="")
    strengths = models.TextField(_("strengths"), blank=True, default="")
    limitations = models.TextField(_("limitations"), blank=True, default="")

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__name_folded", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="attendance_once_per_member",
                violation_error_message=_("This member's attendance is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AttendanceStatus.EXCUSED) | ~Q(reason=""),
                name="attendance_excused_has_reason",
                violation_error_message=_("An excused absence needs its reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    def audit_unit_path(self) -> str:
        return self.meeting.unit.path


class Decision(AuditedModel):
    """A decision the meeting passed (a point of its resolution)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="decision_number_unique",
                violation_error_message=_("The meeting already has a decision with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def audit_unit_path(self) -> str:
        return self.meeting.unit.path


class Assignment(AuditedModel):
    """What a decision asks of one or more members of the unit, by a due date. Open ones come
    onto the unit's next meetings for follow-up until done or dropped (with the reason);
    "overdue" is an open assignment past its due date."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="assignments")
    # The decision's unit, kept here so that lists and the home are scoped without a join chain.
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="meeting_assignments"
    )
    members = models.ManyToManyField(
        "members.Member", related_name="meeting_assignments", verbose_name=_("members")
    )
    task = models.TextField(_("what"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason for dropping"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="assignment_unit_status_idx"),
            models.Index(fields=["status", "due_date"], name="assignment_status_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.DROPPED) | ~Q(drop_reason=""),
                name="assignment_dropped_has_reason",
                violation_error_message=_("A dropped assignment needs its reason."),
            )
        ]

    def __str__(self) -> str:
        return self.task[:80]

    def audit_unit_path(self) -> str:
        return self.unit.path

    def is_overdue(self, day: dt.date) -> bool:
        return self.status == AssignmentStatus.OPEN and self.due_date < day

    def status_on(self, day: dt.date) -> str:
        from .choices import OVERDUE

        return OVERDUE if self.is_overdue(day) else self.status


class FollowUp(AuditedModel):
    """What a later meeting noted about an open assignment (progress, or the status it set)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="follow_ups")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    note = models.TextField(_("note"), blank=True, default="")
    status = models.CharField(_("status set"), max_length=10, choices=AssignmentStatus.choices)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["meeting__date", "id"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.meeting}"

    def audit_unit_path(self) -> str:
        return self.meeting.unit.path


class MeetingCorrection(AuditedModel):
    """A correction to the signed minutes: what part, what it corrects, why and when. The
    signed text stays as it was signed; the corrections are printed after it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="corrections")
    part = models.CharField(_("part corrected"), max_length=15, choices=CorrectionPart.choices)
    text = models.TextField(_("correction"))
    reason = models.CharField(_("reason"), max_length=300)
    recorded_on = models.DateField(_("recorded on"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["meeting", "recorded_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_part_display()} · {self.recorded_on:%d/%m/%Y}"

    def audit_unit_path(self) -> str:
        return self.meeting.unit.path


class Liaison(AuditedModel):
    """A member of a higher-level committee (a seat on the committee of a unit above) assigned
    to attend a cell's meetings over a period (phân công cấp ủy viên dự sinh hoạt chi bộ)."""

    seat = models.ForeignKey(
        "committees.CommitteeSeat", on_delete=models.PROTECT, related_name="liaisons"
    )
    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="meeting_liaisons"
    )
    from_date = models.DateField(_("from"))
    to_date = models.DateField(_("to"), null=True, blank=True)

    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["unit", "-from_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="liaison_dates_order",
                violation_error_message=_("An assignment ends after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.seat.display_name} → {self.unit}"

    def audit_unit_path(self) -> str:
        return self.unit.path

    def covers(self, day: dt.date) -> bool:
        return self.from_date <= day and (self.to_date is None or day <= self.to_date)
