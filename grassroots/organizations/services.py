"""Writes to the unit register. Each service: keyword-only arguments, the acting user passed in,
one transaction, validation before saving, a ValidationError naming the field on failure.

Reorganizations (merge, split, rename, move, dissolve) are written by grassroots.reorganizations,
which moves members and candidates too; this module creates and corrects units.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core import audit
from grassroots.core.audit import acting_as

from . import hooks
from .choices import (
    ALLOWED_CHILDREN,
    CELL_KINDS,
    UnitKind,
)
from .models import Unit, UnitPlacement

# --- helpers -------------------------------------------------------------------------------


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _kind_label(kind: str) -> str:
    try:
        return str(UnitKind(kind).label)
    except ValueError:
        return kind


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


def new_unit_errors(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    valid_from: dt.date | None,
    cell_subtype: str = "",
    prefix: str = "",
    taken_codes: set[str] | None = None,
) -> dict[str, str]:
    """What stops a unit from being created; shared by unit_create and the reorganization plans
    (grassroots.reorganizations) that create successors, so that a preview refuses what the
    commit would refuse."""
    errors: dict[str, str] = {}
    if not code:
        errors[f"{prefix}code"] = _("Enter a code.")
    elif Unit.objects.filter(code=code).exists() or (taken_codes and code in taken_codes):
        errors[f"{prefix}code"] = _("A unit with this code already exists.")
    if not name:
        errors[f"{prefix}name"] = _("Enter a name.")
    if kind not in UnitKind.values:
        errors[f"{prefix}kind"] = _("Choose a kind of unit.")
    if parent is not None:
        if not parent.is_open:
            errors[f"{prefix}parent"] = _("The parent unit is closed.")
        elif kind in UnitKind.values and kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
            errors[f"{prefix}kind"] = _("A %(kind)s cannot be placed under a %(parent)s.") % {
                "kind": _kind_label(kind),
                "parent": parent.get_kind_display(),
            }
        elif valid_from is not None and valid_from < parent.valid_from:
            errors[f"{prefix}valid_from"] = _(
                "A unit cannot start before its parent (%(date)s)."
            ) % {"date": _fmt(parent.valid_from)}
    if cell_subtype and kind not in CELL_KINDS:
        errors[f"{prefix}cell_subtype"] = _("Only a cell has a cell type.")
    return errors


# --- create and edit -------------------------------------------------------------------------


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    valid_from: dt.date,
    parent: Unit | None = None,
    cell_subtype: str = "",
    address: str = "",
) -> Unit:
    """Create a unit under `parent` (or a root), with its first placement in the tree."""
    code = (code or "").strip()
    name = (name or "").strip()
    errors = new_unit_errors(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        valid_from=valid_from,
        cell_subtype=cell_subtype,
    )
    if valid_from is None:
        errors["valid_from"] = _("Enter the date the unit was created.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        unit = Unit(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            valid_from=valid_from,
            cell_subtype=cell_subtype,
            address=address,
        )
        with audit.muted():
            unit.save()
            _set_path(unit)
            unit.save(update_fields=["path", "depth"])
        audit.record(unit, "create", after=audit.snapshot(unit))
        audit.mark_saved(unit)
        UnitPlacement.objects.create(
            unit=unit,
            parent=parent,
            path=unit.path,
            depth=unit.depth,
            name=unit.name,
            valid_from=valid_from,
            unit_kind=unit.kind,
        )
        hooks.notify_unit_changed(unit)
    return unit


UPDATABLE_FIELDS = {"code", "name", "address", "cell_subtype"}


@transaction.atomic
def unit_update(*, actor, unit: Unit, **fields) -> Unit:
    """Correct a unit's place or cell type.

    The name and the code change only by a rename under a decision (`unit_rename`), which
    keeps the old ones in the history: given here, they must be the ones the unit has.
    """
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed here.") for name in sorted(unknown)}
        )
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    errors: dict[str, str] = {}
    if "code" in fields:
        fields["code"] = (fields["code"] or "").strip()
        if fields["code"] != unit.code:
            errors["code"] = _(
                "A unit's code changes only by a rename under a decision: use Rename."
            )
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if fields["name"] != unit.name:
            errors["name"] = _(
                "A unit's name changes only by a rename under a decision: use Rename."
            )
    if "address" in fields:
        fields["address"] = (fields["address"] or "").strip()
    if fields.get("cell_subtype") and unit.kind not in CELL_KINDS:
        errors["cell_subtype"] = _("Only a cell has a cell type.")
    if not unit.is_open:
        errors["unit"] = _("A closed unit is kept as it was; it cannot be edited.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        for name, value in fields.items():
            setattr(unit, name, value)
        unit.save()
        hooks.notify_unit_changed(unit)
    return unit
