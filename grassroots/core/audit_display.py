"""The audit log as people read it: field labels instead of column names, choice labels instead
of codes, dates in the locale's format, yes/no for booleans, a related row by its name.

The log keeps raw values (`AuditEntry.before`/`after`, keyed by column); this turns a page of
entries into rows for the audit tab, reading each related table once for the whole page.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EMPTY = "—"

# The keys of a read's entry (`audit.record_read`) and what to call them.
READ_LABELS = {
    "read": lambda: _("What was read"),
    "filters": lambda: _("Filters"),
    "count": lambda: _("Rows"),
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class ReadableEntry:
    """One audit entry with its changes (or a read's details) ready to show."""

    entry: object
    changes: list[Change] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)


def _fields_by_key(model) -> dict[str, models.Field]:
    """Column name and field name → field, for the keys a snapshot may hold."""
    found: dict[str, models.Field] = {}
    if model is None:
        return found
    for f in model._meta.concrete_fields:
        found[f.attname] = f
        found[f.name] = f
    return found


def _model_of(entry):
    try:
        return ContentType.objects.get_for_id(entry.content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _related_names(wanted: dict[type, set]) -> dict[tuple[type, str], str]:
    """(model, str(pk)) → str(object): one query per related model for the whole page."""
    names: dict[tuple[type, str], str] = {}
    for model, pks in wanted.items():
        clean = set()
        for pk in pks:
            try:
                clean.add(model._meta.pk.to_python(pk))
            except Exception:  # a malformed id in old data is shown as it is
                continue
        for obj in model._default_manager.filter(pk__in=clean):
            names[(model, str(obj.pk))] = str(obj)
    return names


def _plain(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


def display_value(f: models.Field | None, value, names: dict | None = None) -> str:
    """`value` as stored in a snapshot, shown as people read it."""
    if value is None or value == "":
        return EMPTY
    if f is None:
        return _plain(value)
    if f.is_relation and f.many_to_one:
        key = (f.related_model, str(value))
        return (names or {}).get(key, f"#{value}")
    if f.choices:
        labels = {str(k): v for k, v in f.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(f, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(f, models.DateTimeField):
        parsed = parse_datetime(str(value))
        if parsed is None:
            return str(value)
        if timezone.is_aware(parsed):
            parsed = timezone.localtime(parsed)
        return date_format(parsed, "SHORT_DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        parsed = value if isinstance(value, dt.date) else parse_date(str(value))
        return date_format(parsed, "SHORT_DATE_FORMAT") if parsed else str(value)
    if isinstance(f, models.DecimalField):
        try:
            return localize(decimal.Decimal(str(value)))
        except decimal.InvalidOperation:
            return str(value)
    if isinstance(f, (models.IntegerField, models.FloatField)) and not isinstance(value, bool):
        return localize(value)
    return _plain(value)


def _label(f: models.Field | None, key: str) -> str:
    return capfirst(str(f.verbose_name)) if f is not None else key


def readable_entries(entries: Iterable) -> list[ReadableEntry]:
    """The page of entries, each with labelled, readable changes."""
    entries = list(entries)
    fields_of: dict[int, dict[str, models.Field]] = {}
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        if entry.content_type_id not in fields_of:
            fields_of[entry.content_type_id] = _fields_by_key(_model_of(entry))
        fields = fields_of[entry.content_type_id]
        if entry.action == "view":
            continue
        for key, before, after in entry.changed_fields():
            f = fields.get(key)
            if f is not None and f.is_relation and f.many_to_one:
                for value in (before, after):
                    if value not in (None, ""):
                        wanted[f.related_model].add(str(value))
    names = _related_names(wanted)
    rows = []
    for entry in entries:
        fields = fields_of[entry.content_type_id]
        row = ReadableEntry(entry)
        if entry.action == "view":
            for key, value in (entry.after or {}).items():
                label = READ_LABELS[key]() if key in READ_LABELS else key
                row.details.append((label, _plain(value)))
        else:
            order = {f.attname: i for i, f in enumerate(dict.fromkeys(fields.values()))}
            changed = sorted(entry.changed_fields(), key=lambda c: order.get(c[0], len(order)))
            for key, before, after in changed:
                f = fields.get(key)
                row.changes.append(
                    Change(
                        _label(f, key),
                        display_value(f, before, names),
                        display_value(f, after, names),
                    )
                )
        rows.append(row)
    return rows
