"""Shared builders for the committee tests."""

import datetime as dt

from grassroots.members.services import member_admit


def admit(
    unit, name: str = "Lò Văn Thử", *, actor=None, day: dt.date = dt.date(2021, 5, 10), **extra
):
    data = dict(
        actor=actor,
        unit=unit,
        full_name=name,
        gender="male",
        birth_date=dt.date(1990, 3, 2),
        ethnicity="thai",
        decision_date=day,
        ceremony_date=day + dt.timedelta(days=7),
        decision_number="101-QĐ/ĐU",
        issuer="Đảng ủy xã",
    )
    data.update(extra)
    return member_admit(**data)
