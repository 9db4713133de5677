"""Citizens' feedback (ý kiến, kiến nghị, khiếu nại, tố cáo) and what was done with it."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel

from .choices import Category, Channel, EventKind, Satisfaction, Status
from .conf import ANSWER_MAX_CHARS, BODY_MAX_CHARS, SUBJECT_MAX_CHARS
from .querysets import FeedbackEventQuerySet, FeedbackQuerySet

# Crockford's base 32: no I, L, O or U, so a code read over the phone is not mistyped.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10  # 50 random bits: not guessable at the rate the tracking page allows
PERSONAL_FIELDS = ("citizen_name", "citizen_phone", "citizen_address", "citizen_id_number")


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """A code as typed (any case, dashes, spaces, O for 0, I or L for 1) as stored."""
    cleaned = "".join(ch for ch in (text or "")[:40].upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


class Feedback(AuditedModel):
    """One opinion, petition, complaint or denunciation of a citizen, from intake to answer.

    `unit` handles it now; `origin_unit` received it first (escalation moves `unit` up, the
    origin keeps following it). `first_due_date` is the deadline the on-time figures are
    measured against; `due_date` is the one in force (an escalation sets a new one)."""

    code = models.CharField(_("tracking code"), max_length=CODE_LENGTH, unique=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    origin_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The commune or village the feedback is about."),
    )
    channel = models.CharField(_("received through"), max_length=12, choices=Channel.choices)
    source_note = models.CharField(
        _("occasion"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("E.g. the dialogue meeting of 12/03/2024 with the voters of hamlet 3."),
    )
    category = models.CharField(_("category"), max_length=14, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX_CHARS)
    body = models.TextField(_("content"), max_length=BODY_MAX_CHARS)

    citizen_name = models.CharField(_("citizen's name"), max_length=150)
    citizen_phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    citizen_address = models.CharField(_("address"), max_length=300, blank=True, default="")
    citizen_id_number = models.CharField(_("ID card number"), max_length=12, blank=True, default="")

    received_on = models.DateField(_("received on"))
    first_due_date = models.DateField(_("first due date"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalation_level = models.PositiveSmallIntegerField(_("times escalated"), default=0)

    answer = models.TextField(_("answer"), max_length=ANSWER_MAX_CHARS, blank=True, default="")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer_days = models.PositiveIntegerField(_("days to answer"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    satisfaction = models.CharField(
        _("citizen's satisfaction"),
        max_length=12,
        choices=Satisfaction.choices,
        blank=True,
        default="",
    )
    satisfaction_note = models.CharField(
        _("citizen's comment"), max_length=500, blank=True, default=""
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="feedback_status_due_idx"),
            models.Index(fields=["received_on"], name="feedback_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("received_on"))
                & Q(first_due_date__gte=models.F("received_on")),
                name="feedback_due_after_received",
                violation_error_message=_("The due date cannot come before the receipt."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=models.F("received_on")),
                name="feedback_answered_after_received",
                violation_error_message=_("An answer cannot come before the receipt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{format_code(self.code)} {self.subject}"

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.IN_PROGRESS, Status.ESCALATED)

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_on is None:
            return None
        return self.answered_on <= self.first_due_date

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_date < today

    def audit_unit_path(self) -> str:
        return self.unit.path

    def audit_exclude_fields(self) -> set[str]:
        # The audit log is read more widely than the citizen's data may be: it keeps the
        # changes of the case, never the person.
        return super().audit_exclude_fields() | set(PERSONAL_FIELDS)


class FeedbackEvent(models.Model):
    """One step in the history of a feedback: received, moved, assigned, escalated, answered,
    closed, the citizen's satisfaction, or an internal note (never shown to the citizen)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=14, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_unit = models.ForeignKey(
        "organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "organizations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), max_length=2000, blank=True, default="")

    objects = FeedbackEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"
