"""Writes to citizens' feedback. Each service: keyword-only arguments, the acting user passed in
(None for the public form and the periodic escalation), one transaction, validation before
saving, a ValidationError naming the field on failure, and a `FeedbackEvent` for the history.

Who decides: staff act on feedback whose responsible unit they may change (checked here as
well as by the pages, so that the API cannot disagree); the citizen files through the public
form and gives their satisfaction with the tracking code."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.access import Access, Action, under
from grassroots.core.audit import acting_as
from grassroots.core.dates import add_working_days
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Unit

from . import conf
from .choices import OPEN_STATUSES, REOPENABLE, Category, Channel, EventKind, Satisfaction, Status
from .models import Feedback, FeedbackEvent, new_tracking_code

# The organizations that answer citizens: those with a committee of their own. A cell (a
# village, a school) is where feedback comes from; its grassroots organization answers it.
RESPONSIBLE_KINDS = (
    UnitKind.GRASSROOTS,
    UnitKind.GRASSROOTS_CELL,
    UnitKind.DISTRICT,
    UnitKind.BLOC,
    UnitKind.PROVINCE,
)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def route_place(place: Unit) -> Unit:
    """The unit that answers feedback about `place`: the place itself when it is a party
    organization with a committee, else the nearest such organization above it."""
    if place.kind in RESPONSIBLE_KINDS:
        return place
    ids = [i for i in reversed(place.ancestor_ids()) if i != place.pk]
    above = {u.pk: u for u in Unit.objects.filter(pk__in=ids, kind__in=RESPONSIBLE_KINDS)}
    for unit_id in ids:
        if unit_id in above:
            return above[unit_id]
    raise ValidationError({"place": _("No organization answers feedback about this place.")})


def public_places():
    """The communes and wards a citizen may choose on the public form: the open grassroots
    organizations."""
    return Unit.objects.filter(
        kind__in=(UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL), valid_to__isnull=True
    )


def due_date_for(category: str, received_on: dt.date) -> dt.date:
    """The answer is due `conf.due_working_days(category)` working days after receipt."""
    return add_working_days(received_on, conf.due_working_days(category))


def _require(actor, action: str, unit: Unit, field: str = "unit") -> None:
    if actor is None:
        return
    if not Access.of(actor).may(action, unit):
        raise ValidationError(
            {field: _("You may not handle feedback of %(unit)s.") % {"unit": unit}}
        )


def _event(feedback: Feedback, kind: str, actor=None, **fields) -> FeedbackEvent:
    actor = actor if actor is not None and getattr(actor, "pk", None) else None
    return FeedbackEvent.objects.create(feedback=feedback, kind=kind, actor=actor, **fields)


def _text_errors(*, category: str, subject: str, body: str, citizen_name: str) -> dict:
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if not subject:
        errors["subject"] = _("Enter the subject.")
    elif len(subject) > conf.SUBJECT_MAX_CHARS:
        errors["subject"] = _("At most %(n)d characters.") % {"n": conf.SUBJECT_MAX_CHARS}
    if not body:
        errors["body"] = _("Enter the content.")
    elif len(body) > conf.BODY_MAX_CHARS:
        errors["body"] = _("At most %(n)d characters.") % {"n": conf.BODY_MAX_CHARS}
    if not citizen_name:
        errors["citizen_name"] = _("Enter the citizen's name.")
    return errors


def _create(**fields) -> Feedback:
    # A collision of 50 random bits is all but impossible; retry rather than fail if it happens.
    for _attempt in range(5):
        code = new_tracking_code()
        try:
            with transaction.atomic():
                return Feedback.objects.create(code=code, **fields)
        except IntegrityError:
            if Feedback.objects.filter(code=code).exists():
                continue
            raise
    raise RuntimeError("No free tracking code.")


@transaction.atomic
def feedback_receive(
    *,
    actor,
    unit: Unit,
    channel: str,
    category: str,
    subject: str,
    body: str,
    citizen_name: str,
    citizen_phone: str = "",
    citizen_address: str = "",
    citizen_id_number: str = "",
    received_on: dt.date | None = None,
    source_note: str = "",
    place: Unit | None = None,
) -> Feedback:
    """Record feedback a unit received at a dialogue meeting, a visit, a call or by letter; it
    is due the category's number of working days after receipt."""
    today = timezone.localdate()
    received_on = received_on or today
    subject, body, citizen_name = subject.strip(), body.strip(), citizen_name.strip()
    errors = _text_errors(category=category, subject=subject, body=body, citizen_name=citizen_name)
    if channel not in Channel.values or channel == Channel.ONLINE:
        errors["channel"] = _("Choose how the feedback was received.")
    if unit.kind not in RESPONSIBLE_KINDS:
        errors["unit"] = _(
            "%(unit)s does not answer feedback itself: choose its party organization."
        ) % {"unit": unit}
    elif not unit.is_open:
        errors["unit"] = _("%(unit)s is closed.") % {"unit": unit}
    if received_on > today:
        errors["received_on"] = _("The date of receipt cannot be in the future.")
    if place is not None and not under(place.path, [unit.path]):
        errors["place"] = _("%(place)s is not in %(unit)s.") % {"place": place, "unit": unit}
    if citizen_id_number and not (
        citizen_id_number.isdigit() and len(citizen_id_number) in (9, 12)
    ):
        errors["citizen_id_number"] = _("An ID card number has 9 or 12 digits.")
    if not errors:
        try:
            _require(actor, Action.CHANGE, unit)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    due = due_date_for(category, received_on)
    with acting_as(actor):
        feedback = _create(
            unit=unit,
            origin_unit=unit,
            place=place,
            channel=channel,
            source_note=source_note.strip(),
            category=category,
            subject=subject,
            body=body,
            citizen_name=citizen_name,
            citizen_phone=citizen_phone.strip(),
            citizen_address=citizen_address.strip(),
            citizen_id_number=citizen_id_number.strip(),
            received_on=received_on,
            first_due_date=due,
            due_date=due,
        )
        _event(feedback, EventKind.RECEIVED, actor, to_unit=unit)
    return feedback


