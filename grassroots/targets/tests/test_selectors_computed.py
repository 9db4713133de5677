"""Indicators computed from Grassroots' own records rather than entered: members admitted
(the member ledger), the share of villages with their own cell and of village cells with a
cell committee (the unit register)."""

import datetime as dt
from decimal import Decimal

from grassroots.committees.choices import CommitteeKind
from grassroots.committees.services import committee_create, term_get_or_create
from grassroots.members.services import member_admit, member_recognize, member_remove
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.services import unit_create
from grassroots.targets.choices import Aggregation, ComputedSource, TargetKind
from grassroots.targets.periods import year_period
from grassroots.targets.selectors import (
    Resolver,
    indicator_value,
    members_admitted,
    target_achievement,
)

from .core_helpers import approved, indicator, resolution, target


def admit(cell, decision: dt.date, name: str = "Lò Văn Thử"):
    return member_admit(
        actor=None,
        unit=cell,
        full_name=name,
        gender="male",
        birth_date=dt.date(1990, 1, 1),
        ethnicity="thai",
        decision_date=decision,
        ceremony_date=decision + dt.timedelta(days=10),
    )


def test_members_admitted_are_counted_from_the_ledger_over_the_subtree_and_the_period(tree):
    admitted = indicator("PAR-ADMITTED", decimals=0, computed=ComputedSource.MEMBERS_ADMITTED)
    admit(tree.cell_a1, dt.date(2021, 3, 1), "Lò Văn A")
    admit(tree.cell_a2, dt.date(2021, 12, 31), "Lò Văn B")
    admit(tree.cell_a1, dt.date(2022, 1, 1), "Lò Văn C")
    admit(tree.cell_b1, dt.date(2021, 6, 1), "Lò Văn D")
    assert indicator_value(indicator=admitted, unit=tree.commune_a, period="2021") == Decimal(2)
    assert indicator_value(indicator=admitted, unit=tree.commune_a, period="2022") == Decimal(1)
    assert indicator_value(indicator=admitted, unit=tree.province, period="2021") == Decimal(3)
    assert indicator_value(indicator=admitted, unit=tree.cell_a1, period="2021Q1") == Decimal(1)
    assert members_admitted(tree.province, dt.date(2021, 3, 1), dt.date(2021, 6, 1)) == 2


