"""Import of members from XLSX or CSV.

Every row is checked with the rules of the services the pages use (`member_admit`, then
`member_recognize` when a recognition date is given), through their own rule functions, and
written as the rows those services write, in bulk (see "big files" below). On PostgreSQL the
rows are staged with COPY and checked set-wise in SQL (`imports_sql`); elsewhere (SQLite, small
files) they are checked in Python. The whole file is one transaction: any error and nothing is
saved; a dry run validates and writes everything the same way and rolls back. The file is read
row by row through the one bounded reader of uploads (`core.spreadsheets`: size cap, archive
checks, read-only mode), never loaded whole.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core import spreadsheets
from grassroots.core.audit import AUDIT_COLUMNS
from grassroots.core.dates import add_months
from grassroots.core.querysets import Action
from grassroots.core.spreadsheets import FileError, Limits
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
    MemberStatus,
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
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    """What an import did: members created (0 on a dry run or any error) and the errors."""

    created: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    rows: int = 0
    valid_rows: int = 0
    dry_run: bool = False
    error_count: int = 0  # all of them
    # Seconds spent in each phase, where the path measures them (the SQL path: "reading and
    # staging", "checking", "writing", "roll-ups"): the benchmarks report them.
    timings: dict[str, float] = field(default_factory=dict)

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
    Column(
        "unit_code",
        gettext_lazy("Unit code"),
        True,
        gettext_lazy("The code of the cell the member belongs to (a cell you may change)."),
    ),
    Column("full_name", gettext_lazy("Full name"), True, gettext_lazy("As on the identity card.")),
    Column(
        "gender",
        gettext_lazy("Gender"),
        True,
        gettext_lazy("One of the values listed."),
        list(Gender.choices),
    ),
    Column("birth_date", gettext_lazy("Date of birth"), True, gettext_lazy("dd/mm/yyyy")),
    Column(
        "ethnicity",
        gettext_lazy("Ethnicity"),
        True,
        gettext_lazy("The Vietnamese name of one of the 54 ethnic groups, e.g. Kinh, Thái, La Hủ."),
        list(ETHNICITY_CHOICES),
    ),
    Column(
        "religion",
        gettext_lazy("Religion"),
        False,
        gettext_lazy("Empty means none."),
        list(Religion.choices),
    ),
    Column(
        "general_education",
        gettext_lazy("General education"),
        False,
        gettext_lazy("Optional."),
        list(GeneralEducation.choices),
    ),
    Column(
        "professional_education",
        gettext_lazy("Professional education"),
        False,
        gettext_lazy("Empty means none."),
        list(ProfessionalEducation.choices),
    ),
    Column(
        "theory_level",
        gettext_lazy("Political theory"),
        False,
        gettext_lazy("Empty means none."),
        list(TheoryLevel.choices),
    ),
    Column("occupation", gettext_lazy("Occupation"), False, gettext_lazy("Optional.")),
    Column(
        "party_card_number",
        gettext_lazy("Party card number"),
        False,
        gettext_lazy("Optional; unique when given."),
    ),
    Column(
        "decision_date", gettext_lazy("Admission decision date"), True, gettext_lazy("dd/mm/yyyy")
    ),
    Column(
        "ceremony_date",
        gettext_lazy("Admission ceremony date"),
        True,
        gettext_lazy("dd/mm/yyyy; within 30 working days of the decision."),
    ),
    Column(
        "official_date",
        gettext_lazy("Official recognition date"),
        False,
        gettext_lazy(
            "dd/mm/yyyy; when given, the member is recognized as official on import "
            "(at least 12 months after the ceremony)."
        ),
    ),
    Column(
        "decision_number",
        gettext_lazy("Decision number"),
        False,
        gettext_lazy("Of the admission decision."),
    ),
    Column(
        "age_exception",
        gettext_lazy("Age exception"),
        False,
        gettext_lazy(
            "For a person over 60 full years (counted in months) on the decision date: the "
            "approval of the committee directly under the Central Committee (number and date)."
        ),
    ),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

# Where a service's refusal lands in the file when the service names a field with no column.
SERVICE_FIELD_TO_COLUMN = {
    "unit": "unit_code",
    "ceremony_delay_approval": "ceremony_date",
}
RECOGNIZE_FIELD_TO_COLUMN = {"decision_date": "official_date", "date": "official_date"}

# Common Vietnamese spellings accepted even before the interface is translated.
ALIASES: dict[str, dict[str, str]] = {
    "gender": {"nam": Gender.MALE, "nu": Gender.FEMALE},
    "religion": {
        "khong": Religion.NONE,
        "phat giao": Religion.BUDDHISM,
        "cong giao": Religion.CATHOLIC,
        "thien chua giao": Religion.CATHOLIC,
        "tin lanh": Religion.PROTESTANT,
    },
    "theory_level": {
        "khong": TheoryLevel.NONE,
        "so cap": TheoryLevel.ELEMENTARY,
        "trung cap": TheoryLevel.INTERMEDIATE,
        "cao cap": TheoryLevel.ADVANCED,
        "cu nhan": TheoryLevel.BACHELOR,
    },
    "professional_education": {
        "khong": ProfessionalEducation.NONE,
        "dai hoc": ProfessionalEducation.UNIVERSITY,
        "cao dang": ProfessionalEducation.COLLEGE,
        "thac si": ProfessionalEducation.MASTER,
        "tien si": ProfessionalEducation.DOCTOR,
    },
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


def read_rows(
    file, file_name: str, limits: Limits | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """The file's rows through the one bounded reader of uploads (core.spreadsheets)."""
    return spreadsheets.read_rows(file, file_name, limits)


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
    if len(text) == 10 and text[2] == "/" and text[5] == "/" and text.replace("/", "").isdigit():
        try:  # dd/mm/yyyy, the common case, without strptime (a million rows)
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            pass
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
        self._folded: dict[str, str] = {}

    def fold(self, text: str) -> str:
        # Cells repeat the same few values: fold each distinct one once.
        folded = self._folded.get(text)
        if folded is None:
            folded = self._folded[text] = fold(text)
        return folded

    def error(self, row: int, key: str, message: str) -> None:
        column = self.headers.get(key) or (
            str(COLUMN_BY_KEY[key].label) if key in COLUMN_BY_KEY else ""
        )
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
            self.result.errors.append(
                RowError(row, str(column.label), _("This column is missing."))
            )
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
                value = self.choice_maps[column.key].get(self.fold(text))
                if value is None:
                    self.error(
                        row,
                        column.key,
                        _("“%(value)s” is not one of the allowed values.") % {"value": text},
                    )
                    ok = False
                else:
                    data[column.key] = value
            elif column.key == "unit_code":
                unit = self.unit(text)
                if unit is None:
                    self.error(
                        row,
                        column.key,
                        _("No unit with code “%(code)s” that you may change.") % {"code": text},
                    )
                    ok = False
                elif unit.kind not in CELL_KINDS:
                    self.error(row, column.key, _("Members are admitted into a cell."))
                    ok = False
                else:
                    data["unit"] = unit
            else:
                data[column.key] = text
        return data if ok else None

    def _service_errors(
        self, row: int, exc: ValidationError, mapping: dict[str, str], default: str
    ) -> None:
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


