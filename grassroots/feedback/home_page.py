"""What the feedback app adds to the home page and the unit pages, registered from
`FeedbackConfig.ready()`: the open feedback due soon or overdue in the user's reach, and the
links from a unit page to its feedback."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core import home
from grassroots.core.access import Action
from grassroots.organizations import hooks

from . import conf
from .models import Feedback
from .services import RESPONSIBLE_KINDS

HOME_LIMIT = 30


def due_feedback(ctx: home.HomeRequest) -> list[home.DueItem]:
    """Open feedback of the units the user may change, due within a few days or overdue (one
    query). Feedback assigned to someone else is left to them."""
    if not ctx.access.has_any_change_role:
        return []
    soon = ctx.today + dt.timedelta(days=conf.due_soon_days())
    rows = (
        Feedback.objects.visible_to(ctx.user, Action.CHANGE)
        .open()
        .filter(due_date__lte=soon)
        .select_related("unit")
        .order_by("due_date", "id")
    )
    rows = rows.filter(Q(assigned_to__isnull=True) | Q(assigned_to=ctx.user))
    items = []
    for feedback in rows[:HOME_LIMIT]:
        overdue = feedback.due_date < ctx.today
        items.append(
            home.DueItem(
                label=_("Answer the citizen: %(subject)s") % {"subject": feedback.subject},
                url=reverse("feedback:feedback_detail", args=[feedback.pk]),
                date=feedback.due_date,
                severity=home.Severity.OVERDUE if overdue else home.Severity.DUE,
                detail=f"{feedback.display_code} · {feedback.unit.name}",
                kind="feedback",
            )
        )
    return items


def _list(unit) -> str:
    return f"{reverse('feedback:feedback_list')}?{urlencode({'unit': unit.pk})}"


def _create(unit) -> str:
    return f"{reverse('feedback:feedback_create')}?{urlencode({'unit': unit.pk})}"


WORK = [
    hooks.UnitWork(
        "feedback",
        gettext_lazy("Citizens' feedback"),
        _list,
        applies=lambda unit: unit.kind in RESPONSIBLE_KINDS,
        order=70,
    ),
    hooks.UnitWork(
        "feedback_create",
        gettext_lazy("Record feedback"),
        _create,
        action=Action.CHANGE,
        applies=lambda unit: unit.kind in RESPONSIBLE_KINDS,
        writes=True,
        order=75,
    ),
]


def register() -> None:
    home.register_due_items("feedback", due_feedback)
    for work in WORK:
        hooks.register_work(work)
