"""The fixed vocabularies of citizens' feedback."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What the citizen asks for; the category sets the time allowed to answer."""

    OPINION = "opinion", _("Opinion or report")
    PETITION = "petition", _("Petition")
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")


class Channel(models.TextChoices):
    """How the feedback reached the unit."""

    DIALOGUE = "dialogue", _("Dialogue meeting")
    VISIT = "visit", _("Visit or reception")
    CALL = "call", _("Phone call")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Public form")


STAFF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.ONLINE]


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    ESCALATED = "escalated", _("Escalated")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


# Still waiting for an answer: these fall due, become overdue and are escalated.
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.ESCALATED)
# Settled, unless the handling unit or one above finds the answer wanting and reopens it.
REOPENABLE = (Status.ANSWERED, Status.CLOSED)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    ROUTED = "routed", _("Unit changed")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Work started")
    ESCALATED = "escalated", _("Escalated to the unit above")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    SATISFACTION = "satisfaction", _("Satisfaction recorded")
    REOPENED = "reopened", _("Reopened")
    NOTE = "note", _("Internal note")
