"""Who may act on a figure, asked by the services (on commit) and by the grid's selector (to
offer only what the services will accept)."""

from __future__ import annotations

from grassroots.core.access import Access, Action
from grassroots.core.rules import rule

from .models import DataValue


def may_reopen(actor, value: DataValue) -> bool:
    """Only a manager of the level that approved a value (or above it) reopens it."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    level = value.approved_level
    if level is None:
        return bool(actor.is_superuser)
    return Access.of(actor).may(Action.MANAGE, level)


def entered_by_actor(actor, value: DataValue) -> bool:
    """Whether `actor` entered the figure as it stands (its last writer) while the rule
    "approval_by_other_person" holds: then someone else approves it. A figure loaded by the
    system itself (no person) is approved by any manager."""
    actor_id = getattr(actor, "pk", None)
    if actor_id is None or value.entered_by_id is None:
        return False
    return value.entered_by_id == actor_id and bool(rule("approval_by_other_person"))
