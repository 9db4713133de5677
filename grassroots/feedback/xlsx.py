"""The feedback list as an XLSX workbook. Every text goes through core's formula-safe writer: a
citizen's subject that begins with "=" stays text. No personal data: the workbook is for
follow-up and reports, the citizen's details stay on the feedback's page."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from grassroots.core.spreadsheets import xlsx_append


def feedback_workbook(rows, *, today: dt.date) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Feedback"))
    xlsx_append(
        sheet,
        [
            _("Tracking code"),
            _("Received on"),
            _("Received through"),
            _("Category"),
            _("Subject"),
            _("Receiving unit"),
            _("Responsible unit"),
            _("Status"),
            _("Due date"),
            _("First due date"),
            _("Answered on"),
            _("Days to answer"),
            _("On time"),
            _("Overdue"),
            _("Times escalated"),
            _("Citizen's satisfaction"),
        ],
    )
    for feedback in rows.iterator(chunk_size=1000):
        on_time = feedback.answered_on_time
        xlsx_append(
            sheet,
            [
                feedback.display_code,
                feedback.received_on,
                feedback.get_channel_display(),
                feedback.get_category_display(),
                feedback.subject,
                feedback.origin_unit.name,
                feedback.unit.name,
                feedback.get_status_display(),
                feedback.due_date,
                feedback.first_due_date,
                feedback.answered_on,
                feedback.answer_days,
                "" if on_time is None else (_("Yes") if on_time else _("No")),
                _("Yes") if feedback.is_overdue(today) else "",
                feedback.escalation_level,
                feedback.get_satisfaction_display() if feedback.satisfaction else "",
            ],
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def board_workbook(board) -> bytes:
    """The board as a workbook: the totals, then one row per unit and per category."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Feedback board"))
    period = " – ".join(
        day.strftime("%d/%m/%Y") if day else "…" for day in (board.date_from, board.date_to)
    )
    xlsx_append(sheet, [_("Feedback board"), period])
    header = [
        "",
        _("Received"),
        _("Answered on time"),
        _("Overdue"),
        _("Not yet answered"),
        _("Average days to answer"),
        _("On time (%)"),
    ]

    def row(item, label):
        return [
            label,
            item.received,
            item.on_time,
            item.overdue,
            item.open,
            item.average_days,
            item.on_time_rate,
        ]

    xlsx_append(sheet, header)
    xlsx_append(sheet, row(board.total, _("Total")))
    for title, rows in ((_("By unit"), board.by_unit), (_("By category"), board.by_category)):
        xlsx_append(sheet, [])
        xlsx_append(sheet, [title])
        for item in rows:
            xlsx_append(sheet, row(item, item.label))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
