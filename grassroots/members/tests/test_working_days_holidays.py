"""Every "N working days" rule of the member ledger counts Monday–Friday less the holiday table
(DOMAIN.md, Members: working days). The test database is migrated, so the seeded calendar is
in it: Tết 2024 off 08–14/02/2024, Tết 2025 off 25/01–02/02/2025."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from grassroots.members.models import Member
from grassroots.members.selectors import member_flags, overdue_recognitions, recognition_due

from .ledger_helpers import admit, counts

DECISION_2024 = dt.date(2024, 1, 15)


def test_ceremony_limit_counts_working_days_less_tet(tree):
    # 30 working days after 15/01/2024 end on 26/02 without Tết, on 04/03 with its five weekdays
    # off.
    member = admit(tree.cell_a1, decision_date=DECISION_2024, ceremony_date=dt.date(2024, 3, 1))
    assert Member.objects.get(pk=member.pk).ceremony_date == dt.date(2024, 3, 1)
    assert admit(
        tree.cell_a1,
        full_name="Lò Thị Hai",
        decision_date=DECISION_2024,
        ceremony_date=dt.date(2024, 3, 4),
    ).ceremony_date == dt.date(2024, 3, 4)


def test_ceremony_a_working_day_after_the_limit_needs_the_approval_naming_the_limit(tree):
    before = counts()
    with pytest.raises(ValidationError) as info:
        admit(tree.cell_a1, decision_date=DECISION_2024, ceremony_date=dt.date(2024, 3, 5))
    assert "04/03/2024" in info.value.message_dict["ceremony_delay_approval"][0]
    assert counts() == before


def test_a_holiday_added_by_the_operator_moves_the_ceremony_limit_at_once(tree):
    # 05/03/2024 is refused until the table holds one more day off before it.
    with pytest.raises(ValidationError):
        admit(tree.cell_a1, decision_date=DECISION_2024, ceremony_date=dt.date(2024, 3, 5))
    call_command("holidays", "add", "20/02/2024", "Ngày nghỉ thử", verbosity=0)
    member = admit(tree.cell_a1, decision_date=DECISION_2024, ceremony_date=dt.date(2024, 3, 5))
    assert member.ceremony_date == dt.date(2024, 3, 5)


def test_recognition_due_and_overdue_flags_count_working_days_less_tet(tree, manager_a):
    # Probation ends on Friday 10/01/2025; 30 working days later is 21/02 without Tết and
    # 28/02/2025 with its five weekdays off (27–31/01).
    member = admit(
        tree.cell_a1, decision_date=dt.date(2024, 1, 2), ceremony_date=dt.date(2024, 1, 10)
    )
    assert recognition_due(member) == (dt.date(2025, 1, 10), dt.date(2025, 2, 28))
    assert [f.code for f in member_flags(member, today=dt.date(2025, 2, 28))] == [
        "awaiting_recognition"
    ]
    assert [f.code for f in member_flags(member, today=dt.date(2025, 3, 1))] == [
        "recognition_overdue"
    ]
    assert list(overdue_recognitions(tree.commune_a, manager_a, today=dt.date(2025, 2, 28))) == []
    assert list(overdue_recognitions(tree.commune_a, manager_a, today=dt.date(2025, 3, 1))) == [
        member
    ]
