"""Writes of the inspections app: plans and their items, the inspections and supervisions
carried out, the conclusion on each subject, and the discipline decided.

Each service: keyword-only arguments, the acting user passed in, one transaction, validation
before saving, a ValidationError naming the field on failure and nothing written then.

A member's discipline is written into the member's record by the member services
(`grassroots.members.services.member_discipline`); this app keeps the link to the event. An
organization's discipline is a row of this app; a dissolution does not close the unit (closing
it is a reorganization of the tree).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grassroots.core.access import under
from grassroots.core.audit import acting_as
from grassroots.members.choices import PROBATIONARY_DISCIPLINE, DisciplineLevel, MemberStatus
from grassroots.members.models import Member, Membership
from grassroots.members.services import member_discipline
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import Body, Conclusion, Form, Gravity, Kind, OrganizationDisciplineLevel, Subjects
from .models import (
    InspectedMember,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    OrganizationDiscipline,
    PlanItem,
)


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _today() -> dt.date:
    return timezone.localdate()


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _date_errors(day, field: str, errors: dict[str, str], *, required: bool = True) -> None:
    if day is None:
        if required:
            errors[field] = _("Enter a date.")
    elif not isinstance(day, dt.date):
        errors[field] = _("Enter a valid date.")
    elif day > _today():
        errors[field] = _("The date is in the future.")


def _body_errors(unit: Unit, body: str, errors: dict[str, str]) -> None:
    if body not in Body.values:
        errors["body"] = _("Choose a valid option.")
    elif unit.kind in CELL_KINDS and body != Body.COMMITTEE:
        errors["body"] = _(
            "A cell has neither a standing committee nor an inspection commission: its "
            "committee (or secretary) inspects and supervises."
        )


def _kind_form_errors(kind: str, form: str, errors: dict[str, str]) -> None:
    if kind not in Kind.values:
        errors["kind"] = _("Choose a valid option.")
    if form not in Form.values:
        errors["form"] = _("Choose a valid option.")
    elif form == Form.SIGNS and kind == Kind.SUPERVISION:
        errors["form"] = _(
            "Signs of violation lead to an inspection, not a supervision: choose the kind "
            "Inspection."
        )


# --- plans ---------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor,
    unit: Unit,
    body: str,
    year: int,
    title: str = "",
    adopted_on: dt.date | None = None,
) -> InspectionPlan:
    """Record the yearly inspection and supervision plan of a unit's committee, standing
    committee or inspection commission (one plan per body and year)."""
    errors: dict[str, str] = {}
    _body_errors(unit, body, errors)
    if not isinstance(year, int) or not 1930 <= year <= _today().year + 1:
        errors["year"] = _("Enter a year up to next year.")
    elif unit.valid_from.year > year or (unit.valid_to and unit.valid_to.year < year):
        errors["year"] = _("%(unit)s did not exist in %(year)d.") % {"unit": unit, "year": year}
    _adopted_on_errors(adopted_on, year, errors)
    if "body" not in errors and "year" not in errors:
        if InspectionPlan.objects.filter(unit=unit, body=body, year=year).exists():
            errors["year"] = _("This body already has a plan for %(year)d.") % {"year": year}
    _raise(errors)
    with acting_as(actor):
        return InspectionPlan.objects.create(
            unit=unit, body=body, year=year, title=(title or "").strip(), adopted_on=adopted_on
        )


def _plan_item_errors(
    plan: InspectionPlan,
    *,
    kind: str,
    form: str,
    subjects: str,
    planned_count: int,
    period_start: dt.date,
    period_end: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    _kind_form_errors(kind, form, errors)
    if subjects not in Subjects.values:
        errors["subjects"] = _("Choose a valid option.")
    if form == Form.UNSCHEDULED and "form" not in errors:
        errors["form"] = _(
            "An unscheduled inspection is not planned: record it as carried out, without a "
            "plan item."
        )
    if not isinstance(planned_count, int) or planned_count < 1:
        errors["planned_count"] = _("Plan at least one.")
    for name, day in (("period_start", period_start), ("period_end", period_end)):
        if not isinstance(day, dt.date):
            errors[name] = _("Enter a date.")
        elif day.year != plan.year:
            errors[name] = _("The period lies within the plan's year, %(year)d.") % {
                "year": plan.year
            }
    if not errors.keys() & {"period_start", "period_end"} and period_end < period_start:
        errors["period_end"] = _("A period ends after it starts.")
    return errors


@transaction.atomic
def plan_item_add(
    *,
    actor,
    plan: InspectionPlan,
    kind: str,
    form: str,
    subjects: str,
    planned_count: int,
    period_start: dt.date,
    period_end: dt.date,
    content: str = "",
) -> PlanItem:
    """Add a line to a plan: so many inspections or supervisions of a kind and form, of
    organizations or members, within a period of the plan's year."""
    plan = InspectionPlan.objects.select_related("unit").get(pk=plan.pk)
    errors = _plan_item_errors(
        plan,
        kind=kind,
        form=form,
        subjects=subjects,
        planned_count=planned_count,
        period_start=period_start,
        period_end=period_end,
    )
    _raise(errors)
    with acting_as(actor):
        return PlanItem.objects.create(
            plan=plan,
            kind=kind,
            form=form,
            subjects=subjects,
            planned_count=planned_count,
            period_start=period_start,
            period_end=period_end,
            content=(content or "").strip(),
        )


