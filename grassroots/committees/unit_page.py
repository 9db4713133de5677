"""What the committees add to the unit pages, through the hooks of the tree app
(`grassroots.organizations.hooks`): the Committee tab and the reminder to elect a cell
committee. `register()` is called by `CommitteesConfig.ready()`."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.organizations import hooks

from .services import cell_committee_warning


def register() -> None:
    hooks.register_tab(
        hooks.UnitTab(
            "committee",
            _("Committee"),
            lambda unit: reverse("committees:unit_committee", args=[unit.pk]),
            order=30,
        )
    )
    hooks.register_notice("cell_committee", cell_committee_warning)
