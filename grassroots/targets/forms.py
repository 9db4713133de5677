"""Forms of the targets pages. They parse input only (numbers the Vietnamese way or the
computer's way, periods, dates); the services decide and refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.models import Term
from grassroots.core.forms import date_field
from grassroots.core.querysets import Action, in_subtree
from grassroots.organizations.models import Unit

from .choices import (
    ChangeBasis,
    IndicatorGroup,
    PeriodKind,
    ReductionBasis,
    ResolutionKind,
    ResolutionStatus,
    ReviewKind,
    TargetKind,
)
from .models import Indicator, Resolution
from .numbers import parse_number, plain_number
from .periods import Period, parse_period, period_for, year_period

YEAR_ATTRS = {"inputmode": "numeric", "min": 1990, "max": 2100}
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024


def year_field(label, required: bool = True, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1900,
        max_value=2200,
        help_text=help_text,
        widget=forms.NumberInput(attrs=YEAR_ATTRS),
    )


class NumberInput(forms.TextInput):
    """A text input with the numeric keyboard that still lets people type "1.320,5"."""

    def __init__(self, attrs=None):
        defaults = {"inputmode": "decimal", "autocomplete": "off", "size": "10"}
        defaults.update(attrs or {})
        super().__init__(attrs=defaults)

    def format_value(self, value):
        if isinstance(value, Decimal):
            return plain_number(value)
        return super().format_value(value)


class NumberField(forms.Field):
    """A decimal as people type it in the active language ("1.320,5" in Vietnamese, "1,320.5"
    in English, "1320.5" or "97,4%" in either): see `numbers.parse_number`."""

    widget = NumberInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_number(value, typed=True)


class PeriodField(forms.CharField):
    """A period code: 2023, 2023Q2 or 202304."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", _("A year (2023), a quarter (2023Q2) or a month (202304)."))
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"autocomplete": "off", "size": "8"})

    def clean(self, value) -> Period | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid_period") from exc


class ServiceForm(forms.Form):
    """A form whose cleaned data are the keyword arguments of one service."""

    extra_fields: tuple[str, ...] = ()

    def service_kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in self.extra_fields}


# --- resolutions -------------------------------------------------------------------------------


class ResolutionForm(ServiceForm):
    number = forms.CharField(
        label=_("Number"), max_length=60, help_text=_("As printed, e.g. 22-NQ/TU.")
    )
    issued_on = date_field(_("Issued on"))
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ResolutionKind.choices, initial=ResolutionKind.CONGRESS
    )
    term = forms.ModelChoiceField(
        label=_("Congress term"),
        queryset=Term.objects.order_by("-start_year"),
        required=False,
        empty_label=_("— none —"),
        help_text=_("For a congress resolution."),
    )
    start_year = year_field(_("From year"))
    end_year = year_field(_("To year"))

    def clean(self):
        data = super().clean()
        term = data.get("term")
        # A congress resolution usually spans its term: fill the years from it when left empty.
        if term is not None:
            if not data.get("start_year") and "start_year" in self.errors:
                del self.errors["start_year"]
                data["start_year"] = term.start_year
            if not data.get("end_year") and "end_year" in self.errors:
                del self.errors["end_year"]
                data["end_year"] = term.end_year
        return data


class ResolutionEndForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("How it ends"),
        choices=[
            (ResolutionStatus.ENDED, ResolutionStatus.ENDED.label),
            (ResolutionStatus.REPLACED, ResolutionStatus.REPLACED.label),
        ],
        widget=forms.RadioSelect,
        initial=ResolutionStatus.ENDED,
    )
    ended_on = date_field(_("Ended on"))
    decision_number = forms.CharField(label=_("Number of the decision"), max_length=60)
    decision_date = date_field(_("Date of the decision"))
    decision_issuer = forms.CharField(label=_("Issued by"), max_length=200)
    replaced_by = forms.ModelChoiceField(
        label=_("Replaced by"),
        queryset=Resolution.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_("The resolution that replaces it, when it is replaced."),
    )

    def __init__(self, *args, resolution: Resolution, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            Resolution.objects.visible_to(user)
            .filter(unit_id=resolution.unit_id)
            .exclude(pk=resolution.pk)
            .order_by("-issued_on")
        )
        self.initial.setdefault("ended_on", timezone.localdate())


# --- targets -----------------------------------------------------------------------------------


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        unit = f" ({obj.measure_unit})" if obj.measure_unit else ""
        return f"{obj.code} — {obj.label}{unit}"


