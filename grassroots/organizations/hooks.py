"""What the apps above the tree add to a unit's pages.

The tree app knows none of them (an arrow never points up, STYLE.md): each registers here,
explicitly, in its `AppConfig.ready()` — members its figures, member counts, size rules and the
work a unit page leads to (lists, admit, propose, import); committees its tab and its reminder;
reorganizations the changes of the tree a manager may start from the page (merge, split, …).
Without a provider the unit pages still work: no figures, no counts, no tab.

Providers return plain data (the dataclasses below, numbers, strings), never a model of theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from grassroots.core.access import Access, Action

# --- the shapes the providers fill ----------------------------------------------------------


@dataclass(frozen=True)
class UnitTab:
    """A tab of the unit page that another app serves (`url(unit)` is its page)."""

    key: str
    label: Any
    url: Callable[[Any], str]
    order: int = 50


WORK = "work"  # the top of the overview: the unit's lists and the everyday actions
STRUCTURE = "structure"  # the Actions section: changes of the tree (merge, split, …)


@dataclass(frozen=True)
class UnitWork:
    """A link from a unit page to work about the unit: a list, a page, or an action.

    Shown when the user may do `action` on `on(unit)` (the unit itself by default; the parent
    for a merge with a sibling) and `applies(unit)` holds; `writes` links are offered only for
    an open unit. `section` says where the page shows it (WORK or STRUCTURE); `primary` marks
    the one a role does most (admit), `danger` one that cannot be undone (dissolve)."""

    key: str
    label: Any
    url: Callable[[Any], str]
    action: str = Action.VIEW
    applies: Callable[[Any], bool] = lambda unit: True
    on: Callable[[Any], Any] = lambda unit: unit
    writes: bool = False
    primary: bool = False
    danger: bool = False
    section: str = WORK
    order: int = 50


@dataclass(frozen=True)
class Figure:
    """One figure of the unit page, with the list it counts when there is one."""

    value: int
    label: Any
    url: str = ""


@dataclass(frozen=True)
class UnitFigures:
    """The figures of a unit on a day (today when `as_of` is None). `extent_url`: a page with
    the unit's present extent on that day, for a past day."""

    figures: list[Figure]
    extent_url: str = ""


@dataclass(frozen=True)
class BelowMinimum:
    """A unit below the minimum size of its kind today: a cell with fewer official members than
    `cell_min_official_members`, a grassroots committee with fewer members than
    `grassroots_committee_min_members` (rule settings)."""

    unit_id: int
    code: str
    name: str
    kind: str
    path: str
    counted: int
    minimum: int
    official_only: bool


# --- the registry ---------------------------------------------------------------------------


class _Registry:
    def __init__(self) -> None:
        self.tabs: dict[str, UnitTab] = {}
        self.work: dict[str, UnitWork] = {}
        self.notices: dict[str, Callable[[Any], str]] = {}
        self.figures: Callable[..., UnitFigures | None] | None = None
        self.figures_version: Callable[[Any], str] | None = None
        self.member_counts: Callable[[list[dict], dt.date], dict[int, int]] | None = None
        self.below_minimum: Callable[[Any], list[BelowMinimum]] | None = None


registry = _Registry()


def register_tab(tab: UnitTab) -> None:
    registry.tabs[tab.key] = tab


def register_work(work: UnitWork) -> None:
    registry.work[work.key] = work


def register_notice(key: str, provider: Callable[[Any], str]) -> None:
    """`provider(unit)`: a reminder for the unit page ("" for none)."""
    registry.notices[key] = provider


def provide_figures(provider: Callable[..., UnitFigures | None]) -> None:
    """`provider(unit=, as_of=, version=)`: the unit's figures; a ValidationError when the day
    asked has none (a future date)."""
    registry.figures = provider


def provide_figures_version(provider: Callable[[Any], str]) -> None:
    """`provider(unit)`: a key that changes whenever a figure under the unit may change; the
    unit page caches its parts under it ("" for no cache)."""
    registry.figures_version = provider


def provide_member_counts(provider: Callable[[list[dict], dt.date], dict[int, int]]) -> None:
    """`provider(nodes, day)`: members under each tree node ({unit_id: n}) on `day`."""
    registry.member_counts = provider


def provide_below_minimum(provider: Callable[[Any], list[BelowMinimum]]) -> None:
    """`provider(unit)`: the units of the subtree below the minimum size of their kind today."""
    registry.below_minimum = provider


# --- what the pages ask ---------------------------------------------------------------------


def tabs() -> list[UnitTab]:
    return sorted(registry.tabs.values(), key=lambda tab: (tab.order, tab.key))


def work_for(unit, user, section: str = WORK) -> list[UnitWork]:
    """The work of `section` the user may reach from the unit's page, in order."""
    access = Access.of(user)
    found = [
        work
        for work in registry.work.values()
        if work.section == section
        and (unit.is_open or not work.writes)
        and access.may(work.action, work.on(unit))
        and work.applies(unit)
    ]
    return sorted(found, key=lambda work: (work.order, work.key))


def notices(unit) -> list[str]:
    return [text for provider in registry.notices.values() if (text := provider(unit))]


def figures(*, unit, as_of: dt.date | None = None, version: str = "") -> UnitFigures | None:
    if registry.figures is None:
        return None
    return registry.figures(unit=unit, as_of=as_of, version=version)


def figures_version(unit) -> str:
    return registry.figures_version(unit) if registry.figures_version else ""


def member_counts(nodes: list[dict], day: dt.date) -> dict[int, int] | None:
    """None when no app counts members (the column is then left out)."""
    if registry.member_counts is None:
        return None
    return registry.member_counts(nodes, day)


def below_minimum(unit) -> list[BelowMinimum]:
    return registry.below_minimum(unit) if registry.below_minimum else []


# --- changes the apps above react to ---------------------------------------------------------

unit_changed: list[Callable[[Any], None]] = []


def on_unit_changed(callback: Callable[[Any], None]) -> None:
    """`callback(unit)`: called by the unit services, in their transaction, after a unit is
    created or corrected (the roll-ups move the figures version of the top units above it)."""
    if callback not in unit_changed:
        unit_changed.append(callback)


def notify_unit_changed(unit) -> None:
    for callback in unit_changed:
        callback(unit)
