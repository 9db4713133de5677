"""The XLSX exports of the inspections: the list as filtered, and the execution board. Every
cell goes through core's formula-safe writer (a finding typed as "=…" stays text)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from grassroots.core.spreadsheets import xlsx_append

from .selectors import Execution

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fmt(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _workbook(title: str, header: list[str], rows: Iterable[list], widths: list[int]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    xlsx_append(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        xlsx_append(sheet, row)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def inspections_workbook(inspections) -> bytes:
    """One row per inspection or supervision, with its subjects and conclusions."""
    header = [
        _("Carried out by"),
        _("Body"),
        _("Kind"),
        _("Form"),
        _("Under a plan"),
        _("From"),
        _("To"),
        _("Content"),
        _("Team"),
        _("Organizations inspected"),
        _("Members inspected"),
        _("Violations found"),
        _("Concluded on"),
        _("Findings"),
    ]

    def rows():
        for i in inspections:
            subjects = [*i.subject_units.all(), *i.subject_members.all()]
            yield [
                i.unit.name,
                i.get_body_display(),
                i.get_kind_display(),
                i.get_form_display(),
                _("yes") if i.plan_item_id else _("no"),
                _fmt(i.start_date),
                _fmt(i.end_date),
                i.content,
                i.team,
                "; ".join(s.unit.name for s in i.subject_units.all()),
                "; ".join(s.member.full_name for s in i.subject_members.all()),
                sum(1 for s in subjects if s.is_violation),
                _fmt(i.concluded_on),
                i.findings,
            ]

    widths = [30, 16, 12, 18, 10, 12, 12, 40, 30, 40, 40, 10, 12, 50]
    return _workbook(_("Inspections"), header, rows(), widths)


def execution_workbook(execution: Execution) -> bytes:
    """The execution board: per kind and level, then per kind and the total."""
    header = [
        _("Kind"),
        _("Level"),
        _("Planned"),
        _("Carried out"),
        _("Rate (%)"),
        _("Unplanned"),
        _("Organizations inspected"),
        _("Members inspected"),
    ]

    def line(row, kind: str, level: str) -> list:
        return [
            kind,
            level,
            row.planned,
            row.carried_out,
            float(row.rate) if row.rate is not None else "",
            row.unplanned,
            row.organizations,
            row.members,
        ]

    def rows():
        for row in execution.rows:
            yield line(row, row.kind_label, row.level_label)
        for row in execution.by_kind:
            yield line(row, row.kind_label, _("All levels"))
        yield line(execution.total, _("Total"), "")
        yield []
        yield [_("Period"), f"{_fmt(execution.start)} – {_fmt(execution.end)}"]
        if execution.unit is not None:
            yield [_("Unit"), execution.unit.name]
        yield [_("Different organizations inspected"), execution.distinct_organizations]
        yield [_("Different members inspected"), execution.distinct_members]

    return _workbook(_("Execution"), header, rows(), [16, 30, 10, 12, 10, 12, 14, 14])
