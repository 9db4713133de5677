import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.members.selectors import unit_stats
from grassroots.members.services import (
    member_discipline,
    member_remove,
    member_transfer_in,
    member_transfer_out,
)
from grassroots.organizations.models import Unit

from .ledger_helpers import admit, official

PAST = dt.date(2022, 1, 1)


@pytest.fixture
def ledger(tree):
    """a1: Mai (official since 2022-05-19), Páo (probationary, admitted 2024), Lử (removed 2024);
    a2: Sính (official, in transit to a1 since 2025-02-03); b1: Chư (official)."""
    mai = official(
        tree.cell_a1,
        full_name="Lò Thị Mai",
        gender="female",
        ethnicity="thai",
        birth_date=dt.date(1990, 6, 1),
        theory_level="intermediate",
    )
    pao = admit(
        tree.cell_a1,
        full_name="Vàng A Páo",
        ethnicity="mong",
        religion="protestant",
        birth_date=dt.date(2001, 1, 1),
        decision_date=dt.date(2024, 3, 4),
        ceremony_date=dt.date(2024, 3, 8),
    )
    lu = official(
        tree.cell_a1, full_name="Sùng A Lử", ethnicity="mong", birth_date=dt.date(1965, 1, 1)
    )
    member_remove(actor=None, member=lu, date=dt.date(2024, 6, 3), reason="Bỏ sinh hoạt")
    sinh = official(
        tree.cell_a2,
        full_name="Giàng Thị Sính",
        gender="female",
        ethnicity="ha_nhi",
        birth_date=dt.date(1985, 1, 1),
    )
    member_transfer_out(actor=None, member=sinh, to_unit=tree.cell_a1, date=dt.date(2025, 2, 3))
    chu = official(
        tree.cell_b1, full_name="Lý A Chư", ethnicity="la_hu", birth_date=dt.date(1975, 1, 1)
    )
    return {"mai": mai, "pao": pao, "lu": lu, "sinh": sinh, "chu": chu}


def test_a_cell_counts_its_present_members_only(tree, ledger):
    a1, a2 = unit_stats(unit=tree.cell_a1), unit_stats(unit=tree.cell_a2)
    assert (
        a1.members_total,
        a1.members_official,
        a1.members_probationary,
        a1.members_in_transit,
        a1.cells,
    ) == (2, 1, 1, 0, 1)
    assert (a2.members_total, a2.members_in_transit) == (0, 0)


def test_a_member_in_transit_stays_in_the_commune_total(tree, ledger):
    commune = unit_stats(unit=tree.commune_a)
    assert (
        commune.members_total,
        commune.members_official,
        commune.members_probationary,
        commune.members_in_transit,
        commune.cells,
    ) == (3, 1, 1, 1, 2)
    assert commune.by_gender == {"male": 1, "female": 2}
    assert commune.by_ethnicity == {"thai": 1, "ha_nhi": 1, "mong": 1}
    assert commune.by_religion["protestant"] == 1 and commune.by_religion["none"] == 2
    assert commune.by_theory_level["intermediate"] == 1
    province = unit_stats(unit=tree.province)
    assert (
        province.members_total,
        province.members_official,
        province.members_in_transit,
        province.cells,
    ) == (4, 2, 1, 3)


def test_arrival_moves_the_member_into_the_receiving_cell_count(tree, ledger):
    member_transfer_in(actor=None, member=ledger["sinh"], date=dt.date(2025, 2, 20))
    assert unit_stats(unit=tree.cell_a1).members_official == 2
    assert unit_stats(unit=tree.commune_a).members_in_transit == 0


def test_ages_are_counted_on_the_day_asked_about(tree, ledger):
    stats = unit_stats(unit=tree.commune_a, as_of=dt.date(2025, 3, 1))
    # Mai 34, Páo 24, Sính 40 on 1 March 2025.
    assert stats.by_age_band == {
        "under_31": 1,
        "31_40": 2,
        "41_50": 0,
        "51_60": 0,
        "61_70": 0,
        "over_70": 0,
    }


def test_figures_as_of_a_past_date_come_from_the_intervals(tree, ledger):
    past = unit_stats(unit=tree.commune_a, as_of=PAST)
    # On 1 Jan 2022 Mai, Lử and Sính were probationary (admitted 10/05/2021), Páo not yet admitted.
    assert (past.members_total, past.members_official, past.members_probationary) == (3, 0, 3)
    after = unit_stats(unit=tree.commune_a, as_of=dt.date(2024, 12, 31))
    assert (after.members_total, after.members_official, after.members_probationary) == (3, 2, 1)
    transit = unit_stats(unit=tree.commune_a, as_of=dt.date(2025, 3, 1))
    assert (transit.members_total, transit.members_in_transit) == (3, 1)
    assert unit_stats(unit=tree.cell_a2, as_of=dt.date(2025, 3, 1)).members_total == 0


def test_the_root_of_a_past_day_counts_every_interval_of_that_day_as_its_provinces_do(tree, ledger):
    day = dt.date(2025, 3, 1)
    root, province = (
        unit_stats(unit=tree.root, as_of=day),
        unit_stats(unit=tree.province, as_of=day),
    )
    figures = (
        "members_total",
        "members_official",
        "members_probationary",
        "members_in_transit",
        "cells",
        "by_gender",
        "by_ethnicity",
        "by_age_band",
        "by_theory_level",
    )
    assert [getattr(root, f) for f in figures] == [getattr(province, f) for f in figures]
    # Mai, Páo, Sính (in transit) in commune A, Chư in commune B; Lử removed in 2024.
    assert (
        root.members_total,
        root.members_official,
        root.members_probationary,
        root.members_in_transit,
    ) == (4, 2, 1, 1)
    assert root.by_ethnicity == {"thai": 1, "mong": 1, "ha_nhi": 1, "la_hu": 1}


