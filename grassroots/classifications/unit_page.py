"""What the classifications add to the unit pages, through the tree's hooks
(`grassroots.organizations.hooks`): the link to the unit's year-end classification."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.organizations import hooks


def register() -> None:
    hooks.register_work(
        hooks.UnitWork(
            "classifications",
            _("Year-end classification"),
            lambda unit: f"{reverse('classifications:index')}?unit={unit.pk}",
            order=70,
        )
    )
