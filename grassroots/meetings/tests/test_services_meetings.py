"""The meeting services: each rule holds, each way it can be broken is refused naming the
field, and nothing is written on refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.meetings import services
from grassroots.meetings.choices import AssignmentStatus
from grassroots.meetings.models import Assignment, Attendance, FollowUp, Meeting
from grassroots.meetings.selectors import follow_up_assignments, liaison_rows, unit_members
from grassroots.members.tests.ledger_helpers import admit_on

from .helpers import HELD, attend, cell_members, commune_seat, counts, meeting, signed


def refused(call, field: str) -> str:
    before = counts()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    assert counts() == before
    return " ".join(info.value.message_dict[field])


# --- the meeting and its agenda ---------------------------------------------------------------


def test_a_meeting_is_created_as_a_draft_agenda_and_audited_with_its_actor(tree, manager_a):
    m = services.meeting_create(
        actor=manager_a, unit=tree.cell_a1, kind="regular", date=HELD, agenda="1. Kiểm điểm"
    )
    assert not m.is_published and not m.is_locked
    assert AuditEntry.objects.for_object(m).get().actor == manager_a
    published = services.agenda_publish(actor=manager_a, meeting=m, day=dt.date(2024, 3, 8))
    assert published.agenda_published_on == dt.date(2024, 3, 8)
    refused(lambda: services.agenda_publish(actor=None, meeting=m), "__all__")


def test_an_empty_agenda_is_not_published(tree):
    m = meeting(tree.cell_a1)
    assert "agenda" in refused(lambda: services.agenda_publish(actor=None, meeting=m), "agenda")


def test_a_cell_holds_one_regular_meeting_a_month(tree):
    meeting(tree.cell_a1, dt.date(2024, 3, 5))
    message = refused(lambda: meeting(tree.cell_a1, dt.date(2024, 3, 25)), "date")
    assert "05/03/2024" in message
    meeting(tree.cell_a1, dt.date(2024, 3, 25), kind="extraordinary")
    meeting(tree.cell_a2, dt.date(2024, 3, 25))


def test_regular_and_thematic_meetings_are_a_cells_and_a_thematic_one_has_a_topic(tree):
    refused(lambda: meeting(tree.commune_a, kind="regular"), "kind")
    refused(
        lambda: services.meeting_create(
            actor=None, unit=tree.cell_a1, kind="thematic", date=HELD, topic=" "
        ),
        "topic",
    )
    assert meeting(tree.commune_a, kind="committee").kind == "committee"


def test_a_meeting_before_the_unit_existed_is_refused(tree):
    refused(lambda: meeting(tree.cell_a1, dt.date(2010, 1, 5)), "date")


def test_the_cells_liaison_is_the_committee_member_attending_unless_another_is_named(tree):
    seat = commune_seat(tree.commune_a)
    liaison = services.liaison_add(
        actor=None, seat=seat, unit=tree.cell_a1, from_date=dt.date(2024, 1, 1)
    )
    assert meeting(tree.cell_a1).visitor_seat == seat
    elsewhere = commune_seat(tree.commune_b, "Người Xã Khác")
    refused(lambda: meeting(tree.cell_a2, visitor_seat=elsewhere), "visitor_seat")
    assert liaison.covers(HELD)


# --- attendance -------------------------------------------------------------------------------


def test_attendance_counts_every_member_and_gives_the_rate(tree):
    members = cell_members(tree.cell_a1)
    m = meeting(tree.cell_a1)
    m = attend(m, members, absent=members[:1], excused=members[1:2])
    assert (m.expected_count, m.present_count, m.excused_count, m.absent_count) == (5, 3, 1, 1)
    assert str(m.rate) == "60.0"
    assert Attendance.objects.get(member=members[1]).reason == "Đi làm ăn xa"


def test_attendance_must_mark_every_member_and_no_one_else(tree):
    members = cell_members(tree.cell_a1)
    stranger = admit_on(tree.cell_a2, "Người Chi Bộ Khác")
    m = meeting(tree.cell_a1)
    entries = [services.AttendanceEntry(x, "present") for x in members[1:]]
    refused(
        lambda: services.attendance_record(actor=None, meeting=m, entries=entries),
        f"status_{members[0].pk}",
    )
    entries = [services.AttendanceEntry(x, "present") for x in [*members, stranger]]
    message = refused(
        lambda: services.attendance_record(actor=None, meeting=m, entries=entries),
        f"status_{stranger.pk}",
    )
    assert "not a member" in message


def test_an_excused_absence_needs_its_reason(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1)
    refused(
        lambda: services.attendance_record(
            actor=None, meeting=m, entries=[services.AttendanceEntry(members[0], "excused", " ")]
        ),
        f"reason_{members[0].pk}",
    )


def test_attendance_is_not_recorded_before_the_meeting(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1, dt.date.today() + dt.timedelta(days=3))
    refused(lambda: attend(m, members), "__all__")


def test_members_admitted_after_the_meeting_are_not_expected(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    admit_on(tree.cell_a1, "Người Mới Vào", day=dt.date(2024, 6, 1))
    assert list(unit_members(tree.cell_a1, HELD)) == members


# --- decisions and assignments ----------------------------------------------------------------


def test_a_decision_with_its_assignment_is_one_write(tree, editor_a):
    members = cell_members(tree.cell_a1)
    m = attend(meeting(tree.cell_a1), members)
    decision = services.decision_add(
        actor=editor_a,
        meeting=m,
        text="Vận động các hộ khắc phục hậu quả bão",
        task="Vận động 12 hộ thôn dưới",
        due_date=dt.date(2024, 4, 10),
        members=members[:2],
    )
    assignment = decision.assignments.get()
    assert decision.number == 1 and set(assignment.members.all()) == set(members[:2])
    assert assignment.unit == tree.cell_a1 and assignment.status == AssignmentStatus.OPEN
    assert AuditEntry.objects.for_object(assignment).get().actor == editor_a
    second = services.decision_add(actor=None, meeting=m, text="Tu sửa kênh mương")
    assert second.number == 2 and not second.assignments.exists()


def test_an_assignment_to_a_non_member_is_refused_naming_the_members_field(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    stranger = admit_on(tree.cell_a2, "Người Chi Bộ Khác")
    m = meeting(tree.cell_a1)
    message = refused(
        lambda: services.decision_add(
            actor=None,
            meeting=m,
            text="Giao nhiệm vụ",
            task="Vận động",
            due_date=dt.date(2024, 4, 1),
            members=[members[0], stranger],
        ),
        "members",
    )
    assert "Người Chi Bộ Khác" in message and "Lò Văn Pả" not in message
    decision = services.decision_add(actor=None, meeting=m, text="Giao nhiệm vụ")
    refused(
        lambda: services.assignment_add(
            actor=None, decision=decision, task="X", due_date=dt.date(2024, 4, 1), members=[]
        ),
        "members",
    )
    refused(
        lambda: services.assignment_add(
            actor=None,
            decision=decision,
            task="X",
            due_date=dt.date(2024, 3, 1),
            members=members,
        ),
        "due_date",
    )


def test_a_dropped_assignment_needs_its_reason_and_done_closes_it(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1)
    d = services.decision_add(
        actor=None, meeting=m, text="D", task="T", due_date=dt.date(2024, 4, 1), members=members
    )
    a = d.assignments.get()
    assert a.status_on(dt.date(2024, 4, 2)) == "overdue"
    refused(
        lambda: services.assignment_set_status(actor=None, assignment=a, status="dropped"),
        "reason",
    )
    a = services.assignment_set_status(
        actor=None, assignment=a, status="done", day=dt.date(2024, 3, 30)
    )
    assert a.closed_on == dt.date(2024, 3, 30) and a.status_on(dt.date(2024, 5, 1)) == "done"
    a = services.assignment_set_status(
        actor=None, assignment=a, status="dropped", reason="Không còn phù hợp"
    )
    assert a.drop_reason == "Không còn phù hợp"


def test_open_assignments_come_onto_the_next_meeting_and_are_followed_up_there(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    march = meeting(tree.cell_a1)
    kept = services.decision_add(
        actor=None,
        meeting=march,
        text="D1",
        task="Còn mở",
        due_date=dt.date(2024, 4, 30),
        members=members[:1],
    ).assignments.get()
    done = services.decision_add(
        actor=None,
        meeting=march,
        text="D2",
        task="Xong sớm",
        due_date=dt.date(2024, 4, 30),
        members=members[1:],
    ).assignments.get()
    services.assignment_set_status(
        actor=None, assignment=done, status="done", day=dt.date(2024, 3, 20)
    )
    april = meeting(tree.cell_a1, dt.date(2024, 4, 9))
    assert list(follow_up_assignments(april)) == [kept, done]
    services.assignment_set_status(
        actor=None, assignment=kept, status="done", meeting=april, note="Đã hoàn thành"
    )
    follow = FollowUp.objects.get()
    assert follow.meeting == april and follow.status == "done"
    assert Assignment.objects.get(pk=kept.pk).closed_on == april.date
    may = meeting(tree.cell_a1, dt.date(2024, 5, 7))
    assert list(follow_up_assignments(may)) == [kept]  # closed since the April meeting
    refused(
        lambda: services.assignment_set_status(
            actor=None, assignment=kept, status="done", meeting=march, note="x"
        ),
        "meeting",
    )


# --- signing, the lock and corrections ---------------------------------------------------------


def test_signing_needs_the_attendance_and_the_minutes(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1)
    refused(lambda: services.meeting_sign(actor=None, meeting=m, signed_on=HELD), "__all__")
    attend(m, members)
    refused(lambda: services.meeting_sign(actor=None, meeting=m, signed_on=HELD), "__all__")
    services.minutes_save(actor=None, meeting=m, minutes="Biên bản", chair="A", recorder="B")
    refused(
        lambda: services.meeting_sign(actor=None, meeting=m, signed_on=dt.date(2024, 3, 1)),
        "signed_on",
    )
    assert services.meeting_sign(actor=None, meeting=m, signed_on=HELD).is_locked


def test_a_locked_meeting_refuses_every_change_and_takes_corrections(tree, manager_a):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    m = meeting(tree.cell_a1, agenda="1. Kiểm điểm")
    decision = services.decision_add(actor=None, meeting=m, text="D")
    m = signed(m, members, dt.date(2024, 3, 14))
    calls = {
        "__all__": lambda: services.meeting_update(actor=None, meeting=m, place="Nhà văn hóa"),
        "minutes_all": lambda: services.minutes_save(actor=None, meeting=m, minutes="Sửa"),
        "attendance": lambda: attend(m, members),
        "text": lambda: services.decision_add(actor=None, meeting=m, text="Thêm"),
        "task": lambda: services.assignment_add(
            actor=None, decision=decision, task="T", due_date=dt.date(2024, 4, 1), members=members
        ),
        "signed_on": lambda: services.meeting_sign(actor=None, meeting=m),
    }
    for key, call in calls.items():
        field = key if key in ("text", "task", "signed_on") else "__all__"
        assert "locked" in refused(call, field)
    refused(
        lambda: services.correction_add(
            actor=None, meeting=m, part="attendance", text="X", reason=" "
        ),
        "reason",
    )
    refused(
        lambda: services.correction_add(
            actor=None,
            meeting=m,
            part="attendance",
            text="X",
            reason="Y",
            recorded_on=dt.date(2024, 3, 13),
        ),
        "recorded_on",
    )
    correction = services.correction_add(
        actor=manager_a,
        meeting=m,
        part="attendance",
        text="Đồng chí Vàng Thị Dung vắng có lý do, không phải có mặt.",
        reason="Ghi nhầm khi lập biên bản",
        recorded_on=dt.date(2024, 4, 2),
    )
    assert (
        correction.meeting == m and Meeting.objects.get(pk=m.pk).minutes == "Chi bộ họp thường kỳ."
    )
    assert AuditEntry.objects.for_object(correction).get().actor == manager_a


def test_a_correction_before_signing_is_refused(tree):
    m = meeting(tree.cell_a1)
    refused(
        lambda: services.correction_add(
            actor=None, meeting=m, part="minutes", text="X", reason="Y"
        ),
        "__all__",
    )


# --- liaisons ---------------------------------------------------------------------------------


def test_a_liaison_is_a_higher_committee_member_assigned_to_a_cell(tree, manager_a, viewer_a):
    seat = commune_seat(tree.commune_a)
    refused(
        lambda: services.liaison_add(
            actor=None, seat=seat, unit=tree.commune_a, from_date=dt.date(2024, 1, 1)
        ),
        "unit",
    )
    refused(
        lambda: services.liaison_add(
            actor=None, seat=seat, unit=tree.cell_b1, from_date=dt.date(2024, 1, 1)
        ),
        "seat",
    )
    refused(
        lambda: services.liaison_add(
            actor=viewer_a, seat=seat, unit=tree.cell_a1, from_date=dt.date(2024, 1, 1)
        ),
        "seat",
    )
    refused(
        lambda: services.liaison_add(
            actor=None, seat=seat, unit=tree.cell_a1, from_date=dt.date(2019, 1, 1)
        ),
        "from_date",
    )
    services.liaison_add(
        actor=manager_a, seat=seat, unit=tree.cell_a1, from_date=dt.date(2024, 1, 1)
    )
    refused(
        lambda: services.liaison_add(
            actor=None, seat=seat, unit=tree.cell_a1, from_date=dt.date(2024, 6, 1)
        ),
        "from_date",
    )


def test_a_liaisons_meetings_and_those_they_attended_are_counted(tree):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    seat = commune_seat(tree.commune_a)
    liaison = services.liaison_add(
        actor=None, seat=seat, unit=tree.cell_a1, from_date=dt.date(2024, 1, 1)
    )
    for month, came in ((1, True), (2, False), (3, True)):
        m = attend(meeting(tree.cell_a1, dt.date(2024, month, 10)), members)
        services.minutes_save(actor=None, meeting=m, minutes="x", visitor_attended=came)
    meeting(tree.cell_a2, dt.date(2024, 1, 10))  # another cell's meeting does not count
    [row] = liaison_rows(type(liaison).objects.all(), dt.date(2024, 12, 31))
    assert (row.meetings, row.attended) == (3, 2)
    services.liaison_end(actor=None, liaison=liaison, to_date=dt.date(2024, 2, 28))
    [row] = liaison_rows(type(liaison).objects.all(), dt.date(2024, 12, 31))
    assert (row.meetings, row.attended) == (2, 1)


def test_a_meeting_called_off_is_removed_only_while_nothing_is_recorded_of_it(tree, manager_a):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    held = attend(meeting(tree.cell_a1), members)
    refused(lambda: services.meeting_delete(actor=None, meeting=held), "__all__")
    called_off = meeting(tree.cell_a1, dt.date(2024, 4, 9))
    services.meeting_delete(actor=manager_a, meeting=called_off)
    assert not Meeting.objects.filter(pk=called_off.pk).exists()
    entry = AuditEntry.objects.filter(action="delete", object_id=str(called_off.pk)).get()
    assert entry.actor == manager_a