class TargetForm(ServiceForm):
    """A target of a resolution, with one optional milestone field per year of the resolution."""

    indicator = IndicatorChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of target"), choices=TargetKind.choices, initial=TargetKind.LEVEL
    )
    change_basis = forms.ChoiceField(
        label=_("How the yearly change is read"),
        choices=[("", _("— not a yearly change —")), *ChangeBasis.choices],
        required=False,
        help_text=_("Only for an average yearly change; the yearly rates by default."),
    )
    reduction_basis = forms.ChoiceField(
        label=_("How a reduction is judged"),
        choices=[("", _("— not a lower-is-better level or share —")), *ReductionBasis.choices],
        required=False,
        help_text=_(
            "For a lower-is-better indicator (poor households): the level reached, "
            "target ÷ actual; or the share of the promised fall, "
            "(baseline − actual) ÷ (baseline − target), which needs the baseline."
        ),
    )
    unit_code = forms.CharField(
        label=_("Unit code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for the unit that issued the resolution; or a unit under it."),
    )
    baseline_value = NumberField(label=_("Baseline value"), required=False)
    baseline_year = year_field(_("Baseline year"), required=False)
    target_value = NumberField(
        label=_("Target value"),
        help_text=_("For a yearly change, the rate per year in %: 7 for growth of 7% a year."),
    )
    target_value_high = NumberField(
        label=_("Upper end of the target"),
        required=False,
        help_text=_("For a range: 3 to 4% a year is a target of 3 with an upper end of 4."),
    )
    target_year = year_field(_("Target year"))
    position = forms.IntegerField(
        label=_("Position in the resolution"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, resolution: Resolution, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolution = resolution
        self.user = user
        self.fields["indicator"].queryset = Indicator.objects.order_by("group", "code")
        self.initial.setdefault("target_year", resolution.end_year)
        self.initial.setdefault("baseline_year", resolution.start_year)
        self.milestone_names: list[tuple[int, str]] = []
        for year in range(resolution.start_year + 1, resolution.end_year + 1):
            name = f"milestone_{year}"
            self.fields[name] = NumberField(
                label=_("Milestone %(year)s") % {"year": year}, required=False
            )
            self.milestone_names.append((year, name))

    @property
    def milestone_fields(self):
        return [self[name] for _year, name in self.milestone_names]

    @property
    def main_fields(self):
        names = {name for _year, name in self.milestone_names}
        return [field for field in self.visible_fields() if field.name not in names]

    def clean_unit_code(self) -> Unit | None:
        code = (self.cleaned_data.get("unit_code") or "").strip()
        if not code:
            return None
        units = Unit.objects.filter(in_subtree("path", self.resolution.unit), code=code)
        if self.user is not None:
            units = units.visible_to(self.user, Action.CHANGE)
        unit = units.first()
        if unit is None:
            raise ValidationError(
                _("No unit with this code under the resolution's unit that you may change.")
            )
        return unit

    def service_kwargs(self) -> dict[str, Any]:
        names = {name for _year, name in self.milestone_names}
        kwargs = {k: v for k, v in self.cleaned_data.items() if k not in names and k != "unit_code"}
        kwargs["unit"] = self.cleaned_data.get("unit_code") or self.resolution.unit
        kwargs["note"] = kwargs.get("note") or ""
        kwargs["milestones"] = {
            year: self.cleaned_data[name]
            for year, name in self.milestone_names
            if self.cleaned_data.get(name) is not None
        }
        return kwargs


# --- data entry --------------------------------------------------------------------------------


class EntryRowForm(forms.Form):
    """One indicator's figure in the data-entry grid (its fields carry the indicator's prefix,
    so that the whole grid posts as one form)."""

    value = NumberField(label=_("Value"), required=False)
    numerator = NumberField(
        label=_("Numerator"), required=False, help_text=_("e.g. schools meeting the standard")
    )
    denominator = NumberField(
        label=_("Denominator"), required=False, help_text=_("e.g. all schools")
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicator: Indicator, ratio: bool = False, **kwargs):
        kwargs.setdefault("prefix", f"i{indicator.pk}")
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator.measure_unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.measure_unit}
        if not ratio:
            del self.fields["numerator"]
            del self.fields["denominator"]

    @property
    def has_ratio(self) -> bool:
        return "numerator" in self.fields

    @property
    def posted(self) -> bool:
        """Whether the request carried this row at all (a row left out is left alone)."""
        return any(key.startswith(f"{self.prefix}-") for key in self.data)

    def _texts_posted(self) -> list[str]:
        """The source and comment fields the request carried: a field left out keeps the
        stored text, a field emptied clears it."""
        return [name for name in ("source", "comment") if self.add_prefix(name) in self.data]

    def touched(self, stored) -> bool:
        """Whether the posted row differs from what is stored (an empty new row is left alone)."""
        data = self.cleaned_data
        figures = ["value", *(["numerator", "denominator"] if self.has_ratio else [])]
        texts = self._texts_posted()
        if stored is None:
            return any(data.get(name) is not None for name in figures) or any(
                data.get(name) for name in texts
            )
        for name in figures:
            if data.get(name) != getattr(stored, name):
                return True
        return any((data.get(name) or "") != getattr(stored, name) for name in texts)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        kwargs = {
            "value": data.get("value"),
            "numerator": data.get("numerator"),
            "denominator": data.get("denominator"),
        }
        kwargs.update({name: data.get(name) or "" for name in self._texts_posted()})
        return kwargs


# --- review and comparison --------------------------------------------------------------------


class ReviewForm(forms.Form):
    """The date of a review and its bands (default ≥ 100% met, ≥ 70% near)."""

    as_of = date_field(_("Review as of"), required=False)
    met = NumberField(label=_("Met from (%)"), required=False, help_text=_("Default 100."))
    near = NumberField(label=_("Near from (%)"), required=False, help_text=_("Default 70."))

    def clean(self):
        data = super().clean()
        met, near = data.get("met"), data.get("near")
        for name in ("met", "near"):
            value = data.get(name)
            if value is not None and not (0 <= value <= 1000):
                self.add_error(name, _("Write a percentage between 0 and 1000."))
        if met is not None and near is not None and near > met:
            self.add_error("near", _("The lower band must not be above the upper one."))
        return data

    def as_of_or_today(self) -> dt.date:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("as_of"):
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class ReviewAdoptForm(ServiceForm):
    """The review a committee adopted: mid-term or final, its date and bands."""

    kind = forms.ChoiceField(
        label=_("Review adopted"), choices=ReviewKind.choices, initial=ReviewKind.MID_TERM
    )
    as_of = date_field(_("Review as of"))
    met = NumberField(label=_("Met from (%)"), required=False, help_text=_("Default 100."))
    near = NumberField(label=_("Near from (%)"), required=False, help_text=_("Default 70."))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the meeting or document that adopted it."),
    )

    def service_kwargs(self) -> dict[str, Any]:
        from .review_resolver import bands_of

        data = self.cleaned_data
        bands = bands_of(data.get("met"), data.get("near"))
        return {
            "kind": data["kind"],
            "as_of": data["as_of"],
            "bands": bands,
            "note": data.get("note") or "",
        }


