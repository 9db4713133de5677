"""The arithmetic of a month at its edges: group caps and minimums, bands, the deadline and
the year's figure from the months."""

import datetime as dt
from decimal import Decimal as D

import pytest

from grassroots.assessments import scoring
from grassroots.assessments.choices import MissingMonths, YearEndRule

GROUPS = [
    scoring.GroupLimits(1, D(25), D("12.5")),
    scoring.GroupLimits(2, D(25), None),
]
BANDS = [
    scoring.BandRule("excellent", D(90), True),
    scoring.BandRule("good", D(70), True),
    scoring.BandRule("fair", D(50)),
    scoring.BandRule("weak", D(0)),
]


def test_a_group_counts_at_most_its_maximum():
    result = scoring.month_score(GROUPS, [(1, D(20)), (1, D(10)), (2, D(5))])
    assert result.group_totals == {1: D(25), 2: D(5)}
    assert result.total == D(30)


def test_a_group_exactly_at_its_minimum_is_not_below_it():
    assert scoring.month_score(GROUPS, [(1, D("12.5"))]).groups_below_minimum == []
    assert scoring.month_score(GROUPS, [(1, D("12.49"))]).groups_below_minimum == [1]


def test_unscored_criteria_count_nothing():
    assert scoring.month_score(GROUPS, [(1, None), (2, D(3))]).total == D(3)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (D(100), "excellent"),
        (D(90), "excellent"),
        (D("89.99"), "good"),
        (D(70), "good"),
        (D("69.99"), "fair"),
        (D(50), "fair"),
        (D("49.99"), "weak"),
        (D(0), "weak"),
    ],
)
def test_bands_include_their_lower_edge(total, band):
    assert scoring.band_for(BANDS, total).key == band


def test_a_group_below_its_minimum_keeps_the_month_out_of_the_bands_that_require_it():
    assert scoring.band_for(BANDS, D(95), below_minimum=True).key == "fair"
    assert scoring.band_for(BANDS, D(40), below_minimum=True).key == "weak"


def test_no_total_has_no_band():
    assert scoring.band_for(BANDS, None) is None


def test_the_deadline_is_day_ten_of_the_next_month_by_default():
    assert scoring.deadline(2024, 11) == dt.date(2024, 12, 10)
    assert scoring.deadline(2024, 12) == dt.date(2025, 1, 10)


def test_the_deadline_day_is_a_setting(settings):
    settings.ASSESSMENT_DEADLINE_DAY = 5
    assert scoring.deadline(2024, 1) == dt.date(2024, 2, 5)


def test_a_submission_on_the_deadline_is_on_time_and_the_day_after_is_late():
    assert not scoring.is_late(2024, 11, dt.date(2024, 12, 10))
    assert scoring.is_late(2024, 11, dt.date(2024, 12, 11))


def test_missing_months_count_as_zero_in_the_average_when_the_framework_says_so():
    totals = {m: D(90) for m in range(1, 12)}  # December missing
    value = scoring.year_value(totals, missing_months=MissingMonths.ZERO, rule=YearEndRule.AVERAGE)
    assert value == D("82.50")


def test_missing_months_are_left_out_of_the_average_when_the_framework_says_so():
    totals = {m: D(90) for m in range(1, 12)}
    value = scoring.year_value(
        totals, missing_months=MissingMonths.EXCLUDED, rule=YearEndRule.AVERAGE
    )
    assert value == D("90.00")


def test_the_lowest_month_rule_takes_the_lowest_total():
    totals = {1: D(95), 2: D(71), 3: D(88)}
    value = scoring.year_value(
        totals, missing_months=MissingMonths.EXCLUDED, rule=YearEndRule.LOWEST
    )
    assert value == D(71)
    zero = scoring.year_value(totals, missing_months=MissingMonths.ZERO, rule=YearEndRule.LOWEST)
    assert zero == D(0)


def test_a_year_with_no_month_and_missing_months_left_out_has_no_value():
    assert (
        scoring.year_value({}, missing_months=MissingMonths.EXCLUDED, rule=YearEndRule.AVERAGE)
        is None
    )