def _adopted_on_errors(adopted_on, year, errors: dict[str, str]) -> None:
    _date_errors(adopted_on, "adopted_on", errors, required=False)
    if (
        "adopted_on" not in errors
        and "year" not in errors
        and adopted_on is not None
        and not year - 1 <= adopted_on.year <= year
    ):
        errors["adopted_on"] = _(
            "A plan for %(year)d is adopted in that year or the one before."
        ) % {"year": year}


@transaction.atomic
def plan_update(
    *,
    actor,
    plan: InspectionPlan,
    body: str,
    year: int,
    title: str = "",
    adopted_on: dt.date | None = None,
) -> InspectionPlan:
    """Correct a plan: its title and adoption date at any time; the adopting body and the year
    only while it has no items, since its items' periods lie in its year and the inspections
    under them were carried out by its body."""
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    errors: dict[str, str] = {}
    has_items = plan.items.exists()
    if body != plan.body:
        if has_items:
            errors["body"] = _(
                "The adopting body cannot change: the plan already has items, carried out by "
                "the %(body)s."
            ) % {"body": plan.get_body_display().lower()}
        else:
            _body_errors(plan.unit, body, errors)
    if year != plan.year:
        if has_items:
            errors["year"] = _(
                "The year cannot change: the periods of the plan's items lie in %(year)d."
            ) % {"year": plan.year}
        elif not isinstance(year, int) or not 1930 <= year <= _today().year + 1:
            errors["year"] = _("Enter a year up to next year.")
        elif plan.unit.valid_from.year > year or (
            plan.unit.valid_to and plan.unit.valid_to.year < year
        ):
            errors["year"] = _("%(unit)s did not exist in %(year)d.") % {
                "unit": plan.unit,
                "year": year,
            }
    _adopted_on_errors(adopted_on, year, errors)
    if not errors.keys() & {"body", "year"} and (body, year) != (plan.body, plan.year):
        others = InspectionPlan.objects.filter(unit=plan.unit, body=body, year=year)
        if others.exclude(pk=plan.pk).exists():
            errors["year"] = _("This body already has a plan for %(year)d.") % {"year": year}
    _raise(errors)
    with acting_as(actor):
        plan.body = body
        plan.year = year
        plan.title = (title or "").strip()
        plan.adopted_on = adopted_on
        plan.save()
    return plan