@transaction.atomic
def feedback_submit_public(
    *,
    place: Unit,
    category: str,
    subject: str,
    body: str,
    citizen_name: str,
    citizen_phone: str = "",
    citizen_address: str = "",
) -> Feedback:
    """Feedback a citizen sends through the public form: routed from the place they chose to
    the organization that answers it, received today, with a tracking code."""
    subject, body, citizen_name = subject.strip(), body.strip(), citizen_name.strip()
    errors = _text_errors(category=category, subject=subject, body=body, citizen_name=citizen_name)
    if not place.is_open:
        errors["place"] = _("Choose a place.")
    if errors:
        raise ValidationError(errors)
    unit = route_place(place)
    today = timezone.localdate()
    due = due_date_for(category, today)
    with acting_as(None):
        feedback = _create(
            unit=unit,
            origin_unit=unit,
            place=place,
            channel=Channel.ONLINE,
            category=category,
            subject=subject,
            body=body,
            citizen_name=citizen_name,
            citizen_phone=citizen_phone.strip(),
            citizen_address=citizen_address.strip(),
            received_on=today,
            first_due_date=due,
            due_date=due,
        )
        _event(feedback, EventKind.RECEIVED, None, to_unit=unit, note="")
    return feedback


def _locked(feedback: Feedback) -> Feedback:
    return (
        Feedback.objects.select_for_update(of=("self",)).select_related("unit").get(pk=feedback.pk)
    )


def _require_open(feedback: Feedback, field: str = "status") -> None:
    if feedback.status not in OPEN_STATUSES:
        raise ValidationError(
            {field: _("This feedback is %(status)s.") % {"status": feedback.get_status_display()}}
        )


@transaction.atomic
def feedback_assign(*, actor, feedback: Feedback, assignee) -> Feedback:
    """Give the feedback to a person who may change the responsible unit's records (None takes
    it back); received or escalated feedback is then in progress."""
    feedback = _locked(feedback)
    _require(actor, Action.CHANGE, feedback.unit)
    _require_open(feedback, "assignee")
    if assignee is not None and not (
        assignee.is_active and Access.of(assignee).may(Action.CHANGE, feedback.unit)
    ):
        raise ValidationError(
            {
                "assignee": _("%(person)s may not handle feedback of %(unit)s.")
                % {"person": assignee, "unit": feedback.unit}
            }
        )
    with acting_as(actor):
        feedback.assigned_to = assignee
        if assignee is not None and feedback.status in (Status.RECEIVED, Status.ESCALATED):
            feedback.status = Status.IN_PROGRESS
        feedback.save()
        _event(
            feedback,
            EventKind.ASSIGNED,
            actor,
            note=assignee.get_full_name() or assignee.get_username() if assignee else "",
        )
    return feedback


