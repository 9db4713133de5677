"""Reads over the unit register that combine several models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from grassroots.core.access import Access, Action
from grassroots.core.db import count_per_row
from grassroots.core.text import fold

from .choices import ReorganizationKind
from .models import Lineage, Reorganization, Unit, UnitPlacement

# Keys of a tree node (a dict from `.values()`, so that a page of thousands costs one query):
# unit_id, name, code, kind, path (of that day), closed_on, child_count.
NODE_FIELDS = ("unit_id", "name", "code", "kind", "path", "closed_on", "child_count")


def existed_on(unit: Unit, day: dt.date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or unit.valid_to > day)


def constituents_on(unit: Unit, day: dt.date) -> list[Unit]:
    """The units whose figures make up `unit` on `day`.

    The unit itself when it existed then; otherwise, through the lineage, its predecessors that
    existed on that day (recursively), so a successor's past is the sum of what it came from
    (Đồng Thái in 2023 = Yên Đồng + Yên Thành + Yên Thái).
    """
    return [part for part, _share in constituent_shares_on(unit, day)]


ONE = Decimal(1)


def constituent_shares_on(unit: Unit, day: dt.date) -> list[tuple[Unit, Decimal | None]]:
    """`constituents_on` with the share of each that `unit` stands for: 1 for a unit merged
    into it; through a split, the share recorded for the part (`Lineage.share`, multiplied
    along the way), None when the split recorded none — so that typed figures carried into a
    split's parts add up to the unit split rather than each part showing all of it."""
    if existed_on(unit, day):
        return [(unit, ONE)]
    if day >= unit.valid_from:
        return []  # closed by then: it has successors, not constituents
    result: list[tuple[Unit, Decimal | None]] = []
    seen: set[int] = {unit.pk}
    frontier: dict[int, Decimal | None] = {unit.pk: ONE}
    while frontier:
        links = Lineage.objects.filter(successor__in=list(frontier)).select_related(
            "predecessor", "reorganization"
        )
        reached, frontier = frontier, {}
        for link in links.order_by("pk"):
            pred = link.predecessor
            if pred.pk in seen:
                continue
            seen.add(pred.pk)
            share = reached[link.successor_id]
            if link.reorganization.kind == ReorganizationKind.SPLIT:
                share = None if share is None or link.share is None else share * link.share
            if existed_on(pred, day):
                result.append((pred, share))
            elif day < pred.valid_from:
                frontier[pred.pk] = share
    return sorted(result, key=lambda row: row[0].name_folded)


# --- the present extent of a unit on a past day ------------------------------------------------


@dataclass(frozen=True)
class SplitShare:
    """The members a split (`reorganization_id`) moved from `predecessor_id` to `part_id`: the
    part's share of the predecessor's members."""

    reorganization_id: int
    predecessor_id: int
    part_id: int


@dataclass(frozen=True)
class ExtentPart:
    """One piece of a unit's present extent on a day, in the tree of that day: the units at
    `paths` (with everything under them when `subtree`), less the subtrees at `exclude`.

    `through`: when not empty, only the members every one of these splits moved to the part
    named (a split part's share of the members directly in what it came from). `counts_units`:
    whether the units of the piece count as the part's units (the unit split itself is counted
    once, in the part that took the largest share of its members)."""

    paths: tuple[str, ...]
    subtree: bool = True
    exclude: tuple[str, ...] = ()
    through: tuple[SplitShare, ...] = ()
    counts_units: bool = True


def present_extent_on(
    unit: Unit, day: dt.date, *, subtree: bool = True, reader: ExtentReader | None = None
) -> list[ExtentPart]:
    """What of the tree of `day` makes up `unit` as it is now: its own subtree of that day when
    it existed, with everything later merged into it (whether the merge made a new unit or
    `unit` survived it), recursively; for a part of a split, its share of the unit split — the
    sub-units it took and the members the split gave it — so that the parts add up to the unit
    they came from and nothing is counted twice.

    Sub-units that moved between units without a merge or split are read as the tree stood.
    `reader`: the links and places already read for another day of the same unit (a period's
    start and end walk the same lineage)."""
    return _extent(unit, day, subtree, frozenset(), reader or ExtentReader())


