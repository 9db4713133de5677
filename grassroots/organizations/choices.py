from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Provincial party organization")
    BLOC = "bloc", _("Bloc party organization")
    DISTRICT = "district", _("District committee")
    GRASSROOTS = "grassroots", _("Grassroots party organization")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots cell")
    CELL = "cell", _("Cell")
    GROUP = "group", _("Party group")


# Which kinds may sit directly under which. Kept as data so that another organization
# shaped differently can widen it.
ALLOWED_CHILDREN: dict[str, set[str]] = {
    UnitKind.CENTRAL: {UnitKind.PROVINCE, UnitKind.BLOC},
    UnitKind.PROVINCE: {
        UnitKind.BLOC,
        UnitKind.DISTRICT,
        UnitKind.GRASSROOTS,
        UnitKind.GRASSROOTS_CELL,
    },
    UnitKind.BLOC: {UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL},
    UnitKind.DISTRICT: {UnitKind.GRASSROOTS, UnitKind.GRASSROOTS_CELL},
    UnitKind.GRASSROOTS: {UnitKind.CELL},
    UnitKind.GRASSROOTS_CELL: {UnitKind.GROUP},
    UnitKind.CELL: {UnitKind.GROUP},
    UnitKind.GROUP: set(),
}

# Kinds that hold members directly as their own cell.
CELL_KINDS = {UnitKind.CELL, UnitKind.GRASSROOTS_CELL}


class CellSubtype(models.TextChoices):
    VILLAGE = "village", _("Village")
    RESIDENTIAL = "residential", _("Residential group")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health station")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    AGENCY = "agency", _("Agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    RETIREES = "retirees", _("Retirees")
    OTHER = "other", _("Other")


class ReorganizationKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    MOVE = "move", _("Move under another parent")
    DISSOLVE = "dissolve", _("Dissolve")
