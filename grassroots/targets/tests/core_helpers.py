"""Builders for the service, selector and API tests of the targets app: indicators of each
rule, resolutions and figures entered through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from grassroots.core.models import AuditEntry
from grassroots.targets import services
from grassroots.targets.choices import Aggregation, Direction, IndicatorGroup, ResolutionKind
from grassroots.targets.models import (
    DataValue,
    DataValueTransition,
    Indicator,
    Resolution,
    Target,
    TargetMilestone,
)

ISSUED = dt.date(2020, 10, 15)


def indicator(code: str, **fields) -> Indicator:
    data = dict(
        code=code,
        name_vi=f"Chỉ tiêu {code}",
        name_en=f"Indicator {code}",
        group=IndicatorGroup.ECONOMY,
        measure_unit="",
        decimals=1,
        direction=Direction.HIGHER,
        aggregation=Aggregation.SUM,
    )
    data.update(fields)
    return services.indicator_create(actor=None, **data)


def percent_indicator(code: str, **fields) -> Indicator:
    return indicator(code, **{"measure_unit": "%", "aggregation": Aggregation.NONE, **fields})


def resolution(unit, **fields) -> Resolution:
    data = dict(
        actor=None,
        unit=unit,
        number="12-NQ/ĐU",
        issued_on=ISSUED,
        title="Nghị quyết Đại hội nhiệm kỳ 2020–2025",
        kind=ResolutionKind.CONGRESS,
        start_year=2020,
        end_year=2025,
    )
    data.update(fields)
    return services.resolution_create(**data)


def target(res: Resolution, ind: Indicator, **fields) -> Target:
    data = dict(
        actor=None,
        resolution=res,
        indicator=ind,
        kind="level",
        target_value=Decimal("100"),
        target_year=2025,
    )
    data.update(fields)
    return services.target_create(**data)


def draft(ind: Indicator, unit, period: str, value=None, *, actor=None, **extra) -> DataValue:
    return services.data_value_save(
        actor=actor, indicator=ind, unit=unit, period=period, value=value, **extra
    )


def approved(ind: Indicator, unit, period: str, value=None, *, actor, **extra) -> DataValue:
    """A figure entered and submitted by the system (an import) and approved by `actor` (a
    manager at or above the unit): the person who enters a figure does not approve it."""
    saved = draft(ind, unit, period, value, actor=None, **extra)
    services.data_value_submit(actor=None, value=saved)
    return services.data_value_approve(actor=actor, value=saved)


def counts() -> tuple[int, ...]:
    """Rows of every table a targets service may write."""
    return (
        Resolution.objects.count(),
        Indicator.objects.count(),
        Target.objects.count(),
        TargetMilestone.objects.count(),
        DataValue.objects.count(),
        DataValueTransition.objects.count(),
        AuditEntry.objects.count(),
    )
