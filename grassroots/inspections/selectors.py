"""Reads of the inspections app: the execution of the plans over a period and the
organizations disciplined, for the pages, the API, the exports and other apps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from grassroots.core.access import Action
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit

from .choices import Kind
from .models import InspectedMember, InspectedUnit, Inspection, OrganizationDiscipline, PlanItem


def disciplined_units(*, unit_ids, start: dt.date, end: dt.date) -> set[int]:
    """Of `unit_ids`, the units with an organization discipline (reprimand, warning,
    dissolution) decided within [start, end], both days included."""
    return set(
        OrganizationDiscipline.objects.filter(
            unit_id__in=list(unit_ids), decided_on__gte=start, decided_on__lte=end
        ).values_list("unit_id", flat=True)
    )


def rate(done: int, planned: int) -> Decimal | None:
    """Carried out ÷ planned in percent, one decimal; None when nothing was planned (a rate
    over 100% is shown as it is)."""
    if not planned:
        return None
    return (Decimal(done) * 100 / Decimal(planned)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class ExecutionRow:
    """One line of the execution: a kind at a level (the kind of the unit whose committee
    plans and carries out), or a total."""

    kind: str = ""
    level: str = ""
    planned: int = 0
    carried_out: int = 0
    unplanned: int = 0
    organizations: int = 0
    members: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rate(self.carried_out, self.planned)

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label) if self.kind else ""

    @property
    def level_label(self) -> str:
        return str(UnitKind(self.level).label) if self.level else ""

    def add(self, other: ExecutionRow) -> None:
        for name in ("planned", "carried_out", "unplanned", "organizations", "members"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Execution:
    """Execution of the inspection and supervision plans over [start, end].

    - planned: the planned numbers of the plan items whose period ends within the window;
    - carried out: the inspections recorded under those items that began by `end`;
    - unplanned: inspections without a plan item that began within the window;
    - organizations, members: subjects of the inspections (planned or not) that began within
      the window, counted once per inspection, as the reports count them ("294 organizations
      and 959 members"); `distinct_*` count each organization or member once."""

    start: dt.date
    end: dt.date
    unit: Unit | None
    rows: list[ExecutionRow] = field(default_factory=list)
    by_kind: list[ExecutionRow] = field(default_factory=list)
    total: ExecutionRow = field(default_factory=ExecutionRow)
    distinct_organizations: int = 0
    distinct_members: int = 0


LEVEL_ORDER = [k.value for k in UnitKind]


def inspection_execution(
    *, user, start: dt.date, end: dt.date, unit: Unit | None = None
) -> Execution:
    """The execution of the plans the user may see (of `unit`'s subtree when given) over
    [start, end], per kind and level, with the totals. Five grouped queries, whatever the
    number of plans and inspections."""
    items = PlanItem.objects.visible_to(user, Action.VIEW).filter(
        period_end__gte=start, period_end__lte=end
    )
    inspections = Inspection.objects.visible_to(user, Action.VIEW).filter(
        start_date__gte=start, start_date__lte=end
    )
    subject_units = InspectedUnit.objects.visible_to(user, Action.VIEW).filter(
        inspection__start_date__gte=start, inspection__start_date__lte=end
    )
    subject_members = InspectedMember.objects.visible_to(user, Action.VIEW).filter(
        inspection__start_date__gte=start, inspection__start_date__lte=end
    )
    if unit is not None:
        items = items.filter(plan__unit__path__startswith=unit.path)
        inspections = inspections.filter(unit__path__startswith=unit.path)
        subject_units = subject_units.filter(inspection__unit__path__startswith=unit.path)
        subject_members = subject_members.filter(inspection__unit__path__startswith=unit.path)

    rows: dict[tuple[str, str], ExecutionRow] = defaultdict(ExecutionRow)

    def row(kind: str, level: str) -> ExecutionRow:
        found = rows[(kind, level)]
        found.kind, found.level = kind, level
        return found

    for r in items.values("kind", "plan__unit__kind").annotate(n=Sum("planned_count")).order_by():
        row(r["kind"], r["plan__unit__kind"]).planned += r["n"] or 0
    done = Inspection.objects.filter(plan_item__in=items, start_date__lte=end)
    for r in (
        done.values("plan_item__kind", "plan_item__plan__unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(r["plan_item__kind"], r["plan_item__plan__unit__kind"]).carried_out += r["n"]
    for r in (
        inspections.filter(plan_item__isnull=True)
        .values("kind", "unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(r["kind"], r["unit__kind"]).unplanned += r["n"]
    for r in (
        subject_units.values("inspection__kind", "inspection__unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(r["inspection__kind"], r["inspection__unit__kind"]).organizations += r["n"]
    for r in (
        subject_members.values("inspection__kind", "inspection__unit__kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        row(r["inspection__kind"], r["inspection__unit__kind"]).members += r["n"]

    ordered = sorted(
        rows.values(),
        key=lambda r: (Kind.values.index(r.kind), LEVEL_ORDER.index(r.level)),
    )
    by_kind: dict[str, ExecutionRow] = {}
    total = ExecutionRow()
    for line in ordered:
        by_kind.setdefault(line.kind, ExecutionRow(kind=line.kind)).add(line)
        total.add(line)
    return Execution(
        start=start,
        end=end,
        unit=unit,
        rows=ordered,
        by_kind=list(by_kind.values()),
        total=total,
        distinct_organizations=subject_units.values("unit").distinct().count(),
        distinct_members=subject_members.values("member").distinct().count(),
    )
