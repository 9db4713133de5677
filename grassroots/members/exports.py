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


# --- the statistics page ---------------------------------------------------------------------


def _sheet_title(title: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    name = "".join(ch for ch in str(title) if ch not in "[]:*?/\\")[:31] or "Sheet"
    base, n = name, 2
    while name in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def stats_extent_text(stats, existed: bool) -> str:
    """What the figures are of, in words: today's unit, or which answer about a past day."""
    if stats.as_of >= timezone.localdate():
        return _("the unit with its sub-units as they stand")
    if stats.extent == "present":
        if not existed:
            return _("present extent on that day (the unit did not exist; what it was formed from)")
        return _("present extent on that day (with everything later merged into it)")
    return _("as the tree stood that day")


def export_unit_stats(*, unit, stats, tables, events, existed: bool) -> HttpResponse:
    """The statistics page as a workbook: a summary sheet (the figures and the period's events),
    then one sheet per breakdown with the page's rows; every sheet's title says the unit, the
    day and what the figures are of. Text is never written as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from grassroots.core.spreadsheets import xlsx_append

    day = stats.as_of.strftime("%d/%m/%Y")
    extent = stats_extent_text(stats, existed)
    bold = Font(bold=True)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()

    def sheet_for(title: str, header: list[str]):
        sheet = workbook.create_sheet(_sheet_title(title, taken))
        xlsx_append(
            sheet,
            [
                _("%(title)s — %(unit)s (%(code)s), on %(day)s, %(extent)s")
                % {
                    "title": title,
                    "unit": unit.name,
                    "code": unit.code,
                    "day": day,
                    "extent": extent,
                }
            ],
        )
        sheet["A1"].font = bold
        xlsx_append(sheet, [])
        xlsx_append(sheet, header)
        for cell in sheet[3]:
            cell.font = bold
        sheet.column_dimensions["A"].width = 40
        return sheet

    summary = sheet_for(str(_("Members")), [str(_("Figure")), str(_("Number"))])
    for label, value in (
        (_("Members"), stats.members_total),
        (_("Official"), stats.members_official),
        (_("Probationary"), stats.members_probationary),
        (_("In transit"), stats.members_in_transit),
        (_("Cells"), stats.cells),
    ):
        xlsx_append(summary, [str(label), value])
    xlsx_append(summary, [])
    xlsx_append(
        summary,
        [
            _("Events from %(start)s to %(end)s")
            % {
                "start": stats.period_start.strftime("%d/%m/%Y"),
                "end": stats.period_end.strftime("%d/%m/%Y"),
            }
        ],
    )
    for row in events:
        xlsx_append(summary, [row["label"], row["count"]])

    for table in tables:
        sheet = sheet_for(str(table["title"]), [str(table["title"]), str(_("Members")), "%"])
        for row in table["rows"]:
            xlsx_append(sheet, [row["label"], row["count"], round(row["percent"], 1)])

    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = stats.as_of.strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="statistics-{unit.code}-{stamp}.xlsx"'.replace("/", "-")
    )
    return response
