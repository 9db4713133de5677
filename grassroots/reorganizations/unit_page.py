"""The changes of the tree a manager may start from a unit's page, through the hooks of the
tree app (`grassroots.organizations.hooks`, the Actions section). `register()` is called by
`ReorganizationsConfig.ready()`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.core.access import Action
from grassroots.organizations import hooks


def _url(name: str):
    return lambda unit: reverse(f"reorganizations:{name}", args=[unit.pk])


def _merge_with_a_sibling(unit) -> str:
    merge = reverse("reorganizations:unit_merge", args=[unit.parent_id])
    return f"{merge}?{urlencode({'sources': unit.pk})}"


def _structure(key: str, label, url, order: int, **extra) -> hooks.UnitWork:
    return hooks.UnitWork(
        key,
        label,
        url,
        action=Action.MANAGE,
        writes=True,
        section=hooks.STRUCTURE,
        order=order,
        **extra,
    )


ACTIONS = [
    _structure(
        "merge_children",
        _("Merge units under it"),
        _url("unit_merge"),
        10,
        applies=lambda unit: unit.children.exists(),
    ),
    _structure(
        "merge_with",
        _("Merge with another unit"),
        _merge_with_a_sibling,
        20,
        applies=lambda unit: unit.parent_id is not None,
        on=lambda unit: unit.parent if unit.parent_id else None,
    ),
    _structure("split", _("Split"), _url("unit_split"), 30),
    _structure("rename", _("Rename"), _url("unit_rename"), 40),
    _structure(
        "move", _("Move"), _url("unit_move"), 50, applies=lambda unit: unit.parent_id is not None
    ),
    _structure("dissolve", _("Dissolve"), _url("unit_dissolve"), 60, danger=True),
]


def register() -> None:
    for action in ACTIONS:
        hooks.register_work(action)
