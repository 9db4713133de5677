"""Base models with no domain: audit log, rule settings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .querysets import AuditEntryQuerySet


def path_index(name: str, field: str = "path", include: tuple[str, ...] = ()) -> models.Index:
    """An index for prefix matches on a materialized path (`startswith`, the subtree filter).

    varchar_pattern_ops lets PostgreSQL answer `LIKE 'prefix%'` (and equality) from the index;
    SQLite ignores opclasses and uses its own index for the prefix range. `include`: columns
    the index also holds, so that a read of a subtree needing only them never visits the table
    (PostgreSQL)."""
    return models.Index(
        fields=[field], name=name, opclasses=["varchar_pattern_ops"], include=include or None
    )


class AuditedModel(models.Model):
    """A model whose every create, update and delete is written to the audit log.

    It remembers the values it was loaded with, so the log can hold before and after.
    Subclasses say which unit's subtree an entry belongs to through `audit_unit_path()`.
    """

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._audit_loaded = dict(zip(field_names, values, strict=False))
        return instance

    def audit_unit_path(self) -> str:
        return ""

    def audit_exclude_fields(self) -> set[str]:
        return {"name_folded", "updated_at"}


class AuditEntry(models.Model):
    """One change (or one read of a member's full record) with who, when, before and after.

    Append-only: the row cannot be changed or deleted through the ORM.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        VIEW = "view", _("Viewed personal record")
        EVENT = "event", _("Recorded event")

    timestamp = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(  # indexed by audit_object_idx (content type first)
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    unit_path = models.CharField(max_length=255, blank=True, default="")  # prefix index in Meta
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            # Subtree scoping is a prefix match (`startswith`); one index serves it and equality.
            path_index("audit_unit_path_idx", "unit_path"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The audit log cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log cannot be changed."))

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class RuleSetting(models.Model):
    """An administrator's override of one configurable rule (see `core.rules.DEFAULTS`)."""

    key = models.CharField(_("rule"), max_length=80, unique=True)
    value = models.JSONField(_("value"))
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("rule setting")
        verbose_name_plural = _("rule settings")

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    def clean(self) -> None:
        from .rules import DEFAULTS

        if self.key not in DEFAULTS:
            raise ValidationError({"key": _("Unknown rule.")})


class Holiday(AuditedModel):
    """A day off across the country that "N working days" rules skip (`core.dates`).

    Public holidays of the Labour Code, the compensatory days off when one falls on a weekend
    or is swapped, and the Tết days off the government fixes each year. Seeded from a maintained
    calendar (`core.holiday_calendar`) and corrected by an administrator when the government
    decides the year's days off (admin, `manage.py holidays`).
    """

    class Kind(models.TextChoices):
        PUBLIC = "public", _("Public holiday")
        COMPENSATORY = "compensatory", _("Compensatory day off")
        TET = "tet", _("Tết day off fixed by the government")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        default="",
        help_text=_("The decision or calendar the day off comes from."),
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
