"""Forms of the committee pages. They parse input only; the services decide and refuse."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from grassroots.core.forms import date_field
from grassroots.members.models import Member
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from .choices import CommitteeKind, Position
from .models import Committee


class CommitteeForm(forms.Form):
    start_year = forms.IntegerField(label=_("Term starts (year)"), min_value=1930, max_value=2100)
    end_year = forms.IntegerField(label=_("Term ends (year)"), min_value=1930, max_value=2100)
    kind = forms.ChoiceField(label=_("Committee"), choices=CommitteeKind.choices)
    elected_size = forms.IntegerField(label=_("Elected size"), required=False, min_value=0)
    approved_next_size = forms.IntegerField(
        label=_("Size approved for the next term"), required=False, min_value=0
    )
    elected_on = date_field(_("Elected on"), required=False)

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        year = dt.date.today().year
        self.fields["start_year"].initial = year - (year - 2020) % 5
        self.fields["end_year"].initial = self.fields["start_year"].initial + 5
        if unit.kind in CELL_KINDS:
            self.fields["kind"].choices = [(CommitteeKind.CELL.value, CommitteeKind.CELL.label)]
        else:
            self.fields["kind"].choices = [
                c for c in CommitteeKind.choices if c[0] != CommitteeKind.CELL
            ]


class CommitteeEditForm(forms.ModelForm):
    elected_on = date_field(_("Elected on"), required=False)

    class Meta:
        model = Committee
        fields = ["elected_size", "approved_next_size", "elected_on"]


class SeatForm(forms.Form):
    member_ref = forms.CharField(
        label=_("Member (party card number or member number)"), max_length=20, required=False
    )
    person_name = forms.CharField(
        label=_("Or the name of a person from outside the list"), max_length=150, required=False
    )
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    from_date = date_field(_("From"), required=False)

    def __init__(self, *args, committee: Committee, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.user = user

    def clean_member_ref(self):
        ref = (self.cleaned_data.get("member_ref") or "").strip()
        if not ref:
            return None
        members = Member.objects.visible_to(self.user)
        member = members.filter(party_card_number=ref).first()
        if member is None and ref.isdigit():
            member = members.filter(pk=int(ref)).first()
        if member is None:
            raise ValidationError(_("No member with this number in your part of the tree."))
        return member


class SeatEndForm(forms.Form):
    to_date = date_field(_("Seat ends on"))
