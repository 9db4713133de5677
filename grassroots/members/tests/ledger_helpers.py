"""Small builders for the member ledger tests: members admitted and recognized through the
services, and the row counts that must not move when a service refuses."""

from __future__ import annotations

import datetime as dt

from grassroots.core.models import AuditEntry
from grassroots.members.models import Candidate, Member, MemberEvent, Membership
from grassroots.members.services import member_admit, member_recognize

DECISION = dt.date(2021, 5, 10)
CEREMONY = dt.date(2021, 5, 19)
PROBATION_END = dt.date(2022, 5, 19)


def admit(unit, *, actor=None, **overrides) -> Member:
    data = dict(
        actor=actor,
        unit=unit,
        full_name="Lò Văn Thử",
        gender="male",
        birth_date=dt.date(1995, 3, 2),
        ethnicity="thai",
        decision_date=DECISION,
        ceremony_date=CEREMONY,
        decision_number="101-QĐ/ĐU",
        issuer="Đảng ủy xã",
    )
    data.update(overrides)
    return member_admit(**data)


def admit_on(
    unit, name: str = "Lò Văn Thử", *, actor=None, day: dt.date = dt.date(2021, 5, 10), **extra
) -> Member:
    """A member admitted into `unit` on `day` (the ceremony a week later), for tests of the apps
    that stand on the ledger (committees, reorganizations)."""
    return admit(
        unit,
        actor=actor,
        full_name=name,
        birth_date=dt.date(1990, 3, 2),
        decision_date=day,
        ceremony_date=day + dt.timedelta(days=7),
        **extra,
    )


def official(unit, *, actor=None, recognized_on: dt.date = PROBATION_END, **overrides) -> Member:
    member = admit(unit, actor=actor, **overrides)
    member_recognize(
        actor=actor, member=member, decision_date=recognized_on, decision_number="5-QĐ/ĐU"
    )
    return member


def counts() -> tuple[int, int, int, int, int]:
    """Rows of every table a member service may write."""
    return (
        Member.objects.count(),
        MemberEvent.objects.count(),
        Membership.objects.count(),
        Candidate.objects.count(),
        AuditEntry.objects.count(),
    )


def intervals(member) -> list[tuple]:
    return list(
        member.intervals.order_by("start", "id").values_list(
            "unit__code", "status", "standing", "start", "end"
        )
    )
