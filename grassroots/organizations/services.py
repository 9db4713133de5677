"""Writes to the unit register. Each service: keyword-only arguments, the acting user passed in,
one transaction, validation before saving, a ValidationError naming the field on failure."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core import audit
from grassroots.core.audit import acting_as

from .choices import ALLOWED_CHILDREN, CELL_KINDS
from .models import Unit, UnitPlacement


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


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
    errors: dict[str, str] = {}
    code = (code or "").strip()
    name = (name or "").strip()
    if not code:
        errors["code"] = _("Enter a code.")
    elif Unit.objects.filter(code=code).exists():
        errors["code"] = _("A unit with this code already exists.")
    if not name:
        errors["name"] = _("Enter a name.")
    if parent is not None:
        if not parent.is_open:
            errors["parent"] = _("The parent unit is closed.")
        elif kind not in ALLOWED_CHILDREN.get(parent.kind, set()):
            errors["kind"] = _("A %(kind)s cannot be placed under a %(parent)s.") % {
                "kind": Unit(kind=kind).get_kind_display(),
                "parent": parent.get_kind_display(),
            }
        elif valid_from < parent.valid_from:
            errors["valid_from"] = _("A unit cannot start before its parent (%(date)s).") % {
                "date": parent.valid_from.strftime("%d/%m/%Y")
            }
    if cell_subtype and kind not in CELL_KINDS:
        errors["cell_subtype"] = _("Only a cell has a cell type.")
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
        )
    return unit
