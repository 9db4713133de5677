"""The facts the rules read from the records, for many members and collectives at once.

A province's or the country's classification covers hundreds of thousands of collectives and
millions of members: read one by one (a dozen queries a collective) it took hours at national
size. Here each kind of record is read in one query for a whole batch of reviews, or for the
whole run when it is rare (leave, exemption, discipline, earlier decisions), and the facts are
built from dictionaries keyed by member or unit. A single review, or a single member, is the
same code with a batch of one."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from grassroots.assessments.selectors import year_figures
from grassroots.members.choices import EventKind
from grassroots.members.models import MemberEvent, Membership
from grassroots.organizations.models import Unit

from .choices import CircumstanceKind, Level, Subject
from .models import Circumstance, Classification
from .rules import Facts


def _overlap_days(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    lo = max(start, first)
    hi = min(end or last, last)
    return max((hi - lo).days + 1, 0)


def members_in_period(unit: Unit, first: dt.date, last: dt.date):
    """The ids of the members in a cell of `unit`'s subtree at some time in the period, as a
    subquery (the database joins it; nothing is read into Python)."""
    return (
        Membership.objects.filter(unit__path__startswith=unit.path, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gt=first))
        .values("member_id")
    )


@dataclass
class MemberRecords:
    """The records of a period that can change a member's facts, keyed by member id. Most
    members have none of them: those members' facts differ only by their admission date."""

    circumstances: dict[int, list[Circumstance]] = field(default_factory=dict)
    disciplines: dict[int, list[dict]] = field(default_factory=dict)
    quarters: dict[int, dict[str, str]] = field(default_factory=dict)

    def has_any(self, member_id: int) -> bool:
        return (
            member_id in self.circumstances
            or member_id in self.disciplines
            or member_id in self.quarters
        )

    # The same members as a condition on a `member_id` column (the database reads them
    # itself rather than a list of thousands of ids); None: no member has a record.
    which: Q | None = None


def member_records(*, members, first: dt.date, last: dt.date, year: int, quarter: int | None):
    """The circumstances, disciplines and quarterly decisions of `members` (ids, or a subquery
    of them) over the period, three queries whatever their number."""
    circumstances: dict[int, list[Circumstance]] = defaultdict(list)
    of_circumstances = Circumstance.objects.filter(
        member_id__in=members, member__isnull=False, start__lte=last
    ).filter(Q(end__isnull=True) | Q(end__gte=first))
    for c in of_circumstances:
        circumstances[c.member_id].append(c)
    disciplines: dict[int, list[dict]] = defaultdict(list)
    of_disciplines = MemberEvent.objects.filter(
        member_id__in=members, kind=EventKind.DISCIPLINE, date__range=(first, last)
    )
    for member_id, day, level in of_disciplines.values_list(
        "member_id", "date", "discipline_level"
    ):
        disciplines[member_id].append({"date": day.isoformat(), "level": level})
    quarters: dict[int, dict[str, str]] = defaultdict(dict)
    of_quarters = (
        Classification.objects.filter(
            member_id__in=members, year=year, quarter__isnull=False, subject=Subject.MEMBER
        ).exclude(decided_level="")
        if quarter is None
        else Classification.objects.none()
    )
    for member_id, q, level in of_quarters.values_list("member_id", "quarter", "decided_level"):
        quarters[member_id][str(q)] = level
    which = None
    for rows, found in (
        (of_circumstances, circumstances),
        (of_disciplines, disciplines),
        (of_quarters, quarters),
    ):
        if found:
            found_here = Q(member_id__in=rows.values("member_id"))
            which = found_here if which is None else which | found_here
    return MemberRecords(dict(circumstances), dict(disciplines), dict(quarters), which)


def member_facts(
    member_id: int, admitted_on: dt.date | None, records: MemberRecords, review
) -> Facts:
    """A member's facts for `review` from the records read for it."""
    first, last = review.period
    facts = Facts(review_date=review.review_date)
    facts.admitted_on = admitted_on
    for c in records.circumstances.get(member_id, ()):
        covers = c.start <= review.review_date and (c.end is None or c.end >= review.review_date)
        if c.kind == CircumstanceKind.EXEMPTED and covers:
            facts.exempted = True
        elif c.kind == CircumstanceKind.SUSPENDED and covers:
            facts.suspended = True
        elif c.kind == CircumstanceKind.SICK_LEAVE:
            facts.sick_leave_days += _overlap_days(c.start, c.end, first, last)
        elif c.kind == CircumstanceKind.MATERNITY_LEAVE:
            facts.maternity_days += _overlap_days(c.start, c.end, first, last)
    facts.disciplines = list(records.disciplines.get(member_id, ()))
    facts.quarters = dict(records.quarters.get(member_id, {}))
    return facts