class ExtentReader:
    """The lineage links into a unit and the places of the units they lead to, read once for
    the whole walk and kept for every day asked of it: the links level by level (one query per
    generation of predecessors, not one per unit), then the places of every unit reached in
    one query."""

    def __init__(self) -> None:
        self._links: dict[int, list[Lineage]] = {}
        self._places: dict[int, list[UnitPlacement]] = {}

    def _read(self, unit: Unit) -> None:
        frontier = [unit.pk]
        reached: list[int] = []
        while frontier:
            reached += frontier
            for pk in frontier:
                self._links[pk] = []
            links = (
                Lineage.objects.filter(successor_id__in=frontier)
                .select_related("predecessor", "successor", "reorganization")
                .order_by("reorganization__effective_date", "pk")
            )
            for link in links:
                self._links[link.successor_id].append(link)
            frontier = sorted(
                {
                    link.predecessor_id
                    for pk in frontier
                    for link in self._links[pk]
                    if link.predecessor_id not in self._links
                }
            )
        unread = [pk for pk in reached if pk not in self._places]
        for pk in unread:
            self._places[pk] = []
        for place in UnitPlacement.objects.filter(unit_id__in=unread).order_by("valid_from"):
            self._places[place.unit_id].append(place)

    def later_links(self, unit: Unit, day: dt.date) -> list[Lineage]:
        """The links into `unit` of the reorganizations effective after `day`, in their order."""
        if unit.pk not in self._links:
            self._read(unit)
        return [link for link in self._links[unit.pk] if link.reorganization.effective_date > day]

    def placement_on(self, unit: Unit, day: dt.date) -> UnitPlacement | None:
        """Where `unit` stood on `day`, as `placement_on` answers."""
        if unit.pk not in self._places:
            self._read(unit)
        return next(
            (
                p
                for p in self._places[unit.pk]
                if p.valid_from <= day and (p.valid_to is None or p.valid_to > day)
            ),
            None,
        )


def _extent(
    unit: Unit, day: dt.date, subtree: bool, seen: frozenset[int], reader: ExtentReader
) -> list[ExtentPart]:
    if unit.pk in seen:
        return []
    seen = seen | {unit.pk}
    parts: list[ExtentPart] = []
    if existed_on(unit, day):
        placement = reader.placement_on(unit, day)
        if placement is not None:
            parts.append(ExtentPart((placement.path,), subtree))
    elif day >= unit.valid_from:
        return []  # closed by then: it has successors, not constituents
    for link in reader.later_links(unit, day):
        if link.reorganization.kind == ReorganizationKind.SPLIT:
            parts += _split_share(link, day, subtree, seen, reader)
        else:
            parts += _extent(link.predecessor, day, subtree, seen, reader)
    return parts


def _taken_units(
    reorganization: Reorganization, predecessor: Unit, part_ids
) -> dict[int, list[int]]:
    """{part id: ids of the units directly under `predecessor` that the split moved under it}."""
    day = reorganization.effective_date
    was_under = UnitPlacement.objects.filter(parent=predecessor, valid_to=day).values("unit_id")
    taken: dict[int, list[int]] = {pk: [] for pk in part_ids}
    rows = UnitPlacement.objects.filter(
        parent_id__in=list(part_ids), valid_from=day, unit_id__in=was_under
    )
    for unit_id, parent_id in rows.order_by("pk").values_list("unit_id", "parent_id"):
        taken[parent_id].append(unit_id)
    return taken


def _split_share(
    link: Lineage, day: dt.date, subtree: bool, seen: frozenset[int], reader: ExtentReader
) -> list[ExtentPart]:
    """A split part's share of the predecessor on `day`: the extents of the sub-units it took,
    and the rest of the predecessor's extent restricted to the members the split gave it."""
    reorganization, predecessor = link.reorganization, link.predecessor
    siblings = list(
        Lineage.objects.filter(reorganization=reorganization, predecessor=predecessor)
        .order_by("pk")
        .values_list("successor_id", "share")
    )
    main = max(siblings, key=lambda row: (row[1] or 0, -siblings.index(row)))[0]
    taken = _taken_units(reorganization, predecessor, [pk for pk, _share in siblings])
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=[pk for ids in taken.values() for pk in ids])
    }
    parts: list[ExtentPart] = []
    taken_paths: list[str] = []
    for part_id, ids in taken.items():
        for unit_id in ids:
            extent = _extent(units[unit_id], day, True, seen, reader)
            taken_paths += [p for piece in extent if not piece.through for p in piece.paths]
            if subtree and part_id == link.successor_id:
                parts += extent
    share = SplitShare(reorganization.pk, predecessor.pk, link.successor_id)
    for piece in _extent(predecessor, day, subtree, seen, reader):
        parts.append(
            ExtentPart(
                piece.paths,
                piece.subtree,
                piece.exclude + tuple(taken_paths) if piece.subtree else piece.exclude,
                piece.through + (share,),
                piece.counts_units and link.successor_id == main,
            )
        )
    return parts


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


# --- the tree ------------------------------------------------------------------------------


def _open_child_count() -> Coalesce:
    return count_per_row(
        Unit.objects.filter(parent=OuterRef("pk"), valid_to__isnull=True), "parent"
    )


