"""The two journeys a new user takes, walked in Debian's chromium: a village cell's secretary on a
360 px phone (log in, see what is due, open her cell, admit a member — a bad date first) and a
provincial manager on a desktop (home, the province, its statistics, a review of its targets,
its audit tab). Every page: axe-core finds no serious or critical violation, nothing scrolls
sideways on the phone, and its weight (first load included) is printed and kept under 200 kB.

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
from grassroots.core.dates import add_months
from grassroots.core.rules import rule
from grassroots.members.models import Member
from grassroots.members.tests.page_helpers import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# About 200 kB over the wire for a typical page (DESIGN.md), the first load's assets included.
WEIGHT_BUDGET = 200 * 1024


def check(page, name: str, *, phone: bool) -> str:
    """The current page: its weight (before axe-core adds its script), accessibility, no
    sideways scrolling on a phone, and a screenshot kept as an artifact."""
    page.wait_for_load_state("networkidle")
    weight = page_weight(page, name)
    assert weight <= WEIGHT_BUDGET, f"{name}: {weight / 1024:.1f} kB"
    if phone:
        assert no_sideways_scroll(page), name
    assert_accessible(page)
    shot(page, name)
    return page.content()


def go(page, path: str, name: str, *, phone: bool) -> str:
    page.goto(page.base + path)
    return check(page, name, phone=phone)


def summary_has_focus(page) -> bool:
    return page.evaluate(
        "document.activeElement !== null"
        " && document.activeElement.hasAttribute('data-error-summary')"
    )


@pytest.fixture
def secretary(tree) -> User:
    """The secretary of the village cell XA-1: she may change that cell and nothing else."""
    user = User.objects.create_user(username="bithu", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR)
    return user


@pytest.fixture
def provincial_manager(tree) -> User:
    user = User.objects.create_user(username="tinhuy", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.province, role=RoleAssignment.Role.MANAGER)
    return user


def test_a_cell_secretary_on_a_phone_sees_what_is_due_opens_her_cell_and_admits_a_member(
    page, tree, secretary
):
    today = timezone.localdate()
    ends = today + dt.timedelta(days=20)
    ceremony = add_months(ends, -int(rule("probation_months")))
    admit(
        tree.cell_a1,
        full_name="Lò Thị Sắp Đến Hạn",
        decision_date=ceremony - dt.timedelta(days=5),
        ceremony_date=ceremony,
    )
    page.set_viewport_size(PHONE)

    # Log in: the home, her cell first, what is due.
    browser_login(page, "bithu")
    assert page.url.rstrip("/") == page.base.rstrip("/")
    html = check(page, "journey-secretary-home-phone", phone=True)
    assert page.locator(".home-unit-name").first.inner_text() == tree.cell_a1.name
    due = page.get_by_role("region", name=re.compile("What is due"))
    if due.count() == 0:  # a section named by its heading, whatever the role mapping
        due = page.locator("section", has=page.get_by_role("heading", name="What is due"))
    assert "Lò Thị Sắp Đến Hạn" in due.inner_text()
    assert "Official recognition" in html

    # Her cell, one tap away.
    page.locator(".home-unit-name").first.click()
    page.wait_for_url(re.compile(rf"/units/{tree.cell_a1.pk}/$"))
    check(page, "journey-secretary-cell-phone", phone=True)

    # Admit: the action her role allows, on the cell's page.
    page.get_by_role("link", name=re.compile(r"^Admit")).first.click()
    page.wait_for_url(re.compile(r"/members/admit/"))
    check(page, "journey-secretary-admit-phone", phone=True)

    decision = today - dt.timedelta(days=20)
    page.fill("input[name=full_name]", "Hoàng Thị Mai")
    page.select_option("select[name=gender]", "female")
    page.fill("input[name=birth_date]", "05/06/1998")
    page.select_option("select[name=ethnicity]", "tay")
    page.fill("input[name=decision_date]", decision.strftime("%d/%m/%Y"))
    page.fill("input[name=ceremony_date]", "31/02/2024")  # no such day
    page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state("networkidle")

    # The error summary says what is wrong, has the focus and leads to the field.
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible() and summary.get_attribute("role") == "alert"
    assert summary_has_focus(page)
    check(page, "journey-secretary-admit-error-phone", phone=True)
    assert page.locator("input[name=ceremony_date]").get_attribute("aria-invalid") == "true"
    summary.locator("a[href='#id_ceremony_date']").click()
    assert page.evaluate("document.activeElement.name") == "ceremony_date"
    assert not Member.objects.filter(full_name="Hoàng Thị Mai").exists()

    page.fill("input[name=ceremony_date]", (decision + dt.timedelta(days=5)).strftime("%d/%m/%Y"))
    page.locator("form button[type=submit].primary").click()
    page.wait_for_load_state("networkidle")
    member = Member.objects.get(full_name="Hoàng Thị Mai")
    assert member.unit == tree.cell_a1 and member.status == "probationary"
    assert page.url.endswith(f"/members/{member.pk}/")
    check(page, "journey-secretary-member-phone", phone=True)


def test_a_provincial_manager_on_a_desktop_reads_the_province_its_figures_review_and_audit(
    page, tree, provincial_manager
):
    from grassroots.targets.tests.core_helpers import indicator, resolution, target

    admit(tree.cell_a1, full_name="Lò Văn Một")
    admit(tree.cell_b1, full_name="Đinh Thị Hai")
    res = resolution(tree.province)
    target(res, indicator("IND-1"))
    page.set_viewport_size(DESKTOP)

    browser_login(page, "tinhuy")
    html = check(page, "journey-manager-home-desktop", phone=False)
    assert tree.province.name in html and "What is due" in html

    html = go(page, f"/units/{tree.province.pk}/", "journey-manager-province-desktop", phone=False)
    assert tree.province.name in html
    html = go(
        page,
        f"/members/stats/{tree.province.pk}/",
        "journey-manager-statistics-desktop",
        phone=False,
    )
    assert tree.province.name in html
    html = go(page, f"/targets/{res.pk}/review/", "journey-manager-review-desktop", phone=False)
    assert res.number in html
    html = go(
        page, f"/units/{tree.province.pk}/audit/", "journey-manager-audit-desktop", phone=False
    )
    assert "Kind" in html and "parent_id" not in html
