"""A cell secretary fills November's self-assessment on a 360 px phone — one group per screen,
the total following what she types and never hiding the field she types in — and submits it;
the commune's manager accepts it from the review queue. Every page: no serious axe-core
violation, no sideways scrolling on the phone, its weight printed and kept under 200 kB, a
screenshot kept."""

import pytest

from grassroots.accounts.models import RoleAssignment, User
from grassroots.assessments.models import MonthlyAssessment
from grassroots.conftest import (
    assert_accessible,
    browser_login,
    no_sideways_scroll,
    page_weight,
    shot,
)

from .helpers import make_framework, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEIGHT_BUDGET = 200 * 1024


def check(page, name: str, *, phone: bool = True) -> None:
    page.wait_for_load_state("networkidle")
    weight = page_weight(page, name)
    assert weight <= WEIGHT_BUDGET, f"{name}: {weight / 1024:.1f} kB"
    if phone:
        assert no_sideways_scroll(page), name
    assert_accessible(page)
    shot(page, name)


def visible_steps(page) -> int:
    return page.evaluate(
        "Array.from(document.querySelectorAll('.group-step')).filter(s => !s.hidden).length"
    )


def covered_by_total(page, field) -> bool:
    """Whether the sticky running total lies over any part of the field on screen."""
    bar = page.locator(".month-total").bounding_box()
    box = field.bounding_box()
    return box["y"] < bar["y"] + bar["height"] and box["y"] + box["height"] > bar["y"]


def assert_clear_when_scrolled_into_view(page, field) -> None:
    """Scrolled into view at the top, where the total sticks, the field stops below it."""
    field.evaluate("e => e.scrollIntoView({block: 'start'})")
    assert not covered_by_total(page, field), "scrolled into view behind the total"


def assert_focus_brings_it_out(page, field) -> None:
    """A field scrolled under the total by hand comes out from under it when focused."""
    page.evaluate("y => window.scrollBy(0, y)", field.bounding_box()["y"] - 4)
    assert covered_by_total(page, field)  # the case at stake: the field is under the bar
    field.focus()
    assert not covered_by_total(page, field), "focused behind the total"


def fill_visible_group(page) -> None:
    """Every criterion of the group on screen at its maximum (the last choice of a list)."""
    step = page.locator(".group-step:not([hidden])")
    for i in range(step.locator(".score").count()):
        field = step.locator(".score").nth(i)
        if field.evaluate("e => e.tagName") == "SELECT":
            values = field.evaluate("e => Array.from(e.options).map(o => o.value)")
            best = max((v for v in values if v), key=float)
            field.select_option(best)
        else:
            field.fill(field.get_attribute("data-max"))


def test_a_secretary_fills_a_month_on_a_phone_and_the_commune_accepts_it(tree, page, manager_a):
    registration = register(tree, make_framework(tree))
    secretary = User.objects.create_user(username="bi_thu_a1", password="pass-12345-word")
    RoleAssignment.objects.create(
        user=secretary, unit=tree.cell_a1, role=RoleAssignment.Role.EDITOR
    )
    browser_login(page, "bi_thu_a1")
    page.goto(f"{page.base}/assessments/registrations/{registration.pk}/months/11/")
    check(page, "assessment-month-form-phone")

    assert visible_steps(page) == 1
    assert page.locator("#month-total-value").inner_text() == "0"
    fill_visible_group(page)
    assert page.locator("#month-total-value").inner_text() == "20"
    first_score = page.locator(".group-step:not([hidden]) .score").first
    first_score.fill("12")
    assert page.locator("#month-total-value").inner_text() == "12"
    first_score.fill("20")
    for group in range(2, 5):
        page.click("[data-step=next]")
        assert visible_steps(page) == 1
        fill_visible_group(page)
        assert page.locator("#month-total-value").inner_text() == str(20 + 25 * (group - 1))
    assert (
        "Excellent" in page.locator("#month-total-band").inner_text()
        or page.locator("#month-total-band").inner_text()
    )
    notes = page.locator(".group-step:not([hidden]) input[name^=note_]")
    assert_clear_when_scrolled_into_view(page, notes.last)
    assert_clear_when_scrolled_into_view(page, page.locator("textarea[name=note]"))
    assert_focus_brings_it_out(page, notes.first)
    shot(page, "assessment-month-form-filled-phone")
    page.fill("textarea[name=note]", "Sinh hoạt chuyên đề khắc phục hậu quả bão số 3")
    page.click("button[name=submit]")
    page.wait_for_load_state("networkidle")
    check(page, "assessment-month-submitted-phone")

    month = MonthlyAssessment.objects.get(registration=registration, month=11)
    assert (month.status, str(month.total)) == ("submitted", "95.00")

    page.context.clear_cookies()
    browser_login(page, "manager_a")
    page.goto(f"{page.base}/assessments/review/")
    check(page, "assessment-review-queue-phone")
    page.click("form[action$='/accept/'] button")
    page.wait_for_load_state("networkidle")
    check(page, "assessment-review-queue-after-phone")
    month.refresh_from_db()
    assert (month.status, month.reviewed_by) == ("accepted", manager_a)

    page.goto(f"{page.base}/assessments/units/{tree.commune_a.pk}/?year=2024")
    check(page, "assessment-board-phone")
    assert "95.00" in page.content()


def test_a_provincial_officer_reads_the_province_board_by_commune(tree, page):
    """The province's board sums each commune's cells; the officer opens a commune's board from
    it. On a desktop and on a 360 px phone."""
    from grassroots.assessments import services

    from .helpers import fill

    framework = make_framework(tree)
    for unit in (tree.cell_a1, tree.cell_a2, tree.cell_b1):
        month = services.assessment_submit(
            actor=None, assessment=fill(register(tree, framework, unit=unit), 1)
        )
        services.assessment_accept(actor=None, assessment=month)
    User.objects.create_superuser(username="ban_to_chuc", password="pass-12345-word")
    browser_login(page, "ban_to_chuc")
    for width, label in ((1280, "desktop"), (360, "phone")):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{page.base}/assessments/units/{tree.province.pk}/?year=2024")
        check(page, f"assessment-province-board-{label}", phone=width == 360)
        summed = page.locator("table.heat").last
        assert summed.get_by_role("link", name=tree.commune_a.name).is_visible() or width == 360
        assert "2/2" in summed.inner_text() and "1/1" in summed.inner_text()
        assert tree.cell_a1.name not in page.content()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("table.heat").last.get_by_role("link", name=tree.commune_a.name).click()
    page.wait_for_load_state("networkidle")
    check(page, "assessment-commune-board-from-province-desktop", phone=False)
    assert tree.cell_a1.name in page.content() and tree.cell_a2.name in page.content()
