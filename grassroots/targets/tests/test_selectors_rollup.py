"""Figures roll up the tree by each indicator's rule, on the tree of the period asked, and
through a merge: before it, the successor is the sum of its predecessors."""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create
from grassroots.reorganizations.services import unit_merge, unit_move
from grassroots.targets.choices import Aggregation
from grassroots.targets.periods import parse_period
from grassroots.targets.selectors import Resolver, indicator_comparison, indicator_value

from .core_helpers import approved, draft, indicator, percent_indicator


def value(ind, unit, period, **kwargs):
    return indicator_value(indicator=ind, unit=unit, period=period, **kwargs)


def test_a_sum_adds_the_units_below_and_an_entered_figure_wins(tree, admin_user):
    grain = indicator("ECO-GRAIN", measure_unit="tấn")
    approved(grain, tree.cell_a1, "2023", "300", actor=admin_user)
    approved(grain, tree.cell_a2, "2023", "20.5", actor=admin_user)
    approved(grain, tree.commune_b, "2023", "1000", actor=admin_user)
    approved(grain, tree.cell_b1, "2023", "999", actor=admin_user)  # the commune's own figure wins
    assert value(grain, tree.commune_a, "2023") == Decimal("320.5")
    assert value(grain, tree.province, "2023") == Decimal("1320.5")
    assert value(grain, tree.root, "2023") == Decimal("1320.5")
    assert value(grain, tree.province, "2022") is None


def test_only_approved_figures_count_unless_asked(tree, admin_user):
    grain = indicator("ECO-GRAIN")
    approved(grain, tree.cell_a1, "2023", "300", actor=admin_user)
    draft(grain, tree.cell_a2, "2023", "20")
    assert value(grain, tree.commune_a, "2023") == Decimal(300)
    assert value(grain, tree.commune_a, "2023", include_unapproved=True) == Decimal(320)


def test_a_ratio_is_the_ratio_of_the_sums_not_the_mean_of_the_shares(tree, admin_user):
    households = indicator("SOC-HH", decimals=0)
    poor = indicator("SOC-POOR-HH", decimals=0)
    share = indicator(
        "SOC-POOR",
        measure_unit="%",
        aggregation=Aggregation.RATIO,
        numerator=poor,
        denominator=households,
    )
    for unit, n, d in ((tree.cell_a1, 3, 10), (tree.cell_a2, 1, 30)):
        approved(poor, unit, "2023", n, actor=admin_user)
        approved(households, unit, "2023", d, actor=admin_user)
    assert value(share, tree.commune_a, "2023") == Decimal("10.0000")
    assert value(share, tree.cell_a1, "2023") == Decimal("30.0000")


def test_a_share_entered_as_counts_rolls_up_as_the_ratio_of_the_counts(tree, admin_user):
    schools = indicator("SOC-SCHOOLS", measure_unit="%", aggregation=Aggregation.RATIO)
    approved(schools, tree.commune_a, "202403", numerator=3, denominator=4, actor=admin_user)
    approved(schools, tree.commune_b, "202403", numerator=27, denominator=37, actor=admin_user)
    resolver = Resolver()
    figure = resolver.figure(schools, tree.province, parse_period("202403"))
    assert (figure.numerator, figure.denominator) == (Decimal(30), Decimal(41))
    assert figure.value == Decimal("73.1707")


def test_a_weighted_mean_weighs_each_unit(tree, admin_user):
    population = indicator("SOC-POP", decimals=0)
    income = indicator("ECO-INCOME", aggregation=Aggregation.WEIGHTED_MEAN, weight=population)
    approved(income, tree.commune_a, "2023", "30", actor=admin_user)
    approved(population, tree.commune_a, "2023", 1000, actor=admin_user)
    approved(income, tree.commune_b, "2023", "60", actor=admin_user)
    approved(population, tree.commune_b, "2023", 3000, actor=admin_user)
    assert value(income, tree.province, "2023") == Decimal("52.5")
    # A unit without its weight is left out rather than guessed.
    approved(income, tree.cell_a1, "2022", "10", actor=admin_user)
    approved(income, tree.commune_b, "2022", "70", actor=admin_user)
    approved(population, tree.commune_b, "2022", 3000, actor=admin_user)
    assert value(income, tree.province, "2022") == Decimal(70)


