"""Exports of a filtered member list to XLSX and CSV.

Rows are read in chunks and written as they come (openpyxl's write-only workbook, a streamed
CSV), so that a province-wide list does not have to sit in memory at once.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.spreadsheets import csv_writer, xlsx_cell

from .models import Member

CHUNK = 2000


def export_columns() -> list[tuple[str, Callable[[Member], object]]]:
    """Header (in the user's language) and how to read it from a member."""
    return [
        (_("Full name"), lambda m: m.full_name),
        (_("Unit code"), lambda m: m.unit.code),
        (_("Unit"), lambda m: m.unit.name),
        (_("Status"), lambda m: m.get_status_display()),
        (_("In transit to"), lambda m: m.transit_to.name if m.transit_to_id else ""),
        (_("Gender"), lambda m: m.get_gender_display()),
        (_("Date of birth"), lambda m: m.birth_date),
        (_("Ethnicity"), lambda m: m.get_ethnicity_display()),
        (_("Religion"), lambda m: m.get_religion_display()),
        (_("General education"), lambda m: m.get_general_education_display()),
        (_("Professional education"), lambda m: m.get_professional_education_display()),
        (_("Political theory"), lambda m: m.get_theory_level_display()),
        (_("Occupation"), lambda m: m.occupation),
        (_("Party card number"), lambda m: m.party_card_number or ""),
        (_("Admission decision date"), lambda m: m.admission_decision_date),
        (_("Admission ceremony date"), lambda m: m.ceremony_date),
        (_("Official since"), lambda m: m.official_date),
    ]


def _rows(members, columns) -> Iterator[list[object]]:
    for member in members.iterator(chunk_size=CHUNK):
        yield [read(member) for _h, read in columns]


def export_members(members, *, fmt: str) -> HttpResponse:
    """The members of `members` (already scoped and filtered) as an XLSX or CSV download."""
    columns = export_columns()
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return _csv_response(members, columns, f"members-{stamp}.csv")
    return _xlsx_response(members, columns, f"members-{stamp}.xlsx")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: object) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def _csv_response(members, columns, filename: str) -> StreamingHttpResponse:
    writer = csv_writer(_Echo())  # text that reads as a formula is written as text

    def stream() -> Iterator[str]:
        # The byte-order mark lets spreadsheet programs read the file as UTF-8.
        yield "\ufeff"
        yield writer.writerow([header for header, _read in columns])
        for row in _rows(members, columns):
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_response(members, columns, filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Members"))
    bold = Font(bold=True)
    header = []
    for title, _read in columns:
        cell = xlsx_cell(sheet, title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _rows(members, columns):
        cells = []
        for value in row:
            cell = xlsx_cell(sheet, value)  # text is never a formula
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
