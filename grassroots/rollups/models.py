"""Subtree counters: how many active members of a unit's subtree have each value of each
attribute, and how many ledger events of each kind happened in it per month."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.organizations.models import Unit


class SubtreeCount(models.Model):
    """One counter: in `unit`'s subtree, `n` active members have `value` for `dimension`
    (e.g. gender = female), or `n` events of a kind happened in a month
    (dimension "ev:admissions", value "2024-03").

    Derived data, kept by the member and unit services in the same transaction as the change
    and rebuilt in bulk by `manage.py rebuild_rollups`; not audited (the changes that move it
    are). Only units at the top of the tree hold counters (see `services.ROLLUP_KINDS`).
    """

    # No index of its own: the unique key below starts with the unit.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    dimension = models.CharField(max_length=30)
    value = models.CharField(max_length=40)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("subtree counter")
        verbose_name_plural = _("subtree counters")
        constraints = [
            # Also the index every read uses: (unit, dimension) prefix, value range.
            models.UniqueConstraint(
                fields=["unit", "dimension", "value"], name="subtree_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.dimension}={self.value}: {self.n}"


class PastCount(models.Model):
    """One change of a past-day counter: in `unit`'s subtree, the number of members with
    `value` for `dimension` changed by `n` over `period` — a month (YYYYMM) or a whole year
    (YYYY). The figures at a month's end are the sum of the rows up to it (see `past`).

    Derived data like `SubtreeCount`: kept by the member services and reorganizations in the
    change's transaction, rebuilt by `manage.py rebuild_rollups`, checked against the raw count
    by `manage.py check_rollups`; not audited."""

    # No index of its own: the unique key below starts with the unit.
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.IntegerField()
    dimension = models.CharField(max_length=30)
    value = models.CharField(max_length=40)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("past-day counter")
        verbose_name_plural = _("past-day counters")
        constraints = [
            # Also the index every read uses: (unit, period range).
            models.UniqueConstraint(
                fields=["unit", "period", "dimension", "value"], name="past_count_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period} {self.dimension}={self.value}: {self.n}"
