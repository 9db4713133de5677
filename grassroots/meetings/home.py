"""What the meetings put on the home page (`core.home`): the assignments falling due within a
week and those overdue, and the minutes left unsigned past the rule, in the units the user may
change. Registered in `MeetingsConfig.ready()`.

Two queries, each its first rows only: the home is a reminder, the lists hold everything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.access import Action
from grassroots.core.home import DueItem, HomeRequest, Severity

from .choices import AssignmentStatus, MeetingKind
from .findings import sign_days
from .models import Assignment, Meeting

DUE_HORIZON_DAYS = 7
ITEMS_PER_KIND = 20


def due_items(home: HomeRequest) -> Iterator[DueItem]:
    if not home.access.has_any_change_role:
        return
    horizon = home.today + dt.timedelta(days=DUE_HORIZON_DAYS)
    assignments = (
        Assignment.objects.visible_to(home.user, Action.CHANGE)
        .filter(status=AssignmentStatus.OPEN, due_date__lte=horizon)
        .select_related("unit")
        .prefetch_related("members")
        .order_by("due_date", "id")[:ITEMS_PER_KIND]
    )
    for a in assignments:
        overdue = a.due_date < home.today
        names = ", ".join(m.full_name for m in a.members.all())
        yield DueItem(
            label=_("Assignment: %(task)s") % {"task": a.task[:120]},
            url=reverse("meetings:assignment_status", args=[a.pk]),
            date=a.due_date,
            severity=Severity.OVERDUE if overdue else Severity.DUE,
            detail=f"{a.unit.name} · {names}",
            kind="meeting_assignment",
        )
    limit = home.today - dt.timedelta(days=sign_days())
    unsigned = (
        Meeting.objects.visible_to(home.user, Action.CHANGE)
        .filter(signed_on__isnull=True, date__lt=limit)
        .exclude(kind=MeetingKind.COMMITTEE, expected_count=0)
        .select_related("unit")
        .order_by("date", "id")[:ITEMS_PER_KIND]
    )
    for m in unsigned:
        yield DueItem(
            label=_("Sign the minutes of the meeting of %(date)s")
            % {"date": m.date.strftime("%d/%m/%Y")},
            url=reverse("meetings:meeting_detail", args=[m.pk]),
            date=m.date + dt.timedelta(days=sign_days()),
            severity=Severity.WARNING,
            detail=m.unit.name,
            kind="meeting_unsigned",
        )
