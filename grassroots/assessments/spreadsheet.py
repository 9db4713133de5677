"""A framework as a workbook and back, exactly: one sheet, one row per heading field, group,
criterion and band, in the framework's order. The import reads through the one bounded reader
(`core.spreadsheets.read_rows`), checks every row first, names the row and column of each
problem, and saves nothing unless the whole file is good."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grassroots.core.audit import acting_as
from grassroots.core.spreadsheets import FileError, read_rows, xlsx_append

from . import services
from .models import Framework

COLUMNS = [
    ("kind", "A"),
    ("code", "B"),
    ("group", "C"),
    ("text_vi", "D"),
    ("text_en", "E"),
    ("points", "F"),
    ("min_points", "G"),
    ("scoring", "H"),
    ("scale_steps", "I"),
    ("suggester", "J"),
    ("requires_group_minimums", "K"),
]
HEADER = [name for name, _letter in COLUMNS]
LETTER = dict(COLUMNS)
HEADING_FIELDS = services.FRAMEWORK_FIELDS


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def framework_workbook(framework: Framework) -> bytes:
    """The framework's workbook (formula-safe cells)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("framework")
    xlsx_append(sheet, HEADER)
    for name in HEADING_FIELDS:
        value = getattr(framework, name)
        if name == "unit_kinds":
            value = ",".join(value)
        elif name == "guideline_date":
            value = value.isoformat() if value else ""
        xlsx_append(sheet, ["framework", name, None, value])
    groups = list(framework.groups.order_by("order", "id").prefetch_related("criteria"))
    for group in groups:
        xlsx_append(
            sheet,
            [
                "group",
                group.code,
                None,
                group.name_vi,
                group.name_en,
                _number(group.max_points),
                _number(group.min_points),
            ],
        )
    for group in groups:
        criteria = sorted(
            (c for c in group.criteria.all() if c.registration_id is None),
            key=lambda c: (c.order, c.pk),
        )
        for c in criteria:
            xlsx_append(
                sheet,
                [
                    "criterion",
                    c.code,
                    group.code,
                    c.text_vi,
                    c.text_en,
                    _number(c.max_points),
                    None,
                    c.scoring,
                    c.scale_steps,
                    c.suggester,
                ],
            )
    for band in framework.bands.order_by("-min_total"):
        xlsx_append(
            sheet,
            [
                "band",
                band.key,
                None,
                band.label_vi,
                band.label_en,
                _number(band.min_total),
                None,
                None,
                None,
                None,
                "yes" if band.requires_group_minimums else "no",
            ],
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def board_workbook(board) -> bytes:
    """The board as a workbook: one row per unit, each month's total, band and status; and, on a
    second sheet, one row per unit below summed (its average, band, filed, late and overdue)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(board.year))
    months = [f"{m:02d}/{board.year}" for m in range(1, 13)]
    xlsx_append(
        sheet,
        [_("Code"), _("Unit")]
        + [f"{label} {kind}" for label in months for kind in (_("total"), _("band"), _("status"))],
    )
    for row in board.rows:
        cells: list = [row.unit.code, row.unit.name]
        for m in row.months:
            status = m.status + (" (" + _("late") + ")" if m.late else "")
            cells += [_number(m.total), m.band_label or "", status]
        xlsx_append(sheet, cells)
    if board.subtrees:
        # The units below each child, summed (a province's communes).
        sheet = workbook.create_sheet(str(_("Units below")))
        xlsx_append(
            sheet,
            [_("Code"), _("Unit"), _("Registered")]
            + [
                f"{label} {kind}"
                for label in months
                for kind in (_("average"), _("band"), _("filed"), _("late"), _("overdue"))
            ],
        )
        for row in board.subtrees:
            cells = [row.unit.code, row.unit.name, row.registered]
            for m in row.months:
                cells += [_number(m.average), m.band_label or "", m.filed, m.late, m.overdue]
            xlsx_append(sheet, cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class _Row:
    def __init__(self, number: int, values: list) -> None:
        self.number = number
        self.values = {
            name: (values[i] if i < len(values) else None) for i, name in enumerate(HEADER)
        }
        self.errors: list[str] = []

    def text(self, name: str) -> str:
        value = self.values[name]
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def error(self, name: str, message: str) -> None:
        self.errors.append(
            _("Row %(row)s, column %(col)s (%(name)s): %(message)s")
            % {"row": self.number, "col": LETTER[name], "name": name, "message": message}
        )

    def points(self, name: str, required: bool = True) -> Decimal | None:
        value = self.values[name]
        if value in (None, ""):
            if required:
                self.error(name, _("Enter a number of points."))
            return None
        try:
            points = Decimal(str(value).strip().replace(",", ".")).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            self.error(name, _("Enter a number of points."))
            return None
        if points < 0:
            self.error(name, _("Points cannot be negative."))
        return points


def _parse_date(row: _Row) -> dt.date | None:
    value = row.values["text_vi"]
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    row.error("text_vi", _("Enter the date as dd/mm/yyyy."))
    return None


def _read(file, file_name: str) -> tuple[dict, list[_Row], list[_Row], list[_Row], list[str]]:
    heading: dict = {}
    groups: list[_Row] = []
    criteria: list[_Row] = []
    bands: list[_Row] = []
    errors: list[str] = []
    try:
        rows = list(read_rows(file, file_name))
    except FileError as error:
        raise ValidationError({"file": str(error)}) from error
    if not rows or [str(v or "").strip().lower() for v in rows[0][1][: len(HEADER)]] != HEADER:
        raise ValidationError(
            {"file": _("Row 1 must be the header: %(cols)s.") % {"cols": ", ".join(HEADER)}}
        )
    for number, values in rows[1:]:
        if not values or all(v in (None, "") for v in values):
            continue
        row = _Row(number, values)
        kind = row.text("kind").lower()
        if kind == "framework":
            name = row.text("code")
            if name not in HEADING_FIELDS:
                row.error("code", _("Unknown field of the framework."))
            elif name == "guideline_date":
                heading[name] = _parse_date(row)
            elif name == "unit_kinds":
                heading[name] = [k.strip() for k in row.text("text_vi").split(",") if k.strip()]
            else:
                heading[name] = row.text("text_vi")
        elif kind == "group":
            row.parsed = {
                "code": row.text("code"),
                "name_vi": row.text("text_vi"),
                "name_en": row.text("text_en"),
                "max_points": row.points("points"),
                "min_points": row.points("min_points", required=False),
            }
            groups.append(row)
        elif kind == "criterion":
            steps = row.text("scale_steps") or "4"
            if not steps.isdigit():
                row.error("scale_steps", _("Enter a whole number of steps."))
            row.parsed = {
                "code": row.text("code"),
                "text_vi": row.text("text_vi"),
                "text_en": row.text("text_en"),
                "max_points": row.points("points"),
                "scoring": row.text("scoring"),
                "scale_steps": int(steps) if steps.isdigit() else 4,
                "suggester": row.text("suggester"),
            }
            criteria.append(row)
        elif kind == "band":
            flag = row.text("requires_group_minimums").lower()
            if flag not in ("", "yes", "no", "có", "không", "true", "false", "1", "0"):
                row.error("requires_group_minimums", _("Enter yes or no."))
            row.parsed = {
                "key": row.text("code"),
                "label_vi": row.text("text_vi"),
                "label_en": row.text("text_en"),
                "min_total": row.points("points"),
                "requires_group_minimums": flag in ("yes", "có", "true", "1"),
            }
            bands.append(row)
        else:
            row.error("kind", _("Write framework, group, criterion or band."))
        errors += row.errors
    return heading, groups, criteria, bands, errors


_FIELD_COLUMN = {
    "code": "code",
    "key": "code",
    "name_vi": "text_vi",
    "text_vi": "text_vi",
    "label_vi": "text_vi",
    "max_points": "points",
    "min_total": "points",
    "min_points": "min_points",
    "scoring": "scoring",
    "scale_steps": "scale_steps",
    "suggester": "suggester",
}


def _service_errors(row: _Row, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            for message in messages:
                row.error(_FIELD_COLUMN.get(field, "code"), message)
    else:
        for message in error.messages:
            row.error("kind", message)
    return row.errors


def framework_import(*, actor, framework: Framework, file, file_name: str) -> Framework:
    """Replace an unpublished framework's heading, groups, criteria and bands with the
    workbook's. Refused (nothing saved) for a framework in use or published, and for any bad
    row, each named by row and column."""
    if services.framework_in_use(framework) or framework.is_published:
        raise ValidationError(
            {"file": _("Only a framework that is not yet published can be imported into.")}
        )
    heading, groups, criteria, bands, errors = _read(file, file_name)
    if errors:
        raise ValidationError({"file": errors})
    try:
        with transaction.atomic():
            with acting_as(actor):
                for band in framework.bands.all():
                    band.delete()
                for group in framework.groups.all():
                    for criterion in group.criteria.all():
                        criterion.delete()
                    group.delete()
            if heading:
                try:
                    services.framework_update(actor=actor, framework=framework, **heading)
                except ValidationError as error:
                    raise ValidationError(
                        {"file": [f"{_('Framework')}: {m}" for m in error.messages]}
                    ) from error
            by_code = {}
            for order, row in enumerate(groups, start=1):
                try:
                    by_code[row.parsed["code"]] = services.group_add(
                        actor=actor, framework=framework, order=order, **row.parsed
                    )
                except ValidationError as error:
                    errors += _service_errors(row, error)
            orders: dict[str, int] = {}
            for row in criteria:
                group_code = row.text("group")
                group = by_code.get(group_code)
                if group is None:
                    row.error("group", _("No group with this code above."))
                    errors += row.errors
                    continue
                orders[group_code] = orders.get(group_code, 0) + 1
                try:
                    services.criterion_add(
                        actor=actor, group=group, order=orders[group_code], **row.parsed
                    )
                except ValidationError as error:
                    errors += _service_errors(row, error)
            for row in bands:
                try:
                    services.band_add(actor=actor, framework=framework, **row.parsed)
                except ValidationError as error:
                    errors += _service_errors(row, error)
            if errors:
                raise ValidationError({"file": errors})
    except ValidationError:
        framework.refresh_from_db()
        raise
    return framework
