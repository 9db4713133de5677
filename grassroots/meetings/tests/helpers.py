"""Builders for the meetings tests: members of a cell, a meeting held with its attendance, a
seat on the commune's committee, and the row counts a refused service must leave alone."""

from __future__ import annotations

import datetime as dt

from grassroots.committees.services import committee_create, seat_add, term_get_or_create
from grassroots.core.models import AuditEntry
from grassroots.meetings import services
from grassroots.meetings.models import (
    Assignment,
    Attendance,
    Decision,
    FollowUp,
    Liaison,
    Meeting,
    MeetingCorrection,
)
from grassroots.members.tests.ledger_helpers import admit_on

HELD = dt.date(2024, 3, 12)
NAMES = ("Lò Văn Pả", "Vàng Thị Dung", "Giàng A Chá", "Lý Thị Mai", "Tẩn Văn Sơn")


def cell_members(unit, names=NAMES, day=dt.date(2021, 5, 10)):
    return [admit_on(unit, name, day=day) for name in names]


def meeting(unit, day=HELD, kind="regular", **extra):
    if kind == "thematic":
        extra.setdefault("topic", "Chuyển đổi cây trồng vụ đông")
    return services.meeting_create(actor=None, unit=unit, kind=kind, date=day, **extra)


def attend(meeting, members, absent=(), excused=()):
    entries = []
    for m in members:
        if m in absent:
            entries.append(services.AttendanceEntry(m, "absent"))
        elif m in excused:
            entries.append(services.AttendanceEntry(m, "excused", "Đi làm ăn xa"))
        else:
            entries.append(services.AttendanceEntry(m, "present"))
    return services.attendance_record(actor=None, meeting=meeting, entries=entries)


def signed(meeting, members, day=None):
    attend(meeting, members)
    services.minutes_save(
        actor=None,
        meeting=meeting,
        minutes="Chi bộ họp thường kỳ.",
        chair="Bí thư",
        recorder="Phó bí thư",
    )
    return services.meeting_sign(actor=None, meeting=meeting, signed_on=day or meeting.date)


def commune_seat(commune, name="Hoàng Văn Phụ Trách"):
    from grassroots.committees.models import Committee

    committee = Committee.objects.filter(
        unit=commune, kind="executive"
    ).first() or committee_create(
        actor=None,
        unit=commune,
        term=term_get_or_create(start_year=2020, end_year=2025),
        kind="executive",
        elected_size=15,
    )
    return seat_add(
        actor=None,
        committee=committee,
        person_name=name,
        position="member",
        from_date=dt.date(2020, 10, 1),
    )


def counts() -> tuple[int, ...]:
    return (
        Meeting.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
        Assignment.objects.count(),
        FollowUp.objects.count(),
        MeetingCorrection.objects.count(),
        Liaison.objects.count(),
        AuditEntry.objects.count(),
    )
