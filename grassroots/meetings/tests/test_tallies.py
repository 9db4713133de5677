"""The year tallies the findings count from: kept by every meeting service, equal to a
rebuild from the meetings, and exact at the attendance threshold."""

import datetime as dt

from grassroots.meetings import services
from grassroots.meetings.models import MeetingYear
from grassroots.meetings.tallies import is_low, late_in, tally_rebuild

from .helpers import attend, cell_members, meeting, signed


def tallies():
    return sorted(
        MeetingYear.objects.values_list(
            "unit_id",
            "year",
            "regular_months",
            "thematic_months",
            "low_attendance",
            "unsigned_days",
        )
    )


def test_every_meeting_service_keeps_the_tallies_equal_to_a_rebuild(tree):
    members = cell_members(tree.cell_a1)  # five members
    january = meeting(tree.cell_a1, dt.date(2024, 1, 10))
    attend(january, members, absent=members[:2])  # 3 of 5: low
    moved = meeting(tree.cell_a1, dt.date(2024, 2, 10))
    services.meeting_update(actor=None, meeting=moved, date=dt.date(2023, 12, 10))
    themed = meeting(tree.cell_a1, dt.date(2024, 3, 20), kind="thematic")
    dropped = meeting(tree.cell_a1, dt.date(2024, 4, 10))
    services.meeting_delete(actor=None, meeting=dropped)
    kept = tallies()
    assert kept == [
        (tree.cell_a1.pk, 2023, 1 << 12, 0, 0, "2023-12-10"),
        (tree.cell_a1.pk, 2024, 1 << 1, 1 << 3, 1, "2024-01-10 2024-03-20"),
    ]
    attend(january, members)  # corrected: everyone came
    assert tallies()[1][4] == 0
    signed(january, members)
    assert tallies()[1][5] == "2024-03-20"
    services.meeting_delete(actor=None, meeting=themed)
    kept = tallies()
    assert tally_rebuild() == 2 and tallies() == kept


def test_attendance_exactly_at_the_threshold_is_not_low(settings):
    settings.MEETINGS_ATTENDANCE_THRESHOLD = 0.85
    assert not is_low(17, 20) and is_low(16, 20)  # 85% and 80%
    assert not is_low(0, 0)  # no attendance recorded


def test_unsigned_minutes_are_late_only_before_the_limit():
    assert late_in("2024-03-01 2024-03-09", "2024-03-09") == 1
    assert late_in("", "2024-03-09") == 0
