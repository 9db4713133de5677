"""The unit pages after a reorganization: the tree of an earlier day, the cells of a merged
unit's predecessors, and a history that links only what the reader may open."""

import datetime as dt

from django.urls import reverse

from grassroots.organizations.models import Unit
from grassroots.reorganizations.services import unit_merge


def test_the_tree_of_a_past_date_shows_units_closed_since(tree, as_persona):
    unit_merge(
        actor=None,
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=dt.date(2025, 7, 1),
        new_code="XA-M",
        new_name="Chi bộ hợp nhất",
        decision_number="1",
        decision_date=dt.date(2025, 6, 1),
        issuer="Đảng ủy",
    )
    url = reverse("organizations:unit_children", args=[tree.commune_a.pk])
    client = as_persona("viewer_a")
    past = client.get(url, {"as_of": "2024-12-31"}, HTTP_HX_REQUEST="true").content.decode()
    assert (
        "Chi bộ thôn Mường Hum" in past and "Chi bộ hợp nhất" not in past and "01/07/2025" in past
    )
    today = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Chi bộ hợp nhất" in today and "Chi bộ thôn Mường Hum" not in today


def test_the_cells_of_a_merged_commune_on_an_earlier_date_are_those_of_its_predecessors(
    tree, as_persona
):
    unit_merge(
        actor=None,
        sources=[tree.commune_a, tree.commune_b],
        effective_date=dt.date(2025, 7, 1),
        new_code="XAB",
        new_name="Xã Đồng Thái",
        decision_number="1",
        decision_date=dt.date(2025, 6, 1),
        issuer="Tỉnh ủy",
    )
    new = Unit.objects.get(code="XAB")
    client = as_persona("admin")
    html = client.get(
        reverse("organizations:unit_cells", args=[new.pk]), {"as_of": "2024-01-01"}
    ).content.decode()
    assert "Chi bộ thôn Mường Hum" in html and "Chi bộ thôn Đông" in html
    html = client.get(
        reverse("organizations:unit_detail", args=[new.pk]), {"as_of": "2024-01-01"}
    ).content.decode()
    assert "Xã Bình An" in html and "Xã Mường Hum" in html


def test_the_history_links_only_the_units_one_may_open_and_leaves_parents_above_unnamed(
    tree, as_persona
):
    unit_merge(
        actor=None,
        sources=[tree.cell_a1, tree.cell_b1],
        into=tree.cell_a1,
        effective_date=dt.date(2025, 7, 1),
        decision_number="15-QĐ/TU",
        decision_date=dt.date(2025, 6, 20),
        issuer="Ban Thường vụ Tỉnh ủy",
    )
    cell_page = (
        as_persona("viewer_a")
        .get(reverse("organizations:unit_history", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    # The merged cell of commune B is named in the lineage (the decision names it) but not linked.
    assert "Chi bộ thôn Đông" in cell_page
    assert reverse("organizations:unit_detail", args=[tree.cell_b1.pk]) not in cell_page
    assert reverse("organizations:unit_detail", args=[tree.commune_a.pk]) in cell_page
    commune_page = (
        as_persona("viewer_a")
        .get(reverse("organizations:unit_history", args=[tree.commune_a.pk]))
        .content.decode()
    )
    assert (
        "Tỉnh Thử Nghiệm" not in commune_page.split("<main", 1)[1]
        and "a unit above your area" in commune_page
    )
    admin_page = (
        as_persona("admin")
        .get(reverse("organizations:unit_history", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert reverse("organizations:unit_detail", args=[tree.cell_b1.pk]) in admin_page
