"""Size rules: a cell below the minimum of official members, a grassroots committee below the
minimum of members (rule settings `cell_min_official_members`, `grassroots_committee_min_members`).

The unit pages show them through the hooks of `grassroots.organizations.hooks` (the below-minimum
tab and API, and the size warning), registered in `unit_page.register()`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.rules import rule
from grassroots.organizations.choices import CELL_KINDS, UnitKind
from grassroots.organizations.hooks import BelowMinimum
from grassroots.organizations.models import Unit

from .models import Membership

# Members a grassroots committee counts: present (probationary or official) and in transit, who
# stay in the organization's total until the arrival is recorded.
_COMMITTEE_STATUSES = ("probationary", "official", "in_transit")


def _size_minimums() -> dict[str, tuple[int, bool]]:
    """Kind → (minimum, counts official members only)."""
    cell = (int(rule("cell_min_official_members")), True)
    return {
        **{kind: cell for kind in CELL_KINDS},
        UnitKind.GRASSROOTS: (int(rule("grassroots_committee_min_members")), False),
    }


def _counts_under(path: str, day: dt.date) -> list[tuple[str, str, int]]:
    """(unit path, interval status, members) of the membership intervals open on `day` in the
    subtree at `path`: one grouped query."""
    return list(
        Membership.objects.on(day)
        .filter(unit__path__startswith=path, status__in=_COMMITTEE_STATUSES)
        .order_by()
        .values_list("unit__path", "status")
        .annotate(n=Count("pk"))
    )


def units_below_minimum(*, unit: Unit, day: dt.date | None = None) -> list[BelowMinimum]:
    """The open cells and grassroots committees of `unit`'s subtree (itself included) below the
    minimum size of their kind on `day` (today by default), smallest first. Two queries whatever
    the size of the subtree: the units, and the members grouped by unit and status."""
    day = day or timezone.localdate()
    minimums = _size_minimums()
    units = list(
        Unit.objects.filter(
            path__startswith=unit.path, valid_to__isnull=True, kind__in=list(minimums)
        )
        .order_by("path")
        .values_list("pk", "code", "name", "kind", "path")
    )
    if not units:
        return []
    counted = {pk: 0 for pk, *_rest in units}
    official_only = {pk: minimums[kind][1] for pk, _c, _n, kind, _p in units}
    for path, status, n in _counts_under(unit.path, day):
        for ancestor in (int(p) for p in path.strip("/").split("/")):
            if ancestor in counted and (status == "official" or not official_only[ancestor]):
                counted[ancestor] += n
    found = [
        BelowMinimum(pk, code, name, kind, path, counted[pk], minimums[kind][0], minimums[kind][1])
        for pk, code, name, kind, path in units
        if counted[pk] < minimums[kind][0]
    ]
    return sorted(found, key=lambda row: (row.counted, row.path))


def unit_size_warning(unit: Unit, *, day: dt.date | None = None) -> str:
    """A warning for the unit page when `unit` (a cell or a grassroots committee, open) is below
    the minimum size of its kind: one count query, none for the other kinds."""
    # The kind first: the rule settings are not read for the pages of other kinds.
    if not unit.is_open or (unit.kind not in CELL_KINDS and unit.kind != UnitKind.GRASSROOTS):
        return ""
    below = [row for row in units_below_minimum(unit=unit, day=day) if row.unit_id == unit.pk]
    if not below:
        return ""
    row = below[0]
    if row.official_only:
        return _("%(unit)s has %(n)d official members: a cell has at least %(min)d.") % {
            "unit": unit,
            "n": row.counted,
            "min": row.minimum,
        }
    return _("%(unit)s has %(n)d members: a grassroots committee has at least %(min)d.") % {
        "unit": unit,
        "n": row.counted,
        "min": row.minimum,
    }


def official_members_on(unit: Unit, day: dt.date) -> int:
    """Official members whose records sit in `unit` on `day` (the thresholds of a cell committee
    and of an admission vote count them)."""
    return Membership.objects.on(day).filter(unit=unit, status="official").count()
