"""Shared set-up for the tests of the member pages, import and export."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from grassroots.members.models import Member
from grassroots.members.services import member_admit


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return (
        today.replace(year=today.year - years) - dt.timedelta(days=days)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - years, 2, 28) - dt.timedelta(days=days)
    )


def admit(unit, *, actor=None, full_name: str = "Nguyễn Văn An", **overrides) -> Member:
    """A probationary member admitted about two years ago (probation has ended)."""
    decision = years_ago(2, days=30)
    data = dict(
        actor=actor,
        unit=unit,
        full_name=full_name,
        gender="male",
        birth_date=dt.date(1990, 4, 12),
        ethnicity="kinh",
        decision_date=decision,
        ceremony_date=decision + dt.timedelta(days=7),
        decision_number="12-QĐ/ĐU",
        issuer="Đảng ủy xã",
    )
    data.update(overrides)
    return member_admit(**data)