@transaction.atomic
def feedback_transfer(*, actor, feedback: Feedback, unit: Unit, note: str = "") -> Feedback:
    """Hand open feedback to another organization that should answer it (both in the actor's
    reach); the due date stays."""
    feedback = _locked(feedback)
    _require(actor, Action.CHANGE, feedback.unit)
    _require_open(feedback, "unit")
    if unit.pk == feedback.unit_id:
        raise ValidationError(
            {"unit": _("The feedback is already with %(unit)s.") % {"unit": unit}}
        )
    if unit.kind not in RESPONSIBLE_KINDS or not unit.is_open:
        raise ValidationError(
            {"unit": _("%(unit)s does not answer feedback itself.") % {"unit": unit}}
        )
    _require(actor, Action.CHANGE, unit)
    before = feedback.unit
    with acting_as(actor):
        feedback.unit = unit
        feedback.assigned_to = None
        feedback.save()
        _event(feedback, EventKind.ROUTED, actor, from_unit=before, to_unit=unit, note=note)
    return feedback


@transaction.atomic
def feedback_add_note(*, actor, feedback: Feedback, note: str) -> FeedbackEvent:
    """An internal note on the case (what was checked, whom was asked); never shown to the
    citizen."""
    _require(actor, Action.CHANGE, feedback.unit)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Enter the note.")})
    return _event(feedback, EventKind.NOTE, actor, note=note[:2000])


@transaction.atomic
def feedback_answer(
    *, actor, feedback: Feedback, answer: str, answered_on: dt.date | None = None
) -> Feedback:
    """Answer open feedback; the answer is what the citizen reads on the tracking page."""
    feedback = _locked(feedback)
    _require(actor, Action.CHANGE, feedback.unit)
    today = timezone.localdate()
    answered_on = answered_on or today
    answer = (answer or "").strip()
    errors: dict[str, str] = {}
    if feedback.status not in OPEN_STATUSES:
        errors["answer"] = _("This feedback is %(status)s.") % {
            "status": feedback.get_status_display()
        }
    elif not answer:
        errors["answer"] = _("Enter the answer.")
    elif len(answer) > conf.ANSWER_MAX_CHARS:
        errors["answer"] = _("At most %(n)d characters.") % {"n": conf.ANSWER_MAX_CHARS}
    if answered_on > today:
        errors["answered_on"] = _("The answer cannot be dated in the future.")
    elif answered_on < feedback.received_on:
        errors["answered_on"] = _("The answer cannot come before the receipt (%(date)s).") % {
            "date": _fmt(feedback.received_on)
        }
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        feedback.answer = answer
        feedback.answered_on = answered_on
        feedback.answered_by = actor if actor is not None and actor.pk else None
        feedback.answer_days = (answered_on - feedback.received_on).days
        feedback.status = Status.ANSWERED
        feedback.save()
        _event(feedback, EventKind.ANSWERED, actor)
    return feedback


@transaction.atomic
def feedback_close(*, actor, feedback: Feedback) -> Feedback:
    """Close answered feedback: nothing more is to be done."""
    feedback = _locked(feedback)
    _require(actor, Action.CHANGE, feedback.unit)
    if feedback.status != Status.ANSWERED:
        raise ValidationError({"status": _("Only answered feedback can be closed.")})
    with acting_as(actor):
        feedback.status = Status.CLOSED
        feedback.closed_on = timezone.localdate()
        feedback.save()
        _event(feedback, EventKind.CLOSED, actor)
    return feedback


REOPEN_REASON_MAX_CHARS = 2000


