import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.committees.choices import CommitteeKind, Position
from grassroots.committees.models import Committee, CommitteeSeat, Term
from grassroots.committees.services import (
    cell_committee_warning,
    committee_create,
    committee_update,
    seat_add,
    seat_end,
    term_get_or_create,
)
from grassroots.core.models import AuditEntry

from .helpers import admit


def term():
    return term_get_or_create(start_year=2020, end_year=2025)


def test_a_term_is_created_once_and_reused(db):
    assert term() == term() and Term.objects.get().name == "2020–2025"
    with pytest.raises(ValidationError):
        term_get_or_create(start_year=2025, end_year=2020)


def test_committee_with_sizes_and_seats_is_recorded_and_audited(tree, manager_a):
    member = admit(tree.cell_a1, "Lò Văn Bí Thư")
    committee = committee_create(
        actor=manager_a,
        unit=tree.commune_a,
        term=term(),
        kind=CommitteeKind.EXECUTIVE,
        elected_size=15,
        elected_on=dt.date(2020, 7, 10),
    )
    committee_update(actor=manager_a, committee=committee, approved_next_size=17)
    seat = seat_add(
        actor=manager_a,
        committee=committee,
        member=member,
        position=Position.SECRETARY,
        from_date=dt.date(2020, 7, 10),
    )
    seat_add(
        actor=manager_a, committee=committee, person_name="Vàng A Sử", position=Position.DEPUTY
    )
    committee.refresh_from_db()
    assert committee.approved_next_size == 17 and committee.seats.count() == 2
    assert AuditEntry.objects.for_object(seat).get().actor == manager_a
    assert (
        AuditEntry.objects.for_object(committee).filter(action="update", actor=manager_a).exists()
    )
    seat_end(actor=manager_a, seat=seat, to_date=dt.date(2023, 1, 1))
    seat.refresh_from_db()
    assert seat.to_date == dt.date(2023, 1, 1)
    with pytest.raises(ValidationError):
        seat_end(actor=manager_a, seat=seat, to_date=dt.date(2023, 2, 1))


@pytest.mark.parametrize(
    ("unit", "kind", "extra", "field"),
    [
        ("cell_a1", CommitteeKind.EXECUTIVE, {}, "kind"),
        ("commune_a", CommitteeKind.CELL, {}, "kind"),
        ("commune_a", CommitteeKind.EXECUTIVE, {"elected_size": 0}, "elected_size"),
        ("commune_a", CommitteeKind.EXECUTIVE, {"elected_on": dt.date(2010, 1, 1)}, "elected_on"),
        ("cell_a1", CommitteeKind.CELL, {"elected_size": 5}, "elected_size"),
    ],
)
def test_committee_refusals_write_nothing(tree, unit, kind, extra, field):
    with pytest.raises(ValidationError) as info:
        committee_create(actor=None, unit=getattr(tree, unit), term=term(), kind=kind, **extra)
    assert field in info.value.message_dict
    assert not Committee.objects.exists()


def test_a_cell_with_nine_official_members_is_reminded_to_elect_a_cell_committee(tree):
    from grassroots.members.models import Member, Membership

    for i in range(9):
        admit(tree.cell_a1, f"Lò Văn {i}")
    assert cell_committee_warning(tree.cell_a1) == ""
    Member.objects.update(status="official")
    Membership.objects.update(status="official")
    assert "9 official members" in cell_committee_warning(tree.cell_a1)
    current = term_get_or_create(start_year=2025, end_year=2030)
    committee_create(
        actor=None, unit=tree.cell_a1, term=current, kind=CommitteeKind.CELL, elected_size=3
    )
    assert cell_committee_warning(tree.cell_a1) == ""


def test_seat_refusals_write_nothing(tree):
    outsider_member = admit(tree.cell_b1, "Lò Văn Ngoài")
    member = admit(tree.cell_a1, "Lò Văn Trong")
    committee = committee_create(
        actor=None, unit=tree.commune_a, term=term(), kind=CommitteeKind.EXECUTIVE, elected_size=2
    )
    seat_add(actor=None, committee=committee, member=member, position=Position.SECRETARY)
    for kwargs, field in [
        ({"position": Position.DEPUTY}, "member"),
        ({"member": outsider_member, "position": Position.DEPUTY}, "member"),
        ({"member": member, "position": Position.DEPUTY}, "member"),
        ({"person_name": "Ai đó", "position": Position.SECRETARY}, "position"),
        (
            {"person_name": "Ai đó", "position": Position.DEPUTY, "from_date": dt.date(2030, 1, 1)},
            "from_date",
        ),
    ]:
        with pytest.raises(ValidationError) as info:
            seat_add(actor=None, committee=committee, **kwargs)
        assert field in info.value.message_dict, (kwargs, info.value.message_dict)
    assert CommitteeSeat.objects.count() == 1
