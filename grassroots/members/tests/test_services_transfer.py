import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.members.choices import EventKind, MemberStatus
from grassroots.members.services import (
    member_death,
    member_reassign,
    member_temporary_return,
    member_transfer_in,
    member_transfer_out,
)
from grassroots.organizations.choices import CellSubtype, UnitKind
from grassroots.organizations.models import Unit
from grassroots.organizations.services import unit_create

from .ledger_helpers import PROBATION_END, admit, counts, intervals, official

OUT = dt.date(2023, 3, 1)
ARRIVAL = dt.date(2023, 3, 15)


def test_official_transfer_puts_the_member_in_transit_on_the_common_ancestor(tree, manager_a):
    member = official(tree.cell_a1)
    event = member_transfer_out(
        actor=manager_a,
        member=member,
        to_unit=tree.cell_a2,
        date=OUT,
        decision_number="12-GGT",
    )
    member.refresh_from_db()
    assert (member.unit, member.transit_to, member.transit_since) == (
        tree.cell_a1,
        tree.cell_a2,
        OUT,
    )
    assert member.status == MemberStatus.OFFICIAL
    assert (event.kind, event.unit, event.other_unit, event.created_by) == (
        EventKind.TRANSFER_OUT,
        tree.cell_a1,
        tree.cell_a2,
        manager_a,
    )
    assert intervals(member)[-2:] == [
        ("XA-1", "official", "official", PROBATION_END, OUT),
        ("XA", "in_transit", "official", OUT, None),
    ]


def test_a_transfer_between_communes_is_held_by_the_province_until_arrival(tree):
    member = admit(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_b1, date=OUT)
    assert intervals(member)[-1] == ("T01", "in_transit", "probationary", OUT, None)


def test_arrival_moves_the_member_into_the_receiving_cell_with_the_same_standing(tree, outsider):
    member = admit(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_b1, date=OUT)
    event = member_transfer_in(actor=outsider, member=member, date=ARRIVAL)
    member.refresh_from_db()
    assert (member.unit, member.transit_to, member.transit_since) == (tree.cell_b1, None, None)
    assert member.status == MemberStatus.PROBATIONARY
    assert (event.kind, event.unit, event.other_unit, event.details["days_in_transit"]) == (
        EventKind.TRANSFER_IN,
        tree.cell_b1,
        tree.cell_a1,
        14,
    )
    assert intervals(member)[-2:] == [
        ("T01", "in_transit", "probationary", OUT, ARRIVAL),
        ("XB-1", "probationary", "probationary", ARRIVAL, None),
    ]


def _closed_cell(tree) -> Unit:
    cell = unit_create(
        actor=None,
        code="XA-9",
        name="Chi bộ cũ",
        kind=UnitKind.CELL,
        cell_subtype=CellSubtype.VILLAGE,
        parent=tree.commune_a,
        valid_from=dt.date(2016, 1, 1),
    )
    Unit.objects.filter(pk=cell.pk).update(valid_to=dt.date(2020, 1, 1))
    cell.refresh_from_db()
    return cell


@pytest.mark.parametrize(
    ("target", "field"),
    [("closed", "to_unit"), ("commune_a", "to_unit"), ("cell_a1", "to_unit")],
)
def test_transfers_into_a_closed_unit_a_non_cell_or_the_same_cell_are_refused(tree, target, field):
    member = official(tree.cell_a1)
    to_unit = _closed_cell(tree) if target == "closed" else getattr(tree, target)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_out(actor=None, member=member, to_unit=to_unit, date=OUT)
    assert field in info.value.message_dict
    assert counts() == before


def test_a_member_already_in_transit_cannot_be_transferred_again(tree):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=OUT)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_out(actor=None, member=member, to_unit=tree.cell_b1, date=ARRIVAL)
    assert "member" in info.value.message_dict
    assert counts() == before


def test_a_member_no_longer_active_cannot_be_transferred(tree):
    member = official(tree.cell_a1)
    member_death(actor=None, member=member, date=OUT)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=ARRIVAL)
    assert "member" in info.value.message_dict
    assert counts() == before


