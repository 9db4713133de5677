"""Writes to the committees: terms, committees and their seats. Each service: keyword-only
arguments, the acting user passed in, one transaction, validation before saving, a
ValidationError naming the field on failure.

A member's seats end when the member leaves (`member_seats_end`) or is dismissed from a post
(`seat_end_for_dismissal`): the member services call them through the ledger's hooks
(`grassroots.members.hooks`, registered in `ledger.register()`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.core.access import under
from grassroots.core.audit import acting_as
from grassroots.core.rules import rule
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.size_rules import official_members_on
from grassroots.organizations.choices import CELL_KINDS, UnitKind
from grassroots.organizations.models import Unit

from .choices import CommitteeKind, Position
from .models import Committee, CommitteeSeat, Term


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def term_get_or_create(*, name: str = "", start_year: int, end_year: int) -> Term:
    """The congress term start–end (e.g. 2020–2025), created when first needed."""
    if not start_year or not end_year or end_year <= start_year:
        raise ValidationError({"end_year": _("A term ends after it starts.")})
    name = (name or "").strip() or f"{start_year}–{end_year}"
    term = Term.objects.filter(start_year=start_year, end_year=end_year).first()
    if term is None:
        term = Term.objects.filter(name=name).first()
        if term is not None:
            raise ValidationError({"name": _("Another term already has this name.")})
        term = Term.objects.create(name=name, start_year=start_year, end_year=end_year)
    return term


def _committee_errors(
    *,
    unit: Unit,
    term: Term,
    kind: str,
    elected_size,
    approved_next_size,
    elected_on,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in CommitteeKind.values:
        errors["kind"] = _("Choose the kind of committee.")
    elif kind == CommitteeKind.CELL and unit.kind not in CELL_KINDS:
        errors["kind"] = _("Only a cell elects a cell committee.")
    elif kind != CommitteeKind.CELL and (unit.kind in CELL_KINDS or unit.kind == UnitKind.GROUP):
        errors["kind"] = _(
            "A cell elects a cell committee, not an executive or standing committee."
        )
    if unit.valid_from.year > term.end_year or (
        unit.valid_to and unit.valid_to.year < term.start_year
    ):
        errors["term"] = _("%(unit)s did not exist during the term %(term)s.") % {
            "unit": unit,
            "term": term,
        }
    for name, value in (("elected_size", elected_size), ("approved_next_size", approved_next_size)):
        if value is not None and value < 1:
            errors[name] = _("Enter a size of at least 1.")
    if elected_on is not None and not (term.start_year - 1 <= elected_on.year <= term.end_year):
        errors["elected_on"] = _("The election date is outside the term %(term)s.") % {"term": term}
    if kind == CommitteeKind.CELL and "kind" not in errors and elected_size and elected_size > 2:
        # Below the threshold a cell has a secretary (and possibly a deputy), not a committee.
        threshold = rule("cell_committee_min_official_members")
        day = elected_on or timezone.localdate()
        if official_members_on(unit, day) < threshold:
            errors["elected_size"] = _(
                "A cell with fewer than %(n)d official members elects a secretary and possibly "
                "a deputy, not a cell committee (at most 2 seats)."
            ) % {"n": threshold}
    return errors


@transaction.atomic
def committee_create(
    *,
    actor,
    unit: Unit,
    term: Term,
    kind: str,
    elected_size: int | None = None,
    approved_next_size: int | None = None,
    elected_on: dt.date | None = None,
) -> Committee:
    """Record the committee of `unit` for `term`: executive or standing committee of an
    organization, or a cell's committee (or its secretary and deputy below the threshold)."""
    errors = _committee_errors(
        unit=unit,
        term=term,
        kind=kind,
        elected_size=elected_size,
        approved_next_size=approved_next_size,
        elected_on=elected_on,
    )
    if Committee.objects.filter(unit=unit, term=term, kind=kind).exists():
        errors["kind"] = _("This unit already has this committee for the term.")
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        return Committee.objects.create(
            unit=unit,
            term=term,
            kind=kind,
            elected_size=elected_size,
            approved_next_size=approved_next_size,
            elected_on=elected_on,
        )


