"""Reads of the inspections app: the execution of the plans over a period and the
organizations disciplined, for the pages, the API, the exports and other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum

from grassroots.core.access import Action
from grassroots.core.querysets import path_q, role_paths
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
    [start, end], per kind and level, with the totals. Five queries whatever the number of
    plans and inspections, each a GROUP BY read as plain tuples: the planned numbers, the
    inspections carried out under the plans (joined, not looked up item by item), the
    unplanned ones, and the organizations and members inspected (grouped by subject as well,
    which gives the distinct subjects from the same rows)."""
    paths = role_paths(user, Action.VIEW)
    if paths is not None and not paths:
        return Execution(start=start, end=end, unit=unit)

    def scoped(queryset, field: str):
        if paths is not None:
            queryset = queryset.filter(path_q(field, paths))
        if unit is not None:
            queryset = queryset.filter(**{f"{field}__startswith": unit.path})
        return queryset.order_by()

    items = scoped(
        PlanItem.objects.filter(period_end__gte=start, period_end__lte=end), "plan__unit__path"
    )
    done = scoped(
        Inspection.objects.filter(
            plan_item__period_end__gte=start,
            plan_item__period_end__lte=end,
            start_date__lte=end,
        ),
        "plan_item__plan__unit__path",
    )
    unplanned = scoped(
        Inspection.objects.filter(
            start_date__gte=start, start_date__lte=end, plan_item__isnull=True
        ),
        "unit__path",
    )
    subject_units = scoped(
        InspectedUnit.objects.filter(
            inspection__start_date__gte=start, inspection__start_date__lte=end
        ),
        "inspection__unit__path",
    )
    subject_members = scoped(
        InspectedMember.objects.filter(
            inspection__start_date__gte=start, inspection__start_date__lte=end
        ),
        "inspection__unit__path",
    )

    rows: dict[tuple[str, str], ExecutionRow] = {}

    def row(kind: str, level: str) -> ExecutionRow:
        found = rows.get((kind, level))
        if found is None:
            found = rows[(kind, level)] = ExecutionRow(kind=kind, level=level)
        return found

    for kind, level, n in items.values_list("kind", "plan__unit__kind").annotate(
        n=Sum("planned_count")
    ):
        row(kind, level).planned += n or 0
    for kind, level, n in done.values_list(
        "plan_item__kind", "plan_item__plan__unit__kind"
    ).annotate(n=Count("id")):
        row(kind, level).carried_out += n
    for kind, level, n in unplanned.values_list("kind", "unit__kind").annotate(n=Count("id")):
        row(kind, level).unplanned += n
    organizations: set[int] = set()
    for kind, level, subject, n in subject_units.values_list(
        "inspection__kind", "inspection__unit__kind", "unit_id"
    ).annotate(n=Count("id")):
        row(kind, level).organizations += n
        organizations.add(subject)
    members: set[int] = set()
    for kind, level, subject, n in subject_members.values_list(
        "inspection__kind", "inspection__unit__kind", "member_id"
    ).annotate(n=Count("id")):
        row(kind, level).members += n
        members.add(subject)

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
        distinct_organizations=len(organizations),
        distinct_members=len(members),
    )
