"""Forms of the classification pages; each one feeds one service."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import date_field

from .choices import MEMBER_CIRCUMSTANCES, CircumstanceKind, FormCode, Level, StepKind
from .models import EDITABLE_FIELDS, RuleSet

LEVEL_CHOICES = [("", "—"), *Level.choices]


def _year_choices():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, 2017, -1)]


class ResultsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)


class RunForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - (
            1 if timezone.localdate().month < 10 else 0
        )


class ReviewOpenForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_year_choices)
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[
            ("", _("The year (year-end review)")),
            (1, _("Quarter 1")),
            (2, _("Quarter 2")),
            (3, _("Quarter 3")),
        ],
        help_text=_("The fourth quarter folds into the year-end review."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class TaskResultsForm(forms.Form):
    """The task results a self-review, a proposal or a decision states."""

    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    points = forms.DecimalField(
        label=_("Points (out of 100)"),
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=_("Rule sets from 2025: general criteria 30 + task results 70."),
    )
    on_time = forms.BooleanField(
        label=_("Every task done on time and with quality"), required=False, initial=True
    )
    all_done = forms.BooleanField(label=_("Every task done"), required=False, initial=True)
    exceeded_pct = forms.DecimalField(
        label=_("Share of tasks beyond the requirement (%)"),
        required=False,
        min_value=0,
        max_value=100,
    )
    late_pct = forms.DecimalField(
        label=_("Share of tasks late (%)"), required=False, min_value=0, max_value=100
    )
    remedied = forms.BooleanField(
        label=_("Shortcomings found earlier all remedied"), required=False, initial=True
    )
    self_detected = forms.BooleanField(
        label=_("A violation disciplined in the year was found and remedied by the member"),
        required=False,
    )
    weak_criterion = forms.BooleanField(
        label=_("A criterion was graded weak (collectives)"), required=False
    )
    targets_met_pct = forms.DecimalField(
        label=_("Share of targets met (%) (collectives)"),
        required=False,
        min_value=0,
        max_value=100,
    )
    main_targets_missed = forms.BooleanField(
        label=_("The main targets were missed (collectives)"), required=False
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    INPUT_FIELDS = [
        "level",
        "points",
        "on_time",
        "all_done",
        "exceeded_pct",
        "late_pct",
        "remedied",
        "self_detected",
        "weak_criterion",
        "targets_met_pct",
        "main_targets_missed",
    ]

    def __init__(self, *args, collective: bool = False, points: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not collective:
            for name in ("weak_criterion", "targets_met_pct", "main_targets_missed"):
                del self.fields[name]
        else:
            del self.fields["self_detected"]
        if not points:
            del self.fields["points"]
            del self.fields["late_pct"]
            del self.fields["remedied"]

    def inputs(self) -> dict:
        data = self.cleaned_data
        return {n: data[n] for n in self.INPUT_FIELDS if n in data and data[n] not in (None, "")}


class StepForm(TaskResultsForm):
    kind = forms.ChoiceField(
        label=_("Step"),
        choices=[
            (StepKind.SELF_REVIEW.value, StepKind.SELF_REVIEW.label),
            (StepKind.PROPOSAL.value, StepKind.PROPOSAL.label),
        ],
    )
    form_code = forms.ChoiceField(label=_("Form"), choices=[], required=False)

    def __init__(self, *args, collective: bool = False, **kwargs):
        super().__init__(*args, collective=collective, **kwargs)
        codes = [FormCode.F01] if collective else [FormCode.F2A, FormCode.F2B, FormCode.F2C]
        self.fields["form_code"].choices = [(c.value, c.label) for c in codes]
        self.order_fields(["kind", "form_code", *self.INPUT_FIELDS])


class BatchDecisionForm(forms.Form):
    """One level per classification of the page (a cell's members, or the collectives of a
    review), decided together so the quota counts them all."""

    exception_reason = forms.CharField(
        label=_("Exception to the quota: the reason the committee above grants it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for c in self.rows:
            self.fields[f"level_{c.pk}"] = forms.ChoiceField(
                label=c.subject_name,
                choices=LEVEL_CHOICES,
                required=False,
                initial=c.decided_level or c.proposed_level or c.suggested_level,
            )
        self.order_fields([f"level_{c.pk}" for c in self.rows] + ["exception_reason"])

    def level_fields(self):
        return [(c, self[f"level_{c.pk}"]) for c in self.rows]

    def clean(self):
        data = super().clean()
        if not any(data.get(f"level_{c.pk}") for c in self.rows):
            raise forms.ValidationError(_("Choose at least one level."))
        return data


class PublishForm(forms.Form):
    confirm = forms.BooleanField(label=_("Make the decided results public to the unit"))


class CircumstanceForm(forms.Form):
    """A member's exemption, suspension or leave, or the discipline of an organization the
    review classifies."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k.value, k.label) for k in MEMBER_CIRCUMSTANCES]
        + [(CircumstanceKind.ORGANIZATION_DISCIPLINED.value, _("Organization disciplined"))],
    )
    member = forms.ChoiceField(label=_("Member"), choices=[], required=False)
    unit = forms.ChoiceField(
        label=_("Organization (when an organization was disciplined)"), choices=[], required=False
    )
    start = date_field(_("From"))
    end = date_field(_("To"), required=False, help_text=_("Leave empty while it lasts."))
    decision = forms.CharField(label=_("Decision"), max_length=120, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, members=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.units = {str(u.pk): u for u in units}
        self.fields["member"].choices = [("", "—")] + [(str(m.pk), m.full_name) for m in members]
        self.fields["unit"].choices = [("", "—")] + [(str(u.pk), u.name) for u in units]

    def clean_member(self):
        return self.members.get(self.cleaned_data["member"])

    def clean_unit(self):
        return self.units.get(self.cleaned_data["unit"])


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = EDITABLE_FIELDS