def test_arrival_of_a_member_not_in_transit_is_refused(tree):
    member = official(tree.cell_a1)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_in(actor=None, member=member, date=ARRIVAL)
    assert "member" in info.value.message_dict
    assert counts() == before


def test_arrival_before_the_introduction_is_refused(tree):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=OUT)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_in(actor=None, member=member, date=OUT - dt.timedelta(days=1))
    assert "date" in info.value.message_dict
    assert counts() == before


def test_a_future_transfer_date_is_refused(tree):
    member = official(tree.cell_a1)
    with pytest.raises(ValidationError) as info:
        member_transfer_out(
            actor=None, member=member, to_unit=tree.cell_a2, date=dt.date(2099, 1, 1)
        )
    assert "date" in info.value.message_dict


def test_a_temporary_transfer_keeps_the_records_and_sets_the_attended_cell(tree):
    member = official(tree.cell_a1)
    before_intervals = intervals(member)
    event = member_transfer_out(
        actor=None,
        member=member,
        to_unit=tree.cell_b1,
        date=OUT,
        mode="temporary",
        until=dt.date(2023, 9, 1),
    )
    member.refresh_from_db()
    assert (member.unit, member.attending_unit, member.transit_to) == (
        tree.cell_a1,
        tree.cell_b1,
        None,
    )
    assert (event.kind, event.details["until"]) == (EventKind.TEMP_TRANSFER_OUT, "2023-09-01")
    assert intervals(member) == before_intervals
    back = member_temporary_return(actor=None, member=member, date=dt.date(2023, 9, 1))
    member.refresh_from_db()
    assert member.attending_unit is None and back.kind == EventKind.TEMP_TRANSFER_RETURN


def test_temporary_transfer_refusals(tree):
    member = official(tree.cell_a1)
    with pytest.raises(ValidationError) as info:
        member_transfer_out(
            actor=None, member=member, to_unit=tree.cell_b1, date=OUT, mode="temporary", until=OUT
        )
    assert "until" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        member_transfer_out(
            actor=None, member=member, to_unit=tree.cell_b1, date=OUT, mode="sideways"
        )
    assert "mode" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        member_temporary_return(actor=None, member=member, date=OUT)
    assert "member" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        member_transfer_out(
            actor=None, member=member, to_unit=tree.cell_b1, date=OUT, mode="temporary"
        )
    assert "until" in info.value.message_dict  # a temporary transfer has an end date
    member_transfer_out(
        actor=None, member=member, to_unit=tree.cell_b1, date=OUT, mode="temporary", until=ARRIVAL
    )
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=ARRIVAL)
    assert "member" in info.value.message_dict
    assert counts() == before


def test_reassigning_a_member_in_transit_keeps_them_in_transit(tree):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_b1, date=OUT)
    member_reassign(actor=None, member=member, unit=tree.cell_a2, date=ARRIVAL)
    member.refresh_from_db()
    assert (member.unit, member.transit_to) == (tree.cell_a2, tree.cell_b1)
    assert intervals(member)[-1] == ("T01", "in_transit", "official", ARRIVAL, None)
    assert member.intervals.filter(end__isnull=True).count() == 1


def test_redirecting_a_transit_moves_its_destination(tree):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_b1, date=OUT)
    member_reassign(
        actor=None, member=member, unit=tree.cell_a2, date=ARRIVAL, redirect_transit=True
    )
    member.refresh_from_db()
    assert (member.unit, member.transit_to) == (tree.cell_a1, tree.cell_a2)
    assert intervals(member)[-1] == ("XA", "in_transit", "official", ARRIVAL, None)


def test_reassigning_moves_the_interval_with_its_status(tree):
    member = admit(tree.cell_a1)
    member_reassign(actor=None, member=member, unit=tree.cell_a2, date=OUT)
    assert intervals(member)[-1] == ("XA-2", "probationary", "probationary", OUT, None)
    assert member.events.last().kind == EventKind.REORGANIZE
