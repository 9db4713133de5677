import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.members.choices import EventKind, MemberStatus
from grassroots.members.models import MemberEvent
from grassroots.members.services import (
    member_recognize,
    member_remove,
    member_transfer_in,
    member_transfer_out,
)

from .ledger_helpers import PROBATION_END, admit, counts, intervals, official


def test_recognition_on_the_day_probation_ends_makes_the_member_official(tree, manager_a):
    member = admit(tree.cell_a1)
    event = member_recognize(
        actor=manager_a, member=member, decision_date=PROBATION_END, decision_number="7-QĐ"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.official_date == PROBATION_END
    assert (event.kind, event.date, event.created_by) == (
        EventKind.RECOGNIZE,
        PROBATION_END,
        manager_a,
    )
    assert intervals(member) == [
        ("XA-1", "probationary", "probationary", dt.date(2021, 5, 10), PROBATION_END),
        ("XA-1", "official", "official", PROBATION_END, None),
    ]
    update = AuditEntry.objects.for_object(member).get(action="update")
    assert update.actor == manager_a and update.after["status"] == "official"


def test_recognition_the_day_before_probation_ends_is_refused_and_writes_nothing(tree):
    member = admit(tree.cell_a1)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_recognize(
            actor=None, member=member, decision_date=PROBATION_END - dt.timedelta(days=1)
        )
    assert "decision_date" in info.value.message_dict
    assert counts() == before
    member.refresh_from_db()
    assert member.status == MemberStatus.PROBATIONARY and member.official_date is None


def test_probation_counts_from_the_ceremony_not_the_decision(tree):
    member = admit(
        tree.cell_a1, decision_date=dt.date(2021, 5, 3), ceremony_date=dt.date(2021, 6, 1)
    )
    with pytest.raises(ValidationError):
        member_recognize(actor=None, member=member, decision_date=dt.date(2022, 5, 31))
    member_recognize(actor=None, member=member, decision_date=dt.date(2022, 6, 1))
    assert member.official_date == dt.date(2022, 6, 1)


def test_late_recognition_is_official_from_the_day_the_twelve_months_ended(tree):
    member = admit(tree.cell_a1)
    for name in ("Lý A Tủa", "Hầu A Lử", "Vàng A Sử"):
        official(tree.cell_a1, full_name=name)
    late = dt.date(2022, 9, 30)
    event = member_recognize(
        actor=None,
        member=member,
        decision_date=late,
        cell_vote_date=dt.date(2022, 9, 1),
        votes_for=2,
    )
    assert member.official_date == PROBATION_END
    assert event.date == late and event.details["official_date"] == PROBATION_END.isoformat()
    assert event.details["cell_vote_date"] == "2022-09-01"
    # The interval switches on the 12-month date, not on the decision date.
    assert [(s, start) for _u, s, _st, start, _e in intervals(member)] == [
        ("probationary", dt.date(2021, 5, 10)),
        ("official", PROBATION_END),
    ]


def test_late_recognition_after_a_transfer_switches_every_later_interval(tree):
    member = admit(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=dt.date(2022, 5, 1))
    member_transfer_in(actor=None, member=member, date=dt.date(2022, 6, 10))
    member_recognize(actor=None, member=member, decision_date=dt.date(2022, 7, 1))
    assert intervals(member) == [
        ("XA-1", "probationary", "probationary", dt.date(2021, 5, 10), dt.date(2022, 5, 1)),
        ("XA", "in_transit", "probationary", dt.date(2022, 5, 1), PROBATION_END),
        ("XA", "in_transit", "official", PROBATION_END, dt.date(2022, 6, 10)),
        ("XA-2", "official", "official", dt.date(2022, 6, 10), None),
    ]


def test_recognizing_a_member_who_is_already_official_is_refused(tree):
    member = admit(tree.cell_a1)
    member_recognize(actor=None, member=member, decision_date=PROBATION_END)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_recognize(actor=None, member=member, decision_date=dt.date(2023, 1, 5))
    assert "member" in info.value.message_dict
    assert counts() == before


def test_a_removed_probationary_member_cannot_be_recognized(tree):
    member = admit(tree.cell_a1)
    member_remove(actor=None, member=member, date=dt.date(2022, 6, 1), reason="Không đủ tư cách")
    with pytest.raises(ValidationError) as info:
        member_recognize(actor=None, member=member, decision_date=dt.date(2022, 6, 2))
    assert "member" in info.value.message_dict


def test_a_member_in_transit_is_recognized_only_after_the_arrival(tree):
    member = admit(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=dt.date(2022, 5, 1))
    with pytest.raises(ValidationError) as info:
        member_recognize(actor=None, member=member, decision_date=PROBATION_END)
    assert "member" in info.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"decision_date": dt.date(2099, 1, 1)}, "decision_date"),
        ({"decision_date": PROBATION_END, "cell_vote_date": dt.date(2022, 5, 1)}, "cell_vote_date"),
        ({"decision_date": PROBATION_END, "cell_vote_date": dt.date(2022, 6, 1)}, "cell_vote_date"),
    ],
)
def test_recognition_with_impossible_dates_is_refused(tree, kwargs, field):
    member = admit(tree.cell_a1)
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_recognize(actor=None, member=member, **kwargs)
    assert field in info.value.message_dict
    assert counts() == before


def test_recognition_dated_before_the_last_event_is_refused(tree):
    member = admit(tree.cell_a1)
    member_transfer_out(actor=None, member=member, to_unit=tree.cell_a2, date=dt.date(2022, 8, 1))
    member_transfer_in(actor=None, member=member, date=dt.date(2022, 8, 20))
    before = counts()
    with pytest.raises(ValidationError) as info:
        member_recognize(actor=None, member=member, decision_date=dt.date(2022, 8, 10))
    assert "before the member's last recorded event" in info.value.message_dict["decision_date"][0]
    assert counts() == before


def test_the_ledger_refuses_changes_and_deletions(tree):
    member = admit(tree.cell_a1)
    event = member.events.get()
    event.reason = "rewritten"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ValidationError):
        MemberEvent.objects.filter(member=member).update(reason="x")
    with pytest.raises(ValidationError):
        MemberEvent.objects.filter(member=member).delete()
    assert MemberEvent.objects.get().reason == ""
