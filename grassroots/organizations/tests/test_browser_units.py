import re

import pytest

from grassroots.conftest import assert_accessible, browser_login, shot
from grassroots.organizations.models import Lineage, Unit

from .helpers import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_opens_the_tree_to_a_cell_and_merges_two_cells_after_a_preview(
    page, tree, manager_a
):
    admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a2, "Giàng Thị Hai")
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

    page.get_by_role("link", name=re.compile("Merge with another unit|Hợp nhất")).click()
    page.get_by_label("Chi bộ Trường Tiểu học").check()
    assert page.get_by_label("Chi bộ thôn Mường Hum").is_checked()
    page.fill("#id_new_code", "XA-M")
    page.fill("#id_new_name", "Chi bộ thôn Mường Hum mới")
    page.fill("#id_effective_date", "01/07/2025")
    page.fill("#id_decision_number", "15-QĐ/ĐU")
    page.fill("#id_decision_date", "20/06/2025")
    page.fill("#id_issuer", "Đảng ủy xã Mường Hum")
    shot(page, "units-merge-form")
    page.locator("button[name=step][value=preview]").click()
    preview = page.locator(".preview")
    preview.wait_for()
    assert re.search(r"2", preview.inner_text())
    assert not Unit.objects.filter(code="XA-M").exists()
    assert_accessible(page)
    shot(page, "units-merge-preview")

    page.locator("button[name=confirm]").click()
    page.wait_for_url(re.compile(r"/units/\d+/$"))
    assert page.get_by_role("heading", name="Chi bộ thôn Mường Hum mới").is_visible()
    shot(page, "units-merge-done")
    new = Unit.objects.get(code="XA-M")
    assert set(Lineage.objects.filter(successor=new).values_list("predecessor", flat=True)) == {
        tree.cell_a1.pk,
        tree.cell_a2.pk,
    }
    assert new.members.count() == 2
    assert "2" in page.locator(".stats").inner_text()
