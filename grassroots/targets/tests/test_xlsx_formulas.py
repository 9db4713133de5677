"""The targets' workbooks (the template a unit fills, the review) hold text as text: a comment
or a title that begins like a formula is a string cell, never a live formula; figures stay
numbers."""

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook

from grassroots.targets import services
from grassroots.targets.models import Resolution

from .page_helpers import plan


def test_a_comment_and_a_unit_name_that_read_as_formulas_are_text_cells_in_the_template(
    tree, editor_a, as_persona
):
    p = plan(tree.commune_a)
    services.data_value_save(
        actor=editor_a,
        indicator=p.growth,
        unit=tree.cell_a1,
        period="2023",
        value=Decimal("5.5"),
        comment="+1",
        source='=HYPERLINK("http://evil.example")',
    )
    tree.cell_a1.__class__.objects.filter(pk=tree.cell_a1.pk).update(name="@Chi bộ 1")
    url = reverse("targets:template_download", args=[p.resolution.pk])
    response = as_persona("editor_a").get(url, {"unit_code": "XA-1", "period": "2023"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, sheet[2], strict=True))
    for title, text in (
        ("Comment", "+1"),
        ("Source", '=HYPERLINK("http://evil.example")'),
        ("Unit", "@Chi bộ 1"),
    ):
        assert (first[title].data_type, first[title].value, first[title].quotePrefix) == (
            "s",
            text,
            True,
        )
    assert (first["Value"].data_type, first["Value"].value) == ("n", 5.5)


def test_a_resolution_title_that_reads_as_a_formula_is_a_text_cell_in_the_review(tree, as_persona):
    p = plan(tree.commune_a)
    Resolution.objects.filter(pk=p.resolution.pk).update(title="=1+1")
    response = as_persona("viewer_a").get(reverse("targets:review_export", args=[p.resolution.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    title = next(row[1] for row in sheet.iter_rows() if row[0].value == "Title")
    assert (title.data_type, title.value, title.quotePrefix) == ("s", "=1+1", True)
