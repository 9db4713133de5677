"""Writes to the member ledger. Every decision about a member is an appended `MemberEvent`;
the member's derived fields and the `Membership` intervals are updated in the same
transaction. Each service validates first and writes nothing on refusal."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core.audit import acting_as
from grassroots.core.dates import age_on
from grassroots.core.rules import rule
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import EventKind, IntervalStatus, MemberStatus
from .models import Member, MemberEvent, Membership


# --- ledger primitives -------------------------------------------------------------------


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def open_interval(member: Member) -> Membership | None:
    return member.intervals.filter(end__isnull=True).order_by("-start", "-id").first()


def _close_interval(member: Member, day: dt.date) -> Membership | None:
    interval = open_interval(member)
    if interval is not None:
        if day < interval.start:
            raise ValidationError(
                {"date": _("The date is before the member's current period began (%(date)s).")
                 % {"date": _fmt(interval.start)}}
            )
        interval.end = day
        interval.save(update_fields=["end"])
    return interval


def _open(member: Member, unit: Unit, status: str, day: dt.date) -> Membership:
    return Membership.objects.create(member=member, unit=unit, status=status, start=day)


def _append(member: Member, *, actor, kind: str, date: dt.date, unit: Unit, **fields) -> MemberEvent:
    event = MemberEvent(member=member, kind=kind, date=date, unit=unit, created_by=actor, **fields)
    event.save()
    return event


def _check_unit_open(unit: Unit, day: dt.date, field: str = "unit") -> None:
    if unit.valid_from > day or (unit.valid_to is not None and unit.valid_to <= day):
        raise ValidationError({field: _("%(unit)s is not open on %(date)s.") % {"unit": unit, "date": _fmt(day)}})


def _check_not_before_last_event(member: Member, day: dt.date) -> None:
    last = member.events.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and day < last:
        raise ValidationError(
            {"date": _("The date is before the member's last recorded event (%(date)s).") % {"date": _fmt(last)}}
        )


# --- admission ---------------------------------------------------------------------------


@transaction.atomic
def member_admit(
    *,
    actor,
    unit: Unit,
    full_name: str,
    gender: str,
    birth_date: dt.date,
    ethnicity: str,
    decision_date: dt.date,
    ceremony_date: dt.date,
    decision_number: str = "",
    issuer: str = "",
    religion: str = "none",
    general_education: str = "",
    professional_education: str = "none",
    theory_level: str = "none",
    occupation: str = "",
    party_card_number: str | None = None,
    age_exception: str = "",
    ceremony_delay_approval: str = "",
    candidate=None,
) -> Member:
    """Admit a person as a probationary member of a cell.

    Refused: a unit that is not an open cell, an age outside the rule without a recorded
    exception, a ceremony before the decision, or later than the allowed working days after it
    without the recorded approval of the committee above.
    """
    from grassroots.core.dates import add_working_days

    errors: dict[str, str] = {}
    if not (full_name or "").strip():
        errors["full_name"] = _("Enter the full name.")
    if unit.kind not in CELL_KINDS:
        errors["unit"] = _("Members are admitted into a cell.")
    elif unit.valid_from > decision_date or (unit.valid_to is not None and unit.valid_to <= decision_date):
        errors["unit"] = _("%(unit)s is not open on %(date)s.") % {"unit": unit, "date": _fmt(decision_date)}
    if birth_date and decision_date:
        age = age_on(birth_date, decision_date)
        lo, hi = rule("admission_min_age"), rule("admission_max_age")
        if age < lo:
            errors["birth_date"] = _("The person is %(age)s on the decision date; the minimum age is %(min)s.") % {
                "age": age, "min": lo}
        elif age > hi and not age_exception.strip():
            errors["age_exception"] = _(
                "The person is %(age)s on the decision date, over %(max)s: record the special approval."
            ) % {"age": age, "max": hi}
    if ceremony_date < decision_date:
        errors["ceremony_date"] = _("The ceremony cannot precede the admission decision.")
    else:
        limit = add_working_days(decision_date, rule("ceremony_within_working_days"))
        if ceremony_date > limit and not ceremony_delay_approval.strip():
            errors["ceremony_delay_approval"] = _(
                "The ceremony is later than %(days)s working days after the decision (%(limit)s): "
                "record the approval of the committee above."
            ) % {"days": rule("ceremony_within_working_days"), "limit": _fmt(limit)}
    if party_card_number and Member.objects.filter(party_card_number=party_card_number).exists():
        errors["party_card_number"] = _("Another member holds this party card number.")
    if errors:
        raise ValidationError(errors)

    with acting_as(actor):
        member = Member.objects.create(
            full_name=full_name.strip(),
            gender=gender,
            birth_date=birth_date,
            ethnicity=ethnicity,
            religion=religion,
            general_education=general_education,
            professional_education=professional_education,
            theory_level=theory_level,
            occupation=occupation,
            party_card_number=party_card_number or None,
            unit=unit,
            status=MemberStatus.PROBATIONARY,
            first_admission_decision_date=decision_date,
            admission_decision_date=decision_date,
            ceremony_date=ceremony_date,
        )
        details = {"ceremony_date": ceremony_date.isoformat()}
        if age_exception:
            details["age_exception"] = age_exception
        if ceremony_delay_approval:
            details["ceremony_delay_approval"] = ceremony_delay_approval
        _append(
            member, actor=actor, kind=EventKind.ADMIT, date=decision_date, unit=unit,
            decision_number=decision_number, decision_date=decision_date, issuer=issuer, details=details,
        )
        _open(member, unit, IntervalStatus.PROBATIONARY, decision_date)
        if candidate is not None:
            candidate.member = member
            candidate.stage = "admitted"
            candidate.save(update_fields=["member", "stage", "updated_at"])
    return member


# --- reorganization ----------------------------------------------------------------------


@transaction.atomic
def member_reassign(*, actor, member: Member, unit: Unit, date: dt.date, reorganization=None) -> MemberEvent:
    """Move a member's records to another unit because the tree changed (merge, split,
    dissolve): the open interval closes on `date` and a new one opens in `unit` with the
    same status. Called by the organization services; not a transfer."""
    if member.status not in (MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL):
        raise ValidationError({"member": _("Only an active member can be moved.")})
    _check_unit_open(unit, date)
    with acting_as(actor):
        previous = member.unit
        interval = _close_interval(member, date)
        status = interval.status if interval else (
            IntervalStatus.OFFICIAL if member.status == MemberStatus.OFFICIAL else IntervalStatus.PROBATIONARY
        )
        if status != IntervalStatus.IN_TRANSIT:
            _open(member, unit, status, date)
        member.unit = unit
        member.save(update_fields=["unit", "updated_at"])
        return _append(
            member, actor=actor, kind=EventKind.REORGANIZE, date=date, unit=previous,
            other_unit=unit, reorganization=reorganization,
        )
