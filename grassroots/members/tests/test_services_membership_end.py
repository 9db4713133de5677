import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry, RuleSetting
from grassroots.members.choices import EventKind, MemberStatus
from grassroots.members.services import (
    member_death,
    member_discipline,
    member_readmit,
    member_remove,
    member_transfer_out,
    member_update,
)

from .ledger_helpers import counts, intervals, official

DAY = dt.date(2023, 4, 3)


def test_a_reprimand_is_recorded_and_membership_goes_on(tree, manager_a):
    member = official(tree.cell_a1)
    event = member_discipline(
        actor=manager_a,
        member=member,
        level="reprimand",
        date=DAY,
        decision_number="3-QĐKL",
        issuer="UBKT Đảng ủy",
        reason="Vắng sinh hoạt",
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert (event.kind, event.discipline_level, event.created_by) == (
        EventKind.DISCIPLINE,
        "reprimand",
        manager_a,
    )
    assert intervals(member)[-1][4] is None


def test_expulsion_ends_membership_and_closes_the_interval(tree):
    member = official(tree.cell_a1)
    member_discipline(
        actor=None,
        member=member,
        level="expulsion",
        date=DAY,
        decision_number="4-QĐKL",
        issuer="Đảng ủy",
        reason="Vi phạm nghiêm trọng",
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.EXPELLED
    assert intervals(member)[-1][4] == DAY
    assert not member.intervals.filter(end__isnull=True).exists()


def test_expelling_a_member_in_transit_ends_the_transit(tree):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=dt.date(2023, 3, 1))
    member_discipline(
        actor=None,
        member=member,
        level="expulsion",
        date=DAY,
        decision_number="4",
        issuer="Đảng ủy",
        reason="Vi phạm",
    )
    member.refresh_from_db()
    assert member.transit_to is None and member.status == MemberStatus.EXPELLED


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": "banishment"}, "level"),
        ({"reason": " "}, "reason"),
        ({"date": dt.date(2099, 1, 1)}, "date"),
    ],
)
def test_discipline_refusals_write_nothing(tree, kwargs, field):
    member = official(tree.cell_a1)
    data = dict(
        actor=None,
        member=member,
        level="warning",
        date=DAY,
        decision_number="1",
        issuer="Đảng ủy",
        reason="Lý do",
    )
    data.update(kwargs)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_discipline(**data)
    assert field in info.value.message_dict
    assert counts() == before


def test_removal_and_death_end_membership(tree):
    removed = official(tree.cell_a1)
    member_remove(
        actor=None, member=removed, date=DAY, reason="Bỏ sinh hoạt 3 tháng", decision_number="9"
    )
    deceased = official(tree.cell_a1, full_name="Vàng A Páo")
    member_death(actor=None, member=deceased, date=DAY)
    removed.refresh_from_db()
    deceased.refresh_from_db()
    assert (removed.status, deceased.status) == (MemberStatus.REMOVED, MemberStatus.DECEASED)
    assert intervals(removed)[-1][4] == DAY and intervals(deceased)[-1][4] == DAY
    active = official(tree.cell_a2, full_name="Sùng A Lử")
    before = counts()
    for call in (
        lambda: member_remove(actor=None, member=removed, date=DAY, reason="again"),
        lambda: member_death(actor=None, member=removed, date=DAY),
        lambda: member_remove(actor=None, member=active, date=DAY, reason=""),
    ):
        with pytest.raises(ValidationError):
            call()
    assert counts() == before


