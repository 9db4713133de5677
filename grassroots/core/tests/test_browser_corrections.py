"""The pages the register's corrections added or changed, walked as their users would: a cell's
secretary on a 360 px phone and a provincial officer on a desktop, each page with axe-core, no
sideways scrolling and its weight printed."""

import pytest
from django.utils import timezone

from grassroots.conftest import (
    assert_accessible,
    browser_login,
    no_sideways_scroll,
    page_weight,
    shot,
)
from grassroots.members.tests.page_helpers import admit
from grassroots.targets.services import review_adopt
from grassroots.targets.tests.core_helpers import resolution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, path: str, name: str) -> str:
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    assert no_sideways_scroll(page), name
    assert_accessible(page)
    page_weight(page, name)
    shot(page, name)
    return page.content()


def test_a_secretary_on_a_phone_finds_the_size_warning_and_a_past_days_two_answers(
    page, tree, manager_a
):
    admit(tree.cell_a1, full_name="Lò Văn Một")
    browser_login(page, "manager_a")

    html = visit(page, f"/units/{tree.cell_a1.pk}/", "corrections-cell-phone")
    assert "official members: a cell has at least 3" in html
    page.click("text=Units below the minimum size")
    page.wait_for_load_state("networkidle")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and tree.cell_a1.name in rows.first.inner_text()

    html = visit(page, f"/units/{tree.commune_a.pk}/?as_of=2025-12-31", "corrections-past-phone")
    assert "As the tree stood that day" in html
    page.click("text=Its present extent on that day")
    page.wait_for_load_state("networkidle")
    assert "extent=present" in page.url
    assert_accessible(page)
    assert no_sideways_scroll(page)


def test_a_probationary_members_discipline_form_offers_only_a_reprimand_or_a_warning(
    page, tree, manager_a
):
    member = admit(tree.cell_a1, full_name="Lò Văn Dự Bị")
    browser_login(page, "manager_a")
    visit(page, f"/members/{member.pk}/discipline/", "corrections-discipline-phone")
    offered = page.locator("select[name=level] option").evaluate_all(
        "options => options.map(o => o.value).filter(Boolean)"
    )
    assert sorted(offered) == ["reprimand", "warning"]


def test_a_provincial_officer_reads_an_adopted_review_beside_the_live_one_on_a_desktop(
    page, tree, manager_a
):
    page.set_viewport_size({"width": 1280, "height": 900})
    res = resolution(tree.commune_a)
    adopted = review_adopt(
        actor=manager_a, resolution=res, kind="mid_term", as_of=timezone.localdate()
    )
    browser_login(page, "manager_a")
    html = visit(page, f"/targets/{res.pk}/review/", "corrections-review-desktop")
    assert "Adopted reviews" in html
    html = visit(page, f"/targets/reviews/{adopted.pk}/", "corrections-adopted-desktop")
    assert "Kept as issued" in html
    html = visit(page, f"/units/{tree.commune_a.pk}/below-minimum/", "corrections-below-desktop")
    assert "Units below the minimum size" in html
