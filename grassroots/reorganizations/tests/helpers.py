"""Shared builders for the reorganization tests."""

import datetime as dt

from grassroots.members.services import candidate_propose
from grassroots.members.tests.ledger_helpers import admit_on as admit

__all__ = ["admit", "propose", "snapshot_counts"]

DECISION = {
    "decision_number": "15-QĐ/TU",
    "decision_date": dt.date(2025, 6, 20),
    "issuer": "Ban Thường vụ Tỉnh ủy",
}
EFFECTIVE = dt.date(2025, 7, 1)


def propose(unit, name: str = "Lò Thị Nguồn", *, day: dt.date = dt.date(2024, 9, 1)):
    """A candidate proposed by the cell, still in the admission pipeline."""
    return candidate_propose(
        actor=None,
        unit=unit,
        full_name=name,
        gender="female",
        birth_date=dt.date(2001, 4, 5),
        ethnicity="thai",
        proposed_by="cell",
        proposed_on=day,
    )


def snapshot_counts() -> dict:
    """Row counts of everything a reorganization may write, to assert nothing was written."""
    from grassroots.core.models import AuditEntry
    from grassroots.members.models import Candidate, Member, MemberEvent, Membership
    from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement

    return {
        "units": Unit.objects.count(),
        "open_units": Unit.objects.filter(valid_to__isnull=True).count(),
        "placements": UnitPlacement.objects.count(),
        "open_placements": UnitPlacement.objects.filter(valid_to__isnull=True).count(),
        "reorganizations": Reorganization.objects.count(),
        "lineage": Lineage.objects.count(),
        "events": MemberEvent.objects.count(),
        "intervals": Membership.objects.count(),
        "audit": AuditEntry.objects.count(),
        "paths": sorted(Unit.objects.values_list("path", flat=True)),
        "member_units": sorted(Member.objects.values_list("pk", "unit_id")),
        "candidate_units": sorted(Candidate.objects.values_list("pk", "unit_id")),
    }
