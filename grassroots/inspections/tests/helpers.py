"""Builders for the inspections tests: a plan of commune A, members admitted through the
ledger, an inspection recorded and concluded through the services."""

from __future__ import annotations

import datetime as dt

from grassroots.inspections import services
from grassroots.inspections.models import (
    InspectedMember,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    OrganizationDiscipline,
    PlanItem,
)
from grassroots.members.models import MemberEvent
from grassroots.members.tests.ledger_helpers import admit_on

__all__ = ["admit_on", "counts", "plan", "item", "inspection", "concluded"]

DAY = dt.date(2023, 4, 10)


def counts() -> tuple[int, ...]:
    """Rows of every table an inspections service may write."""
    return tuple(
        m.objects.count()
        for m in (
            InspectionPlan,
            PlanItem,
            Inspection,
            InspectedUnit,
            InspectedMember,
            OrganizationDiscipline,
            MemberEvent,
        )
    )


def plan(unit, *, body="committee", year=2023, actor=None) -> InspectionPlan:
    return services.plan_create(actor=actor, unit=unit, body=body, year=year)


def item(unit, *, planned_count=2, kind="inspection", form="regular", subjects="both", **kw):
    return services.plan_item_add(
        actor=kw.pop("actor", None),
        plan=kw.pop("plan", None) or plan(unit),
        kind=kind,
        form=form,
        subjects=subjects,
        planned_count=planned_count,
        period_start=kw.pop("period_start", dt.date(2023, 1, 1)),
        period_end=kw.pop("period_end", dt.date(2023, 6, 30)),
        content=kw.pop("content", "Chấp hành Điều lệ Đảng"),
    )


def inspection(unit, *, units=(), members=(), plan_item=None, actor=None, **kw) -> Inspection:
    data = dict(
        actor=actor,
        unit=unit,
        body="committee",
        kind="inspection",
        form="regular",
        content="Việc chấp hành Điều lệ Đảng",
        team="Đồng chí Lò Văn Kiểm (trưởng đoàn)",
        start_date=DAY,
        end_date=DAY + dt.timedelta(days=5),
        plan_item=plan_item,
        units=units,
        members=members,
    )
    if plan_item is not None:
        data.update(kind=plan_item.kind, form=plan_item.form)
    data.update(kw)
    return services.inspection_record(**data)


def concluded(unit, *, units=(), members=(), violation=True, proposed="", **kw) -> Inspection:
    """An inspection whose every subject concluded (a violation, serious, when `violation`)."""
    found = inspection(unit, units=units, members=members, **kw)
    for subject in [*found.subject_units.all(), *found.subject_members.all()]:
        services.subject_conclude(
            actor=None,
            subject=subject,
            conclusion="violation" if violation else "no_violation",
            gravity="serious" if violation else "",
            proposed_discipline=proposed,
        )
    services.inspection_conclude(
        actor=None,
        inspection=found,
        concluded_on=found.end_date,
        findings="Sinh hoạt chi bộ không đều",
    )
    found.refresh_from_db()
    return found
