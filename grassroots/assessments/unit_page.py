"""What the assessments add to the unit pages and the home page, through the hooks of the tree
app (`grassroots.organizations.hooks`) and core's home registry: the "4 good" tab, and each
month due to be filed or reviewed. `register()` is called by `AssessmentsConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from grassroots.core.access import Action
from grassroots.core.home import DueItem, HomeRequest, Severity, register_due_items
from grassroots.organizations import hooks

from . import scoring
from .choices import EDITABLE_STATUSES
from .models import MonthlyAssessment, Registration
from .selectors import review_queue

# The months a secretary is reminded of: the one just ended (due by day N) and any earlier one
# of the year still open.
HOME_LIMIT = 50


def _previous_month(day: dt.date) -> tuple[int, int]:
    return (day.year - 1, 12) if day.month == 1 else (day.year, day.month - 1)


def month_due_items(home: HomeRequest) -> list[DueItem]:
    """For the units the user holds a change role on (a cell's secretary, a commune's office;
    not every cell below them, whose months reach them as reviews): each month of the current
    registration whose period has ended and that is not submitted yet, overdue after its
    deadline. For the level above: how many months wait for review."""
    items: list[DueItem] = []
    paths = home.access.paths(Action.CHANGE)
    if paths is not None and not paths:
        return items
    year, last_month = _previous_month(home.today)
    registrations = Registration.objects.filter(year=year, unit__path__in=paths or [])
    registrations = list(registrations.select_related("unit")[:HOME_LIMIT])
    filed = {
        (a.registration_id, a.month): a.status
        for a in MonthlyAssessment.objects.filter(registration__in=registrations).only(
            "registration_id", "month", "status"
        )
    }
    for registration in registrations:
        for month in range(1, last_month + 1):
            status = filed.get((registration.pk, month))
            if status is not None and status not in EDITABLE_STATUSES:
                continue
            due = scoring.deadline(year, month)
            items.append(
                DueItem(
                    label=_("Self-assessment of %(unit)s for %(month)02d/%(year)s")
                    % {"unit": registration.unit.name, "month": month, "year": year},
                    url=reverse("assessments:month_form", args=[registration.pk, month]),
                    date=due,
                    severity=Severity.OVERDUE if home.today > due else Severity.DUE,
                    detail=_("Returned: correct and submit again.")
                    if status == "returned"
                    else _("Submit by %(date)s.") % {"date": f"{due:%d/%m/%Y}"},
                    kind="assessment",
                )
            )
    waiting = review_queue(user=home.user).count()
    if waiting:
        items.append(
            DueItem(
                label=ngettext(
                    "%(n)s monthly self-assessment waits for your review",
                    "%(n)s monthly self-assessments wait for your review",
                    waiting,
                )
                % {"n": waiting},
                url=reverse("assessments:review_queue"),
                severity=Severity.DUE,
                kind="assessment_review",
            )
        )
    return items


def register() -> None:
    hooks.register_tab(
        hooks.UnitTab(
            "assessments",
            gettext_lazy('"4 good"'),
            lambda unit: reverse("assessments:unit_board", args=[unit.pk]),
            order=45,
        )
    )
    register_due_items("assessments", month_due_items)