@transaction.atomic
def feedback_reopen(
    *, actor, feedback: Feedback, reason: str, today: dt.date | None = None
) -> Feedback:
    """Reopen answered or closed feedback whose answer did not settle it (the citizen came back,
    the unit above found the answer wanting). The handling unit or a unit above it decides, with
    a reason kept in the history. The feedback is in progress again with the same handler, due
    the category's number of working days from the reopening day; the previous answer and the
    citizen's satisfaction with it are cleared so that the next answer is published and rated
    afresh (the audit log keeps what they were). The first due date stays: the on-time figures
    still measure the case against it."""
    feedback = _locked(feedback)
    _require(actor, Action.CHANGE, feedback.unit)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if feedback.status not in REOPENABLE:
        errors["status"] = _(
            "Only answered or closed feedback can be reopened; this feedback is %(status)s."
        ) % {"status": feedback.get_status_display()}
    if not reason:
        errors["reason"] = _("Say why the feedback is reopened.")
    elif len(reason) > REOPEN_REASON_MAX_CHARS:
        errors["reason"] = _("At most %(n)d characters.") % {"n": REOPEN_REASON_MAX_CHARS}
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        feedback.status = Status.IN_PROGRESS
        feedback.due_date = due_date_for(feedback.category, today)
        feedback.answer = ""
        feedback.answered_on = None
        feedback.answered_by = None
        feedback.answer_days = None
        feedback.closed_on = None
        feedback.satisfaction = ""
        feedback.satisfaction_note = ""
        feedback.save()
        _event(feedback, EventKind.REOPENED, actor, note=reason)
    return feedback


@transaction.atomic
def feedback_record_satisfaction(
    *, actor, feedback: Feedback, satisfaction: str, note: str = ""
) -> Feedback:
    """The citizen's satisfaction with the answer: given once, on the tracking page (`actor`
    None) or told to staff, who record it."""
    feedback = _locked(feedback)
    _require(actor, Action.CHANGE, feedback.unit)
    errors: dict[str, str] = {}
    if feedback.answered_on is None:
        errors["satisfaction"] = _("The feedback has not been answered yet.")
    elif feedback.satisfaction:
        errors["satisfaction"] = _("The citizen's satisfaction was already recorded.")
    elif satisfaction not in Satisfaction.values:
        errors["satisfaction"] = _("Choose how satisfied the citizen is.")
    if len(note or "") > 500:
        errors["note"] = _("At most %(n)d characters.") % {"n": 500}
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        feedback.satisfaction = satisfaction
        feedback.satisfaction_note = (note or "").strip()
        feedback.save()
        _event(feedback, EventKind.SATISFACTION, actor, note=feedback.get_satisfaction_display())
    return feedback


def _escalation_target(unit: Unit) -> Unit | None:
    """The unit above `unit` that takes overdue feedback over (none above a province)."""
    if unit.parent_id is None or unit.kind == UnitKind.PROVINCE:
        return None
    parent = Unit.objects.filter(pk=unit.parent_id).first()
    if parent is None or parent.kind not in RESPONSIBLE_KINDS:
        return None
    return parent


def feedback_escalate_overdue(*, today: dt.date | None = None) -> list[Feedback]:
    """Hand every open feedback past its due date to the unit above, with a new due date
    (`conf.escalation_working_days()` working days from today). Run daily (`manage.py
    escalate_feedback`, or the `escalate_feedback` task): a second run on the same day finds
    nothing more, since the due dates moved on. Feedback already at the province stays there
    and shows as overdue."""
    today = today or timezone.localdate()
    days = conf.escalation_working_days()
    escalated = []
    candidates = list(Feedback.objects.overdue(today).order_by("id").values_list("pk", flat=True))
    for pk in candidates:
        with transaction.atomic():
            feedback = (
                Feedback.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)
            )
            if not feedback.is_overdue(today):
                continue
            target = _escalation_target(feedback.unit)
            if target is None:
                continue
            before, missed = feedback.unit, feedback.due_date
            with acting_as(None):
                feedback.unit = target
                feedback.status = Status.ESCALATED
                feedback.escalation_level += 1
                feedback.assigned_to = None
                feedback.due_date = add_working_days(today, days)
                feedback.save()
                _event(
                    feedback,
                    EventKind.ESCALATED,
                    None,
                    from_unit=before,
                    to_unit=target,
                    note=_("Not answered by %(date)s.") % {"date": _fmt(missed)},
                )
            escalated.append(feedback)
    return escalated
