"""Reads over the unit register that combine several models."""

from __future__ import annotations

import datetime as dt

from .models import Lineage, Unit, UnitPlacement


def existed_on(unit: Unit, day: dt.date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or unit.valid_to > day)


def constituents_on(unit: Unit, day: dt.date) -> list[Unit]:
    """The units whose figures make up `unit` on `day`.

    The unit itself when it existed then; otherwise, through the lineage, its predecessors that
    existed on that day (recursively), so a successor's past is the sum of what it came from
    (Đồng Thái in 2023 = Yên Đồng + Yên Thành + Yên Thái).
    """
    if existed_on(unit, day):
        return [unit]
    if day >= unit.valid_from:
        return []  # closed by then: it has successors, not constituents
    result: list[Unit] = []
    seen: set[int] = {unit.pk}
    frontier = [unit]
    while frontier:
        links = Lineage.objects.filter(successor__in=frontier).select_related("predecessor")
        frontier = []
        for link in links:
            pred = link.predecessor
            if pred.pk in seen:
                continue
            seen.add(pred.pk)
            if existed_on(pred, day):
                result.append(pred)
            elif day < pred.valid_from:
                frontier.append(pred)
    return sorted(result, key=lambda u: u.name_folded)


def placement_on(unit: Unit, day: dt.date) -> UnitPlacement | None:
    """Where `unit` stood in the tree on `day` (None if it did not exist then)."""
    return UnitPlacement.objects.filter(unit=unit).as_of(day).first()


def subtree_paths_on(unit: Unit, day: dt.date | None) -> list[str]:
    """Path prefixes that select `unit`'s subtree in the tree of `day` (today's when None),
    through its constituents when it did not exist yet. Use with `UnitPlacement.path` for a
    past date, with `Unit.path` for today."""
    if day is None:
        return [unit.path]
    paths = []
    for part in constituents_on(unit, day):
        placement = placement_on(part, day)
        if placement is not None:
            paths.append(placement.path)
    return paths
