"""The commune committee classifies a cell's members on a 360 px phone, in Debian's chromium:
the cell's page shows the quota of "excellent"; one "excellent" too many is refused with the
places counted; lowered to "well" the decisions are saved and the page shows the place used.
Every page: no serious axe-core violation, no sideways scrolling, its weight printed."""

import pytest

from grassroots.classifications.models import Classification, RuleSet
from grassroots.classifications.seeds import seed_rule_sets
from grassroots.conftest import (
    assert_accessible,
    browser_login,
    no_sideways_scroll,
    page_weight,
    shot,
)

from .helpers import computed_review, members_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEIGHT_BUDGET = 200 * 1024


def check(page, name: str) -> str:
    page.wait_for_load_state("networkidle")
    weight = page_weight(page, name)
    assert weight <= WEIGHT_BUDGET, f"{name}: {weight / 1024:.1f} kB"
    assert no_sideways_scroll(page), name
    assert_accessible(page)
    shot(page, name)
    return page.content()


def test_the_committee_classifies_a_cell_s_members_on_a_phone_with_the_quota_shown(
    page, tree, manager_a
):
    # A browser test empties the database around it, the rule sets seeded by the migration too.
    seed_rule_sets(RuleSet)
    members_of(tree.cell_a1, 6)
    review = computed_review(tree.commune_a, 2024)
    rows = list(
        Classification.objects.filter(review=review, subject="member").order_by("member__sort_name")
    )
    browser_login(page, "manager_a")
    page.goto(f"{page.base}/classifications/reviews/{review.pk}/cells/{tree.cell_a1.pk}/")
    check(page, "classifications-cell")
    assert page.locator(".quota h3").first.inner_text().startswith("Quota of")
    assert page.locator(".quota .stats li").first.inner_text().split()[0] == "0"  # no "well" yet
    page.get_by_role("link", name="Decide the members").first.click()
    check(page, "classifications-decide")
    for i, c in enumerate(rows):
        page.select_option(f"#id_level_{c.pk}", "excellent" if i < 2 else "well")
    page.get_by_role("button", name="Decide").click()
    html = check(page, "classifications-decide-beyond-quota")
    assert "beyond it" in html
    assert not Classification.objects.exclude(decided_level="").exists()
    page.select_option(f"#id_level_{rows[1].pk}", "well")
    page.get_by_role("button", name="Decide").click()
    html = check(page, "classifications-cell-decided")
    assert "6 decisions were recorded" in html
    assert Classification.objects.filter(decided_level="excellent").count() == 1
    used = page.locator(".quota .stats li").nth(1).inner_text()
    assert used.split()[0] == "1"
