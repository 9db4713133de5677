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
