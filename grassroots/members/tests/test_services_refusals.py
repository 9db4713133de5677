"""Refusals say only that a value is not accepted when it points at something outside the
caller's view: they never name another organization's member or unit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from grassroots.members.services import member_transfer_out, member_update
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

from .ledger_helpers import admit, counts, official

NOT_ACCEPTED = "This party card number is not accepted."


@pytest.fixture
def holder_in_b(tree):
    return admit(tree.cell_b1, full_name="Lý Thị Ngoài", party_card_number="93123456")


def test_a_party_card_number_held_outside_the_callers_view_is_only_not_accepted(
    tree, manager_a, holder_in_b
):
    member = admit(tree.cell_a1, full_name="Lò Văn Trong")
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_update(actor=manager_a, member=member, party_card_number="93123456")
    message = info.value.message_dict["party_card_number"][0]
    assert message == NOT_ACCEPTED
    assert "Lý Thị Ngoài" not in message and tree.cell_b1.name not in message
    assert counts() == before
    member.refresh_from_db()
    assert member.party_card_number is None


def test_admitting_with_a_card_number_held_in_another_province_names_nobody(
    tree, manager_a, holder_in_b
):
    before = counts()
    with pytest.raises(ValidationError) as info:
        admit(tree.cell_a1, actor=manager_a, full_name="Lò Văn Mới", party_card_number="93123456")
    assert info.value.message_dict["party_card_number"] == [NOT_ACCEPTED]
    assert counts() == before


def test_a_party_card_number_held_inside_the_callers_view_names_the_holder(tree, manager_a):
    admit(tree.cell_a2, full_name="Hoàng Văn Giữ", party_card_number="93000001")
    member = admit(tree.cell_a1, full_name="Lò Văn Trong")
    with pytest.raises(ValidationError) as info:
        member_update(actor=manager_a, member=member, party_card_number="93000001")
    message = info.value.message_dict["party_card_number"][0]
    assert "Hoàng Văn Giữ" in message and tree.cell_a2.name in message


def test_the_api_refuses_an_outside_card_number_without_naming_its_holder(
    tree, manager_a, holder_in_b
):
    member = admit(tree.cell_a1, full_name="Lò Văn Trong")
    client = APIClient()
    client.force_authenticate(manager_a)
    response = client.patch(
        f"/api/v1/members/{member.pk}/", {"party_card_number": "93123456"}, format="json"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert NOT_ACCEPTED in body and "Lý Thị Ngoài" not in body and tree.cell_b1.name not in body


def _closed_cell_in_b(tree) -> Unit:
    cell = unit_create(
        actor=None,
        code="XB-9",
        name="Chi bộ Đã Giải Thể",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=tree.commune_b,
        valid_from=dt.date(2016, 1, 1),
    )
    Unit.objects.filter(pk=cell.pk).update(valid_to=dt.date(2020, 1, 1))
    cell.refresh_from_db()
    return cell


def test_a_transfer_to_a_closed_unit_outside_the_callers_view_does_not_name_it(tree, manager_a):
    member = official(tree.cell_a1)
    closed = _closed_cell_in_b(tree)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_out(
            actor=manager_a, member=member, to_unit=closed, date=dt.date(2023, 3, 1)
        )
    assert info.value.message_dict["to_unit"] == ["This unit is not accepted."]
    assert counts() == before


def test_a_transfer_to_an_outside_unit_that_is_not_a_cell_is_only_not_accepted(tree, manager_a):
    member = official(tree.cell_a1)
    client = APIClient()
    client.force_authenticate(manager_a)
    before = counts()
    response = client.post(
        f"/api/v1/members/{member.pk}/events/",
        {"kind": "transfer_out", "to_unit": tree.commune_b.pk, "date": "2023-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["to_unit"] == ["This unit is not accepted."]
    assert counts() == before


def test_a_transfer_to_a_closed_unit_the_caller_sees_still_names_it(tree, manager_a):
    member = official(tree.cell_a1)
    closed = unit_create(
        actor=None,
        code="XA-9",
        name="Chi bộ cũ",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=tree.commune_a,
        valid_from=dt.date(2016, 1, 1),
    )
    Unit.objects.filter(pk=closed.pk).update(valid_to=dt.date(2020, 1, 1))
    closed.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        member_transfer_out(
            actor=manager_a, member=member, to_unit=closed, date=dt.date(2023, 3, 1)
        )
    assert "Chi bộ cũ" in info.value.message_dict["to_unit"][0]