def test_an_indicator_that_does_not_aggregate_has_no_figure_above_where_it_was_entered(
    tree, admin_user
):
    growth = percent_indicator("ECO-GROWTH")
    approved(growth, tree.commune_a, "2023", "10.5", actor=admin_user)
    assert value(growth, tree.commune_a, "2023") == Decimal("10.5")
    assert value(growth, tree.province, "2023") is None


def test_a_formula_combines_the_figures_of_each_unit_and_of_the_sums_above(tree, admin_user):
    production = indicator("ECO-PROD")
    population = indicator("SOC-POP", decimals=0)
    per_head = indicator(
        "ECO-PER-HEAD", aggregation=Aggregation.NONE, formula="{ECO-PROD} / {SOC-POP} * 1000"
    )
    approved(production, tree.commune_a, "2023", "150", actor=admin_user)
    approved(population, tree.commune_a, "2023", 5000, actor=admin_user)
    approved(production, tree.commune_b, "2023", "450", actor=admin_user)
    approved(population, tree.commune_b, "2023", 5000, actor=admin_user)
    assert value(per_head, tree.commune_a, "2023") == Decimal(30)
    assert value(per_head, tree.province, "2023") == Decimal(60)
    assert value(per_head, tree.province, "2022") is None


def test_quarters_and_months_are_periods_of_their_own(tree, admin_user):
    grain = indicator("ECO-GRAIN")
    approved(grain, tree.cell_a1, "2023Q2", "30", actor=admin_user)
    approved(grain, tree.cell_a2, "2023Q2", "12", actor=admin_user)
    approved(grain, tree.cell_a1, "202304", "9", actor=admin_user)
    assert value(grain, tree.commune_a, "2023Q2") == Decimal(42)
    assert value(grain, tree.commune_a, "202304") == Decimal(9)
    assert value(grain, tree.commune_a, "2023") is None


@pytest.fixture
def merged(tree):
    """Three communes of 2015 merged into Đồng Thái on 1 July 2025."""

    def commune(code, name):
        unit = unit_create(
            actor=None,
            code=code,
            name=name,
            kind=UnitKind.GRASSROOTS,
            parent=tree.province,
            valid_from=dt.date(2015, 1, 1),
        )
        unit_create(
            actor=None,
            code=f"{code}-1",
            name=f"Chi bộ thôn {name}",
            kind=UnitKind.CELL,
            cell_subtype=CellSubtype.VILLAGE,
            parent=unit,
            valid_from=dt.date(2015, 1, 1),
        )
        return unit

    parts = [commune("YDO", "Yên Đồng"), commune("YTH", "Yên Thành"), commune("YTA", "Yên Thái")]
    unit_merge(
        actor=None,
        sources=parts,
        effective_date=dt.date(2025, 7, 1),
        decision_number="1234-QĐ/TU",
        decision_date=dt.date(2025, 6, 27),
        issuer="Ban Thường vụ Tỉnh ủy",
        new_code="DTH",
        new_name="Xã Đồng Thái",
        new_kind=UnitKind.GRASSROOTS,
    )
    return Unit.objects.get(code="DTH"), [Unit.objects.get(pk=p.pk) for p in parts]


def test_before_a_merge_the_successor_is_the_sum_of_its_predecessors(tree, admin_user, merged):
    dong_thai, parts = merged
    production = indicator("ECO-PROD-VALUE", measure_unit="tỷ đồng")
    for part, amount in zip(parts, ("600", "700", "800"), strict=True):
        approved(production, part, "2024", amount, actor=admin_user)
    approved(production, dong_thai, "2025", "2150", actor=admin_user)
    assert value(production, dong_thai, "2024") == Decimal(2100)
    assert value(production, dong_thai, "2025") == Decimal(2150)
    assert value(production, tree.province, "2024") == Decimal(2100)
    # A predecessor keeps its own past.
    assert value(production, parts[0], "2024") == Decimal(600)


