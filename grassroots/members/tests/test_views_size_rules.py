"""Size rules: a cell below 3 official members and a grassroots committee below its minimum
(rule settings) are warned on the unit page and listed per subtree, on a page and in the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.core.models import RuleSetting
from grassroots.members.models import Member, Membership
from grassroots.members.size_rules import unit_size_warning, units_below_minimum
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create

from . import page_helpers


def admit(unit, name: str):
    return page_helpers.admit(unit, full_name=name)


def make_official(*members):
    Member.objects.filter(pk__in=[m.pk for m in members]).update(status="official")
    Membership.objects.filter(member__in=members).update(status="official", standing="official")


def test_a_cell_below_three_official_members_is_warned_and_listed(tree):
    official = [admit(tree.cell_a1, f"Lò Văn {i}") for i in range(3)]
    make_official(*official)
    admit(tree.cell_a2, "Lò Thị Dự Bị")  # probationary members do not count for a cell
    assert unit_size_warning(tree.cell_a1) == ""
    assert "0 official members" in unit_size_warning(tree.cell_a2)
    rows = {
        row.code: (row.counted, row.minimum) for row in units_below_minimum(unit=tree.commune_a)
    }
    assert rows == {"XA-2": (0, 3), "XA": (4, 30)}


def test_a_grassroots_committee_below_its_minimum_is_warned_with_the_rule_setting(tree):
    admit(tree.cell_a1, "Lò Văn Một")
    assert "1 members" in unit_size_warning(tree.commune_a) and "30" in unit_size_warning(
        tree.commune_a
    )
    RuleSetting.objects.create(key="grassroots_committee_min_members", value=1)
    from grassroots.core import rules

    rules.clear_cache()
    assert unit_size_warning(tree.commune_a) == ""
    assert "XA" not in {row.code for row in units_below_minimum(unit=tree.province)}


def test_units_of_other_kinds_and_closed_units_get_no_size_warning(tree):
    assert unit_size_warning(tree.province) == "" and unit_size_warning(tree.root) == ""


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("admin", 200),
        ("manager_a", 200),
        ("viewer_a", 200),
        ("outsider", 404),
    ],
)
def test_the_page_of_units_below_the_minimum_is_scoped(tree, as_persona, persona, status):
    url = reverse("organizations:unit_below_minimum", args=[tree.commune_a.pk])
    response = as_persona(persona).get(url)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Chi bộ thôn Mường Hum" in page and "Chi bộ Trường Tiểu học" in page
        assert "Xã Bình An" not in page and "Chi bộ thôn Đông" not in page


def test_the_unit_page_shows_the_warning_and_links_the_list(tree, as_persona):
    page = (
        as_persona("viewer_a")
        .get(reverse("organizations:unit_detail", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "0 official members: a cell has at least 3" in page
    assert reverse("organizations:unit_below_minimum", args=[tree.cell_a1.pk]) in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("admin", 200),
        ("manager_a", 200),
        ("viewer_a", 200),
        ("outsider", 404),
    ],
)
def test_the_api_lists_units_below_the_minimum_in_the_callers_subtree(
    tree, as_persona, persona, status
):
    response = as_persona(persona).get(f"/api/v1/units/{tree.commune_a.pk}/below-minimum/")
    assert response.status_code in ((401, 403) if status == 403 else (status,))
    if status == 200:
        rows = {
            row["code"]: (row["counted"], row["minimum"], row["official_only"])
            for row in response.json()["results"]
        }
        assert rows == {"XA": (0, 30, False), "XA-1": (0, 3, True), "XA-2": (0, 3, True)}


def test_the_list_does_not_grow_queries_with_units_or_members(tree, as_persona):
    client = as_persona("manager_a")
    page = reverse("organizations:unit_below_minimum", args=[tree.commune_a.pk])
    api = f"/api/v1/units/{tree.commune_a.pk}/below-minimum/"
    client.get(page), client.get(api)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as on_page:
            assert client.get(page).status_code == 200
        with CaptureQueriesContext(connection) as on_api:
            assert client.get(api).status_code == 200
        return len(on_page), len(on_api)

    before = queries()
    for i in range(6):
        cell = unit_create(
            actor=None,
            code=f"XA-N{i}",
            name=f"Chi bộ mới {i}",
            kind=UnitKind.CELL,
            parent=tree.commune_a,
            valid_from=tree.commune_a.valid_from,
        )
        admit(cell, f"Lò Văn {i}")
    assert queries() == before