def members_import(
    *,
    actor,
    file,
    file_name: str,
    dry_run: bool = False,
    within: Unit | None = None,
    progress=None,
    limits: Limits | None = None,
) -> ImportResult:
    """Admit every member of an XLSX or CSV file, all or nothing.

    Any row that fails (a value that does not parse, a unit the actor may not change — or, with
    `within`, outside that unit —, a rule the admission or recognition would refuse) is
    reported by row number and column header, and nothing is saved. With `dry_run` everything is
    validated and written inside a transaction that is rolled back, so the counts are exactly
    those a real import would give. `progress(rows=…, valid=…, errors=…)` is called every
    PROGRESS_EVERY rows. The file is read within `limits` (those of uploads by default; a
    command reading a file on the server passes `Limits.server_files()`).
    """
    return _members_import_bulk(
        actor=actor,
        file=file,
        file_name=file_name,
        dry_run=dry_run,
        within=within,
        progress=progress,
        limits=limits,
    )


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
    spreadsheets.xlsx_append(sheet, [str(c.label) for c in COLUMNS])
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
        "age_exception": "",
    }
    spreadsheets.xlsx_append(sheet, [example[c.key] for c in COLUMNS])
    grey = PatternFill("solid", fgColor="F0EFE9")
    for cell in sheet[2]:
        cell.fill = grey
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            14, len(str(column.label)) + 4
        )
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(_("Guide"))
    spreadsheets.xlsx_append(
        guide, [_("Column"), _("Required"), _("How to fill it"), _("Allowed values")]
    )
    for cell in guide[1]:
        cell.font = bold
    for column in COLUMNS:
        if column.key == "ethnicity":
            allowed = ", ".join(ETHNIC_GROUP_NAMES)
        elif column.choices:
            allowed = ", ".join(str(label) for _value, label in column.choices)
        else:
            allowed = ""
        spreadsheets.xlsx_append(
            guide,
            [
                str(column.label),
                _("Yes") if column.required else _("No"),
                str(column.help),
                allowed,
            ],
        )
    for line in (
        "",
        _("The second row is an example: replace it with your members."),
        _("Dates are written dd/mm/yyyy. CSV files are accepted too, in UTF-8."),
        _("If any row has an error, nothing is saved; the errors name the row and the column."),
    ):
        spreadsheets.xlsx_append(guide, [line] if line else [])
    for letter, width in zip("ABCD", (28, 10, 60, 80), strict=True):
        guide.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- big files -------------------------------------------------------------------------------
