"""The member forms as a person meets them: dates typed as dd/mm/yyyy, empty choices that say
what to choose, rarely needed fields folded away until one is used."""

import pytest
from django import forms

from grassroots.core.forms import DateInput
from grassroots.members import forms as member_forms
from grassroots.organizations.models import Unit

from .page_helpers import admit

FORMS = [
    member_forms.MemberEditForm,
    member_forms.MemberAdmitForm,
    member_forms.RecognizeForm,
    member_forms.TransferOutForm,
    member_forms.TransferInForm,
    member_forms.TemporaryArrivalForm,
    member_forms.TemporaryReturnForm,
    member_forms.DeathForm,
    member_forms.DisciplineForm,
    member_forms.RemoveForm,
    member_forms.ReadmitForm,
    member_forms.CandidateProposeForm,
    member_forms.CandidateAdvanceForm,
    member_forms.CandidateDropForm,
    member_forms.CandidateAdmitForm,
    member_forms.StatsForm,
]


def build(form_class, tree, manager_a, data=None):
    if form_class in (member_forms.TransferOutForm, member_forms.ReadmitForm):
        return form_class(data, user=manager_a, member=admit(tree.cell_a1))
    if form_class is member_forms.MemberAdmitForm:
        return form_class(data, cells=Unit.objects.filter(parent=tree.commune_a))
    return form_class(data)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_every_date_of_the_member_forms_is_typed_as_day_month_year(tree, manager_a, form_class):
    form = build(form_class, tree, manager_a)
    dates = [f for f in form.fields.values() if isinstance(f, forms.DateField)]
    for field in dates:
        assert isinstance(field.widget, DateInput)
        assert field.widget.attrs["placeholder"] == "dd/mm/yyyy"
        assert field.widget.format == "%d/%m/%Y"


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
def test_no_empty_choice_of_the_member_forms_is_a_row_of_dashes(tree, manager_a, form_class):
    form = build(form_class, tree, manager_a)
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            empty = [str(label) for value, label in field.choices if value == ""]
            assert all(label.startswith("— ") and label.endswith(" —") for label in empty), name


def test_the_admission_folds_the_exceptions_away_and_opens_them_when_one_is_used(tree, manager_a):
    form = member_forms.MemberAdmitForm()
    assert {f.name for f in form.folded_fields.visible_fields()} == {
        "age_exception",
        "ceremony_delay_approval",
    }
    assert "age_exception" not in {f.name for f in form.main_fields.visible_fields()}
    assert not form.folded_open
    assert member_forms.MemberAdmitForm({"age_exception": "Quyết định 12"}).folded_open
    refused = member_forms.MemberAdmitForm({})
    refused.add_error("ceremony_delay_approval", "Needed.")
    assert refused.folded_open
    html = str(refused.folded_fields)
    assert 'name="ceremony_delay_approval"' in html and 'name="full_name"' not in html
