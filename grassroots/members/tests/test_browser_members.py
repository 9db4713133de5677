"""On a phone: a commune manager opens a cell's members, admits a member, later recognizes
them, and transfers another member from cell A1 to cell A2."""

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.conftest import assert_accessible, browser_login, shot
from grassroots.core.dates import add_months
from grassroots.members.choices import MemberStatus
from grassroots.members.models import Member

from .page_helpers import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def iso(day: dt.date) -> str:
    """As a person types it: dd/mm/yyyy."""
    return day.strftime("%d/%m/%Y")


def submit(page) -> None:
    page.click("main form.card button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_manager_admits_recognizes_and_transfers_members_on_a_phone(page, tree, manager_a):
    today = timezone.localdate()
    staying = admit(tree.cell_a1, full_name="Lò Văn Chuyển")

    browser_login(page, "manager_a")
    page.goto(f"{page.base}/members/?unit={tree.cell_a1.pk}")
    assert page.locator("h1").inner_text().endswith(tree.cell_a1.name)
    assert_accessible(page)
    shot(page, "members-cell-list")

    # Search without diacritics narrows the list in place.
    page.fill("input[name=q]", "lo van")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("document.querySelectorAll('#member-results tbody tr').length === 1")
    assert "Lò Văn Chuyển" in page.locator("#member-results").inner_text()

    # Admit a new member, decided 14 months ago so that probation has ended by today.
    decision = add_months(today, -14)
    page.click(f"a[href='/members/admit/?unit={tree.cell_a1.pk}']")
    page.fill("input[name=full_name]", "Hoàng Thị Mai")
    page.select_option("select[name=gender]", "female")
    page.fill("input[name=birth_date]", "05/06/1998")
    page.select_option("select[name=ethnicity]", "tay")
    page.select_option("select[name=general_education]", "upper_secondary")
    page.fill("input[name=occupation]", "Giáo viên")
    page.fill("input[name=decision_date]", iso(decision))
    page.fill("input[name=ceremony_date]", iso(decision + dt.timedelta(days=7)))
    page.fill("input[name=decision_number]", "45-QĐ/ĐU")
    shot(page, "members-admit-form")
    submit(page)
    mai = Member.objects.get(full_name="Hoàng Thị Mai")
    assert page.url.endswith(f"/members/{mai.pk}/")
    assert mai.status == MemberStatus.PROBATIONARY and mai.unit == tree.cell_a1
    assert_accessible(page)
    shot(page, "members-admitted")

    # Later: recognize her as an official member.
    page.click(f"a[href='/members/{mai.pk}/recognize/']")
    page.fill("input[name=decision_date]", iso(today))
    page.fill("input[name=decision_number]", "88-QĐ/ĐU")
    submit(page)
    mai.refresh_from_db()
    assert mai.status == MemberStatus.OFFICIAL
    assert mai.official_date == add_months(decision + dt.timedelta(days=7), 12)
    shot(page, "members-recognized")

    # Transfer another member from A1 to A2: the introduction, then the arrival.
    page.goto(f"{page.base}/members/{staying.pk}/")
    page.click(f"a[href='/members/{staying.pk}/transfer-out/']")
    page.check("input[name=mode][value=official]")
    page.select_option("select[name=to_unit]", str(tree.cell_a2.pk))
    page.fill("input[name=date]", iso(today - dt.timedelta(days=2)))
    shot(page, "members-transfer-out")
    submit(page)
    staying.refresh_from_db()
    assert staying.transit_to == tree.cell_a2
    page.click(f"a[href='/members/{staying.pk}/arrival/']")
    page.fill("input[name=date]", iso(today))
    submit(page)
    staying.refresh_from_db()
    assert staying.unit == tree.cell_a2 and staying.transit_to is None
    assert_accessible(page)
    shot(page, "members-transferred")

    page.goto(f"{page.base}/members/?unit={tree.cell_a2.pk}")
    assert "Lò Văn Chuyển" in page.locator("#member-results").inner_text()
    shot(page, "members-cell-a2-list")


def test_the_statistics_candidates_and_import_pages_are_accessible_on_a_phone(
    page, tree, manager_a
):
    from grassroots.members.services import candidate_propose

    admit(tree.cell_a1, full_name="Lò Văn Một")
    admit(tree.cell_a2, full_name="Vàng Thị Hai", gender="female", ethnicity="mong")
    candidate_propose(
        actor=None,
        unit=tree.cell_a1,
        full_name="Giàng A Dình",
        gender="male",
        birth_date=dt.date(2001, 1, 1),
        ethnicity="mong",
        proposed_by="youth_union",
        proposed_on=timezone.localdate() - dt.timedelta(days=30),
    )
    browser_login(page, "manager_a")
    page.goto(f"{page.base}/members/stats/{tree.commune_a.pk}/")
    assert page.locator(".stat-value").first.inner_text() == "2"
    assert_accessible(page)
    shot(page, "members-stats")

    page.goto(f"{page.base}/members/candidates/?unit={tree.commune_a.pk}")
    card = page.locator(".candidate-card", has_text="Giàng A Dình")
    card.locator("a[href*='/advance/']").click()
    page.wait_for_selector(".candidate-card form")
    page.fill(".candidate-card form input[name=date]", iso(timezone.localdate()))
    page.click(".candidate-card form button[type=submit]")
    page.wait_for_load_state("networkidle")
    column = page.locator("section.board-column", has=page.locator("#stage-course_completed"))
    column.locator(".candidate-card", has_text="Giàng A Dình").wait_for()
    assert_accessible(page)
    shot(page, "members-candidates")

    page.goto(f"{page.base}/members/import/?unit={tree.cell_a1.pk}")
    assert_accessible(page)
    shot(page, "members-import")


def test_the_member_list_is_cards_on_a_phone_and_a_table_on_a_desktop(page, tree, manager_a):
    from grassroots.conftest import no_sideways_scroll

    admit(tree.cell_a1, full_name="Lò Văn Chuyển")
    admit(tree.cell_a2, full_name="Vàng Thị Hai")
    browser_login(page, "manager_a")
    page.goto(f"{page.base}/members/?unit={tree.commune_a.pk}")
    card = page.locator("#member-results tr.member-card").first
    assert card.evaluate("row => getComputedStyle(row).display") == "grid"
    # The column headers stay for screen readers only (a 1 px clipped box).
    assert page.locator("#member-results thead").bounding_box()["height"] <= 1
    assert not page.locator("#member-results tr.member-card .member-gender").first.is_visible()
    assert page.locator("#member-results .member-date").first.is_visible()
    assert no_sideways_scroll(page)
    assert_accessible(page)
    shot(page, "members-list-cards")

    page.set_viewport_size({"width": 1280, "height": 800})
    assert card.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert page.locator("#member-results thead").bounding_box()["height"] > 10
    assert page.locator("#member-results tr.member-card .member-gender").first.is_visible()
    shot(page, "members-list-table")
