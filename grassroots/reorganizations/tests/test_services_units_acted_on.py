"""Only the managers of every unit a reorganization acts on (the units merged, the unit split,
renamed, moved or dissolved) may record it or preview it: the services refuse anyone else as a
lack of rights, before planning, and write nothing. The system itself (no actor) may."""

import pytest
from django.core.exceptions import PermissionDenied

from grassroots.accounts.models import RoleAssignment, User
from grassroots.organizations.models import Reorganization, Unit
from grassroots.reorganizations.services import (
    reorganization_preview,
    unit_dissolve,
    unit_merge,
    unit_move,
    unit_rename,
    unit_split,
)

from .helpers import DECISION, EFFECTIVE, admit, snapshot_counts


def test_an_editor_may_neither_record_nor_preview_a_reorganization(tree, editor_a):
    before = snapshot_counts()
    with pytest.raises(PermissionDenied):
        unit_dissolve(actor=editor_a, unit=tree.cell_a2, effective_date=EFFECTIVE, **DECISION)
    with pytest.raises(PermissionDenied):
        reorganization_preview(
            kind="dissolve",
            actor=editor_a,
            unit=tree.cell_a2,
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert snapshot_counts() == before
    assert Unit.objects.get(pk=tree.cell_a2.pk).is_open


def test_a_manager_elsewhere_may_not_merge_a_unit_outside_their_roles(tree, outsider):
    before = snapshot_counts()
    with pytest.raises(PermissionDenied):
        unit_merge(
            actor=outsider,
            sources=[tree.cell_b1, tree.cell_a1],
            into=tree.cell_b1,
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert snapshot_counts() == before


def test_a_manager_may_not_merge_their_unit_into_one_outside_their_roles(tree, outsider):
    before = snapshot_counts()
    with pytest.raises(PermissionDenied):
        unit_merge(
            actor=outsider,
            sources=[tree.cell_b1],
            into=tree.cell_a1,
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert snapshot_counts() == before


def test_the_refusal_comes_before_the_plan_is_checked(tree, editor_a):
    """A caller without the rights learns nothing of what the plan would refuse."""
    with pytest.raises(PermissionDenied):
        unit_rename(
            actor=editor_a,
            unit=tree.cell_a1,
            new_name="",
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert not Reorganization.objects.exists()


@pytest.mark.parametrize("kind", ["split", "move"])
def test_a_manager_of_another_commune_may_not_split_or_move_a_cell_of_commune_a(tree, kind):
    """Managing the new parent (commune B) is not enough: cell A1 is not theirs."""
    user = User.objects.create_user(username="b_only", password="pass-12345-word")
    RoleAssignment.objects.create(user=user, unit=tree.commune_b, role=RoleAssignment.Role.MANAGER)
    member = admit(tree.cell_a1, "Lò Văn Một")
    before = snapshot_counts()
    with pytest.raises(PermissionDenied):
        if kind == "split":
            unit_split(
                actor=user,
                source=tree.cell_a1,
                parts=[
                    {"code": "XA-1A", "name": "Một", "members": [member]},
                    {"code": "XA-1B", "name": "Hai"},
                ],
                effective_date=EFFECTIVE,
                **DECISION,
            )
        else:
            unit_move(
                actor=user,
                unit=tree.cell_a1,
                new_parent=tree.commune_b,
                effective_date=EFFECTIVE,
                **DECISION,
            )
    assert snapshot_counts() == before


def test_the_system_itself_acts_without_an_actor(tree):
    unit_dissolve(actor=None, unit=tree.cell_a2, effective_date=EFFECTIVE, **DECISION)
    assert not Unit.objects.get(pk=tree.cell_a2.pk).is_open


def test_an_editor_asking_the_api_for_a_preview_is_refused_and_nothing_is_written(tree, as_persona):
    before = snapshot_counts()
    response = as_persona("editor_a").post(
        "/api/v1/reorganizations/",
        {
            "kind": "dissolve",
            "dry_run": True,
            "unit": tree.cell_a2.pk,
            "effective_date": EFFECTIVE.isoformat(),
            "decision_number": DECISION["decision_number"],
            "decision_date": DECISION["decision_date"].isoformat(),
            "issuer": DECISION["issuer"],
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert snapshot_counts() == before
