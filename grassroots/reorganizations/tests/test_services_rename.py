"""A rename under a decision is the one way a unit's name or code changes: it may carry a new
code too, refuses a code another unit holds, and the page takes the new code."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.organizations.models import Reorganization, UnitPlacement
from grassroots.reorganizations.services import unit_rename

from .helpers import DECISION, EFFECTIVE


def test_a_rename_under_a_decision_changes_the_code_too(tree, manager_a):
    reorg = unit_rename(
        actor=manager_a,
        unit=tree.cell_a1,
        new_name="",
        new_code="XA-9",
        effective_date=EFFECTIVE,
        **DECISION,
    )
    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.name, tree.cell_a1.code) == ("Chi bộ thôn Mường Hum", "XA-9")
    assert reorg.details["old_code"] == "XA-1" and reorg.details["new_code"] == "XA-9"
    assert (
        UnitPlacement.objects.get(unit=tree.cell_a1, valid_to__isnull=True).valid_from == EFFECTIVE
    )


def test_a_rename_refuses_a_code_another_unit_holds(tree, manager_a):
    with pytest.raises(ValidationError) as refused:
        unit_rename(
            actor=manager_a,
            unit=tree.cell_a1,
            new_name="",
            new_code="XB-1",
            effective_date=EFFECTIVE,
            **DECISION,
        )
    assert "new_code" in refused.value.message_dict and not Reorganization.objects.exists()


def test_the_rename_page_takes_a_new_code(tree, manager_a, as_persona):
    post = {
        "effective_date": EFFECTIVE.strftime("%d/%m/%Y"),
        "decision_number": DECISION["decision_number"],
        "decision_date": DECISION["decision_date"].strftime("%d/%m/%Y"),
        "issuer": DECISION["issuer"],
        "new_name": "Chi bộ bản Mường Hum",
        "new_code": "XA-9",
        "confirm": "1",
    }
    response = as_persona("manager_a").post(
        reverse("reorganizations:unit_rename", args=[tree.cell_a1.pk]), post
    )
    assert response.status_code == 302
    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.name, tree.cell_a1.code) == ("Chi bộ bản Mường Hum", "XA-9")
