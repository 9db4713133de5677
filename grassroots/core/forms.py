"""Form pieces shared by every app."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A date typed as dd/mm/yyyy, the way Vietnamese documents write it.

    A native picker would show the browser's own order (often mm/dd/yyyy); a text field with
    a numeric keyboard keeps the order the same for everyone. yyyy-mm-dd is accepted too.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}",
            "size": "10",
        }
        defaults.update(attrs or {})
        super().__init__(attrs=defaults, format="%d/%m/%Y")


def date_field(label, required: bool = True, help_text: str = "") -> forms.DateField:
    """A date field typed as dd/mm/yyyy (see DateInput)."""
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)
