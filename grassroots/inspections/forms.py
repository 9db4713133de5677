"""Forms of the inspection pages. They parse input only; the services decide and refuse."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import date_field
from grassroots.members import hooks as member_hooks
from grassroots.members.choices import DisciplineLevel, LeavingReason
from grassroots.members.models import Member
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import Body, Conclusion, Form, Gravity, Kind, OrganizationDisciplineLevel, Subjects
from .models import InspectedMember, Inspection, PlanItem

BLANK = [("", "—")]


def _bodies(unit: Unit):
    if unit.kind in CELL_KINDS:
        return [(Body.COMMITTEE.value, _("Cell committee or secretary"))]
    return Body.choices


class PlanForm(forms.Form):
    body = forms.ChoiceField(label=_("Adopted by"), choices=Body.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1930, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    adopted_on = date_field(_("Adopted on"), required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = _bodies(unit)
        self.fields["year"].initial = timezone.localdate().year


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    form = forms.ChoiceField(
        label=_("Form"), choices=[c for c in Form.choices if c[0] != Form.UNSCHEDULED]
    )
    subjects = forms.ChoiceField(label=_("Subjects"), choices=Subjects.choices)
    planned_count = forms.IntegerField(label=_("Planned number"), min_value=1, max_value=100000)
    period_start = date_field(_("Period from"))
    period_end = date_field(_("Period to"))
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))


REF_SPLIT = re.compile(r"[\s,;]+")


class InspectionForm(forms.Form):
    body = forms.ChoiceField(label=_("Carried out by"), choices=Body.choices)
    plan_item = forms.ModelChoiceField(
        label=_("Plan item"),
        queryset=PlanItem.objects.none(),
        required=False,
        empty_label=_("Unplanned"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=BLANK + Kind.choices,
        required=False,
        help_text=_("Taken from the plan item when left empty."),
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=BLANK + Form.choices,
        required=False,
        help_text=_("Taken from the plan item when left empty."),
    )
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    team = forms.CharField(
        label=_("Team"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The head of the team and its members."),
    )
    start_date = date_field(_("From"))
    end_date = date_field(_("To"))
    units = forms.ModelMultipleChoiceField(
        label=_("Organizations inspected"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unit_codes = forms.CharField(
        label=_("Other organizations inspected (codes)"),
        required=False,
        help_text=_("Units further down the tree, by their codes, separated by spaces or commas."),
    )
    member_refs = forms.CharField(
        label=_("Members inspected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Party card numbers or member numbers, separated by spaces or commas."),
    )

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.user = user
        self.fields["body"].choices = _bodies(unit)
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(plan__unit=unit)
            .select_related("plan")
            .order_by("-plan__year", "period_start", "id")
        )
        self.fields["plan_item"].label_from_instance = lambda i: f"{i.plan.year} · {i}"
        # The organizations one and two levels down are offered; deeper ones are named by code,
        # so that a province's form does not list thousands of units.
        self.fields["units"].queryset = Unit.objects.filter(
            path__startswith=unit.path,
            valid_to__isnull=True,
            depth__gt=unit.depth,
            depth__lte=unit.depth + 2,
        ).order_by("path")

    def clean_unit_codes(self) -> list[Unit]:
        codes = [c for c in REF_SPLIT.split(self.cleaned_data.get("unit_codes") or "") if c]
        if not codes:
            return []
        found = {u.code: u for u in Unit.objects.visible_to(self.user).filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValidationError(
                _("No unit with these codes in your part of the tree: %(codes)s")
                % {"codes": ", ".join(unknown)}
            )
        return [found[c] for c in codes]

    def clean_member_refs(self) -> list[Member]:
        refs = [r for r in REF_SPLIT.split(self.cleaned_data.get("member_refs") or "") if r]
        if not refs:
            return []
        visible = Member.objects.visible_to(self.user)
        by_card = {m.party_card_number: m for m in visible.filter(party_card_number__in=refs)}
        ids = [int(r) for r in refs if r.isdigit()]
        by_id = {str(m.pk): m for m in visible.filter(pk__in=ids)} if ids else {}
        found, unknown = [], []
        for ref in refs:
            member = by_card.get(ref) or by_id.get(ref)
            (found if member else unknown).append(member or ref)
        if unknown:
            raise ValidationError(
                _("No member with these numbers in your part of the tree: %(refs)s")
                % {"refs": ", ".join(unknown)}
            )
        return found

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        item = data["plan_item"]
        return {
            "body": data["body"],
            "plan_item": item,
            "kind": data["kind"] or (item.kind if item else ""),
            "form": data["form"] or (item.form if item else ""),
            "content": data["content"],
            "team": data["team"],
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "units": list(dict.fromkeys([*data["units"], *data["unit_codes"]])),
            "members": data["member_refs"],
        }


def inspection_initial(inspection: Inspection) -> dict:
    """The edit form's values for `inspection`: the organizations the form lists as boxes are
    ticked, deeper ones are named by code, members by party card number (or member number)."""
    offered_depth = inspection.unit.depth + 2
    subjects = [s.unit for s in inspection.subject_units.all()]
    members = [s.member for s in inspection.subject_members.all()]
    return {
        "body": inspection.body,
        "plan_item": inspection.plan_item_id,
        "kind": inspection.kind,
        "form": inspection.form,
        "content": inspection.content,
        "team": inspection.team,
        "start_date": inspection.start_date,
        "end_date": inspection.end_date,
        "units": [u.pk for u in subjects if u.depth <= offered_depth and u.valid_to is None],
        "unit_codes": " ".join(
            u.code for u in subjects if u.depth > offered_depth or u.valid_to is not None
        ),
        "member_refs": " ".join(m.party_card_number or str(m.pk) for m in members),
    }


class SubjectConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("Conclusion"), choices=[c for c in Conclusion.choices if c[0]]
    )
    gravity = forms.ChoiceField(
        label=_("Gravity of the violation"), choices=BLANK + Gravity.choices, required=False
    )
    proposed_discipline = forms.ChoiceField(
        label=_("Discipline proposed"), choices=BLANK, required=False
    )

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        levels = (
            DisciplineLevel.choices
            if isinstance(subject, InspectedMember)
            else OrganizationDisciplineLevel.choices
        )
        self.fields["proposed_discipline"].choices = BLANK + levels


class InspectionConcludeForm(forms.Form):
    concluded_on = date_field(_("Concluded on"))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}))


class _DecisionForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=40)
    issuer = forms.CharField(
        label=_("Decided by"),
        max_length=200,
        help_text=_("The competent body, e.g. the inspection commission of the district."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The inspection's conclusion is cited when left empty."),
    )


class MemberDisciplineForm(_DecisionForm):
    level = forms.ChoiceField(label=_("Discipline decided"), choices=DisciplineLevel.choices)
    date = date_field(_("Decided on"))
    seat = forms.TypedChoiceField(
        label=_("Seat the dismissal ends"), coerce=int, empty_value=None, required=False
    )
    leaving_reason = forms.ChoiceField(
        label=_("Reason for leaving (expulsion)"),
        choices=BLANK + LeavingReason.choices,
        required=False,
    )
    field_order = ["level", "date", "decision_number", "issuer", "reason", "seat"]

    def __init__(self, *args, subject: InspectedMember, **kwargs):
        super().__init__(*args, **kwargs)
        if subject.proposed_discipline:
            self.fields["level"].initial = subject.proposed_discipline
        posts = member_hooks.posts_held_by(subject.member_id)
        self.fields["seat"].choices = BLANK + [(p.id, p.label) for p in posts]


class OrganizationDisciplineForm(_DecisionForm):
    level = forms.ChoiceField(
        label=_("Discipline decided"), choices=OrganizationDisciplineLevel.choices
    )
    decided_on = date_field(_("Decided on"))
    field_order = ["level", "decided_on", "decision_number", "issuer", "reason"]

    def __init__(self, *args, subject, **kwargs):
        super().__init__(*args, **kwargs)
        if subject.proposed_discipline:
            self.fields["level"].initial = subject.proposed_discipline


class ExecutionForm(forms.Form):
    """The window of the execution board and its API (`?from=&to=`), the current year by
    default."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are named as the query parameters here.
        self.fields["from"] = date_field(_("From"), required=False)
        self.fields["to"] = date_field(_("To"), required=False)

    def window(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("from") or today.replace(month=1, day=1)
        end = data.get("to") or today.replace(month=12, day=31)
        return start, end

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            raise ValidationError({"to": _("The end of the period is before its start.")})
        return data
