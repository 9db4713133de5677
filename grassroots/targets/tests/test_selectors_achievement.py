"""Achievement of each kind of target and direction on any date, the bands of a review at
their edges, and the review with its counts and sentences."""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.targets.choices import (
    Band,
    ChangeBasis,
    Direction,
    IndicatorGroup,
    ReductionBasis,
    TargetKind,
)
from grassroots.targets.selectors import (
    DEFAULT_BANDS,
    Bands,
    resolution_review,
    resolution_series,
    resolution_series_all,
    target_achievement,
)

from .core_helpers import approved, draft, indicator, percent_indicator, resolution, target

MID_TERM = dt.date(2024, 4, 30)


@pytest.fixture
def res(tree):
    return resolution(tree.commune_a)


def achieve(t, as_of=MID_TERM):
    return target_achievement(target=t, as_of=as_of)


# --- reach a level ---------------------------------------------------------------------------


def test_higher_is_better_is_actual_over_target_with_progress_from_the_baseline(
    res, tree, admin_user
):
    labour = percent_indicator("SOC-LABOUR")
    t = target(res, labour, target_value="50", baseline_value="40", baseline_year=2020)
    approved(labour, tree.commune_a, "2022", "55", actor=admin_user)
    approved(labour, tree.commune_a, "2023", "59", actor=admin_user)
    a = achieve(t)
    assert (a.actual, a.actual_period, a.percent, a.progress, a.has_data) == (
        Decimal(59),
        "2023",
        Decimal("118.00"),
        Decimal("190.00"),
        True,
    )
    assert DEFAULT_BANDS.band_of(a.percent) == Band.MET


def test_the_latest_period_ended_by_the_day_counts_and_later_ones_wait(res, tree, admin_user):
    labour = percent_indicator("SOC-LABOUR")
    t = target(res, labour, target_value="50")
    approved(labour, tree.commune_a, "2023", "45", actor=admin_user)
    approved(labour, tree.commune_a, "2024", "52", actor=admin_user)
    approved(labour, tree.commune_a, "202403", "48", actor=admin_user)
    assert (achieve(t).actual, achieve(t).actual_period) == (Decimal(48), "202403")
    assert achieve(t, dt.date(2024, 3, 30)).actual == Decimal(45)
    assert achieve(t, dt.date(2024, 12, 31)).actual == Decimal(52)


def test_the_baseline_years_own_figure_is_not_an_achievement(res, tree, admin_user):
    labour = percent_indicator("SOC-LABOUR")
    t = target(res, labour, target_value="50", baseline_value="40", baseline_year=2020)
    approved(labour, tree.commune_a, "2020", "40", actor=admin_user)
    assert not achieve(t, dt.date(2021, 6, 1)).has_data


def test_lower_is_better_is_target_over_actual(res, tree, admin_user):
    deaths = indicator("SOC-INFANT", direction=Direction.LOWER, decimals=1)
    t = target(res, deaths, target_value="12", reduction_basis=ReductionBasis.LEVEL)
    approved(deaths, tree.commune_a, "2023", "15", actor=admin_user)
    assert achieve(t).percent == Decimal("80.00")
    approved(deaths, tree.commune_a, "202401", "10", actor=admin_user)
    assert achieve(t).percent == Decimal("120.00")


def test_a_reduction_from_the_baseline_counts_the_share_of_the_fall_achieved(res, tree, admin_user):
    poverty = percent_indicator("SOC-POOR", direction=Direction.LOWER)
    t = target(
        res,
        poverty,
        target_value="20",
        baseline_value="36.1",
        baseline_year=2020,
        reduction_basis=ReductionBasis.FALL,
    )
    approved(poverty, tree.commune_a, "2023", "28.1", actor=admin_user)
    a = achieve(t)
    assert a.percent == Decimal("49.69")  # fell 8 of the 16.1 points promised
    assert a.progress == Decimal("49.69")
    approved(poverty, tree.commune_a, "202402", "19", actor=admin_user)
    assert achieve(t).percent == Decimal("106.21")


