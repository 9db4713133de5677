"""The reorganization pages: each persona tried, the preview that writes nothing, the commit
through the service with its audit row, and the refusals shown on the form."""

import datetime as dt

import pytest
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Lineage, Reorganization, Unit
from grassroots.organizations.services import unit_create

from .helpers import admit, propose, snapshot_counts

DECISION_POST = {
    "effective_date": "01/07/2025",
    "decision_number": "15-QĐ/TU",
    "decision_date": "2025-06-20",
    "issuer": "Ban Thường vụ Tỉnh ủy",
}


def merge_post(tree, **extra):
    return {
        **DECISION_POST,
        "sources": [tree.cell_a1.pk, tree.cell_a2.pk],
        "new_code": "XA-M",
        "new_name": "Chi bộ thôn Mường Hum mới",
        **extra,
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("editor_a", 403),
        ("viewer_a", 403),
        ("outsider", 404),
    ],
)
def test_reorganizing_is_refused_to_those_who_do_not_manage(tree, as_persona, persona, status):
    before = snapshot_counts()
    response = as_persona(persona).post(
        reverse("reorganizations:unit_merge", args=[tree.commune_a.pk]),
        merge_post(tree, confirm="1"),
    )
    assert response.status_code == status
    assert snapshot_counts() == before


def test_a_merge_is_previewed_then_committed(tree, manager_a, as_persona):
    admit(tree.cell_a1, "Lò Văn Một")
    client = as_persona("manager_a")
    url = reverse("reorganizations:unit_merge", args=[tree.commune_a.pk])
    assert client.get(url).status_code == 200
    before = snapshot_counts()
    preview = client.post(url, merge_post(tree))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Closes 2 units" in html and "moves 1 member" in html
    assert snapshot_counts() == before
    done = client.post(url, merge_post(tree, confirm="1"))
    new = Unit.objects.get(code="XA-M")
    assert done.status_code == 302 and done["Location"] == reverse(
        "organizations:unit_detail", args=[new.pk]
    )
    assert Lineage.objects.filter(successor=new).count() == 2
    reorg = Reorganization.objects.get()
    assert AuditEntry.objects.for_object(reorg).get().actor == manager_a


def test_a_merge_refused_at_confirmation_shows_the_form_with_the_reason(tree, as_persona):
    client = as_persona("manager_a")
    url = reverse("reorganizations:unit_merge", args=[tree.commune_a.pk])
    response = client.post(url, merge_post(tree, confirm="1", effective_date="01/01/2010"))
    assert response.status_code == 200 and "id_effective_date_error" in response.content.decode()
    assert not Reorganization.objects.exists()


def test_rename_move_split_and_dissolve_pages_commit_through_their_services(
    tree, admin_user, as_persona
):
    client = as_persona("admin")
    district = unit_create(
        actor=None,
        code="H01",
        name="Huyện Bát Xát",
        kind=UnitKind.DISTRICT,
        parent=tree.province,
        valid_from=dt.date(2015, 1, 1),
    )
    r = client.post(
        reverse("reorganizations:unit_rename", args=[tree.cell_a1.pk]),
        {**DECISION_POST, "new_name": "Chi bộ bản Mường Hum", "confirm": "1"},
    )
    assert (
        r.status_code == 302 and Unit.objects.get(pk=tree.cell_a1.pk).name == "Chi bộ bản Mường Hum"
    )
    r = client.post(
        reverse("reorganizations:unit_move", args=[tree.commune_b.pk]),
        {**DECISION_POST, "new_parent": "H01", "confirm": "1"},
    )
    assert r.status_code == 302 and Unit.objects.get(pk=tree.commune_b.pk).parent == district
    r = client.post(
        reverse("reorganizations:unit_split", args=[tree.commune_a.pk]),
        {
            **DECISION_POST,
            "parts": "2",
            "confirm": "1",
            "part_1_code": "XA-N",
            "part_1_name": "Xã Bắc",
            "part_1_cells": [tree.cell_a1.pk],
            "part_2_code": "XA-S",
            "part_2_name": "Xã Nam",
            "part_2_cells": [tree.cell_a2.pk],
        },
    )
    assert r.status_code == 302 and Unit.objects.get(pk=tree.cell_a2.pk).parent.code == "XA-S"
    r = client.post(
        reverse("reorganizations:unit_dissolve", args=[tree.cell_a2.pk]),
        {**DECISION_POST, "effective_date": "02/07/2025", "confirm": "1"},
    )
    assert r.status_code == 302 and Unit.objects.get(pk=tree.cell_a2.pk).valid_to == dt.date(
        2025, 7, 2
    )
    assert Reorganization.objects.filter(created_by=admin_user).count() == 4
    history = client.get(
        reverse("organizations:unit_history", args=[tree.commune_a.pk])
    ).content.decode()
    assert "Xã Bắc" in history and "Xã Nam" in history


def test_the_split_page_gives_each_candidate_to_a_part(tree, as_persona):
    from grassroots.members.models import Candidate

    m = admit(tree.cell_a1, "Lò Văn Một")
    c = propose(tree.cell_a1, "Lò Thị Chờ")
    url = reverse("reorganizations:unit_split", args=[tree.cell_a1.pk])
    page = as_persona("manager_a").get(url).content.decode()
    assert "Part 2: candidates for admission it takes" in page and "Lò Thị Chờ (Proposed)" in page
    post = {
        **DECISION_POST,
        "parts": "2",
        "part_1_code": "XA-1A",
        "part_1_name": "Một",
        "part_1_members": [m.pk],
        "part_2_code": "XA-1B",
        "part_2_name": "Hai",
    }
    r = as_persona("manager_a").post(url, {**post, "confirm": "1"})
    assert (
        r.status_code == 200
        and "1 candidate of Chi bộ thôn Mường Hum is not given to any part: Lò Thị Chờ."
        in r.content.decode()
    )
    assert not Reorganization.objects.exists()
    r = as_persona("manager_a").post(url, {**post, "part_2_candidates": [c.pk], "confirm": "1"})
    assert r.status_code == 302 and Candidate.objects.get(pk=c.pk).unit.code == "XA-1B"
    history = (
        as_persona("manager_a")
        .get(reverse("organizations:unit_history", args=[tree.cell_a1.pk]))
        .content.decode()
    )
    assert "1 candidate for admission moved" in history


def test_a_split_that_leaves_a_cell_out_names_it(tree, as_persona):
    r = as_persona("manager_a").post(
        reverse("reorganizations:unit_split", args=[tree.commune_a.pk]),
        {
            **DECISION_POST,
            "parts": "2",
            "part_1_code": "XA-N",
            "part_1_name": "Xã Bắc",
            "part_1_cells": [tree.cell_a1.pk],
            "part_2_code": "XA-S",
            "part_2_name": "Xã Nam",
        },
    )
    assert r.status_code == 200 and "Chi bộ Trường Tiểu học" in r.content.decode()
    assert not Reorganization.objects.exists()


def test_moving_under_a_unit_outside_ones_subtree_is_refused(tree, as_persona):
    r = as_persona("manager_a").post(
        reverse("reorganizations:unit_move", args=[tree.cell_a1.pk]),
        {**DECISION_POST, "new_parent": "XB"},
    )
    assert r.status_code == 200 and "No unit with this code" in r.content.decode()
    assert Unit.objects.get(pk=tree.cell_a1.pk).parent == tree.commune_a