def test_a_figure_entered_on_a_predecessors_cell_reaches_the_successor(tree, admin_user, merged):
    dong_thai, parts = merged
    grain = indicator("ECO-GRAIN")
    cell = Unit.objects.get(
        code="YTH-1"
    )  # under Đồng Thái since the merge, under Yên Thành in 2023
    assert cell.parent == dong_thai
    approved(grain, cell, "2023", "42", actor=admin_user)
    assert value(grain, parts[1], "2023") == Decimal(42)
    assert value(grain, dong_thai, "2023") == Decimal(42)
    approved(grain, cell, "2025", "40", actor=admin_user)
    assert value(grain, dong_thai, "2025") == Decimal(40)
    assert value(grain, parts[1], "2025") is None


def test_the_comparison_lists_each_grassroots_organization_on_the_tree_of_the_period(
    tree, admin_user, merged
):
    dong_thai, parts = merged
    production = indicator("ECO-PROD-VALUE")
    for part, amount in zip(parts, ("600", "700", "800"), strict=True):
        approved(production, part, "2024", amount, actor=admin_user)
    approved(production, tree.cell_a1, "2024", "50", actor=admin_user)
    rows = indicator_comparison(indicator=production, parent=tree.province, period="2024")
    assert [(r.unit.code, r.value) for r in rows] == [
        ("XB", None),
        ("XA", Decimal(50)),
        ("YDO", Decimal(600)),
        ("YTH", Decimal(700)),
        ("YTA", Decimal(800)),
    ]
    rows = indicator_comparison(indicator=production, parent=tree.province, period="2025")
    assert [r.unit.code for r in rows] == ["XB", "DTH", "XA"]


def test_figures_read_for_a_whole_term_count_a_unit_only_in_the_years_it_stood_in_the_subtree(
    tree, admin_user
):
    """A review reads the figures of all its years in one query over every unit ever placed
    in the subtree; each year still counts only the units of that year's tree."""
    other = unit_create(
        actor=None,
        code="T02",
        name="Tỉnh Bên Cạnh",
        kind=UnitKind.PROVINCE,
        parent=tree.root,
        valid_from=dt.date(2015, 1, 1),
    )
    unit_move(
        actor=None,
        unit=tree.commune_b,
        new_parent=other,
        effective_date=dt.date(2024, 1, 1),
        decision_number="9-QĐ/TW",
        decision_date=dt.date(2023, 12, 1),
        issuer="Ban Bí thư",
    )
    grain = indicator("ECO-GRAIN")
    for year, a, b in (("2022", "10", "100"), ("2023", "11", "110"), ("2024", "12", "120")):
        approved(grain, tree.commune_a, year, a, actor=admin_user)
        approved(grain, tree.commune_b, year, b, actor=admin_user)
    term = Resolver()
    term.want([grain], years=(2021, 2025))
    figures = {
        year: term.value(grain, tree.province, parse_period(year))
        for year in ("2022", "2023", "2024", "2025")
    }
    assert figures == {
        "2022": Decimal(110),
        "2023": Decimal(121),
        "2024": Decimal(12),
        "2025": None,
    }
    assert figures == {year: value(grain, tree.province, year) for year in figures}
    assert term.value(grain, other, parse_period("2024")) == Decimal(120)
    assert term.value(grain, other, parse_period("2023")) is None


def test_a_terms_figures_are_read_in_as_many_queries_for_five_years_as_for_one(
    tree, admin_user, django_assert_max_num_queries
):
    grain = indicator("ECO-GRAIN")
    approved(grain, tree.cell_a1, "2021", "1", actor=admin_user)

    def read_term():
        term = Resolver()
        term.want([grain], years=(2021, 2025))
        return [term.value(grain, tree.province, parse_period(str(y))) for y in range(2021, 2026)]

    with django_assert_max_num_queries(50) as one_year:
        assert read_term() == [Decimal(1), None, None, None, None]
    for year in range(2022, 2026):
        approved(grain, tree.cell_a1, str(year), str(year - 2020), actor=admin_user)
        approved(grain, tree.commune_b, str(year), "10", actor=admin_user)
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        assert read_term() == [Decimal(1), Decimal(12), Decimal(13), Decimal(14), Decimal(15)]
