"""The demo's resolutions reproduce the published reviews from the figures and the records:
Si Ma Cai 13/22 and 9/22 on 30 April 2024; Hà Giang's bloc 9/10 on 2 June 2023 with 338 new
members = 84.5% counted from the member ledger; Mường Hum's and Đồng Thái's figures by year,
Đồng Thái's rolled up through the merge.

The demo is loaded once for the package (see conftest.py); each test runs in a savepoint inside
that load.
"""

import datetime as dt
from decimal import Decimal

import pytest

from grassroots.demo import data, targets_demo
from grassroots.organizations.models import Unit
from grassroots.targets.choices import Band, ReviewKind, ValueState
from grassroots.targets.models import AdoptedReview, DataValue, Indicator, Resolution
from grassroots.targets.selectors import indicator_value, resolution_review

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def value(code: str, unit_code: str, period: str) -> Decimal | None:
    return indicator_value(
        indicator=Indicator.objects.get(code=code), unit=unit(unit_code), period=period
    )


def row_of(review, code: str):
    return next(r for r in review.rows if r.target.indicator.code == code)


def test_the_command_reports_the_resolutions(demo):
    assert "Resolutions: 4 (41 targets)" in demo


def test_si_ma_cai_mid_term_review_gives_13_of_22_met_and_9_of_22_near(demo):
    resolution = Resolution.objects.get(unit__code=targets_demo.SI_MA_CAI_CODE, number="01-NQ/ĐH")
    review = resolution_review(resolution=resolution, as_of=targets_demo.SI_MA_CAI_REVIEW_ON)
    assert review.total == 22
    assert review.counts == {Band.MET: 13, Band.NEAR: 9, Band.BELOW: 0, Band.NO_DATA: 0}
    assert review.sentences("vi") == [
        "Đạt và vượt 13/22 chỉ tiêu (≥ 100%); 9/22 chỉ tiêu đạt từ 70% trở lên"
    ]
    assert review.sentences("en") == [
        "13 of 22 targets achieved or exceeded (≥ 100%); 9 of 22 achieved 70% or more"
    ]


def test_the_demo_reviews_of_si_ma_cai_and_ha_giang_are_adopted_ones(demo):
    si_ma_cai = AdoptedReview.objects.get(resolution__unit__code=targets_demo.SI_MA_CAI_CODE)
    assert (si_ma_cai.kind, si_ma_cai.as_of, si_ma_cai.total) == (
        ReviewKind.MID_TERM,
        dt.date(2024, 4, 30),
        22,
    )
    assert (
        si_ma_cai.counts[Band.MET],
        si_ma_cai.counts[Band.NEAR],
        si_ma_cai.adopted_by.username,
    ) == (13, 9, "manager")
    assert si_ma_cai.sentences_vi == [
        "Đạt và vượt 13/22 chỉ tiêu (≥ 100%); 9/22 chỉ tiêu đạt từ 70% trở lên"
    ]
    assert si_ma_cai.rows.count() == 22
    bloc = AdoptedReview.objects.get(resolution__unit__code=data.BLOC_CODE)
    assert (bloc.kind, bloc.as_of, bloc.counts[Band.MET], bloc.total) == (
        ReviewKind.MID_TERM,
        dt.date(2023, 6, 2),
        9,
        10,
    )
    admitted = bloc.rows.get(indicator_code="PAR-ADMITTED")
    assert (admitted.actual, admitted.percent, admitted.band) == (
        Decimal(338),
        Decimal("84.50"),
        Band.NEAR,
    )


def test_si_ma_cai_holds_every_figure_of_the_working_session(demo):
    resolution = Resolution.objects.get(unit__code=targets_demo.SI_MA_CAI_CODE, number="01-NQ/ĐH")
    review = resolution_review(resolution=resolution, as_of=targets_demo.SI_MA_CAI_REVIEW_ON)
    assert value("ECO-GROWTH", "LCA-SMC", "2023") == Decimal("10.5")
    assert value("ECO-VALUE-HA", "LCA-SMC", "2023") == Decimal(48)
    communes = row_of(review, "ECO-NTM-COMMUNES").achievement
    assert (communes.numerator, communes.denominator) == (Decimal(4), Decimal(9))
    poverty = row_of(review, "SOC-POOR").achievement
    assert poverty.actual == Decimal("7.00")  # percentage points a year since 2020
    labour = row_of(review, "SOC-LABOUR")
    assert (labour.achievement.actual, labour.target.target_value) == (Decimal(59), Decimal(50))
    assert labour.achievement.actual - labour.target.target_value == 9
    schools = row_of(review, "SOC-SCHOOLS").achievement
    assert (schools.numerator, schools.denominator, schools.actual_period) == (
        Decimal(30),
        Decimal(41),
        "202403",
    )
    assert row_of(review, "SOC-HEALTH-INS").achievement.actual == Decimal("97.4")
    villages = row_of(review, "PAR-VILLAGE-CELLS").achievement
    # Computed from the unit register: 27 village cells for the 27 villages of the demo's communes.
    assert (villages.actual, villages.numerator, villages.denominator) == (
        Decimal(100),
        Decimal(27),
        Decimal(27),
    )
    assert villages.actual_on == targets_demo.SI_MA_CAI_REVIEW_ON
    committees = row_of(review, "PAR-CELL-COMMITTEES-RPT").achievement
    assert committees.actual > 95


