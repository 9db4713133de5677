from django.db import models
from django.utils.translation import gettext_lazy as _


class Body(models.TextChoices):
    """Who adopts a plan and carries out its inspections (Regulation 22-QĐ/TW)."""

    COMMITTEE = "committee", _("Committee")
    STANDING = "standing", _("Standing committee")
    COMMISSION = "commission", _("Inspection commission")


class Kind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    SUPERVISION = "supervision", _("Supervision")


class Form(models.TextChoices):
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    SIGNS = "signs", _("On signs of violation")
    UNSCHEDULED = "unscheduled", _("Unscheduled")


class Subjects(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Organizations")
    MEMBERS = "members", _("Members")
    BOTH = "both", _("Organizations and members")


class Conclusion(models.TextChoices):
    PENDING = "", _("Not concluded")
    NO_VIOLATION = "no_violation", _("No violation")
    VIOLATION = "violation", _("Violation")


class Gravity(models.TextChoices):
    """The gravity of a violation (Regulation 69-QĐ/TW on discipline)."""

    MINOR = "minor", _("Less serious")
    SERIOUS = "serious", _("Serious")
    VERY_SERIOUS = "very_serious", _("Very serious")
    GRAVE = "grave", _("Especially serious")


class OrganizationDisciplineLevel(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISSOLUTION = "dissolution", _("Dissolution")
