"""A manager merges two cells from a cell's page, after a preview, on a phone; then renames the
merged cell (the form, the preview, the confirmation)."""

import re

import pytest

from grassroots.conftest import assert_accessible, browser_login, shot
from grassroots.organizations.models import Lineage, Reorganization, Unit

from .helpers import admit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_decision(page, number: str = "15-QĐ/ĐU", effective: str = "01/07/2025") -> None:
    page.fill("#id_effective_date", effective)
    page.fill("#id_decision_number", number)
    page.fill("#id_decision_date", "20/06/2025")
    page.fill("#id_issuer", "Đảng ủy xã Mường Hum")


def test_a_manager_merges_two_cells_after_a_preview_then_renames_the_merged_cell(
    page, tree, manager_a
):
    admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a2, "Giàng Thị Hai")
    browser_login(page, "manager_a")
    page.goto(page.base + f"/units/{tree.cell_a1.pk}/")

    page.get_by_role("link", name=re.compile("Merge with another unit|Hợp nhất")).click()
    page.get_by_label("Chi bộ Trường Tiểu học").check()
    assert page.get_by_label("Chi bộ thôn Mường Hum").is_checked()
    page.fill("#id_new_code", "XA-M")
    page.fill("#id_new_name", "Chi bộ thôn Mường Hum mới")
    fill_decision(page)
    assert_accessible(page)
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

    page.goto(page.base + f"/units/{new.pk}/rename/")
    page.fill("#id_new_name", "Chi bộ bản Mường Hum")
    fill_decision(page, "16-QĐ/ĐU", effective="02/07/2025")  # after the merged cell began
    page.locator("button[name=step][value=preview]").click()
    page.locator(".preview").wait_for()
    assert "Chi bộ bản Mường Hum" in page.locator(".preview").inner_text()
    assert_accessible(page)
    shot(page, "units-rename-preview")
    page.locator("button[name=confirm]").click()
    page.wait_for_url(re.compile(rf"/units/{new.pk}/$"))
    assert page.get_by_role("heading", name="Chi bộ bản Mường Hum").is_visible()
    assert Reorganization.objects.filter(created_by=manager_a).count() == 2
