"""One ledger event by name through the member services, for the roll-up property tests."""

import datetime as dt

from grassroots.members import services as ms
from grassroots.members.models import Member


def admit_thai_woman(cell, full_name: str, day: dt.date) -> Member:
    """A member admitted (decision and ceremony) on `day` in `cell`, born 5 May 1990."""
    return ms.member_admit(
        actor=None,
        unit=cell,
        full_name=full_name,
        gender="female",
        birth_date=dt.date(1990, 5, 5),
        ethnicity="thai",
        decision_date=day,
        ceremony_date=day,
    )


def record(country, members: list[Member], i, kind, a, b, day, level, birth: dt.date) -> bool:
    """Record event `kind` (a → which member, b → which cell) on `day`; a new member (born on
    `birth`) is appended to `members`. False when `kind` is not a member event."""
    cell = country.cells[b]
    member = Member.objects.get(pk=members[a % len(members)].pk) if members else None
    if kind == "admit" or member is None:
        members.append(
            ms.member_admit(
                actor=None,
                unit=country.cells[a % 4],
                full_name=f"Nguyễn Văn {i}",
                gender="female" if a % 2 else "male",
                birth_date=birth,
                ethnicity="kinh" if a % 3 else "thai",
                decision_date=day,
                ceremony_date=day,
                general_education="" if b == 0 else "upper_secondary",
            )
        )
    elif kind == "recognize":
        ms.member_recognize(actor=None, member=member, decision_date=day)
    elif kind in ("transfer_out", "temp_out"):
        ms.member_transfer_out(
            actor=None,
            member=member,
            to_unit=cell,
            date=day,
            **({"mode": "temporary"} if kind == "temp_out" else {}),
        )
    elif kind == "transfer_in":
        ms.member_transfer_in(actor=None, member=member, date=day)
    elif kind == "discipline":
        ms.member_discipline(
            actor=None,
            member=member,
            level=level,
            date=day,
            decision_number="1",
            issuer="UBKT",
            reason="Vi phạm",
        )
    elif kind == "remove":
        ms.member_remove(actor=None, member=member, date=day, reason="Bỏ sinh hoạt")
    elif kind == "death":
        ms.member_death(actor=None, member=member, date=day)
    elif kind == "readmit":
        ms.member_readmit(
            actor=None, member=member, unit=cell, decision_date=day, ceremony_date=day
        )
    elif kind == "update":
        ms.member_update(
            actor=None,
            member=member,
            gender="female",
            birth_date=dt.date(1990, 6, b + 1),
            religion="buddhism",
        )
    else:
        return False
    return True
