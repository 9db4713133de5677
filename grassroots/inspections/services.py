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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
    if "body" not in errors and "year" not in errors:
        if InspectionPlan.objects.filter(unit=unit, body=body, year=year).exists():
            errors["year"] = _("This body already has a plan for %(year)d.") % {"year": year}
    _raise(errors)
    with acting_as(actor):
        return InspectionPlan.objects.create(
            unit=unit, body=body, year=year, title=(title or "").strip(), adopted_on=adopted_on
        )


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
