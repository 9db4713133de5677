"""Each rule of each rule set, named after it: the rules evaluated over plain facts with the
values of the seeded rule sets (132, 124, 366)."""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.classifications import rules as r
from grassroots.classifications.choices import Level, NotReviewed
from grassroots.classifications.rules import Facts, Inputs, Rules, evaluate, flag_two_years
from grassroots.classifications.seeds import RULE_SETS

REVIEW_DAY = dt.date(2024, 12, 20)


def rules_of(code: str) -> Rules:
    values = next(s for s in RULE_SETS if s["code"] == code)
    defaults = {
        "exempted_not_reviewed": True,
        "suspended_not_reviewed": True,
        "new_member_months": 6,
        "not_completed_twice_flag": True,
        "quota_exception_allowed": True,
    }
    return Rules.from_dict({**defaults, **values})


def member(**facts) -> Facts:
    return Facts(review_date=REVIEW_DAY, admitted_on=dt.date(2010, 1, 1), **facts)


def collective(**facts) -> Facts:
    return Facts(collective=True, review_date=REVIEW_DAY, **facts)


def pts(points, **extra) -> Inputs:
    return Inputs(points=Decimal(points), **extra)


GRADE_SETS = ["132", "124"]
ALL_SETS = ["132", "124", "366"]


def given(code: str, level: str = Level.WELL, **extra) -> Inputs:
    if code == "366":
        points = {"excellent": 95, "well": 80, "completed": 60, "not_completed": 40}[level]
        return pts(points, **extra)
    return Inputs(level=level, **extra)


# --- who is not reviewed (every set) -------------------------------------------------------


@pytest.mark.parametrize("code", ALL_SETS)
def test_not_reviewed_exempted(code):
    out = evaluate(rules_of(code), member(exempted=True), given(code))
    assert out.not_reviewed == NotReviewed.EXEMPTED
    assert out.rule_codes == [r.NOT_REVIEWED_EXEMPTED]
    assert out.level is None


@pytest.mark.parametrize("code", ALL_SETS)
def test_not_reviewed_suspended(code):
    out = evaluate(rules_of(code), member(suspended=True), given(code))
    assert out.not_reviewed == NotReviewed.SUSPENDED
    assert out.rule_codes == [r.NOT_REVIEWED_SUSPENDED]


@pytest.mark.parametrize("code", ALL_SETS)
def test_not_reviewed_new_member_admitted_less_than_six_months_before(code):
    facts = Facts(review_date=REVIEW_DAY, admitted_on=dt.date(2024, 6, 21))
    out = evaluate(rules_of(code), facts, given(code))
    assert out.not_reviewed == NotReviewed.NEW_MEMBER
    assert out.rule_codes == [r.NOT_REVIEWED_NEW_MEMBER]


@pytest.mark.parametrize("code", ALL_SETS)
def test_not_reviewed_new_member_six_months_to_the_day_is_reviewed(code):
    facts = Facts(review_date=REVIEW_DAY, admitted_on=dt.date(2024, 6, 20))
    out = evaluate(rules_of(code), facts, given(code))
    assert out.not_reviewed == ""
    assert out.level == Level.WELL


def test_not_reviewed_rules_are_values_of_the_set():
    rules = Rules.from_dict({**rules_of("366").__dict__, "exempted_not_reviewed": False})
    out = evaluate(rules, member(exempted=True), given("366"))
    assert out.not_reviewed == ""


# --- leave ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_SETS)
def test_sick_leave_caps_below_well(code):
    out = evaluate(rules_of(code), member(sick_leave_days=90), given(code, Level.EXCELLENT))
    assert r.SICK_LEAVE_CAP in out.rule_codes
    assert out.cap == Level.COMPLETED
    assert out.level == Level.COMPLETED


@pytest.mark.parametrize("code", ALL_SETS)
def test_sick_leave_caps_below_well_not_under_three_months(code):
    out = evaluate(rules_of(code), member(sick_leave_days=89), given(code, Level.WELL))
    assert r.SICK_LEAVE_CAP not in out.rule_codes
    assert out.level == Level.WELL


@pytest.mark.parametrize("code", ALL_SETS)
def test_maternity_leave_judged_on_time_worked(code):
    out = evaluate(rules_of(code), member(maternity_days=180), given(code, Level.EXCELLENT))
    assert r.MATERNITY_TIME_WORKED in out.rule_codes
    assert out.cap is None
    assert out.level == Level.EXCELLENT


