"""Forms of the member pages. They parse input only; the services decide and refuse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import DateInput, date_field
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from . import hooks
from .choices import (
    PROBATIONARY_DISCIPLINE,
    CandidateStage,
    DisciplineLevel,
    LeavingReason,
    MemberStatus,
    ProposedBy,
    TransferMode,
)
from .models import Member

PERSONAL_FIELDS = [
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
]


def ceremony_delay_field() -> forms.CharField:
    return forms.CharField(
        label=_("Approval of a late ceremony"),
        max_length=200,
        required=False,
        help_text=_("The approval of the committee above when the ceremony is late, if any."),
    )


class FieldGroup:
    """Some of a form's fields, rendered by `includes/form_fields.html` like a form of their
    own (the rarely used ones folded away in a <details>). The first group carries the form's
    error summary, the errors that name no field and the hidden fields; a later group only its
    fields (each with its errors)."""

    def __init__(self, form: forms.Form, names: list[str], *, first: bool) -> None:
        self.form, self.names, self.first = form, names, first

    def visible_fields(self):
        return [self.form[n] for n in self.names if not self.form[n].is_hidden]

    def hidden_fields(self):
        return self.form.hidden_fields() if self.first else []

    def non_field_errors(self):
        return self.form.non_field_errors() if self.first else self.form.error_class()

    @property
    def errors(self):
        return self.form.errors if self.first else {}

    def __bool__(self) -> bool:
        return bool(self.names)

    def __str__(self) -> str:
        context = self.form.get_context()
        context["fields"] = [(f, e) for f, e in context["fields"] if f.name in self.names]
        context["form"] = self
        if not self.first:
            context["errors"] = self.form.error_class()
            context["hidden_fields"] = []
        return mark_safe(self.form.renderer.render(self.form.template_name, context))

    __html__ = __str__


class ServiceForm(forms.Form):
    """A form whose cleaned data are the keyword arguments of one service.

    `rare_fields` are folded away on the page until needed (open when one holds a value or an
    error); a choice left empty says what to choose (`empty_labels`, by field, else "— choose —"
    or, when the field may stay empty, "— not recorded —")."""

    extra_fields: tuple[str, ...] = ()
    rare_fields: tuple[str, ...] = ()
    empty_labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_empty_choices()

    def label_empty_choices(self) -> None:
        for name, field in self.fields.items():
            label = self.empty_labels.get(name) or (
                _("— choose —") if field.required else _("— not recorded —")
            )
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None and field.empty_label.startswith("---"):
                    field.empty_label = label
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field.widget, forms.RadioSelect
            ):
                choices = list(field.choices)
                if choices and choices[0][0] == "" and str(choices[0][1]).startswith(("---", "—")):
                    field.choices = [("", label), *choices[1:]]

    @property
    def main_fields(self) -> FieldGroup:
        return FieldGroup(self, [n for n in self.fields if n not in self.rare_fields], first=True)

    @property
    def folded_fields(self) -> FieldGroup:
        return FieldGroup(self, [n for n in self.fields if n in self.rare_fields], first=False)

    @property
    def folded_open(self) -> bool:
        """Whether the folded fields are shown open: one of them holds a value or an error."""
        return any(
            name in self.errors or self[name].value() not in (None, "")
            for name in self.fields
            if name in self.rare_fields
        )

    def service_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.extra_fields}


class PersonalDataForm(ServiceForm):
    """The member's personal attributes, as the model defines them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in forms.fields_for_model(Member, fields=PERSONAL_FIELDS).items():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            self.fields[name] = field
        self.fields["full_name"].widget.attrs.setdefault("placeholder", _("e.g. Nguyễn Văn An"))
        self.fields["party_card_number"].help_text = _("Leave empty until the card is issued.")
        self.label_empty_choices()

    def clean_party_card_number(self):
        return (self.cleaned_data.get("party_card_number") or "").strip() or None


class MemberEditForm(PersonalDataForm):
    """Corrections of personal data; only the changed fields are passed to the service."""

    def service_kwargs(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.changed_data if k in self.cleaned_data}


