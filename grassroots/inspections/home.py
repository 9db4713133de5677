"""What the inspections put among the home page's due items (`core.home`): inspections ended
more than a set number of days ago and still not concluded, and violations concluded whose
proposed discipline has not been decided. Two queries, whatever the number of inspections;
the lists hold the rest. Registered in `InspectionsConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from grassroots.core.access import Action
from grassroots.core.home import DueItem, HomeRequest, Severity

from .models import InspectedMember, InspectedUnit, Inspection

# An inspection is concluded within this many days of its last day (then it is shown overdue).
CONCLUDE_WITHIN_DAYS = 30
ITEMS_PER_KIND = 20


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_items(home: HomeRequest) -> Iterator[DueItem]:
    """Unconcluded inspections past their time and undecided discipline, in the subtrees the
    user may change."""
    if not home.access.has_any_change_role:
        return
    late = home.today - dt.timedelta(days=CONCLUDE_WITHIN_DAYS)
    open_ones = (
        Inspection.objects.visible_to(home.user, Action.CHANGE)
        .filter(concluded_on__isnull=True, end_date__lt=late)
        .select_related("unit")
        .order_by("end_date", "id")[:ITEMS_PER_KIND]
    )
    for inspection in open_ones:
        yield DueItem(
            label=_("Conclude the inspection of %(date)s by %(unit)s")
            % {
                "date": _fmt(inspection.start_date),
                "unit": inspection.unit.name,
            },
            url=reverse("inspections:inspection_detail", args=[inspection.pk]),
            date=inspection.end_date + dt.timedelta(days=CONCLUDE_WITHIN_DAYS),
            severity=Severity.OVERDUE,
            detail=inspection.content[:120],
            kind="inspection_conclusion",
        )
    pending = Q(inspection__concluded_on__isnull=False, inspection__kind="inspection")
    pending &= Q(conclusion="violation") & ~Q(proposed_discipline="")
    members = (
        InspectedMember.objects.visible_to(home.user, Action.CHANGE)
        .filter(pending, discipline_event__isnull=True)
        .select_related("inspection", "member")
        .order_by("inspection__concluded_on", "id")[:ITEMS_PER_KIND]
    )
    units = (
        InspectedUnit.objects.visible_to(home.user, Action.CHANGE)
        .filter(pending, discipline__isnull=True)
        .select_related("inspection", "unit")
        .order_by("inspection__concluded_on", "id")[:ITEMS_PER_KIND]
    )
    for subject in [*members, *units]:
        name = subject.member.full_name if hasattr(subject, "member_id") else subject.unit.name
        yield DueItem(
            label=_("Record the discipline decided for %(name)s") % {"name": name},
            url=reverse("inspections:inspection_detail", args=[subject.inspection_id]),
            date=subject.inspection.concluded_on,
            severity=Severity.DUE,
            detail=_("Proposed: %(level)s") % {"level": subject.get_proposed_discipline_display()},
            kind="inspection_discipline",
        )


def register() -> None:
    from grassroots.core.home import register_due_items

    register_due_items("inspections", due_items)