#
# A file of a million rows cannot go through the services row by row (each admission is a dozen
# queries and audit rows). `_BulkImporter` checks every row with the services' own rule
# functions (no query per row: units and rules are cached, party card numbers are checked a
# chunk at a time) and writes the very rows `member_admit` and `member_recognize` write —
# members with their derived fields, the admission and recognition events, the membership
# intervals split on the end of probation, one audit entry per member naming the file — through
# COPY (PostgreSQL) or batched inserts, then moves the roll-up counters once. Memory does not
# grow with the file: rows are read, checked and written a chunk at a time; only the set of
# party card numbers seen in the file is kept, and the first MAX_ERRORS_KEPT errors.

BULK_CHUNK = 5_000
PROGRESS_EVERY = 10_000
MAX_ERRORS_KEPT = 1_000
MEMBER_COLUMNS = [
    "id",
    "full_name",
    "name_folded",
    "gender",
    "birth_date",
    "ethnicity",
    "religion",
    "general_education",
    "professional_education",
    "theory_level",
    "occupation",
    "party_card_number",
    "unit_id",
    "status",
    "transit_to_id",
    "transit_since",
    "attending_unit_id",
    "first_admission_decision_date",
    "admission_decision_date",
    "ceremony_date",
    "official_date",
    "readmission_count",
    "created_at",
    "updated_at",
]
EVENT_COLUMNS = [
    "id",
    "member_id",
    "kind",
    "date",
    "unit_id",
    "other_unit_id",
    "transfer_mode",
    "discipline_level",
    "leaving_reason",
    "decision_number",
    "decision_date",
    "issuer",
    "reason",
    "details",
    "reorganization_id",
    "created_by_id",
    "created_at",
]
INTERVAL_COLUMNS = [
    "id",
    "member_id",
    "unit_id",
    "status",
    "standing",
    "start",
    "end",
    "birth_date",
]