# --- discipline ----------------------------------------------------------------------------

DISCIPLINED = [{"date": "2024-05-02", "level": "reprimand"}]


@pytest.mark.parametrize("code", ALL_SETS)
def test_discipline_in_period_fails(code):
    out = evaluate(rules_of(code), member(disciplines=DISCIPLINED), given(code, Level.WELL))
    assert r.DISCIPLINE_FAILS in out.rule_codes
    assert out.level == Level.NOT_COMPLETED


@pytest.mark.parametrize("code", ["132", "124"])
def test_discipline_self_detected_and_remedied(code):
    inputs = given(code, Level.WELL, self_detected=True)
    out = evaluate(rules_of(code), member(disciplines=DISCIPLINED), inputs)
    assert out.rule_codes == [r.DISCIPLINE_SELF_DETECTED]
    assert out.level == Level.WELL


def test_discipline_self_detected_and_remedied_is_no_exception_under_366():
    inputs = given("366", Level.WELL, self_detected=True)
    out = evaluate(rules_of("366"), member(disciplines=DISCIPLINED), inputs)
    assert r.DISCIPLINE_FAILS in out.rule_codes
    assert out.level == Level.NOT_COMPLETED


def test_discipline_in_period_caps_completed_when_the_set_says_so():
    rules = Rules.from_dict({**rules_of("124").__dict__, "discipline_rule": "caps_completed"})
    out = evaluate(rules, member(disciplines=DISCIPLINED), given("124", Level.EXCELLENT))
    assert r.DISCIPLINE_CAPS in out.rule_codes
    assert out.level == Level.COMPLETED


# --- 366: points and bands -----------------------------------------------------------------


def test_points_band_excellent_at_90_with_the_task_conditions():
    out = evaluate(rules_of("366"), member(), pts(90, on_time=True, exceeded_pct=Decimal(30)))
    assert out.level == Level.EXCELLENT
    assert r.POINTS_EXCELLENT in out.rule_codes


def test_points_excellent_conditions_not_met_below_30_percent_beyond():
    out = evaluate(rules_of("366"), member(), pts(95, on_time=True, exceeded_pct=Decimal(29)))
    assert out.level == Level.WELL
    assert r.POINTS_EXCELLENT_CONDITIONS in out.rule_codes


def test_points_excellent_conditions_not_met_with_shortcomings_not_remedied():
    out = evaluate(rules_of("366"), member(), pts(95, remedied=False))
    assert out.level == Level.WELL


def test_points_band_well_from_70_to_below_90():
    assert evaluate(rules_of("366"), member(), pts(70)).level == Level.WELL
    assert evaluate(rules_of("366"), member(), pts("89.99")).level == Level.WELL
    assert r.POINTS_WELL in evaluate(rules_of("366"), member(), pts(70)).rule_codes


def test_points_band_well_needs_every_task_on_time():
    out = evaluate(rules_of("366"), member(), pts(85, on_time=False, late_pct=Decimal(10)))
    assert out.level == Level.COMPLETED


def test_points_band_completed_from_50_with_at_most_20_percent_late():
    assert evaluate(rules_of("366"), member(), pts(50, late_pct=Decimal(20))).level == "completed"
    out = evaluate(rules_of("366"), member(), pts("69.5", late_pct=Decimal(21)))
    assert out.level == Level.NOT_COMPLETED
    assert r.POINTS_COMPLETED in evaluate(rules_of("366"), member(), pts(50)).rule_codes


def test_points_band_not_completed_below_50():
    out = evaluate(rules_of("366"), member(), pts("49.99"))
    assert out.level == Level.NOT_COMPLETED
    assert r.POINTS_NOT_COMPLETED in out.rule_codes


def test_points_band_completed_needs_every_task_done():
    assert evaluate(rules_of("366"), member(), pts(60, all_done=False)).level == "not_completed"


def test_collective_excellent_needs_no_discipline_under_366():
    facts = collective(leadership_disciplined=["Lò Văn A"], subordinates=4)
    out = evaluate(rules_of("366"), facts, pts(95))
    assert r.COLLECTIVE_NO_DISCIPLINE in out.rule_codes
    assert out.level == Level.WELL
    facts = collective(subordinates=4, subordinates_disciplined=1)
    assert evaluate(rules_of("366"), facts, pts(95)).level == Level.WELL


