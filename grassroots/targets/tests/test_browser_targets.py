"""On a phone: a commune's editor enters a year's figures in the grid and submits them, the
commune's manager approves them, and the review of the resolution shows the band summary."""

from decimal import Decimal

import pytest

from grassroots.conftest import assert_accessible, browser_login, no_sideways_scroll, shot
from grassroots.targets.choices import ValueState
from grassroots.targets.models import DataValue

from .page_helpers import plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def states() -> dict[str, str]:
    return {v.indicator.code: v.state for v in DataValue.objects.select_related("indicator")}


def test_a_years_figures_are_entered_submitted_approved_and_reviewed_on_a_phone(
    page, tree, editor_a, manager_a
):
    p = plan(tree.commune_a)
    grid = f"{page.base}/targets/entry/{tree.commune_a.pk}/?period=2023"

    # The editor types the figures of 2023 the Vietnamese way, one of them first wrong.
    browser_login(page, "editor_a")
    page.goto(grid)
    assert (
        page.locator(f"#row-{p.admitted.pk}").count() == 1
    )  # computed from the records, read only
    assert page.locator(f"input[name='i{p.admitted.pk}-value']").count() == 0
    # On a phone each indicator is a card, the periods before as labelled lines.
    assert page.eval_on_selector(".entry-grid tbody", "e => getComputedStyle(e).display") == "block"
    assert no_sideways_scroll(page)
    assert_accessible(page)
    shot(page, "targets-entry-empty")

    page.fill(f"input[name='i{p.growth.pk}-value']", "7,7")
    page.fill(f"input[name='i{p.growth.pk}-source']", "Báo cáo của UBND xã")
    page.fill(f"input[name='i{p.poverty.pk}-value']", "124")
    page.click(f"#row-{p.poverty.pk} button[name=save_row]")
    page.wait_for_selector(f"#row-{p.poverty.pk} .error")
    assert "SOC-POOR" in page.locator(f"#row-{p.poverty.pk} .error").inner_text()
    assert not DataValue.objects.exists()
    shot(page, "targets-entry-row-refused")

    page.fill(f"input[name='i{p.poverty.pk}-value']", "24")
    page.click(f"#row-{p.poverty.pk} button[name=save_row]")
    page.wait_for_selector(f"#row-{p.poverty.pk} .message")
    assert states() == {"SOC-POOR": ValueState.DRAFT}

    page.fill(f"input[name='i{p.schools.pk}-numerator']", "30")
    page.fill(f"input[name='i{p.schools.pk}-denominator']", "41")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    assert states() == {
        "ECO-GROWTH": ValueState.SUBMITTED,
        "SOC-POOR": ValueState.SUBMITTED,
        "SOC-SCHOOLS": ValueState.SUBMITTED,
    }
    assert DataValue.objects.get(indicator=p.schools).value == Decimal("73.2")
    assert page.locator(f"input[name='i{p.growth.pk}-value']").count() == 0  # locked once submitted
    assert_accessible(page)
    shot(page, "targets-entry-submitted")

    # The commune's manager approves one row in place, then the rest at once.
    page.context.clear_cookies()
    browser_login(page, "manager_a")
    page.goto(grid)
    page.click(f"#row-{p.growth.pk} button[formaction*='/approve/']")
    page.wait_for_selector(f"#row-{p.growth.pk} .badge.ok")
    assert states()["ECO-GROWTH"] == ValueState.APPROVED
    page.click("button[name=action][value=approve]")
    page.wait_for_load_state("networkidle")
    assert set(states().values()) == {ValueState.APPROVED}
    assert_accessible(page)
    shot(page, "targets-entry-approved")

    # On a desktop the grid is a table: indicators down, periods across.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(grid)
    assert page.eval_on_selector(".entry-grid tbody", "e => getComputedStyle(e).display") == (
        "table-row-group"
    )
    assert page.locator(".entry-grid thead th").all_inner_texts()[1:] == ["2021", "2022", "2023"]
    shot(page, "targets-entry-desktop")
    page.set_viewport_size({"width": 360, "height": 780})

    # The resolution page: each target with its figure and progress chart, whose labels stay
    # at least 12 px on a phone.
    page.goto(f"{page.base}/targets/{p.resolution.pk}/")
    assert page.locator("svg.chart").count() == 4
    sizes = page.eval_on_selector_all(
        ".chart-label, .chart-legend li",
        "es => es.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 12
    assert_accessible(page)
    shot(page, "targets-resolution")

    # The mid-term review shows the summary by band.
    page.goto(f"{page.base}/targets/{p.resolution.pk}/review/?as_of=30/06/2024")
    summary = page.locator("#review .review-sentence").first.inner_text()
    assert ("1/4" in summary and "2/4" in summary) or ("1 of 4" in summary and "2 of 4" in summary)
    figures = page.locator("#review .stats .stat-value").all_inner_texts()
    assert figures == ["1/4", "2/4", "1/4", "0/4"]  # met, near, below, no data
    assert_accessible(page)
    shot(page, "targets-review")


def test_the_comparison_and_upload_pages_are_accessible_on_a_phone(page, tree, admin_user):
    from .page_helpers import approved

    p = plan(tree.commune_a)
    approved(p.growth, tree.commune_a, "2023", Decimal("6.8"), admin_user)
    approved(p.growth, tree.commune_b, "2023", Decimal("8.1"), admin_user)
    browser_login(page, "admin")
    page.goto(
        f"{page.base}/targets/compare/?unit={tree.province.pk}&indicator={p.growth.pk}&period=2023"
    )
    assert page.locator("figure.chart-box.bars").count() == 1
    sizes = page.eval_on_selector_all(
        ".hbar-label, .hbar-value", "es => es.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert sizes and min(sizes) >= 12
    assert_accessible(page)
    shot(page, "targets-comparison")
    page.goto(f"{page.base}/targets/upload/?unit={tree.commune_a.pk}")
    assert_accessible(page)
    page.goto(f"{page.base}/targets/?unit={tree.commune_a.pk}")
    assert_accessible(page)
    shot(page, "targets-resolution-list")
