"""What the inspections add to the unit pages, through the tree's hooks
(`grassroots.organizations.hooks`): links to the unit's inspections and the execution of its
plans, and a notice of an organization discipline decided in the last twelve months (a
dissolution says the unit is closed by a reorganization). `register()` is called by
`InspectionsConfig.ready()`."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.organizations import hooks

from .choices import OrganizationDisciplineLevel
from .models import OrganizationDiscipline


def _with_unit(name: str, unit) -> str:
    return f"{reverse(name)}?unit={unit.pk}"


def discipline_notice(unit) -> str:
    """The latest organization discipline of `unit` decided within a year, as a sentence."""
    since = timezone.localdate() - dt.timedelta(days=365)
    found = (
        OrganizationDiscipline.objects.filter(unit=unit, decided_on__gte=since)
        .order_by("-decided_on", "-id")
        .first()
    )
    if found is None:
        return ""
    text = _("%(level)s decided on %(date)s (decision %(number)s, %(issuer)s).") % {
        "level": found.get_level_display(),
        "date": found.decided_on.strftime("%d/%m/%Y"),
        "number": found.decision_number,
        "issuer": found.issuer,
    }
    if found.level == OrganizationDisciplineLevel.DISSOLUTION and unit.is_open:
        text += " " + _("The unit stays open until a reorganization dissolves it.")
    return text


def register() -> None:
    hooks.register_work(
        hooks.UnitWork(
            "inspections",
            gettext_lazy("Inspection and supervision"),
            lambda unit: _with_unit("inspections:inspection_list", unit),
            order=60,
        )
    )
    hooks.register_work(
        hooks.UnitWork(
            "inspection_execution",
            gettext_lazy("Execution of the inspection plans"),
            lambda unit: _with_unit("inspections:execution", unit),
            order=61,
        )
    )
    hooks.register_notice("organization_discipline", discipline_notice)
