"""Writes to the member ledger. Every decision about a member is an appended `MemberEvent`;
the member's derived fields and the `Membership` intervals are updated in the same
transaction. Each service validates first and writes nothing on refusal.

Dates: an event may not be dated in the future nor before the member's last recorded event.
Intervals are half-open: a member expelled on a date is no longer counted on that date.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.core.audit import acting_as
from grassroots.core.dates import add_months, add_working_days
from grassroots.core.querysets import Action
from grassroots.core.rules import rule
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit
from grassroots.rollups import past
from grassroots.rollups.services import rollup_recorded

from . import hooks
from .choices import (
    ACTIVE_STATUSES,
    CANDIDATE_PIPELINE,
    ETHNICITY_CHOICES,
    PIPELINE_ENDS,
    PROBATIONARY_DISCIPLINE,
    READMISSION_EXCLUDED,
    CandidateStage,
    DisciplineLevel,
    EventKind,
    Gender,
    GeneralEducation,
    IntervalStatus,
    LeavingReason,
    MemberStatus,
    ProfessionalEducation,
    ProposedBy,
    Religion,
    TheoryLevel,
    TransferMode,
)
from .counters import ledger_event, member_state
from .models import Candidate, Member, MemberEvent, Membership
from .size_rules import official_members_on

# Personal attributes a person may correct; everything else on Member is kept by the ledger.
PERSONAL_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "theory_level",
    "occupation",
    "party_card_number",
)

_CHOICES: dict[str, set[str]] = {
    "gender": set(Gender.values),
    "ethnicity": {code for code, _label in ETHNICITY_CHOICES},
    "religion": set(Religion.values),
    "general_education": {"", *GeneralEducation.values},
    "professional_education": set(ProfessionalEducation.values),
    "theory_level": set(TheoryLevel.values),
}


# --- ledger primitives -------------------------------------------------------------------


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today() -> dt.date:
    return timezone.localdate()


def open_interval(member: Member) -> Membership | None:
    """The member's current membership interval (None once membership has ended)."""
    return member.intervals.filter(end__isnull=True).order_by("-start", "-id").first()


def _close_interval(member: Member, day: dt.date) -> Membership | None:
    interval = open_interval(member)
    if interval is not None:
        if day < interval.start:
            raise ValidationError(
                {
                    "date": _("The date is before the member's current period began (%(date)s).")
                    % {"date": _fmt(interval.start)}
                }
            )
        interval.end = day
        interval.save(update_fields=["end"])
    return interval


def _open(
    member: Member, unit: Unit, status: str, day: dt.date, standing: str | None = None
) -> Membership:
    closed = Unit.objects.filter(pk=unit.pk).values_list("valid_to", flat=True).first()
    if closed is not None:
        # An open interval on a unit closed since would outlive it: the members of a closed
        # unit went to the units that continue it, and so must a late entry.
        raise ValidationError(
            {
                "unit": _(
                    "%(unit)s closed on %(date)s: record the member in the unit that continues it."
                )
                % {"unit": unit, "date": _fmt(closed)}
            }
        )
    if standing is None:
        standing = status if status != IntervalStatus.IN_TRANSIT else member.status
    return Membership.objects.create(
        member=member,
        unit=unit,
        status=status,
        standing=standing,
        start=day,
        birth_date=member.birth_date,
    )


def _append(
    member: Member, *, actor, kind: str, date: dt.date, unit: Unit, **fields
) -> MemberEvent:
    event = MemberEvent(member=member, kind=kind, date=date, unit=unit, created_by=actor, **fields)
    event.save()
    # Every service ends by appending its event: the roll-up counters of the top units move
    # here, in the same transaction, from the state `_lock` saw to the one the service left.
    if kind == EventKind.ADMIT:
        before, past_before = None, None
    elif "_rollup_before" in member.__dict__:
        before = member.__dict__.pop("_rollup_before")
        past_before = member.__dict__.pop("_past_before", None)
    else:
        raise RuntimeError("Call _lock(member) before changing a member.")
    rollup_recorded(before=before, after=member_state(member), event=ledger_event(event))
    past.member_recorded(member.pk, past_before)
    return event


def _lock(member: Member) -> None:
    # Two clerks recording events for the same member at once must not interleave.
    Member.objects.select_for_update().filter(pk=member.pk).values_list("pk").first()
    member._rollup_before = member_state(member)
    # The past-day counters move by the member's share after the change against before it.
    member._past_before = None if past.paused() else past.member_contribution(member.pk)


def _unit_open_on(unit: Unit, day: dt.date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or unit.valid_to > day)


def _check_unit_open(unit: Unit, day: dt.date, field: str = "unit") -> None:
    if not _unit_open_on(unit, day):
        raise ValidationError(
            {field: _("%(unit)s is not open on %(date)s.") % {"unit": unit, "date": _fmt(day)}}
        )


def _check_not_before_last_event(member: Member, day: dt.date, field: str = "date") -> None:
    last = member.events.order_by("-date", "-id").values_list("date", flat=True).first()
    if last is not None and day < last:
        raise ValidationError(
            {
                field: _("The date is before the member's last recorded event (%(date)s).")
                % {"date": _fmt(last)}
            }
        )


def _date_errors(day, field: str, errors: dict[str, str], *, required: bool = True) -> None:
    if day is None:
        if required:
            errors.setdefault(field, _("Enter a date."))
        return
    if not isinstance(day, dt.date):
        errors.setdefault(field, _("Enter a valid date."))
    elif day > _today():
        errors.setdefault(field, _("The date cannot be in the future."))


def _event_date_errors(member: Member, day, errors: dict[str, str], field: str = "date") -> None:
    """Not in the future and not before the member's last recorded event."""
    _date_errors(day, field, errors)
    if field not in errors:
        try:
            _check_not_before_last_event(member, day, field)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})


