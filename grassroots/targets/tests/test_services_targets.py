"""Targets of a resolution: numbered, with baseline, range and milestones, and refused when
they could not be reviewed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import Aggregation, ChangeBasis, Direction, TargetKind

from .core_helpers import counts, indicator, percent_indicator, resolution, target


@pytest.fixture
def res(tree):
    return resolution(tree.commune_a)


def test_targets_are_numbered_in_order_with_their_milestones(res, tree, editor_a):
    first = target(res, indicator("ECO-A"), actor=editor_a, milestones={2022: "50", 2024: Decimal("80")})
    second = target(res, percent_indicator("SOC-B"), unit=tree.cell_a1)
    assert (first.position, second.position) == (1, 2)
    assert first.unit == tree.commune_a and second.unit == tree.cell_a1
    assert [(m.year, m.value) for m in first.milestones.all()] == [(2022, Decimal(50)), (2024, Decimal(80))]
    assert AuditEntry.objects.for_object(first).get().actor == editor_a


def test_an_average_yearly_change_reads_rates_by_default(res):
    growth = target(res, percent_indicator("ECO-G"), kind=TargetKind.ANNUAL_CHANGE, target_value="7")
    assert growth.change_basis == ChangeBasis.RATE
    level = target(res, indicator("ECO-L"))
    assert level.change_basis == ""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "wish"}, "kind"),
        ({"target_value": "abc"}, "target_value"),
        ({"target_value": None}, "target_value"),
        ({"target_value": "3", "target_value_high": "2"}, "target_value_high"),
        ({"target_year": 2030}, "target_year"),
        ({"baseline_value": "5"}, "baseline_year"),
        ({"baseline_value": "5", "baseline_year": 2022}, "baseline_year"),
        ({"kind": TargetKind.ANNUAL_CHANGE, "change_basis": ChangeBasis.POINTS}, "baseline_value"),
        ({"kind": TargetKind.ANNUAL_CHANGE, "change_basis": ChangeBasis.COMPOUND, "baseline_value": "0",
          "baseline_year": 2020}, "baseline_value"),
        ({"change_basis": ChangeBasis.POINTS}, "change_basis"),
        ({"position": 0}, "position"),
        ({"milestones": {2031: "5"}}, "milestones"),
        ({"milestones": {2022: "many"}}, "milestones"),
    ],
)
def test_a_target_that_could_not_be_reviewed_is_refused_and_nothing_is_written(res, fields, field):
    ind = indicator("ECO-A")
    before = counts()
    with pytest.raises(ValidationError) as refused:
        target(res, ind, **fields)
    assert field in refused.value.message_dict
    assert counts() == before


def test_a_target_is_set_for_the_resolutions_unit_or_below(res, tree):
    with pytest.raises(ValidationError) as refused:
        target(res, indicator("ECO-A"), unit=tree.commune_b)
    assert "unit" in refused.value.message_dict


def test_two_targets_cannot_share_a_number(res):
    target(res, indicator("ECO-A"), position=3)
    with pytest.raises(ValidationError) as refused:
        target(res, indicator("ECO-B"), position=3)
    assert "position" in refused.value.message_dict


def test_shares_cannot_be_added_over_the_term(res):
    hh = indicator("SOC-HH")
    poor = indicator("SOC-PHH")
    share = indicator("SOC-P", measure_unit="%", aggregation=Aggregation.RATIO, numerator=poor, denominator=hh)
    with pytest.raises(ValidationError) as refused:
        target(res, share, kind=TargetKind.CUMULATIVE)
    assert "kind" in refused.value.message_dict


def test_a_correction_replaces_the_milestones_when_given(res):
    t = target(res, indicator("ECO-A"), milestones={2022: "50", 2023: "60"})
    services.target_update(actor=None, target=t, target_value="120", milestones={2023: "65", 2024: "90"})
    t.refresh_from_db()
    assert t.target_value == Decimal(120)
    assert [(m.year, m.value) for m in t.milestones.all()] == [(2023, Decimal(65)), (2024, Decimal(90))]
    services.target_update(actor=None, target=t, note="Giữ nguyên")
    assert t.milestones.count() == 2


def test_a_correction_is_checked_like_a_new_target(res):
    t = target(res, indicator("ECO-A", direction=Direction.LOWER))
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.target_update(actor=None, target=t, target_year=2019)
    assert "target_year" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.target_update(actor=None, target=t, resolution=None)
    assert "resolution" in refused.value.message_dict
    assert counts() == before
