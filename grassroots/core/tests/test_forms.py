"""Every form goes through one renderer: an error summary that links to each field, inputs tied
to their errors, and empty choices that say what to choose."""

import re

from django import forms
from django.template.loader import render_to_string

from grassroots.core.forms import date_field


class SampleForm(forms.Form):
    full_name = forms.CharField(label="Full name", help_text="As on the identity card.")
    ceremony_date = date_field("Ceremony")
    gender = forms.ChoiceField(label="Gender", choices=[("", "---------"), ("f", "Female")])
    level = forms.ChoiceField(
        label="Level", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.data.get("full_name") == "nobody":
            raise forms.ValidationError("Nobody cannot be admitted.")
        return self.cleaned_data


def rendered(form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def test_a_form_without_errors_has_no_summary():
    html = rendered(SampleForm())
    assert "error-summary" not in html and "aria-invalid" not in html
    assert '<label for="id_full_name">Full name' in html


def test_the_summary_links_each_error_to_its_field_and_takes_focus():
    form = SampleForm({"full_name": "", "ceremony_date": "31/02/2024", "gender": "", "level": "a"})
    html = rendered(form)
    summary = html[html.index("error-summary") : html.index("</div>")]
    assert 'role="alert"' in html and 'tabindex="-1"' in html and "data-error-summary" in html
    links = re.findall(r'<a href="#(id_\w+)">', summary)
    assert links == ["id_full_name", "id_ceremony_date", "id_gender"]
    assert "Ceremony: Enter a valid date." in summary


def test_an_input_with_an_error_is_marked_invalid_and_described_by_its_error():
    html = rendered(SampleForm({"full_name": "", "level": "a"}))
    name_input = re.search(r'<input type="text" name="full_name"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in name_input
    assert 'aria-describedby="id_full_name_helptext id_full_name_error"' in name_input
    assert 'id="id_full_name_error"' in html and 'id="id_full_name_helptext"' in html


def test_errors_of_the_whole_form_open_the_summary_without_a_link():
    html = rendered(
        SampleForm(
            {"full_name": "nobody", "ceremony_date": "01/02/2024", "gender": "f", "level": "a"}
        )
    )
    assert "<li>Nobody cannot be admitted.</li>" in html


def test_a_group_of_choices_is_a_fieldset_with_a_legend():
    html = rendered(SampleForm())
    assert "<legend>Level" in html and 'id="id_level"' in html


def test_an_empty_choice_says_what_to_choose():
    html = rendered(SampleForm())
    assert "---------" not in html
    assert '<option value="" selected>— choose —</option>' in html