def test_events_in_a_period_count_admissions_removals_and_only_outside_transfers(tree, ledger):
    member_transfer_out(
        actor=None, member=ledger["chu"], to_unit=tree.cell_a2, date=dt.date(2025, 3, 3)
    )
    member_transfer_in(actor=None, member=ledger["chu"], date=dt.date(2025, 3, 10))
    member_discipline(
        actor=None,
        member=ledger["mai"],
        level="expulsion",
        date=dt.date(2025, 4, 1),
        decision_number="1",
        issuer="Đảng ủy",
        reason="Vi phạm",
    )
    year_2024 = unit_stats(
        unit=tree.commune_a, period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31)
    )
    assert year_2024.events_in_period == {
        "admissions": 1,
        "readmissions": 0,
        "recognitions": 0,
        "transfers_in": 0,
        "transfers_out": 0,
        "removals": 1,
        "expulsions": 0,
        "deaths": 0,
    }
    year_2025 = unit_stats(
        unit=tree.commune_a, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    # Sính's transfer inside the commune is neither in nor out; Chư came from commune B.
    assert (
        year_2025.events_in_period["transfers_in"],
        year_2025.events_in_period["transfers_out"],
        year_2025.events_in_period["expulsions"],
    ) == (1, 0, 1)
    cell = unit_stats(
        unit=tree.cell_a2, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    assert (cell.events_in_period["transfers_in"], cell.events_in_period["transfers_out"]) == (1, 1)


def test_as_dict_is_json_ready(tree, ledger):
    import json

    data = unit_stats(unit=tree.commune_a).as_dict()
    assert json.loads(json.dumps(data))["members_total"] == 3
    for key in (
        "members_official",
        "members_probationary",
        "cells",
        "by_gender",
        "by_age_band",
        "by_ethnicity",
        "by_religion",
        "by_general_education",
        "by_professional_education",
        "by_theory_level",
        "events_in_period",
    ):
        assert key in data


def test_a_future_date_is_refused(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        unit_stats(unit=tree.commune_a, as_of=dt.date(2099, 1, 1))


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("as_of", [None, dt.date(2025, 3, 1)])
def test_the_number_of_queries_does_not_grow_with_members(tree, ledger, as_of):
    before = _queries(lambda: unit_stats(unit=tree.province, as_of=as_of))
    for i in range(8):
        official(
            tree.cell_a2, full_name=f"Thêm {i}", ethnicity=["kinh", "tay", "dao", "nung"][i % 4]
        )
    assert _queries(lambda: unit_stats(unit=tree.province, as_of=as_of)) == before
    assert before <= 14


def _merge_communes(tree) -> Unit:
    """Communes A and B merge into a new commune on 1 July 2025."""
    from grassroots.organizations import services
    from grassroots.reorganizations import services as reorganizations

    if hasattr(reorganizations, "unit_merge"):
        reorganizations.unit_merge(
            actor=None,
            sources=[tree.commune_a, tree.commune_b],
            effective_date=dt.date(2025, 7, 1),
            decision_number="1234-QĐ/TU",
            decision_date=dt.date(2025, 6, 16),
            issuer="Tỉnh ủy",
            new_code="XM",
            new_name="Xã Đồng Thái",
        )
        return Unit.objects.get(code="XM")
    from grassroots.organizations.models import Lineage, Reorganization, UnitPlacement

    new = services.unit_create(
        actor=None,
        code="XM",
        name="Xã Đồng Thái",
        kind=tree.commune_a.kind,
        parent=tree.province,
        valid_from=dt.date(2025, 7, 1),
    )
    reorg = Reorganization.objects.create(
        kind="merge",
        effective_date=dt.date(2025, 7, 1),
        decision_number="1",
        decision_date=dt.date(2025, 6, 16),
        issuer="Tỉnh ủy",
    )
    for source in (tree.commune_a, tree.commune_b):
        Lineage.objects.create(reorganization=reorg, predecessor=source, successor=new)
        Unit.objects.filter(pk=source.pk).update(valid_to=dt.date(2025, 7, 1))
        UnitPlacement.objects.filter(unit=source).update(valid_to=dt.date(2025, 7, 1))
    return new


def test_a_merged_commune_in_the_past_is_the_sum_of_its_predecessors(tree, ledger):
    new = _merge_communes(tree)
    past = unit_stats(unit=new, as_of=dt.date(2024, 12, 31))
    a = unit_stats(unit=tree.commune_a, as_of=dt.date(2024, 12, 31))
    b = unit_stats(unit=tree.commune_b, as_of=dt.date(2024, 12, 31))
    assert past.members_total == a.members_total + b.members_total == 4
    assert past.cells == 3
    assert past.members_official == a.members_official + b.members_official
    # Today the successor holds everything, and the year's events include its predecessors'.
    today = unit_stats(unit=new)
    assert today.members_total == 4 and today.cells == 3
    whole = unit_stats(unit=new, period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 12, 31))
    assert whole.events_in_period["admissions"] == 1 and whole.events_in_period["removals"] == 1
