"""The unit register: one tree that changes over time by recorded reorganizations."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import AuditedModel, path_index
from grassroots.core.text import fold

from .choices import CellSubtype, ReorganizationKind, UnitKind
from .querysets import ReorganizationQuerySet, UnitPlacementQuerySet, UnitQuerySet


class Unit(AuditedModel):
    """A party organization or cell: one node of the tree.

    `path` is the materialized list of ancestor ids ("/1/7/42/"), kept by the services, so that
    everything under a unit is one indexed prefix scan. A closed unit has `valid_to` set and
    keeps its history; units that hold history are never deleted.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    cell_subtype = models.CharField(
        _("cell type"), max_length=20, choices=CellSubtype.choices, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    address = models.CharField(_("place"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        indexes = [
            path_index("unit_path_idx"),
            models.Index(fields=["parent", "valid_to"], name="unit_parent_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
                violation_error_message=_("A unit cannot close before it was created."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.cell_subtype and self.kind not in {UnitKind.CELL, UnitKind.GRASSROOTS_CELL}:
            raise ValidationError({"cell_subtype": _("Only a cell has a cell type.")})

    def audit_unit_path(self) -> str:
        return self.path

    @property
    def is_open(self) -> bool:
        return self.valid_to is None

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]


class UnitPlacement(models.Model):
    """Where a unit stood in the tree during an interval: the tree of any past date.

    A unit has one open placement (valid_to null) while it is open. Moving a unit closes its
    placement and those of its descendants and opens new ones with the new paths.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=255)
    depth = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    # The unit's kind (it never changes), so that the cells of a past day's subtree are counted
    # from the path index alone instead of looking up each place's unit.
    unit_kind = models.CharField(max_length=20, choices=UnitKind.choices, editable=False)

    objects = UnitPlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit placement")
        verbose_name_plural = _("unit placements")
        ordering = ["unit", "valid_from"]
        indexes = [
            # The places of a subtree with their units and days, from the index alone (a past
            # day inside a month hashes a province's; grassroots.rollups.past).
            path_index(
                "placement_path_idx", include=("unit", "valid_from", "valid_to", "unit_kind")
            ),
            models.Index(fields=["unit", "valid_from"], name="placement_unit_idx"),
            # A past day inside a month reads the places that began or ended in the days since
            # the month's end (grassroots.rollups.past).
            models.Index(fields=["valid_from"], name="placement_from_idx"),
            models.Index(fields=["valid_to"], name="placement_to_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.valid_from}–{self.valid_to or ''}"

    def save(self, *args, **kwargs):
        if not self.unit_kind:
            self.unit_kind = Unit.objects.filter(pk=self.unit_id).values_list("kind", flat=True)[0]
        super().save(*args, **kwargs)


class Reorganization(AuditedModel):
    """A dated, recorded change of the tree with its legal basis.

    `unit` is the unit renamed, moved, dissolved or split, or the successor of a merge (it
    places the record in the tree); merges and splits name all their units through `Lineage`.
    `details` keeps what the change was (old and new name, old and new parent, counts moved) as
    it was at the time.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ReorganizationKind.choices)
    effective_date = models.DateField(_("effective date"))
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issued by"), max_length=200)
    note = models.TextField(_("note"), blank=True, default="")
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="reorganizations"
    )
    details = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReorganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("reorganization")
        verbose_name_plural = _("reorganizations")
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number} ({self.effective_date:%d/%m/%Y})"

    def audit_unit_path(self) -> str:
        if self.unit_id:
            return self.unit.path
        first = self.lineage.select_related("successor").first() if self.pk else None
        return first.successor.path if first else ""


class Lineage(models.Model):
    """Links a predecessor unit to a successor through a merge or split.

    For a split, `share` is the fraction of the predecessor's members allocated to the successor.
    """

    reorganization = models.ForeignKey(
        Reorganization, on_delete=models.CASCADE, related_name="lineage"
    )
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")
    share = models.DecimalField(max_digits=7, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("lineage")
        verbose_name_plural = _("lineage")
        constraints = [
            models.UniqueConstraint(
                fields=["reorganization", "predecessor", "successor"], name="lineage_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="lineage_not_self",
                violation_error_message=_("A unit cannot be its own predecessor."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
