"""What the members give the roll-up counters (`grassroots.rollups`), as plain data.

The roll-ups import no member model: the member services hand them a member's state before and
after a change (`member_state`) and the event recorded (`ledger_event`), and the rows they
recount are read through `MemberRollupReader`, registered when the app is ready. Which statuses
count is decided here, from `choices.ACTIVE_STATUSES`.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Value

from grassroots.rollups.readers import LedgerEvent, MemberState, Relation, register_member_reader

from .choices import ACTIVE_STATUSES, AGE_BANDS


def member_state(member) -> MemberState:
    """What of `member` the counters depend on."""
    return MemberState(
        counted=member.status in ACTIVE_STATUSES,
        status=member.status,
        unit_id=member.unit_id,
        transit_to_id=member.transit_to_id,
        gender=member.gender,
        birth_date=member.birth_date,
        ethnicity=member.ethnicity,
        religion=member.religion,
        general_education=member.general_education or "",
        professional_education=member.professional_education,
        theory_level=member.theory_level,
    )


def ledger_event(event) -> LedgerEvent:
    """The event counters' view of a `MemberEvent`."""
    return LedgerEvent(
        kind=event.kind,
        date=event.date,
        unit_id=event.unit_id,
        other_unit_id=event.other_unit_id,
        discipline_level=event.discipline_level or "",
    )


_KEYS_SQL: dict[str, Relation] = {}
_INTERVALS_SQL: dict[str, Relation] = {}


class MemberRollupReader:
    """The member rows the roll-ups recount (see `grassroots.rollups.readers.MemberReader`)."""

    def counted_members(self) -> Relation:
        from .models import Member

        rows = (
            Member.objects.filter(status__in=sorted(ACTIVE_STATUSES))
            .order_by()  # no ORDER BY: the database folds the relation into the roll-up's query
            .values(
                "unit_id",
                "transit_to_id",
                "status",
                "gender",
                "ethnicity",
                "religion",
                "general_education",
                "professional_education",
                "theory_level",
                "birth_date",
            )
        )
        return rows.query.sql_with_params()

    def ledger_events(self) -> Relation:
        from .models import MemberEvent

        rows = MemberEvent.objects.order_by().values(
            "unit_id", "other_unit_id", "kind", "discipline_level", "date"
        )
        return rows.query.sql_with_params()

    def intervals(self) -> Relation:
        # The same SQL at every event: compiled once per database kind (the ORM's compilation
        # cost more than the statement's execution).
        vendor = connection.vendor
        if vendor not in _INTERVALS_SQL:
            _INTERVALS_SQL[vendor] = self._intervals()
        return _INTERVALS_SQL[vendor]

    def _intervals(self) -> Relation:
        from django.db.models import F
        from django.db.models.functions import Coalesce

        from .models import Membership

        rows = Membership.objects.order_by().values(
            "id",
            "member_id",
            "unit_id",
            "status",
            # The interval's own copy of the member's date of birth (equal to it): a condition
            # on it can use the intervals' index.
            "birth_date",
            i_start=F("start"),
            i_end=F("end"),
            gender=F("member__gender"),
            ethnicity=F("member__ethnicity"),
            religion=F("member__religion"),
            general_education=Coalesce(F("member__general_education"), Value("")),
            professional_education=F("member__professional_education"),
            theory_level=F("member__theory_level"),
        )
        return rows.query.sql_with_params()

    def interval_keys(self) -> Relation:
        vendor = connection.vendor
        if vendor not in _KEYS_SQL:
            from django.db.models import F

            from .models import Membership

            rows = Membership.objects.order_by().values(
                "id", "unit_id", "birth_date", i_start=F("start"), i_end=F("end")
            )
            _KEYS_SQL[vendor] = rows.query.sql_with_params()
        return _KEYS_SQL[vendor]

    def age_bands(self):
        return [(key, low, high) for key, _label, low, high in AGE_BANDS]


def register() -> None:
    register_member_reader(MemberRollupReader())
