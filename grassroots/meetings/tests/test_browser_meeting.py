"""A village cell's secretary records this month's meeting on a 360 px phone, in Debian's
chromium: the cell's Meetings tab, a new meeting, its attendance (an excused member without a
reason first), and a decision with an assignment to two members. Every page: no serious axe-core
violation, no sideways scrolling, its weight printed and kept under 200 kB, a screenshot kept.

Written against URLs and visible labels, so that the pages may change shape underneath."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from grassroots.accounts.models import RoleAssignment, User
from grassroots.conftest import (
    assert_accessible,
    browser_login,
    no_sideways_scroll,
    page_weight,
    shot,
)
from grassroots.meetings.models import Assignment, Meeting

from .helpers import cell_members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WEIGHT_BUDGET = 200 * 1024


def check(page, name: str) -> str:
    page.wait_for_load_state("networkidle")
    weight = page_weight(page, name)
    assert weight <= WEIGHT_BUDGET, f"{name}: {weight / 1024:.1f} kB"
    assert no_sideways_scroll(page), name
    assert_accessible(page)
    shot(page, name)
    return page.content()


def test_a_secretary_records_a_meeting_with_an_assignment_on_a_phone(page, tree):
    user = User.objects.create_user(username="bithu", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR)
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung", "Giàng A Chá"))
    held = timezone.localdate() - dt.timedelta(days=1)
    page.set_viewport_size(PHONE)
    browser_login(page, "bithu")

    page.goto(page.base + f"/meetings/units/{tree.cell_a1.pk}/")
    check(page, "meetings-cell-tab-phone")
    page.get_by_role("link", name="New meeting").first.click()
    page.wait_for_url(re.compile(r"/new/$"))
    check(page, "meetings-new-phone")
    page.select_option("select[name=kind]", "extraordinary")
    page.fill("input[name=date]", held.strftime("%d/%m/%Y"))
    page.fill("input[name=place]", "Nhà văn hóa thôn")
    page.fill("textarea[name=agenda]", "1. Khắc phục sạt lở\n2. Phân công đảng viên")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    check(page, "meetings-detail-phone")

    page.get_by_role("link", name="Record attendance").click()
    page.wait_for_url(re.compile(r"/attendance/$"))
    check(page, "meetings-attendance-phone")
    row = page.locator(f"#row-{members[2].pk}")
    row.get_by_label("Excused", exact=True).check()
    page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible() and "Giàng A Chá" in summary.inner_text()
    check(page, "meetings-attendance-error-phone")
    page.fill(f"input[name=reason_{members[2].pk}]", "Đi làm ăn xa")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.excused_count, meeting.expected_count) == (2, 1, 3)

    page.get_by_role("link", name="Add a decision").click()
    page.wait_for_url(re.compile(r"/decisions/add/$"))
    check(page, "meetings-decision-phone")
    page.fill("textarea[name=text]", "Vận động các hộ di dời khỏi vùng sạt lở")
    page.fill("textarea[name=task]", "Vận động 4 hộ ở xóm dưới")
    page.fill("input[name=due_date]", (held + dt.timedelta(days=14)).strftime("%d/%m/%Y"))
    page.get_by_label("Lò Văn Pả").check()
    page.get_by_label("Vàng Thị Dung").check()
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))
    html = check(page, "meetings-detail-with-assignment-phone")
    assignment = Assignment.objects.get()
    assert set(assignment.members.all()) == set(members[:2])
    assert "Vận động 4 hộ ở xóm dưới" in html

    # The minutes and the attendance sheet, printable from the phone too.
    page.get_by_role("link", name="Print the minutes").click()
    page.wait_for_url(re.compile(r"/print/minutes/$"))
    html = check(page, "meetings-minutes-print-phone")
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html and "Vận động 4 hộ ở xóm dưới" in html
    page.goto(page.base + f"/meetings/{meeting.pk}/print/attendance/")
    check(page, "meetings-attendance-sheet-phone")

    # Pả's record lists the assignment, with its due date and the way back to the meeting.
    page.goto(page.base + f"/members/{members[0].pk}/")
    html = check(page, "meetings-member-record-assignments-phone")
    assert "Assignments from meetings" in html and "Vận động 4 hộ ở xóm dưới" in html
    page.get_by_role("link", name=re.compile("meeting of")).first.click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.pk}/$"))

    # The secretary's main menu leads to the everyday work, not to the administration.
    nav = page.get_by_role("navigation", name="Main")
    for label in ("Meetings", '"4 good"', "Inspections", "Feedback", "Classifications"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible(), label
    assert nav.get_by_role("link", name="Administration").count() == 0


def test_an_officer_reads_the_findings_on_a_desktop_and_on_a_phone(page, tree):
    # The province's officer on a desktop: the counts over every cell, the table of cells, one
    # cell's low attendance leading to its meeting; then the same page on a phone.
    from .helpers import attend, meeting

    officer = User.objects.create_user(username="tinhuy", password="pass-12345-word")
    RoleAssignment.objects.create(user=officer, unit=tree.province, role=RoleAssignment.Role.VIEWER)
    members = cell_members(tree.cell_a1, names=("Lò Văn Pả", "Vàng Thị Dung", "Giàng A Chá"))
    year = timezone.localdate().year - 1
    low = attend(meeting(tree.cell_a1, dt.date(year, 3, 10)), members, absent=members[:2])
    browser_login(page, "tinhuy")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + f"/meetings/units/{tree.province.pk}/findings/?year={year}")
    html = check(page, "meetings-findings-province-desktop")
    assert "Chi bộ thôn Mường Hum" in html and "1/3 = 33.3%" in html
    page.get_by_role("link", name=f"10/03/{year}").first.click()  # low, and unsigned
    page.wait_for_url(re.compile(rf"/meetings/{low.pk}/$"))
    page.set_viewport_size(PHONE)
    page.goto(page.base + f"/meetings/units/{tree.province.pk}/findings/?year={year}")
    check(page, "meetings-findings-province-phone")
