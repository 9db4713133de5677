"""Figures of a past day across a reorganization: the unit as the tree stood that day, or its
present extent on that day (everything later merged into it; for a split's parts, each part's
share), so that parts add up to the unit they came from and nothing is counted twice."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.members.selectors import EXTENT_PRESENT, EXTENT_TREE, unit_stats
from grassroots.organizations.models import Unit
from grassroots.organizations.selectors import ExtentReader, present_extent_on
from grassroots.reorganizations.services import unit_merge, unit_split

from .ledger_helpers import admit, official

DAY = dt.date(2025, 3, 1)  # before the reorganizations below
EFFECTIVE = dt.date(2025, 7, 1)
DECISION = {
    "decision_number": "88-QĐ/TU",
    "decision_date": dt.date(2025, 6, 16),
    "issuer": "Tỉnh ủy",
}
FIGURES = (
    "members_total",
    "members_official",
    "members_probationary",
    "members_in_transit",
    "cells",
)


@pytest.fixture
def ledger(tree):
    """A1: Mai (official), Páo (probationary since 2024); A2: Sính (official); B1: Chư
    (official)."""
    mai = official(tree.cell_a1, full_name="Lò Thị Mai", gender="female")
    pao = admit(
        tree.cell_a1,
        full_name="Vàng A Páo",
        ethnicity="mong",
        decision_date=dt.date(2024, 3, 4),
        ceremony_date=dt.date(2024, 3, 8),
    )
    sinh = official(tree.cell_a2, full_name="Giàng Thị Sính", gender="female", ethnicity="ha_nhi")
    chu = official(tree.cell_b1, full_name="Lý A Chư", ethnicity="la_hu")
    return {"mai": mai, "pao": pao, "sinh": sinh, "chu": chu}


def figures(stats) -> tuple:
    return tuple(getattr(stats, name) for name in FIGURES)


def added(*many) -> tuple:
    return tuple(sum(values) for values in zip(*(figures(s) for s in many), strict=True))


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def merged_into_new(tree) -> Unit:
    """Communes A and B merged into a new commune from EFFECTIVE."""
    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        effective_date=EFFECTIVE,
        **DECISION,
        new_code="XM",
        new_name="Xã Đồng Thái",
    )
    return Unit.objects.get(code="XM")


def test_a_new_unit_made_by_a_merge_has_its_predecessors_past_as_its_only_answer(tree, ledger):
    a, b = unit_stats(unit=tree.commune_a, as_of=DAY), unit_stats(unit=tree.commune_b, as_of=DAY)
    new = merged_into_new(tree)
    present = unit_stats(unit=new, as_of=DAY, extent=EXTENT_PRESENT)
    assert figures(present) == added(a, b) == (4, 3, 1, 0, 3)
    assert present.extent == EXTENT_PRESENT
    # It did not exist that day: asking for the tree of that day gives the same, and says so.
    asked_tree = unit_stats(unit=new, as_of=DAY, extent=EXTENT_TREE)
    assert figures(asked_tree) == figures(present) and asked_tree.extent == EXTENT_PRESENT
    assert unit_stats(unit=new, as_of=DAY).extent == EXTENT_PRESENT


def test_a_unit_that_survived_a_merge_shows_what_it_absorbed_only_in_its_present_extent(
    tree, ledger
):
    before = unit_stats(unit=tree.commune_a, as_of=DAY)
    b = unit_stats(unit=tree.commune_b, as_of=DAY)
    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        into=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
    )
    as_tree = unit_stats(unit=tree.commune_a, as_of=DAY)
    assert as_tree.extent == EXTENT_TREE  # the default for a day the unit existed
    assert figures(as_tree) == figures(before) == (3, 2, 1, 0, 2)
    assert as_tree.by_ethnicity == before.by_ethnicity
    present = unit_stats(unit=tree.commune_a, as_of=DAY, extent=EXTENT_PRESENT)
    assert present.extent == EXTENT_PRESENT
    assert figures(present) == added(before, b) == (4, 3, 1, 0, 3)
    assert present.by_ethnicity == {"thai": 1, "mong": 1, "ha_nhi": 1, "la_hu": 1}
    # The province holds both communes either way: nothing is counted twice above them.
    province = unit_stats(unit=tree.province, as_of=DAY, extent=EXTENT_PRESENT)
    assert (
        figures(province) == figures(unit_stats(unit=tree.province, as_of=DAY)) == (4, 3, 1, 0, 3)
    )


def test_the_parts_of_a_split_commune_add_up_to_it_by_the_cells_each_took(tree, ledger):
    commune = unit_stats(unit=tree.commune_a, as_of=DAY)
    unit_split(
        actor=None,
        source=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-N", "name": "Xã Mường Hum Bắc", "cells": [tree.cell_a1]},
            {"code": "XA-S", "name": "Xã Mường Hum Nam", "cells": [tree.cell_a2]},
        ],
    )
    north = unit_stats(unit=Unit.objects.get(code="XA-N"), as_of=DAY)
    south = unit_stats(unit=Unit.objects.get(code="XA-S"), as_of=DAY)
    assert (north.extent, south.extent) == (EXTENT_PRESENT, EXTENT_PRESENT)
    assert figures(north) == (2, 1, 1, 0, 1)
    assert figures(south) == (1, 1, 0, 0, 1)
    assert added(north, south) == figures(commune) == (3, 2, 1, 0, 2)
    assert north.by_ethnicity == {"thai": 1, "mong": 1} and south.by_ethnicity == {"ha_nhi": 1}
    # The commune that was split keeps its own past.
    assert figures(unit_stats(unit=tree.commune_a, as_of=DAY)) == figures(commune)
    # Events of a period before the split too: Páo's admission in 2024 belongs to the north.
    year = {"period_start": dt.date(2024, 1, 1), "period_end": DAY, "as_of": DAY}
    north_events = unit_stats(unit=Unit.objects.get(code="XA-N"), **year).events_in_period
    south_events = unit_stats(unit=Unit.objects.get(code="XA-S"), **year).events_in_period
    assert (north_events["admissions"], south_events["admissions"]) == (1, 0)


def test_the_parts_of_a_split_cell_add_up_to_it_by_the_members_each_took(tree, ledger):
    cell = unit_stats(unit=tree.cell_a1, as_of=DAY)
    unit_split(
        actor=None,
        source=tree.cell_a1,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-1A", "name": "Chi bộ thôn Mường Hum 1", "members": [ledger["mai"]]},
            {"code": "XA-1B", "name": "Chi bộ thôn Mường Hum 2", "members": [ledger["pao"]]},
        ],
    )
    first = unit_stats(unit=Unit.objects.get(code="XA-1A"), as_of=DAY)
    second = unit_stats(unit=Unit.objects.get(code="XA-1B"), as_of=DAY)
    assert figures(first)[:4] == (1, 1, 0, 0) and figures(second)[:4] == (1, 0, 1, 0)
    # The cell split is counted once, in one part.
    assert added(first, second) == figures(cell) == (2, 1, 1, 0, 1)
    # Above the parts, the commune of that day is unchanged in both answers.
    for extent in (EXTENT_TREE, EXTENT_PRESENT):
        assert figures(unit_stats(unit=tree.commune_a, as_of=DAY, extent=extent)) == (3, 2, 1, 0, 2)


def test_a_part_of_a_split_later_merged_into_a_surviving_unit_brings_only_its_share(tree, ledger):
    unit_split(
        actor=None,
        source=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
        parts=[
            {"code": "XA-N", "name": "Xã Mường Hum Bắc", "cells": [tree.cell_a1]},
            {"code": "XA-S", "name": "Xã Mường Hum Nam", "cells": [tree.cell_a2]},
        ],
    )
    south = Unit.objects.get(code="XA-S")
    unit_merge(
        actor=None,
        sources=[tree.commune_b, south],
        into=tree.commune_b,
        effective_date=dt.date(2025, 9, 1),
        **DECISION,
    )
    present = unit_stats(unit=tree.commune_b, as_of=DAY, extent=EXTENT_PRESENT)
    assert figures(present) == (2, 2, 0, 0, 2)  # Chư, and Sính of cell A2
    assert figures(unit_stats(unit=tree.commune_b, as_of=DAY)) == (1, 1, 0, 0, 1)


def test_the_present_extent_costs_a_bounded_number_of_queries(tree, ledger):
    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        into=tree.commune_a,
        effective_date=EFFECTIVE,
        **DECISION,
    )

    def ask():
        return unit_stats(unit=tree.commune_a, as_of=DAY, extent=EXTENT_PRESENT)

    before = _queries(ask)
    for i in range(6):
        official(
            tree.cell_b1,
            full_name=f"Thêm {i}",
            decision_date=dt.date(2020, 1, 6),
            ceremony_date=dt.date(2020, 1, 13),
            recognized_on=dt.date(2021, 1, 13),
        )
    assert ask().members_total == 10
    assert _queries(ask) == before
    assert before <= 15  # 12 on SQLite; PostgreSQL adds its working-memory setting (3)


def test_the_lineage_of_a_merge_is_read_once_per_generation_whatever_the_units_merged(tree, ledger):
    new = merged_into_new(tree)
    reader = ExtentReader()
    with CaptureQueriesContext(connection) as ctx:
        pieces = present_extent_on(new, DAY, reader=reader)
    # The links into the new commune, the links into the two it was made of (none), and the
    # places of all three: three queries, not two for each commune merged.
    assert len(ctx.captured_queries) == 3
    assert sorted(p.paths for p in pieces) == sorted(
        [(tree.commune_a.path,), (tree.commune_b.path,)]
    )
    # Another day of the same walk (a period's start) reads nothing again.
    with CaptureQueriesContext(connection) as again:
        present_extent_on(new, dt.date(2025, 1, 1), reader=reader)
    assert again.captured_queries == []
