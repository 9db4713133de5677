"""A citizen on a 360 px phone finds her commune, sends feedback (a too-long subject first),
keeps her tracking code and follows it; the commune's staff answer it; she reads the answer and
says she is satisfied. Every page: axe-core finds no serious violation, nothing scrolls sideways
on the phone, and its weight is printed and kept under budget."""

import re

import pytest

from grassroots.conftest import (
    assert_accessible,
    browser_login,
    no_sideways_scroll,
    page_weight,
    shot,
)
from grassroots.feedback.models import Feedback

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


def test_a_citizen_sends_and_follows_feedback_on_a_phone_and_staff_answer_it(
    page, browser, live_server, tree, editor_a
):
    page.set_viewport_size(PHONE)

    # The citizen finds her commune by typing its name without accents.
    page.goto(page.base + "/feedback/send/")
    check(page, "feedback-public-start-phone")
    page.fill("input[name=q]", "muong hum")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=tree.commune_a.name).click()
    page.wait_for_url(re.compile(rf"/feedback/send/{tree.commune_a.pk}/$"))
    check(page, "feedback-public-form-phone")

    page.select_option("select[name=place]", str(tree.cell_a1.pk))
    page.select_option("select[name=category]", "petition")
    page.fill("input[name=subject]", "Đèn đường")
    page.fill("textarea[name=body]", "Đoạn đường từ nhà văn hóa ra chợ rất tối, xin lắp đèn.")
    page.fill("input[name=citizen_name]", "Lò Thị Mai")
    page.fill("input[name=citizen_phone]", "abc")  # not a phone number
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    check(page, "feedback-public-form-error-phone")
    assert not Feedback.objects.exists()

    page.fill("input[name=citizen_phone]", "0912 345 678")
    page.get_by_role("button", name="Send").click()
    page.wait_for_load_state("networkidle")
    feedback = Feedback.objects.get()
    code = page.locator("[data-tracking-code]").inner_text().strip()
    assert code == feedback.display_code
    check(page, "feedback-public-sent-phone")

    page.get_by_role("link", name="Follow your feedback").click()
    html = check(page, "feedback-public-track-phone")
    assert "Not answered yet." in html and "Lò Thị Mai" not in html and "0912 345" not in html

    # The commune's staff answer it, on a phone too.
    staff = browser.new_context(viewport=PHONE)
    desk = staff.new_page()
    desk.set_default_timeout(15_000)
    desk.base = live_server.url
    browser_login(desk, editor_a.username)
    desk.goto(desk.base + "/feedback/")
    check(desk, "feedback-staff-list-phone")
    desk.get_by_role("link", name=feedback.display_code).click()
    html = check(desk, "feedback-staff-detail-phone")
    assert "Lò Thị Mai" in html
    desk.get_by_role("link", name="Answer", exact=True).click()
    check(desk, "feedback-staff-answer-phone")
    desk.fill("textarea[name=answer]", "Xã đã đưa việc lắp đèn vào kế hoạch tháng tới.")
    desk.locator("form button[type=submit].primary").click()
    desk.wait_for_load_state("networkidle")
    assert desk.url.endswith(f"/feedback/{feedback.pk}/")
    check(desk, "feedback-staff-answered-phone")
    staff.close()
    feedback.refresh_from_db()
    assert feedback.status == "answered"

    # The citizen reads the answer with her code and says she is satisfied.
    page.goto(page.base + "/feedback/track/")
    page.fill("input[name=code]", code.lower())
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state("networkidle")
    html = check(page, "feedback-public-answer-phone")
    assert "kế hoạch tháng tới" in html
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_role("button", name="Send my opinion").click()
    page.wait_for_load_state("networkidle")
    check(page, "feedback-public-satisfied-phone")
    feedback.refresh_from_db()
    assert feedback.satisfaction == "satisfied"


def test_staff_reopen_answered_feedback_with_a_reason_on_a_phone(page, tree, editor_a):
    from grassroots.feedback import services
    from grassroots.feedback.tests.helpers import receive

    feedback = services.feedback_answer(
        actor=editor_a,
        feedback=receive(tree.commune_a),
        answer="Xã đã sửa đường xong.",
    )
    page.set_viewport_size(PHONE)
    browser_login(page, editor_a.username)
    page.goto(page.base + f"/feedback/{feedback.pk}/")
    check(page, "feedback-staff-answered-detail-phone")
    page.get_by_role("link", name="Reopen", exact=True).click()
    page.wait_for_url(re.compile(rf"/feedback/{feedback.pk}/reopen/$"))
    check(page, "feedback-staff-reopen-phone")
    page.locator("form button[type=submit].primary").click()  # no reason yet
    page.wait_for_load_state("networkidle")
    check(page, "feedback-staff-reopen-error-phone")
    feedback.refresh_from_db()
    assert feedback.status == "answered"
    page.fill("textarea[name=reason]", "Người dân báo đoạn gần chợ vẫn chưa sửa.")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(rf"/feedback/{feedback.pk}/$"))
    html = check(page, "feedback-staff-reopened-phone")
    assert "Người dân báo đoạn gần chợ vẫn chưa sửa." in html
    feedback.refresh_from_db()
    assert feedback.status == "in_progress" and feedback.answered_on is None
