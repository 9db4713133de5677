"""The parent of every unit a reorganization creates (and the new parent of a unit it moves)
needs the role a direct creation there needs: a manager of that parent, or the system
administrator for a unit at the top of the tree. Checked by the services, so the preview, the
page and the API refuse alike."""

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.models import RoleAssignment, User
from grassroots.conftest import client_for
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.models import Reorganization, Unit
from grassroots.organizations.services import unit_create
from grassroots.reorganizations.services import (
    reorganization_preview,
    unit_merge,
    unit_move,
    unit_split,
)

from .helpers import DECISION, EFFECTIVE, admit, snapshot_counts

API_DECISION = {
    "effective_date": EFFECTIVE.isoformat(),
    "decision_number": DECISION["decision_number"],
    "decision_date": DECISION["decision_date"].isoformat(),
    "issuer": DECISION["issuer"],
}


def manager_of(*units, username: str) -> User:
    user = User.objects.create_user(username=username, password="pass-12345-word")
    for unit in units:
        RoleAssignment.objects.create(user=user, unit=unit, role=RoleAssignment.Role.MANAGER)
    return user


@pytest.fixture
def second_province(tree) -> Unit:
    return unit_create(
        actor=None,
        code="T02",
        name="Tỉnh Thứ Hai",
        kind=UnitKind.PROVINCE,
        parent=tree.root,
        valid_from=tree.province.valid_from,
    )


def merge_provinces(tree, second_province, actor):
    return unit_merge(
        actor=actor,
        sources=[tree.province, second_province],
        effective_date=EFFECTIVE,
        new_code="T03",
        new_name="Tỉnh Hợp Nhất",
        **DECISION,
    )


def test_a_manager_of_two_provinces_cannot_merge_them_into_a_new_province_under_the_root(
    tree, second_province
):
    user = manager_of(tree.province, second_province, username="two_provinces")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as refused:
        merge_provinces(tree, second_province, user)
    assert "new_parent" in refused.value.message_dict
    with pytest.raises(ValidationError) as previewed:
        reorganization_preview(
            kind="merge",
            actor=user,
            sources=[tree.province, second_province],
            effective_date=EFFECTIVE,
            new_code="T03",
            new_name="Tỉnh Hợp Nhất",
            **DECISION,
        )
    assert "new_parent" in previewed.value.message_dict
    assert snapshot_counts() == before


def test_the_system_administrator_may_merge_provinces_under_the_root(
    tree, second_province, admin_user
):
    reorg = merge_provinces(tree, second_province, admin_user)
    assert Unit.objects.get(code="T03").parent == tree.root and reorg.created_by == admin_user


def test_the_api_refuses_the_two_province_manager_on_the_parent_field(tree, second_province):
    user = manager_of(tree.province, second_province, username="two_provinces")
    before = snapshot_counts()
    body = {
        **API_DECISION,
        "kind": "merge",
        "sources": [tree.province.pk, second_province.pk],
        "new_code": "T03",
        "new_name": "Tỉnh Hợp Nhất",
    }
    for dry_run in (True, False):
        response = client_for(user).post(
            "/api/v1/reorganizations/",
            {**body, "dry_run": dry_run},
            content_type="application/json",
        )
        assert response.status_code == 400 and "new_parent" in response.json(), response.content
    assert snapshot_counts() == before


def test_a_manager_of_the_cells_alone_cannot_merge_them_under_their_commune(tree):
    user = manager_of(tree.cell_a1, tree.cell_a2, username="cells_only")
    admit(tree.cell_a1, "Lò Văn Một")
    before = snapshot_counts()
    with pytest.raises(ValidationError) as refused:
        unit_merge(
            actor=user,
            sources=[tree.cell_a1, tree.cell_a2],
            effective_date=EFFECTIVE,
            new_code="XA-M",
            new_name="Chi bộ mới",
            **DECISION,
        )
    assert "new_parent" in refused.value.message_dict
    # The message does not name a unit the caller may not see.
    assert tree.commune_a.name not in " ".join(refused.value.messages)
    assert snapshot_counts() == before


def test_a_manager_of_the_old_parent_merges_under_it(tree, manager_a):
    reorg = unit_merge(
        actor=manager_a,
        sources=[tree.cell_a1, tree.cell_a2],
        effective_date=EFFECTIVE,
        new_code="XA-M",
        new_name="Chi bộ mới",
        **DECISION,
    )
    assert Unit.objects.get(code="XA-M").parent == tree.commune_a and reorg.created_by == manager_a


def split_cell(tree, actor, **part_extra):
    member = admit(tree.cell_a1, "Lò Văn Một")
    return unit_split(
        actor=actor,
        source=tree.cell_a1,
        effective_date=EFFECTIVE,
        parts=[
            {"code": "XA-1A", "name": "Chi bộ A", "members": [member], **part_extra},
            {"code": "XA-1B", "name": "Chi bộ B"},
        ],
        **DECISION,
    )


def test_a_manager_of_the_cell_alone_cannot_split_it_under_the_commune(tree):
    user = manager_of(tree.cell_a1, username="cell_only")
    with pytest.raises(ValidationError) as refused:
        split_cell(tree, user)
    assert {"parts.1.parent", "parts.2.parent"} <= set(refused.value.message_dict)
    assert (
        not Reorganization.objects.exists()
        and not Unit.objects.filter(code__in=["XA-1A", "XA-1B"]).exists()
    )


def test_a_split_part_placed_under_a_unit_outside_the_managers_roles_is_refused(tree, manager_a):
    with pytest.raises(ValidationError) as refused:
        split_cell(tree, manager_a, parent=tree.commune_b)
    assert set(refused.value.message_dict) >= {"parts.1.parent"}
    assert "parts.2.parent" not in refused.value.message_dict
    assert not Reorganization.objects.exists()


def test_a_manager_of_the_old_parent_splits_under_it(tree, manager_a):
    split_cell(tree, manager_a)
    assert set(
        Unit.objects.filter(code__in=["XA-1A", "XA-1B"]).values_list("parent", flat=True)
    ) == {tree.commune_a.pk}


def test_a_move_under_a_parent_outside_the_managers_roles_is_refused_by_the_service(
    tree, manager_a
):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as refused:
        unit_move(
            actor=manager_a,
            unit=tree.cell_a1,
            new_parent=tree.commune_b,
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert "new_parent" in refused.value.message_dict
    assert snapshot_counts() == before
