"""A unit's name and code change only by a rename under a decision: the plain edit (the
service, the edit page, the API PATCH) keeps them. The rename itself, which carries a new code
too, is grassroots.reorganizations' (tests/test_services_rename.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots.core.models import AuditEntry
from grassroots.organizations.services import unit_update

from .helpers import snapshot_counts


@pytest.mark.parametrize(("field", "value"), [("name", "Chi bộ bản Mường Hum"), ("code", "XA-9")])
def test_a_plain_edit_refuses_a_new_name_or_code_and_points_to_rename(
    tree, manager_a, field, value
):
    before = snapshot_counts()
    with pytest.raises(ValidationError) as refused:
        unit_update(
            actor=manager_a, unit=tree.cell_a1, **{field: value, "address": "Bản Mường Hum"}
        )
    assert "rename" in " ".join(refused.value.message_dict[field]).lower()
    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.name, tree.cell_a1.code, tree.cell_a1.address) == (
        "Chi bộ thôn Mường Hum",
        "XA-1",
        "",
    )
    assert snapshot_counts() == before


def test_a_plain_edit_accepts_the_name_and_code_it_already_has(tree, manager_a):
    unit_update(
        actor=manager_a,
        unit=tree.cell_a1,
        code="XA-1",
        name="Chi bộ thôn Mường Hum",
        address="Bản Mường Hum",
    )
    tree.cell_a1.refresh_from_db()
    assert tree.cell_a1.address == "Bản Mường Hum"


def test_the_edit_page_shows_name_and_code_read_only_and_keeps_them(tree, manager_a, as_persona):
    client = as_persona("manager_a")
    url = reverse("organizations:unit_edit", args=[tree.cell_a1.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' in page and "disabled" in page
    response = client.post(
        url,
        {"code": "XA-9", "name": "Tên khác", "address": "Bản Mường Hum", "cell_subtype": "village"},
    )
    assert response.status_code == 302
    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.name, tree.cell_a1.code, tree.cell_a1.address) == (
        "Chi bộ thôn Mường Hum",
        "XA-1",
        "Bản Mường Hum",
    )


def test_the_api_patch_refuses_a_new_name_on_the_name_field(tree, as_persona):
    url = f"/api/v1/units/{tree.cell_a1.pk}/"
    response = as_persona("manager_a").patch(
        url, {"name": "Tên khác"}, content_type="application/json"
    )
    assert response.status_code == 400 and "rename" in response.json()["name"][0].lower()
    response = as_persona("manager_a").patch(url, {"code": "XA-9"}, content_type="application/json")
    assert response.status_code == 400 and "code" in response.json()
    tree.cell_a1.refresh_from_db()
    assert (tree.cell_a1.name, tree.cell_a1.code) == ("Chi bộ thôn Mường Hum", "XA-1")
    assert not AuditEntry.objects.for_object(tree.cell_a1).filter(action="update").exists()
