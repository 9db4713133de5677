import re

import pytest

from grassroots.conftest import assert_accessible, browser_login, shot

from . import page_helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_opens_the_tree_to_a_cell_page(page, tree, manager_a):
    """The reorganization pages that follow from the cell page are walked by
    grassroots/reorganizations/tests/test_browser_reorganizations.py."""
    page_helpers.admit(tree.cell_a1, full_name="Lò Văn Một")
    page_helpers.admit(tree.cell_a2, full_name="Giàng Thị Hai")
    browser_login(page, "manager_a")
    page.goto(page.base + "/units/")
    page.locator("button.tree-toggle", has_text="Xã Mường Hum").first.click()
    cell_link = page.get_by_role("link", name="Chi bộ thôn Mường Hum", exact=True)
    cell_link.wait_for()
    assert_accessible(page)
    shot(page, "units-tree-open")

    cell_link.click()
    page.wait_for_url(re.compile(rf"/units/{tree.cell_a1.pk}/$"))
    assert page.get_by_role("heading", name="Chi bộ thôn Mường Hum").is_visible()
    assert_accessible(page)
    shot(page, "units-cell-page")


def test_a_cell_secretary_reaches_the_work_of_her_cell_in_one_tap_on_a_phone(page, tree, editor_a):
    """On a 360 px phone the cell's page shows its members, candidates, statistics and the
    actions an editor may take as large buttons, without scrolling sideways."""
    from grassroots.conftest import no_sideways_scroll

    page_helpers.admit(tree.cell_a1, full_name="Lò Văn Một")
    browser_login(page, "editor_a")
    page.goto(f"{page.base}/units/{tree.cell_a1.pk}/")
    work = page.get_by_role("navigation", name=re.compile("."), exact=False).filter(
        has=page.locator(".work-links")
    )
    buttons = work.locator("a.button")
    # The member work (admit, propose, import…) and the work the other apps add for a cell
    # (a meeting, the month's self-assessment, feedback…), every one a tap away.
    assert buttons.count() == 10
    admit_button = work.locator("a.button.primary")
    assert admit_button.is_visible()
    box = admit_button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 360
    assert no_sideways_scroll(page)
    assert_accessible(page)
    shot(page, "units-cell-page-work")
    admit_button.click()
    page.wait_for_url(re.compile(rf"/members/admit/\?unit={tree.cell_a1.pk}$"))
