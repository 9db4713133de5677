"""The reorganizations API hides what the History page hides: a parent unit outside the
reader's roles is neither named nor given by id."""

import pytest

from grassroots.accounts.models import RoleAssignment
from grassroots.organizations.choices import UnitKind
from grassroots.organizations.services import unit_create
from grassroots.reorganizations.services import unit_move

from .helpers import DECISION, EFFECTIVE


@pytest.fixture
def moved(tree, admin_user):
    district = unit_create(
        actor=None,
        code="H01",
        name="Huyện Bát Xát",
        kind=UnitKind.DISTRICT,
        parent=tree.province,
        valid_from=tree.province.valid_from,
    )
    reorg = unit_move(
        actor=admin_user,
        unit=tree.commune_a,
        new_parent=district,
        effective_date=EFFECTIVE,
        **DECISION,
    )
    return reorg, district


def test_the_api_names_no_parent_above_the_readers_roles(tree, moved, as_persona):
    reorg, _district = moved
    for url in ("/api/v1/reorganizations/", f"/api/v1/reorganizations/{reorg.pk}/"):
        response = as_persona("manager_a").get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "Tỉnh Thử Nghiệm" not in text and "Huyện Bát Xát" not in text
    details = as_persona("viewer_a").get(f"/api/v1/reorganizations/{reorg.pk}/").json()["details"]
    assert details["old_parent_id"] is None and details["new_parent_id"] is None
    assert details["old_parent_name"] == details["new_parent_name"] == ""


def test_the_api_names_the_parents_the_reader_may_see(tree, moved, personas, as_persona):
    reorg, district = moved
    RoleAssignment.objects.create(
        user=personas["viewer_a"], unit=district, role=RoleAssignment.Role.VIEWER
    )
    details = as_persona("viewer_a").get(f"/api/v1/reorganizations/{reorg.pk}/").json()["details"]
    assert (details["new_parent_id"], details["new_parent_name"]) == (district.pk, "Huyện Bát Xát")
    assert (details["old_parent_id"], details["old_parent_name"]) == (None, "")
    details = as_persona("admin").get(f"/api/v1/reorganizations/{reorg.pk}/").json()["details"]
    assert (details["old_parent_id"], details["old_parent_name"]) == (
        tree.province.pk,
        "Tỉnh Thử Nghiệm",
    )
