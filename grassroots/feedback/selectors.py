"""Reads over citizens' feedback: the board of on-time answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from grassroots.organizations.models import Unit

from .choices import OPEN_STATUSES, Category
from .models import Feedback


@dataclass
class BoardRow:
    """The figures of one unit's subtree (or one category): feedback received in the period,
    answered by its first due date, overdue (answered late, or still open past it), and the
    average number of calendar days from receipt to answer."""

    label: str
    key: str = ""
    unit: Unit | None = None
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    open: int = 0
    days_total: int = 0

    def add(self, other: BoardRow) -> None:
        for name in ("received", "answered", "on_time", "overdue", "open", "days_total"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def average_days(self) -> float | None:
        return round(self.days_total / self.answered, 1) if self.answered else None

    @property
    def on_time_rate(self) -> float | None:
        """On time ÷ (on time + overdue): feedback not yet due and unanswered is left out."""
        settled = self.on_time + self.overdue
        return round(100 * self.on_time / settled, 1) if settled else None

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "key": self.key,
            "unit": self.unit.pk if self.unit else None,
            "received": self.received,
            "answered": self.answered,
            "answered_on_time": self.on_time,
            "overdue": self.overdue,
            "open": self.open,
            "average_days_to_answer": self.average_days,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class Board:
    date_from: dt.date | None
    date_to: dt.date | None
    today: dt.date
    unit: Unit | None
    total: BoardRow
    by_unit: list[BoardRow] = field(default_factory=list)
    by_category: list[BoardRow] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "from": self.date_from,
            "to": self.date_to,
            "today": self.today,
            "unit": self.unit.pk if self.unit else None,
            "total": self.total.as_dict(),
            "by_unit": [row.as_dict() for row in self.by_unit],
            "by_category": [row.as_dict() for row in self.by_category],
        }


def feedback_board(
    *,
    user,
    today: dt.date,
    unit: Unit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> Board:
    """The board of the feedback the user may see received between `date_from` and `date_to`
    (inclusive), counted against the unit that received it: one row per unit directly under
    `unit` (its subtree's totals; `unit`'s own feedback on a row of its own), or per unit the
    user holds a role on when no unit is given, and one row per category. Two queries."""
    rows = Feedback.objects.visible_to(user)
    if date_from:
        rows = rows.filter(received_on__gte=date_from)
    if date_to:
        rows = rows.filter(received_on__lte=date_to)
    if unit is not None:
        rows = rows.filter(origin_unit__path__startswith=unit.path)
    late = Q(answered_on__gt=F("first_due_date")) | Q(
        answered_on__isnull=True, status__in=OPEN_STATUSES, first_due_date__lt=today
    )
    grouped = rows.values("origin_unit__path", "category").annotate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_on__isnull=False)),
        on_time=Count("id", filter=Q(answered_on__lte=F("first_due_date"))),
        overdue=Count("id", filter=late),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        days_total=Sum("answer_days"),
    )
    total = BoardRow(label="")
    categories = {value: BoardRow(label=str(label), key=value) for value, label in Category.choices}
    heads: dict[str, BoardRow] = {}
    found = list(grouped)

    if unit is not None:
        children = list(
            Unit.objects.filter(parent=unit).order_by("name").only("id", "name", "path")
        )
        own = BoardRow(label=unit.name, key=unit.path, unit=unit)
        for child in children:
            heads[child.path] = BoardRow(label=child.name, key=child.path, unit=child)
    else:
        own = None
        tops = sorted({_top_of(r["origin_unit__path"], user) for r in found} - {""})
        units = {u.path: u for u in Unit.objects.filter(path__in=tops).only("id", "name", "path")}
        for path in tops:
            if path in units:
                heads[path] = BoardRow(label=units[path].name, key=path, unit=units[path])

    for r in found:
        part = BoardRow(
            label="",
            received=r["received"],
            answered=r["answered"],
            on_time=r["on_time"],
            overdue=r["overdue"],
            open=r["open"],
            days_total=r["days_total"] or 0,
        )
        total.add(part)
        if r["category"] in categories:
            categories[r["category"]].add(part)
        head = _head_for(r["origin_unit__path"], heads)
        if head is not None:
            head.add(part)
        elif own is not None:
            own.add(part)

    by_unit = sorted(heads.values(), key=lambda row: row.label)
    if own is not None and own.received:
        by_unit.insert(0, own)
    return Board(
        date_from=date_from,
        date_to=date_to,
        today=today,
        unit=unit,
        total=total,
        by_unit=[row for row in by_unit if row.received],
        by_category=[row for row in categories.values() if row.received],
    )


def _head_for(path: str, heads: dict[str, BoardRow]) -> BoardRow | None:
    for prefix, row in heads.items():
        if path.startswith(prefix):
            return row
    return None


def _top_of(path: str, user) -> str:
    """The top of the user's subtrees that holds `path` (the path itself for an administrator,
    whose board groups by the receiving units)."""
    from grassroots.core.access import Access

    paths = Access.of(user).paths()
    if paths is None:
        return path
    for prefix in paths:
        if path.startswith(prefix):
            return prefix
    return path
