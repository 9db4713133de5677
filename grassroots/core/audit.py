"""The generic audit log: who changed what, when, before and after.

The acting user comes from a context variable set by the middleware for requests and by
`acting_as()` for services called from commands, tasks and tests.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import decimal
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save

_actor: contextvars.ContextVar = contextvars.ContextVar("audit_actor", default=None)
_muted: contextvars.ContextVar = contextvars.ContextVar("audit_muted", default=False)


@contextlib.contextmanager
def muted():
    """Writes inside are not logged by the signals: the service logs the outcome itself
    (e.g. a create that needs two saves to set the materialized path)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


@contextlib.contextmanager
def acting_as(user):
    token = _actor.set(user if (user is not None and getattr(user, "pk", None)) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor():
    return _actor.get()


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, dict, str, int, float, bool)) or value is None:
        return value
    return str(value)


def snapshot(instance) -> dict:
    excluded = (
        instance.audit_exclude_fields() if hasattr(instance, "audit_exclude_fields") else set()
    )
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded:
            continue
        data[field.attname] = _jsonable(getattr(instance, field.attname))
    return data


def _loaded_snapshot(instance) -> dict | None:
    loaded = getattr(instance, "_audit_loaded", None)
    if loaded is None:
        return None
    excluded = instance.audit_exclude_fields()
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.attname not in loaded:
            continue
        data[field.attname] = _jsonable(loaded[field.attname])
    return data


def mark_saved(instance) -> None:
    """Treat the instance's current values as loaded, so the next save logs only later changes."""
    instance._audit_loaded = {
        f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields
    }


def record(instance, action: str, *, before=None, after=None, note: str = "", actor=None) -> None:
    from .models import AuditEntry

    AuditEntry.objects.create(
        actor=actor if actor is not None else current_actor(),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        unit_path=instance.audit_unit_path() if hasattr(instance, "audit_unit_path") else "",
        before=before,
        after=after,
        note=note[:300],
    )


# The columns of an audit entry as the bulk writer takes them (here and in the imports).
AUDIT_COLUMNS = [
    "id",
    "timestamp",
    "actor_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "unit_path",
    "before",
    "after",
    "note",
]


def record_created(instances, *, actor=None) -> None:
    """Log rows created in bulk (which sends no signal), one entry each as the signal would
    write, through the bulk writer (COPY on PostgreSQL: a run opening tens of thousands of
    rows logs them in seconds)."""
    from django.utils import timezone

    from .bulk import BulkWriter
    from .models import AuditEntry

    instances = list(instances)
    if not instances or _muted.get():
        return
    content_type = ContentType.objects.get_for_model(instances[0], for_concrete_model=False)
    actor = actor if actor is not None else current_actor()
    actor_id = getattr(actor, "pk", None)
    now = timezone.now()
    writer = BulkWriter(batch_size=5000)
    writer.declare(AuditEntry, AUDIT_COLUMNS)
    for instance in instances:
        path = instance.audit_unit_path() if hasattr(instance, "audit_unit_path") else ""
        writer.add(
            AuditEntry,
            (writer.next_id(AuditEntry), now, actor_id, "create", content_type.pk)
            + (str(instance.pk), str(instance)[:300], path, None, json.dumps(snapshot(instance)))
            + ("",),
        )
    writer.flush_all()


def record_view(instance, *, user, note: str = "") -> None:
    """Log that `user` opened the full (personal) record of `instance`."""
    record(instance, "view", note=note, actor=user)


def record_read(
    target,
    *,
    user,
    read: str,
    filters: dict | None = None,
    count: int | None = None,
    note: str = "",
    **details,
) -> None:
    """Log that `user` read sensitive personal data of several people at once (a list selected
    by a sensitive field, an export): which read, with which filters, on which unit (`target`,
    whose subtree files the entry) and how many rows. The entry's time is the read's."""
    after: dict = {"read": read}
    if filters:
        after["filters"] = {name: _jsonable(value) for name, value in filters.items()}
    if count is not None:
        after["count"] = count
    after.update({name: _jsonable(value) for name, value in details.items()})
    record(target, "view", after=after, note=note, actor=user)


def _on_save(sender, instance, created, raw=False, **kwargs):
    if raw or _muted.get():
        return
    after = snapshot(instance)
    if created:
        record(instance, "create", after=after)
    else:
        before = _loaded_snapshot(instance)
        if before is not None and before == after:
            return
        record(instance, "update", before=before, after=after)
    mark_saved(instance)


def _on_delete(sender, instance, **kwargs):
    if _muted.get():
        return
    record(instance, "delete", before=snapshot(instance))


def connect_signals() -> None:
    from django.apps import apps

    from .models import AuditedModel

    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            post_save.connect(
                _on_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}"
            )
            post_delete.connect(
                _on_delete, sender=model, dispatch_uid=f"audit-delete-{model._meta.label}"
            )
