"""Forms of the feedback pages. They parse and bound the input; the services decide and refuse."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import DateInput, date_field
from grassroots.organizations.models import Unit

from . import conf
from .choices import STAFF_CHANNELS, Category, Satisfaction
from .services import RESPONSIBLE_KINDS


def _text(label, max_length: int, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required, **kwargs)


def _area(label, max_length: int, rows: int = 6, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class CitizenFieldsMixin(forms.Form):
    citizen_name = _text(
        _("Full name"), 150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    citizen_phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9 +().-]{6,20}$",
        max_length=20,
        required=False,
        error_messages={"invalid": _("Enter a phone number.")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    citizen_address = _text(
        _("Address"),
        300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


class FeedbackReceiveForm(CitizenFieldsMixin):
    """Feedback staff record: from a dialogue meeting, a visit, a call or a letter."""

    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    channel = forms.ChoiceField(label=_("Received through"), choices=STAFF_CHANNELS)
    source_note = _text(
        _("Occasion"),
        200,
        required=False,
        help_text=_("E.g. the dialogue meeting of 12/03/2024 with the voters of hamlet 3."),
    )
    received_on = date_field(_("Received on"))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    subject = _text(_("Subject"), conf.SUBJECT_MAX_CHARS)
    body = _area(_("Content"), conf.BODY_MAX_CHARS)
    citizen_id_number = forms.RegexField(
        label=_("ID card number"),
        regex=r"^(\d{9}|\d{12})$",
        required=False,
        max_length=12,
        error_messages={"invalid": _("An ID card number has 9 or 12 digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    field_order = [
        "unit",
        "place",
        "channel",
        "source_note",
        "received_on",
        "category",
        "subject",
        "body",
        "citizen_name",
        "citizen_phone",
        "citizen_address",
        "citizen_id_number",
    ]

    place = UnitChoiceField(
        label=_("Village or agency"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole unit"),
    )

    def __init__(self, *args, units, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if unit is None:
            # The places of a unit are offered once the unit is known (from its page).
            del self.fields["place"]
        else:
            self.fields["place"].queryset = Unit.objects.filter(
                parent=unit, valid_to__isnull=True
            ).order_by("name")


def responsible_units(user):
    """The open organizations the user may record feedback for."""
    return (
        Unit.objects.visible_to(user, "change")
        .filter(kind__in=RESPONSIBLE_KINDS, valid_to__isnull=True)
        .order_by("path")
    )


class PublicFeedbackForm(CitizenFieldsMixin):
    """What a citizen sends without logging in. `website` is a trap for robots: hidden from
    people (and from assistive technology), filled only by a script."""

    place = UnitChoiceField(
        label=_("Village or agency"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("The whole commune"),
    )
    category = forms.ChoiceField(label=_("Kind of request"), choices=Category.choices)
    subject = _text(_("Subject"), conf.SUBJECT_MAX_CHARS)
    body = _area(_("Your opinion or request"), conf.BODY_MAX_CHARS, rows=8)
    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = [
        "place",
        "category",
        "subject",
        "body",
        "citizen_name",
        "citizen_phone",
        "citizen_address",
        "website",
    ]

    def __init__(self, *args, commune: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Unit.objects.filter(
            parent=commune, valid_to__isnull=True
        ).order_by("name")
        self.fields["citizen_phone"].help_text = _(
            "So that the commune can call you back. It is never shown on the tracking page."
        )

    def get_context(self):
        # The trap is rendered apart, inside a hidden block (feedback/public_form.html).
        context = super().get_context()
        context["fields"] = [(f, e) for f, e in context["fields"] if f.name != "website"]
        return context


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The code you were given when you sent your feedback, e.g. 7K3QD-9MX2P."),
    )


class SatisfactionForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
    )
    note = _area(_("Comment"), 500, rows=3, required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Person"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody (take it back)"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        self.fields["assignee"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )


class TransferForm(forms.Form):
    unit = UnitChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    note = _area(_("Reason"), 2000, rows=3, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AnswerForm(forms.Form):
    answer = _area(_("Answer"), conf.ANSWER_MAX_CHARS, rows=10)
    answered_on = date_field(_("Answered on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].help_text = _(
            "The citizen reads this answer on the tracking page: write it to them."
        )


class NoteForm(forms.Form):
    note = _area(_("Internal note"), 2000, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].help_text = _("Seen by staff only, never by the citizen.")


class ReopenForm(forms.Form):
    reason = _area(_("Reason for reopening"), 2000, rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "Kept in the history. The answer is cleared and the feedback is due again from today."
        )


class BoardForm(forms.Form):
    date_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Received to"), required=False, widget=DateInput())
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput())


def board_params(request, data) -> tuple[dt.date | None, dt.date | None, Unit | None, dict]:
    """`?from=&to=&unit=` (dd/mm/yyyy or yyyy-mm-dd): the period and the unit of a board, the
    unit only when the user may see it. Errors by parameter name."""
    form = BoardForm(
        {
            "date_from": data.get("from", ""),
            "date_to": data.get("to", ""),
            "unit": data.get("unit", ""),
        }
    )
    errors: dict = {}
    if not form.is_valid():
        names = {"date_from": "from", "date_to": "to"}
        errors = {names.get(k, k): v for k, v in form.errors.items()}
        return None, None, None, errors
    date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if date_from and date_to and date_to < date_from:
        errors["to"] = [gettext("The end of the period comes before its start.")]
    unit = None
    if form.cleaned_data["unit"]:
        unit = Unit.objects.visible_to(request.user).filter(pk=form.cleaned_data["unit"]).first()
        if unit is None:
            errors["unit"] = [gettext("No such unit in your part of the tree.")]
    return date_from, date_to, unit, errors
