"""Forms of the unit pages. They parse input only; the services decide and refuse."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import date_field

from .choices import ALLOWED_CHILDREN, CELL_KINDS, CellSubtype, UnitKind
from .models import Unit


def kind_choices(parent: Unit | None) -> list[tuple[str, str]]:
    allowed = ALLOWED_CHILDREN.get(parent.kind, set()) if parent else set(UnitKind.values)
    return [(value, label) for value, label in UnitKind.choices if value in allowed]


class UnitCreateForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    cell_subtype = forms.ChoiceField(
        label=_("Cell type"), required=False, choices=[("", "—"), *CellSubtype.choices]
    )
    valid_from = date_field(_("Created on"))
    address = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, parent: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices(parent)


class UnitEditForm(forms.Form):
    # Shown, never taken from the form: a name or a code changes only by a rename under a
    # decision, which keeps the old ones in the history.
    code = forms.CharField(label=_("Code"), max_length=40, disabled=True, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        disabled=True,
        required=False,
        help_text=_("The name and the code change only by a rename under a decision (Rename)."),
    )
    address = forms.CharField(label=_("Place"), max_length=200, required=False)
    cell_subtype = forms.ChoiceField(
        label=_("Cell type"), required=False, choices=[("", "—"), *CellSubtype.choices]
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        if unit.kind not in CELL_KINDS:
            del self.fields["cell_subtype"]


class AsOfForm(forms.Form):
    as_of = date_field(_("As of"), required=False)

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and day > timezone.localdate():
            raise ValidationError(_("Choose a date no later than today."))
        return day


class TreeSearchForm(AsOfForm):
    q = forms.CharField(label=_("Find a unit"), required=False, max_length=100)
