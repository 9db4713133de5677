"""Spreadsheets of the targets: the template a unit fills offline for one resolution and
period, the reading of that file back into rows for `data_values_import`, and the export of
a review.

Reading only parses: number cells as they are, numbers typed as text the way the pages read
them (in the active language, see `numbers.parse_number`), codes and periods as text. Whether a
row may be saved is decided by `data_values_import`, with the same rules as the data-entry
grid; errors name the row and the column.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.spreadsheets import FileError, read_xlsx_rows, xlsx_append
from grassroots.core.text import fold

from .numbers import EXAMPLE, parse_number, plain_number, show_number

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    required: bool = False
    width: int = 14


COLUMNS: list[Column] = [
    Column("indicator", gettext_lazy("Indicator code"), required=True, width=16),
    Column("indicator_name", gettext_lazy("Indicator"), width=48),
    Column("measure_unit", gettext_lazy("Unit of measure"), width=16),
    Column("unit", gettext_lazy("Unit code"), required=True, width=12),
    Column("unit_name", gettext_lazy("Unit"), width=24),
    Column("period", gettext_lazy("Period"), required=True, width=10),
    Column("value", gettext_lazy("Value"), width=14),
    Column("numerator", gettext_lazy("Numerator"), width=12),
    Column("denominator", gettext_lazy("Denominator"), width=12),
    Column("source", gettext_lazy("Source"), width=24),
    Column("comment", gettext_lazy("Comment"), width=32),
]
# Columns read back; the others only help the person filling the file.
READ_KEYS = (
    "indicator",
    "unit",
    "period",
    "value",
    "numerator",
    "denominator",
    "source",
    "comment",
)
NUMBER_KEYS = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class RowError:
    """A problem in one cell of the file (row 1 is the header)."""

    row: int
    field: str
    message: str


@dataclass
class ParsedFile:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    blank_rows: int = 0


def ascii_slug(text: str) -> str:
    """`text` for a file name: "12-NQ/ĐU" → "12-NQ-DU"."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(ch for ch in plain if ch.isascii())
    return "-".join(part for part in "".join(ch if ch.isalnum() else " " for ch in plain).split())


def column_label(key: str) -> str:
    for column in COLUMNS:
        if column.key == key:
            return str(column.label)
    return key


# --- the template ------------------------------------------------------------------------------