@transaction.atomic
def plan_item_update(
    *,
    actor,
    item: PlanItem,
    kind: str,
    form: str,
    subjects: str,
    planned_count: int,
    period_start: dt.date,
    period_end: dt.date,
    content: str = "",
) -> PlanItem:
    """Correct a line of a plan. What was already carried out under it holds it: the planned
    number cannot fall below the inspections recorded under the item, and its kind, form and
    subjects cannot change away from theirs."""
    item = PlanItem.objects.select_for_update().select_related("plan__unit").get(pk=item.pk)
    errors = _plan_item_errors(
        item.plan,
        kind=kind,
        form=form,
        subjects=subjects,
        planned_count=planned_count,
        period_start=period_start,
        period_end=period_end,
    )
    done = list(
        item.inspections.prefetch_related("subject_units", "subject_members").order_by("id")
    )
    if done:
        n = len(done)
        if "planned_count" not in errors and planned_count < n:
            errors["planned_count"] = ngettext(
                "%(n)d inspection is already carried out under this item: the planned number "
                "cannot be lower.",
                "%(n)d inspections are already carried out under this item: the planned number "
                "cannot be lower.",
                n,
            ) % {"n": n}
        if "kind" not in errors and kind != item.kind:
            errors["kind"] = _(
                "The kind cannot change: what was carried out under this item is of the kind "
                "“%(kind)s”."
            ) % {"kind": item.get_kind_display()}
        if "form" not in errors and form != item.form:
            errors["form"] = _(
                "The form cannot change: what was carried out under this item has the form "
                "“%(form)s”."
            ) % {"form": item.get_form_display()}
        if "subjects" not in errors and subjects != item.subjects:
            with_units = any(i.subject_units.all() for i in done)
            with_members = any(i.subject_members.all() for i in done)
            if (subjects == Subjects.MEMBERS and with_units) or (
                subjects == Subjects.ORGANIZATIONS and with_members
            ):
                errors["subjects"] = _(
                    "The subjects cannot change to “%(subjects)s”: inspections carried out "
                    "under this item already have other subjects."
                ) % {"subjects": Subjects(subjects).label}
    _raise(errors)
    with acting_as(actor):
        item.kind = kind
        item.form = form
        item.subjects = subjects
        item.planned_count = planned_count
        item.period_start = period_start
        item.period_end = period_end
        item.content = (content or "").strip()
        item.save()
    return item


# --- inspections carried out ---------------------------------------------------------------


def _unit_existed(unit: Unit, day: dt.date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or unit.valid_to > day)


def members_in_subtree_on(unit: Unit, member_ids: Iterable[int], day: dt.date) -> set[int]:
    """Of `member_ids`, those who belonged to a unit of `unit`'s subtree on `day` (by the
    ledger's membership intervals)."""
    return set(
        Membership.objects.filter(
            member_id__in=list(member_ids), unit__path__startswith=unit.path, start__lte=day
        )
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .values_list("member_id", flat=True)
    )


def _names(rows) -> str:
    return ", ".join(str(r) for r in rows)


