"""Reads of several members' sensitive personal data, logged like an opening of one record.

A list selected by religion, ethnicity, age (birth date) or a party card number tells who has
them, and an export carries them for every row: both are logged with who, which filters, the
unit the list was taken from and how many rows (`core.audit.record_read`). Pages and API call
the same functions.
"""

from __future__ import annotations

from grassroots.core.access import Access, Action
from grassroots.core.audit import record_read
from grassroots.organizations.models import Unit

# Filters that select members by sensitive personal data (age bands read the birth date).
SENSITIVE_FILTERS = ("religion", "ethnicity", "age_band")


def filters_used(params, names) -> dict[str, str]:
    """The filters of `names` that `params` (a query dict) sets, as given (repeated ones joined)."""
    used = {}
    for name in names:
        values = [
            v
            for v in (params.getlist(name) if hasattr(params, "getlist") else [params.get(name)])
            if v
        ]
        if values:
            used[name] = ",".join(values)
    return used


def selects_by_sensitive_data(params) -> bool:
    if any(params.get(name) for name in SENSITIVE_FILTERS):
        return True
    # A search with a digit looks the party card number up (MemberQuerySet.search).
    return any(ch.isdigit() for ch in params.get("q") or "")


def read_scope(user, raw_unit=None) -> Unit | None:
    """The unit a read is filed on: the `unit` asked for when the user sees it, else the top of
    the user's subtrees (the root for an administrator)."""
    if isinstance(raw_unit, Unit):
        return raw_unit
    if raw_unit not in (None, "") and str(raw_unit).isdigit():
        unit = Unit.objects.visible_to(user, Action.VIEW).filter(pk=int(raw_unit)).first()
        if unit is not None:
            return unit
    paths = Access.of(user).paths(Action.VIEW)
    if paths is None:
        return Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    return Unit.objects.filter(path=paths[0]).first() if paths else None


def log_list_read(
    *, user, read: str, params, names, count: int | None, unit=None, **details
) -> None:
    """Log a list or export of members (or their events) with the filters it used."""
    target = read_scope(user, unit if unit is not None else params.get("unit"))
    if target is None:
        return
    filters = filters_used(params, names)
    shown = ", ".join(f"{name}={value}" for name, value in filters.items()) or "-"
    record_read(
        target,
        user=user,
        read=read,
        filters=filters,
        count=count,
        note=f"{read}: {shown} ({count if count is not None else '?'})",
        **details,
    )
