"""Forms of the assessment pages. They parse input only; the services decide and refuse."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import date_field
from grassroots.organizations.choices import UnitKind

from .choices import MissingMonths, Scoring, YearEndRule
from .models import Criterion, CriterionGroup, Framework
from .suggestions import suggester_choices

FRAMEWORK_KINDS = [
    (k, label)
    for k, label in UnitKind.choices
    if k in (UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL, UnitKind.CELL)
]


def _points_field(label, required: bool = True, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


class FrameworkForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short name shared by every version, e.g. qn-4tot-chibo."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    guideline_number = forms.CharField(label=_("Guideline number"), max_length=60, required=False)
    guideline_date = date_field(_("Guideline date"), required=False)
    unit_kinds = forms.MultipleChoiceField(
        label=_("Applies to"), choices=FRAMEWORK_KINDS, widget=forms.CheckboxSelectMultiple
    )
    missing_months = forms.ChoiceField(
        label=_("A month with no accepted assessment"),
        choices=MissingMonths.choices,
        initial=MissingMonths.ZERO,
    )
    year_end_rule = forms.ChoiceField(
        label=_("The year-end review takes"), choices=YearEndRule.choices
    )


class FrameworkEditForm(FrameworkForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class GroupForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    max_points = _points_field(_("Maximum points"))
    min_points = _points_field(
        _("Minimum points"),
        required=False,
        help_text=_("A month below it cannot reach the bands that require every minimum."),
    )


class CriterionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=10)
    text_vi = forms.CharField(
        label=_("Criterion (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    text_en = forms.CharField(
        label=_("Criterion (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    max_points = _points_field(_("Maximum points"))
    scoring = forms.ChoiceField(label=_("Scored as"), choices=Scoring.choices)
    scale_steps = forms.IntegerField(
        label=_("Steps of the scale"), min_value=1, max_value=10, initial=4, required=False
    )
    suggester = forms.ChoiceField(label=_("Score suggested from"), choices=(), required=False)

    def __init__(self, *args, with_suggester: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_suggester:
            self.fields["suggester"].choices = suggester_choices()
        else:
            del self.fields["suggester"]


class OwnCriterionForm(CriterionForm):
    group = forms.ModelChoiceField(label=_("Group"), queryset=CriterionGroup.objects.none())
    field_order = ["group"]

    def __init__(self, *args, framework: Framework, **kwargs):
        super().__init__(*args, with_suggester=False, **kwargs)
        self.fields["group"].queryset = framework.groups.all()
        self.order_fields(["group", "code", "text_vi", "text_en", "max_points", "scoring"])


class BandForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=30, help_text=_("e.g. excellent, good"))
    label_vi = forms.CharField(label=_("Label (Vietnamese)"), max_length=100)
    label_en = forms.CharField(label=_("Label (English)"), max_length=100, required=False)
    min_total = _points_field(_("From a total of"))
    requires_group_minimums = forms.BooleanField(
        label=_("Only when every group reaches its minimum"), required=False
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Framework workbook (.xlsx)"))


class RegistrationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["year"].initial = timezone.localdate().year


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG, DOCX, XLSX or ODT, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"}),
    )
    criterion = forms.ModelChoiceField(
        label=_("For the criterion"), queryset=Criterion.objects.none(), required=False
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = Criterion.objects.filter(
            pk__in=[c.pk for c in criteria]
        )


class MonthForm(forms.Form):
    """One score and one note per criterion, named score_<id> and note_<id>, and the month's
    notes. A yes/no or scale criterion is a choice of its allowed scores."""

    note = forms.CharField(
        label=_("Notes of the month"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria, scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            score = scores.get(criterion.pk)
            allowed = criterion.allowed_scores()
            attrs = {"data-group": criterion.group_id, "data-max": str(criterion.max_points)}
            label = f"{criterion.code}. {criterion.text}"
            help_text = _("At most %(p)s points.") % {"p": _format(criterion.max_points)}
            if allowed is None:
                field = forms.DecimalField(
                    label=label,
                    help_text=help_text,
                    required=False,
                    min_value=0,
                    max_value=criterion.max_points,
                    decimal_places=2,
                    widget=forms.NumberInput(
                        attrs={**attrs, "step": "0.25", "inputmode": "decimal", "class": "score"}
                    ),
                )
            else:
                choices = [("", "—")] + [(str(a), _format(a)) for a in allowed]
                if criterion.scoring == Scoring.YES_NO:
                    choices = [
                        ("", "—"),
                        (str(allowed[1]), _("Yes (%(p)s)") % {"p": _format(allowed[1])}),
                        (str(allowed[0]), _("No (0)")),
                    ]
                field = forms.TypedChoiceField(
                    label=label,
                    help_text=help_text,
                    required=False,
                    choices=choices,
                    coerce=Decimal,
                    empty_value=None,
                    widget=forms.Select(attrs={**attrs, "class": "score"}),
                )
            field.initial = str(score.score) if score and score.score is not None else None
            self.fields[f"score_{criterion.pk}"] = field
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Note on %(code)s") % {"code": criterion.code},
                required=False,
                initial=score.note if score else "",
                widget=forms.TextInput(),
            )

    def score_values(self) -> dict[int, tuple[object, str]]:
        data = self.cleaned_data
        return {
            c.pk: (data.get(f"score_{c.pk}"), data.get(f"note_{c.pk}") or "") for c in self.criteria
        }


def _format(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text
