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
