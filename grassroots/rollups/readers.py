"""What the roll-ups read of the members, and the plain data the members give them.

The roll-ups sit below the members (the member services call them), so they import no member
model: a change reaches them as plain data (`MemberState`, `LedgerEvent`), and the rows they
recount (a rebuild, a subtree a reorganization moved, the days of a partial month) come from a
reader the members app registers in its `AppConfig.ready` (`register_member_reader`). The reader
gives SQL relations with fixed columns, so that a rebuild over millions of rows stays one
statement on the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class MemberState:
    """What of a member the counters depend on. `counted`: the member is one the figures count
    (an active member — the members app decides which statuses are active)."""

    counted: bool
    status: str
    unit_id: int
    transit_to_id: int | None
    gender: str
    birth_date: dt.date
    ethnicity: str
    religion: str
    general_education: str
    professional_education: str
    theory_level: str


@dataclass(frozen=True)
class LedgerEvent:
    """One event of a member's ledger, as the event counters see it."""

    kind: str
    date: dt.date
    unit_id: int
    other_unit_id: int | None = None
    discipline_level: str = ""


Relation = tuple[str, Sequence[object]]


class MemberReader(Protocol):
    """The members' rows the roll-ups recount, each as SQL and its parameters."""

    def counted_members(self) -> Relation:
        """The members the figures count (active), one row each, with the columns unit_id,
        transit_to_id, status, gender, ethnicity, religion, general_education,
        professional_education, theory_level, birth_date."""
        ...

    def ledger_events(self) -> Relation:
        """Every event of the members' ledger, one row each, with the columns unit_id,
        other_unit_id, kind, discipline_level, date."""
        ...

    def intervals(self) -> Relation:
        """Every membership interval (end exclusive, null while open) with its member's
        attributes, one row each, with the columns id, member_id, unit_id, status (in_transit
        included), i_start, i_end, gender, ethnicity, religion, general_education (never
        null), professional_education, theory_level, birth_date."""
        ...

    def interval_keys(self) -> Relation:
        """Every membership interval's keys alone, one row each, with the columns id, unit_id,
        i_start, i_end, birth_date (the member's): the intervals' own table, whose indexes by
        (start, unit, id), (end, unit, id) and (birth_date, unit, id) — the last holding the
        first and last days too — find which intervals of a subtree changed in a few days, or
        count its birthdays, without reading the country's."""
        ...

    def age_bands(self) -> Sequence[tuple[str, int | None, int | None]]:
        """The age bands the statistics show, in order: (key, lowest age, highest age)."""
        ...


_reader: MemberReader | None = None


def register_member_reader(reader: MemberReader) -> None:
    """Called once by the members app when it is ready."""
    global _reader
    _reader = reader


def member_reader() -> MemberReader:
    if _reader is None:
        raise ImproperlyConfigured(
            "The roll-ups have no member reader: grassroots.members registers one in its "
            "AppConfig.ready (is it in INSTALLED_APPS?)."
        )
    return _reader