def _inspection_errors(
    *,
    unit: Unit,
    body: str,
    kind: str,
    form: str,
    content: str,
    start_date: dt.date,
    end_date: dt.date,
    plan_item: PlanItem | None,
    units: list[Unit],
    members: list[Member],
) -> tuple[dict[str, str], PlanItem | None]:
    """What refuses an inspection of `unit` with these facts (the plan item read afresh)."""
    errors: dict[str, str] = {}
    _body_errors(unit, body, errors)
    _kind_form_errors(kind, form, errors)
    if not (content or "").strip():
        errors["content"] = _("State what is inspected or supervised.")
    _date_errors(start_date, "start_date", errors)
    if not isinstance(end_date, dt.date):
        errors["end_date"] = _("Enter a date.")
    elif "start_date" not in errors and end_date < start_date:
        errors["end_date"] = _("An inspection ends after it starts.")
    if plan_item is not None:
        plan_item = PlanItem.objects.select_related("plan__unit").get(pk=plan_item.pk)
        plan = plan_item.plan
        if plan.unit_id != unit.pk:
            errors["plan_item"] = _("This item belongs to the plan of %(unit)s.") % {
                "unit": plan.unit
            }
        elif plan.body != body and "body" not in errors:
            errors["body"] = _("The plan item is in the plan of the %(body)s.") % {
                "body": plan.get_body_display().lower()
            }
        else:
            if plan_item.kind != kind and "kind" not in errors:
                errors["kind"] = _("The plan item plans a %(kind)s.") % {
                    "kind": plan_item.get_kind_display().lower()
                }
            if plan_item.form != form and "form" not in errors:
                errors["form"] = _("The plan item's form is “%(form)s”.") % {
                    "form": plan_item.get_form_display()
                }
            if isinstance(start_date, dt.date) and start_date.year != plan.year:
                errors.setdefault(
                    "start_date",
                    _("A plan item of %(year)d is carried out in %(year)d.") % {"year": plan.year},
                )
            if plan_item.subjects == Subjects.ORGANIZATIONS and members:
                errors["members"] = _("The plan item is about organizations, not members.")
            if plan_item.subjects == Subjects.MEMBERS and units:
                errors["units"] = _("The plan item is about members, not organizations.")
    if not units and not members:
        errors["units"] = _("Choose at least one organization or member inspected.")
    day = start_date if "start_date" not in errors else None
    outside = [u for u in units if not under(u.path, [unit.path])]
    if outside:
        errors["units"] = _("Outside the subtree of %(unit)s: %(names)s.") % {
            "unit": unit,
            "names": _names(outside),
        }
    elif any(u.pk == unit.pk for u in units):
        errors["units"] = _(
            "A committee inspects and supervises the organizations under it, not its own "
            "(the level above does)."
        )
    elif day is not None:
        absent = [u for u in units if not _unit_existed(u, day)]
        if absent:
            errors["units"] = _("Did not exist on %(date)s: %(names)s.") % {
                "date": _fmt(day),
                "names": _names(absent),
            }
    if members and day is not None:
        inside = members_in_subtree_on(unit, [m.pk for m in members], day)
        outside_members = [m for m in members if m.pk not in inside]
        if outside_members:
            errors["members"] = _(
                "Not members of the subtree of %(unit)s on %(date)s: %(names)s."
            ) % {"unit": unit, "date": _fmt(day), "names": _names(outside_members)}
    return errors, plan_item


@transaction.atomic
def inspection_record(
    *,
    actor,
    unit: Unit,
    body: str,
    kind: str,
    form: str,
    content: str,
    start_date: dt.date,
    end_date: dt.date,
    team: str = "",
    plan_item: PlanItem | None = None,
    units: Iterable[Unit] = (),
    members: Iterable[Member] = (),
) -> Inspection:
    """Record an inspection or supervision carried out by `unit`'s `body`, under a plan item of
    that unit or unplanned, of organizations and members of the unit's subtree."""
    units = list(dict.fromkeys(units))
    members = list(dict.fromkeys(members))
    errors, plan_item = _inspection_errors(
        unit=unit,
        body=body,
        kind=kind,
        form=form,
        content=content,
        start_date=start_date,
        end_date=end_date,
        plan_item=plan_item,
        units=units,
        members=members,
    )
    _raise(errors)
    with acting_as(actor):
        inspection = Inspection.objects.create(
            unit=unit,
            body=body,
            plan_item=plan_item,
            kind=kind,
            form=form,
            content=content.strip(),
            team=(team or "").strip(),
            start_date=start_date,
            end_date=end_date,
        )
        for subject in units:
            InspectedUnit.objects.create(inspection=inspection, unit=subject)
        for member in members:
            InspectedMember.objects.create(inspection=inspection, member=member)
    return inspection


def decided_subjects(inspection: Inspection) -> list:
    """The subjects of `inspection` whose discipline was already decided."""
    return [
        *inspection.subject_units.filter(discipline__isnull=False).select_related("unit"),
        *inspection.subject_members.filter(discipline_event__isnull=False).select_related("member"),
    ]


