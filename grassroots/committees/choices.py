from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    EXECUTIVE = "executive", _("Executive committee")
    STANDING = "standing", _("Standing committee")
    CELL = "cell", _("Cell committee")


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    STANDING_DEPUTY = "standing_deputy", _("Standing deputy secretary")
    DEPUTY = "deputy", _("Deputy secretary")
    STANDING_MEMBER = "standing_member", _("Standing committee member")
    MEMBER = "member", _("Committee member")
