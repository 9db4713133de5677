"""The home page's registry: what each app shows a user after login.

Core knows no domain, so the apps fill the home from their `AppConfig.ready()`:

- a **section** provider (`register_section`) returns a `HomeSection` (a title, a template and
  its context) or None when it has nothing for this user — the members app's "your units";
- a **due items** provider (`register_due_items`) returns `DueItem`s — what someone must do, by
  when, and the page where it is done — merged and sorted by the home view: overdue first, then
  by date.

Each provider is given one `HomeRequest` (the user, their access object, today) and should
keep to a few queries whatever the size of the user's subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .access import Access


class Severity:
    """How urgent a due item is; the home lists the overdue first."""

    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    WARNING = "warning"

    ORDER = {OVERDUE: 0, DUE: 1, WARNING: 2, UPCOMING: 3}


@dataclass(frozen=True)
class DueItem:
    """One thing due: `label` says what, `url` where it is done, `date` by when (or since when,
    for an overdue item), `detail` a short line under it."""

    label: str
    url: str
    date: dt.date | None = None
    severity: str = Severity.DUE
    detail: str = ""
    kind: str = ""


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page rendered from `template` with `context` (plus `home`)."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass
class HomeRequest:
    """What every provider is given; `cache` lets one app's providers share what they read."""

    user: Any
    access: Access
    today: dt.date
    cache: dict[str, Any] = field(default_factory=dict)


SectionProvider = Callable[[HomeRequest], "HomeSection | None"]
DueItemsProvider = Callable[[HomeRequest], Iterable[DueItem]]

_sections: dict[str, SectionProvider] = {}
_due_items: dict[str, DueItemsProvider] = {}


def register_section(name: str, provider: SectionProvider) -> None:
    """Add (or replace, by `name`) a section of the home page."""
    _sections[name] = provider


def register_due_items(name: str, provider: DueItemsProvider) -> None:
    """Add (or replace, by `name`) a source of due items."""
    _due_items[name] = provider


def home_sections(home: HomeRequest) -> list[HomeSection]:
    found = [s for s in (provider(home) for provider in _sections.values()) if s is not None]
    return sorted(found, key=lambda s: s.order)


def _sort_key(item: DueItem) -> tuple:
    return (Severity.ORDER.get(item.severity, 9), item.date or dt.date.max, item.label)


def due_items(home: HomeRequest) -> list[DueItem]:
    """Every provider's items, the overdue first, then by date."""
    items: list[DueItem] = []
    for provider in _due_items.values():
        items.extend(provider(home))
    return sorted(items, key=_sort_key)