@transaction.atomic
def inspection_update(
    *,
    actor,
    inspection: Inspection,
    body: str,
    kind: str,
    form: str,
    content: str,
    start_date: dt.date,
    end_date: dt.date,
    team: str = "",
    plan_item: PlanItem | None = None,
    units: Iterable[Unit] = (),
    members: Iterable[Member] = (),
) -> Inspection:
    """Correct an inspection or supervision under the rules of recording one. A subject kept
    keeps its conclusion; one removed goes with it. Once the inspection is concluded its
    subjects are kept as concluded; once discipline was decided on its conclusions nothing of
    it changes any more (the decision cites it)."""
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=inspection.pk)
    )
    decided = decided_subjects(inspection)
    if decided:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Discipline was already decided on this inspection's conclusions "
                    "(%(names)s): the inspection is kept as it was when the decision was taken."
                )
                % {"names": _names(decided)}
            }
        )
    units = list(dict.fromkeys(units))
    members = list(dict.fromkeys(members))
    errors, plan_item = _inspection_errors(
        unit=inspection.unit,
        body=body,
        kind=kind,
        form=form,
        content=content,
        start_date=start_date,
        end_date=end_date,
        plan_item=plan_item,
        units=units,
        members=members,
    )
    current_units = {s.unit_id: s for s in inspection.subject_units.all()}
    current_members = {s.member_id: s for s in inspection.subject_members.all()}
    if inspection.concluded_on is not None:
        on = {"date": _fmt(inspection.concluded_on)}
        if {u.pk for u in units} != set(current_units) and "units" not in errors:
            errors["units"] = (
                _(
                    "The inspection was concluded on %(date)s: its organizations inspected are "
                    "kept as concluded."
                )
                % on
            )
        if {m.pk for m in members} != set(current_members) and "members" not in errors:
            errors["members"] = (
                _(
                    "The inspection was concluded on %(date)s: its members inspected are kept as "
                    "concluded."
                )
                % on
            )
        if kind != inspection.kind and "kind" not in errors:
            errors["kind"] = (
                _("The inspection was concluded on %(date)s: its kind is kept as concluded.") % on
            )
        if (
            isinstance(end_date, dt.date)
            and end_date > inspection.concluded_on
            and "end_date" not in errors
        ):
            errors["end_date"] = (
                _("The inspection was concluded on %(date)s: it cannot end after its conclusion.")
                % on
            )
        if (
            isinstance(start_date, dt.date)
            and start_date > inspection.concluded_on
            and "start_date" not in errors
        ):
            errors["start_date"] = (
                _("The inspection was concluded on %(date)s: it cannot begin after its conclusion.")
                % on
            )
    if (
        kind != inspection.kind
        and kind == Kind.SUPERVISION
        and "kind" not in errors
        and any(s.proposed_discipline for s in [*current_units.values(), *current_members.values()])
    ):
        errors["kind"] = _(
            "Discipline is proposed on a subject: a supervision does not propose discipline."
        )
    _raise(errors)
    with acting_as(actor):
        inspection.body = body
        inspection.plan_item = plan_item
        inspection.kind = kind
        inspection.form = form
        inspection.content = content.strip()
        inspection.team = (team or "").strip()
        inspection.start_date = start_date
        inspection.end_date = end_date
        inspection.save()
        keep_units = {u.pk for u in units}
        keep_members = {m.pk for m in members}
        for unit_id, subject in current_units.items():
            if unit_id not in keep_units:
                subject.delete()
        for member_id, subject in current_members.items():
            if member_id not in keep_members:
                subject.delete()
        for subject in units:
            if subject.pk not in current_units:
                InspectedUnit.objects.create(inspection=inspection, unit=subject)
        for member in members:
            if member.pk not in current_members:
                InspectedMember.objects.create(inspection=inspection, member=member)
    return inspection