def _placed_child_count(day: dt.date) -> Subquery:
    counts = (
        UnitPlacement.objects.as_of(day)
        .filter(parent=OuterRef("unit_id"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _unit_nodes(qs) -> QuerySet:
    return (
        qs.annotate(unit_id=F("pk"), closed_on=F("valid_to"), child_count=_open_child_count())
        .order_by("name_folded", "pk")
        .values(*NODE_FIELDS)
    )


def _placement_nodes(qs, day: dt.date) -> QuerySet:
    return (
        qs.annotate(
            code=F("unit__code"),
            kind=F("unit__kind"),
            closed_on=F("unit__valid_to"),
            child_count=_placed_child_count(day),
        )
        .order_by("unit__name_folded", "unit_id")
        .values(*NODE_FIELDS)
    )


def unit_children(*, unit: Unit, user, as_of: dt.date | None = None) -> QuerySet:
    """The units directly under `unit` as tree nodes (dicts with NODE_FIELDS), with the number
    of units under each: today's open children, or those placed under it on `as_of` (closed
    units of that date included). One query whatever the number of children; slice it to page."""
    if as_of is None:
        return _unit_nodes(Unit.objects.visible_to(user).filter(parent=unit, valid_to__isnull=True))
    # Before a unit existed, what stood under the units it was formed from.
    parents = (
        [u.pk for u in constituents_on(unit, as_of)] if not existed_on(unit, as_of) else [unit.pk]
    )
    placements = UnitPlacement.objects.visible_to(user).as_of(as_of).filter(parent_id__in=parents)
    return _placement_nodes(placements, as_of)


def roots_for(user, *, as_of: dt.date | None = None) -> QuerySet | list[dict]:
    """The top units of the tree a user sees: the units of their roles (the top of nested
    grants), or the roots of the whole tree for the system administrator. For a past date,
    the units that made up each of them then (a commune formed in 2025 shows the communes it
    was formed from)."""
    paths = Access.of(user).paths(Action.VIEW)
    if as_of is None:
        if paths is None:
            return _unit_nodes(Unit.objects.filter(parent__isnull=True, valid_to__isnull=True))
        return _unit_nodes(Unit.objects.filter(path__in=paths))
    if paths is None:
        return _placement_nodes(
            UnitPlacement.objects.as_of(as_of).filter(parent__isnull=True), as_of
        )
    ids: list[int] = []
    for unit in Unit.objects.filter(path__in=paths):
        ids.extend(u.pk for u in constituents_on(unit, as_of))
    return _placement_nodes(UnitPlacement.objects.as_of(as_of).filter(unit_id__in=ids), as_of)


def tree_as_of(day: dt.date, *, under: str | None = None) -> QuerySet:
    """Placements of the tree of `day` (optionally only under a path of that day)."""
    qs = UnitPlacement.objects.as_of(day).select_related("unit")
    if under:
        qs = qs.under(under)
    return qs.order_by("path")


def unit_search(*, user, q: str, as_of: dt.date | None = None) -> QuerySet:
    """Units the user sees whose name holds every word of `q` with or without diacritics
    ("muong hum" finds "Mường Hum"), or whose code starts with `q`."""
    folded = fold(q)
    qs = Unit.objects.visible_to(user).select_related("parent")
    if not folded:
        return qs.none()
    words = Q()
    for word in folded.split():
        words &= Q(name_folded__contains=word)
    qs = qs.filter(words | Q(code__istartswith=q.strip()))
    if as_of is not None:
        qs = qs.as_of(as_of)
    return qs.order_by("depth", "name_folded", "pk")


def unit_ancestors(unit: Unit) -> list[Unit]:
    """The units above `unit`, from the root down, in one query (from the path's ids)."""
    ids = [i for i in unit.ancestor_ids() if i != unit.pk]
    if not ids:
        return []
    return list(Unit.objects.filter(pk__in=ids).order_by("depth"))


# --- history -------------------------------------------------------------------------------


@dataclass
class UnitHistory:
    """What happened to a unit: reorganizations, where it came from and went, its placements."""

    reorganizations: list[Reorganization] = field(default_factory=list)
    predecessors: list[Lineage] = field(default_factory=list)
    successors: list[Lineage] = field(default_factory=list)
    placements: list[UnitPlacement] = field(default_factory=list)
    renames: list[Reorganization] = field(default_factory=list)
    moves: list[Reorganization] = field(default_factory=list)


def unit_history(unit: Unit) -> UnitHistory:
    """The recorded changes of `unit`: reorganizations that touched it (as the unit changed,
    a predecessor or a successor), its lineage both ways, and its placements over time."""
    reorganizations = list(
        Reorganization.objects.filter(
            Q(unit=unit) | Q(lineage__predecessor=unit) | Q(lineage__successor=unit)
        )
        .distinct()
        .select_related("unit", "created_by")
        .order_by("-effective_date", "-id")
    )
    links = list(
        Lineage.objects.filter(Q(predecessor=unit) | Q(successor=unit))
        .select_related("predecessor", "successor", "reorganization")
        .order_by("reorganization__effective_date", "id")
    )
    placements = list(
        UnitPlacement.objects.filter(unit=unit)
        .select_related("parent")
        .order_by("valid_from", "id")
    )
    return UnitHistory(
        reorganizations=reorganizations,
        predecessors=[link for link in links if link.successor_id == unit.pk],
        successors=[link for link in links if link.predecessor_id == unit.pk],
        placements=placements,
        renames=[r for r in reorganizations if r.kind == "rename" and r.unit_id == unit.pk],
        moves=[r for r in reorganizations if r.kind == "move" and r.unit_id == unit.pk],
    )