def test_ha_giang_bloc_mid_term_review_gives_9_of_10_and_338_admissions_from_the_ledger(demo):
    resolution = Resolution.objects.get(unit__code=data.BLOC_CODE)
    review = resolution_review(resolution=resolution, as_of=targets_demo.BLOC_REVIEW_ON)
    assert review.total == 10
    assert review.counts[Band.MET] == 9
    assert review.sentences("vi")[0].startswith("Đạt và vượt 9/10 chỉ tiêu")
    admitted = row_of(review, "PAR-ADMITTED")
    assert admitted.target.target_value == 400
    assert (admitted.achievement.actual, admitted.achievement.percent) == (
        Decimal(338),
        Decimal("84.50"),
    )
    assert admitted.band == Band.NEAR
    assert not DataValue.objects.filter(indicator__code="PAR-ADMITTED").exists()
    inspections = row_of(review, "PAR-INSPECTION-PLAN").achievement
    assert (inspections.numerator, inspections.denominator, inspections.actual) == (
        Decimal(891),
        Decimal(934),
        Decimal("95.3961"),
    )


def test_muong_hum_figures_of_2023(demo):
    expected = {
        "ECO-INCOME": "32.5",
        "SOC-POOR": "36.1",
        "ECO-GRAIN": "1320",
        "SOC-LABOUR": "62.65",
        "SOC-HEALTH-INS": "95",
        "SOC-SCHOOLS": "100",
        "ENV-FOREST": "58.3",
        "SOC-CULTURAL-VILLAGES": "100",
    }
    for code, figure in expected.items():
        assert value(code, data.MUONG_HUM_CODE, "2023") == Decimal(figure), code
    resolution = Resolution.objects.get(unit__code=data.MUONG_HUM_CODE)
    review = resolution_review(resolution=resolution, as_of=dt.date(2024, 1, 31))
    assert review.total == 9 and review.counts[Band.NO_DATA] == 0


def test_dong_thai_series_is_rolled_up_from_its_three_predecessors_through_the_merge(demo):
    dong_thai = data.DONG_THAI_CODE
    assert not DataValue.objects.filter(unit__code=dong_thai).exists()
    production = value("ECO-PROD-VALUE", dong_thai, "2024")
    assert production > 2100
    assert production == sum(
        value("ECO-PROD-VALUE", code, "2024") for code in data.MERGED_INTO_DONG_THAI
    )
    assert value("ECO-INCOME", dong_thai, "2024").quantize(Decimal("0.1")) == Decimal("71.1")
    growth = [value("ECO-GROWTH", dong_thai, str(year)) for year in range(2021, 2025)]
    assert (sum(growth) / 4).quantize(Decimal("0.1")) == Decimal("7.0")
    assert value("ECO-NTM-ADVANCED", dong_thai, "2024") == 3
    assert value("ECO-NTM-MODEL-VILLAGES", dong_thai, "2024") == 19


def test_the_demo_figures_are_approved_with_their_history(demo):
    values = DataValue.objects.all()
    assert values.count() > 150
    assert not values.exclude(state=ValueState.APPROVED).exists()
    smc = values.filter(unit__code="LCA-SMC").first()
    assert smc.approved_level.code == "LCA"
    assert [t.to_state for t in smc.transitions.order_by("id")] == [
        "draft",
        "submitted",
        "approved",
    ]
    assert values.filter(unit__code=data.MUONG_HUM_CODE).first().entered_by.username == "office"


def test_the_province_resolution_22_nq_tu_ended_under_a_decision(demo):
    old = Resolution.objects.get(number="22-NQ/TU")
    assert (old.issued_on, old.status, old.end_decision_issuer) == (
        dt.date(2014, 11, 11),
        "ended",
        "Ban Thường vụ Tỉnh ủy Lào Cai",
    )