def _locked_errors(inspection: Inspection, errors: dict[str, str]) -> None:
    if inspection.concluded_on is not None:
        errors["conclusion"] = _(
            "The inspection was concluded on %(date)s: its conclusions are kept as issued."
        ) % {"date": _fmt(inspection.concluded_on)}


@transaction.atomic
def subject_conclude(
    *,
    actor,
    subject: InspectedUnit | InspectedMember,
    conclusion: str,
    gravity: str = "",
    proposed_discipline: str = "",
) -> InspectedUnit | InspectedMember:
    """State the conclusion about one organization or member inspected: no violation, or a
    violation with its gravity and the discipline proposed. Open until the inspection is
    concluded."""
    subject = type(subject).objects.select_related("inspection__unit").get(pk=subject.pk)
    inspection = subject.inspection
    is_member = isinstance(subject, InspectedMember)
    errors: dict[str, str] = {}
    _locked_errors(inspection, errors)
    if conclusion not in (Conclusion.NO_VIOLATION, Conclusion.VIOLATION):
        errors["conclusion"] = _("Choose a conclusion.")
    if conclusion == Conclusion.VIOLATION and gravity not in Gravity.values:
        errors["gravity"] = _("State the gravity of the violation.")
    elif conclusion != Conclusion.VIOLATION and gravity:
        errors["gravity"] = _("A gravity is stated with a violation only.")
    if proposed_discipline:
        levels = DisciplineLevel.values if is_member else OrganizationDisciplineLevel.values
        if proposed_discipline not in levels:
            errors["proposed_discipline"] = _("Choose a valid option.")
        elif conclusion != Conclusion.VIOLATION:
            errors["proposed_discipline"] = _(
                "Discipline is proposed only with a conclusion of violation."
            )
        elif inspection.kind == Kind.SUPERVISION:
            errors["proposed_discipline"] = _(
                "A supervision does not propose discipline: where it finds signs of violation, "
                "an inspection follows."
            )
        elif (
            is_member
            and subject.member.status == MemberStatus.PROBATIONARY
            and proposed_discipline not in PROBATIONARY_DISCIPLINE
        ):
            errors["proposed_discipline"] = _(
                "A probationary member can only be reprimanded or warned: a graver case leads "
                "to removal."
            )
    _raise(errors)
    with acting_as(actor):
        subject.conclusion = conclusion
        subject.gravity = gravity if conclusion == Conclusion.VIOLATION else ""
        subject.proposed_discipline = proposed_discipline
        subject.save()
    return subject


