"""Reads of the inspections app: the execution of the plans over a period and the
organizations disciplined, for the pages, the API, the exports and other apps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Sum

from grassroots.core.access import Action
from grassroots.core.db import count_per_row
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
    [start, end], per kind and level, with the totals. Four queries whatever the number of
    plans and inspections: the plan items grouped by kind and level with their planned numbers
    and the inspections carried out under them (counted per item through its index), the
    unplanned inspections grouped likewise, and the organizations and the members inspected,
    each one aggregate row: a count per kind and level and the distinct subjects."""
    paths = role_paths(user, Action.VIEW)
    if paths is not None and not paths:
        return Execution(start=start, end=end, unit=unit)

    def scoped(queryset, field: str):
        if paths is not None:
            queryset = queryset.filter(path_q(field, paths))
        if unit is not None:
            queryset = queryset.filter(**{f"{field}__startswith": unit.path})
        return queryset.order_by()

    carried_out = count_per_row(
        Inspection.objects.filter(plan_item=OuterRef("pk"), start_date__lte=end), "plan_item"
    )
    items = scoped(
        PlanItem.objects.filter(period_end__gte=start, period_end__lte=end), "plan__unit__path"
    ).annotate(done=carried_out)
    unplanned = scoped(
        Inspection.objects.filter(
            start_date__gte=start, start_date__lte=end, plan_item__isnull=True
        ),
        "unit__path",
    )

    rows: dict[tuple[str, str], ExecutionRow] = {}

    def row(kind: str, level: str) -> ExecutionRow:
        found = rows.get((kind, level))
        if found is None:
            found = rows[(kind, level)] = ExecutionRow(kind=kind, level=level)
        return found

    for kind, level, planned, done in items.values_list("kind", "plan__unit__kind").annotate(
        planned=Sum("planned_count"), n=Sum("done")
    ):
        line = row(kind, level)
        line.planned += planned or 0
        line.carried_out += done or 0
    for kind, level, n in unplanned.values_list("kind", "unit__kind").annotate(n=Count("id")):
        row(kind, level).unplanned += n

    def subjects(model, subject: str, attribute: str) -> int:
        """Count the subjects per kind and level into the rows, in one aggregate row, and
        return how many different subjects there were."""
        found = scoped(
            model.objects.filter(
                inspection__start_date__gte=start, inspection__start_date__lte=end
            ),
            "inspection__unit__path",
        )
        combos = [(kind, level) for kind in Kind.values for level in LEVEL_ORDER]
        counts = found.aggregate(
            distinct=Count(subject, distinct=True),
            **{
                f"n{i}": Count("id", filter=Q(inspection__kind=kind, inspection__unit__kind=level))
                for i, (kind, level) in enumerate(combos)
            },
        )
        for i, (kind, level) in enumerate(combos):
            if counts[f"n{i}"]:
                line = row(kind, level)
                setattr(line, attribute, getattr(line, attribute) + counts[f"n{i}"])
        return counts["distinct"] or 0

    distinct_organizations = subjects(InspectedUnit, "unit_id", "organizations")
    distinct_members = subjects(InspectedMember, "member_id", "members")

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
        distinct_organizations=distinct_organizations,
        distinct_members=distinct_members,
    )