class _BulkImporter(_Importer):
    def __init__(self, actor, dry_run: bool, file_name: str, within: Unit | None, progress):
        super().__init__(actor, dry_run)
        from django.contrib.contenttypes.models import ContentType

        from grassroots.core.bulk import BulkWriter
        from grassroots.core.models import AuditEntry

        from .models import Member, MemberEvent, Membership

        self.models = (Member, MemberEvent, Membership, AuditEntry)
        self.writer = BulkWriter()
        for model, columns in zip(
            self.models,
            (MEMBER_COLUMNS, EVENT_COLUMNS, INTERVAL_COLUMNS, AUDIT_COLUMNS),
            strict=True,
        ):
            self.writer.declare(model, columns)
        self.member_type = ContentType.objects.get_for_model(Member).pk
        self.within = within
        self.file_name = file_name
        self.progress = progress
        self.error_count = 0
        self.raw: list[tuple[int, list[Any]]] = []
        self.cards_seen: set[str] = set()
        self.tops: dict[str, set[int]] = {}  # path → counter-holding units on it
        self.placements: dict[int, list[tuple[dt.date, dt.date | None, str]]] = {}
        self.counters: Counter = Counter()
        self.member_ids: list[int] = []  # written: their intervals move the past-day counters
        self.now = timezone.now()
        self.actor_id = getattr(actor, "pk", None)
        self.months = services.rule("probation_months")

    # errors are counted beyond the ones kept, so that a file full of mistakes stays small
    def error(self, row: int, key: str, message: str) -> None:
        self.error_count += 1
        if len(self.result.errors) < MAX_ERRORS_KEPT:
            super().error(row, key, message)

    def unit(self, code: str) -> Unit | None:
        if code not in self.units:
            units = Unit.objects.visible_to(self.actor, Action.CHANGE)
            if self.within is not None:
                units = units.filter(path__startswith=self.within.path)
            # The exact code first (indexed); a code typed in another case is found too.
            self.units[code] = (
                units.filter(code=code).first() or units.filter(code__iexact=code).first()
            )
        return self.units[code]

    def check(self, row: int, data: dict[str, Any]) -> bool:
        """The rules of `member_admit` and `member_recognize`, with their messages."""
        errors: dict[str, str] = {}
        personal = {
            "full_name": data["full_name"],
            "gender": data["gender"],
            "birth_date": data["birth_date"],
            "ethnicity": data["ethnicity"],
            "religion": data.get("religion", "none"),
            "general_education": data.get("general_education", ""),
            "professional_education": data.get("professional_education", "none"),
            "theory_level": data.get("theory_level", "none"),
        }
        services._personal_errors(personal, errors)  # the party card is checked by chunk
        decision, ceremony = data["decision_date"], data["ceremony_date"]
        services._date_errors(decision, "decision_date", errors)
        services._date_errors(ceremony, "ceremony_date", errors)
        services._cell_errors(data["unit"], decision, errors)
        if "birth_date" not in errors and "decision_date" not in errors:
            services._age_errors(
                data["birth_date"], decision, data.get("age_exception", ""), errors
            )
        if "decision_date" not in errors and "ceremony_date" not in errors:
            services._ceremony_errors(decision, ceremony, "", errors)
        card = data.get("party_card_number")
        if card:
            if card in self.cards_seen:
                errors["party_card_number"] = _("Another member holds this party card number.")
            self.cards_seen.add(card)
        if errors:
            self._service_errors(row, ValidationError(errors), SERVICE_FIELD_TO_COLUMN, default="")
            return False
        official = data.get("official_date")
        if official is not None:
            errors = {}
            services._date_errors(official, "decision_date", errors)
            if not errors and official < decision:
                errors["decision_date"] = _(
                    "The date is before the member's last recorded event (%(date)s)."
                ) % {"date": services._fmt(decision)}
            if not errors:
                services._recognition_date_errors(
                    add_months(ceremony, self.months), official, None, errors
                )
            if errors:
                self._service_errors(
                    row, ValidationError(errors), RECOGNIZE_FIELD_TO_COLUMN, default="official_date"
                )
                return False
        return True

    def add(self, row: int, values: list[Any]) -> None:
        self.raw.append((row, values))
        if len(self.raw) >= BULK_CHUNK:
            self.flush_chunk()

    def flush_chunk(self) -> None:
        """Parse and check a chunk of rows with a handful of queries (their units, the party
        card numbers already taken, the units' placements), then write them (nothing once any
        error was found: the import will be rolled back)."""
        from grassroots.organizations.models import UnitPlacement
        from grassroots.rollups.services import tops_of_paths

        from .models import Member

        position = self.positions.get("unit_code")
        codes = {
            _text(v[position]) for _row, v in self.raw if position is not None and position < len(v)
        }
        missing = [c for c in codes if c and c not in self.units]
        if missing:
            units = Unit.objects.visible_to(self.actor, Action.CHANGE).filter(code__in=missing)
            if self.within is not None:
                units = units.filter(path__startswith=self.within.path)
            self.units.update({u.code: u for u in units})
        checked = []
        for row, values in self.raw:
            data = self.parse(row, values)
            if data is not None and self.check(row, data):
                checked.append((row, data))
        self.raw.clear()
        cards = [d["party_card_number"] for _row, d in checked if d.get("party_card_number")]
        taken = (
            set(
                Member.objects.filter(party_card_number__in=cards).values_list(
                    "party_card_number", flat=True
                )
            )
            if cards
            else set()
        )
        new_units = {
            d["unit"].pk: d["unit"] for _row, d in checked if d["unit"].pk not in self.placements
        }
        if new_units:
            for unit_id in new_units:
                self.placements[unit_id] = []
            for unit_id, start, end, path in UnitPlacement.objects.filter(
                unit_id__in=list(new_units)
            ).values_list("unit_id", "valid_from", "valid_to", "path"):
                self.placements[unit_id].append((start, end, path))
            paths = {u.path for u in new_units.values()} | {
                p for i in new_units for _s, _e, p in self.placements[i]
            }
            self.tops.update(tops_of_paths({p: p for p in paths if p not in self.tops}))
        for row, data in checked:
            if data.get("party_card_number") in taken:
                self.error(
                    row, "party_card_number", _("Another member holds this party card number.")
                )
                continue
            self.result.valid_rows += 1
            if not self.error_count:
                self.write(data)

    def _tops_on(self, unit: Unit, day: dt.date) -> set[int]:
        """The counter-holding units above `unit` on the tree of `day` (from the caches filled
        by flush_chunk)."""
        path = next(
            (
                p
                for start, end, p in self.placements[unit.pk]
                if start <= day and (end is None or end > day)
            ),
            unit.path,
        )
        return self.tops[path]

    def write(self, data: dict[str, Any]) -> None:
        from grassroots.rollups.readers import MemberState
        from grassroots.rollups.services import member_keys

        Member, MemberEvent, Membership, AuditEntry = self.models
        w, now, unit = self.writer, self.now, data["unit"]
        decision, ceremony, official = (
            data["decision_date"],
            data["ceremony_date"],
            data.get("official_date"),
        )
        end = add_months(ceremony, self.months) if official is not None else None
        status = MemberStatus.OFFICIAL if official is not None else MemberStatus.PROBATIONARY
        birth = data["birth_date"]
        mid = w.next_id(Member)
        self.member_ids.append(mid)
        name = data["full_name"].strip()
        values = {
            "id": mid,
            "full_name": name,
            "gender": data["gender"],
            "birth_date": data["birth_date"],
            "ethnicity": data["ethnicity"],
            "religion": data.get("religion", "none"),
            "general_education": data.get("general_education", ""),
            "professional_education": data.get("professional_education", "none"),
            "theory_level": data.get("theory_level", "none"),
            "occupation": data.get("occupation", ""),
            "party_card_number": data.get("party_card_number") or None,
            "unit_id": unit.pk,
            "status": status,
            "transit_to_id": None,
            "transit_since": None,
            "attending_unit_id": None,
            "first_admission_decision_date": decision,
            "admission_decision_date": decision,
            "ceremony_date": ceremony,
            "official_date": end,
            "readmission_count": 0,
            "created_at": now,
        }
        w.add(
            Member,
            tuple(values.get(c, fold(name) if c == "name_folded" else now) for c in MEMBER_COLUMNS),
        )
        w.add(
            AuditEntry,
            (
                w.next_id(AuditEntry),
                now,
                self.actor_id,
                "create",
                self.member_type,
                str(mid),
                name[:300],
                unit.path,
                None,
                json.dumps(
                    {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
                ),
                (_("Imported from %(file)s") % {"file": self.file_name})[:300],
            ),
        )
        details = {"ceremony_date": ceremony.isoformat()}
        if data.get("age_exception"):
            details["age_exception"] = data["age_exception"]
        w.add(
            MemberEvent,
            (
                w.next_id(MemberEvent),
                mid,
                "admit",
                decision,
                unit.pk,
                None,
                "",
                "",
                "",
                data.get("decision_number", ""),
                decision,
                "",
                "",
                json.dumps(details),
                None,
                self.actor_id,
                now,
            ),
        )
        self.count_event("admit", unit, decision)
        if end is None:
            w.add(
                Membership,
                (
                    w.next_id(Membership),
                    mid,
                    unit.pk,
                    "probationary",
                    "probationary",
                    decision,
                    None,
                    birth,
                ),
            )
        else:
            w.add(
                MemberEvent,
                (
                    w.next_id(MemberEvent),
                    mid,
                    "recognize",
                    official,
                    unit.pk,
                    None,
                    "",
                    "",
                    "",
                    "",
                    official,
                    "",
                    "",
                    json.dumps(
                        {"official_date": end.isoformat(), "probation_end": end.isoformat()}
                    ),
                    None,
                    self.actor_id,
                    now,
                ),
            )
            self.count_event("recognize", unit, official)
            w.add(
                Membership,
                (
                    w.next_id(Membership),
                    mid,
                    unit.pk,
                    "probationary",
                    "probationary",
                    decision,
                    end,
                    birth,
                ),
            )
            w.add(
                Membership,
                (w.next_id(Membership), mid, unit.pk, "official", "official", end, None, birth),
            )
        state = MemberState(
            counted=True,  # admitted: probationary or official
            status=status,
            unit_id=unit.pk,
            transit_to_id=None,
            gender=values["gender"],
            birth_date=values["birth_date"],
            ethnicity=values["ethnicity"],
            religion=values["religion"],
            general_education=values["general_education"],
            professional_education=values["professional_education"],
            theory_level=values["theory_level"],
        )
        self.counters.update(member_keys(state, {unit.pk: self.tops[unit.path]}))

    def count_event(self, kind: str, unit: Unit, day: dt.date) -> None:
        from grassroots.rollups.services import EVENT_KEYS

        month = day.strftime("%Y-%m")
        for top in self._tops_on(unit, day):
            self.counters[(top, f"ev:{EVENT_KEYS[kind]}", month)] += 1

    def finish(self) -> None:
        from grassroots.rollups.past import past_add_members
        from grassroots.rollups.services import rollup_add, version_steps

        self.flush_chunk()
        if self.error_count:
            return
        self.writer.flush_all()
        # The figures of every unit under the top units above the cells written change.
        self.counters.update(version_steps(set().union(*self.tops.values())))
        rollup_add(self.counters)
        past_add_members(self.member_ids)


def _members_import_bulk(
    *,
    actor,
    file,
    file_name: str,
    dry_run: bool,
    within: Unit | None,
    progress,
    engine: str = "auto",
    limits: Limits | None = None,
) -> ImportResult:
    """The import, through the SQL path on PostgreSQL (`imports_sql`) and the Python path
    elsewhere; `engine` ("python" / "sql") forces one (tests compare them)."""
    importer = _BulkImporter(actor, dry_run, file_name, within, progress)
    result = importer.result
    try:
        with transaction.atomic():
            header_ok = False
            rows = read_rows(file, file_name, limits)
            for number, values in rows:
                if any(_text(v) for v in values):  # the first row with anything in it
                    header_ok = importer.read_header(number, values)
                    break
            use_sql = engine == "sql" or (engine == "auto" and connection.vendor == "postgresql")
            if header_ok and use_sql:
                # Staged with COPY and checked set-wise in SQL (see imports_sql).
                from .imports_sql import members_import_sql

                members_import_sql(
                    importer, rows=rows, file_name=file_name, within=within, progress=progress
                )
            elif header_ok:
                for number, values in rows:
                    if not any(_text(v) for v in values):
                        continue
                    result.rows += 1
                    importer.add(number, values)
                    if progress and result.rows % PROGRESS_EVERY == 0:
                        progress(
                            rows=result.rows, valid=result.valid_rows, errors=importer.error_count
                        )
                importer.finish()
            if not header_ok and not result.errors:
                result.errors.append(RowError(1, "", _("The file has no header row.")))
            result.errors.sort(key=lambda e: e.row)
            result.error_count = max(importer.error_count, len(result.errors))
            if result.errors or dry_run:
                raise _Rollback
            result.created = result.valid_rows
    except _Rollback:
        result.created = 0
    except FileError as exc:
        result.created = 0
        result.errors.append(RowError(0, "", str(exc)))
        result.error_count = len(result.errors)
    if progress:
        progress(
            rows=result.rows, valid=result.valid_rows, errors=result.error_count, finished=True
        )
    return result


def run_import_job(job) -> dict:
    """The background job of the import page: the file saved with the job, imported (or checked)
    as the person who sent it, in the language they used. The file's rows are counted first, so
    that the job's page shows how far the work has come."""
    from grassroots.jobs.services import job_progress

    with (
        translation.override(job.params.get("language") or settings.LANGUAGE_CODE),
        job.file.open("rb") as handle,
    ):
        try:
            total = max(spreadsheets.count_rows(handle, job.file_name) - 1, 0)  # less the header
        except Exception:  # not a readable file: the import says why
            total = None
        job_progress(job, rows=0, valid=0, errors=0, total=total)
        result = members_import(
            actor=job.created_by,
            file=handle,
            file_name=job.file_name,
            dry_run=bool(job.params.get("dry_run")),
            progress=lambda **values: job_progress(job, total=total, **values),
        )
        errors = [
            {"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:500]
        ]
    return {
        "rows": result.rows,
        "valid_rows": result.valid_rows,
        "created": result.created,
        "dry_run": result.dry_run,
        "error_count": result.error_count,
        "errors": errors,
    }
