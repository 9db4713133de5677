"""What the meetings add to the unit pages, through the hooks of the tree app
(`grassroots.organizations.hooks`): the Meetings tab, the reminder of a cell's month without a
regular meeting, and the work links. `register()` is called by `MeetingsConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.access import Action
from grassroots.organizations import hooks
from grassroots.organizations.choices import CELL_KINDS

from .choices import MeetingKind
from .models import Meeting


def last_month_notice(unit) -> str:
    """A reminder on a cell's page when last month passed without a regular meeting."""
    if unit.kind not in CELL_KINDS or not unit.is_open:
        return ""
    today = timezone.localdate()
    last = today.replace(day=1) - dt.timedelta(days=1)
    if unit.valid_from > last.replace(day=1):
        return ""
    held = Meeting.objects.filter(
        unit=unit, kind=MeetingKind.REGULAR, date__year=last.year, date__month=last.month
    ).exists()
    if held:
        return ""
    return _("%(unit)s recorded no regular meeting in %(month)s.") % {
        "unit": unit,
        "month": last.strftime("%m/%Y"),
    }


def register() -> None:
    hooks.register_tab(
        hooks.UnitTab(
            "meetings",
            gettext_lazy("Meetings"),
            lambda unit: reverse("meetings:unit_meetings", args=[unit.pk]),
            order=40,
        )
    )
    hooks.register_notice("meetings_last_month", last_month_notice)
    hooks.register_work(
        hooks.UnitWork(
            "meeting_create",
            gettext_lazy("Record a meeting"),
            lambda unit: reverse("meetings:meeting_create", args=[unit.pk]),
            action=Action.CHANGE,
            applies=lambda unit: unit.kind in CELL_KINDS,
            writes=True,
            order=60,
        )
    )