def build_template(*, resolution, unit, period: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """An XLSX with one row per entered indicator of `resolution` for `unit` and `period`.

    `rows` holds dicts with indicator (an Indicator) and, when a value is already stored,
    value / numerator / denominator / source / comment, so that a half-finished return can be
    completed offline. A second sheet explains how to fill it.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Values")[:31]
    bold = Font(bold=True)
    xlsx_append(sheet, [str(c.label) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    given = PatternFill("solid", fgColor="F0EFE9")
    to_fill = PatternFill("solid", fgColor="FFF6E0")
    editable = {"value", "numerator", "denominator", "source", "comment"}
    for row in rows:
        indicator = row["indicator"]
        values = {
            "indicator": indicator.code,
            "indicator_name": indicator.label,
            "measure_unit": indicator.measure_unit,
            "unit": unit.code,
            "unit_name": unit.name,
            "period": period,
            "value": _cell_number(row.get("value")),
            "numerator": _cell_number(row.get("numerator")),
            "denominator": _cell_number(row.get("denominator")),
            "source": row.get("source") or "",
            "comment": row.get("comment") or "",
        }
        xlsx_append(sheet, [values[c.key] for c in COLUMNS])
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=sheet.max_row, column=index)
            cell.fill = to_fill if column.key in editable else given
            if column.key in editable:
                cell.protection = Protection(locked=False)
            if column.key in NUMBER_KEYS:
                decimals = getattr(indicator, "decimals", 2) or 0
                cell.number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    # The given columns are protected against slips (no password: this is a guide, not a lock).
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False

    guide = workbook.create_sheet(_("Instructions")[:31])
    guide.column_dimensions["A"].width = 100
    lines = [
        _("Resolution %(number)s: %(title)s")
        % {"number": resolution.number, "title": resolution.title},
        _("Unit: %(code)s %(name)s — period %(period)s")
        % {"code": unit.code, "name": unit.name, "period": period},
        "",
        _(
            "Fill the yellow columns of the sheet “%(sheet)s”: the value, "
            "and for a ratio its numerator and denominator; "
            "the source and a comment are optional."
        )
        % {"sheet": sheet.title},
        _(
            "Type figures as numbers. "
            "A figure typed as text is read in the language of the upload page: "
            "%(grouped)s or %(plain)s. "
            "A percentage is written as a number: %(percent)s for %(percent)s%%."
        )
        % {
            "grouped": show_number(EXAMPLE),
            "plain": plain_number(EXAMPLE),
            "percent": show_number(Decimal("97.4")),
        },
        _(
            "Leave a row's value empty to skip that indicator. "
            "Do not change the codes or the period."
        ),
        _(
            "Upload the file on the page “Upload values”: it is checked row by row first, "
            "and shows what would be saved. If any row has an error, nothing is saved."
        ),
        _(
            "Uploaded values are saved as drafts (or submitted for approval if you ask for it); "
            "approved values cannot be overwritten."
        ),
    ]
    for line in lines:
        xlsx_append(guide, [line])
    guide["A1"].font = bold
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


# --- reading an upload ---------------------------------------------------------------------------


def _in_every_language(text) -> set[str]:
    forms = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            forms.add(fold(str(text)))
    return forms


def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        for form in _in_every_language(column.label):
            mapping[form] = column.key
    # The plain keys of the API ("indicator", "unit", "value") win over a label that reads the
    # same ("Indicator" is the name column of the template, after its code column).
    for column in COLUMNS:
        mapping[column.key] = column.key
        mapping[fold(column.key.replace("_", " "))] = column.key
    return mapping


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_upload(file) -> ParsedFile:
    """The rows of an uploaded template as dicts for `data_values_import`, each with its
    spreadsheet row number in `_row`, plus the cells that could not be read.

    Rows whose value, numerator and denominator are all empty are skipped (an indicator left
    for later). A number cell is taken as it is; a number typed as text is read as the pages
    read it, in the active language ("1.320" is 1320 in Vietnamese, 1.32 in English).
    """
    parsed = ParsedFile()
    rows = read_xlsx_rows(file)
    header: dict[int, str] | None = None
    mapping = _header_map()
    for number, values in rows:
        if header is None:
            if not any(v not in (None, "") for v in values):
                continue
            header = {}
            for index, title in enumerate(values):
                key = mapping.get(fold(_text(title)))
                if key in READ_KEYS and key not in header.values():
                    header[index] = key
            missing = [c for c in COLUMNS if c.required and c.key not in header.values()]
            if missing:
                raise FileError(
                    _("The first row must name the columns; missing: %(columns)s.")
                    % {"columns": ", ".join(str(c.label) for c in missing)}
                )
            continue
        if len(parsed.rows) + parsed.blank_rows >= MAX_ROWS:
            raise FileError(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS})
        cells = {
            key: (values[index] if index < len(values) else None) for index, key in header.items()
        }
        if all(cells.get(k) in (None, "") for k in NUMBER_KEYS):
            parsed.blank_rows += 1
            continue
        row: dict[str, Any] = {"_row": number}
        for key in ("indicator", "unit", "period"):
            row[key] = _text(cells.get(key))
            if not row[key]:
                parsed.errors.append(RowError(number, key, _("This column is required.")))
        for key in NUMBER_KEYS:
            try:
                row[key] = parse_number(cells.get(key), typed=True)
            except ValidationError as error:
                parsed.errors.append(RowError(number, key, " ".join(error.messages)))
                row[key] = None
        for key in ("source", "comment"):
            # A column left out of the file keeps the stored texts; an empty cell clears them.
            if key in cells:
                row[key] = _text(cells[key])
        parsed.rows.append(row)
    if header is None:
        raise FileError(_("The file is empty."))
    return parsed


# --- the review -----------------------------------------------------------------------------------


def review_workbook(
    *,
    title: str,
    facts: Iterable[tuple[str, Any]],
    sentences: Iterable[str],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    group_columns: Sequence[str],
    group_rows: Iterable[Sequence[Any]],
) -> bytes:
    """A review as an XLSX: a sheet with the facts, the sentences and one row per target, and a
    sheet of the counts by group. Cells hold numbers (not text) so the figures can be reused."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Review")[:31]
    bold = Font(bold=True)
    xlsx_append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, value in facts:
        xlsx_append(sheet, [label, value])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    xlsx_append(sheet, [])
    for sentence in sentences:
        xlsx_append(sheet, [sentence])
    xlsx_append(sheet, [])
    xlsx_append(sheet, list(columns))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        xlsx_append(sheet, [_xlsx_value(v) for v in row])
    widths = [6, 14, 44, 14, 12, 12, 12, 12, 12, 12, 14]
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = (
            widths[index - 1] if index <= len(widths) else 14
        )
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    groups = workbook.create_sheet(_("By group")[:31])
    xlsx_append(groups, list(group_columns))
    for cell in groups[1]:
        cell.font = bold
    for row in group_rows:
        xlsx_append(groups, [_xlsx_value(v) for v in row])
    groups.column_dimensions["A"].width = 30

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    return value if isinstance(value, (int, float, str)) else str(value)
