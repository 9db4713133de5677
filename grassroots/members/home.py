"""What the members app puts on the home page (`core.home`): the user's units with today's
figures, and the member work falling due in them — recognitions (within the next 60 days, and
overdue), transfers not received in time, temporary stays past their end, units below the
minimum size. Registered in `MembersConfig.ready()`.

A few queries per unit the user holds a role on, whatever the number of members: each kind of
item is one query (its first rows only), the figures are the unit page's cached ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.core.access import Action
from grassroots.core.dates import add_months
from grassroots.core.home import DueItem, HomeRequest, HomeSection, Severity
from grassroots.core.rules import rule
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from . import selectors
from .choices import MemberStatus
from .models import Member

# Recognitions falling due within this many days are listed before they are late.
RECOGNITION_HORIZON_DAYS = 60
# Rows of each kind read per unit: the home is a reminder, the unit pages hold the full lists.
ITEMS_PER_KIND = 20
# Units shown with their figures; more roles than this are reached through the tree.
UNITS_SHOWN = 12
# Units below the minimum size listed one by one; more are one item linking to their list.
BELOW_MINIMUM_LISTED = 5


def _fmt(day: dt.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "SHORT_DATE_FORMAT")


def role_units(home: HomeRequest) -> list[Unit]:
    """The open units the user holds a role on, the deepest first (a cell's secretary sees her
    cell before the commune); an administrator without roles gets the top of the tree."""
    if "member_role_units" not in home.cache:
        from grassroots.accounts.models import RoleAssignment

        units = {
            r.unit.pk: r.unit
            for r in RoleAssignment.objects.filter(user=home.user, unit__valid_to__isnull=True)
            .select_related("unit")
            .order_by("unit__path")
        }
        found = list(units.values())
        if not found and home.access.is_everywhere:
            found = list(
                Unit.objects.filter(parent__isnull=True, valid_to__isnull=True).order_by("code")
            )
        found.sort(key=lambda u: (-u.depth, u.path))
        home.cache["member_role_units"] = found
    return home.cache["member_role_units"]


def _top_units(home: HomeRequest) -> list[Unit]:
    """The role units not inside another one: each subtree is read once."""
    units = sorted(role_units(home), key=lambda u: u.path)
    tops: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(t.path) for t in tops):
            tops.append(unit)
    return tops


# --- the units section -----------------------------------------------------------------------


def units_section(home: HomeRequest) -> HomeSection | None:
    units = role_units(home)
    if not units:
        return None
    rows = []
    for unit in units[:UNITS_SHOWN]:
        stats = selectors.unit_stats_today(unit=unit)
        rows.append(
            {
                "unit": unit,
                "url": reverse("organizations:unit_detail", args=[unit.pk]),
                "members_url": reverse("members:member_list") + f"?unit={unit.pk}",
                "stats": stats,
                "admit_url": (
                    reverse("members:member_admit") + f"?unit={unit.pk}"
                    if unit.kind in CELL_KINDS and home.access.may(Action.CHANGE, unit)
                    else ""
                ),
            }
        )
    return HomeSection(
        title=_("Your units"),
        template="members/_home_units.html",
        context={"rows": rows, "more": max(0, len(units) - UNITS_SHOWN)},
        order=10,
    )


# --- the due items ---------------------------------------------------------------------------


def _member_url(home: HomeRequest, name: str, member: Member, unit: Unit | None) -> str:
    """The page where the work is done when the user may do it, the member's record otherwise."""
    if unit is not None and home.access.may(Action.CHANGE, unit):
        return reverse(f"members:{name}", args=[member.pk])
    return reverse("members:member_detail", args=[member.pk])


