"""Form pieces shared by every app."""

from collections.abc import Callable
from pathlib import Path

import django
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class FormRenderer(DjangoTemplates):
    """Every form of the site through one template pair (settings.FORM_RENDERER): a summary of
    the errors at the top, linking to each field (`forms/form.html`), and each field with its
    label, help and errors tied to the input (`forms/field.html`). Empty choices say what to
    choose instead of "---------" (`django/forms/widgets/select_option.html`).

    The shared templates (grassroots/templates) come before Django's own form templates and the
    apps' templates, so a widget template placed there overrides Django's for every form."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(settings.BASE_DIR) / "grassroots" / "templates",
                    Path(django.__file__).parent / "forms" / "templates",
                ],
                "NAME": "grassroots-forms",
                "OPTIONS": {},
            }
        )


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
            "size": "14",
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
