"""Writes to the meetings: the meeting and its agenda, attendance, minutes and assessment,
decisions and their assignments, signing and corrections, and the liaisons of the cells.

Each service: keyword-only arguments, the acting user passed in, one transaction, validation
before saving, a ValidationError naming the field on failure and nothing written then. A
meeting whose minutes are signed is locked: every service that would change it refuses, and
what was wrong is recorded with `correction_add`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.committees.models import CommitteeSeat
from grassroots.core.access import Access, Action, under
from grassroots.core.audit import acting_as
from grassroots.members.models import Member
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import AssignmentStatus, AttendanceStatus, CorrectionPart, MeetingKind
from .models import (
    Assignment,
    Attendance,
    Decision,
    FollowUp,
    Liaison,
    Meeting,
    MeetingCorrection,
    MeetingDocument,
)
from .selectors import liaison_on, unit_members
from .tallies import tally_refresh

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".jpg", ".jpeg", ".png"}


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _lock(meeting: Meeting) -> Meeting:
    """The meeting read again under a row lock, with its unit."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("unit").get(pk=meeting.pk)


def _refuse_locked(meeting: Meeting, field: str = "__all__") -> None:
    if meeting.is_locked:
        raise ValidationError(
            {
                field: _(
                    "The minutes of this meeting were signed on %(date)s: the meeting is locked. "
                    "Record a correction instead."
                )
                % {"date": _fmt(meeting.signed_on)}
            }
        )


def _seat_held_on(seat: CommitteeSeat, day: dt.date) -> bool:
    return (seat.from_date is None or seat.from_date <= day) and (
        seat.to_date is None or seat.to_date > day
    )


def _visitor_errors(seat: CommitteeSeat | None, unit: Unit, day: dt.date) -> str:
    """Why `seat` cannot be the higher-level committee member attending `unit` on `day`."""
    if seat is None:
        return ""
    seat = CommitteeSeat.objects.select_related("committee__unit").get(pk=seat.pk)
    above = seat.committee.unit
    if above.pk == unit.pk or not under(unit.path, [above.path]):
        return _("%(person)s is not on the committee of a unit above %(unit)s.") % {
            "person": seat.display_name,
            "unit": unit,
        }
    if not _seat_held_on(seat, day):
        return _("%(person)s did not hold the seat on %(date)s.") % {
            "person": seat.display_name,
            "date": _fmt(day),
        }
    return ""


# --- the meeting and its agenda --------------------------------------------------------------