def test_a_reduction_is_judged_as_the_target_states_never_inferred_from_its_baseline(
    res, tree, admin_user
):
    poverty = percent_indicator("SOC-POOR", direction=Direction.LOWER)
    level = target(
        res,
        poverty,
        target_value="20",
        baseline_value="36.1",
        baseline_year=2020,
        reduction_basis=ReductionBasis.LEVEL,
    )
    fall = target(
        res,
        poverty,
        target_value="20",
        baseline_value="36.1",
        baseline_year=2020,
        reduction_basis=ReductionBasis.FALL,
    )
    approved(poverty, tree.commune_a, "2023", "28.1", actor=admin_user)
    assert achieve(level).percent == Decimal("71.17")  # 20 ÷ 28.1, though a baseline is given
    assert achieve(fall).percent == Decimal("49.69")  # (36.1 − 28.1) ÷ (36.1 − 20)


def test_zero_is_the_best_a_lower_is_better_figure_can_be(res, tree, admin_user):
    violations = indicator(
        "DEF-CRIMES", direction=Direction.LOWER, decimals=0, group=IndicatorGroup.DEFENCE
    )
    t = target(res, violations, target_value="0", reduction_basis=ReductionBasis.LEVEL)
    approved(violations, tree.commune_a, "2023", 0, actor=admin_user)
    assert achieve(t).percent == Decimal(100)
    approved(violations, tree.commune_a, "202401", 2, actor=admin_user)
    assert achieve(t).percent == Decimal(0)
    t2 = target(res, violations, target_value="3", reduction_basis=ReductionBasis.LEVEL)
    assert achieve(t2).percent == Decimal("150.00")


def test_a_target_of_zero_to_reach_is_met_by_any_figure(res, tree, admin_user):
    ind = indicator("ECO-A")
    t = target(res, ind, target_value="0")
    approved(ind, tree.commune_a, "2023", "0", actor=admin_user)
    assert achieve(t).percent == Decimal(100)


def test_a_zero_figure_of_a_higher_is_better_target_is_zero_percent_not_missing(
    res, tree, admin_user
):
    ind = indicator("ECO-A")
    t = target(res, ind, target_value="10")
    approved(ind, tree.commune_a, "2023", "0", actor=admin_user)
    a = achieve(t)
    assert (a.has_data, a.percent, DEFAULT_BANDS.band_of(a.percent)) == (
        True,
        Decimal(0),
        Band.BELOW,
    )


def test_missing_or_unapproved_data_is_reported_as_such_never_as_met(res, tree):
    ind = indicator("ECO-A")
    t = target(res, ind, target_value="10")
    draft(ind, tree.commune_a, "2023", "50")
    a = achieve(t)
    assert (a.has_data, a.actual, a.percent, a.progress) == (False, None, None, None)
    review = resolution_review(resolution=res, as_of=MID_TERM)
    assert review.rows[0].band == Band.NO_DATA
    assert review.counts[Band.MET] == 0


def test_a_share_of_counts_compares_the_ratio_of_the_counts(res, tree, admin_user):
    schools = percent_indicator("SOC-SCHOOLS")
    t = target(res, schools, kind=TargetKind.RATIO, target_value="80")
    approved(schools, tree.commune_a, "202403", numerator=30, denominator=41, actor=admin_user)
    a = achieve(t)
    assert (a.actual, a.numerator, a.denominator, a.percent) == (
        Decimal("73.1707"),
        Decimal(30),
        Decimal(41),
        Decimal("91.46"),
    )


# --- average yearly change -----------------------------------------------------------------------


