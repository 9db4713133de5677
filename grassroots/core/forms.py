"""Form pieces shared by every app."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
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


def date_field(label, required: bool = True, help_text: str = "", initial=None) -> forms.DateField:
    """A date field typed as dd/mm/yyyy (see DateInput)."""
    return forms.DateField(
        label=label, required=required, widget=DateInput(), help_text=help_text, initial=initial
    )


def apply_service_errors(
    form: forms.Form,
    error: ValidationError,
    mapping: dict[str, str] | Callable[[str], str] | None = None,
) -> None:
    """Show a service's refusal on the fields it names; anything else above the form.

    `mapping` renames the service's keys to the form's fields, as a dict or a function (the
    split service's "parts.2.code" is the form's "part_2_code")."""
    if callable(mapping):
        rename = mapping
    else:
        names = mapping or {}

        def rename(key: str) -> str:
            return names.get(key, key)

    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            name = rename(key)
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
