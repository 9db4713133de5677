"""The unit page shows what the apps above register through `organizations.hooks`, each piece
only to the roles it needs: the tree app itself names none of them."""

import pytest
from django.urls import reverse

from grassroots.core.access import Action
from grassroots.organizations import hooks


@pytest.fixture
def registry(monkeypatch):
    """A registry of this test's own, so that the installed apps' entries stay out of it."""
    fresh = hooks._Registry()
    monkeypatch.setattr(hooks, "registry", fresh)
    return fresh


def test_work_a_higher_app_registers_is_shown_only_to_the_roles_it_needs(
    tree, as_persona, registry
):
    hooks.register_work(hooks.UnitWork("list", "Read the list", lambda unit: "/list/"))
    hooks.register_work(
        hooks.UnitWork(
            "act", "Do the thing", lambda unit: "/act/", action=Action.CHANGE, writes=True
        )
    )
    url = reverse("organizations:unit_detail", args=[tree.cell_a1.pk])
    manager = as_persona("manager_a").get(url).content.decode()
    viewer = as_persona("viewer_a").get(url).content.decode()
    assert 'href="/list/"' in manager and 'href="/act/"' in manager
    assert 'href="/list/"' in viewer and 'href="/act/"' not in viewer


def test_without_providers_the_unit_pages_still_answer(tree, as_persona, registry):
    client = as_persona("viewer_a")
    for name in ("unit_detail", "unit_cells", "unit_below_minimum"):
        response = client.get(reverse(f"organizations:{name}", args=[tree.commune_a.pk]))
        assert response.status_code == 200, name
    assert (
        "stat-value"
        not in client.get(
            reverse("organizations:unit_detail", args=[tree.commune_a.pk])
        ).content.decode()
    )


def test_a_tab_and_a_notice_of_a_higher_app_appear_on_the_unit_page(tree, as_persona, registry):
    hooks.register_tab(hooks.UnitTab("extra", "Extra tab", lambda unit: f"/extra/{unit.pk}/"))
    hooks.register_notice("extra", lambda unit: f"{unit.code} needs attention")
    html = (
        as_persona("viewer_a")
        .get(reverse("organizations:unit_detail", args=[tree.commune_a.pk]))
        .content.decode()
    )
    assert f'href="/extra/{tree.commune_a.pk}/"' in html and "XA needs attention" in html
