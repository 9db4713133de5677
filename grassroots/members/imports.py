"""Import of members from XLSX or CSV.

Every row goes through the same services as the pages (`member_admit`, then
`member_recognize` when a recognition date is given). The whole file is one transaction: any
error and nothing is saved; a dry run validates everything the same way and rolls back. The
file is read row by row (openpyxl read-only mode, the csv reader), never loaded whole.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.querysets import Action
from grassroots.core.text import fold
from grassroots.organizations.choices import CELL_KINDS
from grassroots.organizations.models import Unit

from . import services
from .choices import (
    ETHNIC_GROUP_NAMES,
    ETHNICITY_BY_NAME,
    ETHNICITY_CHOICES,
    Gender,
    GeneralEducation,
    ProfessionalEducation,
    Religion,
    TheoryLevel,
)

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


@dataclass
class RowError:
    """One problem of one row: the spreadsheet row number and the column as headed in the file."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column '%(column)s': %(message)s") % {
                "row": self.row, "column": self.column, "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    """What an import did: members created (0 on a dry run or any error) and the errors."""

    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    valid_rows: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy text
    required: bool
    help: Any
    choices: list[tuple[str, Any]] | None = None


COLUMNS: list[Column] = [
    Column("unit_code", gettext_lazy("Unit code"), True,
           gettext_lazy("The code of the cell the member belongs to (a cell you may change).")),
    Column("full_name", gettext_lazy("Full name"), True, gettext_lazy("As on the identity card.")),
    Column("gender", gettext_lazy("Gender"), True, gettext_lazy("One of the values listed."), list(Gender.choices)),
    Column("birth_date", gettext_lazy("Date of birth"), True, gettext_lazy("dd/mm/yyyy")),
    Column("ethnicity", gettext_lazy("Ethnicity"), True,
           gettext_lazy("The Vietnamese name of one of the 54 ethnic groups, e.g. Kinh, Thái, La Hủ."),
           list(ETHNICITY_CHOICES)),
    Column("religion", gettext_lazy("Religion"), False, gettext_lazy("Empty means none."), list(Religion.choices)),
    Column("general_education", gettext_lazy("General education"), False, gettext_lazy("Optional."),
           list(GeneralEducation.choices)),
    Column("professional_education", gettext_lazy("Professional education"), False,
           gettext_lazy("Empty means none."), list(ProfessionalEducation.choices)),
    Column("theory_level", gettext_lazy("Political theory"), False, gettext_lazy("Empty means none."),
           list(TheoryLevel.choices)),
    Column("occupation", gettext_lazy("Occupation"), False, gettext_lazy("Optional.")),
    Column("party_card_number", gettext_lazy("Party card number"), False,
           gettext_lazy("Optional; unique when given.")),
    Column("decision_date", gettext_lazy("Admission decision date"), True, gettext_lazy("dd/mm/yyyy")),
    Column("ceremony_date", gettext_lazy("Admission ceremony date"), True,
           gettext_lazy("dd/mm/yyyy; within 30 working days of the decision.")),
    Column("official_date", gettext_lazy("Official recognition date"), False,
           gettext_lazy("dd/mm/yyyy; when given, the member is recognized as official on import "
                        "(at least 12 months after the ceremony).")),
    Column("decision_number", gettext_lazy("Decision number"), False, gettext_lazy("Of the admission decision.")),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Where a service's refusal lands in the file when the service names a field with no column.
SERVICE_FIELD_TO_COLUMN = {
    "unit": "unit_code",
    "age_exception": "birth_date",
    "ceremony_delay_approval": "ceremony_date",
}
RECOGNIZE_FIELD_TO_COLUMN = {"decision_date": "official_date", "date": "official_date"}

# Common Vietnamese spellings accepted even before the interface is translated.
ALIASES: dict[str, dict[str, str]] = {
    "gender": {"nam": Gender.MALE, "nu": Gender.FEMALE},
    "religion": {"khong": Religion.NONE, "phat giao": Religion.BUDDHISM, "cong giao": Religion.CATHOLIC,
                 "thien chua giao": Religion.CATHOLIC, "tin lanh": Religion.PROTESTANT},
    "theory_level": {"khong": TheoryLevel.NONE, "so cap": TheoryLevel.ELEMENTARY,
                     "trung cap": TheoryLevel.INTERMEDIATE, "cao cap": TheoryLevel.ADVANCED,
                     "cu nhan": TheoryLevel.BACHELOR},
    "professional_education": {"khong": ProfessionalEducation.NONE, "dai hoc": ProfessionalEducation.UNIVERSITY,
                               "cao dang": ProfessionalEducation.COLLEGE, "thac si": ProfessionalEducation.MASTER,
                               "tien si": ProfessionalEducation.DOCTOR},
}


def _in_every_language(text) -> set[str]:
    """The folded forms of a label in each language of the site."""
    forms = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            forms.add(fold(str(text)))
    return forms


def _header_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        mapping[fold(column.key.replace("_", " "))] = column.key
        mapping[column.key] = column.key
        for form in _in_every_language(column.label):
            mapping[form] = column.key
    return mapping


def _choice_map(column: Column) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for value, label in column.choices or []:
        mapping[fold(value)] = value
        mapping[fold(value.replace("_", " "))] = value
        for form in _in_every_language(label):
            mapping[form] = value
    if column.key == "ethnicity":
        mapping.update(ETHNICITY_BY_NAME)
    mapping.update(ALIASES.get(column.key, {}))
    return mapping


# --- reading ---------------------------------------------------------------------------------


class FileError(Exception):
    pass


def _read_xlsx(file) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file that is not a workbook
        raise FileError(_("The file is not a readable XLSX workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        workbook.close()


def _decoded_lines(file) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for line in file:
        yield line if isinstance(line, str) else decoder.decode(line)


def _read_csv(file) -> Iterator[tuple[int, list[Any]]]:
    lines = _decoded_lines(file)
    try:
        first = next(lines, "")
        try:
            dialect = csv.Sniffer().sniff(first, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        yield from enumerate(csv.reader(_chain(first, lines), dialect), start=1)
    except UnicodeDecodeError as exc:
        raise FileError(_("The CSV file is not in UTF-8: save it as \"CSV UTF-8\".")) from exc


def _chain(first: str, rest) -> Iterator[str]:
    yield first
    yield from rest


def read_rows(file, file_name: str) -> Iterator[tuple[int, list[Any]]]:
    if hasattr(file, "seek"):
        file.seek(0)
    if file_name.lower().endswith(".csv"):
        return _read_csv(file)
    if file_name.lower().endswith(".xlsx"):
        return _read_xlsx(file)
    raise FileError(_("Upload an .xlsx or a .csv file."))


# --- parsing cells ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("Enter a date as dd/mm/yyyy."))


class _Rollback(Exception):
    pass


class _Importer:
    def __init__(self, actor, dry_run: bool):
        self.actor = actor
        self.result = ImportResult(dry_run=dry_run)
        self.units: dict[str, Unit | None] = {}
        self.choice_maps = {c.key: _choice_map(c) for c in COLUMNS if c.choices}
        self.headers: dict[str, str] = {}  # key → header as written in the file
        self.positions: dict[str, int] = {}

    def error(self, row: int, key: str, message: str) -> None:
        column = self.headers.get(key) or (str(COLUMN_BY_KEY[key].label) if key in COLUMN_BY_KEY else "")
        self.result.errors.append(RowError(row, column, str(message)))

    def read_header(self, row: int, values: list[Any]) -> bool:
        mapping = _header_map()
        for position, value in enumerate(values):
            header = _text(value)
            key = mapping.get(fold(header))
            if key and key not in self.positions:
                self.positions[key] = position
                self.headers[key] = header
        missing = [c for c in COLUMNS if c.required and c.key not in self.positions]
        for column in missing:
            self.result.errors.append(RowError(row, str(column.label), _("This column is missing.")))
        return not missing

    def unit(self, code: str) -> Unit | None:
        if code not in self.units:
            self.units[code] = (
                Unit.objects.visible_to(self.actor, Action.CHANGE).filter(code__iexact=code).first()
            )
        return self.units[code]

    def parse(self, row: int, values: list[Any]) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        ok = True
        for column in COLUMNS:
            position = self.positions.get(column.key)
            raw = values[position] if position is not None and position < len(values) else None
            text = _text(raw)
            if not text:
                if column.required:
                    self.error(row, column.key, _("This value is required."))
                    ok = False
                continue
            if column.key in {"birth_date", "decision_date", "ceremony_date", "official_date"}:
                try:
                    data[column.key] = _date(raw)
                except ValueError as exc:
                    self.error(row, column.key, str(exc))
                    ok = False
            elif column.choices:
                value = self.choice_maps[column.key].get(fold(text))
                if value is None:
                    self.error(row, column.key, _("“%(value)s” is not one of the allowed values.") % {"value": text})
                    ok = False
                else:
                    data[column.key] = value
            elif column.key == "unit_code":
                unit = self.unit(text)
                if unit is None:
                    self.error(row, column.key, _("No unit with code “%(code)s” that you may change.") % {"code": text})
                    ok = False
                elif unit.kind not in CELL_KINDS:
                    self.error(row, column.key, _("Members are admitted into a cell."))
                    ok = False
                else:
                    data["unit"] = unit
            else:
                data[column.key] = text
        return data if ok else None

    def save(self, row: int, data: dict[str, Any]) -> None:
        official_date = data.pop("official_date", None)
        stage = "admit"
        try:
            # A savepoint per row: a refused recognition leaves no half-imported member behind.
            with transaction.atomic():
                member = services.member_admit(actor=self.actor, **data)
                if official_date is not None:
                    stage = "recognize"
                    services.member_recognize(
                        actor=self.actor, member=member, decision_date=official_date,
                        decision_number="", issuer="",
                    )
        except ValidationError as exc:
            mapping = SERVICE_FIELD_TO_COLUMN if stage == "admit" else RECOGNIZE_FIELD_TO_COLUMN
            self._service_errors(row, exc, mapping, default="official_date" if stage == "recognize" else "")
            return
        self.result.valid_rows += 1

    def _service_errors(self, row: int, exc: ValidationError, mapping: dict[str, str], default: str) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.error(row, default, message)
            return
        for name, messages in exc.message_dict.items():
            key = mapping.get(name, name)
            if key not in COLUMN_BY_KEY:
                key = default
            for message in messages:
                self.error(row, key, message)


def members_import(*, actor, file, file_name: str, dry_run: bool = False) -> ImportResult:
    """Admit every member of an XLSX or CSV file, all or nothing.

    Any row that fails (a value that does not parse, a unit the actor may not change, a rule a
    service refuses) is reported by row number and column header, and nothing is saved. With
    `dry_run` everything is validated and written inside a transaction that is rolled back, so
    the counts are exactly those a real import would give.
    """
    importer = _Importer(actor, dry_run)
    result = importer.result
    try:
        with transaction.atomic():
            rows = read_rows(file, file_name)
            header_ok = False
            for number, values in rows:
                if not header_ok:
                    if not any(_text(v) for v in values):
                        continue
                    header_ok = importer.read_header(number, values)
                    if not header_ok:
                        break
                    continue
                if not any(_text(v) for v in values):
                    continue
                result.rows += 1
                data = importer.parse(number, values)
                if data is not None:
                    importer.save(number, data)
            if not header_ok and not result.errors:
                result.errors.append(RowError(1, "", _("The file has no header row.")))
            if result.errors or dry_run:
                raise _Rollback
            result.created = result.valid_rows
    except _Rollback:
        result.created = 0
    except FileError as exc:
        result.created = 0
        result.errors.append(RowError(0, "", str(exc)))
    return result


# --- template --------------------------------------------------------------------------------


def _example_unit(user, unit: Unit | None) -> str:
    if unit is not None and unit.kind in CELL_KINDS:
        return unit.code
    cells = Unit.objects.visible_to(user, Action.CHANGE).open().filter(kind__in=CELL_KINDS)
    if unit is not None:
        cells = cells.filter(path__startswith=unit.path)
    first = cells.order_by("path").values_list("code", flat=True).first()
    return first or "CB-01"


def build_template(*, user, unit: Unit | None = None) -> bytes:
    """An XLSX with the header row, one example row that passes the rules, and a sheet
    explaining each column and its allowed values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Members")
    bold = Font(bold=True)
    sheet.append([str(c.label) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = bold
    example = {
        "unit_code": _example_unit(user, unit),
        "full_name": "Nguyễn Văn Mẫu",
        "gender": str(Gender.MALE.label),
        "birth_date": "15/03/1995",
        "ethnicity": "Kinh",
        "religion": str(Religion.NONE.label),
        "general_education": str(GeneralEducation.UPPER_SECONDARY.label),
        "professional_education": str(ProfessionalEducation.UNIVERSITY.label),
        "theory_level": str(TheoryLevel.ELEMENTARY.label),
        "occupation": _("Teacher"),
        "party_card_number": "",
        "decision_date": "02/03/2023",
        "ceremony_date": "15/03/2023",
        "official_date": "",
        "decision_number": "123-QĐ/ĐU",
    }
    sheet.append([example[c.key] for c in COLUMNS])
    grey = PatternFill("solid", fgColor="F0EFE9")
    for cell in sheet[2]:
        cell.fill = grey
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(str(column.label)) + 4)
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Guide"))
    guide.append([_("Column"), _("Required"), _("How to fill it"), _("Allowed values")])
    for cell in guide[1]:
        cell.font = bold
    for column in COLUMNS:
        if column.key == "ethnicity":
            allowed = ", ".join(ETHNIC_GROUP_NAMES)
        elif column.choices:
            allowed = ", ".join(str(label) for _value, label in column.choices)
        else:
            allowed = ""
        guide.append([str(column.label), _("Yes") if column.required else _("No"), str(column.help), allowed])
    guide.append([])
    guide.append([_("The second row is an example: replace it with your members.")])
    guide.append([_("Dates are written dd/mm/yyyy. CSV files are accepted too, in UTF-8.")])
    guide.append([_("If any row has an error, nothing is saved; the errors name the row and the column.")])
    for letter, width in zip("ABCD", (28, 10, 60, 80), strict=True):
        guide.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