def _recognitions(home: HomeRequest, unit: Unit) -> Iterator[DueItem]:
    """Probationary members whose probation ends within the horizon, or has ended."""
    horizon = home.today + dt.timedelta(days=RECOGNITION_HORIZON_DAYS)
    latest_ceremony = add_months(horizon, -int(rule("probation_months")))
    members = (
        Member.objects.visible_to(home.user, Action.VIEW)
        .filter(
            unit__path__startswith=unit.path,
            status=MemberStatus.PROBATIONARY,
            ceremony_date__lte=latest_ceremony,
        )
        .select_related("unit")
        .order_by("ceremony_date", "id")[:ITEMS_PER_KIND]
    )
    for member in members:
        due = selectors.recognition_due(member)
        if due is None:
            continue
        end, deadline = due
        if home.today > deadline:
            severity, date = Severity.OVERDUE, deadline
            detail = _("Probation ended on %(end)s; the decision was due by %(deadline)s.")
        elif home.today >= end:
            severity, date = Severity.DUE, deadline
            detail = _("Probation ended on %(end)s; decide by %(deadline)s.")
        else:
            severity, date = Severity.UPCOMING, end
            detail = _("Probation ends on %(end)s; decide by %(deadline)s.")
        yield DueItem(
            label=_("Official recognition of %(name)s (%(unit)s)")
            % {"name": member.full_name, "unit": member.unit.name},
            # A member in transit is recognized once received: the record says so.
            url=_member_url(
                home, "member_recognize", member, None if member.transit_to_id else member.unit
            ),
            date=date,
            severity=severity,
            detail=detail % {"end": _fmt(end), "deadline": _fmt(deadline)},
            kind="recognition",
        )


def _transfers(home: HomeRequest, unit: Unit) -> Iterator[DueItem]:
    arrival_days = dt.timedelta(days=int(rule("transfer_arrival_days")))
    for member in selectors.overdue_transfers(unit, home.user, today=home.today)[:ITEMS_PER_KIND]:
        yield DueItem(
            label=_("Transfer of %(name)s to %(unit)s not received")
            % {"name": member.full_name, "unit": member.transit_to.name},
            url=_member_url(home, "member_transfer_in", member, member.transit_to),
            date=member.transit_since + arrival_days,
            severity=Severity.OVERDUE,
            detail=_("Transferred from %(unit)s on %(date)s.")
            % {"unit": member.unit.name, "date": _fmt(member.transit_since)},
            kind="transfer",
        )


def _temporary_stays(home: HomeRequest, unit: Unit) -> Iterator[DueItem]:
    stays = selectors.overdue_temporary_stays(unit, home.user, today=home.today)
    for member in stays[:ITEMS_PER_KIND]:
        yield DueItem(
            label=_("Temporary stay of %(name)s at %(unit)s has ended")
            % {"name": member.full_name, "unit": member.attending_unit.name},
            url=_member_url(home, "member_temporary_return", member, member.unit),
            date=member.attending_until,
            severity=Severity.OVERDUE,
            detail=_("Record the return or a new transfer (%(unit)s).")
            % {"unit": member.unit.name},
            kind="temporary_stay",
        )


def _below_minimum(home: HomeRequest, unit: Unit) -> Iterator[DueItem]:
    from .size_rules import units_below_minimum

    below = units_below_minimum(unit=unit, day=home.today)
    if len(below) > BELOW_MINIMUM_LISTED:
        yield DueItem(
            label=ngettext(
                "%(n)d unit of %(unit)s is below the minimum size",
                "%(n)d units of %(unit)s are below the minimum size",
                len(below),
            )
            % {"n": len(below), "unit": unit.name},
            url=reverse("organizations:unit_below_minimum", args=[unit.pk]),
            severity=Severity.WARNING,
            kind="below_minimum",
        )
        return
    for row in below:
        yield DueItem(
            label=_("%(unit)s is below the minimum size") % {"unit": row.name},
            url=reverse("organizations:unit_detail", args=[row.unit_id]),
            severity=Severity.WARNING,
            detail=(
                ngettext(
                    "%(n)d official member, at least %(min)d needed.",
                    "%(n)d official members, at least %(min)d needed.",
                    row.counted,
                )
                if row.official_only
                else ngettext(
                    "%(n)d member, at least %(min)d needed.",
                    "%(n)d members, at least %(min)d needed.",
                    row.counted,
                )
            )
            % {"n": row.counted, "min": row.minimum},
            kind="below_minimum",
        )


def due_items(home: HomeRequest) -> list[DueItem]:
    items: list[DueItem] = []
    seen: set[tuple[str, str]] = set()
    for unit in _top_units(home):
        for source in (_recognitions, _transfers, _temporary_stays, _below_minimum):
            for item in source(home, unit):
                # A member in transit between two of the user's subtrees is listed once.
                if (item.kind, item.url) not in seen:
                    seen.add((item.kind, item.url))
                    items.append(item)
    return items


def register() -> None:
    from grassroots.core.home import register_due_items, register_section

    register_section("members.units", units_section)
    register_due_items("members.due", due_items)
