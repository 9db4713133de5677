"""Shared builders for the organization tests: the tree only (members are not this app's)."""


def snapshot_counts() -> dict:
    """Row counts of everything a change of the tree may write, to assert nothing was written."""
    from grassroots.core.models import AuditEntry
    from grassroots.organizations.models import Lineage, Reorganization, Unit, UnitPlacement

    return {
        "units": Unit.objects.count(),
        "open_units": Unit.objects.filter(valid_to__isnull=True).count(),
        "placements": UnitPlacement.objects.count(),
        "open_placements": UnitPlacement.objects.filter(valid_to__isnull=True).count(),
        "reorganizations": Reorganization.objects.count(),
        "lineage": Lineage.objects.count(),
        "audit": AuditEntry.objects.count(),
        "paths": sorted(Unit.objects.values_list("path", flat=True)),
    }
