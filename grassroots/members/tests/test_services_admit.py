import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from grassroots.core.models import AuditEntry
from grassroots.members.choices import EventKind, IntervalStatus, MemberStatus
from grassroots.members.models import Member, MemberEvent, Membership
from grassroots.members.services import member_admit


def admit(tree, **overrides):
    data = dict(
        actor=None,
        unit=tree.cell_a1,
        full_name="Lò Văn Thử",
        gender="male",
        birth_date=dt.date(1995, 3, 2),
        ethnicity="thai",
        decision_date=dt.date(2021, 5, 10),
        ceremony_date=dt.date(2021, 5, 19),
        decision_number="101-QĐ/ĐU",
        issuer="Đảng ủy xã",
    )
    data.update(overrides)
    return member_admit(**data)


def test_admission_creates_a_probationary_member_with_event_and_interval(tree, manager_a):
    member = admit(tree, actor=manager_a)
    assert member.status == MemberStatus.PROBATIONARY
    assert member.unit == tree.cell_a1
    event = MemberEvent.objects.get(member=member)
    assert (event.kind, event.date, event.created_by) == (
        EventKind.ADMIT,
        dt.date(2021, 5, 10),
        manager_a,
    )
    interval = Membership.objects.get(member=member)
    assert (interval.status, interval.start, interval.end) == (
        IntervalStatus.PROBATIONARY,
        dt.date(2021, 5, 10),
        None,
    )
    assert AuditEntry.objects.for_object(member).get(action="create").actor == manager_a


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": dt.date(2005, 1, 1)}, "birth_date"),
        ({"birth_date": dt.date(1950, 1, 1)}, "age_exception"),
        ({"ceremony_date": dt.date(2021, 5, 1)}, "ceremony_date"),
        ({"ceremony_date": dt.date(2021, 8, 1)}, "ceremony_delay_approval"),
        ({"full_name": "  "}, "full_name"),
    ],
)
def test_admission_refuses_broken_rules_and_writes_nothing(tree, overrides, field):
    with pytest.raises(ValidationError) as info:
        admit(tree, **overrides)
    assert field in info.value.message_dict
    assert (
        not Member.objects.exists()
        and not MemberEvent.objects.exists()
        and not Membership.objects.exists()
    )


def test_admission_into_a_commune_rather_than_a_cell_is_refused(tree):
    with pytest.raises(ValidationError) as info:
        admit(tree, unit=tree.commune_a)
    assert "unit" in info.value.message_dict


def test_over_age_admission_passes_with_a_recorded_exception(tree):
    member = admit(tree, birth_date=dt.date(1955, 1, 1), age_exception="Công văn 12-CV/TU")
    assert member.events.get().details["age_exception"] == "Công văn 12-CV/TU"
