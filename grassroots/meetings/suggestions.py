"""The scores the meetings suggest to the monthly self-assessment (registered with
`grassroots.assessments.suggestions` from `MeetingsConfig.ready()` when that app is
installed): whether the cell held its regular meeting that month, and the share of members
present at its meetings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .findings import month_attendance_share, regular_meeting_held


def register() -> None:
    from grassroots.assessments.suggestions import register_suggester

    register_suggester(
        "meetings_regular_held",
        _("Regular meeting held this month (meetings)"),
        regular_meeting_held,
    )
    register_suggester(
        "meetings_attendance_rate",
        _("Attendance rate at the month's meetings (meetings)"),
        month_attendance_share,
    )
