"""Choice sets of resolutions, indicators, targets and data values."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResolutionKind(models.TextChoices):
    CONGRESS = "congress", _("Congress resolution")
    THEMATIC = "thematic", _("Thematic resolution")
    PLAN = "plan", _("Plan")


class ResolutionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    REPLACED = "replaced", _("Replaced")
    ENDED = "ended", _("Ended")


class IndicatorGroup(models.TextChoices):
    ECONOMY = "economy", _("Economy")
    SOCIETY = "society", _("Culture and society")
    ENVIRONMENT = "environment", _("Environment")
    DEFENCE = "defence", _("Defence and security")
    PARTY = "party", _("Party building")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    RATIO = "ratio", _("Ratio of sums")
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")
    NONE = "none", _("Not aggregated")


class ComputedSource(models.TextChoices):
    ENTERED = "", _("Entered")
    MEMBERS_ADMITTED = "members_admitted", _("Members admitted in the period (member ledger)")
    VILLAGES_WITH_CELL_SHARE = (
        "villages_with_cell_share",
        _("Share of villages with their own cell"),
    )
    CELLS_WITH_COMMITTEE_SHARE = (
        "cells_with_committee_share",
        _("Share of village cells with a cell committee"),
    )


class TargetKind(models.TextChoices):
    LEVEL = "level", _("Reach a level by a year")
    ANNUAL_CHANGE = "annual_change", _("Average yearly change")
    CUMULATIVE = "cumulative", _("Cumulative over the term")
    RATIO = "ratio", _("Share of counts")


class ChangeBasis(models.TextChoices):
    """How an average yearly change is read from the figures."""

    RATE = "rate", _("The yearly figures are the rates (averaged)")
    POINTS = "points", _("Average yearly difference from the baseline")
    COMPOUND = "compound", _("Average compound yearly change from the baseline (%)")


class ReductionBasis(models.TextChoices):
    """How a lower-is-better level or share is judged: stated by the target, never inferred
    from whether it has a baseline (DOMAIN.md)."""

    LEVEL = "level", _("Level reached (target ÷ actual)")
    FALL = "fall", _("Share of the promised fall from the baseline")


class ReviewKind(models.TextChoices):
    """The reviews of a resolution a committee adopts and files."""

    MID_TERM = "mid_term", _("Mid-term review")
    FINAL = "final", _("Final review")


class ValueState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")


class Band(models.TextChoices):
    MET = "met", _("Achieved or exceeded")
    NEAR = "near", _("Near the target")
    BELOW = "below", _("Below")
    NO_DATA = "no_data", _("No data")
