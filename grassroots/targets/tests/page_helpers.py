"""A small resolution of commune A for the page tests: four indicators of different kinds and
one target on each."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from grassroots.targets import services
from grassroots.targets.choices import (
    Aggregation,
    ComputedSource,
    Direction,
    IndicatorGroup,
    ReductionBasis,
    ResolutionKind,
    TargetKind,
)
from grassroots.targets.models import Indicator, Resolution, Target


@dataclass
class Plan:
    resolution: Resolution
    growth: Indicator
    poverty: Indicator
    schools: Indicator
    admitted: Indicator
    growth_target: Target
    poverty_target: Target
    schools_target: Target
    admitted_target: Target


def indicators() -> dict[str, Indicator]:
    make = services.indicator_create
    return {
        "growth": make(
            actor=None,
            code="ECO-GROWTH",
            name_vi="Tốc độ tăng trưởng kinh tế",
            name_en="Economic growth",
            group=IndicatorGroup.ECONOMY,
            measure_unit="%",
            decimals=1,
            direction=Direction.HIGHER,
            aggregation=Aggregation.NONE,
        ),
        "poverty": make(
            actor=None,
            code="SOC-POOR",
            name_vi="Tỷ lệ hộ nghèo",
            name_en="Poor households",
            group=IndicatorGroup.SOCIETY,
            measure_unit="%",
            decimals=1,
            direction=Direction.LOWER,
            aggregation=Aggregation.NONE,
        ),
        "schools": make(
            actor=None,
            code="SOC-SCHOOLS",
            name_vi="Trường đạt chuẩn quốc gia",
            name_en="Schools meeting the national standard",
            group=IndicatorGroup.SOCIETY,
            measure_unit="%",
            decimals=1,
            direction=Direction.HIGHER,
            aggregation=Aggregation.NONE,
        ),
        "admitted": make(
            actor=None,
            code="PARTY-ADMITTED",
            name_vi="Kết nạp đảng viên mới",
            name_en="New members admitted",
            group=IndicatorGroup.PARTY,
            measure_unit="người",
            decimals=0,
            direction=Direction.HIGHER,
            aggregation=Aggregation.SUM,
            computed=ComputedSource.MEMBERS_ADMITTED,
        ),
    }


def plan(unit, actor=None) -> Plan:
    found = indicators()
    resolution = services.resolution_create(
        actor=actor,
        unit=unit,
        number="12-NQ/ĐU",
        issued_on=dt.date(2020, 10, 15),
        title="Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2020–2025",
        kind=ResolutionKind.CONGRESS,
        start_year=2020,
        end_year=2025,
    )
    growth_target = services.target_create(
        actor=actor,
        resolution=resolution,
        indicator=found["growth"],
        kind=TargetKind.LEVEL,
        baseline_value=Decimal("5"),
        baseline_year=2020,
        target_value=Decimal("7"),
        target_year=2025,
        milestones={2022: Decimal("6"), 2024: Decimal("6.5")},
    )
    poverty_target = services.target_create(
        actor=actor,
        resolution=resolution,
        indicator=found["poverty"],
        kind=TargetKind.LEVEL,
        baseline_value=Decimal("36.1"),
        baseline_year=2020,
        target_value=Decimal("20"),
        target_year=2025,
        reduction_basis=ReductionBasis.FALL,
    )
    schools_target = services.target_create(
        actor=actor,
        resolution=resolution,
        indicator=found["schools"],
        kind=TargetKind.RATIO,
        target_value=Decimal("80"),
        target_year=2025,
    )
    admitted_target = services.target_create(
        actor=actor,
        resolution=resolution,
        indicator=found["admitted"],
        kind=TargetKind.CUMULATIVE,
        target_value=Decimal("40"),
        target_year=2025,
    )
    return Plan(
        resolution,
        found["growth"],
        found["poverty"],
        found["schools"],
        found["admitted"],
        growth_target,
        poverty_target,
        schools_target,
        admitted_target,
    )


def approved(indicator, unit, period: str, value, actor, **extra):
    """A figure entered and submitted by the system (an import) and approved by `actor` (a
    manager above the unit): the person who enters a figure does not approve it."""
    saved = services.data_value_save(
        actor=None, indicator=indicator, unit=unit, period=period, value=value, **extra
    )
    services.data_value_submit(actor=None, value=saved)
    return services.data_value_approve(actor=actor, value=saved)