def test_growth_per_year_is_the_mean_of_the_yearly_rates_since_the_baseline(res, tree, admin_user):
    growth = percent_indicator("ECO-GROWTH", min_value=Decimal(-100), max_value=Decimal(1000))
    t = target(
        res,
        growth,
        kind=TargetKind.ANNUAL_CHANGE,
        target_value="9",
        baseline_value="8.5",
        baseline_year=2020,
    )
    for year, rate in ((2020, "3"), (2021, "10.2"), (2022, "10.8"), (2023, "10.5"), (2024, "15")):
        approved(growth, tree.commune_a, str(year), rate, actor=admin_user)
    a = achieve(t)
    assert (a.actual, a.periods, a.actual_period, a.percent) == (
        Decimal("10.50"),
        ["2021", "2022", "2023"],
        "2023",
        Decimal("116.67"),
    )


def test_a_rate_that_should_stay_low_is_target_over_the_mean_rate(res, tree, admin_user):
    births = percent_indicator("SOC-POP-GROWTH", direction=Direction.LOWER, decimals=2)
    t = target(res, births, kind=TargetKind.ANNUAL_CHANGE, target_value="1.2")
    for year, rate in ((2021, "1.6"), (2022, "1.5"), (2023, "1.4")):
        approved(births, tree.commune_a, str(year), rate, actor=admin_user)
    a = achieve(t)
    assert (a.actual, a.percent) == (Decimal("1.50"), Decimal("80.00"))


def test_a_fall_per_year_in_points_from_the_baseline_for_lower_is_better(res, tree, admin_user):
    poverty = percent_indicator("SOC-POOR", direction=Direction.LOWER)
    t = target(
        res,
        poverty,
        kind=TargetKind.ANNUAL_CHANGE,
        change_basis=ChangeBasis.POINTS,
        target_value="3",
        target_value_high="4",
        baseline_value="38.5",
        baseline_year=2020,
    )
    approved(poverty, tree.commune_a, "2022", "30", actor=admin_user)
    approved(poverty, tree.commune_a, "2023", "17.5", actor=admin_user)
    a = achieve(t)
    assert (a.actual, a.percent) == (
        Decimal("7.00"),
        Decimal("233.33"),
    )  # a range is met at its lower end


def test_a_compound_yearly_change_from_the_baseline(res, tree, admin_user):
    production = indicator("ECO-PROD")
    t = target(
        res,
        production,
        kind=TargetKind.ANNUAL_CHANGE,
        change_basis=ChangeBasis.COMPOUND,
        target_value="7",
        baseline_value="1000",
        baseline_year=2020,
    )
    approved(production, tree.commune_a, "2022", "1144.9", actor=admin_user)
    a = achieve(t)
    assert a.actual == Decimal("7.00")
    assert a.percent == Decimal("100.00")


def test_no_yearly_figure_yet_means_no_data(res, tree, admin_user):
    growth = percent_indicator("ECO-GROWTH")
    t = target(res, growth, kind=TargetKind.ANNUAL_CHANGE, target_value="7")
    approved(growth, tree.commune_a, "2024", "8", actor=admin_user)  # not ended by the mid-term
    assert not achieve(t).has_data


# --- totals over the term ------------------------------------------------------------------------


def test_a_total_over_the_term_adds_the_years_and_the_quarters_of_the_year_in_progress(
    res, tree, admin_user
):
    roads = indicator("ECO-ROADS", measure_unit="km")
    t = target(res, roads, kind=TargetKind.CUMULATIVE, target_value="40")
    approved(roads, tree.commune_a, "2021", "8", actor=admin_user)
    approved(roads, tree.commune_a, "2022", "10", actor=admin_user)
    approved(roads, tree.commune_a, "2023", "9", actor=admin_user)
    approved(roads, tree.commune_a, "2024Q1", "2.5", actor=admin_user)
    approved(roads, tree.commune_a, "2024Q2", "3", actor=admin_user)  # not ended by the mid-term
    a = achieve(t)
    assert (a.actual, a.percent, a.periods) == (
        Decimal("29.5"),
        Decimal("73.75"),
        ["2021", "2022", "2023", "2024Q1"],
    )
    assert a.progress == a.percent


