"""The fixed vocabularies of the "4 good" frameworks and the monthly self-assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scoring(models.TextChoices):
    """How a criterion is scored: all or nothing, a step of a scale, or any points up to its
    maximum."""

    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale")
    POINTS = "points", _("Points")


class MissingMonths(models.TextChoices):
    """How a month with no accepted assessment counts in the year."""

    ZERO = "zero", _("Counts as zero points")
    EXCLUDED = "excluded", _("Left out of the average")


class YearEndRule(models.TextChoices):
    """What the twelve months give the year-end review."""

    AVERAGE = "average", _("The band of the average of the months")
    LOWEST = "lowest", _("The band of the lowest month")


class Status(models.TextChoices):
    """Where one month's self-assessment stands. "Missing" is the absence of a row."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


MISSING = "missing"
EDITABLE_STATUSES = {Status.DRAFT, Status.RETURNED}


class StepKind(models.TextChoices):
    """A recorded step of a month's review."""

    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    RETURN = "return", _("Returned")
    REOPEN = "reopen", _("Reopened")
