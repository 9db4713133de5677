import pytest

from grassroots.core.models import AuditEntry

from .ledger_helpers import official


@pytest.mark.parametrize("model", ["member", "memberevent", "membership", "candidate"])
def test_the_administrator_opens_every_ledger_list(as_persona, tree, model):
    official(tree.cell_a1)
    response = as_persona("admin").get(f"/admin/members/{model}/")
    assert response.status_code == 200


def test_the_member_list_shows_no_sensitive_data_and_opening_a_record_is_logged(
    as_persona, tree, admin_user
):
    member = official(tree.cell_a1, party_card_number="79.000123")
    client = as_persona("admin")
    listing = client.get("/admin/members/member/").content.decode()
    assert "Lò Văn Thử" in listing and "79.000123" not in listing
    assert client.get(f"/admin/members/member/{member.pk}/change/").status_code == 200
    assert AuditEntry.objects.for_object(member).get(action="view").actor == admin_user


def test_the_ledger_cannot_be_changed_in_the_admin(as_persona, tree):
    member = official(tree.cell_a1)
    event = member.events.first()
    client = as_persona("admin")
    assert client.get("/admin/members/memberevent/add/").status_code == 403
    assert (
        client.post(f"/admin/members/memberevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert member.events.count() == 2