@transaction.atomic
def committee_update(*, actor, committee: Committee, **fields) -> Committee:
    """Change a committee's elected size, the size approved for the next term or the election
    date."""
    allowed = {"elected_size", "approved_next_size", "elected_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({n: _("This field cannot be changed here.") for n in sorted(unknown)})
    committee = Committee.objects.select_related("unit", "term").get(pk=committee.pk)
    values = {n: fields.get(n, getattr(committee, n)) for n in allowed}
    errors = _committee_errors(
        unit=committee.unit, term=committee.term, kind=committee.kind, **values
    )
    errors.pop("kind", None)
    if values["elected_size"] is not None:
        seated = committee.seats.filter(to_date__isnull=True).count()
        if seated > values["elected_size"]:
            errors["elected_size"] = _("%(n)d seats are held: the size cannot be smaller.") % {
                "n": seated
            }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        for name, value in fields.items():
            setattr(committee, name, value)
        committee.save()
    return committee


@transaction.atomic
def seat_add(
    *,
    actor,
    committee: Committee,
    member=None,
    person_name: str = "",
    position: str,
    from_date: dt.date | None = None,
) -> CommitteeSeat:
    """Seat a member (or a person from outside, by name) on a committee in a position."""
    committee = Committee.objects.select_related("unit", "term").get(pk=committee.pk)
    person_name = (person_name or "").strip()
    errors: dict[str, str] = {}
    if member is None and not person_name:
        errors["member"] = _("Choose a member or enter a name.")
    if member is not None:
        if member.status not in ACTIVE_STATUSES:
            errors["member"] = _("%(member)s is not an active member.") % {"member": member}
        elif not under(member.unit.path, [committee.unit.path]):
            errors["member"] = _("%(member)s is not a member of %(unit)s.") % {
                "member": member,
                "unit": committee.unit,
            }
        elif committee.seats.filter(member=member, to_date__isnull=True).exists():
            errors["member"] = _("%(member)s already holds a seat on this committee.") % {
                "member": member
            }
    if position not in Position.values:
        errors["position"] = _("Choose a position.")
    elif (
        position == Position.SECRETARY
        and committee.seats.filter(position=Position.SECRETARY, to_date__isnull=True).exists()
    ):
        errors["position"] = _("The committee already has a secretary: end that seat first.")
    elif committee.kind == CommitteeKind.CELL and position not in (
        Position.SECRETARY,
        Position.DEPUTY,
        Position.MEMBER,
    ):
        errors["position"] = _("A cell committee has a secretary, a deputy and members.")
    if from_date is not None and not (
        committee.term.start_year - 1 <= from_date.year <= committee.term.end_year
    ):
        errors["from_date"] = _("The date is outside the term %(term)s.") % {"term": committee.term}
    if committee.elected_size and "position" not in errors:
        seated = committee.seats.filter(to_date__isnull=True).count()
        if seated >= committee.elected_size:
            errors["position"] = _("All %(n)d seats are held.") % {"n": committee.elected_size}
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        return CommitteeSeat.objects.create(
            committee=committee,
            member=member,
            person_name="" if member else person_name,
            position=position,
            from_date=from_date,
        )


@transaction.atomic
def seat_end(*, actor, seat: CommitteeSeat, to_date: dt.date) -> CommitteeSeat:
    """End a seat on `to_date` (the person left the post); the seat stays in the record."""
    seat = CommitteeSeat.objects.select_related("committee").get(pk=seat.pk)
    errors: dict[str, str] = {}
    if seat.to_date is not None:
        errors["to_date"] = _("This seat already ended on %(date)s.") % {"date": _fmt(seat.to_date)}
    elif to_date is None:
        errors["to_date"] = _("Enter the date the seat ends.")
    elif seat.from_date and to_date < seat.from_date:
        errors["to_date"] = _("A seat cannot end before it began (%(date)s).") % {
            "date": _fmt(seat.from_date)
        }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        seat.to_date = to_date
        seat.save()
    return seat


def _held_on(day: dt.date):
    """Seats held on `day` (an ended seat is held up to the day before its end)."""
    return Q(to_date__isnull=True) | Q(to_date__gt=day)


def member_seats_end(
    *, actor, member_id: int, day: dt.date, kept_in: Unit | None = None
) -> list[CommitteeSeat]:
    """End on `day` the seats a member holds on the committees of the units they leave: every
    seat, or with `kept_in` (the unit the member moves to) those of units that do not also hold
    `kept_in` (an organization the member stays in keeps them on its committee). Called by the
    member services on an expulsion, a removal, a death or an official transfer out."""
    seats = (
        CommitteeSeat.objects.select_related("committee__unit")
        .filter(member_id=member_id)
        .filter(_held_on(day))
    )
    ended = []
    with acting_as(actor):
        for seat in seats.select_for_update(of=("self",)).order_by("id"):
            if kept_in is not None and under(kept_in.path, [seat.committee.unit.path]):
                continue
            seat.to_date = max(day, seat.from_date) if seat.from_date else day
            seat.save()
            ended.append(seat)
    return ended


def seat_end_for_dismissal(
    *, actor, seat: CommitteeSeat, member_id: int, day: dt.date
) -> CommitteeSeat:
    """End the seat a dismissal from post (cách chức) names; refused when the seat is not the
    member's or is no longer held on `day`."""
    seat = CommitteeSeat.objects.select_related("committee__unit").get(pk=seat.pk)
    if seat.member_id != member_id:
        raise ValidationError({"seat": _("The seat is not held by this member.")})
    if seat.to_date is not None and seat.to_date <= day:
        raise ValidationError(
            {"seat": _("This seat already ended on %(date)s.") % {"date": _fmt(seat.to_date)}}
        )
    if seat.from_date and day < seat.from_date:
        raise ValidationError(
            {
                "seat": _("The seat began on %(date)s, after the decision.")
                % {"date": _fmt(seat.from_date)}
            }
        )
    with acting_as(actor):
        seat.to_date = day
        seat.save()
    return seat


def cell_committee_warning(unit: Unit, *, day: dt.date | None = None) -> str:
    """A reminder when a cell with enough official members has no cell committee for the
    current term (DOMAIN: 9 or more official members elect a cell committee)."""
    if unit.kind not in CELL_KINDS or not unit.is_open:
        return ""
    day = day or timezone.localdate()
    threshold = rule("cell_committee_min_official_members")
    n = official_members_on(unit, day)
    if n < threshold:
        return ""
    committee = (
        Committee.objects.filter(
            unit=unit,
            kind=CommitteeKind.CELL,
            term__start_year__lte=day.year,
            term__end_year__gte=day.year,
            elected_size__gte=3,
        )
        .annotate(
            recorded=Count("seats"),
            held=Count("seats", filter=Q(seats__to_date__isnull=True) | Q(seats__to_date__gt=day)),
        )
        .order_by("-term__start_year")
        .first()
    )
    if committee is None:
        return _(
            "%(unit)s has %(n)d official members: from %(min)d a cell elects a cell committee."
        ) % {"unit": unit, "n": n, "min": threshold}
    # Seats ended (by a decision, an expulsion, a transfer out…) no longer count: a committee
    # whose recorded seats fell below three is a secretary and a deputy in all but name.
    if committee.recorded and committee.held < 3:
        return ngettext(
            "%(unit)s has %(n)d official members, "
            "but its cell committee holds %(held)d seat on %(date)s: "
            "fill the vacant seats.",
            "%(unit)s has %(n)d official members, "
            "but its cell committee holds %(held)d seats on %(date)s: "
            "fill the vacant seats.",
            committee.held,
        ) % {"unit": unit, "n": n, "held": committee.held, "date": _fmt(day)}
    return ""
