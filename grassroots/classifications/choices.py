"""Choices of the year-end review and classification."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels, the same for members and for organizations in every rule set."""

    EXCELLENT = "excellent", _("Excellently completed tasks")
    WELL = "well", _("Well completed tasks")
    COMPLETED = "completed", _("Completed tasks")
    NOT_COMPLETED = "not_completed", _("Did not complete tasks")


# Best first: a lower rank is a better level.
LEVEL_ORDER = [Level.EXCELLENT, Level.WELL, Level.COMPLETED, Level.NOT_COMPLETED]
LEVEL_RANK = {level.value: i for i, level in enumerate(LEVEL_ORDER)}

# The level names of the regulations (proper names of the four levels, kept in Vietnamese).
LEVEL_NAMES_VI = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.WELL: "Hoàn thành tốt nhiệm vụ",
    Level.COMPLETED: "Hoàn thành nhiệm vụ",
    Level.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}


def worse(a: str | None, b: str | None) -> str | None:
    """The worse of two levels (None: no bound)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if LEVEL_RANK[a] >= LEVEL_RANK[b] else b


def at_most(level: str | None, cap: str | None) -> str | None:
    """`level` lowered to `cap` when above it."""
    if level is None:
        return None
    return worse(level, cap)


class Judging(models.TextChoices):
    GRADES = "grades", _("Each criterion graded, no points")
    POINTS = "points", _("100 points: general criteria 30 + task results 70")


class Subject(models.TextChoices):
    MEMBER = "member", _("Member")
    COLLECTIVE = "collective", _("Collective")


class QuotaScope(models.TextChoices):
    GRASSROOTS = "grassroots", _("Each grassroots organization")
    CELL = "cell", _("Each cell")
    PEER_GROUP = "peer_group", _("Units with similar roles under the same committee")


class QuotaBase(models.TextChoices):
    WELL = "well", _("The number rated “well completed”")
    WELL_OR_BETTER = "well_or_better", _("The number rated “well completed” or better")


class DisciplineRule(models.TextChoices):
    FAILS = "fails", _("Disciplined in the period: did not complete tasks")
    CAPS_COMPLETED = "caps_completed", _("Disciplined in the period: at most “completed tasks”")


class StepKind(models.TextChoices):
    """The recorded steps of a classification, in the order they happen."""

    COMPUTED = "computed", _("Computed from the records")
    SELF_REVIEW = "self_review", _("Self-review")
    PROPOSAL = "proposal", _("Proposal")
    DECISION = "decision", _("Decision")
    PUBLICATION = "publication", _("Made public")


class NotReviewed(models.TextChoices):
    EXEMPTED = "exempted", _("Exempted from party work and activities")
    SUSPENDED = "suspended", _("Suspended from party activities")
    NEW_MEMBER = "new_member", _("Admitted less than the required months before the review")


class CircumstanceKind(models.TextChoices):
    """Facts of a member's (or an organization's) year that the rules read."""

    EXEMPTED = "exempted", _("Exempted from party work and activities")
    SUSPENDED = "suspended", _("Suspended from party activities")
    SICK_LEAVE = "sick_leave", _("Sick leave")
    MATERNITY_LEAVE = "maternity_leave", _("Maternity leave")
    ORGANIZATION_DISCIPLINED = "org_disciplined", _("Organization disciplined")


MEMBER_CIRCUMSTANCES = [
    CircumstanceKind.EXEMPTED,
    CircumstanceKind.SUSPENDED,
    CircumstanceKind.SICK_LEAVE,
    CircumstanceKind.MATERNITY_LEAVE,
]


class FormCode(models.TextChoices):
    """The report forms of Guideline 43-HD/BTCTW (366)."""

    F01 = "01", _("Form 01: a collective's review report")
    F2A = "2A", _("Form 2A: leaders and managers")
    F2B = "2B", _("Form 2B: individuals without a leading post")
    F2C = "2C", _("Form 2C: members not working in the political system")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