def _personal_errors(
    values: dict, errors: dict[str, str], *, exclude_pk: int | None = None, actor=None
) -> None:
    """Errors of personal attributes. A party card number already held is named with its
    holder only when `actor` may see the holder (None: a command, which sees everything);
    otherwise the refusal says no more than that the number is not accepted."""
    for field, allowed in _CHOICES.items():
        if field in values and values[field] not in allowed:
            errors[field] = _("Choose a valid option.")
    if "full_name" in values and not (values["full_name"] or "").strip():
        errors["full_name"] = _("Enter the full name.")
    if "birth_date" in values:
        _date_errors(values["birth_date"], "birth_date", errors)
    card = values.get("party_card_number")
    if card:
        taken = Member.objects.filter(party_card_number=card)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        holder = taken.select_related("unit").first()
        if holder is not None and actor is not None and not _sees(actor, holder):
            errors["party_card_number"] = _("This party card number is not accepted.")
        elif holder is not None:
            errors["party_card_number"] = _(
                "%(name)s (%(unit)s) already holds this party card number."
            ) % {"name": holder, "unit": holder.unit}


def _sees(actor, obj) -> bool:
    return type(obj)._default_manager.visible_to(actor, Action.VIEW).filter(pk=obj.pk).exists()


def _hide_unseen_unit(actor, unit: Unit | None, errors: dict[str, str], field: str) -> None:
    """A refusal about a unit outside the caller's view does not name or describe it."""
    if field in errors and unit is not None and actor is not None and not _sees(actor, unit):
        errors[field] = _("This unit is not accepted.")


def _ceremony_errors(decision_date, ceremony_date, approval: str, errors: dict[str, str]) -> None:
    if not isinstance(decision_date, dt.date) or not isinstance(ceremony_date, dt.date):
        return
    if ceremony_date < decision_date:
        errors["ceremony_date"] = _("The ceremony cannot precede the admission decision.")
        return
    limit = add_working_days(decision_date, rule("ceremony_within_working_days"))
    if ceremony_date > limit and not (approval or "").strip():
        errors["ceremony_delay_approval"] = _(
            "The ceremony is later than %(days)s working days after the decision (%(limit)s): "
            "record the approval of the committee above."
        ) % {"days": rule("ceremony_within_working_days"), "limit": _fmt(limit)}


def months_of_age(birth_date: dt.date, day: dt.date) -> int:
    """Full months of age on `day`: a month is complete on the day of the month of birth (as
    `age_on` completes a year on the birthday; the SQL import counts the same way)."""
    months = (day.year - birth_date.year) * 12 + day.month - birth_date.month
    return months - 1 if day.day < birth_date.day else months


def _age_text(months: int) -> str:
    years, rest = divmod(months, 12)
    text = ngettext("%(n)s year", "%(n)s years", years) % {"n": years}
    if not rest:
        return text
    return _("%(years)s and %(months)s") % {
        "years": text,
        "months": ngettext("%(n)s month", "%(n)s months", rest) % {"n": rest},
    }


def _age_errors(
    birth_date: dt.date,
    day: dt.date,
    age_exception: str,
    errors: dict[str, str],
    *,
    on_vote: bool = False,
) -> None:
    """The admission age rule (also used by the bulk import, row by row): from 18 full years to
    60 full years counted in months (Regulation 232-QĐ/TW), on the day the cell considers the
    admission — its vote date, else the decision date. Older needs the recorded approval of the
    committee directly under the Central Committee."""
    months = months_of_age(birth_date, day)
    lo, hi = rule("admission_min_age"), rule("admission_max_age")
    values = {"age": _age_text(months), "min": lo, "max": hi, "date": _fmt(day)}
    if months < lo * 12:
        if on_vote:
            message = _(
                "On the cell's vote date (%(date)s) the person is %(age)s old; the minimum age is "
                "%(min)s full years."
            )
        else:
            message = _(
                "On the decision date (%(date)s) the person is %(age)s old; the minimum age is "
                "%(min)s full years."
            )
        errors["birth_date"] = message % values
    elif months > hi * 12 and not (age_exception or "").strip():
        if on_vote:
            message = _(
                "On the cell's vote date (%(date)s) the person is %(age)s old, over %(max)s full "
                "years counted in months: record the approval of the committee directly under the "
                "Central Committee."
            )
        else:
            message = _(
                "On the decision date (%(date)s) the person is %(age)s old, over %(max)s full "
                "years counted in months: record the approval of the committee directly under the "
                "Central Committee."
            )
        errors["age_exception"] = message % values


def vote_share() -> Fraction:
    """The share of the cell's official members who must agree (rule "cell_vote_share")."""
    return Fraction(str(rule("cell_vote_share")))


