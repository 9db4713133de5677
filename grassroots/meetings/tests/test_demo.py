"""The demo's meetings, loaded on a small Mường Hum village cell and Biểu Nghi cell of their own
(not a second full demo load)."""

import datetime as dt

from grassroots.meetings.choices import AssignmentStatus, MeetingKind
from grassroots.meetings.demo import BIEU_NGHI_CODE, MUONG_HUM_VILLAGE_CODE, load_demo
from grassroots.meetings.findings import unit_findings
from grassroots.meetings.models import Assignment, FollowUp, Liaison, Meeting
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.services import unit_create

from .helpers import cell_members, commune_seat

START = dt.date(2015, 1, 1)


def _cell(parent, code, name):
    return unit_create(
        actor=None,
        code=code,
        name=name,
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=parent,
        valid_from=START,
    )


def test_the_village_cell_gets_a_year_of_meetings_and_bieu_nghi_its_november_meeting(tree):
    commune = unit_create(
        actor=None,
        code="LCA-MHU",
        name="Đảng bộ xã Mường Hum",
        kind=UnitKind.GRASSROOTS,
        parent=tree.province,
        valid_from=START,
    )
    village = _cell(commune, MUONG_HUM_VILLAGE_CODE, "Chi bộ thôn Mường Hum")
    ward = unit_create(
        actor=None,
        code="QNI-DMA",
        name="Đảng bộ phường Đông Mai",
        kind=UnitKind.GRASSROOTS,
        parent=tree.province,
        valid_from=START,
    )
    bieu_nghi = _cell(ward, BIEU_NGHI_CODE, "Chi bộ khu dân cư Biểu Nghi")
    names = [f"Đảng Viên Thử {i}" for i in range(1, 9)]
    cell_members(village, names=names, day=dt.date(2019, 5, 10))
    cell_members(bieu_nghi, names=[f"Người Biểu Nghi {i}" for i in range(1, 15)])
    commune_seat(commune)
    lines = []
    summary = load_demo(log=lines.append)

    regular = Meeting.objects.filter(unit=village, kind=MeetingKind.REGULAR)
    assert regular.count() == 12 and regular.filter(signed_on__isnull=True).count() == 1
    assert Meeting.objects.filter(unit=village, kind=MeetingKind.THEMATIC).count() >= 3
    assert all(m.expected_count == 8 for m in regular)
    assert regular.exclude(cell_strengths="").count() == 12
    assert Liaison.objects.filter(unit=village).exists()
    assert regular.filter(visitor_attended=True).exists()
    village_assignments = Assignment.objects.filter(unit=village)
    assert village_assignments.filter(status=AssignmentStatus.DONE).exists()
    assert village_assignments.filter(status=AssignmentStatus.OPEN).exists()
    assert FollowUp.objects.filter(meeting__unit=village).count() >= 10

    thematic = Meeting.objects.get(unit=bieu_nghi)
    assert thematic.date == dt.date(2024, 11, 16) and "bão số 3" in thematic.topic
    assert thematic.decisions.count() == 4 and thematic.is_locked
    assert Assignment.objects.filter(unit=bieu_nghi, status=AssignmentStatus.DONE).count() == 4
    assert "meetings: " in summary and len(lines) == 2

    report = unit_findings(village, dt.date.today().year, dt.date.today())
    assert report.cells == 1


def test_without_the_cells_the_demo_says_so(tree):
    assert "not in the tree" in load_demo(log=lambda line: None)
    assert not Meeting.objects.exists()
