"""Forms of the reorganization pages. They parse input only; the services decide and refuse.

Each form gives `arguments()`: the keyword arguments of its service (and of the preview)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.access import Action
from grassroots.core.forms import date_field
from grassroots.members.choices import ACTIVE_STATUSES
from grassroots.members.models import Candidate, Member
from grassroots.organizations.choices import CellSubtype
from grassroots.organizations.forms import kind_choices
from grassroots.organizations.models import Unit


class UnitCodeField(forms.CharField):
    """A unit chosen by its code, among the units the user may manage (a select of every unit of
    a province would be far too heavy for a phone)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.user = None

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        unit = Unit.objects.visible_to(self.user, Action.MANAGE).filter(code=value.strip()).first()
        if unit is None:
            raise ValidationError(_("No unit with this code in the part of the tree you manage."))
        return unit


def _bind_user(form: forms.Form, user) -> None:
    for field in form.fields.values():
        if isinstance(field, UnitCodeField):
            field.user = user


class DecisionForm(forms.Form):
    """The legal basis every reorganization carries."""

    effective_date = date_field(_("Takes effect on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    decision_date = date_field(_("Decision date"))
    issuer = forms.CharField(label=_("Issued by"), max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].initial = timezone.localdate()
        _bind_user(self, user)

    def decision(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "effective_date": data["effective_date"],
            "decision_number": data["decision_number"],
            "decision_date": data["decision_date"],
            "issuer": data["issuer"],
            "note": data.get("note", ""),
        }


class MergeForm(DecisionForm):
    sources = forms.ModelMultipleChoiceField(
        label=_("Units to merge"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    into = forms.ModelChoiceField(
        label=_("Into an existing unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— none: create a new unit —"),
        help_text=_("It stays open and receives the others. Leave empty to create a new unit."),
    )
    new_code = forms.CharField(label=_("Code of the new unit"), max_length=40, required=False)
    new_name = forms.CharField(label=_("Name of the new unit"), max_length=200, required=False)
    new_kind = forms.ChoiceField(label=_("Kind of the new unit"), required=False)
    new_cell_subtype = forms.ChoiceField(
        label=_("Cell type of the new unit"),
        required=False,
        choices=[("", _("— choose when the new unit is a cell —")), *CellSubtype.choices],
    )
    new_parent = UnitCodeField(
        label=_("Code of the new unit's parent"),
        required=False,
        help_text=_("Leave empty to keep the new unit under %(parent)s."),
    )

    field_order = [
        "sources",
        "into",
        "new_code",
        "new_name",
        "new_kind",
        "new_cell_subtype",
        "new_parent",
    ]

    def __init__(self, *args, parent: Unit, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        siblings = (
            Unit.objects.visible_to(user, Action.MANAGE)
            .filter(parent=parent, valid_to__isnull=True)
            .order_by("name_folded")
        )
        self.fields["sources"].queryset = siblings
        self.fields["into"].queryset = siblings
        self.fields["new_kind"].choices = [("", _("Same kind as the merged units"))] + kind_choices(
            None
        )
        self.fields["new_parent"].help_text = self.fields["new_parent"].help_text % {
            "parent": parent
        }
        self.parent = parent

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **self.decision(),
            "sources": list(data["sources"]),
            "into": data.get("into"),
            "new_code": data.get("new_code", ""),
            "new_name": data.get("new_name", ""),
            "new_kind": data.get("new_kind", ""),
            "new_cell_subtype": data.get("new_cell_subtype", ""),
            "new_parent": data.get("new_parent") or (None if data.get("into") else self.parent),
        }


class CandidateChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.get_stage_display()})"


class SplitForm(DecisionForm):
    """A split into `parts` new units; each open sub-unit, member and candidate still in the
    admission pipeline is ticked under one part."""

    def __init__(self, *args, source: Unit, user, parts: int = 2, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        children = Unit.objects.filter(parent=source, valid_to__isnull=True).order_by("name_folded")
        members = Member.objects.filter(unit=source, status__in=ACTIVE_STATUSES).order_by(
            "name_folded"
        )
        candidates = Candidate.objects.filter(unit=source).in_pipeline().order_by("name_folded")
        self.source = source
        self.parts = parts
        for i in range(1, parts + 1):
            self.fields[f"part_{i}_code"] = forms.CharField(
                label=_("Part %(i)d: code") % {"i": i}, max_length=40
            )
            self.fields[f"part_{i}_name"] = forms.CharField(
                label=_("Part %(i)d: name") % {"i": i}, max_length=200
            )
            self.fields[f"part_{i}_parent"] = UnitCodeField(
                label=_("Part %(i)d: code of the parent") % {"i": i},
                required=False,
                help_text=_("Leave empty to keep it where the unit split now is."),
            )
            if children.exists():
                self.fields[f"part_{i}_cells"] = forms.ModelMultipleChoiceField(
                    label=_("Part %(i)d: units it takes") % {"i": i},
                    queryset=children,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            if members.exists():
                self.fields[f"part_{i}_members"] = forms.ModelMultipleChoiceField(
                    label=_("Part %(i)d: members it takes") % {"i": i},
                    queryset=members,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            if candidates.exists():
                self.fields[f"part_{i}_candidates"] = CandidateChoiceField(
                    label=_("Part %(i)d: candidates for admission it takes") % {"i": i},
                    queryset=candidates,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
        _bind_user(self, user)

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        parts = []
        for i in range(1, self.parts + 1):
            parts.append(
                {
                    "code": data.get(f"part_{i}_code", ""),
                    "name": data.get(f"part_{i}_name", ""),
                    "parent": data.get(f"part_{i}_parent"),
                    "cells": list(data.get(f"part_{i}_cells") or []),
                    "members": list(data.get(f"part_{i}_members") or []),
                    "candidates": list(data.get(f"part_{i}_candidates") or []),
                }
            )
        return {**self.decision(), "source": self.source, "parts": parts}


class RenameForm(DecisionForm):
    new_name = forms.CharField(
        label=_("New name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to keep the name and change only the code."),
    )
    new_code = forms.CharField(
        label=_("New code"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to keep the code."),
    )
    field_order = ["new_name", "new_code"]

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.unit = unit

    def arguments(self) -> dict[str, Any]:
        return {
            **self.decision(),
            "unit": self.unit,
            "new_name": self.cleaned_data["new_name"],
            "new_code": self.cleaned_data["new_code"],
        }


class MoveForm(DecisionForm):
    new_parent = UnitCodeField(label=_("Code of the new parent unit"))
    field_order = ["new_parent"]

    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.unit = unit

    def arguments(self) -> dict[str, Any]:
        return {**self.decision(), "unit": self.unit, "new_parent": self.cleaned_data["new_parent"]}


class DissolveForm(DecisionForm):
    def __init__(self, *args, unit: Unit, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.unit = unit

    def arguments(self) -> dict[str, Any]:
        return {**self.decision(), "unit": self.unit}
