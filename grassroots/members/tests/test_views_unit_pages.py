"""What the member ledger adds to the unit pages (organizations.hooks): the figures, the members
under each unit, a past day's present extent, and the work a cell's page leads to — its members,
candidates and statistics, and the actions its roles allow — one tap away."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.members.models import Member
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create

from . import page_helpers


def admit(unit, name: str):
    return page_helpers.admit(unit, full_name=name)


def test_the_overview_shows_figures_and_the_cells_tab_counts_members(tree, as_persona):
    admit(tree.cell_a1, "Lò Văn Một")
    admit(tree.cell_a1, "Lò Văn Hai")
    client = as_persona("viewer_a")
    html = client.get(
        reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    ).content.decode()
    assert "Xã Mường Hum" in html and 'class="stat-value">2<' in html
    html = client.get(
        reverse("organizations:unit_cells", args=[tree.commune_a.pk])
    ).content.decode()
    assert '<td class="num">2</td>' in html
    html = client.get(
        reverse("organizations:unit_cells", args=[tree.commune_a.pk]), {"as_of": "2020-01-01"}
    ).content.decode()
    assert '<td class="num">2</td>' not in html


def count_queries(client, url, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **extra).status_code == 200
    return len(ctx.captured_queries)


def add_cells(parent, n, start=0):
    for i in range(start, start + n):
        cell = unit_create(
            actor=None,
            code=f"Q{parent.pk}-{i}",
            name=f"Chi bộ số {i}",
            kind=UnitKind.CELL,
            parent=parent,
            valid_from=dt.date(2016, 1, 1),
        )
        admit(cell, f"Lò Văn {i}")


def test_query_counts_of_the_unit_pages_with_members_do_not_grow_with_rows(tree, as_persona):
    client = as_persona("manager_a")
    urls = [
        (
            reverse("organizations:unit_children", args=[tree.commune_a.pk]),
            {"HTTP_HX_REQUEST": "true"},
        ),
        (
            reverse("organizations:unit_children", args=[tree.commune_a.pk]) + "?as_of=2024-01-01",
            {"HTTP_HX_REQUEST": "true"},
        ),
        (reverse("organizations:unit_cells", args=[tree.commune_a.pk]), {}),
        (reverse("organizations:unit_detail", args=[tree.commune_a.pk]), {}),
        (reverse("organizations:tree"), {}),
    ]
    add_cells(tree.commune_a, 2)
    few = [count_queries(client, url, **extra) for url, extra in urls]
    add_cells(tree.commune_a, 20, start=2)
    many = [count_queries(client, url, **extra) for url, extra in urls]
    assert few == many
    assert max(many) <= 25


def test_a_past_day_of_a_unit_that_existed_shows_the_tree_as_it_stood_and_links_the_present_extent(
    tree, as_persona
):
    url = reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    html = as_persona("manager_a").get(url, {"as_of": "2024-12-31"}).content.decode()
    assert "As the tree stood that day" in html
    stats = reverse("members:unit_stats", args=[tree.commune_a.pk])
    assert f'href="{stats}?as_of=31/12/2024&amp;extent=present"' in html
    assert "As the tree stood that day" not in as_persona("manager_a").get(url).content.decode()


WORK = {
    "members": "members:member_list",
    "candidates": "members:candidate_board",
    "admit": "members:member_admit",
    "propose": "members:candidate_propose",
    "import": "members:member_import",
}


def work_links(html: str, unit) -> dict[str, bool]:
    found = {name: f'href="{reverse(url)}?unit={unit.pk}"' in html for name, url in WORK.items()}
    found["statistics"] = f'href="{reverse("members:unit_stats", args=[unit.pk])}"' in html
    return found


@pytest.mark.parametrize(
    ("persona", "lists", "actions"),
    [
        ("admin", True, True),
        ("manager_a", True, True),
        ("editor_a", True, True),
        ("viewer_a", True, False),
    ],
)
def test_a_cells_page_leads_to_its_lists_and_to_the_actions_its_roles_allow(
    tree, as_persona, persona, lists, actions
):
    html = (
        as_persona(persona)
        .get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    found = work_links(html, tree.cell_a1)
    assert found["members"] == found["candidates"] == found["statistics"] == lists
    assert found["admit"] == found["propose"] == found["import"] == actions
    assert ('class="button primary" href="' + reverse("members:member_admit")) in html or not (
        actions
    )


def test_the_actions_lead_to_pages_the_role_may_open(tree, as_persona):
    client = as_persona("manager_a")
    html = client.get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk])).content.decode()
    for name, url in WORK.items():
        assert client.get(f"{reverse(url)}?unit={tree.cell_a1.pk}").status_code == 200, name
    assert work_links(html, tree.cell_a1)["admit"]


def test_a_commune_page_does_not_offer_to_admit_or_propose_in_it(tree, as_persona):
    html = (
        as_persona("manager_a")
        .get(reverse("organizations:unit_detail", args=[tree.commune_a.pk]))
        .content.decode()
    )
    found = work_links(html, tree.commune_a)
    assert found["members"] and found["statistics"] and found["import"]
    assert not found["admit"] and not found["propose"]


def test_a_closed_cell_offers_its_lists_but_no_action(tree, as_persona):
    from grassroots.organizations.models import Unit

    Unit.objects.filter(pk=tree.cell_a2.pk).update(valid_to=dt.date(2025, 7, 1))
    html = (
        as_persona("manager_a")
        .get(reverse("organizations:unit_detail", args=[tree.cell_a2.pk]))
        .content.decode()
    )
    found = work_links(html, tree.cell_a2)
    assert found["members"] and not found["admit"] and not found["import"]


def test_the_unit_pages_total_is_the_member_lists_default_count(tree, as_persona):
    """Counts agree: the page's "members" figure links to the list and counts the same people,
    a member in transit to another commune included (the record has not moved yet)."""
    for name in ("Lò Văn Một", "Lò Văn Hai", "Lò Văn Ba"):
        admit(tree.cell_a1, name)
    leaving = Member.objects.get(full_name="Lò Văn Ba")
    Member.objects.filter(pk=leaving.pk).update(transit_to=tree.cell_b1)
    client = as_persona("manager_a")
    html = client.get(
        reverse("organizations:unit_detail", args=[tree.commune_a.pk])
    ).content.decode()
    listed = client.get(reverse("members:member_list"), {"unit": tree.commune_a.pk})
    count = listed.context["page_obj"].paginator.count
    assert count == 3
    members_url = f"{reverse('members:member_list')}?unit={tree.commune_a.pk}"
    assert f'<a href="{members_url}"><span class="stat-value">{count}<' in html