# Above this many cells, the admission page asks for the cell's code rather than listing them.
CELL_CHOICES_LIMIT = 300


class MemberAdmitForm(PersonalDataForm):
    """A new probationary member of a cell: who they are and the two dates of the admission.

    Opened from a list wider than one cell (`cells`: the open cells the user may admit into),
    it asks first which cell: from a list, or by its code when the cells are many."""

    extra_fields = ("cell", "cell_code")
    rare_fields = ("age_exception", "ceremony_delay_approval")

    def __init__(self, *args, cells=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cells = cells
        if cells is not None:
            if cells.count() <= CELL_CHOICES_LIMIT:
                self.fields["cell"] = forms.ModelChoiceField(
                    label=_("Cell"),
                    queryset=cells,
                    required=False,
                    empty_label=_("— choose a cell —"),
                )
            self.fields["cell_code"] = forms.CharField(
                label=_("Or the code of the cell") if "cell" in self.fields else _("Cell code"),
                max_length=40,
                required=False,
            )
        self.fields["decision_date"] = date_field(_("Admission decision date"))
        self.fields["ceremony_date"] = date_field(
            _("Admission ceremony date"),
            help_text=_(
                "Within 30 working days of the decision, unless the committee above approved later."
            ),
        )
        self.fields["decision_number"] = forms.CharField(
            label=_("Decision number"), max_length=60, required=False
        )
        self.fields["issuer"] = forms.CharField(
            label=_("Issued by"), max_length=200, required=False
        )
        self.fields["age_exception"] = forms.CharField(
            label=_("Age exception"),
            max_length=200,
            required=False,
            help_text=_("The special approval for a person over the age limit, if any."),
        )
        self.fields["ceremony_delay_approval"] = ceremony_delay_field()
        if cells is not None:
            self.order_fields(["cell", "cell_code"])

    def clean(self):
        data = super().clean()
        if self.cells is None:
            return data
        code = (data.get("cell_code") or "").strip()
        if code and not data.get("cell"):
            data["cell"] = self.cells.filter(code__iexact=code).first()
            if data["cell"] is None:
                self.add_error("cell_code", _("No open cell you may admit into has this code."))
        elif not data.get("cell") and "cell" not in self.errors:
            field = "cell" if "cell" in self.fields else "cell_code"
            self.add_error(field, _("Choose the cell to admit the member into."))
        return data


class RecognizeForm(ServiceForm):
    decision_date = date_field(_("Recognition decision date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    cell_vote_date = date_field(_("Cell vote date"), required=False)
    votes_for = forms.IntegerField(
        label=_("Votes for"),
        min_value=0,
        required=False,
        help_text=_(
            "With the vote date: at least two thirds of the cell's official members on that day "
            "must agree."
        ),
    )
    votes_total = forms.IntegerField(label=_("Votes cast"), min_value=0, required=False)


def cell_choices(user, near: Unit | None, action: str, exclude: Unit | None = None):
    """Open cells the user may act on, within the organization around `near` (its parent's
    subtree) so that the list stays short; other cells are reached by typing their code."""
    from grassroots.core.querysets import Action

    qs = Unit.objects.visible_to(user, action or Action.VIEW).open().filter(kind__in=CELL_KINDS)
    if near is not None and near.parent_id:
        parent_path = near.path[: near.path.rstrip("/").rfind("/") + 1]
        qs = qs.filter(path__startswith=parent_path)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("path")


class TransferOutForm(ServiceForm):
    mode = forms.ChoiceField(
        label=_("Kind of transfer"),
        choices=TransferMode.choices,
        initial=TransferMode.OFFICIAL,
        widget=forms.RadioSelect,
        help_text=_(
            "Official: the records move. Temporary: the member attends elsewhere for a while."
        ),
    )
    to_unit = forms.ModelChoiceField(
        label=_("Receiving cell"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— another cell, by code —"),
    )
    to_unit_code = forms.CharField(
        label=_("Or the code of the receiving cell"),
        max_length=40,
        required=False,
        help_text=_("For a cell outside your organization."),
    )
    date = date_field(_("Date of the introduction"))
    until = date_field(_("Temporary until"), required=False)
    decision_number = forms.CharField(label=_("Introduction number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    extra_fields = ("to_unit_code",)

    def __init__(self, *args, user=None, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = cell_choices(
            user, member.unit if member else None, "view", exclude=member.unit if member else None
        )

    def clean(self):
        data = super().clean()
        code = (data.get("to_unit_code") or "").strip()
        if code and not data.get("to_unit"):
            unit = Unit.objects.open().filter(code__iexact=code, kind__in=CELL_KINDS).first()
            if unit is None:
                self.add_error("to_unit_code", _("No open cell has this code."))
            else:
                data["to_unit"] = unit
        elif not data.get("to_unit") and "to_unit" not in self.errors:
            self.add_error("to_unit", _("Choose the receiving cell or type its code."))
        return data


class DateOnlyForm(ServiceForm):
    date = date_field(_("Date"))


class TransferInForm(DateOnlyForm):
    date = date_field(_("Date of arrival"))


class TemporaryArrivalForm(DateOnlyForm):
    date = date_field(_("Date of arrival"))


class TemporaryReturnForm(DateOnlyForm):
    date = date_field(_("Date of return"))


class DeathForm(DateOnlyForm):
    date = date_field(_("Date of death"))


def leaving_reason_field(help_text) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[("", "—"), *LeavingReason.choices],
        required=False,
        help_text=help_text,
    )


class DisciplineForm(ServiceForm):
    """A probationary member is offered a reprimand or a warning only; a dismissal names the
    committee seat it ends."""

    empty_labels = {"seat": _("— no seat —"), "leaving_reason": _("— not stated —")}

    level = forms.ChoiceField(label=_("Discipline"), choices=DisciplineLevel.choices)
    date = date_field(_("Decision date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    seat = forms.TypedChoiceField(
        label=_("Seat ended by the dismissal"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For a dismissal from post: the committee seat it ends."),
    )
    leaving_reason = leaving_reason_field(
        _("For an expulsion: why the member leaves (some reasons exclude readmission).")
    )

    def __init__(self, *args, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The seats come from the committees through the ledger's hooks (members.hooks).
        posts = hooks.posts_held_by(member.pk) if member is not None else []
        no_seat = ("", self.empty_labels["seat"])
        self.fields["seat"].choices = [no_seat, *((p.id, p.label) for p in posts)]
        if member is not None and member.status == MemberStatus.PROBATIONARY:
            self.fields["level"].choices = [
                (v, DisciplineLevel(v).label) for v in PROBATIONARY_DISCIPLINE
            ]
            self.fields["level"].help_text = _(
                "A probationary member can only be reprimanded or warned; graver cases lead to "
                "removal."
            )
            del self.fields["seat"], self.fields["leaving_reason"]


class RemoveForm(ServiceForm):
    empty_labels = {"leaving_reason": _("— not stated —")}

    date = date_field(_("Date of removal"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    leaving_reason = leaving_reason_field(
        _("Some reasons exclude readmission (Regulation 232-QĐ/TW, 3.5).")
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)


class ReadmitForm(ServiceForm):
    rare_fields = ("ceremony_delay_approval", "record_cleared_on")
    empty_labels = {"unit": _("— choose a cell —")}

    unit = forms.ModelChoiceField(label=_("Cell"), queryset=Unit.objects.none())
    decision_date = date_field(_("Readmission decision date"))
    ceremony_date = date_field(_("Admission ceremony date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    ceremony_delay_approval = ceremony_delay_field()
    record_cleared_on = date_field(
        _("Criminal record cleared on"),
        required=False,
        help_text=_("For a member who left after a conviction for a minor offence."),
    )

    def __init__(self, *args, user=None, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = cell_choices(user, member.unit if member else None, "change")
        if member is not None:
            self.fields["unit"].initial = member.unit_id


# --- candidates ----------------------------------------------------------------------------


class CandidateProposeForm(ServiceForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Candidate

        model_fields = forms.fields_for_model(
            Candidate,
            fields=[
                "gender",
                "birth_date",
                "ethnicity",
                "religion",
                "occupation",
                "proposed_by",
                "proposed_on",
            ],
        )
        for name, field in model_fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
            self.fields[name] = field
        self.fields["proposed_by"].initial = ProposedBy.CELL
        self.fields["full_name"].widget.attrs.setdefault("placeholder", _("e.g. Nguyễn Văn An"))
        self.label_empty_choices()


ADVANCE_STAGES = [
    CandidateStage.COURSE_COMPLETED,
    CandidateStage.APPLICATION_FILED,
    CandidateStage.INTRODUCERS_ASSIGNED,
    CandidateStage.CELL_VOTED,
]


class CandidateAdvanceForm(ServiceForm):
    empty_labels = {
        "introducer_1": _("— choose an official member —"),
        "introducer_2": _("— choose an official member —"),
    }

    stage = forms.ChoiceField(
        label=_("Next stage"), choices=[(s.value, s.label) for s in ADVANCE_STAGES]
    )
    date = date_field(_("Date"), required=False)
    introducer_1 = forms.ModelChoiceField(
        label=_("First introducer"), queryset=Member.objects.none(), required=False
    )
    introducer_2 = forms.ModelChoiceField(
        label=_("Second introducer"), queryset=Member.objects.none(), required=False
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, required=False)
    votes_total = forms.IntegerField(label=_("Votes cast"), min_value=0, required=False)

    def __init__(self, *args, candidate=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidate is not None:
            # Introducers are official members of the candidate's cell.
            introducers = Member.objects.filter(unit=candidate.unit, status="official").order_by(
                "name_folded"
            )
            self.fields["introducer_1"].queryset = introducers
            self.fields["introducer_2"].queryset = introducers
            order = [s.value for s in ADVANCE_STAGES]
            if candidate.stage in order:
                index = order.index(candidate.stage) + 1
                if index < len(order):
                    self.fields["stage"].initial = order[index]
            elif candidate.stage == CandidateStage.PROPOSED:
                self.fields["stage"].initial = order[0]

    def service_kwargs(self) -> dict[str, Any]:
        # Only what was given: the service checks what each stage needs.
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class CandidateDropForm(ServiceForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CandidateAdmitForm(ServiceForm):
    rare_fields = ("age_exception", "ceremony_delay_approval")

    decision_date = date_field(_("Admission decision date"))
    ceremony_date = date_field(_("Admission ceremony date"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    party_card_number = forms.CharField(label=_("Party card number"), max_length=20, required=False)
    age_exception = forms.CharField(
        label=_("Age exception"),
        max_length=200,
        required=False,
        help_text=_("The special approval for a person over the age limit, if any."),
    )
    ceremony_delay_approval = ceremony_delay_field()

    def clean_party_card_number(self):
        return (self.cleaned_data.get("party_card_number") or "").strip() or None


# --- import and statistics -----------------------------------------------------------------


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_("Use the template. CSV must be UTF-8; dates as dd/mm/yyyy."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file without saving"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from grassroots.core.spreadsheets import upload_limit_text

        self.fields["file"].help_text = _(
            "Use the template. CSV must be UTF-8; dates as dd/mm/yyyy. At most %(limit)s."
        ) % {"limit": upload_limit_text()}

    def clean_file(self):
        from grassroots.core.spreadsheets import FileError, check_upload

        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise ValidationError(_("Upload an .xlsx or a .csv file."))
        try:
            check_upload(upload, name)
        except FileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


class StatsForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())
    period_start = forms.DateField(label=_("Events from"), required=False, widget=DateInput())
    period_end = forms.DateField(label=_("Events up to"), required=False, widget=DateInput())
    extent = forms.ChoiceField(
        label=_("Figures of a past day"),
        required=False,
        choices=[
            ("tree", _("The unit as the tree stood that day")),
            ("present", _("Its present extent on that day")),
        ],
        help_text=_(
            "Present extent: everything that makes up the unit now, as it stood that day (units "
            "later merged into it; for a part of a split, the units and members it took)."
        ),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period is before its start."))
        return data