# --- bands and reviews ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        ("69.99", Band.BELOW),
        ("70", Band.NEAR),
        ("70.00", Band.NEAR),
        ("99.99", Band.NEAR),
        ("100", Band.MET),
        ("250", Band.MET),
        ("0", Band.BELOW),
        ("-5", Band.BELOW),
        (None, Band.NO_DATA),
    ],
)
def test_the_default_bands_at_their_edges(percent, band):
    assert DEFAULT_BANDS.band_of(None if percent is None else Decimal(percent)) == band


def test_bands_are_configurable_per_review():
    bands = Bands(met=90, near=50)
    assert bands.band_of(Decimal("89.99")) == Band.NEAR
    assert bands.band_of(Decimal("90")) == Band.MET
    assert bands.band_of(Decimal("49.99")) == Band.BELOW
    with pytest.raises(ValueError):
        Bands(met=70, near=80)


def test_a_review_counts_by_band_and_group_and_speaks_both_languages(res, tree, admin_user):
    labour = percent_indicator("SOC-LABOUR", group=IndicatorGroup.SOCIETY)
    growth = percent_indicator("ECO-GROWTH")
    forest = percent_indicator("ENV-FOREST", group=IndicatorGroup.ENVIRONMENT)
    income = indicator("ECO-INCOME")
    target(res, labour, target_value="50")
    target(res, growth, target_value="10")
    target(res, forest, target_value="60")
    target(res, income, target_value="40")
    approved(labour, tree.commune_a, "2023", "59", actor=admin_user)
    approved(growth, tree.commune_a, "2023", "7", actor=admin_user)
    approved(forest, tree.commune_a, "2023", "30", actor=admin_user)
    review = resolution_review(resolution=res, as_of=MID_TERM)
    assert review.total == 4
    assert review.counts == {Band.MET: 1, Band.NEAR: 1, Band.BELOW: 1, Band.NO_DATA: 1}
    assert [row.band for row in review.rows] == [Band.MET, Band.NEAR, Band.BELOW, Band.NO_DATA]
    assert list(review.by_group) == [
        IndicatorGroup.ECONOMY,
        IndicatorGroup.SOCIETY,
        IndicatorGroup.ENVIRONMENT,
    ]
    assert review.by_group[IndicatorGroup.ECONOMY] == {
        Band.MET: 0,
        Band.NEAR: 1,
        Band.BELOW: 0,
        Band.NO_DATA: 1,
    }
    assert review.sentences("vi") == [
        "Đạt và vượt 1/4 chỉ tiêu (≥ 100%); 1/4 chỉ tiêu đạt từ 70% trở lên",
        "1/4 chỉ tiêu đạt dưới 70%",
        "1/4 chỉ tiêu chưa có số liệu",
    ]
    assert (
        review.sentences("en")[0]
        == "1 of 4 targets achieved or exceeded (≥ 100%); 1 of 4 achieved 70% or more"
    )
    custom = resolution_review(
        resolution=res, as_of=MID_TERM, bands=Bands(met=Decimal("112.5"), near=50)
    )
    assert custom.counts[Band.MET] == 1
    assert (
        custom.sentences("vi")[0]
        == "Đạt và vượt 1/4 chỉ tiêu (≥ 112,5%); 2/4 chỉ tiêu đạt từ 50% trở lên"
    )


def test_a_review_of_a_resolution_without_targets_says_so(res):
    review = resolution_review(resolution=res, as_of=MID_TERM)
    assert review.total == 0 and review.sentences("en") == ["The resolution has no targets yet"]


def test_a_review_reads_about_two_queries_per_target(
    res, tree, admin_user, django_assert_max_num_queries
):
    for i in range(10):
        ind = percent_indicator(f"SOC-{i}")
        target(res, ind, target_value="50")
        approved(ind, tree.commune_a, "2023", "40", actor=admin_user)
    with django_assert_max_num_queries(25):
        review = resolution_review(resolution=res, as_of=MID_TERM)
    assert review.counts[Band.NEAR] == 10


