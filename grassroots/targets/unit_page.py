"""What the targets add to the unit pages, through the hooks of the tree app
(`grassroots.organizations.hooks`): the Targets tab, leading to the unit's resolutions.
`register()` is called by `TargetsConfig.ready()`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.organizations import hooks


def register() -> None:
    hooks.register_tab(
        hooks.UnitTab(
            "targets",
            _("Targets"),
            lambda unit: f"{reverse('targets:resolution_list')}?{urlencode({'unit': unit.pk})}",
            order=50,
        )
    )
