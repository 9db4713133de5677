"""The meeting pages by persona: recording a meeting, its attendance and a decision with an
assignment, with the saved rows and the audit actor asserted; the locked meeting; the member's
assignments; printables, exports and the home's due items."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.core.models import AuditEntry
from grassroots.meetings import services
from grassroots.meetings.models import Assignment, Attendance, Meeting

from .helpers import HELD, attend, cell_members, meeting, signed


def test_recording_a_meeting_its_attendance_and_a_decision_with_an_assignment(
    tree, editor_a, as_persona
):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung", "Giàng A Chá"))
    client = as_persona("editor_a")
    r = client.post(
        reverse("meetings:meeting_create", args=[tree.cell_a1.pk]),
        {"kind": "regular", "date": "12/03/2024", "place": "Nhà văn hóa thôn", "agenda": "1. X"},
    )
    m = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("meetings:meeting_detail", args=[m.pk])
    assert AuditEntry.objects.for_object(m).get().actor == editor_a
    form_page = client.get(reverse("meetings:attendance", args=[m.pk])).content.decode()
    assert all(x.full_name in form_page for x in members)
    data = {f"status_{x.pk}": "present" for x in members}
    data[f"status_{members[2].pk}"] = "excused"
    r = client.post(reverse("meetings:attendance", args=[m.pk]), data)
    assert r.status_code == 400 and "Give the reason" in r.content.decode()
    data[f"reason_{members[2].pk}"] = "Ốm"
    r = client.post(reverse("meetings:attendance", args=[m.pk]), data)
    assert r.status_code == 302
    m.refresh_from_db()
    assert (m.present_count, m.expected_count, str(m.rate)) == (2, 3, "66.7")
    r = client.post(
        reverse("meetings:decision_add", args=[m.pk]),
        {
            "text": "Vận động các hộ dọn vệ sinh",
            "task": "Vận động 10 hộ",
            "due_date": "10/04/2024",
            "members": [members[0].pk, members[1].pk],
        },
    )
    assert r.status_code == 302
    a = Assignment.objects.get()
    assert set(a.members.all()) == set(members[:2]) and a.due_date == dt.date(2024, 4, 10)
    assert AuditEntry.objects.for_object(a).get().actor == editor_a
    page = client.get(reverse("meetings:meeting_detail", args=[m.pk])).content.decode()
    assert "Vận động 10 hộ" in page and ("66.7" in page or "66,7" in page)


def test_an_assignment_to_a_non_member_is_refused_on_the_members_field(tree, as_persona):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1)
    r = as_persona("manager_a").post(
        reverse("meetings:decision_add", args=[m.pk]),
        {"text": "D", "task": "T", "due_date": "10/04/2024", "members": [members[0].pk + 999]},
    )
    assert r.status_code == 400 and not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("viewer_a", 403), ("outsider", 404), ("editor_a", 302)],
)
def test_writing_the_minutes_needs_the_editor_role(tree, as_persona, persona, status):
    m = meeting(tree.cell_a1)
    r = as_persona(persona).post(
        reverse("meetings:minutes", args=[m.pk]),
        {"minutes": "Chi bộ họp", "chair": "A", "recorder": "B", "visitor_attended": "unknown"},
    )
    assert r.status_code == status
    assert (Meeting.objects.get().minutes == "Chi bộ họp") == (persona == "editor_a")


def test_a_locked_meetings_forms_answer_that_it_is_locked_and_offer_a_correction(
    tree, as_persona, manager_a
):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = signed(meeting(tree.cell_a1), members)
    client = as_persona("manager_a")
    for name in ("meeting_edit", "attendance", "minutes", "decision_add", "meeting_sign"):
        r = client.post(reverse(f"meetings:{name}", args=[m.pk]), {"minutes": "Sửa"})
        assert r.status_code == 409, name
        assert reverse("meetings:correction_add", args=[m.pk]) in r.content.decode()
    assert Meeting.objects.get().minutes == "Chi bộ họp thường kỳ."
    r = client.post(
        reverse("meetings:correction_add", args=[m.pk]),
        {
            "part": "minutes",
            "text": "Đọc là 'thường kỳ tháng 3'",
            "reason": "Thiếu tháng",
            "recorded_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert r.status_code == 302
    correction = m.corrections.get()
    assert AuditEntry.objects.for_object(correction).get().actor == manager_a
    printed = client.get(reverse("meetings:minutes_print", args=[m.pk])).content.decode()
    assert "Thiếu tháng" in printed and "Chi bộ họp thường kỳ." in printed


def test_the_printables_carry_the_partys_header_and_the_members(tree, as_persona):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    m = meeting(tree.cell_a1, place="Nhà văn hóa")
    client = as_persona("viewer_a")
    for name in ("agenda_print", "minutes_print", "attendance_sheet"):
        html = client.get(reverse(f"meetings:{name}", args=[m.pk])).content.decode()
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html and "CHI BỘ THÔN MƯỜNG HUM" in html
        assert "Mường Hum, day 12 month 03 year 2024" in html, name
    sheet = client.get(reverse("meetings:attendance_sheet", args=[m.pk])).content.decode()
    assert all(x.full_name in sheet for x in members)


def test_a_members_assignments_are_listed_on_their_page(tree, as_persona):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    m = meeting(tree.cell_a1)
    services.decision_add(
        actor=None, meeting=m, text="D", task="Sửa kênh", due_date=HELD, members=members[:1]
    )
    services.decision_add(
        actor=None, meeting=m, text="D2", task="Dọn đường", due_date=HELD, members=members[1:]
    )
    html = (
        as_persona("viewer_a")
        .get(reverse("meetings:member_assignments", args=[members[0].pk]))
        .content.decode()
    )
    assert "Sửa kênh" in html and "Dọn đường" not in html and "Overdue" in html
    assert (
        as_persona("outsider")
        .get(reverse("meetings:member_assignments", args=[members[0].pk]))
        .status_code
        == 404
    )


def test_the_lists_read_a_fixed_number_of_queries(tree, as_persona, django_assert_max_num_queries):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    for month in range(1, 7):
        m = attend(meeting(tree.cell_a1, dt.date(2024, month, 10)), members)
        services.decision_add(
            actor=None, meeting=m, text="D", task="T", due_date=m.date, members=members
        )
    client = as_persona("manager_a")
    client.get(reverse("meetings:meeting_list"))  # warm the session and the access object
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:meeting_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:assignment_list")).status_code == 200
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("meetings:unit_meetings", args=[tree.cell_a1.pk])).status_code == 200
        )


def test_the_exports_keep_typed_formulas_as_text(tree, as_persona):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    m = meeting(tree.cell_a1, kind="thematic", topic="=HYPERLINK(1)")
    services.decision_add(
        actor=None, meeting=m, text="D", task="=1+1", due_date=HELD, members=members
    )
    client = as_persona("viewer_a")
    for name, text in (("meeting_export", "=HYPERLINK(1)"), ("assignment_export", "=1+1")):
        r = client.get(reverse(f"meetings:{name}"), {"unit": tree.commune_a.pk})
        sheet = load_workbook(io.BytesIO(r.content)).active
        cells = [c for row in sheet.iter_rows() for c in row if c.value == text]
        assert cells and all(c.data_type == "s" for c in cells), name
    r = as_persona("outsider").get(reverse("meetings:meeting_export"))
    assert load_workbook(io.BytesIO(r.content)).active.max_row == 1  # the header alone


def test_the_home_lists_due_and_overdue_assignments_and_unsigned_minutes(tree, as_persona):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    today = timezone.localdate()
    m = attend(meeting(tree.cell_a1, today - dt.timedelta(days=20), kind="extraordinary"), members)
    services.decision_add(
        actor=None,
        meeting=m,
        text="D",
        task="Việc quá hạn",
        due_date=today - dt.timedelta(days=1),
        members=members,
    )
    services.decision_add(
        actor=None,
        meeting=m,
        text="D2",
        task="Việc sắp đến",
        due_date=today + dt.timedelta(days=3),
        members=members,
    )
    services.decision_add(
        actor=None,
        meeting=m,
        text="D3",
        task="Việc còn xa",
        due_date=today + dt.timedelta(days=40),
        members=members,
    )
    html = as_persona("editor_a").get(reverse("home")).content.decode()
    assert "Việc quá hạn" in html and "Việc sắp đến" in html and "Việc còn xa" not in html
    assert "Sign the minutes" in html
    assert "Việc quá hạn" not in as_persona("viewer_a").get(reverse("home")).content.decode()


def test_attendance_is_listed_on_the_meeting_with_who_was_not_there(tree, as_persona):
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    m = attend(meeting(tree.cell_a1), members, excused=members[1:])
    html = as_persona("viewer_a").get(reverse("meetings:meeting_detail", args=[m.pk])).content
    assert "Đi làm ăn xa" in html.decode()
    assert Attendance.objects.filter(meeting=m).count() == 2


def test_the_calendar_lists_the_months_meetings_of_the_subtree(tree, as_persona):
    meeting(tree.cell_a1, dt.date(2024, 11, 5), place="Nhà văn hóa thôn")
    meeting(tree.cell_a2, dt.date(2024, 11, 20), kind="thematic")
    meeting(tree.cell_a2, dt.date(2024, 10, 20))
    html = (
        as_persona("viewer_a")
        .get(reverse("meetings:unit_calendar", args=[tree.commune_a.pk]), {"month": "11/2024"})
        .content.decode()
    )
    assert "Nhà văn hóa thôn" in html and "Chuyển đổi cây trồng vụ đông" in html
    assert "20/10/2024" not in html and "10/2024" in html  # the month before is a link


def test_a_cells_secretary_is_offered_the_cells_liaison_not_the_whole_committee_above(tree):
    from grassroots.accounts.models import RoleAssignment, User
    from grassroots.conftest import client_for

    from .helpers import commune_seat

    liaison_seat = commune_seat(tree.commune_a, "Hoàng Văn Phụ Trách")
    other = commune_seat(tree.commune_a, "Người Khác Của Xã")
    services.liaison_add(
        actor=None, seat=liaison_seat, unit=tree.cell_a1, from_date=dt.date(2024, 1, 1)
    )
    user = User.objects.create_user(username="bithu", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR)
    html = (
        client_for(user)
        .get(reverse("meetings:meeting_create", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert liaison_seat.display_name in html and other.display_name not in html


def test_the_meetings_tab_is_a_tab_of_the_unit_page_with_last_months_reminder(tree, as_persona):
    tab = reverse("meetings:unit_meetings", args=[tree.cell_a1.pk])
    overview = as_persona("viewer_a").get(
        reverse("organizations:unit_detail", args=[tree.cell_a1.pk])
    )
    html = overview.content.decode()
    assert tab in html and "recorded no regular meeting in" in html
    page = as_persona("viewer_a").get(tab).content.decode()
    assert f'href="{tab}" aria-current="page"' in page
    last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    meeting(tree.cell_a1, last.replace(day=10))
    html = as_persona("viewer_a").get(tab).content.decode()
    assert "recorded no regular meeting in" not in html


def test_the_liaisons_page_counts_the_meetings_each_attended(tree, as_persona):
    from .helpers import commune_seat

    members = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    seat = commune_seat(tree.commune_a)
    services.liaison_add(actor=None, seat=seat, unit=tree.cell_a1, from_date=dt.date(2024, 1, 1))
    for month, came in ((1, True), (2, False)):
        m = attend(meeting(tree.cell_a1, dt.date(2024, month, 10)), members)
        services.minutes_save(actor=None, meeting=m, minutes="x", visitor_attended=came)
    html = (
        as_persona("viewer_a")
        .get(reverse("meetings:unit_liaisons", args=[tree.commune_a.pk]))
        .content.decode()
    )
    assert seat.display_name in html
    assert re.search(r'<td class="num">2</td>\s*<td class="num">1</td>', html)


def test_removing_a_meeting_needs_the_editor_role_and_leads_back_to_the_tab(tree, as_persona):
    m = meeting(tree.cell_a1)
    assert (
        as_persona("viewer_a").post(reverse("meetings:meeting_delete", args=[m.pk])).status_code
        == 403
    )
    r = as_persona("editor_a").post(reverse("meetings:meeting_delete", args=[m.pk]))
    assert r.status_code == 302 and r["Location"] == reverse(
        "meetings:unit_meetings", args=[tree.cell_a1.pk]
    )
    assert not Meeting.objects.exists()
