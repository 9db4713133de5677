"""Targets of a resolution: numbered, with baseline, range and milestones, and refused when
they could not be reviewed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import (
    Aggregation,
    ChangeBasis,
    Direction,
    ReductionBasis,
    TargetKind,
)

from .core_helpers import counts, indicator, percent_indicator, resolution, target


@pytest.fixture
def res(tree):
    return resolution(tree.commune_a)


def test_targets_are_numbered_in_order_with_their_milestones(res, tree, editor_a):
    first = target(
        res, indicator("ECO-A"), actor=editor_a, milestones={2022: "50", 2024: Decimal("80")}
    )
    second = target(res, percent_indicator("SOC-B"), unit=tree.cell_a1)
    assert (first.position, second.position) == (1, 2)
    assert first.unit == tree.commune_a and second.unit == tree.cell_a1
    assert [(m.year, m.value) for m in first.milestones.all()] == [
        (2022, Decimal(50)),
        (2024, Decimal(80)),
    ]
    assert AuditEntry.objects.for_object(first).get().actor == editor_a


def test_an_average_yearly_change_reads_rates_by_default(res):
    growth = target(
        res, percent_indicator("ECO-G"), kind=TargetKind.ANNUAL_CHANGE, target_value="7"
    )
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
        (
            {
                "kind": TargetKind.ANNUAL_CHANGE,
                "change_basis": ChangeBasis.COMPOUND,
                "baseline_value": "0",
                "baseline_year": 2020,
            },
            "baseline_value",
        ),
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
    share = indicator(
        "SOC-P", measure_unit="%", aggregation=Aggregation.RATIO, numerator=poor, denominator=hh
    )
    with pytest.raises(ValidationError) as refused:
        target(res, share, kind=TargetKind.CUMULATIVE)
    assert "kind" in refused.value.message_dict


def test_a_correction_replaces_the_milestones_when_given(res):
    t = target(res, indicator("ECO-A"), milestones={2022: "50", 2023: "60"})
    services.target_update(
        actor=None, target=t, target_value="120", milestones={2023: "65", 2024: "90"}
    )
    t.refresh_from_db()
    assert t.target_value == Decimal(120)
    assert [(m.year, m.value) for m in t.milestones.all()] == [
        (2023, Decimal(65)),
        (2024, Decimal(90)),
    ]
    services.target_update(actor=None, target=t, note="Giữ nguyên")
    assert t.milestones.count() == 2


def test_a_correction_is_checked_like_a_new_target(res):
    t = target(
        res, indicator("ECO-A", direction=Direction.LOWER), reduction_basis=ReductionBasis.LEVEL
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.target_update(actor=None, target=t, target_year=2019)
    assert "target_year" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.target_update(actor=None, target=t, resolution=None)
    assert "resolution" in refused.value.message_dict
    assert counts() == before


# --- how a reduction is judged -------------------------------------------------------------------


def test_a_lower_is_better_level_must_state_how_it_is_judged(res):
    poverty = percent_indicator("SOC-POOR", direction=Direction.LOWER)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        target(res, poverty, target_value="20", baseline_value="36.1", baseline_year=2020)
    assert "reduction_basis" in refused.value.message_dict
    assert counts() == before
    made = target(
        res, poverty, kind=TargetKind.RATIO, target_value="20", reduction_basis=ReductionBasis.LEVEL
    )
    assert made.reduction_basis == ReductionBasis.LEVEL


def test_a_share_of_the_promised_fall_without_a_baseline_is_refused_naming_the_baseline(res):
    poverty = percent_indicator("SOC-POOR", direction=Direction.LOWER)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        target(res, poverty, target_value="20", reduction_basis=ReductionBasis.FALL)
    assert "baseline" in refused.value.message_dict["baseline_value"][0]
    with pytest.raises(ValidationError) as refused:
        target(
            res,
            poverty,
            target_value="20",
            baseline_value="15",
            baseline_year=2020,
            reduction_basis=ReductionBasis.FALL,
        )
    assert "above the target" in refused.value.message_dict["baseline_value"][0]
    assert counts() == before


def test_only_a_lower_is_better_level_or_share_is_judged_as_a_reduction(res):
    higher = indicator("ECO-A")
    lower = indicator("ECO-B", direction=Direction.LOWER)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        target(res, higher, target_value="20", reduction_basis=ReductionBasis.LEVEL)
    assert "reduction_basis" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        target(
            res,
            lower,
            kind=TargetKind.CUMULATIVE,
            target_value="20",
            reduction_basis=ReductionBasis.LEVEL,
        )
    assert "reduction_basis" in refused.value.message_dict
    assert counts() == before


def test_changing_a_target_to_another_kind_drops_how_a_reduction_was_judged(res):
    lower = indicator("ECO-B", direction=Direction.LOWER)
    t = target(
        res,
        lower,
        target_value="20",
        baseline_value="30",
        baseline_year=2020,
        reduction_basis=ReductionBasis.FALL,
    )
    services.target_update(actor=None, target=t, kind=TargetKind.CUMULATIVE)
    t.refresh_from_db()
    assert (t.kind, t.reduction_basis) == (TargetKind.CUMULATIVE, "")
    services.target_update(
        actor=None, target=t, kind=TargetKind.LEVEL, reduction_basis=ReductionBasis.LEVEL
    )
    t.refresh_from_db()
    assert t.reduction_basis == ReductionBasis.LEVEL


def test_existing_targets_state_the_judgement_that_gives_todays_results(res):
    """The data migration: a lower-is-better level or share with a baseline above the target was
    judged by the share of the fall, any other by the level reached; the rest state nothing."""
    import importlib

    from django.apps import apps

    from grassroots.targets.models import Target

    migration = importlib.import_module(
        "grassroots.targets.migrations.0003_target_reduction_basis_from_todays_results"
    )
    lower = indicator("SOC-POOR", direction=Direction.LOWER)
    fall = target(
        res,
        lower,
        target_value="20",
        baseline_value="36.1",
        baseline_year=2020,
        reduction_basis=ReductionBasis.FALL,
    )
    level_with_baseline = target(
        res,
        lower,
        target_value="20",
        baseline_value="15",
        baseline_year=2020,
        reduction_basis=ReductionBasis.LEVEL,
    )
    level = target(
        res, lower, kind=TargetKind.RATIO, target_value="20", reduction_basis=ReductionBasis.LEVEL
    )
    total = target(res, lower, kind=TargetKind.CUMULATIVE, target_value="20")
    higher = target(
        res, indicator("ECO-A"), target_value="20", baseline_value="30", baseline_year=2020
    )
    Target.objects.update(reduction_basis="")
    migration.state_todays_judgement(apps, None)
    found = dict(Target.objects.values_list("pk", "reduction_basis"))
    assert found == {
        fall.pk: "fall",
        level_with_baseline.pk: "level",
        level.pk: "level",
        total.pk: "",
        higher.pk: "",
    }
