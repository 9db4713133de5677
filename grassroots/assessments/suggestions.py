"""Scores other records can suggest: a registry other apps fill from their `AppConfig.ready()`.

A suggester is `fn(unit, year, month) -> Decimal | None`: the share (0 to 1) of a criterion's
maximum that the records support for the month, or None when they say nothing (no member was
due, no meeting was planned). A criterion names its suggester by key (`Criterion.suggester`);
the monthly form shows the suggested points beside the score and never fills the score itself.

    from grassroots.assessments.suggestions import register_suggester
    register_suggester("meetings_held", _("Regular meeting held"), meetings_held_share)
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

Suggester = Callable[[object, int, int], Decimal | None]


@dataclass(frozen=True)
class SuggesterEntry:
    key: str
    label: object
    fn: Suggester


_registry: dict[str, SuggesterEntry] = {}


def register_suggester(key: str, label, fn: Suggester) -> None:
    """Add (or replace, by `key`) a suggester."""
    _registry[key] = SuggesterEntry(key, label, fn)


def suggesters() -> list[SuggesterEntry]:
    return sorted(_registry.values(), key=lambda e: e.key)


def suggester_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(e.key, str(e.label)) for e in suggesters()]


def is_known(key: str) -> bool:
    return key in _registry


def suggested_points(criterion, unit, year: int, month: int) -> Decimal | None:
    """The points the criterion's suggester proposes for the month, rounded to what the
    criterion's scoring allows; None without a suggester or a suggestion. A failing suggester
    never breaks the form."""
    entry = _registry.get(criterion.suggester or "")
    if entry is None:
        return None
    try:
        share = entry.fn(unit, year, month)
    except Exception:  # noqa: BLE001 - another app's records must not break the form
        logger.exception("suggester %s failed", entry.key)
        return None
    if share is None:
        return None
    share = min(max(Decimal(share), Decimal(0)), Decimal(1))
    points = criterion.max_points * share
    allowed = criterion.allowed_scores()
    if allowed:
        return min(allowed, key=lambda a: (abs(a - points), -a))
    return points.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def recognitions_on_time(unit, year: int, month: int) -> Decimal | None:
    """Of the unit's members whose deadline for official recognition fell in the month, the
    share recognized by that deadline; None when nobody's deadline fell in it."""
    from grassroots.core.dates import add_months, add_working_days
    from grassroots.core.rules import rule
    from grassroots.members.choices import EventKind
    from grassroots.members.models import Member, MemberEvent

    first, last = _month_bounds(year, month)
    months, days = rule("probation_months"), rule("recognition_within_working_days")
    # Ceremonies whose probation ended up to a month of working days before the month's end.
    earliest = add_months(first, -months) - dt.timedelta(days=days * 2 + 14)
    latest = add_months(last, -months)
    members = Member.objects.filter(
        unit=unit, ceremony_date__gte=earliest, ceremony_date__lte=latest
    ).only("id", "ceremony_date")
    due: dict[int, dt.date] = {}
    for member in members:
        deadline = add_working_days(add_months(member.ceremony_date, months), days)
        if first <= deadline <= last:
            due[member.pk] = deadline
    if not due:
        return None
    recognized: dict[int, dt.date] = {}
    events = MemberEvent.objects.filter(member_id__in=due, kind=EventKind.RECOGNIZE).values_list(
        "member_id", "date"
    )
    for member_id, day in events:
        recognized[member_id] = min(day, recognized.get(member_id, day))
    on_time = sum(1 for pk, day in due.items() if pk in recognized and recognized[pk] <= day)
    return Decimal(on_time) / Decimal(len(due))


def register() -> None:
    register_suggester(
        "recognitions_on_time",
        _("Members recognized as official on time (member records)"),
        recognitions_on_time,
    )
