import datetime as dt

from django.db.models import Q

from grassroots.core.querysets import ScopedQuerySet


def valid_on_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": day})
    )


class UnitQuerySet(ScopedQuerySet):
    scope_path_fields = ("path",)

    def descendants_of(self, unit, include_self: bool = True):
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)

    def open(self):
        return self.filter(valid_to__isnull=True)

    def as_of(self, day: dt.date):
        """Units that existed on `day` (placed in the tree of that day through UnitPlacement)."""
        return self.filter(valid_on_q(day))


class UnitPlacementQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def as_of(self, day: dt.date):
        return self.filter(valid_on_q(day))

    def under(self, path: str):
        return self.filter(path__startswith=path)


class ReorganizationQuerySet(ScopedQuerySet):
    # Visible when any unit it touched is in the user's subtree.
    scope_path_fields = ("lineage__predecessor__path", "lineage__successor__path", "unit__path")