def test_a_readmission_is_not_a_new_member(tree):
    from grassroots.members.services import member_readmit

    member = admit(tree.cell_a1, dt.date(2019, 3, 1))
    member_recognize(
        actor=None, member=member, decision_date=dt.date(2020, 3, 20), decision_number="1"
    )
    member_remove(
        actor=None,
        member=member,
        date=dt.date(2020, 6, 1),
        reason="Bỏ sinh hoạt",
        decision_number="2",
    )
    # Readmitted 36 months after leaving, the least Regulation 232-QĐ/TW 3.5 allows.
    member_readmit(
        actor=None,
        member=member,
        unit=tree.cell_a1,
        decision_date=dt.date(2023, 6, 1),
        ceremony_date=dt.date(2023, 6, 9),
    )
    assert members_admitted(tree.commune_a, dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == 0


def test_admit_a_number_in_the_term_counts_from_the_resolution_to_the_day(tree):
    admitted = indicator("PAR-ADMITTED", decimals=0, computed=ComputedSource.MEMBERS_ADMITTED)
    res = resolution(tree.commune_a, issued_on=dt.date(2020, 10, 1))
    goal = target(res, admitted, kind=TargetKind.CUMULATIVE, target_value="4")
    admit(tree.cell_a1, dt.date(2020, 9, 30), "Lò Văn A")  # before the congress
    admit(tree.cell_a1, dt.date(2020, 10, 1), "Lò Văn B")
    admit(tree.cell_a2, dt.date(2022, 5, 5), "Lò Văn C")
    admit(tree.cell_a2, dt.date(2023, 6, 3), "Lò Văn D")  # after the review
    achievement = target_achievement(target=goal, as_of=dt.date(2023, 6, 2))
    assert (achievement.actual, achievement.percent, achievement.actual_on) == (
        Decimal(2),
        Decimal("50.00"),
        dt.date(2023, 6, 2),
    )
    assert achievement.has_data


def village(parent, code, name, day=dt.date(2015, 1, 1)):
    return unit_create(
        actor=None,
        code=code,
        name=name,
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=parent,
        valid_from=day,
    )


def test_the_share_of_villages_with_a_cell_counts_village_cells_against_the_villages_entered(
    tree, admin_user
):
    villages = indicator("SOC-VILLAGES", decimals=0)
    share = indicator(
        "PAR-VILLAGE-CELLS",
        measure_unit="%",
        aggregation=Aggregation.NONE,
        denominator=villages,
        computed=ComputedSource.VILLAGES_WITH_CELL_SHARE,
    )
    approved(villages, tree.commune_a, "2023", 2, actor=admin_user)
    approved(villages, tree.commune_b, "2023", 1, actor=admin_user)
    resolver = Resolver()
    figure = resolver.figure(share, tree.commune_a, year_period(2024), as_of=dt.date(2024, 4, 30))
    assert (figure.value, figure.numerator, figure.denominator) == (
        Decimal("50.0000"),
        Decimal(1),
        Decimal(2),
    )
    village(tree.commune_a, "XA-3", "Chi bộ thôn Nậm Pẻn", dt.date(2024, 1, 15))
    figure = Resolver().figure(share, tree.province, year_period(2024), as_of=dt.date(2024, 4, 30))
    assert (figure.value, figure.numerator, figure.denominator) == (
        Decimal("100.0000"),
        Decimal(3),
        Decimal(3),
    )
    # On a day before the new cell, the register of that day counts.
    assert Resolver().value(share, tree.commune_a, year_period(2023)) == Decimal("50.0000")


def test_a_closed_commune_is_counted_on_its_last_day_not_after(tree, admin_user):
    from grassroots.reorganizations.services import unit_merge

    villages = indicator("SOC-VILLAGES", decimals=0)
    share = indicator(
        "PAR-VILLAGE-CELLS",
        measure_unit="%",
        aggregation=Aggregation.NONE,
        denominator=villages,
        computed=ComputedSource.VILLAGES_WITH_CELL_SHARE,
    )
    approved(villages, tree.commune_a, "2024", 2, actor=admin_user)
    unit_merge(
        actor=None,
        sources=[tree.commune_a],
        into=tree.commune_b,
        effective_date=dt.date(2025, 7, 1),
        decision_number="1/NQ",
        decision_date=dt.date(2025, 6, 1),
        issuer="Tỉnh ủy",
    )
    tree.commune_a.refresh_from_db()
    # Its cells now belong to commune B; on 30/6/2025 the closed commune still had its village cell.
    figure = Resolver().figure(
        share, tree.commune_a, year_period(2025), as_of=dt.date(2025, 12, 31)
    )
    assert (figure.value, figure.numerator, figure.denominator) == (
        Decimal("50.0000"),
        Decimal(1),
        Decimal(2),
    )


def test_without_the_number_of_villages_the_share_is_unknown(tree):
    villages = indicator("SOC-VILLAGES", decimals=0)
    share = indicator(
        "PAR-VILLAGE-CELLS",
        measure_unit="%",
        aggregation=Aggregation.NONE,
        denominator=villages,
        computed=ComputedSource.VILLAGES_WITH_CELL_SHARE,
    )
    assert indicator_value(indicator=share, unit=tree.commune_a, period="2023") is None


def test_the_share_of_village_cells_with_a_cell_committee_reads_the_committees_of_the_term(tree):
    share = indicator(
        "PAR-CELL-COMMITTEES",
        measure_unit="%",
        aggregation=Aggregation.NONE,
        computed=ComputedSource.CELLS_WITH_COMMITTEE_SHARE,
    )
    village(tree.commune_a, "XA-3", "Chi bộ thôn Nậm Pẻn")
    for i in range(9):
        member = admit(tree.cell_a1, dt.date(2018, 1, 10), f"Lò Văn {chr(65 + i)}")
        member_recognize(
            actor=None, member=member, decision_date=dt.date(2019, 1, 30), decision_number=str(i)
        )
    term = term_get_or_create(start_year=2020, end_year=2025)
    committee_create(
        actor=None,
        unit=tree.cell_a1,
        term=term,
        kind=CommitteeKind.CELL,
        elected_size=3,
        elected_on=dt.date(2020, 5, 10),
    )
    # A secretary and a deputy are not a committee.
    committee_create(
        actor=None,
        unit=tree.cell_b1,
        term=term,
        kind=CommitteeKind.CELL,
        elected_size=2,
        elected_on=dt.date(2020, 5, 10),
    )
    assert indicator_value(indicator=share, unit=tree.commune_a, period="2023") == Decimal(
        "50.0000"
    )
    assert indicator_value(indicator=share, unit=tree.province, period="2023") == Decimal("33.3333")
    # The committee of the 2020–2025 term says nothing of 2019.
    assert indicator_value(indicator=share, unit=tree.commune_a, period="2019") == Decimal(0)
