"""The member record's section of the meetings: a member's assignments with their status, due
date and a link to the meeting — only those of meetings the reader may see, none at all when
there are none — in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import client_for
from grassroots.meetings import services
from grassroots.members.services import member_transfer_in, member_transfer_out

from .helpers import HELD, cell_members, meeting

pytestmark = pytest.mark.django_db

TITLE = "Assignments from meetings"


def record(member) -> str:
    return reverse("members:member_detail", args=[member.pk])


def assign(m, members, task, due=HELD + dt.timedelta(days=20)):
    return services.decision_add(
        actor=None, meeting=m, text=f"Giao: {task}", task=task, due_date=due, members=members
    ).assignments.get()


def test_a_members_record_lists_their_assignments_with_status_due_date_and_meeting(tree, viewer_a):
    pa, dung = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung"))
    m = meeting(tree.cell_a1)
    assign(m, [pa], "Vận động 10 hộ trồng ngô vụ đông", due=HELD)  # long overdue
    done = assign(m, [pa, dung], "Sửa kênh mương nội đồng")
    services.assignment_set_status(
        actor=None, assignment=done, status="done", day=HELD + dt.timedelta(days=10)
    )
    assign(m, [dung], "Dọn vệ sinh đường làng")

    page = client_for(viewer_a).get(record(pa))
    html = page.content.decode()
    assert page.status_code == 200 and TITLE in html
    assert "Vận động 10 hộ trồng ngô vụ đông" in html and "Sửa kênh mương nội đồng" in html
    assert "Dọn vệ sinh đường làng" not in html  # Dung's, not Pả's
    assert "Overdue" in html and "Done" in html
    assert HELD.strftime("%d/%m/%Y") in html
    assert reverse("meetings:meeting_detail", args=[m.pk]) in html
    assert reverse("meetings:member_assignments", args=[pa.pk]) in html
    # The open (overdue) one comes before the done one.
    assert html.index("Vận động 10 hộ") < html.index("Sửa kênh mương")


def test_a_member_without_assignments_has_no_such_section(tree, viewer_a):
    (pa,) = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    meeting(tree.cell_a1)
    html = client_for(viewer_a).get(record(pa)).content.decode()
    assert TITLE not in html


def test_a_reader_who_cannot_see_the_meetings_unit_does_not_get_its_assignments(
    tree, admin_user, outsider
):
    (pa,) = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    assign(meeting(tree.cell_a1), [pa], "Vận động 10 hộ trồng ngô vụ đông")
    # Pả moves to commune B: its manager now sees the record, not cell A1's meeting.
    member_transfer_out(actor=None, member=pa, to_unit=tree.cell_b1, date=dt.date(2024, 5, 2))
    member_transfer_in(actor=None, member=pa, date=dt.date(2024, 5, 6))
    seen_by_outsider = client_for(outsider).get(record(pa))
    assert seen_by_outsider.status_code == 200
    html = seen_by_outsider.content.decode()
    assert TITLE not in html and "Vận động 10 hộ" not in html
    # Who sees both subtrees sees what cell A1 gave Pả to do.
    assert "Vận động 10 hộ" in client_for(admin_user).get(record(pa)).content.decode()


def test_the_section_costs_the_same_queries_for_one_assignment_or_many(tree, viewer_a):
    (pa,) = cell_members(tree.cell_a1, names=("Lò Văn Pả",))
    client = client_for(viewer_a)
    first = meeting(tree.cell_a1)
    assign(first, [pa], "Việc thứ nhất")
    client.get(record(pa))  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        assert "Việc thứ nhất" in client.get(record(pa)).content.decode()
    for month in (4, 5, 6):
        later = meeting(tree.cell_a1, day=dt.date(2024, month, 12))
        for i in range(3):
            assign(later, [pa], f"Việc {month}-{i}", due=dt.date(2024, month, 28))
    with CaptureQueriesContext(connection) as many:
        html = client.get(record(pa)).content.decode()
    assert "Việc 6-2" in html
    assert len(many) == len(one)