def test_collective_excellent_needs_members_completed_under_366():
    out = evaluate(rules_of("366"), collective(members_not_completed=1), pts(95))
    assert r.COLLECTIVE_MEMBERS_COMPLETED in out.rule_codes
    assert out.level == Level.WELL


def test_collective_proposal_from_the_monthly_average_under_366():
    out = evaluate(rules_of("366"), collective(monthly_average=Decimal("91.5")))
    assert out.level == Level.EXCELLENT


# --- 124 (and 132): grades -----------------------------------------------------------------


@pytest.mark.parametrize("code", GRADE_SETS)
def test_grades_take_the_level_given(code):
    assert evaluate(rules_of(code), member(), Inputs(level="completed")).level == "completed"


def test_grades_excellent_needs_targets_exceeded_under_124():
    inputs = Inputs(level=Level.EXCELLENT, on_time=True, exceeded_pct=Decimal(49))
    out = evaluate(rules_of("124"), member(), inputs)
    assert r.GRADES_EXCELLENT_TARGETS in out.rule_codes
    assert out.level == Level.WELL
    inputs = Inputs(level=Level.EXCELLENT, on_time=True, exceeded_pct=Decimal(50))
    assert evaluate(rules_of("124"), member(), inputs).level == Level.EXCELLENT
    inputs = Inputs(level=Level.EXCELLENT, on_time=False, exceeded_pct=Decimal(80))
    assert evaluate(rules_of("124"), member(), inputs).level == Level.WELL


def test_grades_excellent_needs_targets_exceeded_is_not_a_rule_of_132():
    inputs = Inputs(level=Level.EXCELLENT, exceeded_pct=Decimal(10))
    assert evaluate(rules_of("132"), member(), inputs).level == Level.EXCELLENT


def test_collective_weak_criterion_fails_under_124():
    out = evaluate(rules_of("124"), collective(), Inputs(level="well", weak_criterion=True))
    assert r.COLLECTIVE_WEAK_CRITERION in out.rule_codes
    assert out.level == Level.NOT_COMPLETED


def test_collective_targets_below_minimum_fail_under_124():
    inputs = Inputs(level="well", targets_met_pct=Decimal(49), main_targets_missed=True)
    out = evaluate(rules_of("124"), collective(), inputs)
    assert r.COLLECTIVE_TARGETS in out.rule_codes
    assert out.level == Level.NOT_COMPLETED
    inputs = Inputs(level="well", targets_met_pct=Decimal(49), main_targets_missed=False)
    assert evaluate(rules_of("124"), collective(), inputs).level == Level.WELL


def test_collective_leadership_disciplined_fails_under_124():
    out = evaluate(rules_of("124"), collective(leadership_disciplined=["Lò Văn A"]), given("124"))
    assert r.COLLECTIVE_LEADERSHIP in out.rule_codes
    assert out.level == Level.NOT_COMPLETED


def test_collective_disciplined_subordinates_fail_under_124_above_20_percent():
    facts = collective(subordinates=5, subordinates_disciplined=1)
    assert evaluate(rules_of("124"), facts, given("124")).level == Level.WELL
    facts = collective(subordinates=4, subordinates_disciplined=1)
    out = evaluate(rules_of("124"), facts, given("124"))
    assert r.COLLECTIVE_SUBORDINATES in out.rule_codes
    assert out.level == Level.NOT_COMPLETED


def test_collective_rules_of_124_do_not_apply_under_366():
    facts = collective(leadership_disciplined=["Lò Văn A"])
    assert evaluate(rules_of("366"), facts, pts(80)).level == Level.WELL


# --- two years running ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ALL_SETS)
def test_not_completed_two_years_running_flag(code):
    finding = flag_two_years(rules_of(code), Level.NOT_COMPLETED, Level.NOT_COMPLETED)
    assert finding is not None and finding.rule == r.NOT_COMPLETED_TWICE
    assert flag_two_years(rules_of(code), Level.COMPLETED, Level.NOT_COMPLETED) is None


def test_quarters_feed_the_year():
    facts = member(quarters={"1": Level.WELL, "2": Level.EXCELLENT})
    out = evaluate(rules_of("366"), facts, pts(80))
    assert r.QUARTERS_FEED_THE_YEAR in out.rule_codes
    assert out.level == Level.WELL