def _meeting_errors(
    *, unit: Unit, kind: str, date, place: str, exclude: int | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = _("Choose the kind of meeting.")
    elif kind in (MeetingKind.REGULAR, MeetingKind.THEMATIC) and unit.kind not in CELL_KINDS:
        errors["kind"] = _(
            "Regular and thematic meetings are a cell's; a committee records a committee meeting."
        )
    if date is None:
        errors["date"] = _("Enter the date of the meeting.")
    elif date < unit.valid_from or (unit.valid_to and date > unit.valid_to):
        errors["date"] = _("%(unit)s was not open on %(date)s.") % {
            "unit": unit,
            "date": _fmt(date),
        }
    elif kind == MeetingKind.REGULAR:
        same_month = Meeting.objects.filter(
            unit=unit, kind=MeetingKind.REGULAR, date__year=date.year, date__month=date.month
        ).exclude(pk=exclude)
        other = same_month.order_by("date").first()
        if other is not None:
            errors["date"] = _(
                "%(unit)s already has its regular meeting of this month, on %(date)s."
            ) % {"unit": unit, "date": _fmt(other.date)}
    if len(place or "") > 200:
        errors["place"] = _("Keep the place under 200 characters.")
    return errors


@transaction.atomic
def meeting_create(
    *,
    actor,
    unit: Unit,
    kind: str,
    date: dt.date,
    start_time: dt.time | None = None,
    place: str = "",
    topic: str = "",
    agenda: str = "",
    visitor_seat: CommitteeSeat | None = None,
) -> Meeting:
    """Schedule a meeting of `unit` with its agenda as a draft. The higher-level committee
    member attending is the cell's liaison on that date unless another is named. A cell holds
    one regular meeting a month."""
    errors = _meeting_errors(unit=unit, kind=kind, date=date, place=place)
    if date is not None and "date" not in errors:
        if visitor_seat is None:
            liaison = liaison_on(unit, date)
            visitor_seat = liaison.seat if liaison else None
        elif message := _visitor_errors(visitor_seat, unit, date):
            errors["visitor_seat"] = message
    if kind == MeetingKind.THEMATIC and not (topic or "").strip():
        errors["topic"] = _("A thematic meeting needs its topic.")
    _raise(errors)
    with acting_as(actor):
        meeting = Meeting.objects.create(
            unit=unit,
            kind=kind,
            date=date,
            start_time=start_time,
            place=(place or "").strip(),
            topic=(topic or "").strip(),
            agenda=(agenda or "").strip(),
            visitor_seat=visitor_seat,
        )
    tally_refresh([(unit.pk, date.year)])
    return meeting


EDITABLE = {"kind", "date", "start_time", "place", "topic", "agenda", "visitor_seat"}


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    """Change the meeting's kind, date, time, place, topic, agenda or attending committee
    member; refused once the minutes are signed."""
    unknown = set(fields) - EDITABLE
    _raise({n: _("This field cannot be changed here.") for n in sorted(unknown)})
    meeting = _lock(meeting)
    _refuse_locked(meeting)
    values = {n: fields.get(n, getattr(meeting, n)) for n in EDITABLE}
    errors = _meeting_errors(
        unit=meeting.unit,
        kind=values["kind"],
        date=values["date"],
        place=values["place"],
        exclude=meeting.pk,
    )
    if values["date"] is not None and meeting.attendance_recorded and values["date"] > _today():
        errors["date"] = _("The attendance is recorded: the meeting cannot move to the future.")
    if "date" not in errors and (
        message := _visitor_errors(values["visitor_seat"], meeting.unit, values["date"])
    ):
        errors["visitor_seat"] = message
    if values["kind"] == MeetingKind.THEMATIC and not (values["topic"] or "").strip():
        errors["topic"] = _("A thematic meeting needs its topic.")
    _raise(errors)
    before = (meeting.unit_id, meeting.date.year)
    with acting_as(actor):
        for name, value in fields.items():
            setattr(meeting, name, value.strip() if isinstance(value, str) else value)
        meeting.save()
    tally_refresh([before, (meeting.unit_id, meeting.date.year)])
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Remove a meeting scheduled by mistake or called off: only while nothing was recorded of
    it (no attendance, decision or document) and its minutes are unsigned. The audit log keeps
    what it was."""
    meeting = _lock(meeting)
    _refuse_locked(meeting)
    if meeting.attendance_recorded or meeting.decisions.exists() or meeting.documents.exists():
        raise ValidationError(
            {
                "__all__": _(
                    "The meeting has its attendance, decisions or documents recorded: it took "
                    "place and stays in the record."
                )
            }
        )
    with acting_as(actor):
        meeting.follow_ups.all().delete()
        tallied = (meeting.unit_id, meeting.date.year)
        meeting.delete()
    tally_refresh([tallied])


@transaction.atomic
def agenda_publish(*, actor, meeting: Meeting, day: dt.date | None = None) -> Meeting:
    """Publish the agenda to the unit's members on `day` (today by default), so that they can
    prepare; it was a draft of the cell committee until then."""
    meeting = _lock(meeting)
    _refuse_locked(meeting)
    day = day or _today()
    errors: dict[str, str] = {}
    if meeting.agenda_published_on is not None:
        errors["__all__"] = _("The agenda was already published on %(date)s.") % {
            "date": _fmt(meeting.agenda_published_on)
        }
    elif not meeting.agenda.strip():
        errors["agenda"] = _("Write the agenda before publishing it.")
    _raise(errors)
    with acting_as(actor):
        meeting.agenda_published_on = day
        meeting.save()
    return meeting


@transaction.atomic
def document_add(*, actor, meeting: Meeting, title: str, file) -> MeetingDocument:
    """Post a document with the agenda (PDF, office or image files up to 10 MB)."""
    meeting = _lock(meeting)
    _refuse_locked(meeting, "file")
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Enter the document's title.")
    if file is None:
        errors["file"] = _("Choose a file.")
    else:
        suffix = Path(file.name or "").suffix.lower()
        if suffix not in DOCUMENT_TYPES:
            errors["file"] = _("Post a PDF, Word, Excel, OpenDocument or image file.")
        elif file.size > DOCUMENT_MAX_BYTES:
            errors["file"] = _("The file is larger than %(limit)s.") % {
                "limit": filesizeformat(DOCUMENT_MAX_BYTES)
            }
    _raise(errors)
    with acting_as(actor):
        return MeetingDocument.objects.create(meeting=meeting, title=title, file=file)


# --- attendance, assessment, minutes ---------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    member: Member
    status: str
    reason: str = ""


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, entries: Iterable[AttendanceEntry]) -> Meeting:
    """Record who was present, excused (with the reason) or absent: every member of the unit
    on the meeting's date, and only them. The meeting's counts and rate follow."""
    meeting = _lock(meeting)
    _refuse_locked(meeting)
    entries = list(entries)
    errors: dict[str, str] = {}
    if meeting.date > _today():
        errors["__all__"] = _("The meeting is on %(date)s: record its attendance after it.") % {
            "date": _fmt(meeting.date)
        }
        _raise(errors)
    expected = {m.pk: m for m in unit_members(meeting.unit, meeting.date)}
    seen: set[int] = set()
    for entry in entries:
        key = f"status_{entry.member.pk}"
        if entry.member.pk not in expected:
            errors[key] = _("%(member)s is not a member of %(unit)s on %(date)s.") % {
                "member": entry.member,
                "unit": meeting.unit,
                "date": _fmt(meeting.date),
            }
        elif entry.member.pk in seen:
            errors[key] = _("%(member)s is listed twice.") % {"member": entry.member}
        elif entry.status not in AttendanceStatus.values:
            errors[key] = _("Mark %(member)s present, excused or absent.") % {
                "member": entry.member
            }
        elif entry.status == AttendanceStatus.EXCUSED and not entry.reason.strip():
            errors[f"reason_{entry.member.pk}"] = _("Give the reason %(member)s was excused.") % {
                "member": entry.member
            }
        seen.add(entry.member.pk)
    for pk, member in expected.items():
        if pk not in seen:
            errors[f"status_{pk}"] = _("Mark %(member)s present, excused or absent.") % {
                "member": member
            }
    if not expected:
        errors["__all__"] = _("%(unit)s had no members on %(date)s.") % {
            "unit": meeting.unit,
            "date": _fmt(meeting.date),
        }
    _raise(errors)
    existing = {a.member_id: a for a in meeting.attendance.all()}
    with acting_as(actor):
        for entry in entries:
            reason = entry.reason.strip() if entry.status != AttendanceStatus.PRESENT else ""
            row = existing.get(entry.member.pk)
            if row is None:
                Attendance.objects.create(
                    meeting=meeting, member=entry.member, status=entry.status, reason=reason
                )
            elif (row.status, row.reason) != (entry.status, reason):
                row.status, row.reason = entry.status, reason
                row.save()
        meeting.expected_count = len(entries)
        meeting.present_count = sum(1 for e in entries if e.status == AttendanceStatus.PRESENT)
        meeting.excused_count = sum(1 for e in entries if e.status == AttendanceStatus.EXCUSED)
        meeting.save()
    tally_refresh([(meeting.unit_id, meeting.date.year)])
    return meeting


@transaction.atomic
def assessment_record(
    *,
    actor,
    meeting: Meeting,
    cell_strengths: str = "",
    cell_limitations: str = "",
    next_month_tasks: str = "",
    members: dict[int, tuple[str, str]] | None = None,
) -> Meeting:
    """The month's assessment: of the unit (strengths, limitations, tasks for the next month)
    and of each member present or listed (`members`: member id → (strengths, limitations))."""
    meeting = _lock(meeting)
    _refuse_locked(meeting)
    rows = {a.member_id: a for a in meeting.attendance.select_related("member")}
    members = members or {}
    if members and not rows:
        _raise({"__all__": _("Record the attendance first: members are assessed from it.")})
    errors = {
        f"strengths_{pk}": _("This member is not on the meeting's attendance.")
        for pk in members
        if pk not in rows
    }
    _raise(errors)
    with acting_as(actor):
        meeting.cell_strengths = (cell_strengths or "").strip()
        meeting.cell_limitations = (cell_limitations or "").strip()
        meeting.next_month_tasks = (next_month_tasks or "").strip()
        meeting.save()
        for pk, (strengths, limitations) in members.items():
            row = rows[pk]
            strengths, limitations = (strengths or "").strip(), (limitations or "").strip()
            if (row.strengths, row.limitations) != (strengths, limitations):
                row.strengths, row.limitations = strengths, limitations
                row.save()
    return meeting


@transaction.atomic
def minutes_save(
    *,
    actor,
    meeting: Meeting,
    minutes: str,
    chair: str = "",
    recorder: str = "",
    visitor_attended: bool | None = None,
) -> Meeting:
    """The minutes' text, who chaired and who took them, and whether the higher-level
    committee member came."""
    meeting = _lock(meeting)
    _refuse_locked(meeting)
    errors: dict[str, str] = {}
    if meeting.date > _today():
        errors["minutes"] = _("The meeting is on %(date)s: write its minutes after it.") % {
            "date": _fmt(meeting.date)
        }
    if visitor_attended and meeting.visitor_seat_id is None:
        errors["visitor_attended"] = _("No committee member was assigned to attend.")
    _raise(errors)
    with acting_as(actor):
        meeting.minutes = (minutes or "").strip()
        meeting.chair = (chair or "").strip()
        meeting.recorder = (recorder or "").strip()
        meeting.visitor_attended = visitor_attended if meeting.visitor_seat_id else None
        meeting.save()
    return meeting


@transaction.atomic
def meeting_sign(*, actor, meeting: Meeting, signed_on: dt.date | None = None) -> Meeting:
    """Sign the minutes (by the chair and the one who took them): the meeting is locked from
    then on. It needs the attendance and the minutes."""
    meeting = _lock(meeting)
    _refuse_locked(meeting, "signed_on")
    signed_on = signed_on or _today()
    errors: dict[str, str] = {}
    if not meeting.attendance_recorded:
        errors["__all__"] = _("Record the attendance before signing the minutes.")
    elif not meeting.minutes.strip():
        errors["__all__"] = _("Write the minutes before signing them.")
    elif not meeting.chair or not meeting.recorder:
        errors["__all__"] = _("Name who chaired the meeting and who took the minutes.")
    if signed_on < meeting.date:
        errors["signed_on"] = _("The minutes cannot be signed before the meeting (%(date)s).") % {
            "date": _fmt(meeting.date)
        }
    elif signed_on > _today():
        errors["signed_on"] = _("The minutes cannot be signed on a future date.")
    _raise(errors)
    with acting_as(actor):
        meeting.signed_on = signed_on
        meeting.save()
    tally_refresh([(meeting.unit_id, meeting.date.year)])
    return meeting


@transaction.atomic
def correction_add(
    *,
    actor,
    meeting: Meeting,
    part: str,
    text: str,
    reason: str,
    recorded_on: dt.date | None = None,
) -> MeetingCorrection:
    """Record a correction to signed minutes: the signed text stays, the correction follows it.
    Before signing, the minutes are simply edited."""
    meeting = _lock(meeting)
    recorded_on = recorded_on or _today()
    errors: dict[str, str] = {}
    if not meeting.is_locked:
        errors["__all__"] = _("The minutes are not signed yet: edit them instead.")
    if part not in CorrectionPart.values:
        errors["part"] = _("Choose the part corrected.")
    if not (text or "").strip():
        errors["text"] = _("Write the correction.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the correction.")
    if meeting.is_locked and recorded_on < meeting.signed_on:
        errors["recorded_on"] = _("A correction comes after the signing (%(date)s).") % {
            "date": _fmt(meeting.signed_on)
        }
    elif recorded_on > _today():
        errors["recorded_on"] = _("A correction cannot be dated in the future.")
    _raise(errors)
    with acting_as(actor):
        return MeetingCorrection.objects.create(
            meeting=meeting,
            part=part,
            text=text.strip(),
            reason=reason.strip(),
            recorded_on=recorded_on,
        )


# --- decisions and assignments ---------------------------------------------------------------


def _assignment_errors(
    *, meeting: Meeting, task: str, due_date, members: list[Member]
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not (task or "").strip():
        errors["task"] = _("Say what is to be done.")
    if due_date is None:
        errors["due_date"] = _("Enter the due date.")
    elif due_date < meeting.date:
        errors["due_date"] = _("The due date comes after the meeting (%(date)s).") % {
            "date": _fmt(meeting.date)
        }
    if not members:
        errors["members"] = _("Choose at least one member.")
    else:
        expected = set(
            unit_members(meeting.unit, meeting.date)
            .filter(pk__in=[m.pk for m in members])
            .values_list("pk", flat=True)
        )
        outside = [m for m in members if m.pk not in expected]
        if outside:
            errors["members"] = _("%(names)s: not a member of %(unit)s on %(date)s.") % {
                "names": ", ".join(str(m) for m in outside),
                "unit": meeting.unit,
                "date": _fmt(meeting.date),
            }
    return errors


@transaction.atomic
def decision_add(
    *,
    actor,
    meeting: Meeting,
    text: str,
    task: str = "",
    due_date: dt.date | None = None,
    members: Iterable[Member] = (),
) -> Decision:
    """Record a decision of the meeting, numbered after the others, and — when `task` is given —
    the assignment it creates, in the same transaction."""
    meeting = _lock(meeting)
    _refuse_locked(meeting, "text")
    members = list(members)
    errors: dict[str, str] = {}
    if not (text or "").strip():
        errors["text"] = _("Write the decision.")
    if meeting.date > _today():
        errors["text"] = _("The meeting is on %(date)s: record its decisions after it.") % {
            "date": _fmt(meeting.date)
        }
    wants_assignment = bool((task or "").strip() or due_date or members)
    if wants_assignment:
        errors.update(
            _assignment_errors(meeting=meeting, task=task, due_date=due_date, members=members)
        )
    _raise(errors)
    number = (meeting.decisions.aggregate(n=Max("number"))["n"] or 0) + 1
    with acting_as(actor):
        decision = Decision.objects.create(meeting=meeting, number=number, text=text.strip())
        if wants_assignment:
            _assignment_create(decision, task, due_date, members)
    return decision


def _assignment_create(decision: Decision, task: str, due_date, members) -> Assignment:
    assignment = Assignment.objects.create(
        decision=decision, unit=decision.meeting.unit, task=task.strip(), due_date=due_date
    )
    assignment.members.set(members)
    return assignment


@transaction.atomic
def assignment_add(
    *, actor, decision: Decision, task: str, due_date: dt.date, members: Iterable[Member]
) -> Assignment:
    """An assignment created by `decision`: one or more members of the meeting's unit (on the
    meeting's date), what, by when."""
    decision = Decision.objects.select_related("meeting").get(pk=decision.pk)
    meeting = _lock(decision.meeting)
    _refuse_locked(meeting, "task")
    decision.meeting = meeting
    members = list(members)
    _raise(_assignment_errors(meeting=meeting, task=task, due_date=due_date, members=members))
    with acting_as(actor):
        return _assignment_create(decision, task, due_date, members)


@transaction.atomic
def assignment_set_status(
    *,
    actor,
    assignment: Assignment,
    status: str,
    day: dt.date | None = None,
    reason: str = "",
    meeting: Meeting | None = None,
    note: str = "",
) -> Assignment:
    """Mark an assignment done, dropped (with the reason) or open again, or — with the same
    status — note its progress. With `meeting` (a later meeting of the unit, not locked) the
    follow-up is recorded in that meeting."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("decision__meeting", "unit")
        .get(pk=assignment.pk)
    )
    day = day or (meeting.date if meeting else _today())
    reason = (reason or "").strip()
    note = (note or "").strip()
    errors: dict[str, str] = {}
    origin = assignment.decision.meeting
    if status not in AssignmentStatus.values:
        errors["status"] = _("Choose open, done or dropped.")
    elif status == AssignmentStatus.DROPPED and not reason:
        errors["reason"] = _("Give the reason the assignment is dropped.")
    elif status == assignment.status and not note and meeting is None:
        errors["status"] = _("The assignment is already %(status)s.") % {
            "status": assignment.get_status_display().lower()
        }
    if day < origin.date:
        errors["day"] = _("The assignment was given on %(date)s.") % {"date": _fmt(origin.date)}
    elif day > _today():
        errors["day"] = _("The date cannot be in the future.")
    if meeting is not None:
        meeting = _lock(meeting)
        if meeting.unit_id != assignment.unit_id or meeting.date <= origin.date:
            errors["meeting"] = _("Choose a later meeting of %(unit)s.") % {"unit": assignment.unit}
        elif meeting.is_locked:
            errors["meeting"] = _("The minutes of that meeting are signed: it is locked.")
    _raise(errors)
    with acting_as(actor):
        if status != assignment.status:
            assignment.status = status
            assignment.closed_on = None if status == AssignmentStatus.OPEN else day
            assignment.drop_reason = reason if status == AssignmentStatus.DROPPED else ""
            assignment.save()
        if meeting is not None:
            FollowUp.objects.create(
                assignment=assignment, meeting=meeting, note=note, status=status
            )
    return assignment


# --- liaisons --------------------------------------------------------------------------------


def _overlapping(
    seat: CommitteeSeat, unit: Unit, start: dt.date, end: dt.date | None, exclude=None
):
    q = Liaison.objects.filter(seat=seat, unit=unit).filter(
        Q(to_date__isnull=True) | Q(to_date__gte=start)
    )
    if end is not None:
        q = q.filter(from_date__lte=end)
    return q.exclude(pk=exclude).exists()


@transaction.atomic
def liaison_add(
    *,
    actor,
    seat: CommitteeSeat,
    unit: Unit,
    from_date: dt.date,
    to_date: dt.date | None = None,
) -> Liaison:
    """Assign a member of a higher-level committee to attend a cell's meetings. The committee
    decides: the actor must be able to change the committee's unit."""
    seat = CommitteeSeat.objects.select_related("committee__unit").get(pk=seat.pk)
    above = seat.committee.unit
    errors: dict[str, str] = {}
    if actor is not None and not Access.of(actor).may(Action.CHANGE, above):
        errors["seat"] = _("Only %(unit)s assigns its committee members.") % {"unit": above}
    elif unit.kind not in CELL_KINDS:
        errors["unit"] = _("Committee members are assigned to attend cells.")
    elif above.pk == unit.pk or not under(unit.path, [above.path]):
        errors["seat"] = _("%(person)s is not on the committee of a unit above %(unit)s.") % {
            "person": seat.display_name,
            "unit": unit,
        }
    if from_date is None:
        errors["from_date"] = _("Enter the start of the assignment.")
    elif "seat" not in errors and not _seat_held_on(seat, from_date):
        errors["from_date"] = _("%(person)s did not hold the seat on %(date)s.") % {
            "person": seat.display_name,
            "date": _fmt(from_date),
        }
    elif to_date is not None and to_date < from_date:
        errors["to_date"] = _("An assignment ends after it starts.")
    elif _overlapping(seat, unit, from_date, to_date):
        errors["from_date"] = _("%(person)s is already assigned to %(unit)s over these dates.") % {
            "person": seat.display_name,
            "unit": unit,
        }
    _raise(errors)
    with acting_as(actor):
        return Liaison.objects.create(seat=seat, unit=unit, from_date=from_date, to_date=to_date)


@transaction.atomic
def liaison_end(*, actor, liaison: Liaison, to_date: dt.date) -> Liaison:
    """End a liaison's assignment on `to_date` (it stays in the record)."""
    liaison = Liaison.objects.select_for_update(of=("self",)).get(pk=liaison.pk)
    errors: dict[str, str] = {}
    if liaison.to_date is not None:
        errors["to_date"] = _("This assignment already ended on %(date)s.") % {
            "date": _fmt(liaison.to_date)
        }
    elif to_date is None:
        errors["to_date"] = _("Enter the date the assignment ends.")
    elif to_date < liaison.from_date:
        errors["to_date"] = _("An assignment ends after it starts.")
    _raise(errors)
    with acting_as(actor):
        liaison.to_date = to_date
        liaison.save()
    return liaison
