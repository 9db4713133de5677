"""Reads of the meetings app that combine several models: the members a meeting expects, the
assignments a meeting follows up, the liaisons' attendance, a unit's calendar."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from grassroots.members.choices import IntervalStatus
from grassroots.members.models import Member, Membership
from grassroots.organizations.models import Unit

from .choices import AssignmentStatus
from .models import Assignment, Liaison, Meeting

MEMBER_STATUSES = (IntervalStatus.PROBATIONARY, IntervalStatus.OFFICIAL)


def unit_members(unit: Unit, day: dt.date) -> QuerySet[Member]:
    """The members who take part in `unit`'s meetings on `day`: those whose membership interval
    places them in the unit that day (probationary or official; not a member in transit), and
    those attending it on a temporary transfer. Ordered as the unit's lists are."""
    placed = Membership.objects.on(day).filter(unit=unit, status__in=MEMBER_STATUSES)
    attending = Q(attending_unit=unit) & (
        Q(attending_since__isnull=True) | Q(attending_since__lte=day)
    )
    return (
        Member.objects.filter(Q(pk__in=placed.values("member_id")) | attending)
        .distinct()
        .order_by("sort_name", "id")
    )


def follow_up_assignments(meeting: Meeting) -> QuerySet[Assignment]:
    """The assignments `meeting` follows up: those of the unit's earlier meetings still open on
    its date, and those closed since the previous meeting (so the meeting hears they were done
    or dropped)."""
    previous = (
        Meeting.objects.filter(unit_id=meeting.unit_id, date__lt=meeting.date)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    closed_since = Q(closed_on__gte=previous) if previous else Q(closed_on__isnull=False)
    return (
        Assignment.objects.filter(unit_id=meeting.unit_id, decision__meeting__date__lt=meeting.date)
        .filter(
            Q(status=AssignmentStatus.OPEN)
            | (closed_since & Q(closed_on__lte=meeting.date) & ~Q(status=AssignmentStatus.OPEN))
        )
        .select_related("decision__meeting")
        .prefetch_related("members")
        .order_by("due_date", "id")
    )


@dataclass(frozen=True)
class LiaisonRow:
    liaison: Liaison
    meetings: int
    attended: int


def liaison_rows(liaisons: QuerySet[Liaison], today: dt.date) -> list[LiaisonRow]:
    """Each liaison with the meetings of their cell over their period (to today) and how many
    of those they attended: two queries whatever the number of liaisons."""
    rows = list(liaisons.select_related("seat__member", "seat__committee__unit", "unit"))
    if not rows:
        return []
    cond = Q(pk__in=[])
    for row in rows:
        end = min(row.to_date or today, today)
        cond |= Q(unit_id=row.unit_id, date__gte=row.from_date, date__lte=end)
    found = list(
        Meeting.objects.filter(cond)
        .exclude(kind="committee")
        .values("unit_id", "date", "visitor_seat_id", "visitor_attended")
    )
    result = []
    for row in rows:
        end = min(row.to_date or today, today)
        mine = [
            m for m in found if m["unit_id"] == row.unit_id and row.from_date <= m["date"] <= end
        ]
        attended = sum(
            1 for m in mine if m["visitor_seat_id"] == row.seat_id and m["visitor_attended"]
        )
        result.append(LiaisonRow(row, len(mine), attended))
    return result


def liaison_on(unit: Unit, day: dt.date) -> Liaison | None:
    """The liaison assigned to `unit` on `day` (the latest assigned when several are)."""
    return (
        Liaison.objects.filter(unit=unit, from_date__lte=day)
        .filter(Q(to_date__isnull=True) | Q(to_date__gte=day))
        .select_related("seat")
        .order_by("-from_date", "-id")
        .first()
    )


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    meetings: list[Meeting]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def unit_calendar(unit: Unit, user, year: int, month: int) -> list[CalendarDay]:
    """The meetings of `unit` and the units under it in a month, day by day (days with none
    left out), as the user may see them."""
    start, end = month_bounds(year, month)
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path, date__gte=start, date__lte=end)
        .select_related("unit")
        .order_by("date", "start_time", "unit__path", "id")
    )
    days: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings:
        days.setdefault(meeting.date, []).append(meeting)
    return [CalendarDay(day, found) for day, found in days.items()]


def assignment_counts(unit: Unit, today: dt.date) -> dict[str, int]:
    """Open, overdue and done assignments of the unit's subtree."""
    return Assignment.objects.filter(unit__path__startswith=unit.path).aggregate(
        open=Count("id", filter=Q(status=AssignmentStatus.OPEN)),
        overdue=Count("id", filter=Q(status=AssignmentStatus.OPEN, due_date__lt=today)),
        done=Count("id", filter=Q(status=AssignmentStatus.DONE)),
    )