class ComparisonForm(forms.Form):
    indicator = IndicatorChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    period = PeriodField(label=_("Period"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.order_by("group", "code")


def recent_period_choices(today: dt.date) -> list:
    """The periods a grid is usually filled for, newest first and grouped by kind, each by its
    label (2023, Q2/2023, 04/2023): the last six years, eight quarters and twelve months."""
    years = [year_period(today.year - i) for i in range(6)]
    quarters = [period_for(PeriodKind.QUARTER, today)]
    months = [period_for(PeriodKind.MONTH, today)]
    while len(quarters) < 8:
        quarters.append(period_for(PeriodKind.QUARTER, quarters[-1].start - dt.timedelta(days=1)))
    while len(months) < 12:
        months.append(period_for(PeriodKind.MONTH, months[-1].start - dt.timedelta(days=1)))
    return [
        (label, [(p.code, p.label()) for p in periods])
        for label, periods in (
            (PeriodKind.YEAR.label, years),
            (PeriodKind.QUARTER.label, quarters),
            (PeriodKind.MONTH.label, months),
        )
    ]


class PeriodForm(forms.Form):
    """The period of a grid, chosen by its label among the recent ones (another period's code
    in the address is read too, and offered first)."""

    period = PeriodField(label=_("Period"), help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = recent_period_choices(timezone.localdate())
        current = self.data.get("period") if self.is_bound else self.initial.get("period")
        offered = {code for _group, options in choices for code, _label in options}
        if current and str(current).strip().upper() not in offered:
            try:
                period = parse_period(str(current))
            except ValueError:
                period = None
            if period is not None:
                choices.insert(0, (period.code, period.label()))
        self.fields["period"].widget = forms.Select(choices=choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled template (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    submit = forms.BooleanField(
        label=_("Submit the values for approval after saving them"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from grassroots.core.spreadsheets import upload_limit_text

        self.fields["file"].help_text = _("At most %(limit)s.") % {
            "limit": upload_limit_text(self.max_bytes())
        }

    @staticmethod
    def max_bytes() -> int:
        # A template holds a row per indicator: it never needs the size of a member import.
        return min(TEMPLATE_MAX_BYTES, settings.GRASSROOTS_UPLOAD_MAX_BYTES)

    def clean_file(self):
        from grassroots.core.spreadsheets import FileError, check_size

        upload = self.cleaned_data["file"]
        try:  # the size here; the archive when the reader opens it (read_upload)
            check_size(upload, self.max_bytes())
        except FileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


GROUP_ORDER = {value: index for index, value in enumerate(IndicatorGroup.values)}
