from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    """Subtree counters that keep the figures of the top of the tree fast (see services)."""

    name = "grassroots.rollups"
    label = "rollups"
    verbose_name = _("Roll-up counters")
