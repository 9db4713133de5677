import pytest
from django.urls import reverse

from grassroots.organizations.models import Reorganization


@pytest.mark.parametrize("model", ["unit", "reorganization", "lineage"])
def test_admin_lists_open_for_the_administrator(tree, admin_user, as_persona, model):
    assert (
        as_persona("admin").get(reverse(f"admin:organizations_{model}_changelist")).status_code
        == 200
    )


def test_reorganizations_cannot_be_added_in_the_admin(tree, admin_user, as_persona):
    assert (
        as_persona("admin").get(reverse("admin:organizations_reorganization_add")).status_code
        == 403
    )
    assert not Reorganization.objects.exists()


def test_unit_change_page_opens(tree, admin_user, as_persona):
    assert (
        as_persona("admin")
        .get(reverse("admin:organizations_unit_change", args=[tree.cell_a1.pk]))
        .status_code
        == 200
    )


def test_a_unit_edited_in_the_admin_goes_through_the_service_and_keeps_name_and_code(
    tree, admin_user, as_persona
):
    from grassroots.core.models import AuditEntry
    from grassroots.organizations.models import UnitPlacement

    url = reverse("admin:organizations_unit_change", args=[tree.cell_a1.pk])
    data = {
        "code": "XA-9",
        "name": "Chi bộ Thôn Mường Hum",
        "cell_subtype": "village",
        "address": "Bản Mường Hum",
        "placements-TOTAL_FORMS": "1",
        "placements-INITIAL_FORMS": "1",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
    }
    response = as_persona("admin").post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.code, tree.cell_a1.name, tree.cell_a1.address) == (
        "XA-1",
        "Chi bộ thôn Mường Hum",
        "Bản Mường Hum",
    )
    assert UnitPlacement.objects.get(unit=tree.cell_a1).name == "Chi bộ thôn Mường Hum"
    assert AuditEntry.objects.for_object(tree.cell_a1).get(action="update").actor == admin_user
