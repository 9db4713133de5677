from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    COMMITTEE = "committee", _("Committee meeting")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class AssignmentStatus(models.TextChoices):
    """What is stored; "overdue" is an open assignment past its due date, derived on reading."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OVERDUE = "overdue"
STATUS_FILTER_CHOICES = [
    (AssignmentStatus.OPEN.value, AssignmentStatus.OPEN.label),
    (OVERDUE, _("Overdue")),
    (AssignmentStatus.DONE.value, AssignmentStatus.DONE.label),
    (AssignmentStatus.DROPPED.value, AssignmentStatus.DROPPED.label),
]


class CorrectionPart(models.TextChoices):
    MINUTES = "minutes", _("Minutes")
    ATTENDANCE = "attendance", _("Attendance")
    ASSESSMENT = "assessment", _("Assessment")
    DECISION = "decision", _("Decision")
    OTHER = "other", _("Other")


class FindingKind(models.TextChoices):
    NO_REGULAR = "no_regular", _("Month without a regular meeting")
    NO_THEMATIC = "no_thematic", _("Quarter without a thematic meeting")
    LOW_ATTENDANCE = "low_attendance", _("Attendance below the threshold")
    UNSIGNED = "unsigned", _("Minutes not signed in time")