@transaction.atomic
def inspection_conclude(
    *, actor, inspection: Inspection, concluded_on: dt.date, findings: str
) -> Inspection:
    """Conclude an inspection or supervision once every subject has its conclusion; the
    conclusions are then kept as issued and the discipline proposed may be decided."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    errors: dict[str, str] = {}
    _locked_errors(inspection, errors)
    if "conclusion" in errors:
        errors["concluded_on"] = errors.pop("conclusion")
    _date_errors(concluded_on, "concluded_on", errors)
    if "concluded_on" not in errors and concluded_on < inspection.start_date:
        errors["concluded_on"] = _(
            "The conclusion comes after the inspection began (%(date)s)."
        ) % {"date": _fmt(inspection.start_date)}
    if not (findings or "").strip():
        errors["findings"] = _("State the findings.")
    pending = [
        *inspection.subject_units.filter(conclusion="").select_related("unit"),
        *inspection.subject_members.filter(conclusion="").select_related("member"),
    ]
    if pending and "concluded_on" not in errors:
        errors["concluded_on"] = _("Conclude on each subject first: %(names)s.") % {
            "names": _names(pending)
        }
    _raise(errors)
    with acting_as(actor):
        inspection.concluded_on = concluded_on
        inspection.findings = findings.strip()
        inspection.save()
    return inspection


def _decision_errors(subject, day, errors: dict[str, str], field: str) -> None:
    inspection = subject.inspection
    if inspection.concluded_on is None:
        errors["level"] = _("The inspection is not concluded yet.")
    elif subject.conclusion != Conclusion.VIOLATION:
        errors["level"] = _("Discipline follows a conclusion of violation only.")
    elif inspection.kind != Kind.INSPECTION:
        errors["level"] = _("Discipline follows an inspection, not a supervision.")
    _date_errors(day, field, errors)
    if field not in errors and inspection.concluded_on and day < inspection.concluded_on:
        errors[field] = _("The decision comes after the conclusion (%(date)s).") % {
            "date": _fmt(inspection.concluded_on)
        }


@transaction.atomic
def member_discipline_decide(
    *,
    actor,
    subject: InspectedMember,
    level: str,
    date: dt.date,
    decision_number: str,
    issuer: str,
    reason: str = "",
    seat: int | None = None,
    leaving_reason: str = "",
) -> InspectedMember:
    """Record the discipline the competent body decided for a member found in violation: the
    event is written into the member's record by the member services (which refuse what the
    Statute refuses), and linked here. The level decided may differ from the one proposed."""
    subject = InspectedMember.objects.select_related("inspection__unit", "member__unit").get(
        pk=subject.pk
    )
    errors: dict[str, str] = {}
    if subject.discipline_event_id is not None:
        errors["level"] = _("The discipline of this member was already recorded.")
    else:
        _decision_errors(subject, date, errors, "date")
    if not (decision_number or "").strip():
        errors["decision_number"] = _("Enter the decision's number.")
    if not (issuer or "").strip():
        errors["issuer"] = _("Name the body that decided.")
    _raise(errors)
    reason = (reason or "").strip() or _(
        "Conclusion of the inspection of %(date)s: %(content)s"
    ) % {
        "date": _fmt(subject.inspection.start_date),
        "content": subject.inspection.content[:200],
    }
    event = member_discipline(
        actor=actor,
        member=subject.member,
        level=level,
        date=date,
        decision_number=decision_number.strip(),
        issuer=issuer.strip(),
        reason=reason,
        seat=seat,
        leaving_reason=leaving_reason,
    )
    with acting_as(actor):
        subject.discipline_event = event
        subject.save()
    return subject


@transaction.atomic
def organization_discipline_decide(
    *,
    actor,
    subject: InspectedUnit,
    level: str,
    decided_on: dt.date,
    decision_number: str,
    issuer: str,
    reason: str = "",
) -> OrganizationDiscipline:
    """Record the discipline the competent body decided for an organization found in
    violation: reprimand, warning or dissolution. A dissolution is recorded here only; the unit
    is closed by a reorganization of the tree."""
    subject = InspectedUnit.objects.select_related("inspection__unit", "unit").get(pk=subject.pk)
    errors: dict[str, str] = {}
    if OrganizationDiscipline.objects.filter(subject=subject).exists():
        errors["level"] = _("The discipline of this organization was already recorded.")
    else:
        if level not in OrganizationDisciplineLevel.values:
            errors["level"] = _("Choose a valid option.")
        _decision_errors(subject, decided_on, errors, "decided_on")
    if "decided_on" not in errors and isinstance(decided_on, dt.date):
        if not _unit_existed(subject.unit, decided_on):
            errors["decided_on"] = _("%(unit)s did not exist on %(date)s.") % {
                "unit": subject.unit,
                "date": _fmt(decided_on),
            }
    if not (decision_number or "").strip():
        errors["decision_number"] = _("Enter the decision's number.")
    if not (issuer or "").strip():
        errors["issuer"] = _("Name the body that decided.")
    _raise(errors)
    reason = (reason or "").strip() or _(
        "Conclusion of the inspection of %(date)s: %(content)s"
    ) % {
        "date": _fmt(subject.inspection.start_date),
        "content": subject.inspection.content[:200],
    }
    with acting_as(actor):
        return OrganizationDiscipline.objects.create(
            unit=subject.unit,
            subject=subject,
            level=level,
            decided_on=decided_on,
            decision_number=decision_number.strip(),
            issuer=issuer.strip(),
            reason=reason,
        )
