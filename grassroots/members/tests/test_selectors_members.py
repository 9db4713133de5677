import datetime as dt

from grassroots.core.dates import add_working_days
from grassroots.members.choices import EventKind
from grassroots.members.selectors import (
    candidate_counts,
    member_flags,
    member_timeline,
    overdue_recognitions,
    overdue_transfers,
    party_age,
)
from grassroots.members.services import (
    candidate_drop,
    candidate_propose,
    member_readmit,
    member_recognize,
    member_remove,
    member_transfer_out,
)

from .ledger_helpers import PROBATION_END, admit, official


def test_party_age_counts_from_the_admission_decision_once_official(tree):
    member = admit(tree.cell_a1)
    assert party_age(member, on=dt.date(2022, 1, 1)) is None
    member_recognize(actor=None, member=member, decision_date=PROBATION_END)
    age = party_age(member, on=dt.date(2024, 5, 10))
    assert (age.since, age.years, age.gap_days) == (dt.date(2021, 5, 10), 3, 0)


def test_party_age_subtracts_the_gap_between_removal_and_readmission(tree):
    member = official(tree.cell_a1)
    member_remove(actor=None, member=member, date=dt.date(2022, 6, 1), reason="Bỏ sinh hoạt")
    member_readmit(
        actor=None,
        member=member,
        unit=tree.cell_a1,
        decision_date=dt.date(2025, 6, 2),
        ceremony_date=dt.date(2025, 6, 5),
    )
    # Serving probation again: no party age until recognized.
    assert party_age(member, on=dt.date(2026, 1, 1)) is None
    member_recognize(actor=None, member=member, decision_date=dt.date(2026, 6, 5))
    age = party_age(member, on=dt.date(2026, 11, 10))
    assert age.since == dt.date(2021, 5, 10)  # from the first admission decision
    assert age.gap_days == (dt.date(2025, 6, 2) - dt.date(2022, 6, 1)).days
    assert age.years == 2  # five and a half calendar years less the three years out


def test_a_member_awaiting_recognition_and_then_overdue_is_flagged(tree, manager_a):
    member = admit(tree.cell_a1)
    assert member_flags(member, today=PROBATION_END - dt.timedelta(days=1)) == []
    assert [f.code for f in member_flags(member, today=PROBATION_END)] == ["awaiting_recognition"]
    deadline = add_working_days(PROBATION_END, 30)
    assert [f.code for f in member_flags(member, today=deadline)] == ["awaiting_recognition"]
    assert [f.code for f in member_flags(member, today=deadline + dt.timedelta(days=1))] == [
        "recognition_overdue"
    ]
    assert list(overdue_recognitions(tree.commune_a, manager_a, today=deadline)) == []
    assert list(
        overdue_recognitions(tree.commune_a, manager_a, today=deadline + dt.timedelta(days=1))
    ) == [member]
    member_recognize(actor=None, member=member, decision_date=dt.date(2022, 9, 1))
    assert member_flags(member, today=dt.date(2022, 9, 2)) == []


def test_overdue_lists_are_scoped_to_the_users_subtree(tree, outsider, manager_a):
    member = admit(tree.cell_a1)
    assert list(overdue_recognitions(tree.province, outsider, today=dt.date(2023, 1, 1))) == []
    assert list(overdue_recognitions(tree.province, manager_a, today=dt.date(2023, 1, 1))) == [
        member
    ]


def test_a_transfer_not_received_in_time_is_flagged(tree, manager_a, outsider):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_b1, date=dt.date(2023, 3, 1))
    assert member_flags(member, today=dt.date(2023, 3, 31)) == []
    assert [f.code for f in member_flags(member, today=dt.date(2023, 4, 1))] == ["transfer_overdue"]
    assert list(overdue_transfers(tree.commune_a, manager_a, today=dt.date(2023, 4, 1))) == [member]
    # The receiving side sees it too.
    assert list(overdue_transfers(tree.commune_b, outsider, today=dt.date(2023, 4, 1))) == [member]
    assert list(overdue_transfers(tree.commune_a, manager_a, today=dt.date(2023, 3, 31))) == []


def test_the_timeline_lists_events_in_order(tree):
    member = official(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=dt.date(2023, 3, 1))
    assert [e.kind for e in member_timeline(member)] == [
        EventKind.ADMIT,
        EventKind.RECOGNIZE,
        EventKind.TRANSFER_OUT,
    ]


def test_candidates_are_counted_per_stage_for_a_subtree(tree):
    for name in ("A", "B", "C"):
        candidate_propose(
            actor=None,
            unit=tree.cell_a1,
            full_name=name,
            gender="male",
            birth_date=dt.date(2000, 1, 1),
            ethnicity="kinh",
            proposed_by="cell",
            proposed_on=dt.date(2023, 1, 2),
        )
    dropped = candidate_propose(
        actor=None,
        unit=tree.cell_b1,
        full_name="D",
        gender="male",
        birth_date=dt.date(2000, 1, 1),
        ethnicity="kinh",
        proposed_by="cell",
        proposed_on=dt.date(2023, 1, 2),
    )
    candidate_drop(actor=None, candidate=dropped, reason="Chuyển đi")
    counts = candidate_counts(tree.commune_a)
    assert (
        counts["proposed"] == 3
        and counts["dropped"] == 0
        and set(counts) >= {"cell_voted", "admitted"}
    )
    assert candidate_counts(tree.province)["dropped"] == 1