def votes_needed(official: int) -> int:
    """The least number of agreeing votes among `official` members: at least the share."""
    share = vote_share()
    return -(-share.numerator * official // share.denominator)


def _cell_vote_errors(
    unit: Unit, day: dt.date, votes_for, votes_total, errors: dict[str, str]
) -> None:
    """The cell's vote on an admission or a recognition carries when at least the rule's share
    of the cell's official members on the vote date agree (Statute art. 4.3) — not a majority of
    the votes cast."""
    if votes_for is None or votes_for < 0:
        errors["votes_for"] = _("Enter the number of votes for.")
        return
    if votes_total is not None and votes_for > votes_total:
        errors["votes_for"] = _("More votes for than votes cast.")
        return
    official = official_members_on(unit, day)
    values = {"unit": unit, "n": official, "date": _fmt(day), "needed": votes_needed(official)}
    if official == 0:
        errors["votes_for"] = (
            _("%(unit)s has no official members on %(date)s: its vote cannot carry.") % values
        )
    elif votes_total is not None and votes_total > official:
        errors["votes_total"] = (
            _("More votes cast than the cell's %(n)s official members on %(date)s.") % values
        )
    elif votes_for > official:
        errors["votes_for"] = (
            _("More votes for than the cell's %(n)s official members on %(date)s.") % values
        )
    elif votes_for < values["needed"]:
        errors["votes_for"] = (
            _(
                "The vote carries with at least %(needed)s of the cell's %(n)s official members "
                "on %(date)s agreeing."
            )
            % values
        )


def _recognition_date_errors(
    end: dt.date, decision_date: dt.date, cell_vote_date: dt.date | None, errors: dict[str, str]
) -> None:
    """Recognition comes after probation ends on `end` (also used by the bulk import)."""
    if decision_date < end:
        errors["decision_date"] = _(
            "Probation ends on %(date)s (%(months)s months after the ceremony): "
            "recognition cannot be decided before."
        ) % {"date": _fmt(end), "months": rule("probation_months")}
    if cell_vote_date is not None and cell_vote_date < end:
        errors["cell_vote_date"] = _(
            "The cell votes on recognition after probation ends (%(date)s)."
        ) % {"date": _fmt(end)}
    if cell_vote_date is not None and cell_vote_date > decision_date:
        errors["cell_vote_date"] = _("The cell's vote comes before the committee's decision.")


def _cell_errors(unit: Unit | None, day, errors: dict[str, str], field: str = "unit") -> None:
    if unit is None:
        errors[field] = _("Choose a cell.")
    elif unit.kind not in CELL_KINDS:
        errors[field] = _("Members belong to a cell: choose a cell.")
    elif isinstance(day, dt.date) and not _unit_open_on(unit, day):
        errors[field] = _("%(unit)s is not open on %(date)s.") % {"unit": unit, "date": _fmt(day)}


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def probation_end(member: Member) -> dt.date | None:
    """The day the probation ends: rule("probation_months") after the ceremony."""
    if member.ceremony_date is None:
        return None
    return add_months(member.ceremony_date, rule("probation_months"))


def common_ancestor(a: Unit, b: Unit) -> Unit:
    """The lowest unit holding both `a` and `b` in today's tree (common prefix of their paths)."""
    common: list[int] = []
    for x, y in zip(a.ancestor_ids(), b.ancestor_ids(), strict=False):
        if x != y:
            break
        common.append(x)
    if not common:
        raise ValidationError({"to_unit": _("The two units share no organization.")})
    return Unit.objects.get(pk=common[-1])


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

    Membership (and later party age) starts on the admission decision; probation is counted
    from the ceremony. Refused: a unit that is not an open cell, an age outside the rule (in
    months, on the cell's vote date for a candidate, else on the decision date) without a
    recorded exception, dates in the future, a ceremony before the decision, or later than the
    allowed working days after it without the recorded approval of the committee above.
    """
    errors: dict[str, str] = {}
    _personal_errors(
        {
            "full_name": full_name,
            "gender": gender,
            "birth_date": birth_date,
            "ethnicity": ethnicity,
            "religion": religion,
            "general_education": general_education,
            "professional_education": professional_education,
            "theory_level": theory_level,
            "party_card_number": party_card_number,
        },
        errors,
        actor=actor,
    )
    _date_errors(decision_date, "decision_date", errors)
    _date_errors(ceremony_date, "ceremony_date", errors)
    _cell_errors(unit, decision_date, errors)
    # The cell considers the admission on its vote when the candidate came through the pipeline.
    vote_day = candidate.cell_vote_on if candidate is not None else None
    if "birth_date" not in errors and (vote_day is not None or "decision_date" not in errors):
        _age_errors(
            birth_date,
            vote_day or decision_date,
            age_exception,
            errors,
            on_vote=vote_day is not None,
        )
    if "decision_date" not in errors and "ceremony_date" not in errors:
        _ceremony_errors(decision_date, ceremony_date, ceremony_delay_approval, errors)
    _raise(errors)

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
        if candidate is not None:
            details["candidate"] = candidate.pk
        # The interval first: the event's upkeep of the counters reads it.
        _open(member, unit, IntervalStatus.PROBATIONARY, decision_date)
        _append(
            member,
            actor=actor,
            kind=EventKind.ADMIT,
            date=decision_date,
            unit=unit,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=issuer,
            details=details,
        )
        if candidate is not None:
            candidate.member = member
            candidate.stage = CandidateStage.ADMITTED
            candidate.save(update_fields=["member", "stage", "updated_at"])
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    """Correct a member's personal attributes. The ledger-derived fields (unit, status, dates
    of admission and recognition, transit) change only through events and are refused here."""
    errors: dict[str, str] = {}
    for name in fields:
        if name not in PERSONAL_FIELDS:
            errors[name] = _(
                "This field is kept by the member's ledger of events and cannot be edited here."
            )
    _personal_errors(fields, errors, exclude_pk=member.pk, actor=actor)
    _raise(errors)
    if "full_name" in fields:
        fields["full_name"] = fields["full_name"].strip()
    if "party_card_number" in fields:
        fields["party_card_number"] = fields["party_card_number"] or None
    changed = [name for name, value in fields.items() if getattr(member, name) != value]
    if not changed:
        return member
    before = member_state(member)
    past_before = None if past.paused() else past.member_contribution(member.pk)
    with acting_as(actor):
        for name in changed:
            setattr(member, name, fields[name])
        member.save(update_fields=[*changed, "name_folded", "updated_at"])
        if "birth_date" in changed:
            # Each interval keeps its own copy (the past-day counters find them by it).
            member.intervals.update(birth_date=member.birth_date)
        rollup_recorded(before=before, after=member_state(member))
        past.member_recorded(member.pk, past_before)
    return member


# --- official recognition ----------------------------------------------------------------


def _reclassify_official_from(member: Member, day: dt.date) -> None:
    """From `day` on, every interval of the member is official: the interval running on `day`
    is split there, later ones are switched (a late recognition counts from the 12-month date)."""
    intervals = member.intervals.filter(Q(end__isnull=True) | Q(end__gt=day)).order_by(
        "start", "id"
    )
    for interval in intervals:
        new_status = (
            IntervalStatus.OFFICIAL
            if interval.status == IntervalStatus.PROBATIONARY
            else interval.status
        )
        if interval.start >= day:
            interval.status = new_status
            interval.standing = MemberStatus.OFFICIAL
            interval.save(update_fields=["status", "standing"])
        else:
            Membership.objects.create(
                member=member,
                unit=interval.unit,
                status=new_status,
                standing=MemberStatus.OFFICIAL,
                start=day,
                end=interval.end,
                birth_date=member.birth_date,
            )
            interval.end = day
            interval.save(update_fields=["end"])


@transaction.atomic
def member_recognize(
    *,
    actor,
    member: Member,
    decision_date: dt.date,
    decision_number: str = "",
    issuer: str = "",
    cell_vote_date: dt.date | None = None,
    votes_for: int | None = None,
    votes_total: int | None = None,
) -> MemberEvent:
    """Recognize a probationary member as official.

    The cell's vote, when recorded (its date with the votes for, and the votes cast if known),
    carries with at least rule("cell_vote_share") of the cell's official members on the vote
    date agreeing, as for an admission; a recognition of the past may be recorded without it.
    Probation runs rule("probation_months") from the ceremony; a decision before it ends is
    refused. The member is official from the day probation ended, even when the decision
    comes later: the intervals switch status on that day. Refused for a member never admitted
    or no longer probationary, and for a member in transit (the receiving cell decides after
    recording the arrival). A late decision is flagged by `selectors.member_flags`, not refused.
    """
    _lock(member)
    errors: dict[str, str] = {}
    if member.status != MemberStatus.PROBATIONARY or member.ceremony_date is None:
        errors["member"] = _("Only a probationary member can be recognized as official.")
    elif member.transit_to_id is not None:
        errors["member"] = _("The member is in transit: record the arrival first.")
    _event_date_errors(member, decision_date, errors, "decision_date")
    _date_errors(cell_vote_date, "cell_vote_date", errors, required=False)
    end = probation_end(member)
    if not errors:
        _recognition_date_errors(end, decision_date, cell_vote_date, errors)
    if cell_vote_date is None and (votes_for is not None or votes_total is not None):
        errors.setdefault("cell_vote_date", _("Enter the date of the cell's vote."))
    elif cell_vote_date is not None and "cell_vote_date" not in errors and "member" not in errors:
        _cell_vote_errors(member.unit, cell_vote_date, votes_for, votes_total, errors)
    _raise(errors)
    # Counted before this member's own intervals turn official.
    official_on_vote = official_members_on(member.unit, cell_vote_date) if cell_vote_date else None

    with acting_as(actor):
        _reclassify_official_from(member, end)
        member.status = MemberStatus.OFFICIAL
        member.official_date = end
        member.save(update_fields=["status", "official_date", "updated_at"])
        details = {"official_date": end.isoformat(), "probation_end": end.isoformat()}
        if cell_vote_date is not None:
            details["cell_vote_date"] = cell_vote_date.isoformat()
            details["votes_for"] = votes_for
            if votes_total is not None:
                details["votes_total"] = votes_total
            details["official_members"] = official_on_vote
        return _append(
            member,
            actor=actor,
            kind=EventKind.RECOGNIZE,
            date=decision_date,
            unit=member.unit,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=issuer,
            details=details,
        )


# --- transfers ---------------------------------------------------------------------------


def _active_errors(member: Member, errors: dict[str, str]) -> None:
    if member.status not in ACTIVE_STATUSES:
        errors["member"] = _("%(name)s is not an active member (%(status)s).") % {
            "name": member,
            "status": member.get_status_display(),
        }


@transaction.atomic
def member_transfer_out(
    *,
    actor,
    member: Member,
    to_unit: Unit,
    date: dt.date,
    mode: str = TransferMode.OFFICIAL,
    until: dt.date | None = None,
    decision_number: str = "",
    issuer: str = "",
    reason: str = "",
) -> MemberEvent:
    """The sending unit issues the introduction of a member to another cell.

    Official: the records move; until the receiving unit records the arrival the member is in
    transit, present in neither cell but counted by every organization holding both ends (the
    open interval closes and an in-transit interval opens on the lowest common ancestor).
    Temporary: the member attends `to_unit` until `until` (required) and the records stay.
    An official transfer ends the member's committee seats in the units left, on its date.
    Refused: a member not active, already in transit or temporarily away; a destination that
    is not a cell, is closed on the date, or is the member's own cell.
    """
    _lock(member)
    errors: dict[str, str] = {}
    _active_errors(member, errors)
    if "member" not in errors:
        if member.transit_to_id is not None:
            errors["member"] = _("The member is already in transit to %(unit)s.") % {
                "unit": member.transit_to
            }
        elif member.attending_unit_id is not None:
            errors["member"] = _(
                "The member is temporarily attending %(unit)s: record the return first."
            ) % {"unit": member.attending_unit}
    if mode not in TransferMode.values:
        errors["mode"] = _("Choose a valid option.")
    _event_date_errors(member, date, errors)
    _cell_errors(to_unit, date if "date" not in errors else None, errors, "to_unit")
    _hide_unseen_unit(actor, to_unit, errors, "to_unit")
    if "to_unit" not in errors and to_unit.pk == member.unit_id:
        errors["to_unit"] = _("The member already belongs to this cell.")
    if mode == TransferMode.TEMPORARY:
        if until is None:
            errors["until"] = _("A temporary transfer has an end date.")
        elif isinstance(date, dt.date) and until <= date:
            errors["until"] = _("The end of a temporary transfer comes after its start.")
    _raise(errors)

    with acting_as(actor):
        common = {
            "member": member,
            "actor": actor,
            "date": date,
            "unit": member.unit,
            "other_unit": to_unit,
            "decision_number": decision_number,
            "issuer": issuer,
            "reason": reason,
            "decision_date": date,
        }
        if mode == TransferMode.TEMPORARY:
            member.attending_unit = to_unit
            member.attending_until = until
            member.attending_since = None
            member.save(
                update_fields=["attending_unit", "attending_until", "attending_since", "updated_at"]
            )
            return _append(
                kind=EventKind.TEMP_TRANSFER_OUT,
                transfer_mode=mode,
                details={"until": until.isoformat()},
                **common,
            )
        # The member leaves the sending unit's committees, but not those of the organizations
        # that hold the receiving cell too.
        hooks.member_left(actor=actor, member_id=member.pk, day=date, kept_in=to_unit)
        _close_interval(member, date)
        holder = common_ancestor(member.unit, to_unit)
        _open(member, holder, IntervalStatus.IN_TRANSIT, date, standing=member.status)
        member.transit_to = to_unit
        member.transit_since = date
        member.save(update_fields=["transit_to", "transit_since", "updated_at"])
        return _append(
            kind=EventKind.TRANSFER_OUT,
            transfer_mode=mode,
            details={"held_by": holder.pk},
            **common,
        )


@transaction.atomic
def member_transfer_in(*, actor, member: Member, date: dt.date) -> MemberEvent:
    """The receiving unit records the arrival of a member in transit: the member joins it with
    the standing they had (probationary or official)."""
    _lock(member)
    errors: dict[str, str] = {}
    if member.transit_to_id is None:
        errors["member"] = _("The member is not in transit.")
    _event_date_errors(member, date, errors)
    if not errors:
        _cell_errors(member.transit_to, date, errors, "date")
    _raise(errors)

    with acting_as(actor):
        previous, receiving = member.unit, member.transit_to
        _close_interval(member, date)
        _open(member, receiving, member.status, date)
        waited = (date - member.transit_since).days if member.transit_since else None
        member.unit = receiving
        member.transit_to = None
        member.transit_since = None
        member.save(update_fields=["unit", "transit_to", "transit_since", "updated_at"])
        return _append(
            member,
            actor=actor,
            kind=EventKind.TRANSFER_IN,
            date=date,
            unit=receiving,
            other_unit=previous,
            transfer_mode=TransferMode.OFFICIAL,
            details={"days_in_transit": waited},
        )


@transaction.atomic
def member_temporary_arrival(*, actor, member: Member, date: dt.date) -> MemberEvent:
    """The receiving cell records the arrival of a member on a temporary transfer, as
    `member_transfer_in` does for an official one; the records stay with the member's cell."""
    _lock(member)
    errors: dict[str, str] = {}
    if member.attending_unit_id is None:
        errors["member"] = _("The member is not on a temporary transfer.")
    elif member.attending_since is not None:
        errors["member"] = _("The arrival at %(unit)s was recorded on %(date)s.") % {
            "unit": member.attending_unit,
            "date": _fmt(member.attending_since),
        }
    _event_date_errors(member, date, errors)
    if not errors:
        _cell_errors(member.attending_unit, date, errors, "date")
    _raise(errors)
    with acting_as(actor):
        member.attending_since = date
        member.save(update_fields=["attending_since", "updated_at"])
        details = {"until": member.attending_until.isoformat()} if member.attending_until else {}
        return _append(
            member,
            actor=actor,
            kind=EventKind.TEMP_TRANSFER_IN,
            date=date,
            unit=member.attending_unit,
            other_unit=member.unit,
            transfer_mode=TransferMode.TEMPORARY,
            details=details,
        )


@transaction.atomic
def member_temporary_return(*, actor, member: Member, date: dt.date) -> MemberEvent:
    """A member temporarily attending another cell returns to their own."""
    _lock(member)
    errors: dict[str, str] = {}
    if member.attending_unit_id is None:
        errors["member"] = _("The member is not temporarily attending another cell.")
    _event_date_errors(member, date, errors)
    _raise(errors)
    with acting_as(actor):
        attended = member.attending_unit
        member.attending_unit = None
        member.attending_until = None
        member.attending_since = None
        member.save(
            update_fields=["attending_unit", "attending_until", "attending_since", "updated_at"]
        )
        return _append(
            member,
            actor=actor,
            kind=EventKind.TEMP_TRANSFER_RETURN,
            date=date,
            unit=member.unit,
            other_unit=attended,
            transfer_mode=TransferMode.TEMPORARY,
        )


# --- end of membership -------------------------------------------------------------------


def _end_membership(member: Member, status: str, day: dt.date, actor=None) -> None:
    """Membership ends on `day`: the open interval closes and every committee seat ends."""
    hooks.member_left(actor=actor, member_id=member.pk, day=day)
    _close_interval(member, day)
    member.status = status
    member.transit_to = None
    member.transit_since = None
    member.attending_unit = None
    member.attending_until = None
    member.attending_since = None
    member.save(
        update_fields=[
            "status",
            "transit_to",
            "transit_since",
            "attending_unit",
            "attending_until",
            "attending_since",
            "updated_at",
        ]
    )


def _leaving_reason_errors(leaving_reason: str, errors: dict[str, str]) -> None:
    if leaving_reason not in ("", *LeavingReason.values):
        errors["leaving_reason"] = _("Choose a valid option.")


@transaction.atomic
def member_discipline(
    *,
    actor,
    member: Member,
    level: str,
    date: dt.date,
    decision_number: str,
    issuer: str,
    reason: str,
    seat: int | None = None,
    leaving_reason: str = "",
) -> MemberEvent:
    """Record a discipline decision (Statute art. 35). A probationary member can only be
    reprimanded or warned: graver cases lead to removal. A dismissal from post ends the
    committee seat it names (`seat`: the id of one the member holds, offered through
    `hooks.posts_held_by`) on its date; an expulsion ends membership and every seat, with the
    reason the member leaves (`leaving_reason`)."""
    _lock(member)
    errors: dict[str, str] = {}
    _active_errors(member, errors)
    if level not in DisciplineLevel.values:
        errors["level"] = _("Choose a valid option.")
    elif member.status == MemberStatus.PROBATIONARY and level not in PROBATIONARY_DISCIPLINE:
        errors["level"] = _(
            "A probationary member can only be reprimanded or warned: a graver case leads to "
            "removal (xóa tên), recorded as a removal."
        )
    if not (reason or "").strip():
        errors["reason"] = _("State the reason.")
    _event_date_errors(member, date, errors)
    _leaving_reason_errors(leaving_reason, errors)
    if leaving_reason and level != DisciplineLevel.EXPULSION and "level" not in errors:
        errors["leaving_reason"] = _(
            "A reason for leaving is recorded with an expulsion or a removal only."
        )
    post = hooks.post(seat)
    if level == DisciplineLevel.DISMISSAL and "level" not in errors:
        if post is None:
            errors["seat"] = _("Choose the committee seat the dismissal ends.")
        elif post.member_id != member.pk:
            errors["seat"] = _("The seat is not held by this member.")
        elif post.until is not None and isinstance(date, dt.date) and post.until <= date:
            errors["seat"] = _("This seat already ended on %(date)s.") % {"date": _fmt(post.until)}
    elif seat is not None and "level" not in errors:
        errors["seat"] = _("Only a dismissal from post ends a seat.")
    _raise(errors)
    with acting_as(actor):
        unit = member.unit
        details = {}
        if level == DisciplineLevel.EXPULSION:
            _end_membership(member, MemberStatus.EXPELLED, date, actor)
        elif level == DisciplineLevel.DISMISSAL:
            details = hooks.post_end(actor=actor, post_id=post.id, member_id=member.pk, day=date)
        return _append(
            member,
            actor=actor,
            kind=EventKind.DISCIPLINE,
            date=date,
            unit=unit,
            discipline_level=level,
            decision_number=decision_number,
            decision_date=date,
            issuer=issuer,
            reason=reason.strip(),
            leaving_reason=leaving_reason,
            details=details,
        )


@transaction.atomic
def member_remove(
    *,
    actor,
    member: Member,
    date: dt.date,
    reason: str,
    decision_number: str = "",
    issuer: str = "",
    leaving_reason: str = "",
) -> MemberEvent:
    """Remove a member's name (xóa tên), e.g. a probationary member who failed recognition or
    a member who left party activities without good reason. Ends membership and every
    committee seat on its date; `leaving_reason` says why (readmission depends on it)."""
    _lock(member)
    errors: dict[str, str] = {}
    _active_errors(member, errors)
    if not (reason or "").strip():
        errors["reason"] = _("State the reason.")
    _event_date_errors(member, date, errors)
    _leaving_reason_errors(leaving_reason, errors)
    _raise(errors)
    with acting_as(actor):
        unit = member.unit
        _end_membership(member, MemberStatus.REMOVED, date, actor)
        return _append(
            member,
            actor=actor,
            kind=EventKind.REMOVE,
            date=date,
            unit=unit,
            leaving_reason=leaving_reason,
            decision_number=decision_number,
            decision_date=date,
            issuer=issuer,
            reason=reason.strip(),
        )


@transaction.atomic
def member_death(*, actor, member: Member, date: dt.date) -> MemberEvent:
    """Record a member's death; membership and every committee seat end on that date."""
    _lock(member)
    errors: dict[str, str] = {}
    _active_errors(member, errors)
    _event_date_errors(member, date, errors)
    _raise(errors)
    with acting_as(actor):
        unit = member.unit
        _end_membership(member, MemberStatus.DECEASED, date, actor)
        return _append(member, actor=actor, kind=EventKind.DEATH, date=date, unit=unit)


def leaving_event(member: Member) -> MemberEvent | None:
    """The event that ended the member's membership last: a removal or an expulsion."""
    return (
        member.events.filter(
            Q(kind=EventKind.REMOVE)
            | Q(kind=EventKind.DISCIPLINE, discipline_level=DisciplineLevel.EXPULSION)
        )
        .order_by("-date", "-id")
        .first()
    )


def _readmission_wait_errors(
    left: MemberEvent,
    decision_date: dt.date,
    record_cleared_on: dt.date | None,
    errors: dict[str, str],
) -> None:
    months = rule("readmission_min_months")
    earliest = add_months(left.date, months)
    if decision_date < earliest:
        errors["decision_date"] = _(
            "Readmission comes at least %(months)s months after leaving (%(left)s): "
            "not before %(date)s."
        ) % {"months": months, "left": _fmt(left.date), "date": _fmt(earliest)}
        return
    if left.leaving_reason == LeavingReason.MINOR_OFFENCE and record_cleared_on is None:
        errors["record_cleared_on"] = _(
            "The member left after a conviction for a minor offence: enter the date the criminal "
            "record was cleared."
        )
    elif record_cleared_on is not None:
        months = rule("readmission_min_months_after_record_cleared")
        earliest = add_months(record_cleared_on, months)
        if decision_date < earliest:
            errors["decision_date"] = _(
                "Readmission comes at least %(months)s months after the criminal record was "
                "cleared (%(cleared)s): not before %(date)s."
            ) % {"months": months, "cleared": _fmt(record_cleared_on), "date": _fmt(earliest)}


@transaction.atomic
def member_readmit(
    *,
    actor,
    member: Member,
    unit: Unit,
    decision_date: dt.date,
    ceremony_date: dt.date,
    decision_number: str = "",
    issuer: str = "",
    ceremony_delay_approval: str = "",
    record_cleared_on: dt.date | None = None,
) -> MemberEvent:
    """Readmit an expelled or removed member (Regulation 232-QĐ/TW, 3.5): at most
    rule("readmission_limit") times, at least rule("readmission_min_months") after leaving, and
    never one who left for a reason that excludes it (recorded on the leaving event). A member
    who left after a conviction for a minor offence is readmitted at least
    rule("readmission_min_months_after_record_cleared") after the record was cleared
    (`record_cleared_on`).

    The member serves probation again from the new ceremony; the first admission decision is
    kept, so party age counts from it less the time out (the gap between the intervals).
    """
    _lock(member)
    errors: dict[str, str] = {}
    left = None
    if member.status not in (MemberStatus.EXPELLED, MemberStatus.REMOVED):
        errors["member"] = _("Only an expelled or removed member can be readmitted.")
    elif member.readmission_count >= rule("readmission_limit"):
        errors["member"] = _("A member may be readmitted %(limit)s time(s) only.") % {
            "limit": rule("readmission_limit")
        }
    else:
        left = leaving_event(member)
        if left is not None and left.leaving_reason in READMISSION_EXCLUDED:
            errors["member"] = _(
                "%(name)s left the party on %(date)s for a reason that excludes readmission "
                "(%(reason)s; Regulation 232-QĐ/TW, 3.5)."
            ) % {
                "name": member,
                "date": _fmt(left.date),
                "reason": left.get_leaving_reason_display(),
            }
    _event_date_errors(member, decision_date, errors, "decision_date")
    _date_errors(record_cleared_on, "record_cleared_on", errors, required=False)
    if left is not None and "member" not in errors and "decision_date" not in errors:
        _readmission_wait_errors(left, decision_date, record_cleared_on, errors)
    _date_errors(ceremony_date, "ceremony_date", errors)
    _cell_errors(unit, decision_date if "decision_date" not in errors else None, errors)
    if "decision_date" not in errors and "ceremony_date" not in errors:
        _ceremony_errors(decision_date, ceremony_date, ceremony_delay_approval, errors)
    _raise(errors)
    with acting_as(actor):
        member.status = MemberStatus.PROBATIONARY
        member.unit = unit
        member.admission_decision_date = decision_date
        member.ceremony_date = ceremony_date
        member.official_date = None
        member.readmission_count += 1
        member.save(
            update_fields=[
                "status",
                "unit",
                "admission_decision_date",
                "ceremony_date",
                "official_date",
                "readmission_count",
                "updated_at",
            ]
        )
        _open(member, unit, IntervalStatus.PROBATIONARY, decision_date)
        details = {
            "ceremony_date": ceremony_date.isoformat(),
            "readmission": member.readmission_count,
        }
        if record_cleared_on is not None:
            details["record_cleared_on"] = record_cleared_on.isoformat()
        if ceremony_delay_approval:
            details["ceremony_delay_approval"] = ceremony_delay_approval
        return _append(
            member,
            actor=actor,
            kind=EventKind.RESTORE,
            date=decision_date,
            unit=unit,
            decision_number=decision_number,
            decision_date=decision_date,
            issuer=issuer,
            details=details,
        )


# --- reorganization ----------------------------------------------------------------------


@transaction.atomic
def member_reassign(
    *,
    actor,
    member: Member,
    unit: Unit,
    date: dt.date,
    reorganization=None,
    redirect_transit: bool = False,
) -> MemberEvent:
    """Move a member's records to another unit because the tree changed (merge, split,
    dissolve): the open interval closes on `date` and a new one opens in `unit` with the
    same status. Called by the organization services; not a transfer.

    A member in transit stays in transit: the in-transit interval moves to the lowest common
    ancestor of the new unit and the destination. With `redirect_transit=True`, `unit` replaces
    the transit's destination instead (the receiving cell was reorganized).
    """
    _lock(member)
    errors: dict[str, str] = {}
    if member.status not in ACTIVE_STATUSES:
        errors["member"] = _("Only an active member can be moved.")
    if redirect_transit and member.transit_to_id is None:
        errors["member"] = _("The member is not in transit.")
    # A reorganization may be decided ahead of its effective date: no "future" refusal here.
    try:
        _check_not_before_last_event(member, date)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    _cell_errors(unit, date if "date" not in errors else None, errors)
    _raise(errors)
    with acting_as(actor):
        previous = member.transit_to if redirect_transit else member.unit
        interval = _close_interval(member, date)
        if member.transit_to_id is not None:
            sending = member.unit if redirect_transit else unit
            receiving = unit if redirect_transit else member.transit_to
            standing = interval.standing if interval and interval.standing else member.status
            _open(
                member,
                common_ancestor(sending, receiving),
                IntervalStatus.IN_TRANSIT,
                date,
                standing=standing,
            )
        else:
            status = interval.status if interval else member.status
            _open(member, unit, status, date)
        if redirect_transit:
            member.transit_to = unit
            member.save(update_fields=["transit_to", "updated_at"])
        else:
            member.unit = unit
            member.save(update_fields=["unit", "updated_at"])
        return _append(
            member,
            actor=actor,
            kind=EventKind.REORGANIZE,
            date=date,
            unit=previous,
            other_unit=unit,
            reorganization=reorganization,
            details={"redirect_transit": True} if redirect_transit else {},
        )


# --- candidates (the admission pipeline) -------------------------------------------------


@transaction.atomic
def candidate_propose(
    *,
    actor,
    unit: Unit,
    full_name: str,
    gender: str,
    birth_date: dt.date,
    ethnicity: str,
    proposed_by: str,
    proposed_on: dt.date,
    religion: str = "none",
    occupation: str = "",
) -> Candidate:
    """Enter a person proposed for admission by a cell or a mass organization."""
    errors: dict[str, str] = {}
    _personal_errors(
        {
            "full_name": full_name,
            "gender": gender,
            "birth_date": birth_date,
            "ethnicity": ethnicity,
            "religion": religion,
        },
        errors,
    )
    if proposed_by not in ProposedBy.values:
        errors["proposed_by"] = _("Choose a valid option.")
    _date_errors(proposed_on, "proposed_on", errors)
    _cell_errors(unit, proposed_on if "proposed_on" not in errors else None, errors)
    _raise(errors)
    with acting_as(actor):
        return Candidate.objects.create(
            unit=unit,
            full_name=full_name.strip(),
            gender=gender,
            birth_date=birth_date,
            ethnicity=ethnicity,
            religion=religion,
            occupation=occupation,
            proposed_by=proposed_by,
            proposed_on=proposed_on,
            stage=CandidateStage.PROPOSED,
        )


def _candidate_last_date(candidate: Candidate) -> dt.date:
    dates = [
        candidate.proposed_on,
        candidate.course_completed_on,
        candidate.application_filed_on,
        candidate.cell_vote_on,
    ]
    return max(d for d in dates if d is not None)


@transaction.atomic
def candidate_advance(
    *,
    actor,
    candidate: Candidate,
    stage: str,
    date: dt.date | None = None,
    introducer_1: Member | None = None,
    introducer_2: Member | None = None,
    votes_for: int | None = None,
    votes_total: int | None = None,
) -> Candidate:
    """Move a candidate to the next stage of the pipeline: course completed → application
    filed → introducers assigned (two different official members) → cell voted (at least
    rule("cell_vote_share") of the cell's official members on the vote date agreeing, not a
    majority of the votes cast). A stage cannot be skipped or repeated; admission is
    `candidate_admit`."""
    Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("pk").first()
    errors: dict[str, str] = {}
    date = date or _today()
    if candidate.stage in PIPELINE_ENDS:
        errors["stage"] = _("The candidate is no longer in the pipeline (%(stage)s).") % {
            "stage": candidate.get_stage_display()
        }
    elif stage not in CANDIDATE_PIPELINE[1:-1]:
        errors["stage"] = _("Choose a valid stage.")
    else:
        expected = CANDIDATE_PIPELINE[CANDIDATE_PIPELINE.index(candidate.stage) + 1]
        if stage != expected:
            errors["stage"] = _(
                "The next stage is “%(stage)s”: stages cannot be skipped or repeated."
            ) % {"stage": CandidateStage(expected).label}
    _date_errors(date, "date", errors)
    if "date" not in errors and date < _candidate_last_date(candidate):
        errors["date"] = _("The date is before the candidate's previous step (%(date)s).") % {
            "date": _fmt(_candidate_last_date(candidate))
        }
    if "stage" not in errors and stage == CandidateStage.INTRODUCERS_ASSIGNED:
        for field, person in (("introducer_1", introducer_1), ("introducer_2", introducer_2)):
            if person is None:
                errors[field] = _("Choose an introducer.")
            elif person.status != MemberStatus.OFFICIAL:
                errors[field] = _("An introducer must be an official member.")
        if (
            introducer_1 is not None
            and introducer_2 is not None
            and introducer_1.pk == introducer_2.pk
        ):
            errors["introducer_2"] = _("The two introducers must be different members.")
    if "stage" not in errors and stage == CandidateStage.CELL_VOTED:
        if votes_total is None or votes_total <= 0:
            errors["votes_total"] = _("Enter the number of votes cast.")
        if votes_for is None or votes_for < 0:
            errors["votes_for"] = _("Enter the number of votes for.")
        if not {"date", "votes_for", "votes_total"} & errors.keys():
            _cell_vote_errors(candidate.unit, date, votes_for, votes_total, errors)
    _raise(errors)

    with acting_as(actor):
        candidate.stage = stage
        changed = ["stage", "updated_at"]
        if stage == CandidateStage.COURSE_COMPLETED:
            candidate.course_completed_on = date
            changed.append("course_completed_on")
        elif stage == CandidateStage.APPLICATION_FILED:
            candidate.application_filed_on = date
            changed.append("application_filed_on")
        elif stage == CandidateStage.INTRODUCERS_ASSIGNED:
            candidate.introducer_1, candidate.introducer_2 = introducer_1, introducer_2
            changed += ["introducer_1", "introducer_2"]
        elif stage == CandidateStage.CELL_VOTED:
            candidate.cell_vote_on, candidate.votes_for, candidate.votes_total = (
                date,
                votes_for,
                votes_total,
            )
            changed += ["cell_vote_on", "votes_for", "votes_total"]
        candidate.save(update_fields=changed)
    return candidate


@transaction.atomic
def candidate_reassign(*, actor, candidate: Candidate, unit: Unit, date: dt.date) -> Candidate:
    """Move a candidate still in the pipeline to another cell because the tree changed (a merge
    or a split closed their cell): the proposal and every step so far stay as recorded. Called
    by the organization services, like `member_reassign`."""
    Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("pk").first()
    errors: dict[str, str] = {}
    if candidate.stage in PIPELINE_ENDS:
        errors["candidate"] = _("The candidate is no longer in the pipeline (%(stage)s).") % {
            "stage": candidate.get_stage_display()
        }
    _cell_errors(unit, date, errors)
    _raise(errors)
    with acting_as(actor):
        candidate.unit = unit
        candidate.save(update_fields=["unit", "updated_at"])
    return candidate


@transaction.atomic
def candidate_drop(*, actor, candidate: Candidate, reason: str) -> Candidate:
    """Take a candidate out of the pipeline, with the reason."""
    errors: dict[str, str] = {}
    if candidate.stage in PIPELINE_ENDS:
        errors["stage"] = _("The candidate is no longer in the pipeline (%(stage)s).") % {
            "stage": candidate.get_stage_display()
        }
    if not (reason or "").strip():
        errors["reason"] = _("State the reason.")
    _raise(errors)
    with acting_as(actor):
        candidate.stage = CandidateStage.DROPPED
        candidate.dropped_reason = reason.strip()
        candidate.save(update_fields=["stage", "dropped_reason", "updated_at"])
    return candidate


@transaction.atomic
def candidate_admit(
    *,
    actor,
    candidate: Candidate,
    decision_date: dt.date,
    ceremony_date: dt.date,
    decision_number: str = "",
    issuer: str = "",
    age_exception: str = "",
    ceremony_delay_approval: str = "",
    party_card_number: str | None = None,
) -> Member:
    """Admit a candidate the cell has voted for: a probationary member through `member_admit`
    with the candidate's personal data; the candidate is linked to the new member."""
    errors: dict[str, str] = {}
    if candidate.stage != CandidateStage.CELL_VOTED:
        errors["stage"] = _("A candidate is admitted after the cell's vote.")
    elif isinstance(decision_date, dt.date) and decision_date < candidate.cell_vote_on:
        errors["decision_date"] = _(
            "The admission decision comes after the cell's vote (%(date)s)."
        ) % {"date": _fmt(candidate.cell_vote_on)}
    _raise(errors)
    return member_admit(
        actor=actor,
        unit=candidate.unit,
        full_name=candidate.full_name,
        gender=candidate.gender,
        birth_date=candidate.birth_date,
        ethnicity=candidate.ethnicity,
        religion=candidate.religion,
        occupation=candidate.occupation,
        decision_date=decision_date,
        ceremony_date=ceremony_date,
        decision_number=decision_number,
        issuer=issuer,
        age_exception=age_exception,
        ceremony_delay_approval=ceremony_delay_approval,
        party_card_number=party_card_number,
        candidate=candidate,
    )
