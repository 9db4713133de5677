import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.core.models import AuditEntry

from .page_helpers import admit

EXPORT = reverse("members:member_export")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_xlsx_export_opens_and_holds_exactly_the_filtered_rows(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Nguyễn Văn An")
    admit(tree.cell_a2, full_name="Nguyễn Văn Bình")
    admit(tree.cell_a1, full_name="Trần Thị Cúc")
    admit(tree.cell_b1, full_name="Nguyễn Văn Ngoài")
    response = as_persona("viewer_a").get(EXPORT, {"q": "nguyen van", "format": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[0] for row in rows[1:]}
    assert names == {"Nguyễn Văn An", "Nguyễn Văn Bình"}
    header = rows[0]
    birth = header.index("Date of birth") if "Date of birth" in header else 6
    assert rows[1][birth].year == 1990


def test_the_csv_export_is_utf8_with_a_bom_and_dates_as_dd_mm_yyyy(tree, personas, as_persona):
    member = admit(tree.cell_a1, full_name="Lò Thị Ánh", ethnicity="thai")
    response = as_persona("manager_a").get(EXPORT, {"unit": tree.cell_a1.pk, "format": "csv"})
    raw = body(response)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == "Lò Thị Ánh" and "Thái" in rows[1]
    assert member.birth_date.strftime("%d/%m/%Y") in rows[1]


def test_the_export_is_scoped_like_the_list(tree, personas, as_persona):
    admit(tree.cell_a1, full_name="Nguyễn Văn An")
    response = as_persona("outsider").get(EXPORT, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 1  # the header only
    assert (
        as_persona("outsider").get(EXPORT, {"format": "csv", "unit": tree.cell_a1.pk}).status_code
        == 404
    )


def test_the_export_redirects_anonymous_visitors_to_login(tree, as_persona):
    response = as_persona("anonymous").get(EXPORT, {"format": "csv"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_export_of_personal_data_is_logged(tree, personas, as_persona):
    admit(tree.cell_a1)
    as_persona("viewer_a").get(EXPORT, {"unit": tree.cell_a1.pk, "format": "xlsx"})
    entry = AuditEntry.objects.for_object(tree.cell_a1).get(
        action="view", after__read="member_export"
    )
    assert (
        entry.actor == personas["viewer_a"]
        and entry.after["format"] == "xlsx"
        and entry.after["count"] == 1
    )


@pytest.mark.parametrize("fmt", ["pdf", ""])
def test_an_unknown_export_format_is_not_found(tree, personas, as_persona, fmt):
    assert as_persona("viewer_a").get(EXPORT, {"format": fmt or "x"}).status_code == 404


def test_the_export_query_count_does_not_grow_with_rows(
    tree, personas, as_persona, django_assert_max_num_queries
):
    client = as_persona("manager_a")
    admit(tree.cell_a1, full_name="Người Một")
    with django_assert_max_num_queries(15) as few:
        body(client.get(EXPORT, {"format": "xlsx"}))
    for i in range(20):
        admit(tree.cell_a2, full_name=f"Người Số {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body(client.get(EXPORT, {"format": "xlsx"}))
