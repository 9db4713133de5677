"""XLSX exports of the meetings, the assignments and the findings. Every cell goes through the
formula-safe writer of `core.spreadsheets`: a topic typed as "=1+1" stays text."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.core.spreadsheets import xlsx_append

from .findings import FindingsReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 100_000  # a province's year of meetings fits; more is asked of the API in pages


def _workbook(title: str, columns: list[str], rows: Iterable[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    xlsx_append(sheet, columns)
    for n, row in enumerate(rows):
        if n >= MAX_ROWS:
            break
        xlsx_append(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def _day(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def meeting_rows(meetings) -> Iterable[list]:
    for m in meetings.iterator(chunk_size=2000):
        yield [
            m.unit.code,
            m.unit.name,
            str(m.get_kind_display()),
            _day(m.date),
            m.place,
            m.topic,
            _day(m.agenda_published_on),
            m.expected_count or None,
            m.present_count if m.expected_count else None,
            m.excused_count if m.expected_count else None,
            m.absent_count if m.expected_count else None,
            float(m.rate) if m.rate is not None else None,
            m.visitor_seat.display_name if m.visitor_seat_id else "",
            {True: _("Yes"), False: _("No"), None: ""}[m.visitor_attended],
            _day(m.signed_on),
        ]


def meetings_response(meetings) -> HttpResponse:
    columns = [
        _("Unit code"),
        _("Unit"),
        _("Kind"),
        _("Date"),
        _("Place"),
        _("Topic"),
        _("Agenda published on"),
        _("Members expected"),
        _("Present"),
        _("Excused"),
        _("Absent"),
        _("Attendance rate (%)"),
        _("Higher-level committee member attending"),
        _("Attended"),
        _("Minutes signed on"),
    ]
    return _response(_workbook(_("Meetings"), columns, meeting_rows(meetings)), "meetings")


def assignments_response(assignments, today: dt.date) -> HttpResponse:
    labels = {
        "open": _("Open"),
        "overdue": _("Overdue"),
        "done": _("Done"),
        "dropped": _("Dropped"),
    }
    columns = [
        _("Unit code"),
        _("Unit"),
        _("Meeting"),
        _("Decision"),
        _("What"),
        _("Members assigned"),
        _("Due date"),
        _("Status"),
        _("Closed on"),
        _("Reason for dropping"),
    ]

    def rows():
        for a in assignments:
            yield [
                a.unit.code,
                a.unit.name,
                _day(a.decision.meeting.date),
                a.decision.number,
                a.task,
                ", ".join(m.full_name for m in a.members.all()),
                _day(a.due_date),
                labels[a.status_on(today)],
                _day(a.closed_on),
                a.drop_reason,
            ]

    return _response(_workbook(_("Assignments"), columns, rows()), "assignments")


def findings_response(report: FindingsReport) -> HttpResponse:
    columns = [_("Unit code"), _("Unit"), _("Finding"), _("Period or date"), _("Detail")]

    def rows():
        for row in report.rows:
            for f in row.findings:
                yield [row.unit.code, row.unit.name, f.label, f.period, f.detail]

    name = f"meeting-findings-{report.year}"
    return _response(_workbook(_("Findings"), columns, rows()), name)