def test_readmission_after_removal_serves_probation_again_and_keeps_the_first_decision(
    tree, manager_a
):
    member = official(tree.cell_a1)
    member_remove(actor=None, member=member, date=DAY, reason="Bỏ sinh hoạt")
    event = member_readmit(
        actor=manager_a,
        member=member,
        unit=tree.cell_a2,
        decision_date=dt.date(2026, 4, 6),
        ceremony_date=dt.date(2026, 4, 10),
        decision_number="20-QĐ/ĐU",
    )
    member.refresh_from_db()
    assert (member.status, member.unit, member.readmission_count) == (
        MemberStatus.PROBATIONARY,
        tree.cell_a2,
        1,
    )
    assert member.first_admission_decision_date == dt.date(2021, 5, 10)
    assert (member.admission_decision_date, member.ceremony_date, member.official_date) == (
        dt.date(2026, 4, 6),
        dt.date(2026, 4, 10),
        None,
    )
    assert (event.kind, event.created_by) == (EventKind.RESTORE, manager_a)
    assert intervals(member)[-1] == (
        "XA-2",
        "probationary",
        "probationary",
        dt.date(2026, 4, 6),
        None,
    )


def test_readmission_happens_once_only(tree):
    member = official(tree.cell_a1)
    member_remove(actor=None, member=member, date=DAY, reason="Bỏ sinh hoạt")
    member_readmit(
        actor=None,
        member=member,
        unit=tree.cell_a1,
        decision_date=dt.date(2026, 4, 6),
        ceremony_date=dt.date(2026, 4, 10),
    )
    member_remove(actor=None, member=member, date=dt.date(2026, 8, 1), reason="Lần hai")
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_readmit(
            actor=None,
            member=member,
            unit=tree.cell_a1,
            decision_date=dt.date(2026, 11, 6),
            ceremony_date=dt.date(2026, 11, 10),
        )
    assert (
        "once" in info.value.message_dict["member"][0]
        or "1" in info.value.message_dict["member"][0]
    )
    assert counts() == before


def test_the_readmission_limit_is_a_rule(tree):
    RuleSetting.objects.create(key="readmission_limit", value=0)
    member = official(tree.cell_a1)
    member_remove(actor=None, member=member, date=DAY, reason="Bỏ sinh hoạt")
    with pytest.raises(ValidationError):
        member_readmit(
            actor=None,
            member=member,
            unit=tree.cell_a1,
            decision_date=dt.date(2024, 4, 1),
            ceremony_date=dt.date(2024, 4, 10),
        )


def test_an_active_or_deceased_member_cannot_be_readmitted(tree):
    active = official(tree.cell_a1)
    dead = official(tree.cell_a1, full_name="Giàng Seo Dìn")
    member_death(actor=None, member=dead, date=DAY)
    for member in (active, dead):
        with pytest.raises(ValidationError) as info:
            member_readmit(
                actor=None,
                member=member,
                unit=tree.cell_a1,
                decision_date=dt.date(2024, 4, 1),
                ceremony_date=dt.date(2024, 4, 10),
            )
        assert "member" in info.value.message_dict


def test_update_changes_personal_attributes_with_an_audit_row(tree, editor_a):
    member = official(tree.cell_a1)
    member_update(
        actor=editor_a,
        member=member,
        full_name="Lò Văn Thủ",
        theory_level="intermediate",
        party_card_number="79.012345",
    )
    member.refresh_from_db()
    assert (member.full_name, member.name_folded, member.theory_level) == (
        "Lò Văn Thủ",
        "lo van thu",
        "intermediate",
    )
    entry = AuditEntry.objects.for_object(member).filter(action="update").first()
    assert entry.actor == editor_a and entry.after["theory_level"] == "intermediate"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": "official"}, "status"),
        ({"unit": None}, "unit"),
        ({"official_date": dt.date(2020, 1, 1)}, "official_date"),
        ({"gender": "other"}, "gender"),
        ({"ethnicity": "martian"}, "ethnicity"),
        ({"full_name": ""}, "full_name"),
        ({"birth_date": dt.date(2099, 1, 1)}, "birth_date"),
        ({"party_card_number": "TAKEN"}, "party_card_number"),
    ],
)
def test_update_refuses_ledger_fields_and_bad_values(tree, fields, field):
    official(tree.cell_a2, full_name="Người khác", party_card_number="TAKEN")
    member = official(tree.cell_a1)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_update(actor=None, member=member, **fields)
    assert field in info.value.message_dict
    assert counts() == before