def test_the_series_of_a_target_holds_baseline_milestones_actuals_and_target(res, tree, admin_user):
    labour = percent_indicator("SOC-LABOUR")
    t = target(
        res,
        labour,
        target_value="50",
        baseline_value="40",
        baseline_year=2020,
        milestones={2022: "45", 2024: "48"},
    )
    approved(labour, tree.commune_a, "2021", "42", actor=admin_user)
    approved(labour, tree.commune_a, "2023", "59", actor=admin_user)
    series = resolution_series(target=t, as_of=MID_TERM)
    assert series.baseline == ("2020", Decimal(40))
    assert series.milestones == [("2022", Decimal(45)), ("2024", Decimal(48))]
    assert series.actuals == [("2021", Decimal(42)), ("2023", Decimal(59))]
    assert series.target == ("2025", Decimal(50))
    assert series.points()[0] == ("2020", Decimal(40))


def test_the_series_of_a_total_runs_up(res, tree, admin_user):
    roads = indicator("ECO-ROADS")
    t = target(res, roads, kind=TargetKind.CUMULATIVE, target_value="40")
    approved(roads, tree.commune_a, "2021", "8", actor=admin_user)
    approved(roads, tree.commune_a, "2022", "10", actor=admin_user)
    assert resolution_series(target=t, as_of=MID_TERM).actuals == [
        ("2021", Decimal(8)),
        ("2022", Decimal(18)),
    ]


def test_series_of_all_targets_are_read_together_in_as_many_queries_for_two_targets_as_for_twelve(
    res, tree, admin_user, django_assert_max_num_queries
):
    def add(i):
        ind = indicator(f"ECO-{i}")
        t = target(
            res,
            ind,
            kind=TargetKind.CUMULATIVE if i % 2 else TargetKind.LEVEL,
            target_value="50",
            milestones={2023: "30"},
        )
        approved(ind, tree.commune_a, "2021", str(i), actor=admin_user)
        approved(ind, tree.cell_a1, "2023", "5", actor=admin_user)
        return t

    first = [add(i) for i in range(2)]
    with django_assert_max_num_queries(20) as few:
        resolution_series_all(resolution=res, as_of=MID_TERM)
    targets = first + [add(i) for i in range(2, 12)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        series = resolution_series_all(resolution=res, as_of=MID_TERM)
    assert list(series) == [t.pk for t in targets]
    for t in targets:
        alone = resolution_series(target=t, as_of=MID_TERM)
        assert (series[t.pk].actuals, series[t.pk].milestones) == (alone.actuals, alone.milestones)
    assert series[targets[3].pk].actuals == [("2021", Decimal(3)), ("2023", Decimal(8))]


def test_a_review_finds_a_levels_latest_figure_however_old_and_a_totals_every_year(
    res, tree, admin_user
):
    """A review reads the latest two years of a level at once and the whole term of a total;
    an older latest figure is still found."""
    old = percent_indicator("SOC-OLD")
    fresh = percent_indicator("SOC-FRESH")
    roads = indicator("ECO-ROADS")
    level_old = target(res, old, target_value="50")
    level_fresh = target(res, fresh, target_value="50")
    total = target(res, roads, kind=TargetKind.CUMULATIVE, target_value="40")
    approved(old, tree.commune_a, "2021", "45", actor=admin_user)
    approved(fresh, tree.cell_a1, "2022", "20", actor=admin_user)
    approved(fresh, tree.commune_a, "2023", "55", actor=admin_user)
    for year, km in (("2021", "8"), ("2022", "10"), ("2023", "12")):
        approved(roads, tree.cell_a1, year, km, actor=admin_user)
    rows = {
        row.target.pk: row.achievement
        for row in resolution_review(resolution=res, as_of=MID_TERM).rows
    }
    assert (rows[level_old.pk].actual, rows[level_old.pk].actual_period) == (Decimal(45), "2021")
    assert (rows[level_fresh.pk].actual, rows[level_fresh.pk].actual_period) == (
        Decimal(55),
        "2023",
    )
    assert (rows[total.pk].actual, rows[total.pk].periods) == (
        Decimal(30),
        ["2021", "2022", "2023"],
    )
