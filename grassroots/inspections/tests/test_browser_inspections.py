"""Recording an inspection on a desktop (a commune's inspection commission: the plan's item, a
cell and a member, the conclusion) and reading the execution board on a 360 px phone, in
Debian's chromium: each page passes axe-core, weighs under the budget, and the phone never
scrolls sideways."""

import datetime as dt

import pytest

from grassroots.conftest import (
    assert_accessible,
    browser_login,
    no_sideways_scroll,
    page_weight,
    shot,
)
from grassroots.inspections.models import Inspection

from .helpers import admit_on, item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
WEIGHT_BUDGET = 200 * 1024


def check(page, name: str, *, phone: bool) -> str:
    page.wait_for_load_state("networkidle")
    weight = page_weight(page, name)
    assert weight <= WEIGHT_BUDGET, f"{name}: {weight / 1024:.1f} kB"
    if phone:
        assert no_sideways_scroll(page), name
    assert_accessible(page)
    shot(page, name)
    return page.content()


def test_recording_an_inspection_on_a_desktop_and_reading_the_board_on_a_phone(
    page, tree, manager_a
):
    member = admit_on(tree.cell_a1, "Lò Thị Kiểm", day=dt.date(2020, 1, 6))
    line = item(tree.commune_a, planned_count=2)
    page.set_viewport_size(DESKTOP)
    browser_login(page, "manager_a")

    page.goto(f"{page.base}/inspections/plans/{line.plan_id}/")
    check(page, "inspections-plan-desktop", phone=False)
    page.click("a[href*='/inspections/new/']")
    page.wait_for_load_state("networkidle")
    page.fill("[name=content]", "Việc chấp hành Điều lệ Đảng của chi bộ")
    page.fill("[name=team]", "Đồng chí Lò Văn Kiểm (trưởng đoàn)")
    page.fill("[name=start_date]", "10/04/2023")
    page.fill("[name=end_date]", "14/04/2023")
    page.get_by_label(tree.cell_a1.name).check()
    page.fill("[name=member_refs]", str(member.pk))
    check(page, "inspections-record-desktop", phone=False)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    found = Inspection.objects.get()
    assert (found.plan_item, found.kind) == (line, "inspection")
    assert "Lò Thị Kiểm" in check(page, "inspections-detail-desktop", phone=False)

    from django.urls import reverse

    conclusions = [
        reverse("inspections:unit_conclusion", args=[s.pk]) for s in found.subject_units.all()
    ] + [reverse("inspections:member_conclusion", args=[s.pk]) for s in found.subject_members.all()]
    for url in conclusions:
        page.goto(page.base + url)
        page.select_option("[name=conclusion]", "no_violation")
        page.click("button[type=submit].primary")
        page.wait_for_load_state("networkidle")
    page.click(f"a[href$='/inspections/{found.pk}/conclude/']")
    page.fill("[name=findings]", "Chi bộ duy trì sinh hoạt đều đặn")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    found.refresh_from_db()
    assert found.concluded_on == dt.date(2023, 4, 14)

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(
        f"{page.base}/inspections/execution/?unit={tree.commune_a.pk}&from=01/01/2023&to=31/12/2023"
    )
    text = check(page, "inspections-execution-phone", phone=True)
    assert "50.0%" in text or "50,0%" in text


def test_correcting_an_inspection_on_a_desktop_and_its_form_on_a_phone(page, tree, manager_a):
    from .helpers import inspection

    line = item(tree.commune_a, planned_count=3)
    found = inspection(tree.commune_a, units=[tree.cell_a1], plan_item=line)
    page.set_viewport_size(DESKTOP)
    browser_login(page, "manager_a")

    page.goto(f"{page.base}/inspections/{found.pk}/")
    check(page, "inspections-detail-before-edit-desktop", phone=False)
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**/inspections/{found.pk}/edit/")
    check(page, "inspections-edit-desktop", phone=False)
    assert page.input_value("[name=content]") == found.content
    assert page.get_by_label(tree.cell_a1.name).is_checked()
    page.fill("[name=team]", "Đồng chí Lò Văn Kiểm (trưởng đoàn), đồng chí Vàng Thị Dung")
    page.get_by_label(tree.cell_a2.name).check()
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/inspections/{found.pk}/")
    html = check(page, "inspections-detail-after-edit-desktop", phone=False)
    assert "Vàng Thị Dung" in html and tree.cell_a2.name in html
    assert {s.unit for s in found.subject_units.all()} == {tree.cell_a1, tree.cell_a2}

    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{page.base}/inspections/{found.pk}/edit/")
    check(page, "inspections-edit-phone", phone=True)
    page.goto(f"{page.base}/inspections/plans/items/{line.pk}/edit/")
    check(page, "inspections-plan-item-edit-phone", phone=True)