def not_completed_below(*, unit: Unit, year: int, quarter: int | None) -> Counter:
    """Unit id → how many members in its subtree were decided "did not complete" (for the
    year, or the quarter): one query over the few such decisions under `unit`, each counted for
    every unit on its cell's path."""
    counts: Counter = Counter()
    for path in Classification.objects.filter(
        unit__path__startswith=unit.path,
        subject=Subject.MEMBER,
        year=year,
        quarter=quarter,
        decided_level=Level.NOT_COMPLETED,
    ).values_list("unit__path", flat=True):
        counts.update(int(part) for part in path.strip("/").split("/"))
    return counts


def collective_facts(
    ids: list[int],
    *,
    year: int,
    quarter: int | None,
    period: tuple[dt.date, dt.date],
    review_date: dt.date,
    not_completed: Counter,
    among=None,
) -> dict[int, Facts]:
    """Unit id → the facts of each collective of `ids` for a review of the period: its
    leadership's discipline, its subordinate units and theirs, its own, the "4 good" months
    and the quarters (for the year), and its members who did not complete — a query each for
    all the units together. `among`: the same units as a subquery, for the queries to read
    instead of the list of ids."""
    among = ids if among is None else among
    from grassroots.committees.models import CommitteeSeat

    first, last = period
    leaders: dict[int, set[str]] = defaultdict(set)
    for unit_id, name in (
        CommitteeSeat.objects.filter(committee__unit_id__in=among, member__isnull=False)
        .filter(Q(from_date__isnull=True) | Q(from_date__lte=last))
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=first))
        .filter(
            member__events__kind=EventKind.DISCIPLINE,
            member__events__date__range=(first, last),
        )
        .values_list("committee__unit_id", "member__full_name")
        .distinct()
    ):
        leaders[unit_id].add(name)
    children = dict(
        Unit.objects.filter(parent_id__in=among, valid_from__lte=last)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
        .values_list("parent_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    disciplined = Circumstance.objects.filter(
        kind=CircumstanceKind.ORGANIZATION_DISCIPLINED, start__range=(first, last)
    )
    own: dict[int, list[dict]] = defaultdict(list)
    for unit_id, day in disciplined.filter(unit_id__in=among).values_list("unit_id", "start"):
        own[unit_id].append({"date": day.isoformat(), "level": "organization"})
    below = dict(
        disciplined.filter(unit__parent_id__in=among, unit__valid_from__lte=last)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=first))
        .values_list("unit__parent_id")
        .annotate(n=Count("unit_id", distinct=True))
        .order_by()
    )
    figures = year_figures(units=among, year=year) if quarter is None else {}
    quarters: dict[int, dict[str, str]] = defaultdict(dict)
    if quarter is None:
        for unit_id, q, level in (
            Classification.objects.filter(
                unit_id__in=among, year=year, subject=Subject.COLLECTIVE, quarter__isnull=False
            )
            .exclude(decided_level="")
            .values_list("unit_id", "quarter", "decided_level")
        ):
            quarters[unit_id][str(q)] = level
    out = {}
    for unit_id in ids:
        facts = Facts(collective=True, review_date=review_date)
        facts.leadership_disciplined = sorted(leaders.get(unit_id, ()))
        facts.disciplines = own.get(unit_id, [])
        facts.subordinates = children.get(unit_id, 0)
        facts.subordinates_disciplined = below.get(unit_id, 0)
        figure = figures.get(unit_id)
        if figure is not None:
            facts.months_assessed = figure.accepted
            facts.monthly_average = figure.value
            facts.months_band = figure.band_label
        if quarter is None:
            facts.quarters = quarters.get(unit_id, {})
        facts.members_not_completed = not_completed.get(unit_id, 0)
        out[unit_id] = facts
    return out
